/**
 * Batch screening jobs: a passenger manifest screened in the background, one traveler at a time
 * (screening.ts `screenManifest`; the file itself is read in the parse worker under the watchdog,
 * manifest.ts), so that other calls are answered in between. Each job belongs
 * to the user who started it: only they see its progress and result. A user runs one batch at a
 * time; a cancelled batch stops before its next traveler and keeps what it screened.
 *
 * Results hold personal data: they live in memory only (never in a temporary file or a log), for
 * their owner, until discarded, replaced by the owner's next batch, the owner signs out, or
 * BATCH_KEEP_MS after the batch ended. Each batch is audited once, when it ends: counts and the
 * manifest's SHA-256, never names.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ApiError, AuditAnchorView, BatchJobStatus, BatchResult, BatchRow, HitView } from '../../shared/contract';
import { needsDecision } from '../../shared/domain';
import { reason } from '../../shared/reasons';
import { appendAudit } from './audit';
import type { DB } from './db/database';
import { ConflictError, errorEnvelope, InternalError, NotFoundError, WatchdeskError } from './errors';
import { screenManifest, type Screener } from './screening';
import { localDateTime } from './time';
import { writeTables, type CellValue } from './spreadsheet/write';

/** How long (ms) a batch that ended keeps its result for its owner. */
export const BATCH_KEEP_MS = 30 * 60_000;
/** How long (ms) a batch waits for the first match index of a newly published list before it fails busy. */
const INDEX_WAIT_MS = 10 * 60_000;

export interface BatchInput {
  fileName: string;
  content: Buffer;
  /** Hits kept per traveler. */
  top: number;
  minScore?: number;
}

export interface BatchDeps {
  screener: Screener;
  /** The engine's open connection at the moment of use (for the audit row). */
  db: () => DB;
  actorId: string;
  now: () => Date;
  /** Where internal errors are reported: error class only, never personal data. */
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Test-only pause before each traveler (WATCHDESK_TEST_BATCH_DELAY_MS), to watch progress and cancel a small batch. */
function testDelayMs(): number {
  return Number(process.env.WATCHDESK_TEST_BATCH_DELAY_MS ?? 0) || 0;
}

/** One batch: its owner, progress, and result once it ended. */
export class BatchJob {
  readonly id = randomUUID();
  state: BatchJobStatus['state'] = 'running';
  done = 0;
  total: number | null = null;
  result: BatchResult | null = null;
  error: ApiError | null = null;
  readonly controller = new AbortController();
  /** Settles (never rejects) once the job ended and was audited. */
  settled: Promise<void> = Promise.resolve();
  constructor(readonly actorId: string, readonly fileName: string) {}

  status(): BatchJobStatus {
    return { jobId: this.id, state: this.state, fileName: this.fileName, done: this.done, total: this.total, result: this.result, error: this.error };
  }
}

/** The batch jobs of one engine: started, looked up by their owner, cancelled, and forgotten here. */
export class BatchJobs {
  private readonly jobs = new Map<string, BatchJob>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** `keepMs`: how long an ended batch keeps its result (BATCH_KEEP_MS; shorter in tests). */
  constructor(private readonly keepMs = BATCH_KEEP_MS) {}

  /** Starts a batch; returns at once. Refused (conflict, `batch.alreadyRunning`) while the user has one running. */
  start(deps: BatchDeps, input: BatchInput): BatchJob {
    if (this.running().some((j) => j.actorId === deps.actorId)) throw new ConflictError(reason('batch.alreadyRunning'));
    // One batch kept per user: a new one forgets the last result.
    this.forgetUser(deps.actorId);
    const job = new BatchJob(deps.actorId, input.fileName);
    this.jobs.set(job.id, job);
    job.settled = runBatch(deps, input, job).then(() => {
      if (!this.jobs.has(job.id)) return;
      this.timers.set(job.id, setTimeout(() => this.forget(job.id), this.keepMs).unref());
    });
    return job;
  }

  /** The job `jobId` if `actorId` started it; anyone else is told it does not exist. */
  get(jobId: string, actorId: string): BatchJob {
    const j = this.jobs.get(jobId);
    if (!j || j.actorId !== actorId) throw new NotFoundError(reason('batch.notFound', { minutes: BATCH_KEEP_MS / 60_000 }));
    return j;
  }

  /** Stops the job before its next traveler (nothing to do once it ended). */
  cancel(jobId: string, actorId: string): void {
    this.get(jobId, actorId).controller.abort();
  }

  /** Cancels the job if it runs and forgets it and its result now. */
  discard(jobId: string, actorId: string): void {
    this.cancel(jobId, actorId);
    this.forget(jobId);
  }

  /** Cancels and forgets every job of a user (signing out). */
  forgetUser(actorId: string): void {
    for (const j of [...this.jobs.values()]) {
      if (j.actorId !== actorId) continue;
      j.controller.abort();
      this.forget(j.id);
    }
  }

  running(): BatchJob[] {
    return [...this.jobs.values()].filter((j) => j.state === 'running');
  }

  /** Cancels every running job, waits until each ended (and was audited), then forgets them all. */
  async cancelAll(): Promise<void> {
    const all = [...this.jobs.values()];
    for (const j of all) j.controller.abort();
    await Promise.all(all.map((j) => j.settled));
    for (const j of all) this.forget(j.id);
  }

  private forget(jobId: string): void {
    clearTimeout(this.timers.get(jobId));
    this.timers.delete(jobId);
    this.jobs.delete(jobId);
  }
}

/** Waits until every list with an active version is in the index (a list just published), unless cancelled. */
async function indexReady(screener: Screener, signal: AbortSignal, now: () => Date): Promise<void> {
  const until = Date.now() + INDEX_WAIT_MS;
  while (!signal.aborted && Date.now() < until && screener.plan(now()).lists.some((l) => l.screenedVersion === null)) await sleep(250);
}

async function runBatch(deps: BatchDeps, input: BatchInput, job: BatchJob): Promise<void> {
  await new Promise<void>((r) => setImmediate(r)); // the start call is answered first
  const startedAt = deps.now().toISOString();
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const delay = testDelayMs();
  const { signal } = job.controller;
  try {
    await indexReady(deps.screener, signal, deps.now);
    const result = await screenManifest(deps.screener, input.content, input.fileName, input.top, input.minScore, deps.now(), {
      signal,
      onProgress: async (done, total) => {
        job.done = done;
        job.total = total;
        if (delay && done < total && !signal.aborted) await sleep(delay);
      },
    });
    job.result = result;
    // Cancelled before its last traveler, or while the manifest was still being read (no total yet).
    job.state = signal.aborted && (job.total === null || job.done < job.total) ? 'cancelled' : 'done';
  } catch (e) {
    if (!(e instanceof WatchdeskError)) deps.log?.(`batch screening failed: ${e instanceof Error ? e.name : typeof e}`);
    job.state = 'failed';
    job.error = errorEnvelope(e instanceof WatchdeskError ? e : new InternalError(reason('batch.internal')));
  }
  const rows = job.result?.rows ?? [];
  try {
    appendAudit(deps.db(), {
      actorId: deps.actorId, action: 'screening.batch', subject: job.id,
      details: {
        sha256, state: job.state, startedAt, travelers: job.total, screened: job.done,
        withHits: rows.filter((r) => r.hits.length).length, atReview: rows.filter((r) => atReview(r.hits) > 0).length,
        problems: job.result?.problems.length ?? null,
      },
    }, deps.now());
  } catch (e) {
    // The database closed under the job (the desk locked): nothing else to record it in.
    deps.log?.(`batch screening not audited: ${e instanceof Error ? e.name : typeof e}`);
  }
}

/** Hits at or above their list's review band. */
export function atReview(hits: HitView[]): number {
  return hits.filter((h) => needsDecision(h.band)).length;
}

const TRAVELERS_HEADER = [
  'Row', 'ID', 'Traveler', 'Document (MRZ)', 'Hits', 'Hits at or above review', 'Top list', 'Top list kind', 'Top entry ID',
  'Top entry row', 'Top entry name', 'Top score', 'Top band', 'All hits',
];
const HITS_HEADER = [
  'Row', 'ID', 'Traveler', 'Rank', 'List', 'List kind', 'Entry ID', 'Entry row', 'Entry name', 'Entry date of birth',
  'Entry nationality', 'Reference', 'Score', 'Band', 'Why', 'Action',
];
const PROBLEMS_HEADER = ['Sheet', 'Row', 'Column', 'Severity', 'Problem'];

const score2 = (s: number): number => Math.round(s * 100) / 100;
const entryName = (h: HitView): string => h.entry.names.find((n) => n.kind === 'primary')?.name ?? h.entry.names[0]?.name ?? '';

function travelerRow(r: BatchRow): CellValue[] {
  const top = r.hits[0];
  return [
    r.row, r.id ?? '', r.name, r.mrz?.documentNumber ?? '', r.hits.length, atReview(r.hits), top?.list ?? '', top?.listKind ?? '',
    top?.entryId ?? '', top?.sourceRow ?? null, top ? entryName(top) : '', top ? score2(top.score) : null, top?.band ?? '',
    r.hits.map((h) => `${h.list}:${h.entryId} ${h.score.toFixed(2)} ${h.band}`).join('; '),
  ];
}

function hitRows(r: BatchRow): CellValue[][] {
  return r.hits.map((h, i) => [
    r.row, r.id ?? '', r.name, i + 1, h.list, h.listKind, h.entryId, h.sourceRow, entryName(h), h.entry.dateOfBirth ?? '',
    h.entry.nationalities.join(', '), h.entry.reference ?? '', score2(h.score), h.band, h.explanation.summary, h.action,
  ]);
}

/**
 * A batch result as a file: xlsx with the sheets Travelers (one row each, the top hit and a
 * summary of all), Hits (one row per hit) and Problems; csv holds the Travelers sheet (UTF-8 with
 * BOM). Cells that would be read as formulas are neutralized (spreadsheet/write.ts). The file
 * carries `anchor` (anchor.ts: the audit head just before the export's own row).
 */
export function batchFile(result: BatchResult, format: 'xlsx' | 'csv', withHitsOnly: boolean, anchor: AuditAnchorView): { content: Buffer; rows: number } {
  const rows = withHitsOnly ? result.rows.filter((r) => r.hits.length) : result.rows;
  const content = writeTables([
    { sheet: 'Travelers', header: TRAVELERS_HEADER, rows: rows.map(travelerRow) },
    { sheet: 'Hits', header: HITS_HEADER, rows: rows.flatMap(hitRows) },
    { sheet: 'Problems', header: PROBLEMS_HEADER, rows: result.problems.map((p) => [p.sheet, p.row, p.column ?? '', p.severity, p.message]) },
  ], format, anchor);
  return { content, rows: rows.length };
}

/** The export's file name: the manifest's name (letters, digits, `_-` only) and the day at the checkpoint (time zone `tz`). */
export function batchFileName(job: Pick<BatchJob, 'fileName'>, format: 'xlsx' | 'csv', now: Date, tz: string): string {
  const base = job.fileName.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60);
  return `watchdesk-batch-${base}-${localDateTime(now.toISOString(), tz).slice(0, 10)}.${format}`;
}
