/** Messages between the index host (engine thread) and an index worker. */
import type { Reason } from '../../../shared/reasons';
import type { BuildStats, MatchOptions, MatchQuery, MatchResult } from '../matching/matcher';

/** workerData of an index worker. */
export interface IndexWorkerData {
  dbPath: string;
  /** The database key (32 bytes); copied into the worker's memory only. */
  key: Uint8Array;
  nativeBinding?: string;
}

/** Options of one match, as they cross the thread boundary. */
export type WireMatchOptions = Omit<MatchOptions, 'warnings' | 'excludeGroups'> & { excludeGroups: number[] };

export type ToIndexWorker = { type: 'match'; id: number; query: MatchQuery; opts: WireMatchOptions };

export type FromIndexWorker =
  | { type: 'progress'; fraction: number }
  | { type: 'ready'; versions: string[]; entries: number; stats: BuildStats }
  | { type: 'failed'; reason: string }
  | { type: 'matched'; id: number; results: MatchResult[]; warnings: Reason[] }
  | { type: 'matchFailed'; id: number; reason: string };
