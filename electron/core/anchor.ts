/**
 * The audit anchor (issue 15, DESIGN.md section 4 "the chain head is ... written into every
 * export"): the head of the audit trail (row, hash), the desk's root key fingerprint and the time,
 * written into every export and printed hit report, so that the head is also kept where an insider
 * who rewrites or cuts the trail and its head file together cannot reach it.
 *
 * What an anchor covers: an export's anchor is the head just before the export's own audit row
 * (that row records the file's SHA-256, so it cannot itself be inside the file); the file names
 * row N, and a row after N names the file. A printed report's anchor is its own `report.print` row
 * (that row holds ids only, not the page).
 *
 * Where it is in a file:
 * - xlsx: a last sheet named "Audit anchor" holding the rows below (field, value);
 * - csv: after the data rows, one empty line, then the same rows; the block starts with the marker
 *   row `# Watchdesk audit anchor` and is the last thing in the file. The data rows above it are
 *   byte for byte what they were without it.
 * The rows: the marker (with the format version), `Audit row`, `Row hash (SHA-256)`, `Root key`
 * (32 hex digits, or `none` on a desk that does not sign yet), `Made at (UTC)`, then two lines of
 * help for the reader. Reading takes the marker's last occurrence and the field rows after it.
 */
import Papa from 'papaparse';
import type { AnchorCheckView, AuditAnchorView, AuditVerifyResult } from '../../shared/contract';
import { reason } from '../../shared/reasons';
import { auditHead, headConsistent, signingRoot } from './audit';
import type { DB } from './db/database';
import { BadInputError } from './errors';
import { cellText, openWorkbook } from './spreadsheet/read';

/** Name of the anchor's sheet in an xlsx export. */
export const ANCHOR_SHEET = 'Audit anchor';
/** First cell of the anchor's first row, in both formats (a csv reader finds the block by it). */
export const ANCHOR_MARKER = '# Watchdesk audit anchor';
/** Version of the anchor's layout, in the marker row's second cell. */
const ANCHOR_FORMAT = 'format 1';

const FIELD = { seq: 'Audit row', hash: 'Row hash (SHA-256)', root: 'Root key', at: 'Made at (UTC)' } as const;

/** How far from the end of a csv file (bytes) the anchor block is looked for: it is a few hundred bytes. */
const CSV_TAIL_BYTES = 16 * 1024;

/** The anchor as of now: the trail's head (last row and hash), the root key's fingerprint, `at`. */
export function auditAnchor(db: DB, at: Date | string): AuditAnchorView {
  const head = auditHead(db);
  return { seq: head.seq, hash: head.hash, root: signingRoot(db), at: typeof at === 'string' ? at : at.toISOString() };
}

/** The anchor as rows of two cells (field, value), marker row first: the xlsx sheet and the csv block. */
export function anchorRows(a: AuditAnchorView): [string, string | number][] {
  return [
    [ANCHOR_MARKER, ANCHOR_FORMAT],
    [FIELD.seq, a.seq],
    [FIELD.hash, a.hash],
    [FIELD.root, a.root ?? 'none'],
    [FIELD.at, a.at],
    ['Covers', 'the audit trail up to this row; the row that records this export (with the SHA-256 of this file) comes after it'],
    ['Check with', 'watchdesk audit verify --anchor <this file>'],
  ];
}

/**
 * Reads an anchor from rows of cell texts (the anchor sheet, or a csv's last rows): the last
 * marker row and the field rows after it. Throws BadInputError `anchor.notFound` without a marker,
 * `anchor.damaged` naming the first field missing or malformed.
 */
export function anchorFromRows(rows: string[][]): AuditAnchorView {
  let start = -1;
  rows.forEach((r, i) => {
    if ((r[0] ?? '').trim() === ANCHOR_MARKER) start = i;
  });
  if (start < 0) throw new BadInputError(reason('anchor.notFound'));
  const fields = new Map<string, string>();
  for (const r of rows.slice(start + 1)) {
    const k = (r[0] ?? '').trim();
    if (k && !fields.has(k)) fields.set(k, (r[1] ?? '').trim());
  }
  const damaged = (field: string) => new BadInputError(reason('anchor.damaged', { field }));
  const seqText = fields.get(FIELD.seq) ?? '';
  if (!/^\d{1,15}$/.test(seqText)) throw damaged(FIELD.seq);
  const hash = (fields.get(FIELD.hash) ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) throw damaged(FIELD.hash);
  const rootText = (fields.get(FIELD.root) ?? '').replace(/\s+/g, '').toLowerCase();
  if (rootText !== 'none' && !/^[0-9a-f]{32}$/.test(rootText)) throw damaged(FIELD.root);
  const at = fields.get(FIELD.at) ?? '';
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) || Number.isNaN(Date.parse(at))) throw damaged(FIELD.at);
  return { seq: Number(seqText), hash, root: rootText === 'none' ? null : rootText, at };
}

/**
 * Reads the anchor block at the end of a csv export (UTF-8, as Watchdesk writes it). Only the
 * file's last CSV_TAIL_BYTES are decoded and parsed (bounded work on any file, so it runs on the
 * engine thread). Throws as anchorFromRows.
 */
export function anchorFromCsv(content: Buffer): AuditAnchorView {
  const tail = content.length > CSV_TAIL_BYTES ? content.subarray(content.length - CSV_TAIL_BYTES) : content;
  const text = tail.toString('utf8').replace(/\r\n?/g, '\n');
  const at = text.lastIndexOf(`\n${ANCHOR_MARKER}`);
  const block = at >= 0 ? text.slice(at + 1) : text.startsWith(ANCHOR_MARKER) ? text : '';
  if (!block) throw new BadInputError(reason('anchor.notFound'));
  const parsed = Papa.parse<string[]>(block, { delimiter: ',', skipEmptyLines: true });
  return anchorFromRows(parsed.data);
}

/**
 * Reads the anchor sheet of an xlsx export (only that sheet is inflated). Meant for the reader
 * worker under the watchdog (reader.ts readAnchor): `progress` is its progress beat. Throws the
 * reader's BadInputError for a damaged workbook, else as anchorFromRows.
 */
export function anchorFromXlsx(content: Buffer, progress: (fraction?: number) => void): AuditAnchorView {
  const book = openWorkbook(content, 'anchor.xlsx', (f) => progress(f));
  if (!book.sheetNames.includes(ANCHOR_SHEET)) throw new BadInputError(reason('anchor.notFound'));
  const rows: string[][] = [];
  book.readRows(ANCHOR_SHEET, (cells) => {
    progress();
    rows.push(cells.slice(0, 2).map(cellText));
    return rows.length < 100;
  });
  return anchorFromRows(rows);
}

/** An anchor as read from a file, with where it was read and the file's SHA-256. */
export interface FileAnchor {
  anchor: AuditAnchorView;
  source: AnchorCheckView['source'];
  fileSha256: string;
}

/**
 * Checks an anchor read from a file against the trail, after `verified` (verifyAudit's result for
 * the trail, the head file and the anchor's root as the expected root): the trail must still hold
 * row `seq` with the hash the file recorded (a cut or rewritten trail fails), and a row after it
 * must record the file's SHA-256 (an export's or backup's own row: a file changed after it was
 * made, or a trail cut just after the anchor, fails). Returns `verified` with the anchor's finding
 * (`anchor`), and ok false with the anchor's message when the trail itself passed but the anchor
 * does not.
 */
export function checkAnchor(db: DB, read: FileAnchor, verified: AuditVerifyResult): AuditVerifyResult {
  const a = read.anchor;
  // The root itself is verifyAudit's to check (`expectedRoot`): here it only marks the anchor's finding.
  const rootOk = a.root === null || a.root === verified.rootKey;
  const view = (ok: boolean, exportSeq: number | null): AnchorCheckView => ({ ...a, source: read.source, fileSha256: read.fileSha256, exportSeq, ok: ok && rootOk });
  const what = read.source === 'backup' ? 'this backup' : 'this export';
  const lost = `the trail no longer holds row ${a.seq} with the hash ${what} recorded`;
  const end = auditHead(db).seq;
  if (a.seq > end) {
    const out = { anchor: view(false, null), firstBrokenSeq: end + 1, missingFrom: end + 1 };
    const message = `${lost}: it ends at row ${end} (rows ${end + 1} to ${a.seq} at least were cut)`;
    return verified.ok ? { ...verified, ...out, ok: false, message } : { ...verified, anchor: out.anchor };
  }
  if (!headConsistent(db, a)) {
    const message = `${lost}: row ${a.seq} differs from it (the trail was rewritten up to that row)`;
    return verified.ok ? { ...verified, ok: false, firstBrokenSeq: a.seq, message, anchor: view(false, null) } : { ...verified, anchor: view(false, null) };
  }
  const row = db.prepare(
    `SELECT seq FROM audit WHERE seq > ? AND (action LIKE 'export.%' OR action = 'backup.create') AND json_extract(details, '$.sha256') = ? ORDER BY seq LIMIT 1`,
  ).get(a.seq, read.fileSha256) as { seq: number } | undefined;
  if (!row) {
    const message = `the trail holds row ${a.seq} as ${what} recorded, but no row after it records the file's SHA-256 ${read.fileSha256}: the file was changed after it was made, or the row that recorded it was cut`;
    return verified.ok ? { ...verified, ok: false, message, anchor: view(false, null) } : { ...verified, anchor: view(false, null) };
  }
  const anchor = view(true, row.seq);
  if (!verified.ok) return { ...verified, anchor };
  return { ...verified, anchor, message: `${verified.message}; ${what} anchors row ${a.seq}, which the trail holds with that hash, and row ${row.seq} records the file` };
}
