/**
 * The match index as the engine sees it: built in a worker thread of its own while the previous
 * index (in its own worker) keeps answering, then swapped in whole. Before the first index is
 * ready, `match` throws IndexBuildingError with the build's progress instead of waiting.
 */
import type { Worker } from 'node:worker_threads';
import { getNativeBinding } from '../db/database';
import { reason, type Reason } from '../../../shared/reasons';
import { BusyError } from '../errors';
import type { BuildStats, MatchOptions, MatchQuery, MatchResult } from '../matching/matcher';
import { startWorker } from '../workers';
import type { BuiltIndex } from './build';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './protocol';

/** What the screener needs of an index: the versions it holds and a way to query it. */
export interface IndexSource {
  /** Ids of the list versions the index answering now holds (empty before the first is ready). */
  versions(): readonly string[];
  /**
   * Matches `query`, leaving out entries of `excludeVersions`. Throws IndexBuildingError while no
   * index exists yet.
   */
  match(query: MatchQuery, opts: Omit<MatchOptions, 'excludeGroups'>, excludeVersions: ReadonlySet<string>): Promise<MatchResult[]>;
  /**
   * Called when an active list version is in no index: returns the running build's progress
   * (0..1), starting a build first when none runs (after a failed one, say).
   */
  buildProgress(): number;
}

/** Where the index stands: `progress` is the running build's fraction (0..1), null when none runs. */
export interface IndexStatus {
  ready: boolean;
  progress: number | null;
  /** Entries in the index answering now. */
  entries: number;
  /** How the index answering now was built (entries from stored match keys, entries normalized). */
  stats: BuildStats;
}

interface Live {
  worker: Worker;
  versions: string[];
  entries: number;
  stats: BuildStats;
  pending: Map<number, { resolve: (r: MatchResult[]) => void; reject: (e: Error) => void; warnings?: Reason[] }>;
  retiring: boolean;
}

const NO_STATS: BuildStats = Object.freeze({ storedKeys: 0, computedKeys: 0 });
/** The status while no index exists (nothing built, nothing building). */
export const NO_INDEX: IndexStatus = Object.freeze({ ready: false, progress: null, entries: 0, stats: NO_STATS });

/** Thrown when no index is ready yet; `progress` is the build's fraction 0..1. */
export class IndexBuildingError extends BusyError {
  constructor(readonly progress: number) {
    super(reason('index.building', { percent: Math.floor(progress * 100) }));
  }
}

/** An index in a worker thread, rebuilt on demand in a second worker and swapped in when ready. */
export class IndexHost implements IndexSource {
  private live: Live | null = null;
  private building: { worker: Worker; progress: number } | null = null;
  private waiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  /** `key` is read at each build (it changes with a key rotation). */
  constructor(private readonly opts: { dbPath: string; key: () => Buffer; log?: (line: string) => void }) {}

  /** Starts building a new index from the database as it is now; a build already running is abandoned. */
  rebuild(): void {
    if (this.closed) return;
    if (this.building) void this.building.worker.terminate();
    const data: IndexWorkerData = { dbPath: this.opts.dbPath, key: new Uint8Array(this.opts.key()), nativeBinding: getNativeBinding() };
    const worker = startWorker('index-worker', new URL('./worker.ts', import.meta.url), data as unknown as Record<string, unknown>);
    const build = { worker, progress: 0 };
    this.building = build;
    const live: Live = { worker, versions: [], entries: 0, stats: NO_STATS, pending: new Map(), retiring: false };
    const finish = (): void => {
      if (this.building === build) this.building = null;
      if (!this.building) for (const w of this.waiters.splice(0)) w();
    };
    worker.on('message', (m: FromIndexWorker) => {
      switch (m.type) {
        case 'progress':
          build.progress = m.fraction;
          break;
        case 'ready': {
          if (this.building !== build) return void worker.terminate();
          live.versions = m.versions;
          live.entries = m.entries;
          live.stats = m.stats;
          const old = this.live;
          this.live = live;
          if (old) this.retire(old);
          finish();
          break;
        }
        case 'failed':
          this.opts.log?.(`the match index could not be built (${m.reason})`);
          void worker.terminate();
          finish();
          break;
        case 'matched':
        case 'matchFailed': {
          const p = live.pending.get(m.id);
          if (!p) return;
          live.pending.delete(m.id);
          if (m.type === 'matched') {
            p.warnings?.push(...m.warnings);
            p.resolve(m.results);
          } else p.reject(new Error(`the match index failed (${m.reason})`));
          if (live.retiring && !live.pending.size) void worker.terminate();
          break;
        }
      }
    });
    worker.on('error', (e) => this.opts.log?.(`the match index worker failed (${e.name})`));
    worker.on('exit', () => {
      for (const p of live.pending.values()) p.reject(new Error('the match index stopped'));
      live.pending.clear();
      if (this.live === live) this.live = null;
      finish();
    });
  }

  /** Stops a build in progress (its worker and its database connection); true when one was running. */
  async abandonBuild(): Promise<boolean> {
    const b = this.building;
    if (!b) return false;
    this.building = null;
    await b.worker.terminate();
    for (const w of this.waiters.splice(0)) w();
    return true;
  }

  /** Terminates an index once the queries it was asked have been answered. */
  private retire(old: Live): void {
    old.retiring = true;
    if (!old.pending.size) void old.worker.terminate();
  }

  status(): IndexStatus {
    return { ready: this.live !== null, progress: this.building ? this.building.progress : null, entries: this.live?.entries ?? 0, stats: this.live?.stats ?? NO_STATS };
  }

  versions(): readonly string[] {
    return this.live?.versions ?? [];
  }

  buildProgress(): number {
    if (!this.building) this.rebuild();
    return this.building?.progress ?? 0;
  }

  /** Resolves when no build is running (the latest one finished, failed or was abandoned). */
  settled(): Promise<void> {
    if (!this.building) return Promise.resolve();
    return new Promise((ok) => this.waiters.push(ok));
  }

  match(query: MatchQuery, opts: Omit<MatchOptions, 'excludeGroups'>, excludeVersions: ReadonlySet<string>): Promise<MatchResult[]> {
    const live = this.live;
    if (!live) throw new IndexBuildingError(this.building?.progress ?? 0);
    const excludeGroups: number[] = [];
    live.versions.forEach((v, i) => excludeVersions.has(v) && excludeGroups.push(i));
    const { warnings, ...wire } = opts;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      live.pending.set(id, { resolve, reject, warnings });
      const msg: ToIndexWorker = { type: 'match', id, query, opts: { ...wire, excludeGroups } };
      live.worker.postMessage(msg);
    });
  }

  /** Stops every worker; queries still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [this.live?.worker, this.building?.worker].filter((w): w is Worker => Boolean(w));
    this.live = null;
    this.building = null;
    for (const w of this.waiters.splice(0)) w();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** An index built in place (tests, tools): the same interface over a BuiltIndex. */
export function localIndex(built: BuiltIndex): IndexSource {
  return {
    versions: () => built.versions,
    buildProgress: () => 1,
    match: (query, opts, excludeVersions) => {
      const excludeGroups = new Set<number>();
      built.versions.forEach((v, i) => excludeVersions.has(v) && excludeGroups.add(i));
      return Promise.resolve(built.index.match(query, { ...opts, excludeGroups }));
    },
  };
}
