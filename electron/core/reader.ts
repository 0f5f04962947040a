/**
 * Long reads off the engine thread: a worker opens its own read-only connection (one consistent
 * snapshot) and builds the crossings export (xlsx or csv, in memory) or the backup file (copied
 * under a fresh key, packed and read back as a restore would), so that neither delays any other
 * call beyond SQLite's own locking. The engine audits what they return.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CrossingView } from '../../shared/contract';
import { buildBackup, type BackupJob } from './db/backup';
import { getNativeBinding, openReader, setNativeBinding } from './db/database';
import { getCrossings, type CrossingFilter } from './screening';
import { writeTables, type CellValue } from './spreadsheet/write';
import { startWorker, workerMain } from './workers';
import { BadInputError } from './errors';
import type { Reason } from '../../shared/reasons';

/** What to export: the crossing filter (days in the checkpoint time zone) and the file format. */
export interface CrossingsExport {
  filter: Pick<CrossingFilter, 'flaggedOnly' | 'from' | 'to' | 'timeZone'>;
  format: 'xlsx' | 'csv';
}

/** A job for the reader worker. */
export type ReaderJob = ({ kind: 'crossings' } & CrossingsExport) | ({ kind: 'backup' } & BackupJob);

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

/** Reads the crossings of `job` from `db` and writes the file (formula-safe; CSV with a BOM). */
export function crossingsFile(db: Parameters<typeof getCrossings>[0], job: CrossingsExport): { content: Buffer; rows: number } {
  const { crossings } = getCrossings(db, { ...job.filter, limit: MAX_ROWS });
  const rows = crossings.map(row);
  const sheet = job.filter.flaggedOnly ? 'Flagged crossings' : 'Crossings';
  return { content: writeTables([{ sheet, header: HEADER, rows }], job.format), rows: rows.length };
}

/**
 * Runs `job` in a worker thread over its own read-only connection: the file's bytes and, for an
 * export, its rows, for a backup, the audit head it holds. Rejects with the worker's error class
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
          ? { ...crossingsFile(db, d.job), headSeq: 0, headHash: '' }
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
