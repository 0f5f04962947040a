/**
 * The spreadsheet reader (electron/core/spreadsheet): the streaming xlsx reader against the
 * former SheetJS path (differential), hostile and damaged files (flipped bytes, a merge over the
 * whole sheet, missing parts), the cell semantics it must keep, early stop and progress. Every
 * workbook here is generated in the test (made-up data) or is a fixture under test/fixtures.
 */
import * as XLSX from '@e965/xlsx';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../electron/core/errors';
import { cellText, openWorkbook, readSpreadsheet, type Cell, type Sheet } from '../../electron/core/spreadsheet/read';
import { readWithSheetJS } from '../../electron/core/spreadsheet/sheetjs';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

interface BookSpec {
  sheets: { name: string; xml: string }[];
  sst?: string;
  styles?: string;
  date1904?: boolean;
  extra?: Zippable;
  omit?: string[];
}

/** An xlsx package from XML strings (zipped with fflate, deflated). */
function book(spec: BookSpec): Buffer {
  const files: Zippable = {
    // SheetJS finds the shared strings and styles through the content types; the new reader through the relationships.
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>${spec.sheets.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`).join('')}${spec.sst === undefined ? '' : `<Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/>`}${spec.styles === undefined ? '' : `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>`}</Types>`),
    '_rels/.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}>${spec.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${spec.sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${spec.sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`),
  };
  spec.sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(s.xml)));
  if (spec.sst !== undefined) files['xl/sharedStrings.xml'] = strToU8(`<sst ${NS}>${spec.sst}</sst>`);
  if (spec.styles !== undefined) files['xl/styles.xml'] = strToU8(`<styleSheet ${NS}>${spec.styles}</styleSheet>`);
  Object.assign(files, spec.extra ?? {});
  for (const o of spec.omit ?? []) delete files[o];
  return Buffer.from(zipSync(files, { level: 6 }));
}
const sheetXml = (data: string, before = '', after = '') => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}>${before}<sheetData>${data}</sheetData>${after}</worksheet>`;
const one = (data: string, more: Partial<BookSpec> = {}, before = '', after = '') => book({ sheets: [{ name: 'S', xml: sheetXml(data, before, after) }], ...more });

/** The reason code of the BadInputError `f` throws (fails on anything else). */
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof BadInputError) return e.reason.code;
    throw e;
  }
  throw new Error('no error thrown');
}

/** Sheets as plain data (Sets as arrays) for comparison. */
const plain = (sheets: Sheet[]) => sheets.map((s) => ({ ...s, hiddenColumns: [...s.hiddenColumns].sort((a, b) => a - b) }));

/** A SheetJS-written workbook with shared strings, number formats, dates, formulas, errors, merges and hidden columns. */
function sheetjsBook(bookType: 'xlsx' | 'xls', date1904 = false): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([
    ['รายชื่อ (ตัวอย่าง)', null, null, null, null, null],
    ['Name', 'ID', 'Born', 'Amount', 'Flag', 'Note'],
    ['สมชาย ใจดี', 1234, 30388, 1234.5, true, 'a & b < c'],
    ['Anna Test', 42, 12000.25, -0.125, false, 'line1\nline2'],
  ]);
  ws.B3!.z = '000000';
  ws.B4!.z = '000000';
  ws.C3!.z = 'yyyy-mm-dd';
  ws.C4!.z = 'd-mmm-yy h:mm';
  ws.D3!.z = '#,##0.00';
  ws.F5 = { t: 'n', v: 3, f: 'B3+1' };
  ws.A6 = { t: 'e', v: 0x2a };
  ws.B6 = { t: 's', v: 'x', f: 'CONCAT("x")' };
  ws['!ref'] = 'A1:F6';
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 5 } }, { s: { r: 4, c: 0 }, e: { r: 5, c: 2 } }];
  ws['!cols'] = [{}, { hidden: true }, {}, { hidden: true }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Data');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['x', 1], [null, 2]]), 'Second');
  if (date1904) wb.Workbook = { WBProps: { date1904: true } };
  return XLSX.write(wb, { type: 'buffer', bookType, bookSST: true, compression: true }) as Buffer;
}

function xlsxFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return xlsxFilesUnder(p);
    return /\.xls[xm]$/i.test(f) ? [p] : [];
  });
}

describe('differential: the streaming xlsx reader gives what the SheetJS path gives', () => {
  // Deliberate differences, none of which any file below exercises (each is tested on its own further down):
  // - merges are clamped to the rows holding cells and the columns up to the last cell (both paths do it now);
  // - a row holding only empty styled cells (SheetJS "stubs") is not a row: it holds no cell;
  // - `_xHHHH_` escapes and entities in a `t="str"` cell are decoded once (SheetJS decodes them twice);
  // - any `<f>` element flags a formula (SheetJS misses empty ones and shared formulas before their master);
  // - implicit number formats (ids 27-36, 50-58: CJK dates) are dates from the first cell on (SheetJS loads
  //   them into a process-wide table on first use, so only later cells are dates), and formats never leak
  //   from one workbook to the next;
  // - a damaged workbook is refused with a specific reason code where SheetJS threw a TypeError.
  const fixtures = [...xlsxFilesUnder(join(__dirname, '../fixtures')), ...xlsxFilesUnder('/work/shared/data')];
  it('finds the fixtures (test/fixtures; /work/shared/data holds no xlsx)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    expect(xlsxFilesUnder('/work/shared/data')).toEqual([]);
  });
  for (const file of fixtures) {
    it(file.replace(/.*\/fixtures\//, 'fixtures/'), () => {
      const buf = readFileSync(file);
      let old: Sheet[] | Error;
      try {
        // The former reader sent only zip (xlsx) and OLE (xls) files to SheetJS.
        if (buf.readUInt32LE(0) !== 0x04034b50) throw new BadInputError({ code: 'file.notWorkbook' });
        old = readWithSheetJS(buf);
      } catch (e) {
        old = e as Error;
      }
      if (old instanceof Error) {
        // Refused by both (bad-truncated, bad-garbage, bad-zipbomb), each with a clear reason.
        expect(old).toBeInstanceOf(BadInputError);
        expect(() => readSpreadsheet(buf, file)).toThrow(BadInputError);
        return;
      }
      expect(plain(readSpreadsheet(buf, file))).toEqual(plain(old));
    });
  }
  it('a SheetJS-written workbook (shared strings, formats, dates, formulas, errors, merges, hidden columns)', () => {
    const buf = sheetjsBook('xlsx');
    const sheets = readSpreadsheet(buf, 'g.xlsx');
    expect(plain(sheets)).toEqual(plain(readWithSheetJS(buf)));
    const [data] = sheets;
    expect(data!.rows[2]![1]).toEqual({ v: 1234, w: '001234', date: false });
    expect(data!.rows[2]![2]).toEqual({ v: 30388, w: '1983-03-13', date: true });
    expect(data!.rows[0]!.map(cellText)).toEqual(Array(6).fill('รายชื่อ (ตัวอย่าง)'));
    expect([...data!.hiddenColumns]).toEqual([1, 3]);
  });
  it('the same in the 1904 date system', () => {
    const buf = sheetjsBook('xlsx', true);
    const sheets = readSpreadsheet(buf, 'g.xlsx');
    expect(plain(sheets)).toEqual(plain(readWithSheetJS(buf)));
    expect(sheets[0]!.date1904).toBe(true);
  });
});

describe('cell semantics', () => {
  it('shared strings: plain and rich text, phonetic runs left out, _x000D_ escapes, CRLF folded', () => {
    const sst = '<si><t>plain</t></si><si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space="preserve">ch </t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>'
      + '<si><t>a_x000D_&#10;b_x0009_c</t></si><si><t>x &amp; y</t></si>';
    const buf = one('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>', { sst });
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rows[0]!.map((c) => c.v)).toEqual(['plain', 'rich ', 'a\nb\tc', 'x & y']);
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('inline strings and t="str" cells, with escapes', () => {
    const buf = one('<row r="1"><c r="A1" t="inlineStr"><is><t>ชื่อ_x000D_</t></is></c><c r="B1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c><c r="C1" t="str"><v>tab_x0009_x</v></c><c r="D1" t="str"/></row>');
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rows[0]!.map((c) => c.v)).toEqual(['ชื่อ\r', 'ab', 'tab\tx', '']);
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('numbers keep the text Excel shows ("000000" keeps leading zeros); booleans, errors', () => {
    const styles = '<numFmts count="1"><numFmt numFmtId="164" formatCode="000000"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs>';
    const buf = one('<row r="1"><c r="A1" s="1"><v>1234</v></c><c r="B1"><v>0.1</v></c><c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#N/A</v></c><c r="E1" s="2"><v>45000</v></c><c r="F1"><v>123456789012</v></c></row>', { styles });
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rows[0]).toEqual([
      { v: 1234, w: '001234', date: false }, { v: 0.1, w: '0.1', date: false }, { v: true, w: 'TRUE', date: false },
      { v: 0x2a, w: '#N/A', date: false }, { v: 45000, w: '3/15/23', date: true }, { v: 123456789012, w: '1.23457E+11', date: false },
    ]);
    expect(cellText(s!.rows[0]![0])).toBe('001234');
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('dates in the 1900 and the 1904 systems (serial kept, date flag, the text shown)', () => {
    const styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>';
    for (const date1904 of [false, true]) {
      const buf = one('<row r="1"><c r="A1" s="1"><v>30388</v></c><c r="B1" t="d"><v>1983-03-13</v></c></row>', { styles, date1904 });
      const [s] = readSpreadsheet(buf, 'x.xlsx');
      expect(s!.date1904).toBe(date1904);
      expect(s!.rows[0]![0]).toEqual({ v: 30388, w: date1904 ? '3/14/87' : '3/13/83', date: true });
      expect(s!.rows[0]![1]!.v).toBe(date1904 ? 28926 : 30388);
      expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
    }
  });
  it('formulas are flagged, never evaluated; the cached value is kept', () => {
    const buf = one('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C1"><f>NOW()</f></c><c r="D1"><v>5</v></c></row>');
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rows[0]).toEqual([
      { v: 2, w: '2', formula: true }, { v: 'ab', w: 'ab', formula: true }, { v: 0, formula: true }, { v: 5, w: '5', date: false },
    ]);
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('hidden columns (<cols>), rows and cells without r attributes', () => {
    const buf = one('<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c r="C2"><v>2</v></c><c><v>3</v></c></row><row r="5"><c><v>4</v></c></row><row><c><v>5</v></c></row>',
      {}, '<cols><col min="2" max="3" hidden="1"/><col min="5" max="5" hidden="true"/><col min="6" max="6" width="9"/></cols>');
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rowNumbers).toEqual([1, 2, 5, 6]);
    expect(s!.rows.map((r) => r.map(cellText))).toEqual([['a', '1'], ['', '', '2', '3'], ['4'], ['5']]);
    expect([...s!.hiddenColumns]).toEqual([1, 2, 4]);
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('sheet names, order and part paths come from workbook.xml and its relationships', () => {
    const buf = book({ sheets: [{ name: 'B &amp; C', xml: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') }, { name: 'ชีต_x0020_2', xml: sheetXml('') }] });
    expect(openWorkbook(buf, 'x.xlsx').sheetNames).toEqual(['B & C', 'ชีต 2']);
    expect(readSpreadsheet(buf, 'x.xlsm').map((s) => s.rows.length)).toEqual([1, 0]);
  });
});

describe('merged ranges are clamped to the sheet\'s real data', () => {
  it('<mergeCell ref="A1:XFD1048576"/> (the 17-billion-cell file) reads fine and small', () => {
    const buf = one('<row r="1"><c r="A1" t="inlineStr"><is><t>T</t></is></c></row><row r="3"><c r="A3"><v>1</v></c><c r="C3"><v>2</v></c></row>', {}, '', '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
    expect(buf.length).toBeLessThan(2000);
    const t = Date.now();
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(Date.now() - t).toBeLessThan(1000);
    // Rows 1 and 3 only (row 2 holds no cell), columns A..C only (C is the last holding a cell).
    expect(s!.rowNumbers).toEqual([1, 3]);
    expect(s!.rows.map((r) => r.map(cellText))).toEqual([['T', 'T', 'T'], ['1', 'T', '2']]);
    // The SheetJS path (kept for .xls) clamps the same way.
    expect(plain(readWithSheetJS(buf))).toEqual(plain([s!]));
  });
  it('the same clamp on the .xls (SheetJS) path', () => {
    const ws = XLSX.utils.aoa_to_sheet([['Title', null], ['a', 'b']]);
    ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 65535, c: 255 } }];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const [s] = readSpreadsheet(XLSX.write(wb, { type: 'buffer', bookType: 'xls' }) as Buffer, 'x.xls');
    expect(s!.rows.map((r) => r.map(cellText))).toEqual([['Title', 'Title'], ['a', 'b']]);
  });
  it('a header spanning columns is copied across; overlapping ranges after the first are ignored', () => {
    const buf = one('<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="C1" t="inlineStr"><is><t>DOB</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"><v>3</v></c></row>',
      {}, '', '<mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="B1:C1"/></mergeCells>');
    const [s] = readSpreadsheet(buf, 'x.xlsx');
    expect(s!.rows[0]!.map(cellText)).toEqual(['Name', 'Name', 'DOB']);
  });
  it('merges filling millions of cells are refused clearly', () => {
    const rows = Array.from({ length: 6000 }, (_v, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c>${i === 0 ? '<c r="ALL1"><v>1</v></c>' : ''}</row>`).join('');
    const merges = Array.from({ length: 6000 }, (_v, i) => `<mergeCell ref="A${i + 1}:ALL${i + 1}"/>`).join('');
    const buf = one(rows, {}, '', `<mergeCells>${merges}</mergeCells>`);
    expect(codeOf(() => readSpreadsheet(buf, 'x.xlsx'))).toBe('file.mergesTooLarge');
  });
});

describe('hostile and damaged workbooks: a clear BadInputError, quickly, never a hang or a TypeError', () => {
  const rows = Array.from({ length: 40 }, (_v, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>ทดสอบ ${i}</t></is></c><c r="B${i + 1}"><v>${i * 7}</v></c></row>`).join('');
  const valid = one(rows, { sst: '<si><t>x</t></si>', styles: '<cellXfs><xf numFmtId="0"/></cellXfs>' });
  const reference = JSON.stringify(plain(readSpreadsheet(valid, 'x.xlsx')));

  /** Where the compressed bytes of `name` lie in the zip `buf`. */
  function dataRange(buf: Buffer, name: string): [number, number] {
    const at = buf.indexOf(Buffer.from(name));
    const local = at - 30;
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    return [start, start + buf.readUInt32LE(local + 18)];
  }
  function expectRefusedOrSame(buf: Buffer): string {
    const t = Date.now();
    let outcome: string;
    try {
      outcome = JSON.stringify(plain(readSpreadsheet(buf, 'x.xlsx')));
      // A flip that changes nothing inflated (unused bits) reads the same file.
      expect(outcome).toBe(reference);
      outcome = 'same';
    } catch (e) {
      expect(e).toBeInstanceOf(BadInputError);
      outcome = (e as BadInputError).reason.code;
    }
    expect(Date.now() - t).toBeLessThan(2000);
    return outcome;
  }

  it('one flipped byte anywhere in the compressed sheet data (every position, 3 bit patterns)', () => {
    const [start, end] = dataRange(valid, 'xl/worksheets/sheet1.xml');
    const codes = new Map<string, number>();
    for (let i = start; i < end; i++) {
      for (const mask of [0x01, 0x10, 0xff]) {
        const bad = Buffer.from(valid);
        bad[i]! ^= mask;
        const c = expectRefusedOrSame(bad);
        codes.set(c, (codes.get(c) ?? 0) + 1);
      }
    }
    expect(codes.get('file.zipEntryDamaged')).toBeGreaterThan((end - start) * 2);
    for (const c of codes.keys()) expect(['same', 'file.zipEntryDamaged', 'file.sheetXmlDamaged']).toContain(c);
  });
  it('one flipped byte anywhere else in the package (headers, directory, other parts)', () => {
    const [start, end] = dataRange(valid, 'xl/worksheets/sheet1.xml');
    for (let i = 0; i < valid.length; i++) {
      if (i >= start && i < end) continue;
      const bad = Buffer.from(valid);
      bad[i]! ^= 0x5a;
      expectRefusedOrSame(bad);
    }
  });
  it('the file cut short at any length', () => {
    for (let n = 1; n < valid.length; n += 7) expectRefusedOrSame(valid.subarray(0, n));
  });
  it('missing parts, no sheets, damaged XML and references', () => {
    expect(codeOf(() => readSpreadsheet(one('', { omit: ['xl/workbook.xml'] }), 'x.xlsx'))).toBe('file.noWorkbookPart');
    expect(codeOf(() => readSpreadsheet(book({ sheets: [] }), 'x.xlsx'))).toBe('file.noSheets');
    expect(codeOf(() => readSpreadsheet(one('', { omit: ['xl/worksheets/sheet1.xml'] }), 'x.xlsx'))).toBe('file.sheetMissing');
    expect(codeOf(() => readSpreadsheet(one('<row r="1"><c r="A1" t="s"><v>3</v></c></row>'), 'x.xlsx'))).toBe('file.sharedStringMissing');
    expect(codeOf(() => readSpreadsheet(one('<row r="1"><c r="A1"><v>1</v></row>'), 'x.xlsx'))).toBe('file.sheetXmlDamaged');
    expect(codeOf(() => readSpreadsheet(one('<row r="1"><c r="A1"><v>&bomb;</v></c></row>'), 'x.xlsx'))).toBe('file.sheetXmlDamaged');
    expect(codeOf(() => readSpreadsheet(one('', { sst: '<si><t>x</si>' }), 'x.xlsx'))).toBe('file.partXmlDamaged');
    expect(codeOf(() => readSpreadsheet(one('<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'), 'x.xlsx'))).toBe('file.rowsOutOfOrder');
    expect(codeOf(() => readSpreadsheet(one('<row r="1048577"><c><v>1</v></c></row>'), 'x.xlsx'))).toBe('file.rowOutOfRange');
    expect(codeOf(() => readSpreadsheet(one('<row r="1"><c r="ALM1"><v>1</v></c></row>'), 'x.xlsx'))).toBe('file.sheetTooWide');
    expect(codeOf(() => readSpreadsheet(one('', { extra: { 'xl/workbook.bin': new Uint8Array(4) }, omit: ['xl/workbook.xml'] }), 'x.xlsx'))).toBe('file.xlsb');
    expect(codeOf(() => openWorkbook(one(''), 'x.xlsx').readRows('Nope', () => {}))).toBe('file.noSheet');
  });
  it('an encrypted entry and an unknown compression method', () => {
    const [start] = dataRange(valid, 'xl/worksheets/sheet1.xml');
    const local = valid.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) - 30;
    const central = valid.indexOf(Buffer.from('xl/worksheets/sheet1.xml'), start) - 46;
    const enc = Buffer.from(valid);
    enc.writeUInt16LE(1, central + 8);
    expect(codeOf(() => readSpreadsheet(enc, 'x.xlsx'))).toBe('file.encrypted');
    const lzma = Buffer.from(valid);
    lzma.writeUInt16LE(14, central + 10);
    expect(codeOf(() => readSpreadsheet(lzma, 'x.xlsx'))).toBe('file.zipMethod');
    expect(local).toBeGreaterThanOrEqual(0);
  });
  it('a central directory that under-declares a size is caught while inflating', () => {
    const central = valid.indexOf(Buffer.from('xl/worksheets/sheet1.xml'), dataRange(valid, 'xl/worksheets/sheet1.xml')[0]) - 46;
    const lying = Buffer.from(valid);
    lying.writeUInt32LE(100, central + 24);
    expect(codeOf(() => readSpreadsheet(lying, 'x.xlsx'))).toBe('file.zipEntryDamaged');
  });
  it('the .xls path: no sheets, garbage, every SheetJS failure a BadInputError', () => {
    const CFB = (XLSX as unknown as { CFB: { utils: { cfb_new(): unknown; cfb_add(c: unknown, n: string, d: Uint8Array): void }; write(c: unknown, o: object): Uint8Array } }).CFB;
    const cfb = CFB.utils.cfb_new();
    const rec = (type: number, data: number[]) => [type & 255, type >> 8, data.length & 255, data.length >> 8, ...data];
    CFB.utils.cfb_add(cfb, 'Workbook', Uint8Array.from([...rec(0x0809, [0, 6, 5, 0, ...Array<number>(12).fill(0)]), ...rec(0x000a, [])]));
    expect(codeOf(() => readSpreadsheet(Buffer.from(CFB.write(cfb, { type: 'buffer' })), 'x.xls'))).toBe('file.noSheets');
    const xls = sheetjsBook('xls');
    expect(readSpreadsheet(xls, 'x.xls')[0]!.rows[2]![1]).toEqual({ v: 1234, w: '001234', date: false });
    for (let i = 512; i < xls.length; i += 97) {
      const bad = Buffer.from(xls);
      bad[i]! ^= 0xff;
      try {
        readSpreadsheet(bad, 'x.xls');
      } catch (e) {
        expect(e).toBeInstanceOf(BadInputError);
      }
    }
  });
});

describe('streaming: early stop and progress', () => {
  it('onRow returning false stops the read (only those rows are parsed)', () => {
    const rows = Array.from({ length: 5000 }, (_v, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const wb = openWorkbook(one(rows), 'x.xlsx');
    const seen: number[] = [];
    wb.readRows('S', (_cells, n) => {
      seen.push(n);
      return seen.length < 30;
    });
    expect(seen).toEqual(Array.from({ length: 30 }, (_v, i) => i + 1));
    // A second full read of the same sheet works.
    let count = 0;
    wb.readRows('S', () => void count++);
    expect(count).toBe(5000);
  });
  it('reports progress at least every ~1 MB of inflated XML, in every phase', () => {
    const sst = Array.from({ length: 60000 }, (_v, i) => `<si><t>ชื่อ ${i}</t></si>`).join('');
    const rows = Array.from({ length: 60000 }, (_v, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c><c r="B${i + 1}"><v>${i}</v></c></row>`).join('');
    const buf = one(rows, { sst });
    const calls: number[] = [];
    const wb = openWorkbook(buf, 'x.xlsx', (f) => calls.push(f));
    const afterOpen = calls.length;
    // A report at least every 1 MB, give or take one 256 KB slice.
    const per = (1 << 20) + (1 << 18);
    expect(afterOpen).toBeGreaterThanOrEqual(1 + Math.floor(sst.length / per));
    let n = 0;
    wb.readRows('S', (cells) => {
      if (++n === 60000) expect(cellText(cells[0])).toBe('ชื่อ 59999');
    });
    // Two passes over the sheet (scan, read): each reports per MB.
    expect(calls.length - afterOpen).toBeGreaterThanOrEqual(Math.floor((2 * rows.length) / per));
    expect(calls.every((f, i) => f >= 0 && f < 1 && (i === 0 || f >= calls[i - 1]!))).toBe(true);
  });
  it('readSpreadsheet and cellText keep working for csv (one sheet)', () => {
    const [s] = readSpreadsheet(Buffer.from('name,id\nA,001\n'), 'list.csv');
    expect(s!.name).toBe('list');
    expect(s!.rows.map((r) => r.map((c: Cell) => cellText(c)))).toEqual([['name', 'id'], ['A', '001']]);
  });
});
