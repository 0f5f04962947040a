/**
 * Reads a spreadsheet (xlsx, xlsm, xls, csv/tsv/txt) into sheets of raw cells with the row
 * numbers the user sees. xlsx/xlsm are read by a streaming reader (xlsx.ts: fflate + saxes,
 * synchronous, with progress and early stop); legacy .xls by SheetJS (sheetjs.ts). Encodings are
 * detected for text files (BOM, then chardet): UTF-8, UTF-16 and Windows-874/TIS-620. Nothing
 * here knows about watchlists.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { readWithSheetJS } from './sheetjs';
import type { Cell, RowHandler, Sheet, WorkbookReader } from './types';
import { openXlsx } from './xlsx';

export type { Cell, ReadOptions, RowHandler, Sheet, WorkbookReader } from './types';
export { MAX_SHEET_COLUMNS, MAX_SHEET_ROWS } from './types';
export { MAX_XLSX_UNCOMPRESSED } from './xlsx';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

/**
 * `text` without the DOS end-of-file bytes (0x1A) it ends with, and the spaces after them. Scanned
 * from the end: the pattern `/\u001a+\s*$/` was tried from every byte of a long run of them
 * (quadratic: 22 s for 50,000).
 */
export function withoutDosEof(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  let start = end;
  while (start > 0 && text.charCodeAt(start - 1) === 0x1a) start--;
  return start < end ? text.slice(0, start) : text;
}

/** Decodes a text file's bytes: BOM first, then detection; Thai legacy files are Windows-874. */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf16be');
  const sample = buf.subarray(0, 64 * 1024);
  const utf8 = sample.toString('utf8');
  // Valid UTF-8 (allowing a sequence cut at the sample's end) is taken as UTF-8.
  if (!utf8.slice(0, -4).includes('\uFFFD')) return buf.toString('utf8');
  const guess = (chardet.detect(sample) ?? '').toLowerCase();
  if (guess.startsWith('utf-16le')) return iconv.decode(buf, 'utf16le');
  if (guess.startsWith('utf-16be')) return iconv.decode(buf, 'utf16be');
  // Thai bytes (0xA1..0xFB) dominate: TIS-620 / Windows-874 (a superset).
  let thai = 0;
  let high = 0;
  for (const b of sample) {
    if (b >= 0x80) high++;
    if (b >= 0xa1 && b <= 0xfb) thai++;
  }
  if (guess.includes('874') || guess.includes('tis') || (high > 0 && thai / high > 0.9)) return iconv.decode(buf, 'win874');
  if (guess && iconv.encodingExists(guess)) return iconv.decode(buf, guess);
  return iconv.decode(buf, 'win1252');
}

function readDelimited(buf: Buffer, name: string): Sheet[] {
  // Public lists (OFAC) end with a DOS end-of-file byte (0x1A): drop it.
  let text = withoutDosEof(decodeText(buf));
  if (text.includes('\u0000')) throw new BadInputError(reason('file.binary'));
  text = text.replace(/\r\n?/g, '\n');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimitersToGuess: [',', ';', '\t', '|'] });
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  // Papa reports rows in order; row numbers follow the line count of each parsed row's text.
  let line = 1;
  for (const r of parsed.data) {
    const cells = r.map((v) => ({ v: v === '' ? null : v }));
    rows.push(cells);
    rowNumbers.push(line);
    line += 1 + r.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
  }
  while (rows.length && rows[rows.length - 1]!.every((c) => c.v === null)) {
    rows.pop();
    rowNumbers.pop();
  }
  return [{ name, rows, rowNumbers, hiddenColumns: new Set(), date1904: false }];
}

/** A reader over sheets already in memory (csv, and .xls read by SheetJS). */
function materializedReader(sheets: Sheet[]): WorkbookReader {
  return {
    sheetNames: sheets.map((s) => s.name),
    date1904: sheets[0]?.date1904 ?? false,
    readRows(name: string, onRow: RowHandler) {
      const sheet = sheets.find((s) => s.name === name);
      if (!sheet) throw new BadInputError(reason('file.noSheet', { sheet: name.slice(0, 60) }));
      for (let i = 0; i < sheet.rows.length; i++) if (onRow(sheet.rows[i]!, sheet.rowNumbers[i]!) === false) break;
      return { hiddenColumns: sheet.hiddenColumns };
    },
    planReads() {},
  };
}

/**
 * Opens a workbook from its bytes, by content first: a zip is read as xlsx/xlsm (streaming, see
 * xlsx.ts), an OLE compound file as legacy .xls (SheetJS, whole, at most 65,536 rows); csv, tsv
 * and txt files are one sheet named after the file. `onProgress(fraction 0..1)` is called at the
 * start, at least every ~1 MB of inflated XML (shared strings and sheets included) and, for xls
 * and text files, before and after the one-piece read; the fraction counts compressed bytes read
 * (each sheet is planned twice: its scan and its read), stays below 1 and, when a sheet is read
 * again, stops moving rather than going back. Throws BadInputError with a reason code for
 * anything unreadable: `file.empty`, `file.type`, `file.notWorkbook`, `file.workbookAsCsv`,
 * `file.binary`, `file.truncatedZip`, `file.zipDamaged`, `file.zipBomb`, `file.noWorkbookPart`,
 * `file.xlsb`, `file.encrypted`, `file.noSheets`, `file.partXmlDamaged`, `file.zipEntryDamaged`,
 * `file.workbookDamaged` (.xls), and from `readRows` the sheet-level codes (types.ts).
 */
export function openWorkbook(buf: Buffer, fileName: string, onProgress?: (fraction: number) => void): WorkbookReader {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const base = fileName.replace(/\.[^.]+$/, '') || 'Sheet1';
  if (buf.length === 0) throw new BadInputError(reason('file.empty'));
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') {
    if (startsWith(buf, ZIP_MAGIC)) return openXlsx(buf, onProgress);
    if (!startsWith(buf, OLE_MAGIC)) throw new BadInputError(reason('file.notWorkbook'));
    onProgress?.(0);
    const sheets = readWithSheetJS(buf);
    onProgress?.(0.99);
    return materializedReader(sheets);
  }
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') {
    if (startsWith(buf, ZIP_MAGIC) || startsWith(buf, OLE_MAGIC)) {
      throw new BadInputError(reason('file.workbookAsCsv'));
    }
    onProgress?.(0);
    const sheets = readDelimited(buf, base);
    onProgress?.(0.99);
    return materializedReader(sheets);
  }
  throw new BadInputError(reason('file.type', { ext }));
}

/**
 * Reads a whole file into memory, every sheet in workbook order (see openWorkbook for the
 * formats, progress and errors; a missing or damaged sheet is an error, not a skipped sheet).
 * Meant for small files and tests: large imports read rows with `openWorkbook(...).readRows`.
 */
export function readSpreadsheet(buf: Buffer, fileName: string, onProgress?: (fraction: number) => void): Sheet[] {
  const book = openWorkbook(buf, fileName, onProgress);
  return book.sheetNames.map((name) => {
    const rows: Cell[][] = [];
    const rowNumbers: number[] = [];
    const { hiddenColumns } = book.readRows(name, (cells, rowNumber) => {
      rows.push(cells);
      rowNumbers.push(rowNumber);
    });
    return { name, rows, rowNumbers, hiddenColumns, date1904: book.date1904 };
  });
}

/** The text of a cell as the user sees it ("" for empty). */
export function cellText(c: Cell | undefined): string {
  if (!c || c.v === null) return '';
  if (typeof c.v === 'number' && c.w !== undefined) return c.w.trim();
  return String(c.v).trim();
}
