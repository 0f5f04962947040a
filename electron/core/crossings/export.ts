/**
 * Streaming export writers (issue 14 "Exports that open cleanly and say everything"): the crossings
 * export (xlsx: a crossings sheet, then a hits sheet with one row per hit; csv: one row per hit,
 * a crossing without hits as one row with empty hit cells) and the audit-trail export, each ending
 * with the audit anchor (anchor.ts) of the snapshot its rows were read from.
 *
 * What every file holds:
 * - headers, sheet names and value words (direction, outcome, band, decision, list kind, yes/no) in
 *   the caller's language (shared/export-labels.ts);
 * - EVERY text cell, headers included, through write.ts neutralizeFormula (OWASP "CSV injection":
 *   a leading =, +, -, @, tab or CR gets an apostrophe);
 * - times as the wall clock of the crossing's time zone (the checkpoint's; the audit trail: the
 *   checkpoint's): in xlsx real date cells (a Date whose UTC fields are that wall clock, with a
 *   date number format), in csv `YYYY-MM-DD HH:MM:SS`; scores, counts and list versions as numbers;
 * - xlsx: frozen header row, column widths, an autofilter over each sheet's rows, legal sheet names
 *   (write.ts legalSheetName); a sheet that would pass Excel's 1,048,576 rows goes on in a new
 *   sheet named "<name> (2)", "(3)"...; text cells longer than Excel's 32,767 characters are cut
 *   there (with a mark; csv keeps them whole); then the sheet "Audit anchor".
 * - csv: UTF-8 with a BOM (Excel then shows Thai), CRLF rows, then an empty line and the anchor
 *   block exactly as write.ts writeTables writes it (anchor.ts anchorFromCsv reads it).
 *
 * How it streams: rows arrive in batches (ExportMessage, from export-read.ts in the reader worker)
 * and are written at once: xlsx with exceljs's streaming WorkbookWriter (no shared strings; each
 * batch waits until the zip has taken the sheet's XML, so no more than a few MB of it wait), csv
 * a batch at a time (csvLines: papaparse's quoting, without its per-call overhead). The file's
 * bytes go to `out` as they are made.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { AuditAnchorView, CrossingView, UiLang } from '../../../shared/contract';
import { exportLabel, valueWord, type ExportLabelKey } from '../../../shared/export-labels';
import { ANCHOR_SHEET, anchorRows } from '../anchor';
import { legalSheetName, neutralizeFormula } from '../spreadsheet/write';

/** A cell: text, a number, a date (a Date whose UTC fields are the local wall clock) or empty. */
export type Cell = string | number | Date | null;

/** Excel's rows per sheet, header included. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's characters per cell. */
export const EXCEL_MAX_CELL_TEXT = 32_767;

/** How a column's cells are written: text, a whole number, a score (3 decimals shown), a date and time. */
export type ColumnType = 'text' | 'int' | 'score' | 'date';

/** One column: its header's code, how its cells are written, its width (characters) in xlsx. */
export interface ColumnSpec {
  key: ExportLabelKey;
  type: ColumnType;
  width: number;
}

/** One table of a file: an xlsx sheet (split when it passes the row limit), or the csv's one table. */
export interface TableSpec {
  /** The sheet's name in the file's language, before legalSheetName. */
  sheet: string;
  header: string[];
  columns: ColumnSpec[];
}

const col = (key: ExportLabelKey, type: ColumnType, width: number): ColumnSpec => ({ key, type, width });

/** A crossing's columns (the crossings sheet; the first part of a csv row). */
const CROSSING_COLUMNS: ColumnSpec[] = [
  col('col.crossingId', 'text', 38), col('col.time', 'date', 20), col('col.timeZone', 'text', 16), col('col.checkpoint', 'text', 18),
  col('col.direction', 'text', 10), col('col.outcome', 'text', 16), col('col.officer', 'text', 16), col('col.traveler', 'text', 30),
  col('col.dateOfBirth', 'text', 12), col('col.sex', 'text', 6), col('col.nationality', 'text', 12), col('col.document', 'text', 16),
  col('col.documentIssuer', 'text', 10), col('col.nationalId', 'text', 16), col('col.flagged', 'text', 10), col('col.hits', 'int', 8),
  col('col.topScore', 'score', 10), col('col.crossingNote', 'text', 40), col('col.purged', 'text', 10),
];

/** A hit's own columns (after the crossing's in a csv row). */
const HIT_OWN_COLUMNS: ColumnSpec[] = [
  col('col.list', 'text', 22), col('col.listKind', 'text', 12), col('col.version', 'int', 8), col('col.entryId', 'text', 16),
  col('col.listedName', 'text', 30), col('col.reference', 'text', 20), col('col.score', 'score', 8), col('col.band', 'text', 10),
  col('col.decision', 'text', 18), col('col.decidedBy', 'text', 16), col('col.decidedAt', 'date', 20), col('col.hitNote', 'text', 40),
  col('col.correction', 'text', 50),
];

/** The hits sheet: which crossing (id, time, traveler), then the hit's own columns. */
const HIT_SHEET_COLUMNS: ColumnSpec[] = [col('col.crossingId', 'text', 38), col('col.time', 'date', 20), col('col.traveler', 'text', 30), ...HIT_OWN_COLUMNS];

/** The audit trail's columns. */
const AUDIT_COLUMNS: ColumnSpec[] = [
  col('col.seq', 'int', 8), col('col.time', 'date', 20), col('col.timeZone', 'text', 16), col('col.actor', 'text', 16), col('col.action', 'text', 24),
  col('col.subject', 'text', 38), col('col.details', 'text', 80), col('col.hash', 'text', 66), col('col.prevHash', 'text', 66),
];

function tableOf(lang: UiLang, sheet: ExportLabelKey, columns: ColumnSpec[]): TableSpec {
  return { sheet: exportLabel(lang, sheet), header: columns.map((c) => exportLabel(lang, c.key)), columns };
}

/**
 * The tables of a crossings export: xlsx the crossings sheet ("Flagged crossings" with
 * `flaggedOnly`) and the hits sheet; csv one table, a row per hit.
 */
export function crossingsTables(lang: UiLang, format: 'xlsx' | 'csv', flaggedOnly: boolean): TableSpec[] {
  const sheet: ExportLabelKey = flaggedOnly ? 'sheet.flaggedCrossings' : 'sheet.crossings';
  if (format === 'csv') return [tableOf(lang, sheet, [...CROSSING_COLUMNS, ...HIT_OWN_COLUMNS])];
  return [tableOf(lang, sheet, CROSSING_COLUMNS), tableOf(lang, 'sheet.hits', HIT_SHEET_COLUMNS)];
}

/** The one table of an audit-trail export. */
export function auditTables(lang: UiLang): TableSpec[] {
  return [tableOf(lang, 'sheet.audit', AUDIT_COLUMNS)];
}

// ---------------------------------------------------------------------------------------------
// Local wall clock

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
/** Offsets are looked up once per time zone and quarter hour (every zone changes offset on a quarter hour). */
const OFFSET_BUCKET_MS = 15 * 60_000;

function offsetAt(ms: number, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const v = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant `iso` as the wall clock of `tz`: a Date whose UTC fields read the local date and
 * time (what an xlsx date cell holds: it has no time zone). Null for a missing or unreadable
 * instant; an unknown time zone reads as UTC (the zone is written beside the time).
 */
export function wallClock(iso: string | null | undefined, tz: string): Date | null {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return null;
  const bucket = Math.floor(ms / OFFSET_BUCKET_MS) * OFFSET_BUCKET_MS;
  const key = `${tz}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    try {
      off = offsetAt(bucket, tz);
    } catch {
      off = 0;
    }
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, off);
  }
  return new Date(ms + off);
}

/** A wall-clock Date (wallClock) as csv text, `YYYY-MM-DD HH:MM:SS`. */
export function wallClockText(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------
// Rows

const score = (s: number): number => Math.round(s * 10_000) / 10_000;

/** A crossing's own cells (CROSSING_COLUMNS). */
function crossingCells(c: CrossingView, lang: UiLang): Cell[] {
  const t = c.traveler;
  const top = c.hits.reduce<number | null>((m, h) => (m === null || h.score > m ? h.score : m), null);
  return [
    c.id, wallClock(c.occurredAt, c.timeZone), c.timeZone, c.checkpoint, valueWord.direction(lang, c.direction), valueWord.outcome(lang, c.outcome),
    c.officer, c.travelerName, t.dateOfBirth ?? null, t.sex ?? null, t.nationality ?? null, t.documentNumber ?? null, t.documentIssuer ?? null,
    t.nationalId ?? null, valueWord.yesNo(lang, c.flagged), c.hits.length, top === null ? null : score(top), c.note, valueWord.yesNo(lang, c.purged),
  ];
}

/** A corrected hit's correction as one text (who corrected it, when, why, and what it was first), times local to `tz`. */
function correctionText(h: CrossingView['hits'][number], tz: string, lang: UiLang): string | null {
  const k = h.correction;
  if (!k) return null;
  const when = (iso: string | null) => {
    const d = wallClock(iso, tz);
    return d ? wallClockText(d) : exportLabel(lang, 'unknown');
  };
  const o = k.original;
  return exportLabel(lang, 'correction', {
    by: k.correctedBy, at: when(k.correctedAt), reason: k.reason, was: valueWord.decision(lang, o.decision),
    wasBy: o.decidedBy ?? exportLabel(lang, 'unknown'), wasAt: when(o.decidedAt), note: o.note ? exportLabel(lang, 'correctionNote', { note: o.note }) : '',
  });
}

/** A hit's own cells (HIT_OWN_COLUMNS); `version` is the number of the list version its entry is in. */
function hitOwnCells(h: CrossingView['hits'][number], version: number | null, tz: string, lang: UiLang): Cell[] {
  return [
    h.list, valueWord.kind(lang, h.listKind), version, h.entryId, h.listedName, h.reference, score(h.score), valueWord.band(lang, h.band),
    valueWord.decision(lang, h.decision), h.decidedBy, wallClock(h.decidedAt, tz), h.note, correctionText(h, tz, lang),
  ];
}

/** The list version number of each hit (by hit id), as export-read.ts looks them up. */
export type HitVersions = ReadonlyMap<string, number>;

/** A crossing's row of the crossings sheet. */
export function crossingRow(c: CrossingView, lang: UiLang): Cell[] {
  return crossingCells(c, lang);
}

/** A crossing's rows of the hits sheet: one per hit (none without hits). */
export function hitSheetRows(c: CrossingView, versions: HitVersions, lang: UiLang): Cell[][] {
  const when = wallClock(c.occurredAt, c.timeZone);
  return c.hits.map((h) => [c.id, when, c.travelerName, ...hitOwnCells(h, versions.get(h.hitId) ?? null, c.timeZone, lang)]);
}

/** A crossing's csv rows: its cells and each hit's, or one row with empty hit cells when it has none. */
export function csvRows(c: CrossingView, versions: HitVersions, lang: UiLang): Cell[][] {
  const own = crossingCells(c, lang);
  if (!c.hits.length) return [[...own, ...HIT_OWN_COLUMNS.map(() => null)]];
  return c.hits.map((h) => [...own, ...hitOwnCells(h, versions.get(h.hitId) ?? null, c.timeZone, lang)]);
}

/** An audit row as exported: its stored fields and the acting account's username (null: none, or the account is gone). */
export interface AuditExportRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  /** The details as stored (JSON text). */
  details: string;
  hash: string;
  prevHash: string;
}

/** An audit row's cells (AUDIT_COLUMNS), its time local to `tz`. */
export function auditRow(a: AuditExportRow, tz: string): Cell[] {
  return [a.seq, wallClock(a.at, tz), tz, a.actor, a.action, a.subject, a.details, a.hash, a.prevHash];
}

// ---------------------------------------------------------------------------------------------
// What the reader sends the writer

/**
 * The messages from the snapshot reader (export-read.ts) to the writer: `begin` (the tables,
 * how many items are to be read, the anchor), `rows` of one table (`advance`: items read, in the
 * unit of `total`), then `end`.
 */
export type ExportMessage =
  | { type: 'begin'; tables: TableSpec[]; total: number; passes: number; anchor: AuditAnchorView }
  | { type: 'rows'; table: number; rows: Cell[][]; advance: number }
  | { type: 'end'; items: number };

// ---------------------------------------------------------------------------------------------
// Writers

/**
 * Writes tables in order. The xlsx writer is asynchronous (`rows` resolves once the batch is
 * taken in: back-pressure); the csv writer writes at once and returns nothing.
 */
export interface ExportWriter {
  /** Starts the next table (after the previous one). */
  table(spec: TableSpec): void;
  rows(rows: Cell[][]): void | Promise<void>;
  /** Ends the last table, writes the anchor and ends the file; done once every byte went to `out`. */
  finish(anchor: AuditAnchorView): void | Promise<void>;
}

/** A text cell as written: neutralized (write.ts), and for xlsx cut at Excel's limit. */
function textCell(v: string, xlsx: boolean): string {
  const t = neutralizeFormula(v) as string;
  if (!xlsx || t.length <= EXCEL_MAX_CELL_TEXT) return t;
  const mark = ` … [${v.length}]`;
  return t.slice(0, EXCEL_MAX_CELL_TEXT - mark.length) + mark;
}

/** A sheet's name: legal, and for the n-th part of a split sheet ending in " (n)". */
export function partSheetName(name: string, part: number): string {
  const base = legalSheetName(name);
  if (part <= 1) return base;
  const suffix = ` (${part})`;
  return legalSheetName(base.slice(0, 31 - suffix.length).trimEnd() + suffix);
}

/**
 * The style of each column type's cells, and of the header's. One object per style, shared by
 * every cell: exceljs caches a style by its object, so a shared one is worked out once (a copy
 * per cell made the writer about half as fast).
 */
const STYLES: Record<ColumnType | 'header', Partial<ExcelJS.Style>> = {
  text: {}, int: { numFmt: '0' }, score: { numFmt: '0.000' }, date: { numFmt: 'yyyy-mm-dd hh:mm:ss' }, header: { font: { bold: true } },
};
/** XML of the current sheet that may wait for the zip before a batch waits (bytes). */
const XLSX_PENDING_BYTES = 4 * 1024 * 1024;

interface PipedStream {
  pipes?: { _writableState?: { length?: number }; once?: (e: string, f: () => void) => void }[];
}

/**
 * The xlsx writer (exceljs streaming WorkbookWriter, no shared strings). `maxRows`: rows per
 * sheet, header included (EXCEL_MAX_ROWS; tests pass a small one to see the split).
 */
export function xlsxWriter(out: (chunk: Buffer) => void, maxRows = EXCEL_MAX_ROWS): ExportWriter {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out(chunk);
      cb();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  let spec: TableSpec | null = null;
  let ws: ExcelJS.Worksheet | null = null;
  let part = 0;
  let rowsInSheet = 0;
  let styles: Partial<ExcelJS.Style>[] = [];
  const used = new Set<string>();

  const open = () => {
    const s = spec!;
    part++;
    let name = partSheetName(s.sheet, part);
    while (used.has(name.toLowerCase())) name = partSheetName(s.sheet, ++part);
    used.add(name.toLowerCase());
    ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    ws.columns = s.columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
    styles = s.columns.map((c) => STYLES[c.type]);
    const head = ws.addRow(s.header.map((h) => textCell(h, true)));
    for (let i = 1; i <= s.columns.length; i++) head.getCell(i).style = STYLES.header;
    head.commit();
    rowsInSheet = 1;
  };
  const close = () => {
    if (!ws || !spec) return;
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rowsInSheet, column: spec.columns.length } };
    ws.commit();
    ws = null;
  };
  /** Waits while the zip has more than XLSX_PENDING_BYTES of this sheet's XML still to take (exceljs's StreamBuf pipes into it). */
  const drained = async () => {
    const pipe = (ws as unknown as { stream?: PipedStream } | null)?.stream?.pipes?.[0];
    const pending = pipe?._writableState?.length;
    if (pipe?.once && typeof pending === 'number') {
      if (pending > XLSX_PENDING_BYTES) await new Promise<void>((r) => pipe.once!('drain', r));
    } else await new Promise<void>((r) => setImmediate(r));
  };
  const cellOf = (v: Cell): Cell => (typeof v === 'string' ? textCell(v, true) : v);
  used.add(ANCHOR_SHEET.toLowerCase());

  return {
    table(s) {
      close();
      spec = s;
      part = 0;
      open();
    },
    async rows(rows) {
      if (!spec) throw new Error('rows before a table');
      for (const r of rows) {
        if (rowsInSheet >= maxRows) {
          close();
          open();
        }
        const row = ws!.addRow(r.map(cellOf));
        for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]!;
        row.commit();
        rowsInSheet++;
      }
      await drained();
    },
    async finish(anchor) {
      close();
      const a = wb.addWorksheet(ANCHOR_SHEET);
      a.columns = [{ width: 24 }, { width: 70 }];
      for (const r of anchorRows(anchor)) a.addRow(r.map((v) => (typeof v === 'string' ? textCell(v, true) : v))).commit();
      a.commit();
      await wb.commit();
      await new Promise<void>((resolve, reject) => {
        if (sink.writableFinished) resolve();
        else {
          sink.once('finish', () => resolve());
          sink.once('error', reject);
        }
      });
    },
  };
}

/** Characters that make papaparse quote a csv field: the delimiter, the quote, CR, LF, the BOM. */
const CSV_QUOTE = /[",\r\n\ufeff]/;
const QUOTES = /"/g;

/**
 * A field as papaparse's unparse writes it (its defaults: comma, double quote): quoted when it
 * holds a comma, a quote, CR, LF or a BOM, or starts or ends with a space; quotes doubled.
 */
export function csvField(t: string): string {
  if (CSV_QUOTE.test(t) || t.charCodeAt(0) === 32 || t.charCodeAt(t.length - 1) === 32) return `"${t.replace(QUOTES, '""')}"`;
  return t;
}

/** A cell as csv text: neutralized text, a number as it is, a date as its wall clock, empty for null. */
function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return wallClockText(v);
  return csvField(textCell(v, false));
}

/** Rows as csv lines, each ending CRLF (papaparse's text for them, without its per-call overhead). */
function csvLines(rows: readonly Cell[][]): string {
  let s = '';
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) s += i ? `,${csvCell(r[i]!)}` : csvCell(r[i]!);
    s += '\r\n';
  }
  return s;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The csv writer: BOM, the first table's header and rows (CRLF), then an empty line and the anchor block. */
export function csvWriter(out: (chunk: Buffer) => void): ExportWriter {
  let started = false;
  return {
    table(spec) {
      if (started) throw new Error('a csv file holds one table');
      started = true;
      out(Buffer.concat([BOM, Buffer.from(csvLines([spec.header]), 'utf8')]));
    },
    rows(rows) {
      if (rows.length) out(Buffer.from(csvLines(rows), 'utf8'));
    },
    finish(anchor) {
      const block = Papa.unparse(anchorRows(anchor).map((r) => r.map((v) => (typeof v === 'string' ? textCell(v, false) : v))), { newline: '\r\n' });
      out(Buffer.from(`\r\n${block}\r\n`, 'utf8'));
    },
  };
}

/** Progress of a writer: items read (in the unit of `total`) and rows written so far. */
export interface WriteProgress {
  done: number;
  total: number;
  rows: number;
}

/** What an export wrote: the items read (crossings, or audit rows) and the rows written (every sheet, headers not counted). */
export interface WriteResult {
  items: number;
  rows: number;
}

/**
 * The writer's side of an export: takes the reader's messages in order (`handle`), writes the
 * file to `out`, and reports progress (items read divided by the passes, so that `done` reaches
 * `total` at the end). `handle` returns the result once `end` was written, else null: at once
 * for csv (the reader's thread writes it as it reads), as a promise for xlsx (awaited one message
 * at a time in the writer's thread).
 */
export class ExportConsumer {
  private writer: ExportWriter | null = null;
  private tables: TableSpec[] = [];
  private current = -1;
  private anchor: AuditAnchorView | null = null;
  private passes = 1;
  private advanced = 0;
  private rows = 0;
  total = 0;

  constructor(
    private readonly format: 'xlsx' | 'csv',
    private readonly out: (chunk: Buffer) => void,
    private readonly onProgress: (p: WriteProgress) => void = () => {},
    private readonly maxRows = EXCEL_MAX_ROWS,
  ) {}

  /** The tables of the export (after `begin`), for decodeRows. */
  get tableSpecs(): readonly TableSpec[] {
    return this.tables;
  }

  handle(m: ExportMessage): WriteResult | null | Promise<WriteResult | null> {
    if (m.type === 'begin') {
      this.tables = m.tables;
      this.total = m.total;
      this.passes = Math.max(1, m.passes);
      this.anchor = m.anchor;
      this.writer = this.format === 'xlsx' ? xlsxWriter(this.out, this.maxRows) : csvWriter(this.out);
      this.progress();
      return null;
    }
    const w = this.writer;
    if (!w) throw new Error('rows before begin');
    if (m.type === 'rows') {
      while (this.current < m.table) w.table(this.tables[++this.current]!);
      const after = (): null => {
        this.rows += m.rows.length;
        this.advanced += m.advance;
        this.progress();
        return null;
      };
      const p = w.rows(m.rows);
      return p ? p.then(after) : after();
    }
    // Every table appears, even when empty (its header only).
    while (this.current < this.tables.length - 1) w.table(this.tables[++this.current]!);
    const done = (): WriteResult => {
      this.advanced = this.total * this.passes;
      this.progress();
      return { items: m.items, rows: this.rows };
    };
    const p = w.finish(this.anchor!);
    return p ? p.then(done) : done();
  }

  private progress(): void {
    this.onProgress({ done: Math.min(this.total, Math.floor(this.advanced / this.passes)), total: this.total, rows: this.rows });
  }
}

/**
 * Rows as they cross from the reader's thread to the writer's: one JSON text (V8 copies one
 * string between threads far faster than it clones thousands of small arrays), date cells as
 * their time in ms (decodeRows makes them dates again by the table's column types).
 */
export function encodeRows(rows: Cell[][]): string {
  return JSON.stringify(rows.map((r) => r.map((v) => (v instanceof Date ? v.getTime() : v))));
}

/** The rows of encodeRows, for the table `spec` (its date columns' numbers become dates again). */
export function decodeRows(json: string, spec: TableSpec): Cell[][] {
  const rows = JSON.parse(json) as Cell[][];
  const dates = spec.columns.flatMap((c, i) => (c.type === 'date' ? [i] : []));
  for (const r of rows) {
    for (const i of dates) {
      const v = r[i];
      if (typeof v === 'number') r[i] = new Date(v);
    }
  }
  return rows;
}
