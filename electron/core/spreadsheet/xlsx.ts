/**
 * A streaming, synchronous xlsx/xlsm reader (ECMA-376 Part 1, SpreadsheetML, sections 18.2-18.8),
 * built to survive hostile files: parts are inflated with fflate in small steps (zip.ts, size and
 * CRC checked), XML is parsed with saxes chunk by chunk (UTF-8 decoded with a streaming
 * TextDecoder), and a progress callback fires at least every ~1 MB of inflated XML so that a
 * watchdog can tell a long read from a stuck one.
 *
 * Each sheet is read in two passes over its inflated XML: a cheap byte scan finds the merged
 * ranges (which the file stores AFTER the cells) and the last column holding a cell; then saxes
 * reads the cells, emitting rows in order with merges already applied, and stops as soon as the
 * caller has enough rows or `</sheetData>` is reached. Sheets up to 8 MB of XML are inflated
 * once and kept for both passes (and further reads of the same sheet); larger ones are inflated
 * once per pass rather than held in memory.
 *
 * The shared-strings table is held packed (PackedStrings: a few large byte blocks, not millions
 * of strings), and progress is planned over every pass the caller makes (`planReads`), so that
 * an import's fraction keeps moving through the head, a one-column prescan (`columns`: only that
 * column's cells are built) and the conversion. Display texts of numbers are remembered per
 * format (dates repeat down a column).
 *
 * Cell semantics are those of SheetJS `XLSX.read(..., { cellNF, cellText, cellFormula, dense })`
 * as wrapped by the former reader (`v`, `w` from `XLSX.SSF.format`, `date` from
 * `XLSX.SSF.is_date`, `formula`); test/unit/spreadsheet-read.test.ts checks this differentially
 * and lists the deliberate differences (clamped merges, single `_xHHHH_` decoding, ...).
 */
import * as XLSX from '@e965/xlsx';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { reason, type Reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import {
  MAX_MERGED_FILLS, MAX_MERGES, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, type Cell, type ReadOptions, type RowHandler, type WorkbookReader,
} from './types';
import { inflateEntry, readZipDirectory, type ZipEntry } from './zip';

/**
 * Largest total uncompressed size of an xlsx package, in bytes (zip bomb guard, over every entry
 * of the central directory; each entry's size is also enforced while it is inflated). The
 * 300,000-row x 22-column test workbooks need 336 MB (inline strings) to 575 MB (every cell a
 * distinct Thai shared string); the sheet is streamed, so the limit bounds reading time, not memory.
 */
export const MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024;
/** Sheets whose XML is at most this many bytes are inflated once and kept for both passes. */
const KEEP_INFLATED = 8 * 1024 * 1024;
/**
 * Weight of a compressed byte of a sheet in the progress plan, by pass, against 1 for the other
 * parts (shared strings, styles): what a compressed MB cost in each pass of an import of the
 * 300,000-row x 22-column benchmark workbook (test/bench/wide-xlsx.ts; per compressed MB about
 * 0.6 s for the shared strings, 0.16 s for the scan, 0.8 s for a one-column read and 2.4 s for a
 * full read with the importer's conversion of each row), so that the fraction moves at a steady
 * pace rather than rushing through the cheap passes.
 */
const PASS_WEIGHT = { scan: 0.3, columns: 1.3, read: 4 };
/** Inflated bytes between two progress calls, at most (plus one inflate step). */
const PROGRESS_EVERY = 1024 * 1024;

const SSF = XLSX.SSF as unknown as { format(fmt: string, v: unknown, opts?: { date1904?: boolean }): string; is_date(fmt: string): boolean };

/** SheetJS's built-in number formats (its `table_fmt`, ECMA-376 18.8.30) and implicit ones (`SSFImplicit`). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??',
  14: 'm/d/yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
  22: 'm/d/yy h:mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00;(#,##0.00)', 40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@', 56: '"上午/下午 "hh"時"mm"分"ss"秒 "',
  5: '"$"#,##0_);\\("$"#,##0\\)', 6: '"$"#,##0_);[Red]\\("$"#,##0\\)', 7: '"$"#,##0.00_);\\("$"#,##0.00\\)',
  8: '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)', 23: 'General', 24: 'General', 25: 'General', 26: 'General',
  27: 'm/d/yy', 28: 'm/d/yy', 29: 'm/d/yy', 30: 'm/d/yy', 31: 'm/d/yy', 32: 'h:mm:ss', 33: 'h:mm:ss', 34: 'h:mm:ss', 35: 'h:mm:ss',
  36: 'm/d/yy', 41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)', 42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
  43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)', 44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
  50: 'm/d/yy', 51: 'm/d/yy', 52: 'm/d/yy', 53: 'm/d/yy', 54: 'm/d/yy', 55: 'm/d/yy', 57: 'm/d/yy', 58: 'm/d/yy',
  59: '0', 60: '0.00', 61: '#,##0', 62: '#,##0.00', 63: '"$"#,##0_);\\("$"#,##0\\)', 64: '"$"#,##0_);[Red]\\("$"#,##0\\)',
  65: '"$"#,##0.00_);\\("$"#,##0.00\\)', 66: '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)', 67: '0%', 68: '0.00%', 69: '# ?/?', 70: '# ??/??',
  71: 'm/d/yy', 72: 'm/d/yy', 73: 'd-mmm-yy', 74: 'd-mmm', 75: 'mmm-yy', 76: 'h:mm', 77: 'h:mm:ss', 78: 'm/d/yy h:mm', 79: 'mm:ss',
  80: '[h]:mm:ss', 81: 'mmss.0',
};

/** Error values (ECMA-376 18.18.8) as SheetJS numbers them (its RBErr / BErr). */
const ERROR_CODES: Record<string, number> = {
  '#NULL!': 0x00, '#DIV/0!': 0x07, '#VALUE!': 0x0f, '#REF!': 0x17, '#NAME?': 0x1d, '#NUM!': 0x24, '#N/A': 0x2a, '#GETTING_DATA': 0x2b, '#WTF?': 0xff,
};

/** Decodes `_xHHHH_` escapes (ECMA-376 22.4.2.4) and folds CRLF to LF, as SheetJS does for cell text. */
function cellString(s: string): string {
  if (s.includes('_x') || s.includes('_X')) s = s.replace(/_x([\da-f]{4})_/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s.includes('\r') ? s.replace(/\r\n/g, '\n') : s;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
/** A date as an Excel serial number (SheetJS `datenum`, including the 1900 leap-year bug). */
function dateSerial(d: Date, date1904: boolean): number {
  let res = (d.getTime() - EPOCH_1900) / DAY_MS;
  if (date1904) {
    res -= 1462;
    return res < -1402 ? res - 1 : res;
  }
  return res < 60 ? res - 1 : res;
}
/** An ISO 8601 date-time string (cell type `d`) as a Date (SheetJS `parseDate`). */
function parseIsoDate(s: string, date1904: boolean): Date {
  let m = /^(\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s);
  if (m) {
    const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
    return new Date(base + ((parseInt(m[1]!, 10) * 60 + parseInt(m[2]!, 10)) * 60 + (m[3] ? parseInt(m[3].slice(1), 10) : 0)) * 1000
      + (m[4] ? parseInt((m[4] + '000').slice(1, 4), 10) : 0));
  }
  m = /^(\d+)-(\d+)-(\d+)$/.exec(s);
  if (m) return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, 0, 0, 0, 0));
  m = /^(\d+)-(\d+)-(\d+)[T ](\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s);
  if (m) {
    return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, (m[6] && parseInt(m[6].slice(1), 10)) || 0,
      (m[7] && parseInt((m[7] + '0000').slice(1, 4), 10)) || 0));
  }
  return new Date(s);
}

/** A zero-based column index from letters ("A" = 0, "XFD" = 16383), or -1. */
function columnIndex(letters: string): number {
  let c = 0;
  for (let i = 0; i < letters.length; i++) c = c * 26 + (letters.charCodeAt(i) & 0xdf) - 64;
  return c - 1;
}
const CELL_REF = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Bytes of inflated XML handed on at a time (so that progress is reported every ~1 MB even for highly compressed parts). */
const SLICE = 256 * 1024;
/** Calls `f` on consecutive slices of `chunk` of at most SLICE bytes; stops when `f` returns false. */
function sliced(chunk: Uint8Array, f: (part: Uint8Array) => boolean | void): boolean {
  for (let i = 0; i < chunk.length; i += SLICE) if (f(chunk.subarray(i, Math.min(i + SLICE, chunk.length))) === false) return false;
  return true;
}

/** Thrown by saxes' error handler: the XML is not well-formed. */
class XmlSyntaxError extends Error {}

/**
 * Reports progress: compressed bytes consumed over those planned, at most every PROGRESS_EVERY
 * inflated bytes. The plan can change as reading goes (a sheet read once more than planned, or
 * less): the fraction reached is then kept and what is left of it is spread over the work now
 * left, so that the fraction never goes back and never stops moving while bytes are read.
 */
class Progress {
  /** Fraction reached when the plan last changed. */
  private base = 0;
  /** Compressed bytes consumed and planned since then. */
  private done = 0;
  private planned = 0;
  private sinceReport = 0;
  constructor(private readonly cb?: (fraction: number) => void) {}
  /** Adds `bytes` (may be negative: work no longer coming) to the compressed bytes still to read. */
  plan(bytes: number): void {
    const f = this.fraction();
    const left = Math.max(0, this.planned - this.done) + bytes;
    this.base = f;
    this.done = 0;
    this.planned = Math.max(0, left);
  }
  input(compressed: number): void {
    this.done += compressed;
  }
  inflated(bytes: number): void {
    this.sinceReport += bytes;
    if (this.sinceReport >= PROGRESS_EVERY) this.report();
  }
  report(): void {
    this.sinceReport = 0;
    this.cb?.(Math.min(0.99, this.fraction()));
  }
  private fraction(): number {
    return this.planned > 0 ? this.base + (1 - this.base) * Math.min(1, this.done / this.planned) : this.base;
  }
}

/** A streaming XML parse of bytes given chunk by chunk; `failReason` is thrown for malformed XML. */
class XmlStream {
  readonly parser: SaxesParser = new SaxesParser({ position: false });
  private decoder: TextDecoder | null = null;
  constructor(private readonly failReason: Reason) {
    this.parser.on('error', () => {
      throw new XmlSyntaxError('malformed XML');
    });
  }
  write(chunk: Uint8Array): void {
    if (!this.decoder) {
      const enc = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      this.decoder = new TextDecoder(enc);
    }
    this.guard(() => this.parser.write(this.decoder!.decode(chunk, { stream: true })));
  }
  close(): void {
    this.guard(() => {
      if (this.decoder) this.parser.write(this.decoder.decode());
      this.parser.close();
    });
  }
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw new BadInputError(this.failReason);
      throw e;
    }
  }
}

/**
 * Most bytes the shared-strings table may take once read (packed below): text a worksheet can
 * refer to. The 300,000-row x 22-column benchmark workbook (3.3 million distinct Thai strings,
 * test/bench/wide-xlsx.ts) takes about 170 MB (56 MB at 100,000 rows); a table beyond this limit is refused
 * (`file.parseTooLarge`) rather than held, since this memory lies outside the parse worker's heap
 * ceiling (guarded-worker.ts).
 */
export const MAX_SHARED_STRING_BYTES = 768 * 1024 * 1024;
/** Bytes per block of the packed shared-strings table. */
const STRING_BLOCK = 16 * 1024 * 1024;

/** Decodes the Thai-packed entries (Windows-874: ASCII, and Thai U+0E01..U+0E5B at 0xA1..0xFB). */
const THAI_DECODER = new TextDecoder('windows-874');

/**
 * True when every code unit of `s` is ASCII or a Thai character that Windows-874 / TIS-620 holds
 * in one byte (U+0E01..U+0E3A, U+0E3F..U+0E5B).
 */
function packsAsThai(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && !((c >= 0x0e01 && c <= 0x0e3a) || (c >= 0x0e3f && c <= 0x0e5b))) return false;
  }
  return true;
}

/**
 * The shared-strings table, packed: the text of every entry in large byte blocks, one byte a
 * character for Latin-1 and for ASCII-and-Thai text (Windows-874), else UTF-16LE, with typed
 * arrays of where each lies. Millions of entries cost a few big buffers instead of millions of
 * JavaScript strings, which keeps them out of the heap the garbage collector walks (a
 * 3.3-million-entry table held as strings made every full collection of a large read slow, and
 * its substrings kept whole chunks of the XML alive), and Thai text takes half the bytes it takes
 * in a string. `get` decodes an entry afresh each time.
 */
export class PackedStrings {
  private blocks: Buffer[] = [];
  private block: Buffer | null = null;
  private used = 0;
  private total = 0;
  private where = new Uint32Array(1024);
  /** Byte length * 4 + encoding (0 Latin-1, 1 UTF-16LE, 2 Windows-874). */
  private sizes = new Uint32Array(1024);
  private blockOf = new Uint32Array(1024);
  /** Number of entries. */
  length = 0;

  /** Appends an entry. Throws BadInputError `file.parseTooLarge` beyond MAX_SHARED_STRING_BYTES. */
  push(s: string): void {
    const kind = !/[^\u0000-\u00ff]/.test(s) ? 0 : packsAsThai(s) ? 2 : 1;
    const bytes = kind === 1 ? s.length * 2 : s.length;
    this.total += bytes;
    if (this.total > MAX_SHARED_STRING_BYTES) throw new BadInputError(reason('file.parseTooLarge', { mb: MAX_SHARED_STRING_BYTES / 1024 / 1024 }));
    if (!this.block || this.used + bytes > this.block.length) {
      // Blocks grow with the table (64 KB first), so that a small workbook holds little.
      this.block = Buffer.allocUnsafe(Math.max(Math.min(STRING_BLOCK, Math.max(65536, this.total)), bytes));
      this.blocks.push(this.block);
      this.used = 0;
    }
    const n = this.length;
    if (n === this.where.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.where = grow(this.where);
      this.sizes = grow(this.sizes);
      this.blockOf = grow(this.blockOf);
    }
    if (kind === 2) {
      const b = this.block;
      for (let i = 0, o = this.used; i < s.length; i++, o++) {
        const c = s.charCodeAt(i);
        b[o] = c < 0x80 ? c : c - 0x0e01 + 0xa1;
      }
    } else this.block.write(s, this.used, bytes, kind === 1 ? 'utf16le' : 'latin1');
    this.where[n] = this.used;
    this.sizes[n] = bytes * 4 + kind;
    this.blockOf[n] = this.blocks.length - 1;
    this.used += bytes;
    this.length++;
  }

  /** Entry `i`, or undefined beyond the table. */
  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const start = this.where[i]!;
    const size = this.sizes[i]!;
    const end = start + Math.floor(size / 4);
    const block = this.blocks[this.blockOf[i]!]!;
    const kind = size % 4;
    return kind === 2 ? THAI_DECODER.decode(block.subarray(start, end)) : block.toString(kind === 1 ? 'utf16le' : 'latin1', start, end);
  }
}

/** A relationship of a part (Open Packaging Conventions). */
interface Rel {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** Resolves a relationship target against the folder of the part `from` ("xl/workbook.xml"). */
function resolvePath(target: string, from: string): string {
  const t = target.replace(/\\/g, '/');
  if (t.startsWith('/')) return t.slice(1);
  const out = from.split('/');
  out.pop();
  for (const step of t.split('/')) {
    if (step === '..') out.pop();
    else if (step !== '.' && step !== '') out.push(step);
  }
  return out.join('/');
}
function relsPathOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

/** Per-sheet results of the byte scan (pass 1). */
interface SheetScanResult {
  /** Merged ranges, four zero-based numbers each (first row, first column, last row, last column), in file order. */
  merges: Int32Array;
  /** Last column index holding a cell element that can carry a value, or -1. */
  maxCol: number;
}

const enc = (s: string) => Array.from(s, (ch) => ch.charCodeAt(0));
const NAME_SHEETDATA = enc('sheetData');
const NAME_ROW = enc('row');
const NAME_C = enc('c');
const NAME_MERGECELL = enc('mergeCell');
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Pass 1 over a worksheet's bytes: a tolerant tag scanner (comments, CDATA and processing
 * instructions skipped) that records the last column holding a cell that can carry a value and
 * the `<mergeCell ref>` ranges after `</sheetData>`. Well-formedness is left to pass 2.
 */
class SheetScanner {
  maxCol = -1;
  private merges: number[] = [];
  private mergeCount = 0;
  private state = 0; // 0 before sheetData, 1 inside, 2 after
  private col = -1;
  private carry: Uint8Array | null = null;
  /** Terminator being skipped to (comment, CDATA, long uninteresting tag), or null. */
  private skipTo: number[] | null = null;
  constructor(private readonly sheet: string) {}

  feed(chunk: Uint8Array): void {
    let b = chunk;
    if (this.carry) {
      const n = new Uint8Array(this.carry.length + chunk.length);
      n.set(this.carry);
      n.set(chunk, this.carry.length);
      b = n;
      this.carry = null;
    }
    let i = 0;
    const len = b.length;
    while (i < len) {
      if (this.skipTo) {
        const end = indexOfSeq(b, this.skipTo, i);
        if (end < 0) {
          // Keep the last bytes: the terminator may straddle chunks.
          this.carry = b.slice(Math.max(i, len - this.skipTo.length + 1));
          return;
        }
        i = end + this.skipTo.length;
        this.skipTo = null;
        continue;
      }
      const lt = b.indexOf(0x3c, i);
      if (lt < 0) return;
      const next = b[lt + 1];
      if (next === undefined) {
        this.carry = b.slice(lt);
        return;
      }
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        if (lt + 9 > len) {
          this.carry = b.slice(lt);
          return;
        }
        if (b[lt + 2] === 0x2d && b[lt + 3] === 0x2d) this.skipTo = [0x2d, 0x2d, 0x3e];
        else if (b[lt + 2] === 0x5b) this.skipTo = [0x5d, 0x5d, 0x3e];
        else this.skipTo = next === 0x3f ? [0x3f, 0x3e] : [0x3e];
        i = lt + 2;
        continue;
      }
      const gt = b.indexOf(0x3e, lt);
      if (gt < 0) {
        if (len - lt > 65536) {
          // A tag this long is never one of those scanned: skip to its end.
          if (this.interesting(b, lt, len)) throw new BadInputError(reason('file.sheetXmlDamaged', { sheet: this.sheet }));
          this.skipTo = [0x3e];
          i = lt + 1;
          continue;
        }
        this.carry = b.slice(lt);
        return;
      }
      this.tag(b, lt, gt);
      i = gt + 1;
    }
  }

  result(): SheetScanResult {
    return { merges: Int32Array.from(this.merges), maxCol: this.maxCol };
  }

  /** The tag's local name starts at `s` (after "<" or "</" and any prefix); returns [start, end). */
  private name(b: Uint8Array, lt: number, end: number): [number, number] {
    let s = lt + 1;
    if (b[s] === 0x2f) s++;
    let e = s;
    while (e < end && !isSpace(b[e]!) && b[e] !== 0x2f && b[e] !== 0x3e) {
      if (b[e] === 0x3a) s = e + 1;
      e++;
    }
    return [s, e];
  }

  private interesting(b: Uint8Array, lt: number, end: number): boolean {
    const [s, e] = this.name(b, lt, end);
    return [NAME_SHEETDATA, NAME_ROW, NAME_C, NAME_MERGECELL].some((n) => same(b, s, e, n));
  }

  private tag(b: Uint8Array, lt: number, gt: number): void {
    const closing = b[lt + 1] === 0x2f;
    const [s, e] = this.name(b, lt, gt);
    const selfClosing = b[gt - 1] === 0x2f;
    if (this.state === 0) {
      if (!closing && same(b, s, e, NAME_SHEETDATA)) this.state = selfClosing ? 2 : 1;
      return;
    }
    if (this.state === 1) {
      if (closing) {
        if (same(b, s, e, NAME_SHEETDATA)) this.state = 2;
        return;
      }
      if (same(b, s, e, NAME_ROW)) this.col = -1;
      else if (same(b, s, e, NAME_C)) {
        const r = attrRange(b, e, gt, 'r');
        const col = r ? refColumn(b, r[0], r[1]) : -1;
        this.col = col >= 0 ? col : this.col + 1;
        // A self-closing cell holds a value only for these types (SheetJS: "" or false).
        if (this.col > this.maxCol && (!selfClosing || ['str', 'inlineStr', 'b'].includes(attr(b, e, gt, 't') ?? ''))) this.maxCol = this.col;
      }
      return;
    }
    if (!closing && same(b, s, e, NAME_MERGECELL)) {
      const ref = attr(b, e, gt, 'ref');
      const m = ref === null ? null : /^\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?\s*$/.exec(ref);
      if (!m) return;
      if (++this.mergeCount > MAX_MERGES) throw new BadInputError(reason('file.tooManyMerges', { sheet: this.sheet, max: MAX_MERGES }));
      const r1 = parseInt(m[2]!, 10) - 1;
      const c1 = columnIndex(m[1]!);
      const r2 = m[4] ? parseInt(m[4], 10) - 1 : r1;
      const c2 = m[3] ? columnIndex(m[3]) : c1;
      this.merges.push(Math.min(r1, r2), Math.min(c1, c2), Math.max(r1, r2), Math.max(c1, c2));
    }
  }
}

function same(b: Uint8Array, s: number, e: number, name: number[]): boolean {
  if (e - s !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[s + k] !== name[k]) return false;
  return true;
}
function indexOfSeq(b: Uint8Array, seq: number[], from: number): number {
  for (let i = b.indexOf(seq[0]!, from); i >= 0; i = b.indexOf(seq[0]!, i + 1)) {
    let k = 1;
    while (k < seq.length && b[i + k] === seq[k]) k++;
    if (k === seq.length) return i;
    if (i + k >= b.length) return -1;
  }
  return -1;
}
/** Where the value of attribute `name` (no prefix) lies in the tag bytes [from, to): [start, end), or null. */
function attrRange(b: Uint8Array, from: number, to: number, name: string): [number, number] | null {
  let i = from;
  while (i < to) {
    while (i < to && (isSpace(b[i]!) || b[i] === 0x2f)) i++;
    const ns = i;
    while (i < to && b[i] !== 0x3d && !isSpace(b[i]!)) i++;
    const ne = i;
    while (i < to && isSpace(b[i]!)) i++;
    if (b[i] !== 0x3d) return null;
    i++;
    while (i < to && isSpace(b[i]!)) i++;
    const q = b[i];
    if (q !== 0x22 && q !== 0x27) return null;
    const vs = ++i;
    while (i < to && b[i] !== q) i++;
    if (ne - ns === name.length) {
      let k = 0;
      while (k < name.length && b[ns + k] === name.charCodeAt(k)) k++;
      if (k === name.length) return [vs, i];
    }
    i++;
  }
  return null;
}
/** The value of attribute `name` (no prefix) in the tag bytes [from, to), or null. */
function attr(b: Uint8Array, from: number, to: number, name: string): string | null {
  const r = attrRange(b, from, to, name);
  return r ? Buffer.from(b.buffer, b.byteOffset + r[0], r[1] - r[0]).toString('latin1') : null;
}
/** The zero-based column of a cell reference's bytes ("$AB12"), or -1 when it has no letters. */
function refColumn(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (b[i] === 0x24) i++;
  let c = 0;
  let n = 0;
  for (; i < e && n < 4; i++, n++) {
    const x = b[i]! & 0xdf;
    if (x < 0x41 || x > 0x5a) break;
    c = c * 26 + x - 64;
  }
  return n > 0 && n < 4 ? c - 1 : -1;
}

/** The number format of a cell style: its code and whether it is a date format. */
interface CellFormat {
  id: number;
  code: string;
  isDate: boolean;
}

/** One sheet of the workbook as listed in workbook.xml. */
interface SheetRef {
  name: string;
  entry: ZipEntry | null;
}

/**
 * Opens an xlsx/xlsm package: reads the workbook, its relationships, the styles and the shared
 * strings (reporting progress); sheets are read later by `readRows`. Throws BadInputError:
 * `file.truncatedZip`, `file.zipDamaged`, `file.noWorkbookPart`, `file.xlsb`, `file.zipBomb`,
 * `file.noSheets`, `file.partXmlDamaged`, `file.zipEntryDamaged`, `file.encrypted`, `file.zipMethod`.
 */
export function openXlsx(buf: Buffer, onProgress?: (fraction: number) => void): WorkbookReader {
  onProgress?.(0);
  const entries = new Map<string, ZipEntry>();
  const directory = readZipDirectory(buf);
  if (directory.reduce((n, e) => n + e.uncompressedSize, 0) > MAX_XLSX_UNCOMPRESSED) {
    throw new BadInputError(reason('file.zipBomb', { mb: MAX_XLSX_UNCOMPRESSED / 1024 / 1024 }));
  }
  for (const e of directory) {
    const key = e.name.replace(/\\/g, '/').replace(/^\//, '').toLowerCase();
    if (!entries.has(key)) entries.set(key, e);
  }
  const find = (path: string) => entries.get(path.toLowerCase()) ?? null;
  const progress = new Progress(onProgress);

  const parse = (entry: ZipEntry, failReason: Reason, handlers: (p: SaxesParser) => void) => {
    const xml = new XmlStream(failReason);
    handlers(xml.parser);
    inflateEntry(buf, entry, (chunk) => {
      sliced(chunk, (part) => {
        progress.inflated(part.length);
        xml.write(part);
      });
    }, (n) => progress.input(n));
    xml.close();
  };
  const readRels = (part: string): Rel[] => {
    const entry = find(relsPathOf(part));
    const rels: Rel[] = [];
    if (!entry) return rels;
    parse(entry, reason('file.partXmlDamaged', { part: 'relationships' }), (p) => p.on('opentag', (t: SaxesTagPlain) => {
      if (localName(t.name) !== 'Relationship') return;
      const a = t.attributes;
      rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: a.Target ?? '', external: a.TargetMode === 'External' });
    }));
    return rels;
  };

  // The workbook part: the package's officeDocument relationship, else the usual path.
  const rootRel = readRels('').find((r) => r.type.endsWith('/officeDocument') && !r.external);
  let wbPath = rootRel ? resolvePath(rootRel.target, '') : 'xl/workbook.xml';
  if (!find(wbPath)) wbPath = 'xl/workbook.xml';
  if (/\.bin$/i.test(wbPath) || (!find(wbPath) && find('xl/workbook.bin'))) throw new BadInputError(reason('file.xlsb'));
  const wbEntry = find(wbPath);
  if (!wbEntry) throw new BadInputError(reason('file.noWorkbookPart'));
  const wbRels = readRels(wbPath);
  const relTarget = (r: Rel | undefined): ZipEntry | null => {
    if (!r || r.external) return null;
    const path = resolvePath(r.target, wbPath);
    return find(path) ?? find(`xl/${r.target.replace(/^\/?xl\//, '')}`);
  };
  const stylesEntry = relTarget(wbRels.find((r) => r.type.endsWith('/styles'))) ?? find('xl/styles.xml');
  const sstEntry = relTarget(wbRels.find((r) => r.type.endsWith('/sharedStrings'))) ?? find('xl/sharedStrings.xml');

  // workbook.xml: sheet names and order, the date system.
  let date1904 = false;
  const listed: { name: string; rid: string }[] = [];
  parse(wbEntry, reason('file.partXmlDamaged', { part: 'workbook' }), (p) => p.on('opentag', (t: SaxesTagPlain) => {
    const n = localName(t.name);
    if (n === 'workbookPr') date1904 = ['1', 'true'].includes(t.attributes.date1904 ?? '');
    else if (n === 'sheet') {
      const ridKey = Object.keys(t.attributes).find((k) => k.endsWith(':id'));
      listed.push({ name: cellString(t.attributes.name ?? ''), rid: ridKey ? t.attributes[ridKey]! : '' });
    }
  }));
  if (!listed.length) throw new BadInputError(reason('file.noSheets'));
  const sheets: SheetRef[] = listed.map((s) => ({ name: s.name, entry: relTarget(wbRels.find((r) => r.id === s.rid)) }));

  // The plan: styles, shared strings and each sheet's scan and one read, in weighted compressed
  // bytes (PASS_WEIGHT); readRows and planReads change it as the caller reads.
  const budget = sheets.map((s) => (PASS_WEIGHT.scan + PASS_WEIGHT.read) * (s.entry?.compressedSize ?? 0));
  progress.plan((stylesEntry?.compressedSize ?? 0) + (sstEntry?.compressedSize ?? 0) + budget.reduce((a, b) => a + b, 0));

  // styles.xml: the number format of each cell style (cellXfs), custom formats (numFmts).
  const customFormats = new Map<number, string>();
  const xfFormatIds: number[] = [];
  if (stylesEntry) {
    let inCellXfs = false;
    parse(stylesEntry, reason('file.partXmlDamaged', { part: 'styles' }), (p) => {
      p.on('opentag', (t: SaxesTagPlain) => {
        const n = localName(t.name);
        if (n === 'numFmt') {
          const id = parseInt(t.attributes.numFmtId ?? '', 10);
          if (id > 0) customFormats.set(id, cellString(t.attributes.formatCode ?? ''));
        } else if (n === 'cellXfs') inCellXfs = !t.isSelfClosing;
        else if (n === 'xf' && inCellXfs) xfFormatIds.push(parseInt(t.attributes.numFmtId ?? '0', 10) || 0);
      });
      p.on('closetag', (t: SaxesTagPlain) => {
        if (localName(t.name) === 'cellXfs') inCellXfs = false;
      });
    });
  }
  const formats = new Map<number, CellFormat>();
  const formatOf = (style: number): CellFormat => {
    const id = xfFormatIds[style] ?? 0;
    let f = formats.get(id);
    if (!f) {
      const code = customFormats.get(id) ?? BUILTIN_FORMATS[id] ?? 'General';
      let isDate: boolean;
      try {
        isDate = SSF.is_date(code);
      } catch {
        isDate = false;
      }
      f = { id, code, isDate };
      formats.set(id, f);
    }
    return f;
  };

  // sharedStrings.xml: plain and rich text; phonetic runs (rPh) left out.
  const strings = new PackedStrings();
  if (sstEntry) {
    let inSi = false;
    let phonetic = 0;
    let inT = false;
    let text = '';
    parse(sstEntry, reason('file.partXmlDamaged', { part: 'shared strings' }), (p) => {
      p.on('opentag', (t: SaxesTagPlain) => {
        const n = localName(t.name);
        if (n === 'si') {
          inSi = true;
          text = '';
          phonetic = 0;
          if (t.isSelfClosing) {
            strings.push('');
            inSi = false;
          }
        } else if (!inSi) return;
        else if (n === 'rPh') phonetic += t.isSelfClosing ? 0 : 1;
        else if (n === 't' && phonetic === 0) inT = !t.isSelfClosing;
      });
      p.on('text', (s) => {
        if (inT) text += s;
      });
      p.on('cdata', (s) => {
        if (inT) text += s;
      });
      p.on('closetag', (t: SaxesTagPlain) => {
        if (!inSi || t.isSelfClosing) return;
        const n = localName(t.name);
        if (n === 't') inT = false;
        else if (n === 'rPh') phonetic--;
        else if (n === 'si') {
          strings.push(cellString(text));
          inSi = false;
        }
      });
    });
  }
  progress.report();

  const scans = new Map<number, SheetScanResult>();
  /** The inflated bytes of the last small sheet read (at most KEEP_INFLATED), for its further reads. */
  let keptSheet: { index: number; chunks: Uint8Array[] } | null = null;
  const sheetNames = sheets.map((s) => s.name);
  return {
    sheetNames,
    date1904,
    readRows(name: string, onRow: RowHandler, opts?: ReadOptions) {
      const index = sheetNames.indexOf(name);
      if (index < 0) throw new BadInputError(reason('file.noSheet', { sheet: name.slice(0, 60) }));
      const entry = sheets[index]!.entry;
      const label = name.slice(0, 60);
      if (!entry) throw new BadInputError(reason('file.sheetMissing', { sheet: label }));
      // Pass 1 (once per sheet): merges and the last column; a small sheet keeps its bytes for
      // pass 2 (and for further reads, until another sheet is read).
      const small = entry.uncompressedSize <= KEEP_INFLATED;
      let kept = small && keptSheet?.index === index ? keptSheet.chunks : null;
      let scan = scans.get(index);
      const scanning = !scan || (small && !kept);
      // This call may read the sheet once more than planned: plan it (the progress never goes back).
      const readWeight = opts?.columns ? PASS_WEIGHT.columns : PASS_WEIGHT.read;
      const cost = ((scanning ? PASS_WEIGHT.scan : 0) + readWeight) * entry.compressedSize;
      if (budget[index]! < cost) {
        progress.plan(cost - budget[index]!);
        budget[index] = cost;
      }
      const input = (weight: number) => (n: number) => {
        budget[index] = Math.max(0, budget[index]! - n * weight);
        progress.input(n * weight);
      };
      if (scanning) {
        const scanner = new SheetScanner(label);
        const collect: Uint8Array[] | null = small ? [] : null;
        inflateEntry(buf, entry, (chunk) => {
          sliced(chunk, (part) => {
            progress.inflated(part.length);
            scanner.feed(part);
          });
          collect?.push(chunk);
        }, input(PASS_WEIGHT.scan));
        scan ??= scanner.result();
        scans.set(index, scan);
        if (collect) keptSheet = { index, chunks: (kept = collect) };
      }
      const reader = new SheetReader(label, scan!, strings, formatOf, date1904, onRow, opts?.columns);
      if (kept) {
        const step = kept.length ? entry.compressedSize / kept.length : 0;
        for (const chunk of kept) {
          input(readWeight)(step);
          const more = sliced(chunk, (part) => {
            progress.inflated(part.length);
            return reader.write(part);
          });
          if (!more) break;
        }
      } else {
        inflateEntry(buf, entry, (chunk) => sliced(chunk, (part) => {
          progress.inflated(part.length);
          return reader.write(part);
        }), input(readWeight));
      }
      reader.end();
      return { hiddenColumns: reader.hiddenColumns };
    },
    planReads(name: string, reads: number, columnReads = 0) {
      const index = sheetNames.indexOf(name);
      const entry = index < 0 ? null : sheets[index]!.entry;
      if (!entry) return;
      // Each read costs the sheet's compressed size times its weight; its scan, once, unless done
      // (and its bytes kept if small).
      const small = entry.uncompressedSize <= KEEP_INFLATED;
      const scanned = scans.has(index) && (!small || keptSheet?.index === index);
      const wanted = (Math.max(0, reads) * PASS_WEIGHT.read + Math.max(0, columnReads) * PASS_WEIGHT.columns + (scanned ? 0 : PASS_WEIGHT.scan))
        * entry.compressedSize;
      progress.plan(wanted - budget[index]!);
      budget[index] = wanted;
    },
  };
}

/** A merge being applied: its range (clamped) and the value copied across it. */
interface ActiveMerge {
  order: number;
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  src: Cell | null;
}

/**
 * Pass 2 over one sheet: saxes events to rows. Rows are emitted in ascending order; the cells
 * of a row element that name another row (their `r`) are held until that row is reached.
 */
class SheetReader {
  readonly hiddenColumns = new Set<number>();
  private readonly xml: XmlStream;
  private done = false;
  // Parse state.
  private inSheetData = false;
  private inRow = false;
  private inCell = false;
  private rowIndex = -1;
  private col = -1;
  private cellRow = 0;
  private cellCol = 0;
  private cellType: string | null = null;
  private cellStyle = 0;
  private hasFormula = false;
  private v: string | null = null;
  private inlineText: string | null = null;
  private capture = 0; // 1: <v>, 2: <t> of an inline string
  private inInline = false;
  private phonetic = 0;
  // Rows not yet emitted, by zero-based index; the last index emitted.
  private readonly pending = new Map<number, Cell[]>();
  private lastEmitted = -1;
  // Merges: sorted by first row; those covering the current row.
  private readonly merges: ActiveMerge[] = [];
  private nextMerge = 0;
  private active: ActiveMerge[] = [];
  private readonly busyUntil: Int32Array;
  private fills = 0;
  private readonly maxCol: number;
  /** With ReadOptions.columns: 1 for each column whose cells are built (those asked for and merge sources over them). */
  private readonly wanted: Uint8Array | null = null;
  /** Display texts of numbers already formatted, per number format (SSF.format is slow; dates repeat). */
  private readonly shown = new Map<CellFormat, Map<number, string>>();

  constructor(
    private readonly sheet: string,
    scan: SheetScanResult,
    private readonly strings: PackedStrings,
    private readonly formatOf: (style: number) => CellFormat,
    private readonly date1904: boolean,
    private readonly onRow: RowHandler,
    columns?: number[],
  ) {
    this.maxCol = Math.min(scan.maxCol, MAX_SHEET_COLUMNS - 1);
    this.busyUntil = new Int32Array(this.maxCol + 1).fill(-1);
    const m = scan.merges;
    for (let k = 0; k + 3 < m.length; k += 4) {
      const c2 = Math.min(m[k + 3]!, this.maxCol);
      // A merge beyond the last column (or row, below) holding a cell can copy nothing.
      if (m[k + 1]! > c2 || m[k]! >= MAX_SHEET_ROWS) continue;
      this.merges.push({ order: k, r1: m[k]!, c1: m[k + 1]!, r2: Math.min(m[k + 2]!, MAX_SHEET_ROWS - 1), c2, src: null });
    }
    this.merges.sort((a, b) => a.r1 - b.r1 || a.order - b.order);
    if (columns) {
      this.wanted = new Uint8Array(this.maxCol + 1);
      for (const c of columns) if (c >= 0 && c <= this.maxCol) this.wanted[c] = 1;
      // A merge copies its first column's value across: that column is wanted too.
      for (const m of this.merges) if (columns.some((c) => c >= m.c1 && c <= m.c2)) this.wanted[m.c1] = 1;
    }
    this.xml = new XmlStream(reason('file.sheetXmlDamaged', { sheet }));
    const p = this.xml.parser;
    p.on('opentag', (t: SaxesTagPlain) => this.open(t));
    p.on('closetag', (t: SaxesTagPlain) => this.close(t));
    p.on('text', (s) => this.text(s));
    p.on('cdata', (s) => this.text(s));
  }

  /** Parses a chunk; false once reading is over (the caller stopped, or the cells ended). */
  write(chunk: Uint8Array): boolean {
    if (this.done) return false;
    this.xml.write(chunk);
    return !this.done;
  }

  /** Ends the read: a sheet read to its end must be well-formed; rows still held are emitted. */
  end(): void {
    if (this.done) return;
    this.xml.close();
    this.flush(Infinity);
    this.done = true;
  }

  private damaged(): BadInputError {
    return new BadInputError(reason('file.sheetXmlDamaged', { sheet: this.sheet }));
  }

  private open(t: SaxesTagPlain): void {
    if (this.done) return;
    const n = localName(t.name);
    const a = t.attributes;
    if (!this.inSheetData) {
      if (n === 'sheetData') this.inSheetData = true;
      else if (n === 'col' && ['1', 'true'].includes(a.hidden ?? '')) {
        const min = parseInt(a.min ?? '', 10);
        const max = Math.min(parseInt(a.max ?? '', 10), 16384);
        for (let c = Math.max(min, 1); c <= max; c++) this.hiddenColumns.add(c - 1);
      }
      return;
    }
    if (this.inCell) {
      if (n === 'v') {
        this.capture = 1;
        this.v = '';
      } else if (n === 'f') this.hasFormula = true;
      else if (n === 'is') {
        this.inInline = true;
        this.inlineText = '';
      } else if (this.inInline) {
        if (n === 'rPh') this.phonetic++;
        else if (n === 't' && this.phonetic === 0) this.capture = 2;
      }
      if (t.isSelfClosing) this.capture = 0;
      return;
    }
    if (n === 'row') {
      const r = a.r;
      if (r !== undefined) {
        if (!/^\s*\d{1,8}\s*$/.test(r)) throw this.damaged();
        this.rowIndex = parseInt(r, 10) - 1;
      } else this.rowIndex++;
      if (this.rowIndex < 0) throw this.damaged();
      if (this.rowIndex >= MAX_SHEET_ROWS) throw new BadInputError(reason('file.rowOutOfRange', { sheet: this.sheet, max: MAX_SHEET_ROWS }));
      this.inRow = !t.isSelfClosing;
      this.col = -1;
    } else if (n === 'c' && this.inRow) {
      const ref = a.r;
      if (ref !== undefined) {
        const m = CELL_REF.exec(ref.trim());
        if (!m) throw this.damaged();
        this.cellCol = columnIndex(m[1]!);
        this.cellRow = parseInt(m[2]!, 10) - 1;
        if (this.cellRow < 0 || this.cellCol > 16383) throw this.damaged();
        if (this.cellRow >= MAX_SHEET_ROWS) throw new BadInputError(reason('file.rowOutOfRange', { sheet: this.sheet, max: MAX_SHEET_ROWS }));
      } else {
        this.cellCol = this.col + 1;
        this.cellRow = this.rowIndex;
      }
      this.col = this.cellCol;
      this.cellType = a.t ?? null;
      const s = a.s;
      this.cellStyle = s !== undefined && /^\d+$/.test(s) ? parseInt(s, 10) : 0;
      this.hasFormula = false;
      this.v = null;
      this.inlineText = null;
      this.inInline = false;
      this.phonetic = 0;
      this.capture = 0;
      this.inCell = true;
      if (t.isSelfClosing) this.endCell();
    }
  }

  private text(s: string): void {
    if (this.capture === 1) this.v += s;
    else if (this.capture === 2) this.inlineText += s;
  }

  private close(t: SaxesTagPlain): void {
    if (this.done || !this.inSheetData) return;
    const n = localName(t.name);
    if (this.inCell) {
      if (t.isSelfClosing && n === 'c') return;
      if (n === 'c') this.endCell();
      else if (n === 'v' || n === 't') this.capture = 0;
      else if (n === 'is') this.inInline = false;
      else if (n === 'rPh') this.phonetic--;
      return;
    }
    if (n === 'row') {
      this.inRow = false;
      this.flush(this.rowIndex);
    } else if (n === 'sheetData') {
      this.flush(Infinity);
      this.done = true;
    }
  }

  /** The cell just read, with the semantics of SheetJS `parse_ws_xml_data` + `safe_format`. */
  private endCell(): void {
    this.inCell = false;
    this.capture = 0;
    const raw = this.v === '' ? null : this.v;
    if (this.wanted && !this.wanted[this.cellCol]) {
      // Not built, but its row is emitted as it would be (a cell with a value or a formula).
      if (raw === null && !this.hasFormula && this.cellType !== 'str' && this.cellType !== 'inlineStr' && this.cellType !== 'b') return;
      this.place(null);
      return;
    }
    let value: string | number | boolean | undefined;
    let kind: 'n' | 's' | 'b' | 'e' = 'n';
    let w: string | undefined;
    // A cell without a value: SheetJS keeps it as a stub (`t: 'z'`), which the former reader
    // dropped unless it held a formula (then `v` is 0 when the cell has no type, else null, and no `w`).
    let stub: number | null | undefined;
    const type = this.cellType;
    if (type === null && raw === null) stub = 0;
    else {
      switch (type ?? 'n') {
        case 'n':
          if (raw === null) stub = null;
          value = raw === null ? undefined : parseFloat(raw);
          kind = 'n';
          break;
        case 's': {
          if (raw === null) {
            stub = null;
            break;
          }
          const s = this.strings.get(parseInt(raw, 10));
          if (s === undefined) throw new BadInputError(reason('file.sharedStringMissing', { sheet: this.sheet }));
          value = s;
          kind = 's';
          break;
        }
        case 'str':
          value = raw === null ? '' : cellString(raw);
          kind = 's';
          break;
        case 'inlineStr':
          value = this.inlineText === null ? '' : cellString(this.inlineText);
          kind = 's';
          break;
        case 'b':
          value = raw === '1' || raw === 'true';
          kind = 'b';
          break;
        case 'd':
          if (raw === null) stub = null;
          else value = dateSerial(parseIsoDate(raw, this.date1904), this.date1904);
          kind = 'n';
          break;
        case 'e':
          w = raw ?? undefined;
          value = raw === null ? undefined : ERROR_CODES[raw];
          kind = 'e';
          break;
        default:
          value = raw === null ? undefined : cellString(raw);
          kind = 's';
      }
    }
    let cell: Cell;
    if (stub !== undefined) {
      if (!this.hasFormula) return;
      cell = { v: stub, formula: true };
    } else {
      const fmt = this.formatOf(this.cellStyle);
      // An error keeps its text (#N/A) in `w`; other values are formatted as Excel shows them.
      if (value !== undefined && kind !== 'e') {
        if (typeof value === 'string' && (fmt.id === 0 || fmt.code === '@')) w = value; // what SSF.format gives
        else if (typeof value === 'number') w = this.format(fmt, value);
        else {
          try {
            w = SSF.format(fmt.id === 0 ? 'General' : fmt.code, value, { date1904: this.date1904 });
          } catch {
            w = undefined;
          }
        }
      }
      if (this.hasFormula) cell = w === undefined ? { v: value ?? null, formula: true } : { v: value ?? null, w, formula: true };
      else if (value === undefined) return;
      else {
        const date = kind === 'n' && fmt.isDate;
        cell = w === undefined ? { v: value, date } : { v: value, w, date };
        // Identifiers: the stored digits of a long whole number, which the double in `v` cannot hold (values.ts identifierText).
        if (kind === 'n' && raw !== null && raw.length > 15 && /^\d+$/.test(raw)) cell.raw = raw;
      }
    }
    this.place(cell);
  }

  /** Puts the cell just read into its pending row (null: the row only, the cell not built). */
  private place(cell: Cell | null): void {
    if (this.cellCol >= MAX_SHEET_COLUMNS) {
      throw new BadInputError(reason('file.sheetTooWide', { sheet: this.sheet, count: this.cellCol + 1, max: MAX_SHEET_COLUMNS }));
    }
    if (this.cellRow <= this.lastEmitted) throw new BadInputError(reason('file.rowsOutOfOrder', { sheet: this.sheet, row: this.cellRow + 1 }));
    let row = this.pending.get(this.cellRow);
    if (!row) {
      row = [];
      this.pending.set(this.cellRow, row);
    }
    if (cell) row[this.cellCol] = cell;
  }

  /** A number's display text in format `fmt` (SSF.format), or undefined when SSF refuses it; remembered per format. */
  private format(fmt: CellFormat, value: number): string | undefined {
    let seen = this.shown.get(fmt);
    if (!seen) this.shown.set(fmt, (seen = new Map<number, string>()));
    let w = seen.get(value);
    if (w === undefined) {
      try {
        w = SSF.format(fmt.id === 0 ? 'General' : fmt.code, value, { date1904: this.date1904 });
      } catch {
        return undefined;
      }
      if (seen.size >= 20_000) seen.clear(); // bounded: IDs and serial numbers rarely repeat
      seen.set(value, w);
    }
    return w;
  }

  /** Emits the held rows up to `upTo` (zero-based), in order. */
  private flush(upTo: number): void {
    if (!this.pending.size) return;
    const keys = this.pending.size === 1 ? [...this.pending.keys()] : [...this.pending.keys()].sort((x, y) => x - y);
    for (const r of keys) {
      if (r > upTo || this.done) break;
      const cells = this.pending.get(r)!;
      this.pending.delete(r);
      this.lastEmitted = r;
      if (this.merges.length) this.applyMerges(cells, r);
      for (let j = 0; j < cells.length; j++) cells[j] ??= { v: null };
      if (this.onRow(cells, r + 1) === false) this.done = true;
    }
  }

  /**
   * Merged ranges over row `r` (which holds cells): the top-left value is copied into the empty
   * cells of the range, as the former reader did, but only in rows that hold cells and columns up
   * to the last one holding a cell (never creating rows or columns). A range overlapping an
   * earlier one is ignored (Excel refuses such files).
   */
  private applyMerges(cells: Cell[], r: number): void {
    if (this.active.some((m) => m.r2 < r)) this.active = this.active.filter((m) => m.r2 >= r);
    let added = false;
    while (this.nextMerge < this.merges.length && this.merges[this.nextMerge]!.r1 <= r) {
      const m = this.merges[this.nextMerge++]!;
      // Its first row holds no cell: nothing to copy (the former reader skipped it too).
      if (m.r1 !== r) continue;
      let free = true;
      for (let c = m.c1; c <= m.c2 && free; c++) free = this.busyUntil[c]! < r;
      if (!free) continue;
      for (let c = m.c1; c <= m.c2; c++) this.busyUntil[c] = m.r2;
      this.active.push(m);
      added = true;
    }
    if (added) this.active.sort((a, b) => a.order - b.order);
    for (const m of this.active) {
      if (m.r1 === r) {
        const src = cells[m.c1];
        m.src = src && src.v !== null ? src : null;
      }
      if (!m.src) continue;
      for (let c = m.c1; c <= m.c2; c++) {
        const cur = cells[c];
        if (cur && cur.v !== null) continue;
        if (++this.fills > MAX_MERGED_FILLS) throw new BadInputError(reason('file.mergesTooLarge', { sheet: this.sheet, max: MAX_MERGED_FILLS }));
        cells[c] = { ...m.src };
      }
    }
  }
}
