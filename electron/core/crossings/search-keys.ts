/**
 * The search keys a recorded crossing keeps for the crossings browser (crossings/query.ts): its
 * traveler's document numbers, normalized, and the retrieval keys of its traveler's name, made
 * by the matcher's own normalization (matching/normalize.ts: titles dropped, Latin folded, other
 * scripts romanized) so that a search in Thai script finds a romanized name and the reverse.
 *
 * Name keys, per distinct token of every variant of the traveler's names (own script and
 * cross-script Latin forms), tokens of one letter (initials) left out:
 * - `=` + the token's phonetic key (matching/phonetic.ts phoneticKey; a token in another script
 *   is its own key): spellings that romanizations use interchangeably meet;
 * - `~` + the consonant skeleton of its loose key (phonetic.ts looseKey, then every vowel
 *   dropped; two consonants at least), for a Latin token, and of each reading of a Thai, Lao, Khmer or Myanmar token
 *   (romanize.ts readingKeysOnce): most one-letter typos (a vowel wrong, missing or swapped),
 *   and the readings of a script name, meet here.
 * The same function makes the keys of a query (queryKeys), so a key shared means a token that
 * may match; the matcher then scores the candidates (query.ts).
 *
 * All of it is personal data: kept in the encrypted database only, blanked by the retention
 * purge (retention.ts).
 */
import type { Traveler } from '../../../shared/contract';
import type Database from 'better-sqlite3-multiple-ciphers';
import { encodeMatchKeys } from '../matching/keys';
import { crossScriptVariants, nameVariants, phoneticKey } from '../matching/normalize';
import { looseOfPhonetic } from '../matching/phonetic';
import { readingKeysOnce } from '../matching/romanize';
import { normalizeDocumentNumber } from '../watchlists/values';

/** The database connection (the driver's type: migrations import this module, database.ts imports them). */
type DB = Database.Database;

/** A skeleton of one consonant says too little (Emma, Amy, Mai, Umi): none is kept. */
const MIN_SKELETON = 2;

/** At most this many skeleton keys are kept from the readings of one script token. */
const MAX_READING_KEYS = 6;

/** The names a traveler is searched by: the full name as typed, and the given names with the surname. */
export function travelerNames(t: Partial<Traveler>): string[] {
  const out: string[] = [];
  if (t.fullName?.trim()) out.push(t.fullName);
  const split = [t.givenNames, t.surname].filter((x) => x?.trim()).join(' ');
  if (split) out.push(split);
  return out;
}

/** The traveler's name as the browser shows it (full name, else given names and surname); '' when none. */
export function travelerDisplayName(t: Partial<Traveler>): string {
  return t.fullName || [t.givenNames, t.surname].filter(Boolean).join(' ');
}

/** A document number as the browser keys it (upper case, letters and digits only; watchlists/values.ts); null when nothing is left. */
export function documentSearchKey(s: string | null | undefined): string | null {
  const k = s ? normalizeDocumentNumber(s) : '';
  return k || null;
}

/** The consonant skeleton of a loose key ('' when it has no consonant). */
function skeleton(loose: string): string {
  return loose.replace(/[aeiou]/g, '');
}

/** The retrieval keys of one normalized token (see the module comment); none for an initial. */
export function tokenKeys(token: string): string[] {
  if ([...token].length < 2) return [];
  const phon = phoneticKey(token);
  const keys = [`=${phon}`];
  if (/^[a-z]+$/.test(phon)) {
    const sk = skeleton(looseOfPhonetic(phon));
    if (sk.length >= MIN_SKELETON) keys.push(`~${sk}`);
  } else {
    let n = 0;
    for (const key of readingKeysOnce(token).keys()) {
      if (key.startsWith('^') || !/^[a-z]+$/.test(key)) continue;
      const sk = skeleton(key);
      if (sk.length < MIN_SKELETON || keys.includes(`~${sk}`)) continue;
      keys.push(`~${sk}`);
      if (++n >= MAX_READING_KEYS) break;
    }
  }
  return keys;
}

/** Every token variant of some names: their own-script forms, then their cross-script Latin forms (as the matcher makes them). */
export function nameTokenVariants(names: readonly string[]): string[][] {
  const own = names.flatMap((n) => nameVariants(n));
  return [...own, ...crossScriptVariants(own)];
}

/** The distinct retrieval keys of a traveler's names (see the module comment). */
export function nameSearchKeys(names: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const v of nameTokenVariants(names)) for (const t of v) for (const k of tokenKeys(t)) keys.add(k);
  return [...keys];
}

/** What a crossing keeps for the browser's searches (migration 0010). */
export interface CrossingSearchKeys {
  /** The passport's number and the national ID, normalized (documentSearchKey). */
  documentKey: string | null;
  nationalIdKey: string | null;
  /** The matcher's stored keys of the traveler's names (matching/keys.ts encodeMatchKeys), to score candidates; null without a name. */
  matchKeys: string | null;
  /** The name's retrieval keys. */
  nameKeys: string[];
}

/** The search keys of a traveler as screened. */
export function crossingSearchKeys(t: Partial<Traveler>): CrossingSearchKeys {
  const names = travelerNames(t);
  return {
    documentKey: documentSearchKey(t.documentNumber),
    nationalIdKey: documentSearchKey(t.nationalId),
    matchKeys: names.length ? encodeMatchKeys(names) : null,
    nameKeys: nameSearchKeys(names),
  };
}

/**
 * Writes a new crossing's search keys (migration 0010): its document keys on the crossing, its
 * name's keys in crossing_names and crossing_name_keys under `seq` (crossings.seq).
 */
export function storeCrossingSearchKeys(db: DB, crossingId: string, seq: number, k: CrossingSearchKeys): void {
  db.prepare('UPDATE crossings SET document_key = ?, national_id_key = ? WHERE id = ?').run(k.documentKey, k.nationalIdKey, crossingId);
  if (!k.nameKeys.length && !k.matchKeys) return;
  db.prepare('INSERT OR REPLACE INTO crossing_names (seq, name_keys, match_keys) VALUES (?, ?, ?)').run(seq, k.nameKeys.join(' '), k.matchKeys);
  const ins = db.prepare('INSERT OR IGNORE INTO crossing_name_keys (key, seq) VALUES (?, ?)');
  for (const key of k.nameKeys) ins.run(key, seq);
}

/**
 * Blanks the search keys of the crossing of a screening (the retention purge): its document keys,
 * its crossing_names row and every crossing_name_keys row of it (found through that row).
 */
export function dropCrossingSearchKeys(db: DB, screeningId: string): void {
  const c = db.prepare('SELECT id, seq FROM crossings WHERE screening_id = ?').get(screeningId) as { id: string; seq: number | null } | undefined;
  if (!c) return;
  db.prepare('UPDATE crossings SET document_key = NULL, national_id_key = NULL WHERE id = ?').run(c.id);
  if (c.seq === null) return;
  const n = db.prepare('SELECT name_keys FROM crossing_names WHERE seq = ?').get(c.seq) as { name_keys: string } | undefined;
  if (!n) return;
  const del = db.prepare('DELETE FROM crossing_name_keys WHERE key = ? AND seq = ?');
  for (const key of n.name_keys.split(' ')) if (key) del.run(key, c.seq);
  db.prepare('DELETE FROM crossing_names WHERE seq = ?').run(c.seq);
}

/** Crossings read per round by backfillCrossingSearchKeys. */
const BACKFILL_BATCH = 2_000;

/**
 * Computes and stores the search keys of every crossing that has none and whose screening is not
 * purged (migration 0010's backfill; also for tools that insert crossings with SQL, such as the
 * benchmark). Returns how many crossings it filled. Runs in the caller's transaction, if any.
 */
export function backfillCrossingSearchKeys(db: DB): number {
  const next = db.prepare(
    `SELECT c.id, c.seq, s.traveler FROM crossings c JOIN screenings s ON s.id = c.screening_id
     WHERE c.seq > ? AND s.purged_at IS NULL AND c.document_key IS NULL AND c.national_id_key IS NULL
       AND NOT EXISTS (SELECT 1 FROM crossing_names n WHERE n.seq = c.seq)
     ORDER BY c.seq LIMIT ?`,
  );
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = next.all(after, BACKFILL_BATCH) as { id: string; seq: number; traveler: string }[];
    if (!rows.length) return n;
    for (const r of rows) {
      let t: Partial<Traveler>;
      try {
        t = JSON.parse(r.traveler) as Partial<Traveler>;
      } catch {
        t = {};
      }
      storeCrossingSearchKeys(db, r.id, r.seq, crossingSearchKeys(t));
      n++;
    }
    after = rows[rows.length - 1]!.seq;
  }
}
