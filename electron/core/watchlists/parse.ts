/**
 * Parsing an import off the main thread: reads the files (a spreadsheet, or a preset's set of
 * files), finds the header, settles the column mapping and converts rows to entries, handing them
 * on in batches so that large files never sit in memory twice: csv/tsv and xlsx are streamed row
 * by row (only the first 30 rows of a sheet are held, to find its header). Runs in the parse
 * worker (parse-worker.ts) under the watchdog (guarded-worker.ts), to which it reports progress
 * at every row; for small inputs in tests, inline. Pure computation: no database, no files written.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import type { ImportDateColumn, ImportProblem } from '../../../shared/contract';
import type { CompactRule, DateOrder } from '../../../shared/dates';
import { DateColumnScan } from './date-columns';
import { cellText, decodeText, openWorkbook, withoutDosEof, type Cell, type Sheet, type WorkbookReader } from '../spreadsheet/read';
import { FIELDS, fieldForHeader, guessHeader, RowConverter, type ColumnMapping, type Field, type ParsedEntry } from './mapping';
import { detectPreset, parseOfac, parseUnXml, type PresetFile, type PresetName } from './presets';
import { encodeMatchKeys } from '../matching/keys';
import { reason, reasonView } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { titleRowDate, type FoundSourceDate } from './source-date';

/** Most columns a sheet may have (Excel's limit is 16,384; real lists have a few dozen). */
export const MAX_COLUMNS = 1000;
/** Entries per batch handed to the main thread. */
export const BATCH = 2000;
/** Entry batches the parse worker may have posted and the main thread not yet taken; beyond, it waits. */
export const MAX_IN_FLIGHT = 4;

export interface ParseRequest {
  files: PresetFile[];
  /** Sheet to import; "*" imports every sheet that has a header row. Default: the first with one. */
  sheet?: string;
  /** Field -> zero-based column index, overriding the suggestion and any saved mapping. */
  mapping?: Record<string, number>;
  /** Saved mappings of this list, by header signature. */
  savedMappings?: Record<string, ColumnMapping>;
  /** Day/month order of the date-of-birth column; default: detected from the column (date-columns.ts). */
  dateOrder?: DateOrder;
  /** Reading of its six- or eight-digit dates; default: detected. */
  compactDates?: CompactRule;
  /** "Now" for the two-digit-year rule, ms since the epoch; default Date.now(). */
  now?: number;
}

export interface ColumnInfo {
  index: number;
  letter: string;
  header: string;
  hidden: boolean;
}

/** What the parser understood about the file's layout; sent before the entries. */
export interface ParseMeta {
  preset: PresetName | null;
  sheets: string[];
  sheet: string;
  /** Row number (as the spreadsheet shows it) of the header row. */
  headerRow: number;
  columns: ColumnInfo[];
  /** SHA-256 (hex, first 16) of the folded header texts: the key of a saved mapping. */
  signature: string;
  suggested: ColumnMapping;
  mapping: ColumnMapping;
  mappingSource: 'suggested' | 'saved' | 'given' | 'preset';
}

export interface ParseSummary {
  problems: ImportProblem[];
  rowsRead: number;
  rejected: number;
  skipped: Record<string, number>;
  /** The date the file gives for itself (UN `dateGenerated`, an "updated" title row), or null. */
  sourceDate: FoundSourceDate | null;
  /** How each date-of-birth column was read, and why (date-columns.ts). */
  dateColumns?: ImportDateColumn[];
}

/**
 * An entry as it crosses from the worker to the main thread: nested values already serialized as
 * JSON (cheap to clone, ready to store) and the counts the report needs.
 */
export interface WireEntry {
  entryId: string;
  hasExternalId: boolean;
  sourceRow: number;
  contentHash: string;
  nameKey: string;
  names: string;
  /** The names' match keys (matching/keys.ts), computed here in the worker. */
  matchKeys: string;
  dateOfBirth: string | null;
  sex: string | null;
  nationalities: string;
  documents: string;
  reference: string | null;
  reason: string | null;
  remarks: string | null;
  firstName: string;
  aliases: number;
  passports: number;
  nationalIds: number;
}

/** Serializes an entry for the trip to the main thread, with its match keys (computed here unless given: keys-beside.ts). */
export function toWire(e: ParsedEntry, matchKeys?: string): WireEntry {
  let passports = 0;
  let nationalIds = 0;
  for (const d of e.documents) {
    if (d.type === 'passport') passports++;
    else if (d.type === 'national-id') nationalIds++;
  }
  return {
    entryId: e.entryId, hasExternalId: e.hasExternalId, sourceRow: e.sourceRow, contentHash: e.contentHash, nameKey: e.nameKey,
    names: JSON.stringify(e.names), matchKeys: matchKeys ?? encodeMatchKeys(e.names.map((n) => n.name)), dateOfBirth: e.dateOfBirth, sex: e.sex,
    nationalities: JSON.stringify(e.nationalities), documents: JSON.stringify(e.documents), reference: e.reference, reason: e.reason, remarks: e.remarks,
    firstName: e.names[0]?.name ?? '', aliases: e.names.length - 1, passports, nationalIds,
  };
}

/** The entry back from its wire form (for previews and reports). */
export function fromWire(w: WireEntry): ParsedEntry {
  return {
    entryId: w.entryId, hasExternalId: w.hasExternalId, sourceRow: w.sourceRow, contentHash: w.contentHash, nameKey: w.nameKey,
    names: JSON.parse(w.names) as ParsedEntry['names'], dateOfBirth: w.dateOfBirth, sex: w.sex as ParsedEntry['sex'],
    nationalities: JSON.parse(w.nationalities) as string[], documents: JSON.parse(w.documents) as ParsedEntry['documents'],
    reference: w.reference, reason: w.reason, remarks: w.remarks,
  };
}

export interface ParseSink {
  meta(m: ParseMeta): void;
  entries(batch: ParsedEntry[]): void;
  /**
   * Fraction 0..1 of the input read; called often (every row), so that a watchdog sees the read
   * moving: the sink throttles (guarded-worker.ts progressBeat).
   */
  progress(fraction: number): void;
}

export function columnLetter(j: number): string {
  let s = '';
  for (let n = j + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The signature of a header row: equal for files laid out the same way. */
export function headerSignature(headers: string[]): string {
  const folded = headers.map((h) => h.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim());
  while (folded.length && !folded[folded.length - 1]) folded.pop();
  return createHash('sha256').update(JSON.stringify(folded)).digest('hex').slice(0, 16);
}

function checkMapping(m: Record<string, number>): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [k, v] of Object.entries(m)) {
    if (!(FIELDS as readonly string[]).includes(k)) throw new BadInputError(reason('mapping.unknownField', { field: k.slice(0, 40) }));
    if (!Number.isInteger(v) || v < 0 || v >= MAX_COLUMNS) throw new BadInputError(reason('mapping.columnOutOfRange', { field: k }));
    out[k as Field] = v;
  }
  if (!['fullName', 'givenNames', 'surname', 'nativeName', 'aliases'].some((f) => out[f as Field] !== undefined)) {
    throw new BadInputError(reason('mapping.noName'));
  }
  return out;
}

/** Headers of running row numbers ("No.", "ลำดับ"), which hold nothing to import. */
const ROW_COUNTER = /^(no\.?|#|seq\.?|s\/n|ลำดับ(ที่)?|ที่)$/i;

/**
 * A warning for each visible, titled column that no field reads: the supervisor may have a
 * passport or name column under a header the importer does not know.
 */
function unusedColumns(meta: ParseMeta, sheetName: string): ImportProblem[] {
  const used = new Set(Object.values(meta.mapping));
  return meta.columns
    // Known headers left unmapped are duplicates or merged cells; row counters carry nothing.
    .filter((c) => !c.hidden && c.header.trim() && !used.has(c.index) && !fieldForHeader(c.header) && !ROW_COUNTER.test(c.header.trim()))
    .map((c) => ({
      severity: 'warning' as const, sheet: sheetName, row: meta.headerRow, column: `${c.letter} (${c.header.slice(0, 60)})`,
      ...reasonView(reason('column.notImported')),
    }));
}

/** The layout of a sheet: columns, header signature and the mapping to use (given, saved or suggested). */
function layout(sheet: Sheet, headerIndex: number, headers: string[], suggested: ColumnMapping, req: ParseRequest): ParseMeta {
  const signature = headerSignature(headers);
  const saved = req.savedMappings?.[signature];
  const mapping = req.mapping ? checkMapping(req.mapping) : saved ?? suggested;
  const width = Math.max(headers.length, ...Object.values(mapping).map((j) => (j ?? 0) + 1));
  const columns: ColumnInfo[] = [];
  for (let j = 0; j < width; j++) columns.push({ index: j, letter: columnLetter(j), header: headers[j] ?? '', hidden: sheet.hiddenColumns.has(j) });
  return {
    preset: null, sheets: [], sheet: sheet.name, headerRow: sheet.rowNumbers[headerIndex] ?? 1, columns, signature, suggested, mapping,
    mappingSource: req.mapping ? 'given' : saved ? 'saved' : 'suggested',
  };
}

function noHeader(sheetName: string): BadInputError {
  return new BadInputError(reason('file.noHeader', { sheet: sheetName.slice(0, 60) }));
}

function checkWidth(rows: Cell[][], sheetName: string): void {
  for (const r of rows) {
    if (r.length > MAX_COLUMNS) throw new BadInputError(reason('file.sheetTooWide', { sheet: sheetName.slice(0, 60), count: r.length, max: MAX_COLUMNS }));
  }
}

/**
 * Settles the date-of-birth column's rule before any row is converted: `scan(onCell)` must feed
 * every cell of the column below the header (a prescan: counts only), then the rule is set on
 * the converter and its report line and warnings are returned. Nothing is done (no prescan)
 * when no column is mapped to dateOfBirth.
 */
function settleDates(
  conv: RowConverter, meta: ParseMeta, sheetName: string, req: ParseRequest,
  scan: (column: number, onCell: (c: Cell | undefined, rowNumber: number) => void) => void,
): { column: ImportDateColumn; problems: ImportProblem[] } | null {
  const j = meta.mapping.dateOfBirth;
  if (j === undefined) return null;
  const s = new DateColumnScan(req.now);
  scan(j, (c, n) => s.add(c, n));
  const header = meta.columns[j]?.header ?? '';
  const rule = s.decide(sheetName, `${columnLetter(j)} (${(header || 'dateOfBirth').slice(0, 60)})`, meta.headerRow, { dateOrder: req.dateOrder, compactDates: req.compactDates });
  conv.dobRule = rule;
  return { column: rule.report, problems: rule.problems };
}

/** Parses a whole import, handing meta, entry batches and progress to `sink`. */
export function parseImport(req: ParseRequest, sink: ParseSink): ParseSummary {
  if (!req.files.length) throw new BadInputError(reason('file.none'));
  const first = req.files[0]!;
  if (first.content.length === 0) throw new BadInputError(reason('file.empty'));
  let batch: ParsedEntry[] = [];
  const emit = (e: ParsedEntry) => {
    batch.push(e);
    if (batch.length >= BATCH) {
      sink.entries(batch);
      batch = [];
    }
  };
  const flush = () => {
    if (batch.length) sink.entries(batch);
    batch = [];
  };

  const preset = detectPreset(req.files);
  if (preset) {
    const problems: ImportProblem[] = [];
    const conv = new RowConverter(preset === 'un-xml' ? 'INDIVIDUALS' : first.fileName, [], {}, false);
    sink.meta({
      preset, sheets: [], sheet: preset === 'un-xml' ? 'INDIVIDUALS' : first.fileName, headerRow: 0, columns: [], signature: preset,
      suggested: {}, mapping: {}, mappingSource: 'preset',
    });
    const stats = preset === 'un-xml'
      ? parseUnXml(first, conv, emit, (p) => problems.push(p), (f) => sink.progress(f))
      : parseOfac(req.files, conv, emit, (p) => problems.push(p), (f) => sink.progress(f));
    flush();
    sink.progress(1);
    return { problems: [...problems, ...conv.problems], rowsRead: conv.rowsRead, rejected: conv.rejected, skipped: stats.skipped, sourceDate: stats.sourceDate ?? null };
  }
  if (req.files.length > 1) throw new BadInputError(reason('file.severalNotOfac'));

  const ext = first.fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return parseDelimitedStream(first, req, sink, emit, flush);

  return parseWorkbookStream(first, req, sink, emit, flush);
}

/** Rows held at the top of a sheet to find its header (mapping.ts guessHeader looks at 30). */
const HEAD_ROWS = 30;

/**
 * The top of a sheet as a Sheet: its first `HEAD_ROWS` rows (where the header is looked for) and
 * its hidden columns; the rest of the sheet is not read.
 */
export function readHead(book: WorkbookReader, name: string): Sheet {
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  const { hiddenColumns } = book.readRows(name, (cells, n) => {
    rows.push(cells);
    rowNumbers.push(n);
    return rows.length < HEAD_ROWS;
  });
  return { name, rows, rowNumbers, hiddenColumns, date1904: book.date1904 };
}

/**
 * An xlsx/xls import, streamed: for each chosen sheet, its first rows are held to find the header
 * (readHead), then, when a column is mapped to dateOfBirth, the sheet is read once more for that
 * column alone (settleDates: its order and compact-date reading need the whole column; counts
 * only), then read again row by row and each row converted as it comes, so that a large sheet is
 * never held whole. Sheet choice: the one asked for, every sheet with a header
 * ("*"), or the first with a header (else the first).
 */
function parseWorkbookStream(file: PresetFile, req: ParseRequest, sink: ParseSink, emit: (e: ParsedEntry) => void, flush: () => void): ParseSummary {
  let read = 0;
  const book = openWorkbook(Buffer.from(file.content.buffer, file.content.byteOffset, file.content.length), file.fileName, (f) => {
    read = Math.max(read, Math.min(0.99, f));
    sink.progress(read);
  });
  const names = book.sheetNames;
  if (!names.length) throw new BadInputError(reason('file.noSheets'));
  const heads = new Map<string, Sheet>();
  const head = (name: string): Sheet => {
    let h = heads.get(name);
    if (!h) heads.set(name, (h = readHead(book, name)));
    return h;
  };
  let chosen: string[];
  if (req.sheet === '*') chosen = names.filter((n) => guessHeader(head(n)));
  else if (req.sheet) {
    if (!names.includes(req.sheet)) throw new BadInputError(reason('file.noSheet', { sheet: req.sheet.slice(0, 60) }));
    chosen = [req.sheet];
  } else chosen = [names.find((n) => guessHeader(head(n))) ?? names[0]!];
  if (!chosen.length) throw noHeader(names[0] ?? '');
  const problems: ImportProblem[] = [];
  let rowsRead = 0;
  let rejected = 0;
  let sourceDate: FoundSourceDate | null = null;
  const dateColumns: ImportDateColumn[] = [];
  chosen.forEach((name, si) => {
    const top = head(name);
    checkWidth(top.rows, name);
    const guess = guessHeader(top);
    if (!guess && !req.mapping) throw noHeader(name);
    const headerIndex = guess?.headerIndex ?? 0;
    const headers = guess?.headers ?? (top.rows[0] ?? []).map((c) => cellText(c));
    const meta = layout(top, headerIndex, headers, guess?.mapping ?? {}, req);
    if (si === 0) sink.meta({ ...meta, sheets: names, sheet: req.sheet === '*' ? chosen.join(', ') : name });
    sourceDate ??= titleRowDate(top, headerIndex);
    const conv = new RowConverter(name, headers, meta.mapping, book.date1904);
    conv.headerRow = meta.headerRow; // blank rows are reported from the header on (a gap in a workbook's rows is blank rows)
    // Progress: the sheet is now read in full once more, after a one-column prescan if any (xlsx.ts planReads).
    book.planReads(name, 1, meta.mapping.dateOfBirth === undefined ? 0 : 1);
    // Prescan of the date-of-birth column: its order and compact-date reading need the whole column.
    const dates = settleDates(conv, meta, name, req, (j, onCell) => {
      let k = 0;
      book.readRows(name, (cells, rowNumber) => {
        if (k++ > headerIndex) onCell(cells[j], rowNumber);
      }, { columns: [j] }); // only this column's cells are built
    });
    if (dates) {
      dateColumns.push(dates.column);
      problems.push(...dates.problems);
    }
    let i = 0;
    book.readRows(name, (cells, rowNumber) => {
      if (i++ <= headerIndex) return;
      if (cells.length > MAX_COLUMNS) throw new BadInputError(reason('file.sheetTooWide', { sheet: name.slice(0, 60), count: cells.length, max: MAX_COLUMNS }));
      const e = conv.convert(cells, rowNumber);
      if (e) emit(e);
      sink.progress(read);
    });
    problems.push(...unusedColumns(meta, name), ...conv.problems);
    rowsRead += conv.rowsRead;
    rejected += conv.rejected;
  });
  flush();
  sink.progress(1);
  return { problems, rowsRead, rejected, skipped: {}, sourceDate, dateColumns };
}

/**
 * CSV/TSV, streamed: rows are parsed one at a time and converted as they come; only the first
 * 30 rows are held to find the header. When a column is mapped to dateOfBirth, the text is parsed
 * once more first for that column's rule (settleDates). Encodings are detected (read.ts decodeText).
 */
function parseDelimitedStream(file: PresetFile, req: ParseRequest, sink: ParseSink, emit: (e: ParsedEntry) => void, flush: () => void): ParseSummary {
  const buf = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.length);
  if (buf[0] === 0x50 && buf[1] === 0x4b) throw new BadInputError(reason('file.workbookAsCsv'));
  if (buf[0] === 0xd0 && buf[1] === 0xcf) throw new BadInputError(reason('file.workbookAsCsv'));
  let text = withoutDosEof(decodeText(buf));
  if (text.includes('\u0000')) throw new BadInputError(reason('file.binary'));
  text = text.replace(/\r\n?/g, '\n');
  const sheetName = file.fileName.replace(/\.[^.]+$/, '') || 'Sheet1';
  const head: Cell[][] = [];
  const headNumbers: number[] = [];
  let conv: RowConverter | null = null;
  let unused: ImportProblem[] = [];
  let sourceDate: FoundSourceDate | null = null;
  const dateColumns: ImportDateColumn[] = [];
  let headerIndex = 0;
  let line = 1;
  const length = text.length || 1;
  const start = () => {
    const sheet: Sheet = { name: sheetName, rows: head, rowNumbers: headNumbers, hiddenColumns: new Set(), date1904: false };
    checkWidth(head, sheetName);
    const guess = guessHeader(sheet);
    if (!guess && !req.mapping) throw noHeader(sheetName);
    headerIndex = guess?.headerIndex ?? 0;
    const headers = guess?.headers ?? (head[0] ?? []).map((c) => cellText(c));
    const meta = layout(sheet, headerIndex, headers, guess?.mapping ?? {}, req);
    sink.meta({ ...meta, sheets: [sheetName] });
    sourceDate = titleRowDate(sheet, headerIndex);
    unused = unusedColumns(meta, sheetName);
    conv = new RowConverter(sheetName, headers, meta.mapping, false);
    conv.headerRow = meta.headerRow;
    conv.lineNumbered = true; // blank lines arrive as rows; a gap in the line numbers is a cell's line breaks
    // Prescan of the date-of-birth column over the whole text (rows numbered as below).
    const dates = settleDates(conv, meta, sheetName, req, (j, onCell) => {
      let k = 0;
      let n = 1;
      Papa.parse<string[]>(text, {
        skipEmptyLines: false,
        delimitersToGuess: [',', ';', '\t', '|'],
        step: (res) => {
          const r = res.data;
          const rowNo = n;
          n += 1 + r.reduce((x, v) => x + (v.includes('\n') ? v.split('\n').length - 1 : 0), 0);
          if (k++ <= headerIndex) return;
          const v = r[j];
          onCell(v ? { v } : undefined, rowNo);
        },
      });
    });
    if (dates) {
      dateColumns.push(dates.column);
      unused.push(...dates.problems);
    }
    for (let i = headerIndex + 1; i < head.length; i++) {
      const e = conv.convert(head[i]!, headNumbers[i]!);
      if (e) emit(e);
    }
  };
  let failure: Error | null = null;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    delimitersToGuess: [',', ';', '\t', '|'],
    step: (res, parser) => {
      try {
        const r = res.data;
        const rowNo = line;
        line += 1 + r.reduce((k, v) => k + (v.includes('\n') ? v.split('\n').length - 1 : 0), 0);
        if (r.length > MAX_COLUMNS) throw new BadInputError(reason('file.rowTooWide', { row: rowNo, count: r.length, max: MAX_COLUMNS }));
        // An unclosed or malformed quote makes papaparse read every following row into one cell:
        // people silently lost. Refused with the row, before anything is stored.
        if (res.errors.some((e) => e.type === 'Quotes')) throw new BadInputError(reason('file.csvQuotes', { row: rowNo }));
        const cells = r.map((v) => ({ v: v === '' ? null : v }));
        if (!conv) {
          head.push(cells);
          headNumbers.push(rowNo);
          if (head.length >= 30) start();
        } else {
          const e = conv.convert(cells, rowNo);
          if (e) emit(e);
        }
        sink.progress(Math.min(0.99, (res.meta.cursor ?? 0) / length));
      } catch (e) {
        failure = e instanceof Error ? e : new Error('the file could not be parsed');
        parser.abort();
      }
    },
  });
  const failed = failure as Error | null; // set in the parser's callback
  if (failed) throw failed;
  if (!conv) start();
  flush();
  sink.progress(1);
  const c = conv as unknown as RowConverter;
  return { problems: [...unused, ...c.problems], rowsRead: c.rowsRead, rejected: c.rejected, skipped: {}, sourceDate, dateColumns };
}
