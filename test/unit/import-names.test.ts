/**
 * Import round two (issue 13, part B): names, formulas and the report's silences. Aliases split
 * out of name cells; formula-looking text and formula cells kept as inert text with a warning in
 * every field (never costing the entry) and neutralized in the report export; blank rows,
 * duplicate headers, duplicate entries, UN document numbers in free text and an English-name
 * column each said or read right. Fixtures are made up and generated here: xlsx by exceljs, xls
 * (BIFF8) by SheetJS, csv and the UN XML as text; stored values are read back through the API.
 */
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import type { ImportReport } from '../../shared/contract';
import { splitNameCell } from '../../electron/core/watchlists/name-cells';
import { documentNumberIn } from '../../electron/core/watchlists/presets';
import { fieldForHeader } from '../../electron/core/watchlists/mapping';
import { entriesOf, strip } from './import-helpers';
import { setUpEngine } from './helpers';

type Value = string | number | null | { formula: string; result?: string | number };

async function xlsxOf(rows: (Value[] | null)[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) => r?.forEach((v, j) => {
    if (v !== null) ws.getCell(i + 1, j + 1).value = v;
  }));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function xlsOf(rows: (string | null)[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Sheet1');
  return XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
}

const csvCell = (v: string | null) => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvOf = (rows: (string | null)[][]): Buffer => Buffer.from(rows.map((r) => r.map(csvCell).join(',')).join('\n'));

function importBuf(api: ApiClient, fileName: string, content: Buffer, listName: string, extra: Record<string, unknown> = {}): Promise<ImportReport> {
  return api.call('watchlists.import', { listName, kind: 'wanted', fileName, contentBase64: content.toString('base64'), ...extra });
}

const byCode = (r: ImportReport, code: string) => r.problems.filter((p) => p.reason === code).map((p) => [p.row, p.column, p.params]);
const namesOf = async (api: ApiClient, list: string) => (await entriesOf(api, list)).sort((a, b) => a.sourceRow - b.sourceRow).map((e) => strip(e).names);

describe('aliases inside name cells', () => {
  it('splits a name cell by its markers; keeps s/o, a/l and brackets that hold no name (unit)', () => {
    expect(splitNameCell('ABDUL RAHIM NOORANI ALIAS ABU SAMIR ALIAS HAJJI NOORANI')).toEqual(['ABDUL RAHIM NOORANI', 'ABU SAMIR', 'HAJJI NOORANI']);
    expect(splitNameCell('John Testman a.k.a. Johnny T; J. Testman')).toEqual(['John Testman', 'Johnny T', 'J. Testman']);
    expect(splitNameCell('Ali Testa aka Baba Testa')).toEqual(['Ali Testa', 'Baba Testa']);
    expect(splitNameCell('MOHAMMED TESTALI / MUHAMMAD TESTALI')).toEqual(['MOHAMMED TESTALI', 'MUHAMMAD TESTALI']);
    // A slash glued between two words with one word on one side: that word's other spelling, never a lone given name as the person's name.
    expect(splitNameCell('AHMED/AHMAD TESTALI')).toEqual(['AHMED TESTALI', 'AHMAD TESTALI']);
    expect(splitNameCell('X TESTONE ALIAS AHMED/AHMAD TESTALI')).toEqual(['X TESTONE', 'AHMED TESTALI', 'AHMAD TESTALI']);
    expect(splitNameCell('SOMCHAI JAIDEE/JAIDI')).toEqual(['SOMCHAI JAIDEE', 'SOMCHAI JAIDI', 'JAIDI']);
    expect(splitNameCell('KHALID/KHALED')).toEqual(['KHALID', 'KHALED']);
    expect(splitNameCell('สมชาย ทดสอบดี (ต้อม)')).toEqual(['สมชาย ทดสอบดี', 'ต้อม']);
    expect(splitNameCell('สมชาย ทดสอบดี หรือ ต้อม')).toEqual(['สมชาย ทดสอบดี', 'ต้อม']);
    expect(splitNameCell('สมชาย ทดสอบดี นามแฝง เสือ')).toEqual(['สมชาย ทดสอบดี', 'เสือ']);
    expect(splitNameCell('MOHD TESTALI @ ALI BABA')).toEqual(['MOHD TESTALI', 'ALI BABA']);
    expect(splitNameCell('JOHN TESTDOE (a.k.a. JD TESTDOE)')).toEqual(['JOHN TESTDOE', 'JD TESTDOE']);
    // Not aliases: son of / anak lelaki (part of the legal name), a nationality, a title, a note, a marker at an end.
    expect(splitNameCell('RAJ S/O KUMAR TESTRAJ')).toEqual(['RAJ S/O KUMAR TESTRAJ']);
    expect(splitNameCell('MUTHU A/L SAMY / MUTHU SAMY')).toEqual(['MUTHU A/L SAMY', 'MUTHU SAMY']);
    expect(splitNameCell('JOHN TESTDOE (Thai)')).toEqual(['JOHN TESTDOE (Thai)']);
    expect(splitNameCell('สมชาย ทดสอบดี (พ.ต.ท.)')).toEqual(['สมชาย ทดสอบดี (พ.ต.ท.)']);
    expect(splitNameCell('JOHN TESTDOE (deceased)')).toEqual(['JOHN TESTDOE (deceased)']);
    expect(splitNameCell('Aka Chinedu Testo')).toEqual(['Aka Chinedu Testo']);
    expect(splitNameCell('Chinedu Testo Aka')).toEqual(['Chinedu Testo Aka']);
  });

  it('stores the primary name and each alias (csv, xlsx, xls), counts them, and screening finds an alias', async () => {
    const rows: (string | null)[][] = [
      ['ID', 'Name', 'Aliases'],
      ['N-1', 'ABDUL RAHIM TESTNOORANI ALIAS ABU SAMIR ALIAS HAJJI TESTNOORANI', null],
      ['N-2', 'KANOK TESTWAN a.k.a. NOK TESTWAN', 'KANOKWAN T. / K. TESTWAN'],
      ['N-3', 'นายสมชาย ทดสอบดี หรือ ต้อม ทดสอบดี', 'เสือ (ฉายา)'],
      ['N-4', 'RAJ S/O KUMAR TESTRAJ (Indian)', null],
    ];
    const expected = [
      ['primary:ABDUL RAHIM TESTNOORANI', 'alias:ABU SAMIR', 'alias:HAJJI TESTNOORANI'],
      ['primary:KANOK TESTWAN', 'alias:NOK TESTWAN', 'alias:KANOKWAN T.', 'alias:K. TESTWAN'],
      ['primary:นายสมชาย ทดสอบดี', 'alias:ต้อม ทดสอบดี', 'alias:เสือ (ฉายา)'],
      ['primary:RAJ S/O KUMAR TESTRAJ (Indian)'],
    ];
    const { api, engine } = await setUpEngine();
    const files: [string, Buffer][] = [['aliases.csv', csvOf(rows)], ['aliases.xlsx', await xlsxOf(rows)], ['aliases.xls', xlsOf(rows)]];
    for (const [fileName, content] of files) {
      const r = await importBuf(api, fileName, content, fileName);
      expect(r, fileName).toMatchObject({ imported: 4, rejected: 0, counts: { aliases: 7 } });
      expect(await namesOf(api, fileName), fileName).toEqual(expected);
    }
    const s = await api.call('screening.screen', { traveler: { fullName: 'HAJJI TESTNOORANI' } });
    expect(s.hits.filter((h) => h.entryId === 'N-1').length).toBeGreaterThan(0);
    engine.close();
  }, 60_000);
});

describe('formulas and formula-looking text', () => {
  it('a csv row whose cells start with =, +, -, @ is imported as inert text, warned of per field, and neutralized in the report export', async () => {
    const { api, engine } = await setUpEngine();
    const content = csvOf([
      ['ID', 'Name', 'Date of birth', 'Reason', 'Remarks'],
      ['F-1', 'FORMULA TESTPERSON', '1980-01-01', '+cmd|calc', '=HYPERLINK("http://example.invalid","click")'],
      ['F-2', '@TESTNAME PERSON', '-', '-', '-5 kg'],
      ['F-3', 'PLAIN TESTPERSON', '1981-02-03', 'fraud', 'nothing odd'],
    ]);
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Formulas', kind: 'wanted', fileName: 'formulas.csv', contentBase64: content.toString('base64') });
    let s = await api.call('watchlists.importStatus', { jobId });
    while (s.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      s = await api.call('watchlists.importStatus', { jobId });
    }
    const r = s.report!;
    expect(r).toMatchObject({ rowsRead: 3, imported: 3, rejected: 0, errors: 0, published: true });
    expect(r.problems.map((p) => [p.row, p.column, p.reason, p.params])).toEqual([
      [2, 'D (Reason)', 'row.formulaText', { start: '+' }],
      [2, 'E (Remarks)', 'row.formulaText', { start: '=' }],
      [3, 'B (Name)', 'row.formulaText', { start: '@' }],
      [3, 'E (Remarks)', 'row.formulaText', { start: '-' }],
    ]);
    const e = (await entriesOf(api, 'Formulas')).sort((a, b) => a.sourceRow - b.sourceRow);
    // Stored as written (inert: nothing evaluates it); a cell of a dash alone is the empty placeholder.
    expect(e.map((x) => [x.names[0]!.name, x.dateOfBirth, x.reason, x.remarks])).toEqual([
      ['FORMULA TESTPERSON', '1980-01-01', '+cmd|calc', '=HYPERLINK("http://example.invalid","click")'],
      ['@TESTNAME PERSON', null, null, '-5 kg'],
      ['PLAIN TESTPERSON', '1981-02-03', 'fraud', 'nothing odd'],
    ]);
    // The report workbook: no formula cell, the formula-looking texts prefixed so that Excel shows them as text.
    const x = await api.call('watchlists.exportReport', { jobId });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'), { type: 'buffer', cellFormula: true });
    const ws = wb.Sheets.Entries!;
    expect(Object.values(ws).some((c) => typeof c === 'object' && c !== null && 'f' in c && c.f)).toBe(false);
    const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1 });
    expect(rows[0]).toContain('Remarks');
    const remarksCol = rows[0]!.indexOf('Remarks');
    expect(rows.slice(1).map((row) => [row[2], row[9], row[remarksCol]])).toEqual([
      ['FORMULA TESTPERSON', "'+cmd|calc", `'=HYPERLINK("http://example.invalid","click")`],
      ["'@TESTNAME PERSON", '', "'-5 kg"],
      ['PLAIN TESTPERSON', 'fraud', 'nothing odd'],
    ]);
    engine.close();
  }, 60_000);

  it('an xlsx formula cell keeps its computed value as text with a warning, in a name too; the entry is kept', async () => {
    const { api, engine } = await setUpEngine();
    const content = await xlsxOf([
      ['Name', 'Passport', 'Remarks'],
      [{ formula: 'UPPER("formula testperson")', result: 'FORMULA TESTPERSON' }, 'AB1234567', { formula: 'CONCAT("=1","+1")', result: '=1+1' }],
      ['SECOND TESTPERSON', { formula: '"P"&"7654321"', result: 'P7654321' }, null],
    ]);
    const r = await importBuf(api, 'cached.xlsx', content, 'Cached');
    expect(r).toMatchObject({ imported: 2, rejected: 0 });
    expect(r.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
      [2, 'A (Name)', 'row.formulaKept'],
      [2, 'C (Remarks)', 'row.formulaKept'],
      [3, 'B (Passport)', 'row.formulaKept'],
    ]);
    const e = (await entriesOf(api, 'Cached')).sort((a, b) => a.sourceRow - b.sourceRow);
    expect(e.map((x) => [x.names[0]!.name, x.documents.map((d) => d.number), x.remarks])).toEqual([
      ['FORMULA TESTPERSON', ['AB1234567'], '=1+1'],
      ['SECOND TESTPERSON', ['P7654321'], null],
    ]);
    engine.close();
  }, 60_000);
});

describe('silences turned into report lines', () => {
  it('blank rows inside the data: one line per run (csv blank lines, xlsx missing rows); trailing blank rows are not reported', async () => {
    const { api, engine } = await setUpEngine();
    const csv = Buffer.from('Name,Date of birth\nONE TESTPERSON,1980-01-01\n\nTWO TESTPERSON,1980-01-02\n,\n\n\nTHREE TESTPERSON,1980-01-03\n\n\n');
    const r1 = await importBuf(api, 'blank.csv', csv, 'Blank csv');
    expect(r1).toMatchObject({ rowsRead: 3, imported: 3 });
    expect(r1.problems.map((p) => [p.row, p.reason, p.message])).toEqual([
      [3, 'row.blank', 'the row is blank: skipped'],
      [5, 'row.blankRun', 'rows 5 to 7 are blank: skipped'],
    ]);
    const xlsx = await xlsxOf([['Name', 'Date of birth'], null, ['ONE TESTPERSON', '1980-01-01'], null, null, ['TWO TESTPERSON', '1980-01-02'], ['THREE TESTPERSON', '1980-01-03']]);
    const r2 = await importBuf(api, 'blank.xlsx', xlsx, 'Blank xlsx');
    expect(r2).toMatchObject({ rowsRead: 3, imported: 3 });
    expect(r2.problems.map((p) => [p.row, p.reason, p.params])).toEqual([[2, 'row.blank', {}], [4, 'row.blankRun', { from: 4, to: 5 }]]);
    engine.close();
  }, 60_000);

  it('a column under a duplicate header whose values are not imported is reported with the column that is', async () => {
    const { api, engine } = await setUpEngine();
    const rows = [
      ['Name', 'Passport', 'Passport', 'Remarks', 'Remarks'],
      ['ONE TESTPERSON', 'AB1234567', 'CD7654321', 'first', null],
      ['TWO TESTPERSON', 'EF1111111', null, 'second', null],
    ];
    for (const [fileName, content] of [['dup.csv', csvOf(rows)], ['dup.xlsx', await xlsxOf(rows)]] as const) {
      const r = await importBuf(api, fileName, content, fileName);
      // The second Remarks column is empty: nothing is lost, nothing said.
      expect(byCode(r, 'column.duplicateHeader'), fileName).toEqual([[1, 'C (Passport)', { other: 'B (Passport)', count: 1 }]]);
    }
    engine.close();
  }, 60_000);

  it('duplicate entries: a row equal in every field is imported once; the same person twice (name and date of birth, or a shared ID) is warned of', async () => {
    const { api, engine } = await setUpEngine();
    const rows = [
      ['Name', 'Date of birth', 'National ID', 'Warrant'],
      ['SOMSAK TESTDUP', '14/03/1987', null, 'W-1'],
      ['SOMSAK TESTDUP', '14/03/1987', null, 'W-1'],
      ['TESTDUP SOMSAK', '14/03/1987', null, 'W-2'],
      ['LEK TESTSHARE', null, '1101700203450', 'W-3'],
      ['LEK T. TESTSHARE', null, '1-1017-00203-45-0', 'W-4'],
      ['NODATA TESTPERSON', null, null, null],
      ['NODATA TESTPERSON', null, null, null],
    ];
    for (const [fileName, content] of [['dups.csv', csvOf(rows)], ['dups.xlsx', await xlsxOf(rows)]] as const) {
      const r = await importBuf(api, fileName, content, fileName);
      expect(r, fileName).toMatchObject({ rowsRead: 7, imported: 5, rejected: 0 });
      expect(byCode(r, 'row.duplicateRow'), fileName).toEqual([[3, null, { row: 2 }], [8, null, { row: 7 }]]);
      expect(byCode(r, 'row.samePerson'), fileName).toEqual([[4, null, { row: 2 }], [6, null, { row: 5 }]]);
    }
    engine.close();
  }, 60_000);

  it('UN list: document numbers read out of free text, never glued to its words; the same person twice is warned of', async () => {
    expect(documentNumberIn('CAR diplomatic passport no. D00000897')).toBe('D00000897');
    expect(documentNumberIn('card; diplomatic passport no. D00000897')).toBe('D00000897');
    expect(documentNumberIn('Russian passport number 8208 No. 555627')).toBe('8208555627');
    expect(documentNumberIn('381110042 (Expired 25 Jan. 2016)')).toBe('381110042');
    expect(documentNumberIn('Libya B/002210')).toBe('B002210');
    expect(documentNumberIn('Afghan passport number SE 012820')).toBe('SE012820');
    expect(documentNumberIn('R00012098, South Sudan')).toBe('R00012098');
    expect(documentNumberIn('Diplomatic Passport: Z30321794')).toBe('Z30321794');
    expect(documentNumberIn('unknown')).toBe('');
    const person = (id: string, first: string, docs: string) => `<INDIVIDUAL><DATAID>${id}</DATAID><FIRST_NAME>${first}</FIRST_NAME><SECOND_NAME>TESTUN</SECOND_NAME>
      <REFERENCE_NUMBER>TSi.${id}</REFERENCE_NUMBER>${docs}</INDIVIDUAL>`;
    const doc = (type: string, number: string) => `<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>${type}</TYPE_OF_DOCUMENT><NUMBER>${number}</NUMBER></INDIVIDUAL_DOCUMENT>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00"><INDIVIDUALS>
      ${person('8000001', 'ALPHA', doc('Passport', 'CAR diplomatic passport no. D00000897') + doc('National Identification Number', 'national identity card number 44103-5251752-5'))}
      ${person('8000002', 'BETA', doc('Other', 'diplomatic passport D00000897') + doc('Passport', 'not known'))}
      </INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>`;
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'un.xml', Buffer.from(xml), 'UN test');
    expect(r).toMatchObject({ preset: 'un-xml', imported: 2 });
    const e = (await entriesOf(api, 'UN test')).sort((a, b) => a.sourceRow - b.sourceRow);
    expect(e.map((x) => strip(x).docs)).toEqual([['passport:D00000897', 'national-id:4410352517525'], ['passport:D00000897']]);
    expect(r.problems.map((p) => [p.row, p.reason, p.params])).toEqual([
      [2, 'row.documentNumberLeftOut', {}],
      [2, 'row.samePerson', { row: 1 }],
    ]);
    engine.close();
  }, 60_000);

  it('an English-name column is never the name in another script: Latin values make it the full name (csv, xlsx)', async () => {
    const { api, engine } = await setUpEngine();
    const cases: [string, (string | null)[][], Record<string, number>, string[]][] = [
      // Thai full name and English name side by side: the English one is an alias (the Thai name stays the primary one).
      ['thai-english', [['ชื่อ-นามสกุล', 'ชื่อภาษาอังกฤษ', 'วันเกิด'], ['นายสมชาย ทดสอบดี', 'SOMCHAI THOTSOBDEE', '14/03/2530']],
        { fullName: 0, aliases: 1, dateOfBirth: 2 }, ['primary:นายสมชาย ทดสอบดี', 'alias:SOMCHAI THOTSOBDEE']],
      // The same with an aliases column already: the two name columns swap (the Latin one is the full name).
      ['thai-english-aliases', [['ชื่อ-นามสกุล', 'ชื่อภาษาอังกฤษ', 'ชื่ออื่น'], ['นายสมชาย ทดสอบดี', 'SOMCHAI THOTSOBDEE', 'ต้อม']],
        { fullName: 1, nativeName: 0, aliases: 2 }, ['primary:SOMCHAI THOTSOBDEE', 'alias:นายสมชาย ทดสอบดี', 'alias:ต้อม']],
      // "Name (English)" in Thai is the full name (it was read as the given names); a "native" column of Latin names alone is the full name.
      ['english-only', [['ชื่อ (อังกฤษ)', 'วันเกิด'], ['SOMCHAI THOTSOBDEE', '14/03/2530']], { fullName: 0, dateOfBirth: 1 }, ['primary:SOMCHAI THOTSOBDEE']],
      ['latin-native', [['Native name', 'DOB'], ['JOHN TESTDOE', '1980-01-01']], { fullName: 0, dateOfBirth: 1 }, ['primary:JOHN TESTDOE']],
      // Two "Name" columns, both Latin: the second is the aliases column.
      ['two-names', [['Name', 'Name', 'DOB'], ['JOHN TESTDOE', 'JOHNNY TESTDOE', '1980-01-01']],
        { fullName: 0, aliases: 1, dateOfBirth: 2 }, ['primary:JOHN TESTDOE', 'alias:JOHNNY TESTDOE']],
      // A Thai-script column stays the name in another script.
      ['english-thai', [['Name', 'ชื่อภาษาไทย'], ['SOMCHAI THOTSOBDEE', 'นายสมชาย ทดสอบดี']],
        { fullName: 0, nativeName: 1 }, ['primary:SOMCHAI THOTSOBDEE', 'alias:นายสมชาย ทดสอบดี']],
    ];
    for (const [name, rows, mapping, names] of cases) {
      for (const [ext, content] of [['csv', csvOf(rows)], ['xlsx', await xlsxOf(rows)]] as const) {
        const r = await importBuf(api, `${name}.${ext}`, content, `${name}.${ext}`);
        expect(r.columnMapping, `${name}.${ext}`).toEqual(mapping);
        // Two columns under one header: the report says which is read as what.
        if (name === 'two-names') expect(byCode(r, 'column.duplicateHeaderRead')).toEqual([[1, 'B (Name)', { other: 'A (Name)', otherField: 'fullName', field: 'aliases' }]]);
        expect(await namesOf(api, `${name}.${ext}`)).toEqual([names]);
        // The sex still comes from the Thai title, wherever the Thai name stands.
        if (name.startsWith('thai') || name === 'english-thai') expect((await entriesOf(api, `${name}.${ext}`))[0]!.sex).toBe('M');
      }
    }
    engine.close();
  }, 90_000);
});

describe("a relative's name is never the listed person's name", () => {
  it("headers naming a relative map to no field; the person's own name headers still do", () => {
    for (const h of ['ชื่อบิดา', 'ชื่อมารดา', 'ชื่อคู่สมรส', 'ชื่อ-สกุลบิดา', 'ชื่อสามี', 'ชื่อภรรยา', "Father's name", "Mother's name", 'father name',
      'Spouse name', 'Name of spouse', "Husband's full name", 'Parents names', 'S/O', 'Passport of spouse', "Mother's nationality"]) {
      expect(fieldForHeader(h), h).toBeNull();
    }
    const own: [string, string][] = [['ชื่อ', 'givenNames'], ['ชื่อ-นามสกุล', 'fullName'], ['Name', 'fullName'], ['Person name', 'fullName'],
      ['Full name', 'fullName'], ['Surname', 'surname'], ['นามสกุล', 'surname'], ['Passport No.', 'passport'], ['สัญชาติ', 'nationality']];
    for (const [h, f] of own) expect(fieldForHeader(h), h).toBe(f);
  });

  it("a father's, mother's or spouse's name column is left out and reported as not imported (csv, xlsx)", async () => {
    const { api, engine } = await setUpEngine();
    const rows = [
      ['ชื่อ-นามสกุล', 'ชื่อบิดา', 'ชื่อมารดา', "Father's name", "Mother's name", 'Spouse name', 'ชื่อคู่สมรส', 'วันเกิด'],
      ['นายสมชาย ทดสอบดี', 'นายมานะ ทดสอบดี', 'นางมาลี ทดสอบดี', 'MANA TESTDEE', 'MALEE TESTDEE', 'SUDA TESTDEE', 'นางสุดา ทดสอบดี', '14/03/2530'],
    ];
    for (const [ext, content] of [['csv', csvOf(rows)], ['xlsx', await xlsxOf(rows)]] as const) {
      const list = `relatives.${ext}`;
      const r = await importBuf(api, list, content, list);
      expect(r.columnMapping, list).toEqual({ fullName: 0, dateOfBirth: 7 });
      expect(await namesOf(api, list), list).toEqual([['primary:นายสมชาย ทดสอบดี']]);
      expect(byCode(r, 'column.notImported').map(([, column]) => column), list).toEqual([
        'B (ชื่อบิดา)', 'C (ชื่อมารดา)', "D (Father's name)", "E (Mother's name)", 'F (Spouse name)', 'G (ชื่อคู่สมรส)',
      ]);
    }
    engine.close();
  }, 60_000);
});
