/**
 * Reads a spreadsheet (xlsx, xls, csv/tsv) into sheets of raw cells with the row numbers the user
 * sees. Encodings are detected for text files (BOM, then chardet): UTF-8, UTF-16 and
 * Windows-874/TIS-620. Nothing here knows about watchlists.
 */
import * as XLSX from '@e965/xlsx';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';

/** A cell: its raw value and, for formatted numbers, the text Excel shows (keeps leading zeros). */
export interface Cell {
  v: string | number | boolean | null;
  /** Formatted text as displayed, when it differs from `v`. */
  w?: string;
  /** True when the spreadsheet stores the cell as a date (serial number). */
  date?: boolean;
  /** True when the cell holds a formula (its cached value, if any, is in `v`). */
  formula?: boolean;
}

export interface Sheet {
  name: string;
  /** Rows of cells; `rowNumbers[i]` is the 1-based row number of `rows[i]` as the user sees it. */
  rows: Cell[][];
  rowNumbers: number[];
  /** Zero-based indices of columns hidden in the workbook. */
  hiddenColumns: Set<number>;
  /** Workbook uses the 1904 date system. */
  date1904: boolean;
}


/** Largest uncompressed xlsx content accepted, in bytes (zip bomb guard). */
export const MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

/** Sums the uncompressed sizes in a zip's central directory without inflating anything. */
export function zipUncompressedSize(buf: Buffer): number {
  const min = Math.max(0, buf.length - 65557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BadInputError(reason('file.truncatedZip'));
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (off + 46 > buf.length || buf.readUInt32LE(off) !== 0x02014b50) {
      throw new BadInputError(reason('file.zipDamaged'));
    }
    total += buf.readUInt32LE(off + 24);
    off += 46 + buf.readUInt16LE(off + 28) + buf.readUInt16LE(off + 30) + buf.readUInt16LE(off + 32);
  }
  return total;
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
  let text = decodeText(buf).replace(/\u001a+\s*$/, '');
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

function readWorkbook(buf: Buffer): Sheet[] {
  if (startsWith(buf, ZIP_MAGIC)) {
    if (zipUncompressedSize(buf) > MAX_XLSX_UNCOMPRESSED) {
      throw new BadInputError(reason('file.zipBomb', { mb: MAX_XLSX_UNCOMPRESSED / 1024 / 1024 }));
    }
  } else if (!startsWith(buf, OLE_MAGIC)) {
    throw new BadInputError(reason('file.notWorkbook'));
  }
  let wb: XLSX.WorkBook;
  try {
    // cellStyles: needed for the columns' hidden flags (!cols); cellFormula: formulas are flagged, never evaluated.
    wb = XLSX.read(buf, { type: 'buffer', cellDates: false, cellNF: true, cellText: true, dense: true, cellStyles: true, cellFormula: true });
  } catch {
    throw new BadInputError(reason('file.workbookDamaged'));
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const dense = (ws as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
    const merges = ws['!merges'] ?? [];
    const rows: Cell[][] = [];
    const rowNumbers: number[] = [];
    dense.forEach((r, i) => {
      if (!r) return;
      const cells: Cell[] = [];
      r.forEach((c, j) => {
        if (c?.f) {
          cells[j] = { v: c.v === undefined ? null : (c.v as Cell['v']), w: c.w, formula: true };
          return;
        }
        if (!c || c.t === 'z' || c.v === undefined) return;
        const isDate = c.t === 'n' && typeof c.z === 'string' && (XLSX.SSF as { is_date(fmt: string): boolean }).is_date(c.z);
        cells[j] = { v: c.v as Cell['v'], w: c.w, date: isDate || c.t === 'd' };
      });
      for (let j = 0; j < cells.length; j++) if (!cells[j]) cells[j] = { v: null };
      rows[i] = cells;
    });
    // Merged cells: copy the top-left value across the merge (header cells spanning columns).
    for (const m of merges) {
      const src = rows[m.s.r]?.[m.s.c];
      if (!src || src.v === null) continue;
      for (let r = m.s.r; r <= m.e.r; r++) {
        rows[r] ??= [];
        for (let c = m.s.c; c <= m.e.c; c++) if (!rows[r]![c] || rows[r]![c]!.v === null) rows[r]![c] = { ...src };
      }
    }
    const outRows: Cell[][] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r) continue;
      for (let j = 0; j < r.length; j++) r[j] ??= { v: null };
      outRows.push(r);
      rowNumbers.push(i + 1);
    }
    const hiddenColumns = new Set<number>();
    (ws['!cols'] ?? []).forEach((c, j) => c?.hidden && hiddenColumns.add(j));
    return { name, rows: outRows, rowNumbers, hiddenColumns, date1904 };
  });
}

/**
 * Reads a file by its extension and content. Throws BadInputError with a reason code for
 * files that cannot be read (wrong extension, truncated, zip bomb, binary garbage).
 */
export function readSpreadsheet(buf: Buffer, fileName: string): Sheet[] {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const base = fileName.replace(/\.[^.]+$/, '') || 'Sheet1';
  if (buf.length === 0) throw new BadInputError(reason('file.empty'));
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') return readWorkbook(buf);
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') {
    if (startsWith(buf, ZIP_MAGIC) || startsWith(buf, OLE_MAGIC)) {
      throw new BadInputError(reason('file.workbookAsCsv'));
    }
    return readDelimited(buf, base);
  }
  throw new BadInputError(reason('file.type', { ext }));
}

/** The text of a cell as the user sees it ("" for empty). */
export function cellText(c: Cell | undefined): string {
  if (!c || c.v === null) return '';
  if (typeof c.v === 'number' && c.w !== undefined) return c.w.trim();
  return String(c.v).trim();
}
