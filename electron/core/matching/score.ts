/**
 * The token-aligned name scorer and the field adjustments (DESIGN.md section 5, steps 4, 6, 7).
 * All scores are on a 0..1 scale.
 */
import type { FieldCheck, TokenMatch, TokenMatchKind } from '../../../shared/contract';
import type { PartialDate } from '../../../shared/dates';
import { phoneticKey } from './normalize';
import { sameGivenName } from './nicknames';
import { mayBeSinitic, sameChineseSurname, siniticKey } from './sinitic';
import { hasReadings, readingKeys, readingSimilarity } from './romanize';
import { MYANMAR_SCRIPT as MYANMAR_TOKEN } from './myanmar';
import { looseKey, looseOfPhonetic, unitsToString } from './phonetic';
import { reason, reasonText, type Reason } from '../../../shared/reasons';

/** Letter groups that mark a Wade-Giles spelling (hs, ts, tz, -ung). */

/** A token prepared for comparison: its folded text and its phonetic key. */
export interface PreparedToken {
  text: string;
  phon: string;
  /** 0..1 weight by rarity in the lists (rare tokens weigh more). */
  weight: number;
  /** Made by joining two adjacent tokens: matches only (nearly) exactly. */
  joined?: boolean;
  /**
   * Of a joined token whose two parts are in a script with readings (Thai ...): the parts. A Latin
   * token spells it when it splits into a reading of each (readings are not computed for the
   * joined text: two words read as one would be parsed across the space, and at every query).
   */
  parts?: readonly [PreparedToken, PreparedToken];
  /** A query token cut at a field limit (MatchQuery.nameCut): also matches entry tokens that begin with it. */
  cut?: boolean;
  /** Small integer naming (text, joined, cut) for the similarity cache; see `Interner`. */
  id: number;
  /** The Wade-Giles/pinyin key, computed on first use. */
  sin?: string;
  /** Of a Latin token: its loose key (phonetic.ts), computed on first use. */
  loose?: string;
  /** `unmatchedWeight` of the token, computed on first use. */
  miss?: number;
  /** Written in Myanmar script (alignTokens), computed on first use. */
  myanmar?: boolean;
  /** Latin letters a-z alone, computed on first use. */
  latin?: boolean;
  /**
   * Of a token in a script with readings (romanize.ts): the cost of its reading with this loose
   * key ("^" and a letter: an initial it may be written with), or undefined for none. The index
   * answers from what it stored at build; without it the readings are computed.
   */
  readingCost?: (key: string) => number | undefined;
}

function sinKey(t: PreparedToken): string {
  t.sin ??= siniticKey(t.text);
  return t.sin;
}

/** Gives each distinct (text, joined, cut) token a small integer id. */
export class Interner {
  private ids = new Map<string, number>();
  id(text: string, joined: boolean, cut = false): number {
    const key = `${cut ? '>' : ''}${joined ? '+' : ''}${text}`;
    let v = this.ids.get(key);
    if (v === undefined) {
      v = this.ids.size;
      this.ids.set(key, v);
    }
    return v;
  }
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), bounded. */
export function osaDistance(a: string, b: string, max = Infinity): number {
  // UTF-16 code units: every script on the lists is in the Basic Multilingual Plane.
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  if (osaRows[0]!.length <= n) osaRows = [0, 1, 2].map(() => new Int32Array(2 * (n + 1)));
  let [prev2, prev, cur] = osaRows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}
/** Three rows reused by every call (single-threaded), grown for longer strings. */
let osaRows = [0, 1, 2].map(() => new Int32Array(64));

/** The OSA distance of a pattern to many texts: as a string, or as UTF-16 units chars[start .. end). */
export interface OsaDistance {
  (text: string): number;
  in(chars: Uint16Array, start: number, end: number): number;
}

/**
 * The OSA distance (osaDistance: a swap of two adjacent letters is one edit) by Hyyrö's extension
 * of Myers' bit-parallel algorithm (G. Myers, J. ACM 46(3), 1999; H. Hyyrö, "A bit-vector
 * algorithm for computing Levenshtein and Damerau edit distances", Nordic Journal of Computing
 * 10(1), 2003), for a pattern of at most 31 UTF-16 units against many texts: build once with
 * `bitOsaDistance(pattern)`, call the returned function per text (one pass, no table). A longer
 * pattern falls back to osaDistance.
 */
export function bitOsaDistance(pattern: string): OsaDistance {
  const m = pattern.length;
  let inChars: OsaDistance['in'];
  if (m === 0 || m > 31) inChars = (chars, start, end) => osaDistance(pattern, unitsToString(chars, start, end));
  else {
    // Match masks by character: a table for ASCII (most names), a map for the rest.
    const ascii = new Int32Array(128);
    const other = new Map<number, number>();
    for (let i = 0; i < m; i++) {
      const c = pattern.charCodeAt(i);
      if (c < 128) ascii[c]! |= 1 << i;
      else other.set(c, (other.get(c) ?? 0) | (1 << i));
    }
    const last = 1 << (m - 1);
    inChars = (chars, start, end) => {
      let vp = -1;
      let vn = 0;
      let d0 = 0;
      let eqBefore = 0;
      let score = m;
      for (let i = start; i < end; i++) {
        const c = chars[i]!;
        const eq = c < 128 ? ascii[c]! : (other.get(c) ?? 0);
        // A swap: this text letter matches the pattern's next letter and the last one this one.
        const swap = ((~d0 & eq) << 1) & eqBefore;
        d0 = ((((eq & vp) + vp) | 0) ^ vp) | eq | vn | swap;
        let hp = vn | ~(d0 | vp);
        let hn = d0 & vp;
        if (hp & last) score++;
        if (hn & last) score--;
        hp = (hp << 1) | 1;
        hn = hn << 1;
        vp = hn | ~(d0 | hp);
        vn = d0 & hp;
        eqBefore = eq;
      }
      return score;
    };
  }
  const f = (text: string): number => {
    if (units.length < text.length) units = new Uint16Array(2 * text.length);
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    return inChars(units, 0, text.length);
  };
  f.in = inChars;
  return f;
}
/** A text's UTF-16 units for bitOsaDistance (single-threaded), grown for longer texts. */
let units = new Uint16Array(64);

/** Typo budget by token length: short tokens get none, long ones up to three edits. */
export function typoBudget(len: number): number {
  if (len <= 3) return 0;
  if (len <= 5) return 1;
  if (len <= 9) return 2;
  return 3;
}

/**
 * Similarity of a query token `a` and an entry token `b` with how they matched, or null when they
 * do not match at all. A query token cut at a field limit (`a.cut`) of two letters or more also
 * matches a longer plain entry token that begins with it ('prefix', prefixSimilarity; a one-letter
 * one is an initial); an entry token joined from two is compared whole, as retrieval does.
 */
export function tokenSimilarity(a: PreparedToken, b: PreparedToken): { sim: number; kind: TokenMatchKind } | null {
  const s = wholeTokenSimilarity(a, b);
  if (!a.cut || b.joined || a.text.length < 2 || b.text.length <= a.text.length || !b.text.startsWith(a.text)) return s;
  const sim = Math.min(a.joined ? 0.97 : 1, prefixSimilarity(a.text.length));
  return s && s.sim >= sim ? s : { sim, kind: 'prefix' };
}

/**
 * Similarity of a cut token to an entry token it begins, by how much of the name it keeps: a full
 * match from four letters, 0.85 for three, 0.7 for two (an initial, one letter, is 0.55).
 */
export function prefixSimilarity(letters: number): number {
  return letters >= 4 ? 1 : letters === 3 ? 0.85 : 0.7;
}

/**
 * Similarity of two whole tokens (tokenSimilarity without prefixes). Tokens of three letters or
 * fewer get no typo budget except a swap of two adjacent letters; joined tokens ("abdulrahman")
 * allow one edit (below eight letters, in the letters themselves), and two joined tokens must
 * agree exactly. Two Abd al-X names are compared by their X (sameTheophoric); a name with a
 * Baltic ending meets the name without it (balticKey).
 */
function wholeTokenSimilarity(a: PreparedToken, b: PreparedToken): { sim: number; kind: TokenMatchKind } | null {
  const joined = a.joined || b.joined;
  if (a.text === b.text) return { sim: joined ? 0.97 : 1, kind: joined ? 'joined' : 'exact' };
  if (a.phon === b.phon && a.phon.length >= 2) return { sim: 0.93, kind: joined ? 'joined' : 'phonetic' };
  if (a.joined && b.joined) return null;
  // A Latin token and one in a script with readings (Thai ...): the Latin spells one of them.
  // (Only a script with readings: other pairs go on to the checks below, as before.)
  const aLatin = isLatin(a);
  if (aLatin !== isLatin(b) && hasReadings(aLatin ? b.text : a.text)) return crossScriptSimilarity(aLatin ? b : a, aLatin ? a : b, joined);
  if (!joined && sameChineseSurname(a.text, b.text)) return { sim: 0.9, kind: 'variant' };
  if (!joined && PARTICLE.has(a.text) && PARTICLE.get(a.text) === PARTICLE.get(b.text)) return { sim: 0.95, kind: 'variant' };
  if (!joined && sameGivenName(a.text, b.text)) return { sim: 0.85, kind: 'variant' };
  if (!joined && (mayBeSinitic(a.text) || mayBeSinitic(b.text)) && sinKey(a) === sinKey(b)) {
    return { sim: 0.88, kind: 'variant' };
  }
  const la = a.text.length;
  const lb = b.text.length;
  if ((la === 1 || lb === 1) && a.text[0] === b.text[0]) return { sim: INITIAL_SIMILARITY, kind: 'initial' };
  // Two Abd al-X names (Abdurrahman, Abdelaziz): the X decides, at its own typo budget; the same X
  // under another spelling of abd and the article is the same name (Abdalrahman, Abdurrahman).
  const theophoric = sameTheophoric(a.text, b.text);
  if (theophoric === 'different') return null;
  const typo = typoSimilarity(a, b, joined, la, lb);
  if (typo && theophoric === 'same' && typo.sim < THEOPHORIC_SIMILARITY) return { sim: THEOPHORIC_SIMILARITY, kind: 'variant' };
  // The same name with a Baltic nominative ending (Sergejs, Lavrovas): a variant, not a typo.
  if (!joined && (typo?.sim ?? 0) < BALTIC_SIMILARITY && sameBalticStem(a, b)) return { sim: BALTIC_SIMILARITY, kind: 'variant' };
  return typo;
}

/** The typo part of wholeTokenSimilarity: two tokens within the edit budget of the shorter (one when joined). */
function typoSimilarity(a: PreparedToken, b: PreparedToken, joined: boolean | undefined, la: number, lb: number): { sim: number; kind: TokenMatchKind } | null {
  const len = Math.max(la, lb);
  const budget = joined ? 1 : typoBudget(Math.min(la, lb));
  if (Math.abs(la - lb) > budget && Math.abs(a.phon.length - b.phon.length) > budget) return null;
  if (budget === 0) {
    const swapped = la === lb && la >= 2 && osaDistance(a.text, b.text, 1) === 1 && [...a.text].sort().join('') === [...b.text].sort().join('');
    return swapped ? { sim: 0.75, kind: 'typo' } : null;
  }
  // A joined token of fewer than eight letters takes its edit in the letters, not only in the
  // phonetic key: "thian" (Thi An) is a key edit from "thanh", while "abdal" (Abd al-) is a letter
  // edit from "abdul". The key folds the spellings of one sound (ph/p, ch/j, oo/u, final -l/-n
  // ...), so a short token (a budget of one edit) whose letters are two edits away takes its edit
  // in the key only where the key has a letter more or less (a silent e, an h: Smythe and Smith,
  // keys "smite" and "smit"), not a letter changed: that is another sound, and with the spelling
  // already folded, another name (Chan and Chol, keys "jan" and "jon").
  const keyEdit = !joined || len >= 8;
  const keyD = keyEdit ? osaDistance(a.phon, b.phon, budget) : Infinity;
  const keyCost = budget === 1 && keyD === 1 && a.phon.length === b.phon.length ? 2 : keyD;
  // Two different tokens are at least one edit apart, even where their phonetic keys (one letter,
  // too short to be compared above) are the same.
  const d = Math.max(1, Math.min(osaDistance(a.text, b.text, budget), keyCost));
  if (d > budget) return null;
  return { sim: Math.max(0, 1 - (0.65 + (d - 1) * WEIGHTS.typoMore) / Math.max(len, 4)), kind: joined ? 'joined' : 'typo' };
}

const LATIN_TOKEN = /^[a-z]+$/;

/**
 * Arabic theophoric names written as one word, Abd al-X ("servant of X", X one of the names of
 * God): Abdurrahman, Abdelaziz, Abdirahman, Abdulqadir. The abd and the article (al, el, ul, ur-r
 * by assimilation) vary with the romanization; the X is the name, and Abdurrahim is not
 * Abdurrahman. Returns the forms the X may take (with and without an l that may be the article's),
 * or null for a word that is not one (the X shorter than three letters: Abdulla is left alone).
 */
export function theophoricRemainders(text: string): string[] | null {
  const m = /^abd[aeiou]?([a-z]{3,})$/.exec(text);
  if (!m) return null;
  let rest = m[1]!;
  // The article assimilated to a sun letter doubles it (abd-ur-rahman, abd-us-salam).
  if (rest[0] === rest[1]) rest = rest.slice(1);
  const out = rest[0] === 'l' && rest.length > 3 ? (/^l[aeiou]/.test(rest) ? [rest, rest.slice(1)] : [rest.slice(1)]) : [rest];
  const forms = out.filter((r) => r.length >= 3);
  return forms.length ? forms : null;
}

/** Similarity of two Abd al-X names with the same X (theophoricSkeleton), within the typo budget. */
const THEOPHORIC_SIMILARITY = 0.93;

/**
 * The consonants of a word's phonetic key: romanizations of Arabic spell its unwritten short
 * vowels as they please (Qadir, Kader; Rahman, Rehman), while the consonants make the name.
 */
function theophoricSkeleton(x: string): string {
  return phoneticKey(x).replace(/[aeiou]/g, '');
}

/**
 * How two tokens compare as Abd al-X names (theophoricRemainders): 'same' when the consonants of
 * their X agree (theophoricSkeleton), null when they are one consonant apart and both have four or
 * more (a typo in a long X: Rahman, Rahmam) or when not both tokens are such names, and
 * 'different' otherwise: Abdulmalik is not Abdulkhaliq, nor Abdurrahim Abdurrahman.
 */
function sameTheophoric(a: string, b: string): 'same' | 'different' | null {
  if (!a.startsWith('abd') || !b.startsWith('abd')) return null;
  const ra = theophoricRemainders(a)?.map(theophoricSkeleton);
  const rb = theophoricRemainders(b)?.map(theophoricSkeleton);
  if (!ra || !rb) return null;
  if (ra.some((x) => rb.includes(x))) return 'same';
  const near = (x: string, y: string): boolean => Math.min(x.length, y.length) >= 4 && osaDistance(x, y, 1) <= 1;
  return ra.some((x) => rb.some((y) => near(x, y))) ? null : 'different';
}

/**
 * Baltic nominative endings: Latvian writes a man's name with -s (Sergejs, Lavrovs, Aleksandrs),
 * Lithuanian with -as, -is, -ys, -us (Lavrovas, Putinas, Sergejus), and both write the Slavic й
 * as j (Sergej, Dmitrij). The key of a Latin token's stem without the ending, its final j or ij
 * read as i, or null when the token has no such ending, or the stem is shorter than four letters
 * or does not end in a consonant (Boris, Marius, Julius keep their ending: it is no case ending).
 * Source: the nominative declension of Latvian and Lithuanian nouns.
 */
export function balticKey(text: string): string | null {
  if (!LATIN_TOKEN.test(text) || !text.endsWith('s')) return null;
  // The longest ending that leaves a stem ending in a consonant: -as/-is/-ys/-us, else -s.
  const stems = /[aiuy]s$/.test(text) ? [text.slice(0, -2), text.slice(0, -1)] : [text.slice(0, -1)];
  for (const stem of stems) if (stem.length >= 4 && /[^aeiouy]$/.test(stem)) return phoneticKey(stem.replace(/i?j$/, 'i'));
  return null;
}

/**
 * Similarity of an initial and a name it may stand for (kind 'initial'): "J" and "John", "J" and a
 * Thai name read with a j. An alignment whose matches are all of this kind scores at most this.
 */
export const INITIAL_SIMILARITY = 0.55;

/** Similarity of a name and its form with a Baltic ending (Sergejs / Sergey). */
export const BALTIC_SIMILARITY = 0.85;

/** True when one token is the other with a Baltic ending, or both are one stem (balticKey). */
function sameBalticStem(a: PreparedToken, b: PreparedToken): boolean {
  const ka = balticKey(a.text);
  const kb = balticKey(b.text);
  return (ka !== null && (ka === b.phon || ka === kb)) || (kb !== null && kb === a.phon);
}

/**
 * True when a name (its token-list variants) is written in Myanmar script: it and the Latin forms
 * derived from it are aligned with every syllable counting (WEIGHTS.unmatchedSyllable).
 */
export function isSyllabicName(variants: readonly (readonly string[])[]): boolean {
  return variants.some((v) => v.some((t) => MYANMAR_TOKEN.test(t)));
}

/**
 * Similarity of a token in another script and a Latin one: 'variant' when the Latin spells one of
 * its readings (romanize.ts; a joined Latin token at most 0.93), 'initial' (0.55) when either is one
 * letter that the other's readings begin with. Null for scripts without readings (Han, Cyrillic:
 * their Latin forms are compared instead).
 */
function crossScriptSimilarity(script: PreparedToken, latin: PreparedToken, joined: boolean | undefined): { sim: number; kind: TokenMatchKind } | null {
  if (!hasReadings(script.text)) return null;
  const initial = (): { sim: number; kind: TokenMatchKind } | null =>
    readingCostOf(script, `^${latin.text[0]!}`) !== undefined ? { sim: INITIAL_SIMILARITY, kind: 'initial' } : null;
  if (latin.text.length === 1) return initial();
  let cost: number | undefined;
  if (script.parts) cost = splitReadingCost(script.parts[0], script.parts[1], latin.text);
  else {
    latin.loose ??= looseOfPhonetic(latin.phon);
    cost = readingCostOf(script, latin.loose);
  }
  if (cost !== undefined) return { sim: joined ? Math.min(readingSimilarity(cost), 0.93) : readingSimilarity(cost), kind: 'variant' };
  // One letter of Thai, Khmer or Lao is a word (ณ Na, ស Sar: read above) or an initial ("ส." for
  // Sulak); one Myanmar letter is a syllable (စ Sa: myanmar.ts cuts names into syllables), never
  // an initial.
  return script.text.length === 1 && !isMyanmar(script) ? initial() : null;
}

/**
 * The lowest cost of a Latin token read as a reading of `a` followed by one of `b` (two script
 * words written as one: "somchaijaidee"), each part by its own loose key; undefined for none.
 */
function splitReadingCost(a: PreparedToken, b: PreparedToken, latin: string): number | undefined {
  let best: number | undefined;
  for (let i = 1; i < latin.length; i++) {
    const ca = readingCostOf(a, looseKey(latin.slice(0, i)));
    if (ca === undefined) continue;
    const cb = readingCostOf(b, looseKey(latin.slice(i)));
    if (cb !== undefined && (best === undefined || ca + cb < best)) best = ca + cb;
  }
  return best;
}

/** The cost of a script token's reading with this key: from the index where it has them (PreparedToken.readingCost). */
function readingCostOf(script: PreparedToken, key: string): number | undefined {
  // A joined token's initial is its first part's.
  if (script.parts) return key.startsWith('^') ? readingCostOf(script.parts[0], key) : undefined;
  return script.readingCost ? script.readingCost(key) : readingKeys(script.text).get(key);
}

/**
 * Memoizes token similarities within one query: entries share many tokens. Query tokens must be
 * interned by a per-query Interner (fewer than 4,096 of them), entry tokens by the index's.
 */
export class SimilarityCache {
  private map = new Map<number, ReturnType<typeof tokenSimilarity>>();
  get(q: PreparedToken, e: PreparedToken): ReturnType<typeof tokenSimilarity> {
    const key = e.id * 4096 + q.id;
    let v = this.map.get(key);
    if (v === undefined) {
      v = tokenSimilarity(q, e);
      this.map.set(key, v);
    }
    return v;
  }
}

/**
 * The scorer's weights, in one table. The matcher's retrieval bounds (matcher.ts) read the same
 * values: a bound built from other numbers could fall below a true score and hide an entry.
 */
export const WEIGHTS = {
  /** Weight of an unmatched query token relative to a matched one. */
  unmatchedQuery: 0.6,
  /** Weight of an unmatched entry token relative to a matched one. */
  unmatchedEntry: 0.45,
  /**
   * Weight of an unmatched token, either side, when one side is written in Myanmar script: a
   * Myanmar name has no family name and no middle names that a passport drops, every syllable is
   * part of the one name (Sein Lwin is not Lwin Sein Su).
   */
  unmatchedSyllable: 1,
  /** Cost of each edit after the first, relative to the token's length. */
  typoMore: 2.5,
  /** Extra weight when both sides keep a token the other lacks: a substituted name part. */
  conflict: 1.5,
  /** Field effects on a 0..1 score (adjustByFields). */
  dobAgree: 0.05,
  nationalityAgree: 0.02,
  nationalityDisagree: -0.06,
  sexDisagree: -0.08,
  /** Birth years apart (yearsApartEffect): per year for the first `yearsNear` years, then per year beyond. */
  yearApart: -0.03,
  yearsNear: 4,
  yearApartFar: -0.008,
} as const;
/** Particles that join a person's name to the father's (Arabic and Malay patronymics). */
const PATRONYMIC = new Set(['bin', 'ibn', 'ben', 'bint', 'binti', 'binte']);
/**
 * East Slavic patronymics (Viktorovich, Oleksandrovych, Sergeyevna) in their usual
 * romanizations: passports and lists often leave them out (a Russian international passport
 * carries none), so one left unmatched counts PATRONYMIC_UNMATCHED of its weight.
 */
const SLAVIC_PATRONYMIC = /^[a-z]{3,}(?:ovich|evich|ovych|evych|ovitch|evitch|ovna|evna|ivna|yivna|ichna)$/;
const PATRONYMIC_UNMATCHED = 0.3;

/**
 * The weight a token counts with when the other side has nothing for it: its weight, less for an
 * East Slavic patronymic. The matcher's bounds use the same (matcher.ts).
 */
export function unmatchedWeight(t: { text: string; weight: number; miss?: number }): number {
  return t.miss ?? (SLAVIC_PATRONYMIC.test(t.text) ? t.weight * PATRONYMIC_UNMATCHED : t.weight);
}

/** `unmatchedWeight` of a prepared token, remembered on it. */
function missOf(t: PreparedToken): number {
  t.miss ??= unmatchedWeight(t);
  return t.miss;
}

/** True when a prepared token is Latin letters a-z alone, remembered on it. */
function isLatin(t: PreparedToken): boolean {
  t.latin ??= LATIN_TOKEN.test(t.text);
  return t.latin;
}

/** True when a prepared token is written in Myanmar script, remembered on it. */
function isMyanmar(t: PreparedToken): boolean {
  t.myanmar ??= MYANMAR_TOKEN.test(t.text);
  return t.myanmar;
}

/**
 * Arabic particles written in several ways that stand for the same word: ben and ibn for bin, el
 * for al (Ben Ali / Bin Ali, El Hassan / Al Hassan).
 */
const PARTICLE = new Map([['bin', 'bin'], ['ben', 'bin'], ['ibn', 'bin'], ['al', 'al'], ['el', 'al']]);

/** The spellings of an Arabic particle (PARTICLE) other than this one, or [] for a word that is none. */
export function particleForms(text: string): string[] {
  const p = PARTICLE.get(text);
  return p ? [...PARTICLE].filter(([k, v]) => v === p && k !== text).map(([k]) => k) : [];
}

export interface Alignment {
  score: number;
  pairs: TokenMatch[];
  unmatchedQuery: string[];
  unmatchedEntry: string[];
}

/**
 * Aligns query tokens one-to-one with entry tokens in any order (greedy on similarity, then
 * weight) and scores the alignment: matched similarity weighted by rarity over the total weight,
 * with unmatched tokens counted at a discount (a passport may drop middle names; a list may
 * omit them), except in a Myanmar name (`syllabic`, or a Myanmar token on either side: every
 * syllable counts). Initials matched to consecutive names in the same order count as one initial.
 */
export function alignTokens(q: PreparedToken[], e: PreparedToken[], cache?: SimilarityCache, syllabic = false): Alignment {
  const cands: { i: number; j: number; sim: number; kind: TokenMatchKind; w: number }[] = [];
  for (let i = 0; i < q.length; i++) {
    for (let j = 0; j < e.length; j++) {
      const s = cache ? cache.get(q[i]!, e[j]!) : tokenSimilarity(q[i]!, e[j]!);
      if (s) cands.push({ i, j, sim: s.sim, kind: s.kind, w: q[i]!.weight + e[j]!.weight });
    }
  }
  cands.sort((x, y) => y.sim - x.sim || y.w - x.w);
  const usedQ = new Set<number>();
  const usedE = new Set<number>();
  let num = 0;
  let den = 0;
  const pairs: TokenMatch[] = [];
  const matched: { i: number; j: number }[] = [];
  for (const c of cands) {
    if (usedQ.has(c.i) || usedE.has(c.j)) continue;
    usedQ.add(c.i);
    usedE.add(c.j);
    matched.push(c);
    num += c.sim * c.w;
    den += c.w;
    pairs.push({ query: q[c.i]!.text, entry: e[c.j]!.text, kind: c.kind, similarity: round(c.sim) });
  }
  // Initials written for consecutive given names, in order ("J. C." or "JC" for Jean-Claude, "J. R."
  // for John Robert): one abbreviation of the names, counted as one initial (the weight of a joined
  // token on each side), so that each further initial that agrees does not lower the score.
  const initials = (matched as typeof cands).filter((c) => c.kind === 'initial').sort((x, y) => x.i - y.i);
  for (let k = 0; k < initials.length;) {
    let end = k + 1;
    while (end < initials.length && initials[end]!.i === initials[end - 1]!.i + 1 && initials[end]!.j === initials[end - 1]!.j + 1) end++;
    if (end - k >= 2) {
      const run = initials.slice(k, end);
      let wq = q[run[0]!.i]!.weight;
      let we = e[run[0]!.j]!.weight;
      for (const c of run.slice(1)) {
        wq = joinedWeight(wq, q[c.i]!.weight);
        we = joinedWeight(we, e[c.j]!.weight);
      }
      const saved = run.reduce((n, c) => n + c.w, 0) - (wq + we);
      num -= run[0]!.sim * saved;
      den -= saved;
    }
    k = end;
  }
  const unmatchedQuery: string[] = [];
  const unmatchedEntry: string[] = [];
  const syllables = syllabic || q.some(isMyanmar) || e.some(isMyanmar);
  const missQ = syllables ? WEIGHTS.unmatchedSyllable : WEIGHTS.unmatchedQuery;
  const missE = syllables ? WEIGHTS.unmatchedSyllable : WEIGHTS.unmatchedEntry;
  q.forEach((t, i) => {
    if (!usedQ.has(i)) {
      den += missQ * 2 * missOf(t);
      unmatchedQuery.push(t.text);
    }
  });
  e.forEach((t, j) => {
    if (!usedE.has(j)) {
      den += missE * 2 * missOf(t);
      unmatchedEntry.push(t.text);
    }
  });
  // Arabic patronymics: "Salman bin Muhammad" is not "Muhammad bin Salman". Names matched across
  // the bin/ibn/ben of both sides point to the father, not the person.
  const binQ = q.findIndex((t) => PATRONYMIC.has(t.text));
  const binE = e.findIndex((t) => PATRONYMIC.has(t.text));
  let crossed = false;
  const single = (ts: PreparedToken[]): boolean => ts.filter((t) => PATRONYMIC.has(t.text)).length === 1;
  // (A particle written last points to no one: "Salman Mohammed bin".)
  if (binQ > 0 && binE > 0 && binQ < q.length - 1 && binE < e.length - 1 && single(q) && single(e)) {
    for (const c of matched) if (c.i !== binQ && c.j !== binE && c.i < binQ !== c.j < binE) crossed = true;
  }
  if (unmatchedQuery.length && unmatchedEntry.length) {
    const wq = q.reduce((n, t, i) => n + (usedQ.has(i) ? 0 : missOf(t)), 0);
    const we = e.reduce((n, t, j) => n + (usedE.has(j) ? 0 : missOf(t)), 0);
    den += WEIGHTS.conflict * 2 * Math.min(wq, we);
  }
  // A single matched token on one side alone is weak evidence: cap it below review.
  let score = den > 0 ? num / den : 0;
  if (pairs.length === 1 && (q.length > 1 || e.length > 1)) score = Math.min(score, 0.7);
  if (crossed) score *= 0.7;
  return { score, pairs, unmatchedQuery, unmatchedEntry };
}

/** Weight of a token joined from two of weights a and b (the rarer part's, at most 1). */
export function joinedWeight(a: number, b: number): number {
  return Math.min(1, Math.max(a, b));
}

/**
 * Variants of a prepared token list with one pair of adjacent tokens joined, so "abdul rahman"
 * meets "abdulrahman". The first variant is the list itself. A joined token weighs as its parts,
 * and is cut when its second part is.
 */
export function joinedVariants(tokens: PreparedToken[], interner: Pick<Interner, 'id'>): PreparedToken[][] {
  const out = [tokens];
  if (tokens.length < 2 || tokens.length > 8) return out;
  for (let i = 0; i < tokens.length - 1; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (a.text.length === 1 || b.text.length === 1) continue; // an initial is not part of a word
    const text = a.text + b.text;
    const joined: PreparedToken = {
      text, phon: phoneticKey(text), weight: joinedWeight(a.weight, b.weight), joined: true, id: interner.id(text, true, b.cut), ...(b.cut && { cut: true }),
      ...(hasReadings(a.text) && hasReadings(b.text) && { parts: [a, b] as const }),
    };
    out.push([...tokens.slice(0, i), joined, ...tokens.slice(i + 2)]);
  }
  return out;
}

/** Prepares a token list for the scorer; with `cut`, its last token was cut at a field limit. */
export function prepare(tokens: string[], weightOf: (phon: string) => number, interner: Pick<Interner, 'id'>, cut = false): PreparedToken[] {
  return tokens.map((text, i) => {
    const phon = phoneticKey(text);
    const last = cut && i === tokens.length - 1;
    return { text, phon, weight: weightOf(phon), id: interner.id(text, false, last), ...(last && { cut: true }) };
  });
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Field adjustments

/** The fields other than names that adjust a score (document numbers normalized). */
export interface FieldInputs {
  dob: PartialDate | null;
  sex: string | null;
  nationalities: string[];
  documents: string[];
  /** National ID numbers: the query's (MatchQuery.nationalId), or those of the entry's documents that may be one. */
  nationalIds?: string[];
}

/**
 * Effect of birth years `years` apart, graded by the gap: -0.03 a year for the first four years,
 * then -0.008 a year (1: -0.03, 4: -0.12, 5: -0.128, 15: -0.208, 25: -0.288, 30: -0.328,
 * 40: -0.408, 60: -0.568). List dates are often approximate, so a strong name (0.9) up to five
 * years off stays at review; but a gap says more the larger it is: from 15 years a perfect name
 * with the same nationality is no longer strong, a father and son 25-30 years apart fall around
 * review and namesakes 40 years apart near weak. The gentler slope after four years keeps one
 * wrong year (a typo, an estimate) from silencing a name on its own.
 */
export function yearsApartEffect(years: number): number {
  const near = Math.min(years, WEIGHTS.yearsNear);
  return WEIGHTS.yearApart * near + WEIGHTS.yearApartFar * (years - near);
}

/** The most agreeing fields add to a name score (same date of birth and nationality). */
export const MAX_FIELD_BONUS = WEIGHTS.dobAgree + WEIGHTS.nationalityAgree;

/**
 * An upper bound of `adjustByFields(nameScore, ...)` knowing only the two birth years (0 where
 * unknown): their exact effect when they differ, otherwise the most the fields can add; within
 * 0..1 as the score is. A shared document (score 1) is not covered: callers bound those entries by 1.
 */
export function fieldUpperBound(nameScore: number, queryYear: number, entryYear: number): number {
  const dob = queryYear && entryYear && queryYear !== entryYear ? yearsApartEffect(Math.abs(queryYear - entryYear)) : WEIGHTS.dobAgree;
  return Math.max(0, Math.min(1, nameScore + dob + WEIGHTS.nationalityAgree));
}

/**
 * Adjusts a name score by the other fields. A shared document number or national ID is decisive
 * (score 1); a different one never lowers the score. A different birth year lowers it by a
 * penalty graded by the gap (yearsApartEffect: a strong name a few years off still reaches
 * review, one 15 years or more off is no longer strong on the name alone); day and month
 * swapped lowers it less than a different day. Nationality and sex disagreement lower it;
 * agreement raises it a little.
 */
export function adjustByFields(nameScore: number, q: FieldInputs, e: FieldInputs): { score: number; checks: FieldCheck[] } {
  const checks: FieldCheck[] = [];
  let delta = 0;
  const sameDoc = q.documents.some((d) => e.documents.includes(d));
  const sharedDoc = sameDoc || Boolean(q.nationalIds?.some((d) => e.nationalIds?.includes(d)));
  if (sharedDoc) {
    checks.push({ field: 'document', status: 'agree', effect: round(1 - nameScore), ...checkOf(reason(sameDoc ? 'check.sameDocument' : 'check.sameNationalId')) });
  } else if (q.documents.length && e.documents.length) {
    checks.push({ field: 'document', status: 'disagree', effect: 0, ...checkOf(reason('check.differentDocument')) });
  }
  // With a shared document the score is 1 whatever the rest says; the checks still explain.
  const effect = (x: number): number => (sharedDoc ? 0 : x);
  if (q.dob && e.dob) {
    const c = compareDates(q.dob, e.dob);
    delta += c.effect;
    checks.push({ field: 'dateOfBirth', ...c, effect: effect(c.effect) });
  }
  if (q.nationalities.length && e.nationalities.length) {
    const agree = q.nationalities.some((n) => e.nationalities.includes(n));
    const x = agree ? WEIGHTS.nationalityAgree : WEIGHTS.nationalityDisagree;
    delta += x;
    checks.push({ field: 'nationality', status: agree ? 'agree' : 'disagree', effect: effect(x), ...checkOf(reason(agree ? 'check.sameNationality' : 'check.differentNationality')) });
  }
  if (q.sex && e.sex && q.sex !== 'X' && e.sex !== 'X') {
    const agree = q.sex === e.sex;
    const x = agree ? 0 : WEIGHTS.sexDisagree;
    delta += x;
    checks.push({ field: 'sex', status: agree ? 'agree' : 'disagree', effect: effect(x), ...checkOf(reason(agree ? 'check.sameSex' : 'check.differentSex')) });
  }
  if (sharedDoc) return { score: 1, checks };
  return { score: Math.max(0, Math.min(1, nameScore + delta)), checks };
}

/** A field check's reason with its English text (`detail`, for the CLI and exports). */
function checkOf(r: Reason): Pick<FieldCheck, 'detail' | 'reason' | 'params'> {
  return { detail: reasonText(r), reason: r.code, params: r.params ?? {} };
}

function compareDates(a: PartialDate, b: PartialDate): Omit<FieldCheck, 'field'> {
  if (a.year !== b.year) {
    const years = Math.abs(a.year - b.year);
    return { status: 'disagree', effect: yearsApartEffect(years), ...checkOf(reason('check.birthYearDiffers', { years })) };
  }
  if (a.month === undefined || b.month === undefined) {
    return { status: 'partial', effect: 0.03, ...checkOf(reason('check.sameBirthYearOnly')) };
  }
  if (a.month === b.month && (a.day === undefined || b.day === undefined)) {
    return { status: 'partial', effect: 0.04, ...checkOf(reason('check.sameBirthYearMonth')) };
  }
  if (a.month === b.month && a.day === b.day) {
    return { status: 'agree', effect: WEIGHTS.dobAgree, ...checkOf(reason('check.sameDateOfBirth')) };
  }
  if (a.day !== undefined && b.day !== undefined && a.month === b.day && a.day === b.month) {
    return { status: 'partial', effect: -0.01, ...checkOf(reason('check.dayMonthSwapped')) };
  }
  return { status: 'disagree', effect: -0.04, ...checkOf(reason('check.differentDayMonth')) };
}
