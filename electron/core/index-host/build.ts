/**
 * Building the match index from the active list versions of a database, in one read snapshot.
 * The index worker (worker.ts) runs this off the engine thread; tests may run it in place.
 */
import type { EntryView } from '../../../shared/contract';
import type { DB } from '../db/database';
import { keysCurrent } from '../matching/keys';
import { MatchIndex } from '../matching/matcher';
import { activeEntries } from '../watchlists/store';

/** A built index and the list versions it holds; an entry's MatchableEntry.group is its version's position in `versions`. */
export interface BuiltIndex {
  index: MatchIndex;
  /** Ids of the list versions indexed, in group order. */
  versions: string[];
}

const NONE: readonly string[] = Object.freeze([]);
/** Progress is reported this often, in entries. */
const PROGRESS_EVERY = 10_000;
/** Share of the build spent reading entries (the rest: posting lists, typo keys). */
const READ_SHARE = 0.8;

/**
 * Builds the index over every active list version of `db`, reading versions and entries in one
 * read transaction (a publish during the build is either wholly in or wholly out). `onProgress`
 * gets fractions 0..1. Entries whose stored match keys are current are not re-normalized.
 */
export function buildIndex(db: DB, onProgress?: (fraction: number) => void): BuiltIndex {
  db.exec('BEGIN');
  try {
    // The versions of the lists activeEntries reads (a retired list's is left out): an index must
    // never claim a version whose entries it does not hold (the screener would answer without them).
    const versions = db.prepare('SELECT active_version_id FROM watchlists WHERE active_version_id IS NOT NULL AND retired_at IS NULL ORDER BY id').pluck().all() as string[];
    const groupOf = new Map(versions.map((v, i) => [v, i]));
    const total = (db.prepare('SELECT count(*) FROM entries e JOIN watchlists w ON w.active_version_id = e.version_id WHERE w.retired_at IS NULL').pluck().get() as number) || 1;
    const trustKeys = storedKeysCurrent(db);
    const namesById = db.prepare('SELECT names FROM entries WHERE id = ?').pluck();
    // One function for every entry (a million closures would slow the start).
    function loadNames(this: { id: string }): string[] {
      return namesOf(namesById.get(this.id) as string);
    }
    let read = 0;
    onProgress?.(0);
    const index = new MatchIndex(
      (function* () {
        for (const [id, names, dateOfBirth, sex, nationalities, documents, matchKeys, versionId] of activeEntries(db, !trustKeys)) {
          if (++read % PROGRESS_EVERY === 0) onProgress?.((READ_SHARE * read) / total);
          yield {
            id,
            // With trusted keys the names are not even read, unless the keys prove unusable; the
            // matched name of a hit is read from its row by the screener.
            names: names === null ? [] : namesOf(names),
            loadNames,
            dateOfBirth,
            sex,
            nationalities: nationalities === '[]' ? NONE : (JSON.parse(nationalities) as string[]),
            ...documentsOf(documents),
            matchKeys: trustKeys ? matchKeys : null,
            group: groupOf.get(versionId)!,
          };
        }
      })(),
    );
    onProgress?.(1);
    return { index, versions };
  } finally {
    db.exec('COMMIT');
  }
}

function namesOf(json: string): string[] {
  return (JSON.parse(json) as EntryView['names']).map((n) => n.name);
}

/** Entries sampled to check stored match keys against the current normalization. */
const KEY_SAMPLE = 500;

/**
 * True when a sample of active entries (about KEY_SAMPLE, spread over the table) has stored match
 * keys equal to what normalization makes of their names now; false sends the index back to the
 * names (slower start, same answers).
 */
export function storedKeysCurrent(db: DB): boolean {
  const { lo, hi } = db.prepare('SELECT min(rowid) AS lo, max(rowid) AS hi FROM entries').get() as { lo: number | null; hi: number | null };
  if (lo === null || hi === null) return true;
  const at = db.prepare(
    `SELECT e.names, e.match_keys FROM entries e JOIN watchlists w ON w.active_version_id = e.version_id WHERE e.rowid >= ? LIMIT 1`,
  ).raw();
  for (let k = 0; k < KEY_SAMPLE; k++) {
    const row = at.get(Math.floor(lo + ((hi - lo) * k) / KEY_SAMPLE)) as [string, string | null] | undefined;
    if (row && row[1] !== null && !keysCurrent((JSON.parse(row[0]) as EntryView['names']).map((x) => x.name), row[1])) return false;
  }
  return true;
}

/** An entry's document numbers for the matcher, and which of them are national IDs (matched by `MatchQuery.nationalId`). */
function documentsOf(json: string): { documents: readonly string[]; nationalIds: readonly string[] } {
  if (json === '[]') return { documents: NONE, nationalIds: NONE };
  const docs = JSON.parse(json) as EntryView['documents'];
  return { documents: docs.map((d) => d.number), nationalIds: docs.filter((d) => d.type === 'national-id').map((d) => d.number) };
}
