/**
 * Long reads off the engine thread: a worker opens its own read-only connection (one consistent
 * snapshot) and builds the crossings export (xlsx or csv, in memory, with the audit anchor of
 * that snapshot) or the backup file (copied under a fresh key, packed and read back as a restore
 * would), so that neither delays any other call beyond SQLite's own locking. The engine audits
 * what they return. The same worker, under the watchdog and without a database, reads the audit
 * anchor of an xlsx file handed to `audit verify` (readAnchor).
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditAnchorView, CrossingView } from '../../shared/contract';
import { anchorFromCsv, anchorFromXlsx, auditAnchor, type FileAnchor } from './anchor';
import { BACKUP_MAGIC, buildBackup, unpackBackup, type BackupJob } from './db/backup';
import { getNativeBinding, openReader, setNativeBinding } from './db/database';
import { progressBeat, startGuardedWorker } from './guarded-worker';
import { getCrossings, type CrossingFilter } from './screening';
import { writeTables, type CellValue } from './spreadsheet/write';
import { startWorker, workerMain } from './workers';
import { BadInputError, InternalError } from './errors';
import { reason, type Reason } from '../../shared/reasons';

/**
 * What to export: the crossing filter (days in the checkpoint time zone), the file format, and
 * the time its anchor gives (ISO instant; the worker's clock when absent).
 */
export interface CrossingsExport {
  filter: Pick<CrossingFilter, 'flaggedOnly' | 'from' | 'to' | 'timeZone'>;
  format: 'xlsx' | 'csv';
  at?: string;
}

/** A job for the reader worker. */
export type ReaderJob = ({ kind: 'crossings' } & CrossingsExport) | ({ kind: 'backup' } & BackupJob);

/** The anchor job of the reader worker: an xlsx file's bytes, no database. */
interface AnchorJob {
  kind: 'anchor';
  content: Uint8Array;
}

interface ReaderWorkerData {
  dbPath: string;
  key: Uint8Array;
  nativeBinding?: string;
  job: ReaderJob;
}

/** Largest number of crossings one export holds. */
const MAX_ROWS = 1_000_000;

const HEADER = [
  'Crossing ID', 'Time (UTC)', 'Local time', 'Time zone', 'Checkpoint', 'Direction', 'Outcome', 'Officer', 'Traveler',
  'Date of birth', 'Sex', 'Nationality', 'Document', 'Document issuer', 'Flagged', 'Hits', 'Top score', 'Decisions', 'Note',
  'Corrections',
];

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

function row(c: CrossingView): CellValue[] {
  return [
    c.id, c.occurredAt, localTime(c.occurredAt, c.timeZone), c.timeZone, c.checkpoint, c.direction, c.outcome, c.officer,
    c.travelerName, c.traveler.dateOfBirth ?? '', c.traveler.sex ?? '', c.traveler.nationality ?? '',
    c.traveler.documentNumber ?? '', c.traveler.documentIssuer ?? '', c.flagged ? 'yes' : 'no',
    c.hits.map((h) => `${h.list}:${h.entryId} ${h.score.toFixed(2)} ${h.band}`).join('; '),
    c.hits[0]?.score ?? null,
    c.hits.map((h) => `${h.list}:${h.entryId} ${h.decision}${h.note ? ` (${h.note})` : ''}`).join('; '),
    c.note ?? '',
    // The current decision is in Decisions; a corrected hit also says who corrected it, when, and what it was first.
    c.hits.filter((h) => h.correction).map((h) => {
      const k = h.correction!;
      const o = k.original;
      return `${h.list}:${h.entryId} corrected to ${h.decision} by ${k.correctedBy} at ${k.correctedAt}; was ${o.decision} by ${o.decidedBy ?? '?'} at ${o.decidedAt ?? '?'}${o.note ? ` (${o.note})` : ''}`;
    }).join('; '),
  ];
}

/**
 * Reads the crossings of `job` from `db` and the audit anchor (anchor.ts) in one read transaction,
 * so that the anchor is the head of the same snapshot as the rows, and writes the file
 * (formula-safe; CSV with a BOM; the anchor as the last sheet or block).
 */
export function crossingsFile(db: Parameters<typeof getCrossings>[0], job: CrossingsExport): { content: Buffer; rows: number; anchor: AuditAnchorView } {
  const { crossings, anchor } = db.transaction(() => ({
    anchor: auditAnchor(db, job.at ?? new Date()),
    crossings: getCrossings(db, { ...job.filter, limit: MAX_ROWS }).crossings,
  }))();
  const rows = crossings.map(row);
  const sheet = job.filter.flaggedOnly ? 'Flagged crossings' : 'Crossings';
  return { content: writeTables([{ sheet, header: HEADER, rows }], job.format, anchor), rows: rows.length, anchor };
}

/**
 * Runs `job` in a worker thread over its own read-only connection: the file's bytes, for an
 * export its rows, and the audit head it holds (an export's anchor, a backup's head). Rejects with the worker's error class
 * (a BadInputError's reason is kept) when it fails.
 */
export function runReaderJob(dbPath: string, key: Buffer, job: ReaderJob): Promise<{ content: Buffer; rows: number; headSeq: number; headHash: string }> {
  const data: ReaderWorkerData = { dbPath, key: new Uint8Array(key), nativeBinding: getNativeBinding(), job };
  const worker = startWorker('reader-worker', new URL('./reader.ts', import.meta.url), { ...data });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { type: string; content?: Uint8Array; rows?: number; headSeq?: number; headHash?: string; reason?: string; badInput?: Reason }) => {
      if (m.type === 'done') resolve({ content: Buffer.from(m.content!), rows: m.rows ?? 0, headSeq: m.headSeq ?? 0, headHash: m.headHash ?? '' });
      else if (m.type === 'failed') reject(m.badInput ? new BadInputError(m.badInput) : new Error(`the ${job.kind} job failed (${m.reason})`));
      else return;
      void worker.terminate();
    });
    worker.on('error', (e) => reject(new Error(`the ${job.kind} worker failed (${e.name})`)));
    worker.on('exit', () => reject(new Error(`the ${job.kind} worker stopped`)));
  });
}

/**
 * Reads the audit anchor of a file handed to `audit verify` (anchor.ts): a csv export's last block
 * (bounded, here), a backup's header (its audit head and creation time; backups carry no root key),
 * or an xlsx export's anchor sheet, read in the reader worker under the watchdog (guarded-worker.ts)
 * because the file may be hostile. Rejects with BadInputError: `anchor.fileType`, `anchor.notFound`,
 * `anchor.damaged`, the reader's or the watchdog's reason, `backup.notBackup` / `backup.damaged`;
 * InternalError `file.readerStopped` when the worker could not run.
 */
export async function readAnchor(content: Buffer, fileName: string): Promise<FileAnchor> {
  const fileSha256 = createHash('sha256').update(content).digest('hex');
  const ext = (fileName.toLowerCase().split('.').pop() ?? '').slice(0, 10);
  if (content.subarray(0, BACKUP_MAGIC.length).toString('utf8') === BACKUP_MAGIC) {
    const { header } = unpackBackup(content);
    const root = typeof header.auditHead.root === 'string' ? header.auditHead.root : null;
    return { anchor: { seq: header.auditHead.seq, hash: header.auditHead.hash, root, at: header.createdAt }, source: 'backup', fileSha256 };
  }
  if (ext === 'csv') return { anchor: anchorFromCsv(content), source: 'csv', fileSha256 };
  if (ext !== 'xlsx') throw new BadInputError(reason('anchor.fileType', { ext }));
  const anchor = await new Promise<AuditAnchorView>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    const job: AnchorJob = { kind: 'anchor', content: new Uint8Array(content.buffer, content.byteOffset, content.length) };
    const worker = startGuardedWorker('reader-worker', new URL('./reader.ts', import.meta.url), { anchorJob: job }, { onStop: (e) => settle(() => reject(e)) });
    worker.on('message', (m: { type?: string; anchor?: AuditAnchorView; reason?: Reason }) => {
      if (m.type === 'done') settle(() => resolve(m.anchor!));
      else if (m.type === 'failed') settle(() => reject(new BadInputError(m.reason ?? reason('file.unreadable'))));
    });
    worker.on('error', () => settle(() => reject(new InternalError(reason('file.readerStopped')))));
    worker.on('exit', () => settle(() => reject(new InternalError(reason('file.readerStopped')))));
  });
  return { anchor, source: 'xlsx', fileSha256 };
}

// Anchor worker body: an xlsx file's anchor sheet, read under the watchdog (readAnchor).
if (parentPort && (workerData as { anchorJob?: AnchorJob } | null)?.anchorJob) {
  workerMain(() => {
    const { content } = (workerData as { anchorJob: AnchorJob }).anchorJob;
    const post = (m: unknown) => parentPort!.postMessage(m);
    try {
      const beat = progressBeat((fraction) => post({ type: 'progress', fraction }));
      beat(0);
      post({ type: 'done', anchor: anchorFromXlsx(Buffer.from(content.buffer, content.byteOffset, content.length), beat) });
    } catch (e) {
      post({ type: 'failed', reason: e instanceof BadInputError ? e.reason : reason('file.unreadable') });
    }
  });
}

// Worker body: runs only in the reader worker thread (workerData names its job).
if (parentPort && (workerData as Partial<ReaderWorkerData> | null)?.job) {
  workerMain(async () => {
    const d = workerData as ReaderWorkerData;
    setNativeBinding(d.nativeBinding);
    const key = Buffer.from(d.key);
    try {
      const db = openReader(d.dbPath, key);
      try {
        const out = d.job.kind === 'crossings'
          ? (({ content, rows, anchor }) => ({ content, rows, headSeq: anchor.seq, headHash: anchor.hash }))(crossingsFile(db, d.job))
          : await buildBackup(db, key, d.job).then(({ file, head }) => ({ content: file, rows: 0, headSeq: head.seq, headHash: head.hash }));
        const bytes = new Uint8Array(out.content.buffer, out.content.byteOffset, out.content.length);
        parentPort!.postMessage({ type: 'done', content: bytes, rows: out.rows, headSeq: out.headSeq, headHash: out.headHash });
      } finally {
        db.close();
        key.fill(0);
      }
    } catch (e) {
      parentPort!.postMessage({ type: 'failed', reason: e instanceof Error ? e.name : typeof e, badInput: e instanceof BadInputError ? e.reason : undefined });
    }
  });
}
