/**
 * The crossings export as a workbook or CSV, built off the engine thread: a worker opens its own
 * read-only connection (one consistent snapshot), reads the crossings and writes the file in
 * memory, so that an export of a million rows delays no other call. The engine audits it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CrossingView } from '../../shared/contract';
import { getNativeBinding, openReader, setNativeBinding } from './db/database';
import { getCrossings, type CrossingFilter } from './screening';
import { writeTables, type CellValue } from './spreadsheet/write';
import { startWorker, workerMain } from './workers';

/** What to export: the crossing filter (days in the checkpoint time zone) and the file format. */
export interface CrossingsExport {
  filter: Pick<CrossingFilter, 'flaggedOnly' | 'from' | 'to' | 'timeZone'>;
  format: 'xlsx' | 'csv';
}

interface ExportWorkerData {
  dbPath: string;
  key: Uint8Array;
  nativeBinding?: string;
  job: CrossingsExport;
}

/** Largest number of crossings one export holds. */
const MAX_ROWS = 1_000_000;

const HEADER = [
  'Crossing ID', 'Time (UTC)', 'Local time', 'Time zone', 'Checkpoint', 'Direction', 'Outcome', 'Officer', 'Traveler',
  'Date of birth', 'Sex', 'Nationality', 'Document', 'Document issuer', 'Flagged', 'Hits', 'Top score', 'Decisions', 'Note',
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
  ];
}

/** Reads the crossings of `job` from `db` and writes the file (formula-safe; CSV with a BOM). */
export function crossingsFile(db: Parameters<typeof getCrossings>[0], job: CrossingsExport): { content: Buffer; rows: number } {
  const { crossings } = getCrossings(db, { ...job.filter, limit: MAX_ROWS });
  const rows = crossings.map(row);
  const sheet = job.filter.flaggedOnly ? 'Flagged crossings' : 'Crossings';
  return { content: writeTables([{ sheet, header: HEADER, rows }], job.format), rows: rows.length };
}

/** Builds the export in a worker thread over its own read-only connection; rejects when the worker fails. */
export function exportCrossings(dbPath: string, key: Buffer, job: CrossingsExport): Promise<{ content: Buffer; rows: number }> {
  const data: ExportWorkerData = { dbPath, key: new Uint8Array(key), nativeBinding: getNativeBinding(), job };
  const worker = startWorker('export-worker', new URL('./exports.ts', import.meta.url), { ...data });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { type: string; content?: Uint8Array; rows?: number; reason?: string }) => {
      if (m.type === 'done') resolve({ content: Buffer.from(m.content!), rows: m.rows! });
      else if (m.type === 'failed') reject(new Error(`the export failed (${m.reason})`));
      else return;
      void worker.terminate();
    });
    worker.on('error', (e) => reject(new Error(`the export worker failed (${e.name})`)));
    worker.on('exit', () => reject(new Error('the export worker stopped')));
  });
}

// Worker body: runs only in the export worker thread (workerData names this job).
if (parentPort && (workerData as Partial<ExportWorkerData> | null)?.job) {
  workerMain(() => {
    const d = workerData as ExportWorkerData;
    setNativeBinding(d.nativeBinding);
    const key = Buffer.from(d.key);
    try {
      const db = openReader(d.dbPath, key);
      key.fill(0);
      try {
        const { content, rows } = crossingsFile(db, d.job);
        const bytes = new Uint8Array(content.buffer, content.byteOffset, content.length);
        parentPort!.postMessage({ type: 'done', content: bytes, rows });
      } finally {
        db.close();
      }
    } catch (e) {
      parentPort!.postMessage({ type: 'failed', reason: e instanceof Error ? e.name : typeof e });
    }
  });
}
