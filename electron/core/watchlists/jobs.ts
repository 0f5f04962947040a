/**
 * Import jobs: the file is parsed in a worker thread (parse-worker.ts, under the watchdog of
 * guarded-worker.ts: a read that stalls or runs out of memory ends the job with its own reason,
 * `file.parseStalled` / `file.parseTooLarge`, the database untouched) while the main thread only
 * receives entry batches, gives them stable ids, diffs them against the active version and stages
 * them in the encrypted database in short transactions (so the event loop stays free). Publishing
 * is then one transaction: the staged version becomes active (or waits for approval) together
 * with its audit row. A cancelled, failed or killed job leaves only a staging version, which is
 * deleted; the active version is never touched before that last transaction.
 *
 * Nothing personal is written outside the encrypted database: no temporary or staging files.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type {
  ApiError, DiffItem, EntryView, ImportDiff, ImportJobStatus, ImportReport, NotPublishedReason, VersionState,
} from '../../../shared/contract';
import type { ListKind } from '../../../shared/domain';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { startGuardedWorker } from '../guarded-worker';
import type { ParsedEntry } from './mapping';
import { fromWire, MAX_IN_FLIGHT, type ParseMeta, type ParseRequest, type ParseSummary, type WireEntry } from './parse';
import { assertManagedHere, assertNotRetired, type ListRow } from './store';
import { activateVersion, cleanupStaging, saveMapping, savedMappings } from './versions';
import { judgeSourceDate } from './source-date';
import { BadInputError, ConflictError, errorEnvelope, InternalError, WatchdeskError } from '../errors';
import { reason, type Reason } from '../../../shared/reasons';

export interface ImportFile {
  fileName: string;
  content: Buffer;
}

export interface ImportJobInput {
  listName: string;
  kind?: ListKind;
  files: ImportFile[];
  sheet?: string;
  mapping?: Record<string, number>;
  /** Date-of-birth column's day/month order and compact-date reading (parse.ts ParseRequest); default detected. */
  dateOrder?: ParseRequest['dateOrder'];
  compactDates?: ParseRequest['compactDates'];
  dryRun?: boolean;
}

export interface ImportDeps {
  db: DB;
  actorId: string;
  now: () => Date;
  /** Called after a version became active (the engine drops its match index). */
  onPublished: () => void;
}

/** Entries kept in memory for the preview and the report export. */
const PREVIEW_KEEP = 1000;
const PREVIEW_REPORT = 50;
const SAMPLES = 50;
/** Entries staged per transaction (one macrotask each), so the event loop is never held long. */
const SLICE = 100;
/** Finished jobs kept for their status and report export, per database. */
const KEEP_FINISHED = 10;

export class ImportJob {
  readonly id = randomUUID();
  state: ImportJobStatus['state'] = 'running';
  stage: ImportJobStatus['stage'] = 'reading';
  fraction = 0;
  report: ImportReport | null = null;
  error: ApiError | null = null;
  /** Entries kept for the report export (first PREVIEW_KEEP). */
  preview: ParsedEntry[] = [];
  readonly done: Promise<ImportReport>;
  worker: Worker | null = null;
  cancelled = false;
  stagingVersionId: string | null = null;
  constructor(readonly actorId: string, readonly listName: string, run: (job: ImportJob) => Promise<ImportReport>) {
    this.done = run(this);
    this.done.catch(() => {});
  }

  status(): ImportJobStatus {
    return { jobId: this.id, state: this.state, stage: this.stage, fraction: this.fraction, report: this.report, error: this.error };
  }
}

/**
 * The import jobs of one engine: started, looked up, cancelled, and waited for here, so that the
 * engine can refuse a key rotation while one runs and cancel them all at shutdown.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  /** Starts an import job; returns at once. `job.done` settles with the report (or a BadInputError). */
  start(deps: ImportDeps, input: ImportJobInput): ImportJob {
    const key = input.listName.trim().toLowerCase();
    for (const j of this.running()) {
      if (j.listName.trim().toLowerCase() === key) throw new ConflictError(reason('import.alreadyRunning'));
    }
    const job = new ImportJob(deps.actorId, input.listName, (j) => runImport(deps, input, j, this));
    this.jobs.set(job.id, job);
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    while (finished.length > KEEP_FINISHED) this.jobs.delete(finished.shift()!.id);
    return job;
  }

  /** The job with this id, or throws. */
  get(jobId: string): ImportJob {
    const j = this.jobs.get(jobId);
    if (!j) throw new BadInputError(reason('import.jobNotFound'));
    return j;
  }

  /** Cancels a running job: the worker is stopped and the staged version deleted. */
  cancel(jobId: string): void {
    const j = this.get(jobId);
    if (j.state !== 'running') return;
    j.cancelled = true;
    void j.worker?.terminate();
  }

  running(): ImportJob[] {
    return [...this.jobs.values()].filter((j) => j.state === 'running');
  }

  /** Staging versions that running jobs are still filling (not to be cleaned up). */
  stagingInUse(): Set<string> {
    return new Set(this.running().map((j) => j.stagingVersionId).filter((x): x is string => Boolean(x)));
  }

  /** Cancels every running job and resolves when each has settled (its staging deleted). */
  async cancelAll(): Promise<void> {
    const running = this.running();
    for (const j of running) this.cancel(j.id);
    await Promise.allSettled(running.map((j) => j.done));
  }
}

let lastMs = 0;
let seq = 0;
/** Random bytes drawn 64 KiB at a time (one system call per 4,096 ids). */
let pool = Buffer.alloc(0);
let poolOffset = 0;
/**
 * A time-ordered UUID (version 7, RFC 9562): entry rows of one import get increasing ids, so the
 * primary-key index grows at its end instead of at random pages (much faster for large lists).
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else seq++;
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(16 * 4096);
    poolOffset = 0;
  }
  const b = Buffer.from(pool.subarray(poolOffset, (poolOffset += 16)));
  const ms = lastMs + Math.floor(seq / 4096);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

interface OldEntry {
  hash: string;
  nameKey: string | null;
}

/** Bytes hashed per macrotask (sha256Of). */
const HASH_SLICE = 4 * 1024 * 1024;
/**
 * Share of the reading stage's fraction that hashing the file on this thread takes (before the
 * parse worker, whose modules take a second or so to load, reports its own read): the bar moves
 * as soon as the file is being read, and the event loop is never held for a whole large file.
 */
const HASH_SHARE = 0.02;

/**
 * The SHA-256 (hex) of the import: of the file, or of the files' digests in order (OFAC's set).
 * Hashed HASH_SLICE bytes per macrotask; `progress(fraction 0..1)` after each slice.
 */
async function sha256Of(files: ImportFile[], progress: (fraction: number) => void): Promise<string> {
  const total = files.reduce((n, f) => n + f.content.length, 0) || 1;
  let done = 0;
  const digest = async (content: Buffer) => {
    const h = createHash('sha256');
    for (let i = 0; i < content.length; i += HASH_SLICE) {
      if (i > 0) await tick();
      const end = Math.min(i + HASH_SLICE, content.length);
      h.update(content.subarray(i, end));
      done += end - i;
      progress(done / total);
    }
    return h.digest();
  };
  if (files.length === 1) return (await digest(files[0]!.content)).toString('hex');
  const h = createHash('sha256');
  for (const f of files) h.update(await digest(f.content));
  return h.digest('hex');
}

function toView(e: ParsedEntry): EntryView {
  return {
    id: '', entryId: e.entryId, sourceRow: e.sourceRow, names: e.names, dateOfBirth: e.dateOfBirth, sex: e.sex,
    nationalities: e.nationalities, documents: e.documents, reference: e.reference, reason: e.reason, remarks: e.remarks,
  };
}

async function runImport(deps: ImportDeps, input: ImportJobInput, job: ImportJob, jobs: ImportJobs): Promise<ImportReport> {
  const { db } = deps;
  await tick();
  await cleanupStaging(db, jobs.stagingInUse());
  try {
    const report = await importBody(deps, input, job, jobs);
    job.report = report;
    job.state = 'done';
    job.stage = 'finished';
    job.fraction = 1;
    return report;
  } catch (e) {
    if (job.stagingVersionId) {
      job.stagingVersionId = null;
      await cleanupStaging(db, jobs.stagingInUse());
    }
    job.stage = 'finished';
    if (job.cancelled) {
      job.state = 'cancelled';
      const cancelled = new BadInputError(reason('import.cancelled'));
      job.error = errorEnvelope(cancelled);
      throw cancelled;
    }
    job.state = 'failed';
    job.error = errorEnvelope(e instanceof WatchdeskError ? e : new InternalError(reason('import.internal')));
    throw e;
  }
}

async function importBody(deps: ImportDeps, input: ImportJobInput, job: ImportJob, jobs: ImportJobs): Promise<ImportReport> {
  const { db, actorId } = deps;
  const list = db.prepare('SELECT * FROM watchlists WHERE name = ?').get(input.listName) as ListRow | undefined;
  if (list) assertManagedHere(db, list.id);
  // A retired list takes no new version until reactivated (lifecycle.ts); a dry run publishes nothing.
  if (list && !input.dryRun) assertNotRetired(db, list.id);
  if (list && input.kind && input.kind !== list.kind) throw new BadInputError(reason('list.kindMismatch', { list: input.listName, actual: list.kind, wanted: input.kind }));
  const sha256 = await sha256Of(input.files, (f) => (job.fraction = HASH_SHARE * f));

  // The active version's entries, by stable id and by content, read in chunks while the worker
  // already parses (loadOld runs before the first batch is taken), so that a large list's
  // re-import shows the read moving from the start.
  const old = new Map<string, OldEntry>();
  const oldByHash = new Map<string, string>();
  const oldByNameKey = new Map<string, string>();
  let againstVersion: number | null = null;
  const activeId = list?.active_version_id ?? null;
  if (activeId) againstVersion = (db.prepare('SELECT number FROM list_versions WHERE id = ?').get(activeId) as { number: number }).number;
  /** Set once the parse has ended (done, failed or cancelled): loadOld stops. */
  let parseEnded = false;
  const loadOld = async () => {
    if (!activeId) return;
    const page = db.prepare('SELECT rowid AS r, external_id, content_hash, name_key FROM entries WHERE version_id = ? AND rowid > ? ORDER BY rowid LIMIT 5000');
    let after = 0;
    while (!job.cancelled && !parseEnded) {
      const rows = page.all(activeId, after) as { r: number; external_id: string; content_hash: string; name_key: string | null }[];
      if (!rows.length) break;
      for (const r of rows) {
        old.set(r.external_id, { hash: r.content_hash, nameKey: r.name_key });
        if (!oldByHash.has(r.content_hash)) oldByHash.set(r.content_hash, r.external_id);
        if (r.name_key && !oldByNameKey.has(r.name_key)) oldByNameKey.set(r.name_key, r.external_id);
      }
      after = rows[rows.length - 1]!.r;
      await tick();
    }
  };

  const request: ParseRequest = {
    files: input.files.map((f) => ({ fileName: f.fileName, content: new Uint8Array(f.content.buffer, f.content.byteOffset, f.content.length) })),
    sheet: input.sheet,
    mapping: input.mapping,
    savedMappings: savedMappings(db, input.listName),
    dateOrder: input.dateOrder, compactDates: input.compactDates, now: deps.now().getTime(),
  };

  let meta: ParseMeta | null = null;
  let listId = list?.id ?? null;
  let createdList = false;
  const used = new Set<string>();
  const diff: ImportDiff = { againstVersion, added: 0, removed: 0, changed: 0, unchanged: 0, samples: { added: [], removed: [], changed: [] } };
  const counts = { aliases: 0, datesOfBirth: 0, withNationality: 0, passports: 0, nationalIds: 0 };
  let imported = 0;
  const insert = db.prepare(
    `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference, reason, remarks)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );

  const beginStaging = () => {
    if (input.dryRun || job.stagingVersionId) return;
    db.transaction(() => {
      if (!listId) {
        listId = randomUUID();
        createdList = true;
        db.prepare('INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?,?,?,?,?)').run(
          listId, input.listName, input.kind ?? 'wanted', deps.now().toISOString(), actorId,
        );
      }
      const number = ((db.prepare('SELECT max(number) AS n FROM list_versions WHERE list_id = ?').get(listId) as { n: number | null }).n ?? 0) + 1;
      const versionId = randomUUID();
      db.prepare(
        `INSERT INTO list_versions (id, list_id, number, file_name, sha256, sheet, mapping, rows_read, imported, rejected, status, state, header_signature, created_at, created_by)
         VALUES (?,?,?,?,?,?,?,0,0,0,'superseded','staging',?,?,?)`,
      ).run(versionId, listId, number, input.files.map((f) => f.fileName).join(' + '), sha256, meta?.sheet ?? null,
        JSON.stringify(meta?.mapping ?? {}), meta?.signature ?? null, deps.now().toISOString(), actorId);
      job.stagingVersionId = versionId;
    })();
  };

  /** Gives each entry of a batch its stable id, counts and diffs it, and stages it (one short transaction per slice). */
  const onBatch = (batch: WireEntry[]) => {
    if (job.cancelled) return;
    const ids: string[] = [];
    for (const e of batch) {
      let id = e.entryId;
      if (!e.hasExternalId) {
        const byHash = oldByHash.get(e.contentHash);
        const byName = oldByNameKey.get(e.nameKey);
        if (byHash && !used.has(byHash)) id = byHash;
        else if (byName && !used.has(byName)) id = byName;
      }
      // Without an active version the worker's ids are already unique (RowConverter.finish); keep no set.
      if (activeId) {
        if (used.has(id)) id = `${id}#${e.sourceRow}`;
        used.add(id);
      }
      e.entryId = id;
      ids.push(id);
      const was = old.get(id);
      const item = (): DiffItem => ({ entryId: id, name: e.firstName, sourceRow: e.sourceRow });
      if (!activeId) diff.added++;
      else if (!was) {
        diff.added++;
        if (diff.samples.added.length < SAMPLES) diff.samples.added.push(item());
      } else if (was.hash !== e.contentHash) {
        diff.changed++;
        if (diff.samples.changed.length < SAMPLES) diff.samples.changed.push(item());
      } else diff.unchanged++;
      counts.aliases += e.aliases;
      if (e.dateOfBirth) counts.datesOfBirth++;
      if (e.nationalities !== '[]') counts.withNationality++;
      counts.passports += e.passports;
      counts.nationalIds += e.nationalIds;
      if (job.preview.length < PREVIEW_KEEP) job.preview.push(fromWire(e));
    }
    imported += batch.length;
    if (input.dryRun) return;
    beginStaging();
    const vid = job.stagingVersionId!;
    db.transaction(() => {
      for (const e of batch) {
        insert.run(uuidv7(), vid, e.entryId, e.sourceRow, e.contentHash, e.nameKey, e.names, e.matchKeys, e.dateOfBirth, e.sex,
          e.nationalities, e.documents, e.reference, e.reason, e.remarks);
      }
    })();
  };

  // A larger page cache while staging (inserts into the entry indexes); restored afterwards.
  // Staged rows need no fsync per transaction (synchronous NORMAL is still crash-safe in WAL mode;
  // at worst the last staged rows are lost, and staging is thrown away after a crash anyway).
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  const syncBefore = db.pragma('synchronous', { simple: true }) as number;
  if (!input.dryRun) {
    db.pragma('cache_size = -131072');
    db.pragma('synchronous = NORMAL');
  }
  const summary = await new Promise<ParseSummary>((resolve, reject) => {
    const credit = new Int32Array(new SharedArrayBuffer(4));
    let queue: Promise<void> = Promise.resolve();
    let settled = false;
    let finished = false;
    let worker: Worker;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      parseEnded = true;
      void worker.terminate();
      job.worker = null;
      f();
    };
    try {
      // Under the watchdog (a stalled or runaway read ends with its own reason); the worker
      // waiting for its credit (this thread staging the entries) is not a stall.
      worker = startGuardedWorker('parse-worker', new URL('./parse-worker.ts', import.meta.url), {}, {
        waiting: () => Atomics.load(credit, 0) >= MAX_IN_FLIGHT,
        onStop: (e) => settle(() => reject(job.cancelled ? new BadInputError(reason('import.cancelled')) : e)),
      });
    } catch {
      reject(new Error('the import worker could not be started'));
      return;
    }
    job.worker = worker;
    // Cancelled before the worker existed: stop it now (it would parse the whole file).
    if (job.cancelled) void worker.terminate();
    worker.on('message', (m: { type: string; meta?: ParseMeta; entries?: WireEntry[]; fraction?: number; summary?: ParseSummary; reason?: Reason }) => {
      try {
        if (m.type === 'meta') {
          meta = m.meta!;
          beginStaging();
        } else if (m.type === 'entries') {
          // One batch per macrotask, then give the worker its credit back (parse-worker.ts).
          const batch = m.entries as unknown as WireEntry[];
          for (let i = 0; i < batch.length; i += SLICE) {
            const slice = batch.slice(i, i + SLICE);
            const last = i + SLICE >= batch.length;
            queue = queue.then(() => new Promise<void>((r) => setImmediate(() => {
              try {
                if (!settled) onBatch(slice);
              } catch (e) {
                settle(() => reject(e instanceof Error ? e : new Error('the import failed')));
              }
              if (last) {
                Atomics.sub(credit, 0, 1);
                Atomics.notify(credit, 0);
              }
              r();
            })));
          }
        }
        else if (m.type === 'progress') job.fraction = Math.min(0.99, HASH_SHARE + (1 - HASH_SHARE) * m.fraction!);
        else if (m.type === 'done') {
          const summary = m.summary!;
          finished = true;
          void queue.then(() => settle(() => resolve(summary)));
        }
        else if (m.type === 'error') settle(() => reject(new BadInputError(m.reason ?? reason('import.unreadable'))));
      } catch (e) {
        settle(() => reject(e instanceof Error ? e : new Error('the import failed')));
      }
    });
    worker.on('error', () => settle(() => reject(job.cancelled ? new BadInputError(reason('import.cancelled')) : new Error('the import worker failed'))));
    worker.on('exit', () => {
      if (!finished) settle(() => reject(new BadInputError(reason(job.cancelled ? 'import.cancelled' : 'import.workerStopped'))));
    });
    worker.postMessage({ kind: 'import', req: request, credit: credit.buffer });
    // Batches wait for the active version's entries (they are diffed against them).
    queue = loadOld().catch((e: unknown) => settle(() => reject(e instanceof Error ? e : new Error('the import failed'))));
  }).finally(() => {
    db.pragma(`cache_size = ${Number(cacheBefore)}`);
    db.pragma(`synchronous = ${Number(syncBefore)}`);
  });
  if (job.cancelled) throw new BadInputError(reason('import.cancelled'));
  const m = meta as ParseMeta | null;
  if (!m) throw new BadInputError(reason('import.unreadable'));
  job.stage = 'publishing';

  // Removed: ids of the active version not seen in the new file.
  if (activeId) {
    const sampleIds = new Set<string>();
    for (const id of old.keys()) {
      if (used.has(id)) continue;
      diff.removed++;
      if (sampleIds.size < SAMPLES) sampleIds.add(id);
    }
    const changedIds = new Set(diff.samples.changed.map((c) => c.entryId));
    const oldRows = new Map<string, Record<string, unknown>>();
    if (sampleIds.size || changedIds.size) {
      const page = db.prepare('SELECT rowid AS r, * FROM entries WHERE version_id = ? AND rowid > ? ORDER BY rowid LIMIT 5000');
      for (let after = 0; ;) {
        const rows = page.all(activeId, after) as (Record<string, unknown> & { r: number; external_id: string })[];
        if (!rows.length) break;
        for (const r of rows) if (sampleIds.has(r.external_id) || changedIds.has(r.external_id)) oldRows.set(r.external_id, r);
        after = rows[rows.length - 1]!.r;
        await tick();
      }
    }
    for (const id of sampleIds) {
      const r = oldRows.get(id);
      diff.samples.removed.push({ entryId: id, name: (JSON.parse((r?.names as string) ?? '[]') as { name: string }[])[0]?.name ?? '', sourceRow: (r?.source_row as number) ?? 0 });
    }
    for (const c of diff.samples.changed) {
      const o = oldRows.get(c.entryId);
      const n = job.preview.find((e) => e.entryId === c.entryId);
      if (!o || !n) continue;
      const now: Record<string, unknown> = {
        names: JSON.stringify(n.names), date_of_birth: n.dateOfBirth, sex: n.sex, nationalities: JSON.stringify(n.nationalities),
        documents: JSON.stringify(n.documents), reference: n.reference, reason: n.reason, remarks: n.remarks,
      };
      c.fields = Object.keys(now).filter((k) => (o[k] ?? null) !== (now[k] ?? null));
    }
  }

  const same = list
    ? (db.prepare("SELECT id, number, created_at, state FROM list_versions WHERE list_id = ? AND sha256 = ? AND state != 'staging' ORDER BY number DESC LIMIT 1")
      .get(list.id, sha256) as { id: string; number: number; created_at: string; state: VersionState } | undefined)
    : undefined;
  // The file's own date, unless it is in the future or implausibly old (then a warning, and the age counts from the import).
  const { sourceDate, problem: dateProblem } = judgeSourceDate(summary.sourceDate, deps.now());
  if (dateProblem) summary.problems.unshift(dateProblem);
  const errors = summary.problems.filter((p) => p.severity === 'error').length;
  const report: ImportReport = {
    listId: list?.id ?? null, versionId: null, versionNumber: null,
    fileName: input.files.map((f) => f.fileName).join(' + '), sha256, sheet: m.sheet, headerRow: m.headerRow,
    mapping: Object.fromEntries(Object.entries(m.mapping).map(([f, j]) => [f, m.columns[j]?.header || `column ${(j) + 1}`])),
    rowsRead: summary.rowsRead, imported, rejected: summary.rejected, problems: summary.problems,
    published: false, dryRun: Boolean(input.dryRun), jobId: job.id, preset: m.preset, sheets: m.sheets, columns: m.columns,
    columnMapping: m.mapping, suggestedMapping: m.suggested, mappingSource: m.mappingSource,
    errors, warnings: summary.problems.length - errors, skipped: summary.skipped, counts,
    sameFileAs: same ? { versionNumber: same.number, createdAt: same.created_at, state: same.state, active: same.id === activeId } : null,
    diff: activeId ? diff : null, pendingApproval: false, notPublished: null,
    preview: job.preview.slice(0, PREVIEW_REPORT).map(toView), sourceDate,
    dateColumns: summary.dateColumns ?? [],
  };

  let notPublished: NotPublishedReason | null = null;
  if (input.dryRun) notPublished = 'dry-run';
  else if (imported === 0) notPublished = 'no-entries';
  else if (report.sameFileAs?.active && diff.added + diff.removed + diff.changed === 0) notPublished = 'same-as-active';
  if (notPublished) {
    if (job.stagingVersionId) {
      job.stagingVersionId = null;
      await cleanupStaging(db, jobs.stagingInUse());
    }
    return { ...report, listId: createdList ? null : report.listId, notPublished };
  }

  // Cancelled (or the engine shutting down) during the publishing stage: nothing is published.
  if (job.cancelled) throw new BadInputError(reason('import.cancelled'));
  const versionId = job.stagingVersionId!;
  const now = deps.now();
  const result = db.transaction(() => {
    const l = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(listId) as ListRow;
    const number = (db.prepare('SELECT number FROM list_versions WHERE id = ?').get(versionId) as { number: number }).number;
    db.prepare('UPDATE list_versions SET rows_read = ?, imported = ?, rejected = ?, diff = ?, sheet = ?, mapping = ?, source_date = ? WHERE id = ?').run(
      summary.rowsRead, imported, summary.rejected, JSON.stringify({ againstVersion, added: diff.added, removed: diff.removed, changed: diff.changed, unchanged: diff.unchanged }),
      m.sheet, JSON.stringify(m.mapping), sourceDate, versionId,
    );
    if (createdList) appendAudit(db, { actorId, action: 'list.create', subject: l.id, details: { kind: l.kind } }, now);
    if (!m.preset) saveMapping(db, actorId, input.listName, m.signature, m.mapping, now);
    const details = {
      listId: l.id, number, sha256, rowsRead: summary.rowsRead, imported, rejected: summary.rejected,
      added: diff.added, removed: diff.removed, changed: diff.changed,
    };
    if (l.require_approval) {
      // A newer import replaces a version still waiting for approval.
      db.prepare("UPDATE list_versions SET state = 'rejected' WHERE list_id = ? AND state = 'pending'").run(l.id);
      db.prepare("UPDATE list_versions SET state = 'pending' WHERE id = ?").run(versionId);
      appendAudit(db, { actorId, action: 'list.import.pending', subject: versionId, details }, now);
      return { number, pending: true };
    }
    activateVersion(db, l.id, versionId, now);
    appendAudit(db, { actorId, action: 'list.import', subject: versionId, details }, now);
    return { number, pending: false };
  })();
  job.stagingVersionId = null;
  if (!result.pending) deps.onPublished();
  return { ...report, listId, versionId, versionNumber: result.number, published: !result.pending, pendingApproval: result.pending };
}
