/**
 * Export jobs in the engine (issue 14): `crossings.exportStart` and `audit.exportStart` start one,
 * `exports.status` shows its progress, `exports.cancel` stops it, `exports.take` hands its file out
 * once. The work runs in two reader workers over their own read-only connection (reader.ts
 * runExport: one snapshot, the anchor of the same snapshot, rows streamed in batches); the engine
 * thread only collects the file's bytes as they come (chunks of about a MB, hashed as they come),
 * so that the file is the only thing an export holds in the engine's memory.
 *
 * Each job belongs to the account that started it: any other account is told it does not exist
 * (as batch.ts). An account runs one export at a time and keeps EXPORT_KEEP_PER_ACCOUNT at most.
 * The file holds personal data: it lives in memory only, until it is handed out, cancelled, its
 * owner signs out, a newer export of its owner pushes it out, or EXPORT_KEEP_MS after it was made. Nothing is audited until the hand-over (`take`, through Engine.deliver: the CLI's
 * --out is written first with the safe writer), which appends `export.crossings` / `export.audit`
 * with `{ sha256, rows, format, lang, filter }`; a cancelled or failed export is never audited,
 * and nothing of it leaves the engine.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import type { ApiError, ApiParsed, CrossingsFilter, ExportJobStatus, ExportResult } from '../../../shared/contract';
import { reason } from '../../../shared/reasons';
import type { AuditEvent } from '../audit';
import { ConflictError, errorEnvelope, InternalError, NotFoundError, WatchdeskError } from '../errors';
import { runExport, type ExportRun, type ExportRunHooks, type ExportRunOptions } from '../reader';
import { localDateTime } from '../time';
import type { AuditExportFilter, ExportSpec } from './export-read';
import type { CrossingsContext } from './query';

/** How long (ms) a finished export keeps its file for its owner, unless handed out before. */
export const EXPORT_KEEP_MS = 30 * 60_000;
/** Ended exports an account keeps at most (their files are in memory): a new export forgets the oldest beyond. */
export const EXPORT_KEEP_PER_ACCOUNT = 3;

/** What an export job is: the spec the workers read, the file's name, and the filter as audited. */
export interface ExportJobInput {
  spec: ExportSpec;
  fileName: string;
  /** The filter as the audit row records it (auditedFilter: no name or document text). */
  auditFilter: Record<string, string | boolean>;
}

/** What starting a job needs of the open desk. */
export interface ExportDeps {
  dbPath: string;
  key: Buffer;
  /** The account that starts it (its owner). */
  actorId: string;
  /** Where internal errors are reported: error class only, never personal data. */
  log?: (line: string) => void;
}

/** Runs the workers of a job (reader.ts runExport; tests may wrap it). */
export type ExportRunner = (dbPath: string, key: Buffer, spec: ExportSpec, hooks: ExportRunHooks, opts: ExportRunOptions) => ExportRun;

/** One export: its owner, progress, and once done its file (until handed out). */
export class ExportJob {
  readonly id = randomUUID();
  state: ExportJobStatus['state'] = 'running';
  done = 0;
  total: number | null = null;
  rows: number | null = null;
  bytes = 0;
  sha256: string | null = null;
  error: ApiError | null = null;
  /** The error the job failed with (rethrown by a waiting `crossings.export`). */
  failure: WatchdeskError | null = null;
  /** True once the file was handed out (it is then dropped). */
  taken = false;
  chunks: Buffer[] = [];
  readonly hash: Hash = createHash('sha256');
  run: ExportRun | null = null;
  /** Settles (never rejects) once the job ended: done, failed or cancelled. */
  settled: Promise<void> = Promise.resolve();
  constructor(readonly actorId: string, readonly input: ExportJobInput) {}

  get kind(): 'crossings' | 'audit' {
    return this.input.spec.kind;
  }

  status(): ExportJobStatus {
    const done = this.state === 'done';
    return {
      jobId: this.id, kind: this.kind, format: this.input.spec.format, state: this.state, done: this.done, total: this.total,
      fileName: done ? this.input.fileName : null, rows: done ? this.rows : null, bytes: done ? this.bytes : null,
      sha256: done ? this.sha256 : null, error: this.error,
    };
  }

  /** Drops the file's bytes (handed out, cancelled, forgotten). */
  drop(): void {
    this.chunks = [];
  }
}

/** The export jobs of one engine: started, looked up by their owner, cancelled, handed out, forgotten. */
export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /**
   * `keepMs`: how long a finished export keeps its file (EXPORT_KEEP_MS); `runner` and `opts`:
   * how the workers run (reader.ts runExport; tests pass a small sheet limit).
   */
  constructor(
    private readonly keepMs = EXPORT_KEEP_MS,
    private readonly runner: ExportRunner = runExport,
    readonly opts: ExportRunOptions = {},
  ) {}

  /** Starts an export; returns at once. Refused (ConflictError `export.alreadyRunning`) while the account has one running. */
  start(deps: ExportDeps, input: ExportJobInput): ExportJob {
    if (this.running().some((j) => j.actorId === deps.actorId)) throw new ConflictError(reason('export.alreadyRunning'));
    const ended = [...this.jobs.values()].filter((j) => j.actorId === deps.actorId);
    while (ended.length >= EXPORT_KEEP_PER_ACCOUNT) this.forget(ended.shift()!.id);
    const job = new ExportJob(deps.actorId, input);
    const run = this.runner(deps.dbPath, deps.key, input.spec, {
      onChunk: (chunk) => {
        job.chunks.push(chunk);
        job.hash.update(chunk);
        job.bytes += chunk.length;
      },
      onProgress: (p) => {
        job.done = p.done;
        job.total = p.total;
      },
    }, this.opts);
    job.run = run;
    this.jobs.set(job.id, job);
    job.settled = run.done.then(
      (r) => {
        if (job.state !== 'running') return;
        job.state = 'done';
        job.rows = r.items;
        job.done = r.items;
        job.total = r.items;
        job.sha256 = job.hash.digest('hex');
      },
      (e: unknown) => {
        if (job.state !== 'running') return;
        job.state = 'failed';
        job.drop();
        const err = e instanceof WatchdeskError ? e : new InternalError(reason('export.internal'));
        if (!(e instanceof WatchdeskError)) deps.log?.(`export failed: ${e instanceof Error ? e.name : typeof e}`);
        job.failure = err;
        job.error = errorEnvelope(err);
      },
    ).then(() => {
      if (this.jobs.has(job.id)) this.timers.set(job.id, setTimeout(() => this.forget(job.id), this.keepMs).unref());
    });
    return job;
  }

  /** The job `jobId` if `actorId` started it; anyone else is told it does not exist (NotFoundError `export.notFound`). */
  get(jobId: string, actorId: string): ExportJob {
    const j = this.jobs.get(jobId);
    if (!j || j.actorId !== actorId) throw new NotFoundError(reason('export.notFound', { minutes: EXPORT_KEEP_MS / 60_000 }));
    return j;
  }

  /**
   * Stops the job: a running export's workers are terminated; a finished one's file is dropped
   * unhanded. Nothing is handed out or audited. A job handed out already stays as it was.
   */
  cancel(jobId: string, actorId: string): void {
    const j = this.get(jobId, actorId);
    if (j.taken || j.state === 'failed' || j.state === 'cancelled') return;
    j.state = 'cancelled';
    j.drop();
    j.run?.cancel();
  }

  /**
   * Hands a finished export's file out once: `deliver` (Engine.deliver: writes the CLI's --out,
   * then appends the audit row) gets the audit event and the exact bytes; the file is then dropped.
   * Throws ConflictError `export.notReady` (running, failed, cancelled) or `export.taken` (a
   * second take), NotFoundError for another account's job, and whatever `deliver` throws (the
   * file is then kept for another try).
   */
  take(jobId: string, actorId: string, deliver: (event: Omit<AuditEvent, 'actorId'>, content: Buffer) => 'file' | 'caller' | void): ExportResult {
    const j = this.get(jobId, actorId);
    if (j.taken) throw new ConflictError(reason('export.taken'));
    if (j.state !== 'done') {
      if (j.failure) throw j.failure;
      throw new ConflictError(reason('export.notReady', { state: j.state }));
    }
    const content = Buffer.concat(j.chunks, j.bytes);
    // The job keeps the joined file (for another try if `deliver` throws), not its chunks too: one copy in memory, not two.
    j.chunks = [content];
    const sha256 = j.sha256!;
    const { spec } = j.input;
    const delivered = deliver({
      action: spec.kind === 'crossings' ? 'export.crossings' : 'export.audit',
      details: { sha256, rows: j.rows, format: spec.format, lang: spec.lang, filter: j.input.auditFilter },
    }, content);
    j.taken = true;
    j.drop();
    // Written to the CLI's --out by the engine: no second (base64) copy of a file that may be hundreds of MB.
    return { fileName: j.input.fileName, contentBase64: delivered === 'file' ? '' : content.toString('base64'), sha256, rows: j.rows ?? 0 };
  }

  /** Cancels and forgets every job of an account (signing out). */
  forgetUser(actorId: string): void {
    for (const j of [...this.jobs.values()]) {
      if (j.actorId !== actorId) continue;
      this.cancel(j.id, actorId);
      this.forget(j.id);
    }
  }

  running(): ExportJob[] {
    return [...this.jobs.values()].filter((j) => j.state === 'running');
  }

  /** Cancels every job and forgets them all (the engine closes). */
  cancelAll(): void {
    for (const j of [...this.jobs.values()]) {
      this.cancel(j.id, j.actorId);
      this.forget(j.id);
    }
  }

  private forget(jobId: string): void {
    clearTimeout(this.timers.get(jobId));
    this.timers.delete(jobId);
    this.jobs.get(jobId)?.drop();
    this.jobs.delete(jobId);
  }
}

/**
 * A filter as an export's audit row records it: the values set (no empty ones), with the
 * traveler's name and document number replaced by `true` (DESIGN.md section 4: audit rows hold no
 * names or document numbers; the search itself is what was asked, not who).
 */
export function auditedExportFilter(f: Record<string, unknown>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (k === 'name' || k === 'document') out[k] = true;
    else if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** The checkpoint's local day of `now` (YYYY-MM-DD), for a file name. */
function localDay(now: Date, timeZone: string): string {
  try {
    return localDateTime(now.toISOString(), timeZone).slice(0, 10);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/**
 * The job of a crossings export request (`crossings.export`, `crossings.exportStart`): the filter
 * read with the caller's scope (`ctx`), the anchor's time `ctx.now`, and the file name in the
 * checkpoint's local date (`watchdesk-crossings-2026-12-07.xlsx`, `watchdesk-flagged-crossings-...`).
 */
export function crossingsExportInput(p: ApiParsed<'crossings.exportStart'>, ctx: CrossingsContext): ExportJobInput {
  const { format, lang, ...filter } = p;
  const f: CrossingsFilter = filter;
  return {
    spec: { kind: 'crossings', format, lang, filter: f, ctx, at: ctx.now.toISOString() },
    fileName: `watchdesk-${f.flaggedOnly ? 'flagged-' : ''}crossings-${localDay(ctx.now, ctx.timeZone)}.${format}`,
    auditFilter: auditedExportFilter(f),
  };
}

/** The job of an audit-trail export (`audit.exportStart`): days and times in `timeZone`; `watchdesk-audit-<local date>.<format>`. */
export function auditExportInput(p: ApiParsed<'audit.exportStart'>, timeZone: string, now: Date): ExportJobInput {
  const { format, lang, ...rest } = p;
  const filter: AuditExportFilter = { from: rest.from, to: rest.to, action: rest.action || undefined };
  return {
    spec: { kind: 'audit', format, lang, filter, timeZone, at: now.toISOString() },
    fileName: `watchdesk-audit-${localDay(now, timeZone)}.${format}`,
    auditFilter: auditedExportFilter({ ...filter }),
  };
}
