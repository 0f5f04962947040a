/**
 * Long reads off the engine thread: a worker opens its own read-only connection (one consistent
 * snapshot) and builds the backup file (copied under a fresh key, packed and read back as a
 * restore would), counts the dashboard, or reads an export (crossings, audit trail) for the export writer, so that
 * neither delays any other call beyond SQLite's own locking. The engine audits what they return.
 * The same worker, under the watchdog and without a database, reads the audit anchor of an xlsx
 * file handed to `audit verify` (readAnchor).
 *
 * An export (runExport) reads in one read transaction (export-read.ts, rows in batches) and sends
 * the file's bytes to the engine in chunks of about EXPORT_CHUNK_BYTES. A csv export is one
 * worker: export.ts csvWriter writes each batch as it is read. An xlsx export is two, joined by a
 * MessageChannel: the reader, and the writer (exceljs, whose zip drains asynchronously while
 * export-read.ts reads synchronously); the reader sleeps on a shared counter (Atomics.wait) while
 * EXPORT_IN_FLIGHT batches wait for the writer, so neither holds more than a few batches.
 */
import { createHash } from 'node:crypto';
import { MessageChannel, parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import type { AuditAnchorView, DashboardView } from '../../shared/contract';
import { anchorFromCsv, anchorFromXlsx, type FileAnchor } from './anchor';
import { BACKUP_MAGIC, buildBackup, unpackBackup, type BackupJob } from './db/backup';
import { getNativeBinding, openReader, setNativeBinding } from './db/database';
import { progressBeat, startGuardedWorker } from './guarded-worker';
import { decodeRows, encodeRows, ExportConsumer, type ExportMessage, type WriteProgress, type WriteResult } from './crossings/export';
import { readExport, type ExportSpec } from './crossings/export-read';
import { dashboard, type DashboardRange } from './crossings/dashboard';
import { startWorker, workerMain } from './workers';
import { BadInputError, InternalError, type WatchdeskError } from './errors';
import { reason, type Reason } from '../../shared/reasons';

/** The dashboard's counts for a range of local days, as of `at` (ISO instant): crossings/dashboard.ts. */
interface DashboardJob {
  range: DashboardRange;
  timeZone: string;
  at: string;
}

/** A job for the reader worker. */
export type ReaderJob = ({ kind: 'backup' } & BackupJob) | ({ kind: 'dashboard' } & DashboardJob);

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
 * The supervisors' dashboard (crossings/dashboard.ts) counted in the reader worker over its own
 * read-only connection, so that a long range delays no screening. Rejects with BadInputError for a
 * range the dashboard refuses (`dashboard.rangeTooLong`, `date.yearOutOfRange`).
 */
export async function readDashboard(dbPath: string, key: Buffer, range: DashboardRange, timeZone: string, now: Date): Promise<DashboardView> {
  const { content } = await runReaderJob(dbPath, key, { kind: 'dashboard', range: { from: range.from, to: range.to }, timeZone, at: now.toISOString() });
  return JSON.parse(content.toString('utf8')) as DashboardView;
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

/** Batches the export reader may have sent ahead of the xlsx writer before it waits. */
export const EXPORT_IN_FLIGHT = 4;
/** An export's file goes to the engine in chunks of about this many bytes. */
export const EXPORT_CHUNK_BYTES = 1024 * 1024;
/** Least time (ms) between two progress messages of an export. */
const EXPORT_PROGRESS_MS = 200;

/** What the engine is told while an export runs: the file's bytes in order, and progress. */
export interface ExportRunHooks {
  onChunk: (chunk: Buffer) => void;
  onProgress: (p: WriteProgress) => void;
}

/** Test and tuning knobs of an export: rows per xlsx sheet (EXCEL_MAX_ROWS) and items per read batch. */
export interface ExportRunOptions {
  maxRowsPerSheet?: number;
  batchSize?: number;
  /** Tests only: the reader sleeps this many ms after each batch, so that a job is seen running however fast the machine. */
  batchDelayMs?: number;
}

/** A running export: `done` resolves once every byte went to `onChunk`; `cancel` stops its workers at once. */
export interface ExportRun {
  done: Promise<WriteResult>;
  cancel: () => void;
}

interface ExportReadData {
  exportRead: {
    dbPath: string; key: Uint8Array; nativeBinding?: string; spec: ExportSpec; batchSize?: number; batchDelayMs?: number;
    /** xlsx: the writer's port and the shared count of batches sent and not yet written. csv: absent (written here). */
    port?: MessagePort; gate?: SharedArrayBuffer;
  };
}

interface ExportWriteData {
  exportWrite: { port: MessagePort; gate: SharedArrayBuffer; maxRowsPerSheet?: number };
}

/** A message of the reader to the xlsx writer: as ExportMessage, rows as encodeRows text. */
type WireMessage = Exclude<ExportMessage, { type: 'rows' }> | { type: 'rows'; table: number; json: string; advance: number };

type ExportWorkerMessage =
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'progress'; progress: WriteProgress }
  | { type: 'done'; result: WriteResult }
  | { type: 'read' }
  | { type: 'failed'; reason: string; badInput?: Reason };

/**
 * Runs the export `spec` in reader workers (see the module's comment): csv in one (it reads over
 * its own read-only connection with `key` and writes as it reads), xlsx in two (the reader, and
 * the writer it feeds). The file's bytes come to `hooks.onChunk` in order, progress to
 * `hooks.onProgress`. `done` rejects with BadInputError (a reason the reader gave) or
 * InternalError `export.internal` (a worker failed or stopped); after `cancel` it rejects too, and
 * no hook is called any more.
 */
export function runExport(dbPath: string, key: Buffer, spec: ExportSpec, hooks: ExportRunHooks, opts: ExportRunOptions = {}): ExportRun {
  const source = new URL('./reader.ts', import.meta.url);
  const read: ExportReadData['exportRead'] = { dbPath, key: new Uint8Array(key), nativeBinding: getNativeBinding(), spec, batchSize: opts.batchSize, batchDelayMs: opts.batchDelayMs };
  let writer: Worker | null = null;
  let reader: Worker;
  if (spec.format === 'xlsx') {
    const channel = new MessageChannel();
    const gate = new SharedArrayBuffer(4);
    const write: ExportWriteData['exportWrite'] = { port: channel.port2, gate, maxRowsPerSheet: opts.maxRowsPerSheet };
    reader = startWorker('reader-worker', source, { exportRead: { ...read, port: channel.port1, gate } }, { transferList: [channel.port1] });
    writer = startWorker('reader-worker', source, { exportWrite: write }, { transferList: [channel.port2] });
  } else reader = startWorker('reader-worker', source, { exportRead: read });
  const producer = writer ?? reader;
  let settled = false;
  let readerDone = false;
  let finish!: (r: WriteResult) => void;
  let fail!: (e: WatchdeskError) => void;
  const done = new Promise<WriteResult>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  done.catch(() => {});
  const settle = (f: () => void) => {
    if (settled) return;
    settled = true;
    void reader.terminate();
    void writer?.terminate();
    f();
  };
  const failure = (m: { badInput?: Reason }) => (m.badInput ? new BadInputError(m.badInput) : new InternalError(reason('export.internal')));
  const workers = writer ? [reader, writer] : [reader];
  for (const w of workers) {
    w.on('message', (m: ExportWorkerMessage) => {
      if (settled) return;
      if (m.type === 'failed') settle(() => fail(failure(m)));
      else if (m.type === 'read') readerDone = true;
      else if (w !== producer) return;
      else if (m.type === 'chunk') hooks.onChunk(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else if (m.type === 'progress') hooks.onProgress(m.progress);
      else if (m.type === 'done') settle(() => finish(m.result));
    });
    w.on('error', () => settle(() => fail(new InternalError(reason('export.internal')))));
    w.on('exit', () => {
      if (w === reader && readerDone && writer) return;
      settle(() => fail(new InternalError(reason('export.internal'))));
    });
  }
  return { done, cancel: () => settle(() => fail(new InternalError(reason('export.internal')))) };
}

/**
 * The file's bytes, gathered into chunks of about EXPORT_CHUNK_BYTES and sent to the engine
 * (their memory handed over, not copied), and progress at most every EXPORT_PROGRESS_MS.
 */
function fileSender(post: (m: ExportWorkerMessage, transfer?: ArrayBuffer[]) => void) {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lastProgress = 0;
  const flush = () => {
    if (!pendingBytes) return;
    const bytes = new Uint8Array(pendingBytes);
    let at = 0;
    for (const c of pending) {
      bytes.set(c, at);
      at += c.length;
    }
    pending = [];
    pendingBytes = 0;
    post({ type: 'chunk', bytes }, [bytes.buffer]);
  };
  return {
    out: (c: Buffer) => {
      pending.push(c);
      pendingBytes += c.length;
      if (pendingBytes >= EXPORT_CHUNK_BYTES) flush();
    },
    progress: (progress: WriteProgress) => {
      const now = Date.now();
      if (now - lastProgress < EXPORT_PROGRESS_MS) return;
      lastProgress = now;
      post({ type: 'progress', progress });
    },
    done: (result: WriteResult) => {
      flush();
      post({ type: 'done', result });
    },
  };
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
        const job = d.job;
        const out = job.kind === 'dashboard'
          ? { content: Buffer.from(JSON.stringify(dashboard(db, job.range, job.timeZone, new Date(job.at)))), rows: 0, headSeq: 0, headHash: '' }
          : await buildBackup(db, key, job).then(({ file, head }) => ({ content: file, rows: 0, headSeq: head.seq, headHash: head.hash }));
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

// Export reader body (runExport): one read transaction; csv written here, xlsx rows sent to the writer.
if (parentPort && (workerData as Partial<ExportReadData> | null)?.exportRead) {
  workerMain(() => {
    const d = (workerData as ExportReadData).exportRead;
    setNativeBinding(d.nativeBinding);
    const key = Buffer.from(d.key);
    const post = (m: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
    let send: (m: ExportMessage) => void;
    if (d.port && d.gate) {
      const { port } = d;
      const gate = new Int32Array(d.gate);
      // Kept open (and this thread alive) until the engine ends the export: what was sent stays deliverable.
      port.on('message', () => {});
      send = (m) => {
        if (m.type !== 'rows') return port.postMessage(m satisfies WireMessage);
        // At most EXPORT_IN_FLIGHT batches wait for the writer; this thread sleeps until one is written.
        for (let n = Atomics.load(gate, 0); n >= EXPORT_IN_FLIGHT; n = Atomics.load(gate, 0)) Atomics.wait(gate, 0, n, 1000);
        Atomics.add(gate, 0, 1);
        port.postMessage({ type: 'rows', table: m.table, json: encodeRows(m.rows), advance: m.advance } satisfies WireMessage);
      };
    } else {
      const file = fileSender(post);
      const consumer = new ExportConsumer('csv', file.out, file.progress);
      send = (m) => {
        const r = consumer.handle(m) as WriteResult | null;
        if (r) file.done(r);
      };
    }
    if (d.batchDelayMs) {
      const direct = send;
      const nap = new Int32Array(new SharedArrayBuffer(4));
      send = (m) => {
        direct(m);
        if (m.type === 'rows') Atomics.wait(nap, 0, 0, d.batchDelayMs);
      };
    }
    try {
      const db = openReader(d.dbPath, key);
      try {
        readExport(db, d.spec, send, d.batchSize);
      } finally {
        db.close();
      }
      post({ type: 'read' });
    } catch (e) {
      post({ type: 'failed', reason: e instanceof Error ? e.name : typeof e, badInput: e instanceof BadInputError ? e.reason : undefined });
    } finally {
      key.fill(0);
    }
  });
}

// Export writer body (runExport, xlsx): the reader's messages in order, the file's bytes to the engine in chunks.
if (parentPort && (workerData as Partial<ExportWriteData> | null)?.exportWrite) {
  workerMain(() => {
    const d = (workerData as ExportWriteData).exportWrite;
    const gate = new Int32Array(d.gate);
    const file = fileSender((m, transfer = []) => parentPort!.postMessage(m, transfer));
    const consumer = new ExportConsumer('xlsx', file.out, file.progress, d.maxRowsPerSheet);
    const queue: WireMessage[] = [];
    let busy = false;
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length) {
          const w = queue.shift()!;
          const m: ExportMessage = w.type === 'rows' ? { type: 'rows', table: w.table, rows: decodeRows(w.json, consumer.tableSpecs[w.table]!), advance: w.advance } : w;
          const result = await consumer.handle(m);
          if (m.type === 'rows') {
            Atomics.sub(gate, 0, 1);
            Atomics.notify(gate, 0);
          }
          if (result) file.done(result);
        }
        busy = false;
      } catch (e) {
        parentPort!.postMessage({ type: 'failed', reason: e instanceof Error ? e.name : typeof e } satisfies ExportWorkerMessage);
      }
    };
    d.port.on('message', (m: WireMessage) => {
      queue.push(m);
      void pump();
    });
  });
}
