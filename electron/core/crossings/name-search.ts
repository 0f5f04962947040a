/**
 * The crossings browser's search by traveler name (query.ts), by the matcher's own normalization
 * and name scoring (matching/normalize.ts, matching/score.ts):
 *
 * 1. Retrieval (SQL, one statement): the searched text is normalized as the matcher does (titles
 *    dropped, Latin folded, other scripts romanized), each token of each variant gives its
 *    retrieval keys (search-keys.ts tokenKeys: phonetic key, consonant skeleton, readings). A
 *    crossing is a candidate when it shares keys with all the tokens of one query variant but
 *    one (with one token: that token), through `crossing_name_keys` (an index). Candidates are
 *    ranked by the rarity-weighted share of query tokens they cover (a phonetic key counts twice a
 *    skeleton; a key many crossings share counts little), newest first among equals. With other
 *    filters or an officer's scope, the best NAME_SCAN of them are checked against those in one
 *    statement; the best NAME_CANDIDATES that pass go on. (With other tokens beside it, a token's
 *    skeleton of one or two consonants is not asked for: too many names share it.)
 * 2. Scoring (here): each candidate's stored match keys (matching/keys.ts, recomputed from the
 *    traveler's names when stale) are aligned with the query by score.ts alignTokens, over every
 *    variant pair and joined form as the matcher's stage 2 does, every token weighing the same
 *    (the lists' rarity weights do not apply to travelers); a name in another script meets a Latin
 *    query through its derived Latin forms (RTGS and the passport spelling for Thai), not through
 *    the readings the matcher's index computes at build. A crossing is kept when its name score
 *    is at least NAME_FLOOR, or when the query's tokens are each found in its name at an average
 *    similarity of at least NAME_FLOOR (a search for one name part, or for a name without its
 *    middle names).
 *
 * Limits: a name sharing no retrieval key with two or more query tokens (each changed beyond a
 * vowel, e.g. a consonant typo in each) is not found; initials alone retrieve nothing; when more
 * than NAME_CANDIDATES crossings within the filters cover the query equally well (a search for a
 * very common single name), only the newest NAME_CANDIDATES of them are scored, so the total is at
 * most NAME_CANDIDATES; with filters that leave few of the candidates (an officer's scope, a short
 * date range), only the NAME_SCAN best-ranked candidates are checked against them, so a match
 * ranked below those (one sharing a single token of a common name) may be missed.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Traveler } from '../../../shared/contract';
import { decodeMatchKeys, entryVariants, type KeyVariant } from '../matching/keys';
import { crossScriptVariants, nameVariants } from '../matching/normalize';
import { alignTokens, Interner, isSyllabicName, joinedVariants, prepare, round, SimilarityCache, type PreparedToken } from '../matching/score';
import { tokenKeys, travelerNames } from './search-keys';

type DB = Database.Database;

/**
 * A crossing is found when the matcher's name score of its traveler's name against the searched
 * text, or the searched tokens' average similarity within that name, is at least this (0..1): the
 * same name in another script, order, with titles or a typo scores above it; a different person
 * sharing one name part scores below.
 */
export const NAME_FLOOR = 0.75;

/** At most this many candidates of a name search are scored (see the module comment). */
export const NAME_CANDIDATES = 1_000;

/** A Latin token as normalization leaves it. */
const LATIN = /^[a-z]+$/;

/** Every token weighs the same (score.ts weights are the lists' rarity). */
const SAME_WEIGHT = (): number => 1;

/** How well one name matches the query: the name score and the query tokens' average similarity. */
export interface NameMatch {
  score: number;
  coverage: number;
}

/** Scores names against one searched text with the matcher's alignment (see the module comment). */
export class NameScorer {
  private readonly interner = new Interner();
  private readonly cache = new SimilarityCache();
  private readonly ownCount: number;
  /** Each query variant (own script first) with its joined forms (the first is the plain variant). */
  private readonly query: PreparedToken[][][];
  private readonly syllabic: boolean;
  private readonly tokens = new Map<string, PreparedToken>();
  /** Each distinct variant's match (by derived and syllabic flags and tokens). */
  private readonly seen = new Map<string, NameMatch>();
  /** Which query variants are Latin letters only. */
  private readonly latin: boolean[];
  /** The query's token variants (own script, then cross-script Latin forms), as normalized. */
  readonly variants: string[][];

  constructor(text: string) {
    const own = nameVariants(text);
    this.variants = [...own, ...crossScriptVariants(own)];
    this.ownCount = own.length;
    this.query = this.variants.map((v) => joinedVariants(prepare(v, SAME_WEIGHT, this.interner), this.interner));
    this.latin = this.variants.map((v) => v.every((t) => LATIN.test(t)));
    this.syllabic = isSyllabicName(own);
  }

  private token(text: string): PreparedToken {
    let t = this.tokens.get(text);
    if (!t) this.tokens.set(text, (t = prepare([text], SAME_WEIGHT, this.interner)[0]!));
    return t;
  }

  /**
   * The best match over a name's variants (keys.ts KeyVariant: every name of the traveler, own
   * and derived forms). A name written in another script with Latin forms derived from it (Thai,
   * Lao, Khmer, Myanmar, Han ...) meets a Latin query through those forms only: its readings
   * (romanize.ts), which the matcher's index computes once at build, would be computed here for
   * every candidate.
   */
  score(variants: readonly KeyVariant[]): NameMatch {
    const syllabicNames = new Set(variants.filter((v) => !v.derived && isSyllabicName([v.tokens])).map((v) => v.name));
    const derivedNames = new Set(variants.filter((v) => v.derived).map((v) => v.name));
    let score = 0;
    let coverage = 0;
    for (const v of variants) {
      // Namesakes share variants: each distinct one is scored once per search.
      const syllabic = this.syllabic || syllabicNames.has(v.name);
      const script = !v.derived && derivedNames.has(v.name) && v.tokens.some((t) => !LATIN.test(t));
      const key = `${v.derived ? 'd' : ''}${syllabic ? 's' : ''}${script ? 'x' : ''}\u001f${v.tokens.join('\u001f')}`;
      let m = this.seen.get(key);
      if (!m) this.seen.set(key, (m = this.variantScore(v.tokens, v.derived, syllabic, script)));
      score = Math.max(score, m.score);
      coverage = Math.max(coverage, m.coverage);
    }
    return { score: round(score), coverage: round(coverage) };
  }

  /** The best match of one variant over the query's variants (as the matcher's stage 2 scores an entry variant). */
  private variantScore(tokens: readonly string[], derived: boolean, syllabic: boolean, script: boolean): NameMatch {
    let score = 0;
    let coverage = 0;
    const plain = tokens.map((t) => this.token(t));
    let joined: PreparedToken[][] | null = null;
    this.query.forEach((qJoined, qi) => {
      // Two Latin forms derived from other scripts are not compared: the originals are.
      if (derived && qi >= this.ownCount) return;
      // A script name with derived Latin forms and a Latin query variant: compared through those forms.
      if (script && this.latin[qi]) return;
      const q0 = qJoined[0]!;
      // Each query token's best similarity within the name.
      let covered = 0;
      for (const qt of q0) {
        let best = 0;
        for (const et of plain) best = Math.max(best, this.cache.get(qt, et)?.sim ?? 0);
        covered += best;
      }
      if (q0.length) coverage = Math.max(coverage, covered / q0.length);
      const a0 = alignTokens(q0, plain, this.cache, syllabic);
      score = Math.max(score, a0.score);
      if (!a0.unmatchedQuery.length && !a0.unmatchedEntry.length) return;
      // Joined forms can only help where a token was left unmatched (as the matcher's stage 2).
      joined ??= joinedVariants(plain, this.interner);
      for (const qs of qJoined) {
        for (const es of joined) if (qs !== q0 || es !== plain) score = Math.max(score, alignTokens(qs, es, this.cache, syllabic).score);
      }
    });
    return { score, coverage };
  }

  /** True when a match is good enough to be found (NAME_FLOOR). */
  static found(m: NameMatch): boolean {
    return m.score >= NAME_FLOOR || m.coverage >= NAME_FLOOR;
  }
}

/** A WHERE clause over `crossings c` and its parameters (plan.ts). */
export interface CrossingsWhere {
  sql: string;
  args: unknown[];
}

/** A crossing found by name: its seq and match score. */
export interface NameHit {
  seq: number;
  score: number;
}

/** At most this many of the best-ranked candidates are checked against the other filters and the scope. */
export const NAME_SCAN = 4_000;

/** A skeleton key shorter than this is not asked for when the query has other tokens (too many names share it). */
const SHORT_SKELETON = 3;

/**
 * The crossings within `where` (over `crossings c`; '' for none) whose traveler's name matches
 * `text` (see the module comment), best first: their seq and match score (the name score).
 */
export function searchByName(db: DB, text: string, where: CrossingsWhere): NameHit[] {
  const scorer = new NameScorer(text);
  const count = db.prepare('SELECT count(*) AS n FROM crossing_name_keys WHERE key = ?').pluck();
  const crossings = Math.max(1, (db.prepare('SELECT max(seq) FROM crossings').pluck().get() as number | null) ?? 1);
  const df = new Map<string, number>();
  const rows: string[] = [];
  const values: unknown[] = [];
  const need: string[] = [];
  scorer.variants.forEach((variant, v) => {
    const keyed = variant.map((token) => tokenKeys(token));
    const positions = keyed.filter((k) => k.length).length;
    keyed.forEach((keys, pos) => {
      for (const key of keys) {
        if (positions > 1 && key.startsWith('~') && key.length - 1 < SHORT_SKELETON) continue;
        let n = df.get(key);
        if (n === undefined) df.set(key, (n = count.get(key) as number));
        if (!n) continue;
        // Rarity: 1 for a key of one crossing, towards 0.05 for a key most crossings hold.
        const idf = Math.max(0.05, Math.log((crossings + 1) / (n + 0.5)) / Math.log(crossings + 1));
        rows.push('(?,?,?,?)');
        values.push(key, v, pos, (key.startsWith('=') ? 2 : 1) * idf);
      }
    });
    if (positions) need.push(`(${v}, ${Math.max(1, positions - 1)})`);
  });
  if (!rows.length || !need.length) return [];
  const filtered = where.sql !== '';
  // Ranked from the keys alone; then (with filters) the best NAME_SCAN checked against them in one statement.
  let candidates = db.prepare(
    `WITH q(key, v, pos, w) AS (VALUES ${rows.join(',')}),
     need(v, n) AS (VALUES ${need.join(',')}),
     m AS (SELECT k.seq, q.v, q.pos, max(q.w) AS w FROM q JOIN crossing_name_keys k ON k.key = q.key GROUP BY k.seq, q.v, q.pos),
     s AS (SELECT m.seq, m.v, sum(m.w) AS cov, count(*) AS n FROM m GROUP BY m.seq, m.v)
     SELECT s.seq FROM s JOIN need ON need.v = s.v WHERE s.n >= need.n GROUP BY s.seq ORDER BY max(s.cov) DESC, s.seq DESC LIMIT ?`,
  ).pluck().all(...values, filtered ? NAME_SCAN : NAME_CANDIDATES) as number[];
  if (filtered && candidates.length) {
    const kept = new Set(db.prepare(`SELECT c.seq FROM crossings c ${where.sql} AND c.seq IN (SELECT value FROM json_each(?))`).pluck()
      .all(...where.args, JSON.stringify(candidates)) as number[]);
    candidates = candidates.filter((c) => kept.has(c)).slice(0, NAME_CANDIDATES);
  }
  if (!candidates.length) return [];
  const keysOf = db.prepare('SELECT seq, match_keys FROM crossing_names WHERE seq IN (SELECT value FROM json_each(?))').all(JSON.stringify(candidates)) as
    { seq: number; match_keys: string | null }[];
  const travelerOf = db.prepare('SELECT s.traveler FROM crossings c JOIN screenings s ON s.id = c.screening_id WHERE c.seq = ?').pluck();
  const hits: NameHit[] = [];
  for (const c of keysOf) {
    // Keys of another normalization version: the names from the screening.
    let variants = decodeMatchKeys(c.match_keys);
    if (!variants) {
      let t: Partial<Traveler> = {};
      try {
        t = JSON.parse((travelerOf.get(c.seq) as string | undefined) ?? '{}') as Partial<Traveler>;
      } catch {
        /* no names */
      }
      variants = entryVariants(travelerNames(t));
    }
    const m = scorer.score(variants);
    if (NameScorer.found(m)) hits.push({ seq: c.seq, score: m.score });
  }
  return hits.sort((a, b) => b.score - a.score || b.seq - a.seq);
}
