/**
 * Import round two (issue 13, part A): identifier cells read with their digits exact, compact
 * dates (`800310`, `19800310`) read by a rule per column, the day/month order of each date column
 * detected and reported (or set in the mapping, CLI --mapping too), two-digit years, and era words
 * before the year. Fixtures are made up and generated here: xlsx by exceljs, xls (BIFF8) by
 * SheetJS, csv as text; stored values are read back through the API.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import type { ImportReport } from '../../shared/contract';
import { identifierText } from '../../electron/core/watchlists/values';
import { DateColumnScan, dobInput } from '../../electron/core/watchlists/date-columns';
import { entriesOf } from './import-helpers';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

type Value = string | number | null;
/** A cell for the generators: a value, optionally with a number format. */
type CellSpec = Value | { v: number; fmt: string };

async function xlsxOf(rows: CellSpec[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) => r.forEach((c, j) => {
    if (c === null) return;
    const cell = ws.getCell(i + 1, j + 1);
    if (typeof c === 'object') {
      cell.value = c.v;
      cell.numFmt = c.fmt;
    } else cell.value = c;
  }));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function xlsOf(rows: CellSpec[][]): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' ? c.v : c))));
  rows.forEach((r, i) => r.forEach((c, j) => {
    if (c !== null && typeof c === 'object') ws[XLSX.utils.encode_cell({ r: i, c: j })]!.z = c.fmt;
  }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
  return XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer;
}

/** A minimal xlsx written by hand: all-digit cells are numbers with their `<v>` text as given, others inline strings. */
function minimalXlsx(rows: string[][]): Buffer {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const cell = (v: string, r: string) => (/^\d+$/.test(v) ? `<c r="${r}"><v>${v}</v></c>` : `<c r="${r}" t="inlineStr"><is><t>${v}</t></is></c>`);
  const sheet = rows.map((row, i) => `<row r="${i + 1}">${row.map((v, j) => cell(v, `${String.fromCharCode(65 + j)}${i + 1}`)).join('')}</row>`).join('');
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    '_rels/.rels': strToU8(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`<?xml version="1.0"?><workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0"?><worksheet ${ns}><sheetData>${sheet}</sheetData></worksheet>`),
  }));
}

const csvOf = (rows: Value[][]): Buffer => Buffer.from(rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n'));

function importBuf(api: ApiClient, fileName: string, content: Buffer, listName: string, extra: Record<string, unknown> = {}): Promise<ImportReport> {
  return api.call('watchlists.import', { listName, kind: 'wanted', fileName, contentBase64: content.toString('base64'), ...extra });
}

async function dobs(api: ApiClient, list: string): Promise<(string | null)[]> {
  return (await entriesOf(api, list)).sort((a, b) => a.sourceRow - b.sourceRow).map((e) => e.dateOfBirth);
}

const warnings = (r: ImportReport, code: string) => r.problems.filter((p) => p.reason === code).map((p) => [p.row, p.column, p.params]);

// A valid Thai national ID (check digit), a 20-digit number no spreadsheet holds, and what is left of
// it: 15 significant digits, as Excel shows it (exceljs writes the same digits into the file).
const THAI_ID = 1101700203450;
const TWENTY = '40281912345678901234';
const TWENTY_AS_READ = '40281912345678900000';

describe('identifiers: read from the cell value with every digit', () => {
  const rows: CellSpec[][] = [
    ['ID', 'Name', 'Passport', 'National ID', 'Reference'],
    [900000000001, 'TESTPERSON ONE', 123456789, THAI_ID, 202600000123],
    [900000000002, 'TESTPERSON TWO', { v: 4711, fmt: '000000000' }, { v: 12345678901, fmt: '0000000000000' }, 7],
    [900000000003, 'TESTPERSON THREE', null, Number(TWENTY), null],
  ];
  const expected = [
    { entryId: '900000000001', docs: ['passport:123456789', 'national-id:1101700203450'], ref: '202600000123' },
    { entryId: '900000000002', docs: ['passport:000004711', 'national-id:0012345678901'], ref: '7' },
    { entryId: '900000000003', docs: [`national-id:${TWENTY_AS_READ}`], ref: null },
  ];
  const check = async (fileName: string, content: Buffer) => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, fileName, content, 'Ids');
    expect(r).toMatchObject({ imported: 3, rejected: 0 });
    const e = (await entriesOf(api, 'Ids')).sort((a, b) => a.sourceRow - b.sourceRow);
    expect(e.map((x) => ({ entryId: x.entryId, docs: x.documents.map((d) => `${d.type}:${d.number}`), ref: x.reference }))).toEqual(expected);
    // The 20-digit number is kept as read and flagged; 12- and 13-digit ones are exact, not flagged.
    expect(warnings(r, 'row.idDigitsLost')).toEqual([[4, 'D (National ID)', { digits: 20 }]]);
    engine.close();
  };
  it('xlsx: a 13-digit national ID number is stored exactly, not as 11017E12 (its General display)', async () => {
    await check('ids.xlsx', await xlsxOf(rows));
  });
  it('xls (BIFF8, SheetJS): the same', async () => {
    await check('ids.xls', xlsOf(rows));
  });
  it('csv: text identifiers stay as written, leading zeros included', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'ids.csv', csvOf([
      ['ID', 'Name', 'Passport', 'National ID'], ['0001', 'TESTPERSON ONE', '000004711', '1101700203450'], ['0002', 'TESTPERSON TWO', 'AA123', '0012345678901'],
    ]), 'Csv');
    expect(r).toMatchObject({ imported: 2, warnings: 1 }); // the second ID's check digit
    const e = (await entriesOf(api, 'Csv')).sort((a, b) => a.sourceRow - b.sourceRow);
    expect(e.map((x) => [x.entryId, ...x.documents.map((d) => d.number)])).toEqual([['0001', '000004711', '1101700203450'], ['0002', 'AA123', '0012345678901']]);
    engine.close();
  });
  it('xlsx holding every digit of a 20-digit number (as openpyxl writes an int): the file\'s digits kept, flagged', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'raw.xlsx', minimalXlsx([['National ID', 'Name'], [TWENTY, 'TESTPERSON RAW'], ['1101700203450', 'TESTPERSON TWO']]), 'Raw');
    const e = (await entriesOf(api, 'Raw')).sort((a, b) => a.sourceRow - b.sourceRow);
    expect(e.map((x) => x.documents.map((d) => d.number))).toEqual([[TWENTY], ['1101700203450']]);
    expect(warnings(r, 'row.idDigitsLost')).toEqual([[2, 'A (National ID)', { digits: 20 }]]);
    engine.close();
  });
  it('identifierText: value digits, display zeros, long numbers flagged', () => {
    expect(identifierText({ v: THAI_ID, w: '1.1017E+12' })).toEqual({ text: '1101700203450', digitsLost: 0 });
    expect(identifierText({ v: 4711, w: '0004711' })).toEqual({ text: '0004711', digitsLost: 0 });
    expect(identifierText({ v: 1e21, w: '1E+21' })).toEqual({ text: '1000000000000000000000', digitsLost: 22 });
    expect(identifierText({ v: 1234567890123456, w: '1.23457E+15' })).toEqual({ text: '1234567890123460', digitsLost: 16 });
    expect(identifierText({ v: 999999999999999, w: '1E+15' })).toEqual({ text: '999999999999999', digitsLost: 0 });
    // The file's own digits (xlsx `<v>` written by a tool that kept them all) win over the double.
    expect(identifierText({ v: Number(TWENTY), w: '4.02819E+19', raw: TWENTY })).toEqual({ text: TWENTY, digitsLost: 20 });
    expect(identifierText({ v: '  AB 123 ' })).toEqual({ text: 'AB 123', digitsLost: 0 });
  });
});

describe('compact dates: a rule per column, never an Excel serial', () => {
  it('xlsx: text 800310 and a General number 991231 in a DOB column read as YYMMDD (the only reading fitting all)', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'compact.xlsx', await xlsxOf([
      ['Name', 'Date of birth'], ['A ONE', '800310'], ['B TWO', '650101'], ['C THREE', '250101'], ['D FOUR', 991231],
      ['E FIVE', { v: 31850, fmt: 'dd/mm/yyyy' }],
    ]), 'Compact');
    expect(await dobs(api, 'Compact')).toEqual(['1980-03-10', '1965-01-01', '2025-01-01', '1999-12-31', '1987-03-14']);
    expect(r.dateColumns).toMatchObject([{ column: 'B (Date of birth)', compact: [{ digits: 6, rule: 'YYMMDD', source: 'detected', values: 4, fitting: 4 }] }]);
    expect(r.warnings).toBe(0);
    engine.close();
  });
  it('csv: DDMMYY told from the values (day 80 and month 25 do not exist)', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'ddmmyy.csv', csvOf([['Name', 'DOB'], ['A ONE', '100380'], ['B TWO', '250190'], ['C THREE', '010203']]), 'D');
    expect(await dobs(api, 'D')).toEqual(['1980-03-10', '1990-01-25', '2003-02-01']);
    expect(r.dateColumns?.[0]?.compact).toEqual([{ digits: 6, rule: 'DDMMYY', source: 'detected', values: 3, fitting: 3 }]);
    engine.close();
  });
  it('csv: a column every reading fits is read YYMMDD, reported; the mapping can say otherwise', async () => {
    const { api, engine } = await setUpEngine();
    const file = csvOf([['Name', 'DOB'], ['A ONE', '010203'], ['B TWO', '020304']]);
    const r = await importBuf(api, 'amb.csv', file, 'Amb');
    expect(await dobs(api, 'Amb')).toEqual(['2001-02-03', '2002-03-04']);
    expect(warnings(r, 'column.compactDateAssumed')).toEqual([[1, 'B (DOB)', { digits: 6, rule: 'YYMMDD' }]]);
    const given = await importBuf(api, 'amb.csv', file, 'Amb2', { compactDates: 'DDMMYY' });
    expect(await dobs(api, 'Amb2')).toEqual(['2003-02-01', '2004-03-02']);
    expect(given.dateColumns?.[0]?.compact).toMatchObject([{ rule: 'DDMMYY', source: 'given' }]);
    expect(warnings(given, 'column.compactDateAssumed')).toEqual([]);
    engine.close();
  });
  it('xls: eight-digit numbers and text read as YYYYMMDD; DDMMYYYY in another column file', async () => {
    const { api, engine } = await setUpEngine();
    await importBuf(api, 'ymd.xls', xlsOf([['Name', 'DOB'], ['A ONE', 19800310], ['B TWO', '20011231']]), 'Ymd');
    expect(await dobs(api, 'Ymd')).toEqual(['1980-03-10', '2001-12-31']);
    await importBuf(api, 'dmy.xls', xlsOf([['Name', 'DOB'], ['A ONE', 10031980], ['B TWO', '31122001'], ['C THREE', '14032530']]), 'Dmy');
    expect(await dobs(api, 'Dmy')).toEqual(['1980-03-10', '2001-12-31', '1987-03-14']);
    engine.close();
  });
  it('dobInput: date-formatted numbers are serials; six-digit numbers and text are compact; text is never a serial', () => {
    expect(dobInput({ v: 31850, date: true })).toEqual({ kind: 'number', value: 31850 });
    expect(dobInput({ v: 31850 })).toEqual({ kind: 'number', value: 31850 });
    expect(dobInput({ v: 250101, w: '250101' })).toEqual({ kind: 'compact', digits: '250101' });
    expect(dobInput({ v: 10180, w: '010180' })).toEqual({ kind: 'compact', digits: '010180' });
    expect(dobInput({ v: 10180 }, true)).toEqual({ kind: 'compact', digits: '010180' });
    expect(dobInput({ v: ' 800310 ' })).toEqual({ kind: 'compact', digits: '800310' });
    expect(dobInput({ v: '31850' })).toEqual({ kind: 'text', text: '31850' });
  });
});

describe('date order per column: detected, reported, settable', () => {
  it('csv: a value over 12 in the second position makes the column month first (was read day first)', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'mdy.csv', csvOf([['Name', 'Date of birth'], ['A ONE', '03/11/1990'], ['B TWO', '12/25/1985'], ['C THREE', '1/2/1970']]), 'Mdy');
    expect(await dobs(api, 'Mdy')).toEqual(['1990-03-11', '1985-12-25', '1970-01-02']);
    expect(r.dateColumns).toEqual([{
      sheet: 'mdy', column: 'B (Date of birth)', order: 'mdy', orderSource: 'detected', dayFirst: 0, monthFirst: 1, undecided: 2,
      dayFirstRow: null, monthFirstRow: 3, compact: [], twoDigitYears: 'ce',
    }]);
    expect(r.warnings).toBe(0);
    engine.close();
  });
  it('the whole column decides before the first row is converted (csv and xlsx past the 30 head rows)', async () => {
    const { api, engine } = await setUpEngine();
    const rows: Value[][] = [['Name', 'DOB'], ...Array.from({ length: 60 }, (_, i): Value[] => [`PERSON ${i}`, `0${1 + (i % 9)}/02/1980`]), ['LAST ONE', '02/28/1981']];
    const expected = [...Array.from({ length: 60 }, (_, i) => `1980-0${1 + (i % 9)}-02`), '1981-02-28'];
    const csv = await importBuf(api, 'long.csv', csvOf(rows), 'LongCsv');
    expect(await dobs(api, 'LongCsv')).toEqual(expected);
    expect(csv.dateColumns?.[0]).toMatchObject({ order: 'mdy', orderSource: 'detected', monthFirstRow: 62, undecided: 53 }); // 02/02 (7 of the 60) is the same day either way
    const xlsx = await importBuf(api, 'long.xlsx', await xlsxOf(rows), 'LongXlsx');
    expect(await dobs(api, 'LongXlsx')).toEqual(expected);
    expect(xlsx.dateColumns?.[0]).toMatchObject({ order: 'mdy', monthFirstRow: 62 });
    engine.close();
  });
  it('xlsx: a column that cannot tell is read day first with a warning; the mapping sets month first', async () => {
    const { api, engine } = await setUpEngine();
    const file = await xlsxOf([['Name', 'DOB'], ['A ONE', '03/11/1990'], ['B TWO', '04/05/1980']]);
    const r = await importBuf(api, 'undecided.xlsx', file, 'U');
    expect(await dobs(api, 'U')).toEqual(['1990-11-03', '1980-05-04']);
    expect(r.dateColumns?.[0]).toMatchObject({ order: 'dmy', orderSource: 'default', undecided: 2 });
    expect(warnings(r, 'column.dateOrderAssumed')).toEqual([[1, 'B (DOB)', {}]]);
    const given = await importBuf(api, 'undecided.xlsx', file, 'U2', { dateOrder: 'mdy' });
    expect(await dobs(api, 'U2')).toEqual(['1990-03-11', '1980-04-05']);
    expect(given.dateColumns?.[0]).toMatchObject({ order: 'mdy', orderSource: 'given' });
    expect(given.warnings).toBe(0);
    engine.close();
  });
  it('csv: both orders in one column: the majority, and the conflict reported with its rows', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'conflict.csv', csvOf([['Name', 'DOB'], ['A ONE', '13/01/1990'], ['B TWO', '01/13/1990'], ['C THREE', '14/02/1980']]), 'C');
    expect(await dobs(api, 'C')).toEqual(['1990-01-13', '1990', '1980-02-14']);
    expect(warnings(r, 'column.dateOrderConflict')).toEqual([[1, 'B (DOB)', { dayFirstRow: 2, monthFirstRow: 3, order: 'dd/mm' }]]);
    expect(warnings(r, 'row.dobKeptYear').map((w) => w[0])).toEqual([3]);
    engine.close();
  });
  it('two-digit years: past rule, and Buddhist Era in a BE column; an era word before the year', async () => {
    const { api, engine } = await setUpEngine();
    const r = await importBuf(api, 'yy.csv', csvOf([['Name', 'DOB'], ['A ONE', '14/03/87'], ['B TWO', '01/02/20']]), 'Yy');
    expect(await dobs(api, 'Yy')).toEqual(['1987-03-14', '2020-02-01']);
    expect(r.dateColumns?.[0]).toMatchObject({ twoDigitYears: 'ce' });
    const be = await importBuf(api, 'be.csv', csvOf([['Name', 'DOB'], ['A ONE', '14/03/2530'], ['B TWO', '01/02/30'], ['C THREE', '14 กุมภาพันธ์ พ.ศ. 2531']]), 'Be');
    expect(await dobs(api, 'Be')).toEqual(['1987-03-14', '1987-02-01', '1988-02-14']);
    expect(be.dateColumns?.[0]).toMatchObject({ twoDigitYears: 'be', orderSource: 'detected', order: 'dmy' });
    expect(be.warnings).toBe(0);
    engine.close();
  });
  it('the scan keeps counts only, and reads the order from the rows it is given', () => {
    const s = new DateColumnScan(Date.UTC(2026, 11, 7));
    for (let i = 0; i < 1000; i++) s.add({ v: '01/02/1990' }, i + 2);
    s.add({ v: '01/30/1990' }, 1002);
    expect(s.decide('S', 'B (DOB)', 1).report).toMatchObject({ order: 'mdy', orderSource: 'detected', undecided: 1000, monthFirstRow: 1002 });
  });
});

describe("the desk's typed date of birth", () => {
  it('six digits typed at screening: the one past reading (800310), or refused as ambiguous (250101), never a serial', async () => {
    const { api, engine } = await setUpEngine();
    await importBuf(api, 'desk.csv', csvOf([['Name', 'DOB'], ['TESTPERSON DESKDATE', '10/03/1980']]), 'Desk');
    const one = await api.call('screening.screen', { traveler: { fullName: 'TESTPERSON DESKDATE', dateOfBirth: '800310' } });
    expect(one.warnings).toEqual([]);
    expect(one.hits[0]?.explanation.fields.find((f) => f.field === 'dateOfBirth')?.status).toBe('agree');
    // Before: serial 250101 (year 2584, BE rule: 2041-09-30), silently.
    const two = await api.call('screening.screen', { traveler: { fullName: 'TESTPERSON DESKDATE', dateOfBirth: '250101' } });
    expect(two.warnings.map((w) => [w.reason, w.params.detail])).toEqual([['traveler.dobByName', 'date.compactAmbiguous']]);
    expect(two.hits[0]?.explanation.fields.find((f) => f.field === 'dateOfBirth')).toBeUndefined();
    engine.close();
  });
});

describe('CLI: --mapping carries the date order, and the report prints the date rule', () => {
  it('reads {"dateOrder": "mdy"} from the mapping file', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const cli = join(import.meta.dirname, '../../bin/watchdesk.mjs');
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined },
    });
    expect(run(['--db', db, 'init']).status).toBe(0);
    const csv = join(dir, 'u.csv');
    writeFileSync(csv, 'Name,DOB\nA ONE,03/11/1990\nB TWO,04/05/1980\n');
    const plain = run(['--db', db, 'import', csv, '--list', 'P', '--dry-run']);
    expect(plain.stdout).toContain('dates in u column B (DOB): day first (dd/mm), assumed: no date tells (2 could be either)');
    const mapping = join(dir, 'm.json');
    writeFileSync(mapping, JSON.stringify({ fullName: 0, dateOfBirth: 1, dateOrder: 'mdy' }));
    const r = run(['--db', db, '--format', 'json', 'import', csv, '--list', 'M', '--mapping', mapping]);
    expect(r.status).toBe(0);
    const rep = JSON.parse(r.stdout) as ImportReport;
    expect(rep.dateColumns?.[0]).toMatchObject({ order: 'mdy', orderSource: 'given' });
    expect(rep.preview.map((e) => e.dateOfBirth)).toEqual(['1990-03-11', '1980-04-05']);
    const text = run(['--db', db, 'import', csv, '--list', 'M2', '--mapping', mapping, '--dry-run', '--report', join(dir, 'r.xlsx')]);
    expect(text.stdout).toContain('month first (mm/dd), set in the mapping');
    // The report workbook carries the same line in its summary.
    const summary = XLSX.utils.sheet_to_json<string[]>(XLSX.read(readFileSync(join(dir, 'r.xlsx'))).Sheets.Summary!, { header: 1 });
    expect(summary.find((row) => row[0] === 'Dates of birth')?.[1]).toContain('month first (mm/dd), set in the mapping');
  });
});

describe('a csv whose quotes are broken', () => {
  it('is refused with the row where the quote opens, nothing imported (papaparse would read every later row into one cell)', async () => {
    const { api, engine } = await setUpEngine();
    const body = (remark: string) => Buffer.from(`ID,Name,Remarks\nR-1,ALPHA TESTPERSON,${remark}\nR-2,BRAVO TESTPERSON,x\nR-3,CHARLIE TESTPERSON,y\n`).toString('base64');
    for (const remark of ['=HYPERLINK("http://x","y")', '"never closed', '"closed" then more']) {
      const e = await api.call('watchlists.import', { listName: 'Quotes', kind: 'wanted', fileName: 'q.csv', contentBase64: body(remark) }).then(() => null, (x: unknown) => x);
      expect(e, remark).toMatchObject({ code: 'bad_input', reason: 'file.csvQuotes', params: { row: 2 } });
    }
    expect((await api.call('watchlists.list')).map((l) => l.name)).not.toContain('Quotes');
    // Written as CSV requires (the cell quoted, its quotes doubled), the formula is a remark like any other.
    const ok = await api.call('watchlists.import', { listName: 'Quotes', kind: 'wanted', fileName: 'q.csv', contentBase64: body('"=HYPERLINK(""http://x"",""y"")"') });
    expect([ok.rowsRead, ok.imported, ok.rejected]).toEqual([3, 3, 0]);
    expect((await entriesOf(api, 'Quotes')).find((x) => x.entryId === 'R-1')?.remarks).toBe('=HYPERLINK("http://x","y")');
    await engine.shutdown();
  });
});
