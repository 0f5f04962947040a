/**
 * The two-stage matcher (DESIGN.md section 5).
 *
 * Why it is one file of over 1,000 lines: the token dictionary, the entry store and retrieval
 * share typed arrays indexed by the same token and entry numbers, and the hot loops (posting
 * lists, bounds, early stopping) read them directly as fields of one class, which V8 optimizes
 * far better than calls across modules (the 1,000,000-entry p95 depends on it). The scorer
 * (score.ts), normalization, Thai, Chinese and nickname rules live in their own files.
 *
 * Stage 1, retrieval, works on a dictionary of the distinct name tokens of the lists, not on the
 * entries: each query token finds the dictionary tokens it could match (the same token, the same
 * phonetic key, a typo within its budget found through character trigrams, a Chinese surname
 * variant, a Wade-Giles form, or two tokens it joins), each with its similarity. Their posting
 * lists give the entries, and for each entry an upper bound of its name score from which query
 * tokens it shares. Only entries whose bound can reach the review threshold (plus the most the
 * other fields can add) go on, so nothing that could reach review is ever dropped, and there is no
 * cap. Document numbers and national IDs retrieve entries directly. A query token cut at a field
 * limit (MatchQuery.nameCut) also finds the dictionary tokens it begins (a sorted dictionary).
 *
 * Stage 2 scores each remaining entry with the token-aligned scorer (score.ts) over every name
 * variant, adjusts by the other fields and explains the result.
 */
import { isRealNumber } from '../../../shared/same-person';
import type { Explanation, FieldCheck, TokenMatch, TokenMatchKind } from '../../../shared/contract';
import { parseDate, type PartialDate } from '../../../shared/dates';
import { SEXES, type Sex } from '../../../shared/domain';
import { normalizeDocumentNumber } from '../watchlists/values';
import { entryVariants, splitMatchKeys, type KeyVariant, type SplitKeys } from './keys';
import { crossScriptVariants, nameVariants, phoneticKey } from './normalize';
import { looseOfPhonetic } from './phonetic';
import { hasReadings, readingKeys, readingKeysOnce } from './romanize';
import { MYANMAR_SCRIPT } from './myanmar';
import {
  adjustByFields, alignTokens, INITIAL_SIMILARITY, balticKey, bitOsaDistance, isSyllabicName, particleForms, unmatchedWeight, fieldUpperBound, MAX_FIELD_BONUS, WEIGHTS, Interner, joinedVariants, joinedWeight, osaDistance, prepare, round, SimilarityCache, tokenSimilarity, typoBudget,
  type FieldInputs, type PreparedToken,
} from './score';
import { givenNameForms } from './nicknames';
import { chineseSurnameForms, siniticKey, WADE_GILES_MARKS } from './sinitic';
import { explanationSummary } from '../../../shared/explain';
import { EN_REASONS, type Reason } from '../../../shared/reasons';

/** What the matcher needs of a watchlist entry. */
export interface MatchableEntry {
  /** Internal entry id (UUID). */
  id: string;
  names: string[];
  dateOfBirth: string | null;
  sex: string | null;
  nationalities: readonly string[];
  /** The numbers of all the entry's documents (a query's document number is matched against every one). */
  documents: readonly string[];
  /**
   * The numbers of its national ID documents, matched against a query's national ID. When absent
   * (the document types are not known), every document number may be a national ID.
   */
  nationalIds?: readonly string[];
  /** Match keys stored at import (keys.ts); recomputed from `names` when absent or stale. */
  matchKeys?: string | null;
  /**
   * The names on demand, for a caller that leaves `names` empty when it has stored keys (parsing a
   * million names at start-up costs seconds): used when the keys turn out unusable. Called as a
   * method of the entry, so that one function can serve every entry.
   */
  loadNames?: (this: MatchableEntry) => string[];
  /**
   * A small number naming the entry's group (the index host uses the list version): `match` can
   * leave whole groups out (`excludeGroups`) without a rebuild. Default 0.
   */
  group?: number;
}

/** What the matcher needs of a traveler. Without names, only document numbers and national IDs find entries. */
export interface MatchQuery {
  names: string[];
  dateOfBirth?: string | null;
  sex?: string | null;
  nationality?: string | null;
  documentNumber?: string | null;
  /**
   * The holder's national ID number, e.g. from the MRZ optional-data / personal-number field where
   * the issuing state puts it: decisive like a document number, against the entry's national IDs.
   * A placeholder or a number too short to identify anyone (shared/same-person.ts isRealNumber) matches nothing.
   */
  nationalId?: string | null;
  /**
   * The names were cut at a field limit (MRZ name fields are 30/31/39 characters): the last token
   * of each name is a prefix of the real token. Put the part that was cut last (the order of name
   * parts does not matter otherwise).
   */
  nameCut?: boolean;
}

export interface MatchResult {
  entryId: string;
  /** Which of the entry's names matched best (its position in `names`). */
  nameIndex: number;
  score: number;
  nameScore: number;
  explanation: Explanation;
}

export interface MatchOptions {
  /** At most this many results, best first (default 10). */
  top?: number;
  /** Results scoring below this are not returned (default 0.5). */
  minScore?: number;
  /**
   * Entries whose name-score bound cannot reach this are not scored (default: `minScore`). Set it
   * to the lowest review threshold to keep every entry that could need review while skipping
   * hopeless candidates of common names.
   */
  retrieveAbove?: number;
  /** Receives problems with the query, such as an impossible date of birth. */
  warnings?: Reason[];
  /** Entries of these groups (MatchableEntry.group) are never returned, as if not indexed. */
  excludeGroups?: ReadonlySet<number>;
}

/** How the index was built: entries whose stored match keys were used, and those normalized anew. */
export interface BuildStats {
  storedKeys: number;
  computedKeys: number;
}

/** Marks a number of docText that may be a national ID. */
const NATIONAL_ID = '#';
/** Numbers per entry in the retrieval accumulator (MatchIndex.acc). */
const ACC_STRIDE = 6;
/** How many query tokens' dictionary matches are remembered. */
const SIMILAR_CACHE = 20000;
/** The bound of an entry sharing the query's document number (its score is 1; names bound below 2). */
const SHARED_DOCUMENT = 2;
/** Float32 accumulators round: every bound is raised by this much to stay a bound. */
const BOUND_SLACK = 1e-5;
/** A candidate's sort key: its bound in steps of 2^-20 (rounded up), times ENTRY_SPAN, plus its entry. */
const BOUND_SCALE = 2 ** 20;
const ENTRY_SPAN = 2 ** 24;
/** Postings scanned in the time it takes to read one entry's tokens for the skipped query tokens. */
const POSTINGS_PER_CHECK = 16;
/** Tokens up to this length are found by one-edit deletion keys instead of trigrams. */
const SHORT = 6;
/**
 * Typo search (findSimilarTokens). Up to two edits, by two-deletion keys: of the texts of tokens of
 * MID_MIN..MID_MAX letters (four is the shortest a six-letter query, the first with a typo budget
 * of two, reaches; eleven the longest a nine-letter one reaches), and of the phonetic keys of at
 * most KEY_MAX letters of tokens of MID_MIN letters or more. Three edits (both tokens of LONG
 * letters or more), and whatever is longer, by trigrams of the tokens of LONG letters or more.
 */
const MID_MIN = 4;
const MID_MAX = 11;
const KEY_MAX = 13;
const LONG = 10;
/** A two-deletion key: its 32-bit hash times TOKEN_SPAN plus the token's id (exact in a double). */
const TOKEN_SPAN = 2 ** 21;
/** Separates an entry's names, and its stored fields, in the index's packed strings. */
const SEP = '\u001f';

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== id) list.push(id);
  } else map.set(key, [id]);
}

/** Variants in the form of stored keys (each distinct token once). */
function splitVariants(variants: KeyVariant[]): SplitKeys {
  const at = new Map<string, number>();
  const out = variants.map((v) => ({ name: v.name, derived: v.derived, at: v.tokens.map((t) => at.get(t) ?? (at.set(t, at.size), at.size - 1)) }));
  return { tokens: [...at.keys()], variants: out };
}

/** A growable Int32Array (the index keeps its bulk data in typed arrays: about 4 bytes a number). */
class IntBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** A trimmed copy; the buffer is emptied. */
  take(): Int32Array {
    const out = this.data.slice(0, this.length);
    this.data = new Int32Array(0);
    this.length = 0;
    return out;
  }
}

/** FNV-1a hash (unsigned 32 bits) of s without the characters at positions i and j (-1: none). */
function hashWithout(s: string, i: number, j: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) if (k !== i && k !== j) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** A 32-bit hash of s independent of hashWithout's (a multiply-xorshift mix), to confirm a match of the first. */
function keyCheck(s: string): number {
  let h = 0x9747b28c;
  for (let k = 0; k < s.length; k++) {
    h = Math.imul(h ^ s.charCodeAt(k), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** Hashes of s and of every string made by deleting one or (with `two`) two of its characters (SymSpell). */
function deletionHashes(s: string, two = true): number[] {
  const out = [hashWithout(s, -1, -1)];
  for (let i = 0; i < s.length; i++) {
    out.push(hashWithout(s, i, -1));
    if (two) for (let j = i + 1; j < s.length; j++) out.push(hashWithout(s, i, j));
  }
  return out;
}

/**
 * Token ids by 32-bit key hashes: each key is a hash times TOKEN_SPAN plus a token id, sorted (a
 * native sort of numbers), and `start` says where the keys of each bucket of hashes (their top
 * bits) begin, so that a lookup reads one bucket (a few keys, one or two cache lines) instead of
 * binary-searching millions. About 4 bytes of `start` per 8 keys (8 bytes each).
 */
export interface KeyIndex {
  keys: Float64Array;
  /** Keys of bucket b are keys[start[b]] .. keys[start[b + 1] - 1]; b is a hash's top bits. */
  start: Int32Array;
  /** 32 minus the number of bucket bits: bucket = hash >>> shift. */
  shift: number;
}

/** The KeyIndex of `keys` (hash * TOKEN_SPAN + id each), sorting them in place. */
function keyIndex(keys: Float64Array): KeyIndex {
  keys.sort();
  // About eight keys per bucket, at most 2^20 buckets.
  const bits = Math.min(20, Math.max(0, Math.ceil(Math.log2(keys.length / 8 + 1))));
  const shift = 32 - bits;
  const start = new Int32Array((1 << bits) + 1);
  for (const k of keys) start[bucketOf(Math.floor(k / TOKEN_SPAN), shift) + 1]!++;
  for (let b = 0; b < 1 << bits; b++) start[b + 1]! += start[b]!;
  return { keys, start, shift };
}

/**
 * Compressed rows: values[i] (or i, without values) grouped by keys[i] in 0 .. size - 1 by a
 * counting sort, each group in the order given; group k is post[start[k]] .. post[start[k + 1] - 1].
 */
function compressedRows(keys: ArrayLike<number>, size: number, values?: ArrayLike<number>): { start: Int32Array; post: Int32Array } {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
  for (let k = 0; k < size; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, size);
  const post = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) post[fill[keys[i]!]!++] = values ? values[i]! : i;
  return { start, post };
}

/** The bucket of a 32-bit hash (its top 32 - shift bits). */
const bucketOf = (h: number, shift: number): number => (shift >= 32 ? 0 : h >>> shift);

const NO_TOKENS = new Int32Array(0);

const EMPTY_KEYS: KeyIndex = keyIndex(new Float64Array(0));

/** Calls visit with every token id whose key (in `index`) has one of the hashes. */
function tokensByKeys(index: KeyIndex, hashes: number[], visit: (id: number) => void): void {
  const { keys, start, shift } = index;
  if (!keys.length) return;
  for (const h of hashes) {
    const lo = h * TOKEN_SPAN;
    const b = bucketOf(h, shift);
    for (let at = firstAtLeast(keys, lo, start[b], start[b + 1]); at < keys.length && keys[at]! < lo + TOKEN_SPAN; at++) visit(keys[at]! - lo);
  }
}

/**
 * Two-deletion keys of the given strings (one per token id, null: not indexed), sorted: a token
 * within two edits of a query shares one of its keys with one of the query's (symmetric deletion).
 */
function deletionIndex(strings: (string | null)[]): KeyIndex {
  let n = 0;
  for (const s of strings) if (s !== null) n += 1 + s.length + (s.length * (s.length - 1)) / 2;
  const keys = new Float64Array(n);
  let k = 0;
  strings.forEach((s, id) => {
    if (s !== null) for (const h of deletionHashes(s)) keys[k++] = h * TOKEN_SPAN + id;
  });
  return keyIndex(keys);
}

/** Hashes (hashWithout) of the string and of its one-edit deletions (SymSpell); a deletion that repeats another is hashed again. */
function oneDeletionHashes(s: string): number[] {
  const out = [hashWithout(s, -1, -1)];
  for (let i = 0; i < s.length; i++) out.push(hashWithout(s, i, -1));
  return out;
}

/**
 * One-deletion keys of the given strings (one per token id, null: not indexed), sorted as
 * deletionIndex's: a token within one edit of a query shares one of its keys with one of the query's.
 */
function oneDeletionIndex(strings: (string | null)[]): KeyIndex {
  let n = 0;
  for (const s of strings) if (s !== null) n += 1 + s.length;
  const keys = new Float64Array(n);
  let k = 0;
  strings.forEach((s, id) => {
    if (s !== null) for (const h of oneDeletionHashes(s)) keys[k++] = h * TOKEN_SPAN + id;
  });
  return keyIndex(keys);
}

function dobOf(s: string | null | undefined): PartialDate | null {
  if (!s) return null;
  const p = parseDate(s);
  return p.ok ? p.date : (p.partial ?? null);
}

/**
 * A date of birth packed as year * 10000 + month * 100 + day (0 for what it lacks; 0 when none).
 * Complete ISO dates that need no calendar check (day 1..28, years parseDate takes) are read digit by
 * digit, since a million are read at start-up; any other form goes through parseDate.
 */
function packedDob(s: string | null | undefined): number {
  if (s && s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    let x = 0;
    for (let i = 0; i < 10; i++) {
      if (i === 4 || i === 7) continue;
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) {
        x = -1;
        break;
      }
      x = x * 10 + c;
    }
    const year = Math.floor(x / 10000);
    const month = Math.floor(x / 100) % 100;
    const day = x % 100;
    if (x >= 0 && year >= 1800 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 28) return x;
  }
  const dob = dobOf(s);
  return dob ? dob.year * 10000 + (dob.month ?? 0) * 100 + (dob.day ?? 0) : 0;
}

function trigrams(phon: string): string[] {
  const s = `^${phon}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

/** A dictionary token a query token matched, with how well. */
interface TokenHit {
  tok: number;
  sim: number;
  kind: TokenMatchKind;
}

/**
 * An in-memory index over the entries of the active list versions. Build once, query many.
 *
 * Memory: per entry, its id, its names and fields packed in two strings, and its variants' token
 * ids in shared typed arrays; posting lists are one typed array indexed by token (compressed
 * sparse rows). Field values are parsed again only for the candidates of a query.
 */
export class MatchIndex {
  private ids: string[] = [];
  /** The entry's names joined by SEP (split for explanations). */
  private nameText: string[] = [];
  /** Date of birth packed as year * 10000 + month * 100 + day (0 where unknown; 0 for none). */
  private dob: Int32Array = new Int32Array(0);
  /** Sex: index into SEXES (0 for none). */
  private sex: Int32Array = new Int32Array(0);
  /** MatchableEntry.group of each entry. */
  private group: Int32Array = new Int32Array(0);
  /** Nationalities: index into natSets (distinct sets are few). */
  private nat: Int32Array = new Int32Array(0);
  private natSets: string[][] = [];
  private natSetId = new Map<string, number>();
  /** Normalized document numbers joined by ",", those that may be national IDs marked by NATIONAL_ID. */
  private docText: string[] = [];
  /** Variants of entry e are entVar[e] .. entVar[e + 1] - 1. */
  private entVar: Int32Array = new Int32Array(1);
  /** Tokens of variant v are tokens[varTok[v]] .. tokens[varTok[v + 1] - 1]. */
  private varTok: Int32Array = new Int32Array(1);
  /** Name index << 2 | syllabic (a Myanmar name, score.ts isSyllabicName) << 1 | derived. */
  private varMeta: Int32Array = new Int32Array(0);
  private tokens: Int32Array = new Int32Array(0);
  /** Document number (national IDs too) -> entry index, or -(k + 1) for docMulti[k] when several entries hold it. */
  private docs = new Map<string, number>();
  private docMulti: number[][] = [];
  // The token dictionary.
  private tokId = new Map<string, number>();
  private tokText: string[] = [];
  private tokPhon: string[] = [];
  /** Entries holding token t are post[postStart[t]] .. post[postStart[t + 1] - 1], ascending. */
  private postStart: Int32Array = new Int32Array(1);
  private post: Int32Array = new Int32Array(0);
  private tokWeight: Float32Array = new Float32Array(0);
  /**
   * Tokens by phonetic key: key pid's (phonId) are phonPost[phonStart[pid]] .. phonPost[phonStart[pid + 1] - 1],
   * ascending (compressed rows: one array, not an array per key).
   */
  private phonStart: Int32Array = new Int32Array(1);
  private phonPost: Int32Array = new Int32Array(0);
  /**
   * Tokens of at least LONG letters by trigram of their text (`t`) or phonetic key (`p`), ordered
   * by that string's length: trigram k's are gramPost[gramStart[k]] .. gramPost[gramStart[k + 1] - 1],
   * k = byGram.get(prefix + trigram) (compressed rows, as the posting lists).
   */
  private byGram = new Map<string, number>();
  private gramStart = new Int32Array(1);
  private gramPost = new Int32Array(0);
  /**
   * The text and then the phonetic key of each token in byGram, as UTF-16 units side by side
   * (token id's from gramChars[gramAt[id]], -1 for a token not there), so that the typo search
   * reads a candidate from a few megabytes in one place rather than from its string in the heap.
   */
  private gramChars = new Uint16Array(0);
  private gramAt = new Int32Array(0);
  /** Two-deletion keys of texts and of phonetic keys (MID_MIN, MID_MAX, KEY_MAX). */
  private delText: KeyIndex = EMPTY_KEYS;
  private delPhon: KeyIndex = EMPTY_KEYS;
  private bySinitic = new Map<string, number[]>();
  /** Tokens of two letters or more by their first letter (an initial matches them). */
  private byInitial = new Map<string, number[]>();
  /** Latin tokens with a Baltic nominative ending (Sergejs, Lavrovas) by the key of their stem (score.ts balticKey). */
  private byBaltic = new Map<string, number[]>();
  /** Token ids in the order of their texts, for the tokens a cut token begins (made on the first such query). */
  private byText: Int32Array | null = null;
  /**
   * Tokens in a script with readings (Thai ...) by the loose keys of their readings (romanize.ts):
   * each key's 32-bit hash times TOKEN_SPAN plus the token's id, sorted.
   */
  private byReading: KeyIndex = EMPTY_KEYS;
  /**
   * Each script token's readings: the 32-bit hashes of their keys and their costs (in half
   * units), token id's from readingAt[id] to readingAt[id + 1] (for the scorer, readingCostAt).
   */
  private readingHash: Uint32Array = new Uint32Array(0);
  /** A second, independent hash of each reading's key (keyCheck): the scorer compares both. */
  private readingCheck: Uint32Array = new Uint32Array(0);
  private readingCost: Uint8Array = new Uint8Array(0);
  private readingAt: Int32Array = new Int32Array(1);
  /** Latin tokens by the hash of their loose key, the same way (made on the first query in such a script). */
  private byLoose: KeyIndex | null = null;
  /** One-letter tokens in a script with readings, by each Latin letter their initial may be written with. */
  private scriptInitials = new Map<string, number[]>();
  /**
   * One-deletion keys of short tokens (up to SHORT letters), where trigrams say too little
   * (oneDeletionIndex; past TOKEN_SPAN tokens there are none, and every token has trigrams).
   */
  private byDel: KeyIndex = EMPTY_KEYS;
  /** The same for phonetic keys up to SHORT + 1 letters. */
  private byDelP: KeyIndex = EMPTY_KEYS;
  private prepared: (PreparedToken | undefined)[] = [];
  /** Phonetic keys: id by key, and in how many entries each occurs. */
  private phonId = new Map<string, number>();
  private phonDf: number[] = [];
  // Build-time state.
  private build: {
    entVar: IntBuffer; varTok: IntBuffer; varMeta: IntBuffer; tokens: IntBuffer; postTok: IntBuffer; postEnt: IntBuffer;
    tokLast: number[]; phonLast: number[]; dob: IntBuffer; sex: IntBuffer; nat: IntBuffer; group: IntBuffer;
    /** Each token's phonetic key id (phonId), until the tokens by key are made (finish). */
    tokPhonId: number[];
    /** internAt's table: token id + 1 by hash slot (0: empty), at most half full. */
    tokTable: Int32Array;
  } | null = {
      entVar: new IntBuffer(), varTok: new IntBuffer(), varMeta: new IntBuffer(), tokens: new IntBuffer(),
      postTok: new IntBuffer(), postEnt: new IntBuffer(), tokLast: [], phonLast: [], tokPhonId: [], dob: new IntBuffer(), sex: new IntBuffer(), nat: new IntBuffer(), group: new IntBuffer(),
      tokTable: new Int32Array(1 << 16),
    };
  // Scratch buffers for retrieval, reused by every query (single-threaded).
  // Per entry e, interleaved (ACC_STRIDE numbers) so that one posting reads one cache line:
  // accBits[6e] the query tokens that hit e (bits), acc[6e + 1] the weighted similarity,
  // acc[6e + 2] the weight so far, acc[6e + 3] the entry weight hit (zero between queries); and two
  // constants of the entry for its bound: acc[6e + 4] the least weight of its variants' tokens
  // (unmatched: score.ts unmatchedWeight), acc[6e + 5] the most the scorer can save by joining two
  // adjacent entry tokens left unmatched into one (joinedVariants: they then count once, at the
  // joined weight), over the entry's variants.
  private accBits = new Int32Array(0);
  private acc = new Float32Array(0);
  /** Best bound of each entry over the query's variants (0: not retrieved; reset by match). */
  private bound = new Float32Array(0);
  /** Dictionary tokens a typo search has compared (findSimilarTokens: bit 1 by key, 2 by text). */
  private tokSeen = new Uint8Array(0);
  /**
   * Lengths of each token's text and phonetic key, so that the typo search filters
   * candidates by length without reading their strings (a cache miss each).
   */
  private textLen = new Int32Array(0);
  private phonLen = new Int32Array(0);
  /** Entries already checked for the skipped query tokens (retrieve). */
  private checked = new Uint8Array(0);
  /** Entries of a split token's first half (splitHits). */
  private splitMark = new Uint8Array(0);
  /** Dictionary tokens marked as similar to a skipped query token: stamp and index of the mark. */
  private markAt = new Int32Array(0);
  private markIdx = new Int32Array(0);
  private markStamp = 0;
  /** Entries built from stored keys, and entries normalized at build. */
  readonly stats: BuildStats = { storedKeys: 0, computedKeys: 0 };

  constructor(entries: Iterable<MatchableEntry>) {
    for (const e of entries) this.add(e);
    this.finish();
  }

  get size(): number {
    return this.ids.length;
  }

  /** Number of distinct tokens in the dictionary. */
  get dictionarySize(): number {
    return this.tokText.length;
  }

  private intern(text: string): number {
    let id = this.tokId.get(text);
    if (id === undefined) {
      id = this.tokText.length;
      this.tokId.set(text, id);
      this.tokText.push(text);
      const phon = phoneticKey(text);
      this.tokPhon.push(phon);
      let pid = this.phonId.get(phon);
      if (pid === undefined) {
        pid = this.phonDf.length;
        this.phonId.set(phon, pid);
        this.phonDf.push(0);
        this.build!.phonLast.push(-1);
      }
      this.build!.tokPhonId.push(pid);
      this.build!.tokLast.push(-1);
    }
    return id;
  }

  /**
   * The id of the token s.slice(start, end), looked up in place (stored keys at build): an
   * open-addressing table of token ids by a hash of the characters, so that a million entries'
   * tokens need no string each. Interns the token when it is new.
   */
  private internAt = (s: string, start: number, end: number): number => {
    const b = this.build!;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const table = b.tokTable;
    for (let slot = h & (table.length - 1); ; slot = (slot + 1) & (table.length - 1)) {
      const at = table[slot]!;
      if (at === 0) break;
      const t = this.tokText[at - 1]!;
      if (t.length !== end - start) continue;
      let same = true;
      for (let i = 0; i < t.length && same; i++) same = t.charCodeAt(i) === s.charCodeAt(start + i);
      if (same) return at - 1;
    }
    const id = this.intern(s.slice(start, end));
    // Tokens interned from names (entries without usable keys) are not in the table, so it may
    // have to grow more than twofold to stay at most half full with all of them.
    if (2 * this.tokText.length > table.length) {
      let size = table.length;
      while (2 * this.tokText.length > size) size *= 2;
      this.rehash(size);
    } else this.place(b.tokTable, id);
    return id;
  };

  private place(table: Int32Array, id: number): void {
    const t = this.tokText[id]!;
    let h = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    let slot = h & (table.length - 1);
    while (table[slot] !== 0) slot = (slot + 1) & (table.length - 1);
    table[slot] = id + 1;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size);
    for (let id = 0; id < this.tokText.length; id++) this.place(table, id);
    this.build!.tokTable = table;
  }

  private add(e: MatchableEntry): void {
    const b = this.build!;
    const idx = this.ids.length;
    if (idx >= ENTRY_SPAN) throw new Error(`a match index holds at most ${ENTRY_SPAN} entries`);
    let names = e.names;
    let keys: SplitKeys<number> | null = e.matchKeys === undefined ? null : splitMatchKeys(e.matchKeys, this.internAt);
    if (keys) this.stats.storedKeys++;
    else {
      if (!names.length && e.loadNames) names = e.loadNames();
      const split = splitVariants(entryVariants(names));
      keys = { tokens: split.tokens.map((t) => this.intern(t)), variants: split.variants };
      this.stats.computedKeys++;
    }
    const ids = keys.tokens;
    b.entVar.push(b.varMeta.length);
    // Names written in Myanmar script: they and their derived Latin forms align syllable by syllable.
    const syllabic = new Set(keys.variants.filter((v) => !v.derived && isSyllabicName([v.at.map((at) => this.tokText[ids[at]!]!)])).map((v) => v.name));
    for (const v of keys.variants) {
      b.varTok.push(b.tokens.length);
      b.varMeta.push((v.name << 2) | (syllabic.has(v.name) ? 2 : 0) | (v.derived ? 1 : 0));
      for (const at of v.at) {
        const id = ids[at]!;
        b.tokens.push(id);
        if (b.tokLast[id] !== idx) {
          b.tokLast[id] = idx;
          b.postTok.push(id);
          b.postEnt.push(idx);
          const pid = b.tokPhonId[id]!;
          if (b.phonLast[pid] !== idx) {
            b.phonLast[pid] = idx;
            this.phonDf[pid]!++;
          }
        }
      }
    }
    const docs = [...new Set([...e.documents, ...(e.nationalIds ?? [])].map(normalizeDocumentNumber).filter(Boolean))];
    const nids = e.nationalIds && new Set(e.nationalIds.map(normalizeDocumentNumber));
    for (const d of docs) {
      const at = this.docs.get(d);
      if (at === undefined) this.docs.set(d, idx);
      else if (at >= 0) {
        this.docs.set(d, -(this.docMulti.length + 1));
        this.docMulti.push([at, idx]);
      } else this.docMulti[-at - 1]!.push(idx);
    }
    this.ids.push(e.id);
    this.nameText.push(names.join(SEP));
    b.dob.push(packedDob(e.dateOfBirth));
    b.sex.push(SEXES.indexOf(e.sex as Sex) + 1);
    b.group.push(e.group ?? 0);
    const natKey = e.nationalities.join(',');
    let nat = this.natSetId.get(natKey);
    if (nat === undefined) {
      nat = this.natSets.length;
      this.natSetId.set(natKey, nat);
      this.natSets.push([...e.nationalities]);
    }
    b.nat.push(nat);
    this.docText.push(docs.map((d) => (!nids || nids.has(d) ? NATIONAL_ID + d : d)).join(','));
  }

  /** Entries holding a document number (any type). */
  private docEntries(d: string): readonly number[] {
    const at = this.docs.get(d);
    return at === undefined ? [] : at >= 0 ? [at] : this.docMulti[-at - 1]!;
  }

  /** Entries holding a national ID number (a document that may be a national ID). */
  private nationalIdEntries(d: string): number[] {
    return this.docEntries(d).filter((e) => this.docText[e]!.split(',').includes(NATIONAL_ID + d));
  }

  /** Entries holding token t, ascending. */
  private postings(t: number): Int32Array {
    return this.post.subarray(this.postStart[t], this.postStart[t + 1]);
  }

  /** Field values of entry e, from their packed form. */
  private fieldsOf(e: number): FieldInputs {
    const d = this.dob[e]!;
    const year = Math.floor(d / 10000);
    const month = Math.floor(d / 100) % 100;
    const day = d % 100;
    const iso = !d ? '' : `${String(year).padStart(4, '0')}${month ? `-${String(month).padStart(2, '0')}` : ''}${day ? `-${String(day).padStart(2, '0')}` : ''}`;
    const dob: PartialDate | null = !d ? null : day ? { iso, precision: 'day', year, month, day } : month ? { iso, precision: 'month', year, month } : { iso, precision: 'year', year };
    const docs = this.docText[e] ? this.docText[e].split(',') : [];
    return {
      dob, sex: SEXES[this.sex[e]! - 1] ?? null, nationalities: this.natSets[this.nat[e]!]!,
      documents: docs.map((d) => (d.startsWith(NATIONAL_ID) ? d.slice(1) : d)),
      nationalIds: docs.filter((d) => d.startsWith(NATIONAL_ID)).map((d) => d.slice(1)),
    };
  }

  private finish(): void {
    const b = this.build!;
    this.build = null;
    b.entVar.push(b.varMeta.length);
    b.varTok.push(b.tokens.length);
    this.entVar = b.entVar.take();
    this.varTok = b.varTok.take();
    this.varMeta = b.varMeta.take();
    this.tokens = b.tokens.take();
    this.dob = b.dob.take();
    this.sex = b.sex.take();
    this.nat = b.nat.take();
    this.group = b.group.take();
    const n = this.tokText.length;
    // Posting lists: the (token, entry) pairs by token (entries stay ascending).
    ({ start: this.postStart, post: this.post } = compressedRows(b.postTok.take(), n, b.postEnt.take()));
    // Tokens by phonetic key (ids stay ascending).
    ({ start: this.phonStart, post: this.phonPost } = compressedRows(b.tokPhonId, this.phonDf.length));
    this.tokWeight = new Float32Array(n);
    this.tokSeen = new Uint8Array(n);
    this.textLen = Int32Array.from(this.tokText, (t) => t.length);
    this.phonLen = Int32Array.from(this.tokPhon, (p) => p.length);
    for (let id = 0; id < n; id++) {
      const phon = this.tokPhon[id]!;
      this.tokWeight[id] = this.weightOf(phon);
      const text = this.tokText[id]!;
      if (WADE_GILES_MARKS.test(text) || /^[a-z]+$/.test(text)) push(this.bySinitic, siniticKey(text), id);
      if (text.length >= 2) push(this.byInitial, text[0]!, id);
      const baltic = balticKey(text);
      if (baltic !== null) push(this.byBaltic, baltic, id);
    }
    this.indexReadings();
    // Typo search structures: two-deletion keys for the tokens of middle length, trigrams for the
    // long ones. Each trigram's tokens are ordered by length, so that a search reads only the
    // tokens whose length is within its budget: they are visited shortest first (a counting sort).
    if (n < TOKEN_SPAN) {
      this.byDel = oneDeletionIndex(this.tokText.map((t) => (t.length <= SHORT ? t : null)));
      this.byDelP = oneDeletionIndex(this.tokPhon.map((p) => (p.length <= SHORT + 1 ? p : null)));
      this.delText = deletionIndex(this.tokText.map((t) => (t.length >= MID_MIN && t.length <= MID_MAX ? t : null)));
      this.delPhon = deletionIndex(this.tokPhon.map((p, id) => (this.tokText[id]!.length >= MID_MIN && p.length <= KEY_MAX ? p : null)));
    }
    const gramFrom = n < TOKEN_SPAN ? LONG : 0;
    const grams = new Map<string, number[]>();
    for (const [prefix, texts] of [['p', this.tokPhon], ['t', this.tokText]] as const) {
      const byLength: number[][] = [];
      for (let id = 0; id < n; id++) if (this.tokText[id]!.length >= gramFrom) (byLength[texts[id]!.length] ??= []).push(id);
      for (const ids of byLength) for (const id of ids ?? []) for (const g of trigrams(texts[id]!)) push(grams, prefix + g, id);
    }
    this.gramStart = new Int32Array(grams.size + 1);
    this.gramPost = new Int32Array([...grams.values()].reduce((total, ids) => total + ids.length, 0));
    for (const [g, ids] of grams) {
      const k = this.byGram.size;
      this.byGram.set(g, k);
      this.gramPost.set(ids, this.gramStart[k]);
      this.gramStart[k + 1] = this.gramStart[k]! + ids.length;
    }
    this.gramAt = new Int32Array(n).fill(-1);
    let units = 0;
    for (let id = 0; id < n; id++) if (this.textLen[id]! >= gramFrom) units += this.textLen[id]! + this.phonLen[id]!;
    this.gramChars = new Uint16Array(units);
    let at = 0;
    for (let id = 0; id < n; id++) {
      if (this.textLen[id]! < gramFrom) continue;
      this.gramAt[id] = at;
      for (const s of [this.tokText[id]!, this.tokPhon[id]!]) for (let i = 0; i < s.length; i++) this.gramChars[at++] = s.charCodeAt(i);
    }
    const m = this.ids.length;
    // What each token counts unmatched (score.ts unmatchedWeight), once per token.
    const tokMiss = Float64Array.from(this.tokText, (text, id) => unmatchedWeight({ text, weight: this.tokWeight[id]! }));
    const acc = new ArrayBuffer(4 * ACC_STRIDE * m);
    this.accBits = new Int32Array(acc);
    this.acc = new Float32Array(acc);
    for (let e = 0; e < m; e++) {
      let min = Infinity;
      let saving = 0;
      for (let v = this.entVar[e]!; v < this.entVar[e + 1]!; v++) {
        let w = 0;
        const from = this.varTok[v]!;
        const to = this.varTok[v + 1]!;
        for (let i = from; i < to; i++) {
          const t = this.tokens[i]!;
          w += tokMiss[t]!;
          // As joinedVariants: two to eight tokens, no initial joined.
          if (i > from && to - from <= 8 && this.tokText[t]!.length > 1 && this.tokText[this.tokens[i - 1]!]!.length > 1) {
            const a = this.tokWeight[this.tokens[i - 1]!]!;
            const b = this.tokWeight[t]!;
            saving = Math.max(saving, a + b - joinedWeight(a, b));
          }
        }
        if (w < min) min = w;
      }
      this.acc[ACC_STRIDE * e + 4] = Number.isFinite(min) ? min : 0;
      this.acc[ACC_STRIDE * e + 5] = saving;
    }
    this.bound = new Float32Array(m);
    this.checked = new Uint8Array(m);
    this.splitMark = new Uint8Array(m);
    this.markAt = new Int32Array(n);
    this.markIdx = new Int32Array(n);
  }

  /**
   * Indexes the tokens in scripts with readings: by the loose keys of their readings (byReading),
   * and by the Latin letters their initials may be written with (byInitial, scriptInitials).
   */
  private indexReadings(): void {
    const n = this.tokText.length;
    const keys = new IntBuffer();
    const hashes = new IntBuffer();
    const checks = new IntBuffer();
    const costs = new IntBuffer();
    const at = new Int32Array(n + 1);
    for (let id = 0; id < n; id++) {
      at[id] = hashes.length;
      const text = this.tokText[id]!;
      if (!hasReadings(text)) continue;
      // An initial (these scripts are in the Basic Multilingual Plane), but not a one-letter
      // Myanmar syllable (score.ts crossScriptSimilarity).
      const one = text.length === 1 && !MYANMAR_SCRIPT.test(text);
      for (const [key, cost] of readingKeysOnce(text)) {
        if (key.startsWith('^')) push(one ? this.scriptInitials : this.byInitial, key.slice(1), id);
        const h = hashWithout(key, -1, -1);
        hashes.push(h | 0);
        checks.push(keyCheck(key) | 0);
        costs.push(Math.round(cost * 2));
        if (!key.startsWith('^')) keys.push(hashes.length - 1);
      }
    }
    at[n] = hashes.length;
    this.readingAt = at;
    this.readingHash = new Uint32Array(hashes.take().buffer);
    this.readingCheck = new Uint32Array(checks.take().buffer);
    this.readingCost = Uint8Array.from(costs.take());
    // Retrieval: each reading's key hash and token, sorted (a native sort of numbers).
    const slots = keys.take();
    const byReading = new Float64Array(slots.length);
    let k = 0;
    for (let id = 0; id < n; id++) {
      for (let i = at[id]!; i < at[id + 1]!; i++) if (k < slots.length && slots[k] === i) byReading[k++] = this.readingHash[i]! * TOKEN_SPAN + id;
    }
    this.byReading = keyIndex(byReading);
  }

  /**
   * The cost of dictionary token id's reading with this loose key (or "^" and a letter),
   * undefined for none. Keys are compared by two independent 32-bit hashes (a wrong match needs
   * both to collide: about one in 10^19 per pair).
   */
  private readingCostAt(id: number, key: string): number | undefined {
    const h = hashWithout(key, -1, -1);
    let check: number | undefined;
    for (let i = this.readingAt[id]!; i < this.readingAt[id + 1]!; i++) {
      if (this.readingHash[i] === h && this.readingCheck[i] === (check ??= keyCheck(key))) return this.readingCost[i]! / 2;
    }
    return undefined;
  }

  /** Latin dictionary tokens whose loose key hashes as `key` does (a superset: callers compare). */
  private latinByLoose(key: string, visit: (id: number) => void): void {
    if (!this.byLoose) {
      const keys: number[] = [];
      this.tokText.forEach((t, id) => {
        if (/^[a-z]+$/.test(t)) keys.push(hashWithout(looseOfPhonetic(this.tokPhon[id]!), -1, -1) * TOKEN_SPAN + id);
      });
      this.byLoose = keyIndex(Float64Array.from(keys));
    }
    tokensByKeys(this.byLoose, [hashWithout(key, -1, -1)], visit);
  }

  /** Rarity weight of a phonetic token key, 0.3..1 (IDF over at least 1,000 entries). */
  weightOf = (phon: string): number => {
    const n = Math.max(this.ids.length, 1000);
    const pid = this.phonId.get(phon);
    const df = pid === undefined ? 0 : this.phonDf[pid]!;
    if (df === 0) return 1;
    const idf = Math.log((n + 1) / (df + 0.5)) / Math.log(n + 1);
    return Math.max(0.3, Math.min(1, 0.3 + 0.7 * idf));
  };

  private preparedToken(id: number): PreparedToken {
    let p = this.prepared[id];
    if (!p) {
      p = { text: this.tokText[id]!, phon: this.tokPhon[id]!, weight: this.tokWeight[id]!, id };
      if (this.byReading.keys.length && hasReadings(p.text)) p.readingCost = (key) => this.readingCostAt(id, key);
      this.prepared[id] = p;
    }
    return p;
  }

  /**
   * Recent answers of `similarTokens` (the dictionary does not change after the build), in two
   * generations: when the newer is full it becomes the older and the oldest is dropped whole.
   * (Deleting a Map's first key one at a time leaves holes that every later `keys()` walks over.)
   */
  private similarNew = new Map<string, TokenHit[]>();
  private similarOld = new Map<string, TokenHit[]>();

  /** The dictionary tokens a query token could match, with their similarity (memoized). */
  private similarTokens(q: PreparedToken): TokenHit[] {
    const key = `${q.cut ? '>' : ''}${q.joined ? '+' : ''}${q.text}`;
    let hits = this.similarNew.get(key);
    if (!hits) {
      hits = this.similarOld.get(key) ?? this.findSimilarTokens(q);
      if (this.similarNew.size >= SIMILAR_CACHE) {
        this.similarOld = this.similarNew;
        this.similarNew = new Map();
      }
      this.similarNew.set(key, hits);
    }
    return hits;
  }

  private findSimilarTokens(q: PreparedToken): TokenHit[] {
    const found = new Map<number, TokenHit>();
    const consider = (id: number): void => {
      if (found.has(id)) return;
      const s = tokenSimilarity(q, this.preparedToken(id));
      if (s) found.set(id, { tok: id, sim: s.sim, kind: s.kind });
    };
    const exact = this.tokId.get(q.text);
    if (exact !== undefined) consider(exact);
    for (const id of this.withPhon(q.phon)) consider(id);
    for (const form of [...chineseSurnameForms(q.text), ...givenNameForms(q.text), ...particleForms(q.text)]) {
      const id = this.tokId.get(form);
      if (id !== undefined) consider(id);
    }
    // A Baltic nominative ending either side (score.ts sameBalticStem): the stem's key against the
    // other's phonetic key, or both stems' keys.
    if (!q.joined) {
      const baltic = balticKey(q.text);
      for (const id of this.byBaltic.get(q.phon) ?? []) consider(id);
      if (baltic !== null) for (const id of [...this.withPhon(baltic), ...(this.byBaltic.get(baltic) ?? [])]) consider(id);
    }
    if (/^[a-z]+$/.test(q.text)) {
      for (const id of this.bySinitic.get(siniticKey(q.text)) ?? []) consider(id);
      // The tokens in Thai (...) script that this spells a reading of, or whose initial it is.
      if (this.byReading.keys.length) tokensByKeys(this.byReading, [hashWithout(looseOfPhonetic(q.phon), -1, -1)], consider);
      for (const id of this.scriptInitials.get(q.text[0]!) ?? []) consider(id);
    } else if (hasReadings(q.text)) {
      // A token in Thai (...) script: the Latin tokens that spell one of its readings, and initials.
      for (const key of readingKeys(q.text).keys()) {
        if (!key.startsWith('^')) this.latinByLoose(key, consider);
        else {
          const letter = this.tokId.get(key.slice(1));
          if (letter !== undefined) consider(letter);
          if (q.text.length === 1) for (const id of this.byInitial.get(key.slice(1)) ?? []) consider(id);
        }
      }
    }
    // An initial and the names it may stand for, both ways.
    if (q.text.length === 1) for (const id of this.byInitial.get(q.text) ?? []) consider(id);
    else if (!q.joined) {
      const initial = this.tokId.get(q.text[0]!);
      if (initial !== undefined) consider(initial);
    }
    // Typos: short tokens by one-edit deletion keys; longer ones by shared trigrams of the text or
    // of the phonetic key, enough for the edit budget (one edit spoils at most four trigrams).
    const len = q.text.length;
    // A token cut at a field limit: the tokens it begins (tokenSimilarity's prefix match).
    if (q.cut && len >= 2) for (const id of this.startingWith(q.text)) consider(id);
    if (len <= SHORT + 1) tokensByKeys(this.byDel, oneDeletionHashes(q.text), consider);
    if (q.phon.length <= SHORT + 1) tokensByKeys(this.byDelP, oneDeletionHashes(q.phon), consider);
    // Up to five letters the budget is one edit, and the dictionary tokens within one edit of the
    // text or of the phonetic key are all among the deletion keys (six letters, seven for keys).
    if (len > 5 || q.phon.length > SHORT) {
      // The scorer allows a token joined from two one edit whatever its length (score.ts).
      const budget = q.joined ? 1 : Math.max(typoBudget(len), 1);
      const seen = this.tokSeen;
      const touched: number[] = [];
      for (const [pass, prefix, str, del] of [[1, 'p', q.phon, this.delPhon], [2, 't', q.text, this.delText]] as const) {
        const texts = prefix === 'p' ? this.tokPhon : this.tokText;
        const lens = prefix === 'p' ? this.phonLen : this.textLen;
        const dist = bitOsaDistance(str);
        /**
         * A token found by this string (its text or its key): compared once per pass, by its OSA
         * distance within the budget (bit-parallel); tokenSimilarity then decides.
         */
        const candidate = (id: number): void => {
          if (Math.abs(lens[id]! - str.length) > budget) return;
          const was = seen[id]!;
          if (was & pass) return;
          if (was === 0) touched.push(id);
          seen[id] = was | pass;
          if (found.has(id)) return;
          const at = this.gramAt[id]!;
          const from = pass === 1 ? at + this.textLen[id]! : at;
          if ((at < 0 ? dist(texts[id]!) : dist.in(this.gramChars, from, from + lens[id]!)) <= budget) consider(id);
        };
        // Tokens of middle length (within two edits: the budget of the shorter of two tokens is
        // the scorer's) by their two-deletion keys.
        if (del.keys.length && str.length <= (pass === 1 ? KEY_MAX : MID_MAX) + 2) tokensByKeys(del, deletionHashes(str), candidate);
        // The deletion keys found every token within two edits whose length they cover (the text
        // of MID_MIN..MID_MAX letters, keys of at most KEY_MAX): trigrams are read only for a
        // budget of three or for longer tokens within the budget (or for every token, past
        // TOKEN_SPAN of them, where there are no deletion keys).
        if (this.tokText.length < TOKEN_SPAN && budget <= 2 && str.length + budget <= (pass === 1 ? KEY_MAX : MID_MAX)) continue;
        // Long tokens (or every token, past TOKEN_SPAN of them) by shared trigrams. Each edit
        // spoils at most four of the query's trigrams (a swap four, a substitution or deletion
        // three, an insertion two), so a token within budget shares all but 4 * budget of them and
        // appears in at least one of any 4 * budget + 1 of their posting lists (pigeonhole): the
        // rarest ones give every candidate while scanning the fewest. Only
        // tokens whose length is within the budget can be (the OSA distance is at least the
        // difference of lengths): each list is ordered by length, so that range is read alone.
        const post = this.gramPost;
        const ranges = trigrams(str).map((g) => {
          const k = this.byGram.get(prefix + g);
          if (k === undefined) return null;
          const [lo, hi] = [this.gramStart[k]!, this.gramStart[k + 1]!];
          return { from: lengthAtLeast(post, lens, lo, hi, str.length - budget), to: lengthAtLeast(post, lens, lo, hi, str.length + budget + 1) };
        });
        const lists = ranges.filter((r) => r !== null).sort((a, b) => a.to - a.from - (b.to - b.from));
        // A missing trigram is an empty list: the rarest of all.
        const take = 4 * budget + 1 - (ranges.length - lists.length);
        for (let li = 0; li < Math.min(take, lists.length); li++) {
          const { from, to } = lists[li]!;
          for (let k = from; k < to; k++) candidate(post[k]!);
        }
      }
      for (const id of touched) seen[id] = 0;
    }
    return [...found.values()];
  }

  /** Dictionary tokens whose phonetic key is `phon`, ascending. */
  private withPhon(phon: string): Int32Array {
    const pid = this.phonId.get(phon);
    return pid === undefined ? NO_TOKENS : this.phonPost.subarray(this.phonStart[pid], this.phonStart[pid + 1]);
  }

  /** Dictionary tokens that begin with `prefix` (itself included). */
  private startingWith(prefix: string): Int32Array {
    // Sorted once, natively, on the first cut query: a cost the other queries need not pay.
    this.byText ??= Int32Array.from([...this.tokText].sort(), (t) => this.tokId.get(t)!);
    const texts = this.tokText;
    const order = this.byText;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (texts[order[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < order.length && texts[order[end]!]!.startsWith(prefix)) end++;
    return order.subarray(lo, end);
  }

  /**
   * Entries holding both halves of a query token split in two ("abdulrahman" -> abdul + rahman; the
   * scorer joins any two tokens of two letters or more), with the weight the scorer gives the
   * joined entry token and the weight of the two entry tokens it consumes. From seven letters on,
   * one half may also be a token one edit away (a joined token allows one), the other half being
   * exact ("sohmchaiwongsakul" -> somchai + wongsakul); shorter tokens have halves too short to
   * search by a typo.
   */
  private splitHits(q: PreparedToken): { entries: number[]; weight: number; consumed: number }[] {
    const out: { entries: number[]; weight: number; consumed: number }[] = [];
    const t = q.text;
    if (t.length < 4 || !/^[\p{L}\p{M}]+$/u.test(t)) return out;
    const mark = this.splitMark;
    const maxWeight = (ids: Iterable<number>): number => {
      let w = 0;
      for (const id of ids) w = Math.max(w, this.tokWeight[id]!);
      return w;
    };
    const push = (a: Iterable<number>, b: Iterable<number>): void => {
      // Entries of the first half marked 1; those of the second half found marked become 2 (once).
      for (const id of a) for (const e of this.postings(id)) mark[e] = 1;
      const both: number[] = [];
      for (const id of b) {
        for (const e of this.postings(id)) {
          if (mark[e] !== 1) continue;
          mark[e] = 2;
          both.push(e);
        }
      }
      for (const id of a) for (const e of this.postings(id)) mark[e] = 0;
      const wa = maxWeight(a);
      const wb = maxWeight(b);
      if (both.length) out.push({ entries: both, weight: joinedWeight(wa, wb), consumed: wa + wb });
    };
    for (let k = 2; k <= t.length - 2; k++) {
      const left = t.slice(0, k);
      const right = t.slice(k);
      const a = this.withPhon(phoneticKey(left));
      const b = this.withPhon(phoneticKey(right));
      if (a.length && b.length) push(a, b);
      if (t.length < 7) continue;
      const la = this.tokId.get(left);
      const rb = this.tokId.get(right);
      if (la !== undefined && rb === undefined) push([la], this.oneEditAway(right));
      else if (rb !== undefined && la === undefined) push(this.oneEditAway(left), [rb]);
    }
    return out;
  }

  /** Dictionary tokens of at most MID_MAX letters within one edit (OSA) of s, s excluded. */
  private oneEditAway(s: string): number[] {
    const out = new Set<number>();
    const keep = (id: number): void => {
      const t = this.tokText[id]!;
      if (t !== s && Math.abs(t.length - s.length) <= 1 && osaDistance(s, t, 1) <= 1) out.add(id);
    };
    // Tokens of up to SHORT letters by their one-deletion keys, longer ones by their two-deletion keys.
    if (s.length <= SHORT + 1) tokensByKeys(this.byDel, oneDeletionHashes(s), keep);
    if (this.delText.keys.length && s.length >= MID_MIN - 1) tokensByKeys(this.delText, deletionHashes(s, false), keep);
    return [...out];
  }

  /**
   * Entries that could reach `cutoff` by name (plus the field bonus) for one query variant, each
   * with an upper bound of its name score (the largest over variants is kept in `this.bound`, and
   * each entry kept is listed once in `found`).
   *
   * Posting lists are scanned only for the *essential* query tokens. The others, those with the
   * longest posting lists (common names), are chosen so that an entry matching none of the
   * essential tokens cannot reach the cutoff even if it matched every other token exactly; they
   * are then credited only to the entries the essential tokens found, either by reading those
   * entries' tokens or by scanning their own posting lists for those entries, whichever is less
   * work (the max-score idea of text retrieval). The bound is the same as a full scan's.
   */
  private retrieve(qTokens: PreparedToken[], cutoff: number, found: number[]): void {
    const touched: number[] = [];
    const { accBits, acc, checked, post, postStart } = this;
    /**
     * Credits entry e with a match of the query tokens in `bits` (total weight qw) by an entry
     * token of weight we, consuming entry tokens of weight `consumed` (two for a joined pair). A
     * similarity of 0 is a weightless initial (below): the bits and the entry weight only.
     */
    const credit = (e: number, bits: number, qw: number, sim: number, we: number, consumed = we): void => {
      const at = ACC_STRIDE * e;
      const m = accBits[at]!;
      if (m === 0) touched.push(e);
      if ((m & bits) !== 0) return; // already hit by a better token
      const w = sim === 0 ? 0 : qw + we;
      accBits[at] = m | bits;
      acc[at + 1]! += sim * w;
      acc[at + 2]! += w;
      acc[at + 3]! += consumed;
    };
    const bitOf = (qi: number): number => 1 << Math.min(qi, 31);
    /**
     * Credits the entries of each hit's posting list; `foundOnly`: only entries already credited;
     * `partly`: also entries already credited for some of the bits (a joined pair may align where
     * one of its parts matched something weaker: crediting the pair again keeps the bound a bound).
     */
    const scan = (hits: TokenHit[], bits: number, qw: number, before?: (e: number) => void, foundOnly = false, partly = false): void => {
      for (const h of hits) {
        const we = this.tokWeight[h.tok]!;
        const w = h.sim === 0 ? 0 : qw + we;
        const sw = h.sim * w;
        for (let i = postStart[h.tok]!, end = postStart[h.tok + 1]!; i < end; i++) {
          const e = post[i]!;
          if (before) before(e);
          // credit(e, bits, qw, h.sim, we), inlined: this loop runs over every posting.
          const at = ACC_STRIDE * e;
          const m = accBits[at]!;
          if (m === 0) {
            if (foundOnly) continue;
            touched.push(e);
          } else if ((m & bits) !== 0 && (!partly || (m & bits) === bits)) continue;
          accBits[at] = m | bits;
          acc[at + 1]! += sw;
          acc[at + 2]! += w;
          acc[at + 3]! += we;
        }
      }
    };
    // Initials ('initial' hits: "J" and John). The scorer gives such a pair INITIAL_SIMILARITY and
    // counts initials of consecutive names as one (alignTokens), which lowers the weight it gives
    // them; either way an alignment with such pairs scores at most the larger of
    // INITIAL_SIMILARITY and what its other pairs score without them (a mediant). So where the
    // cutoff is above INITIAL_SIMILARITY and the fields' bonus, an initial hit is weightless (sim
    // 0): its query token counts as matched and its entry token as consumed, nothing more; and a
    // query initial's hits on every name it may stand for (most of the index) only credit entries
    // the other tokens find (as a skipped token's do, check). Below that cutoff an initial hit is
    // credited as a full match (sim 1), which bounds both.
    const weightless = INITIAL_SIMILARITY + MAX_FIELD_BONUS + BOUND_SLACK < cutoff;
    const hits = qTokens.map((q) => this.similarTokens(q).map((h) => (h.kind === 'initial' ? { ...h, sim: weightless ? 0 : 1 } : h)).sort((a, b) => b.sim - a.sim));
    const deferred = new Map<number, TokenHit[]>();
    if (weightless) {
      qTokens.forEach((q, qi) => {
        if (q.text.length !== 1) return;
        deferred.set(qi, hits[qi]!.filter((h) => h.kind === 'initial'));
        hits[qi] = hits[qi]!.filter((h) => h.kind !== 'initial');
      });
    }
    const volume = hits.map((hs) => hs.reduce((n, h) => n + postStart[h.tok + 1]! - postStart[h.tok]!, 0));

    // Non-essential tokens: the most voluminous, while an entry matching only them stays below.
    const skip = new Set<number>();
    if (qTokens.length <= 31) {
      const byVolume = qTokens.map((_, i) => i).sort((a, b) => volume[b]! - volume[a]!);
      let matched = 0; // sum over skipped tokens of (query weight + the largest entry weight, 1)
      // (A query initial with deferred hits is never missing: an entry may match it weightless
      // and only skipped tokens, and then is found by neither.)
      let missing = qTokens.reduce((n, q, qi) => n + (deferred.has(qi) ? 0 : unmatchedWeight(q)), 0);
      // Two adjacent unmatched tokens may count as one joined token (see the bound below): of the
      // tokens left essential, all unmatched in an entry matching only skipped ones, the best
      // adjacent pair is discounted.
      const savingWithout = (i: number): number => {
        let saving = 0;
        for (let qi = 1; qi < qTokens.length; qi++) {
          if (qi - 1 === i || qi === i || skip.has(qi - 1) || skip.has(qi)) continue;
          const a = qTokens[qi - 1]!;
          const b = qTokens[qi]!;
          if (a.text.length > 1 && b.text.length > 1) saving = Math.max(saving, a.weight + b.weight - joinedWeight(a.weight, b.weight));
        }
        return saving;
      };
      for (const i of byVolume) {
        const m = matched + qTokens[i]!.weight + 1;
        const rest = missing - (deferred.has(i) ? 0 : unmatchedWeight(qTokens[i]!));
        if (rest <= 0 || m / (m + WEIGHTS.unmatchedQuery * 2 * Math.max(0, rest - savingWithout(i))) + MAX_FIELD_BONUS >= cutoff) break;
        skip.add(i);
        matched = m;
        missing = rest;
      }
    }
    // Dictionary tokens similar to a skipped query token, marked for the check of entries' tokens.
    const stamp = ++this.markStamp;
    const marks: { qi: number; sim: number }[][] = [];
    /** Query tokens credited by reading an entry's own tokens: the skipped ones, and initials' deferred hits. */
    const checkedTokens = [...skip, ...[...deferred.keys()].filter((qi) => !skip.has(qi))];
    /** The hits of such a token that credit that way. */
    const checkedHits = (qi: number): TokenHit[] => [...(skip.has(qi) ? hits[qi]! : []), ...(deferred.get(qi) ?? [])];
    for (const qi of checkedTokens) {
      for (const h of checkedHits(qi)) {
        if (this.markAt[h.tok] !== stamp) {
          this.markAt[h.tok] = stamp;
          this.markIdx[h.tok] = marks.length;
          marks.push([]);
        }
        marks[this.markIdx[h.tok]!]!.push({ qi, sim: h.sim });
      }
    }
    const best = new Float32Array(qTokens.length);
    const bestWe = new Float32Array(qTokens.length);
    /** Credits entry e with the skipped query tokens its own tokens match (once per entry). */
    const check = (e: number): void => {
      if (checked[e] || !checkedTokens.length) return;
      checked[e] = 1;
      best.fill(-1); // none yet (0 is a weightless initial)
      for (let v = this.entVar[e]!; v < this.entVar[e + 1]!; v++) {
        for (let i = this.varTok[v]!; i < this.varTok[v + 1]!; i++) {
          const t = this.tokens[i]!;
          if (this.markAt[t] !== stamp) continue;
          const we = this.tokWeight[t]!;
          for (const { qi, sim } of marks[this.markIdx[t]!]!) {
            if (sim > best[qi]! || (sim === best[qi]! && we > bestWe[qi]!)) {
              best[qi] = sim;
              bestWe[qi] = we;
            }
          }
        }
      }
      for (const qi of checkedTokens) if (best[qi]! >= 0) credit(e, bitOf(qi), qTokens[qi]!.weight, best[qi]!, bestWe[qi]!);
    };

    // Single tokens first (a token's own hits before its split forms), then pairs joined as one.
    // Every entry is checked for the skipped tokens before a split or joined form credits it.
    qTokens.forEach((q, qi) => {
      if (skip.has(qi)) return;
      scan(hits[qi]!, bitOf(qi), q.weight);
      for (const s of this.splitHits(q)) for (const e of s.entries) credit(e, bitOf(qi), q.weight, 0.97, s.weight, s.consumed);
    });
    // The skipped tokens' credits for the entries found so far: by reading each entry's own tokens
    // or, when the skipped tokens' posting lists are the smaller work, by scanning those lists for
    // the entries already found (the same credits either way: the best similarity per token).
    const skipVolume = checkedTokens.reduce((n, qi) => n + checkedHits(qi).reduce((v, h) => v + postStart[h.tok + 1]! - postStart[h.tok]!, 0), 0);
    if (skipVolume < POSTINGS_PER_CHECK * touched.length) {
      for (const qi of checkedTokens) scan(checkedHits(qi).sort((a, b) => b.sim - a.sim), bitOf(qi), qTokens[qi]!.weight, undefined, true);
      for (const e of touched) checked[e] = 1;
    } else for (const e of touched) check(e);
    for (const qi of skip) {
      for (const s of this.splitHits(qTokens[qi]!)) {
        for (const e of s.entries) {
          check(e);
          credit(e, bitOf(qi), qTokens[qi]!.weight, 0.97, s.weight, s.consumed);
        }
      }
    }
    // Two adjacent query tokens written as one on the list ("abdul rahman" -> "abdulrahman"); as
    // in the scorer (joinedVariants), an initial is not part of a word.
    // A pair's 'initial' hits credit only entries found otherwise, as a token's deferred ones do.
    const initialsOfPairs: (() => void)[] = [];
    for (let qi = 0; qi + 1 < qTokens.length; qi++) {
      const a = qTokens[qi]!;
      const b = qTokens[qi + 1]!;
      if (a.text.length === 1 || b.text.length === 1) continue;
      const text = a.text + b.text;
      // Weighed as the scorer weighs a joined token (joinedVariants), not as its two parts.
      const weight = joinedWeight(a.weight, b.weight);
      const joined: PreparedToken = { text, phon: phoneticKey(text), weight, id: -1, joined: true, ...(b.cut && { cut: true }) };
      const pairHits = [...this.similarTokens(joined)].sort((x, y) => y.sim - x.sim);
      const bits = bitOf(qi) | bitOf(qi + 1);
      if (!weightless) scan(pairHits, bits, weight, check, false, true);
      else {
        scan(pairHits.filter((h) => h.kind !== 'initial'), bits, weight, check, false, true);
        initialsOfPairs.push(() => scan(pairHits.filter((h) => h.kind === 'initial').map((h) => ({ ...h, sim: 0 })), bits, weight, undefined, true, true));
      }
    }
    for (const f of initialsOfPairs) f();
    const qBits = qTokens.map((_, qi) => bitOf(qi));
    const qWeight = qTokens.map((q) => q.weight);
    const qMiss = qTokens.map((q) => unmatchedWeight(q));
    const qJoinable = qTokens.map((q) => q.text.length > 1);
    const { bound: out } = this;
    for (const e of touched) {
      // Query tokens that hit nothing here count unmatched; entry weight not yet hit counts too.
      const at = ACC_STRIDE * e;
      const m = accBits[at]!;
      // The scorer may join two adjacent unmatched query tokens into one (joinedVariants), which
      // then counts once, at the weight of a joined token: the bound takes the best such saving.
      let missQ = 0;
      let saving = 0;
      for (let qi = 0; qi < qBits.length; qi++) {
        if ((m & qBits[qi]!) !== 0) continue;
        missQ += qMiss[qi]!;
        if (qi > 0 && (m & qBits[qi - 1]!) === 0 && qJoinable[qi - 1] && qJoinable[qi]) {
          saving = Math.max(saving, qWeight[qi - 1]! + qWeight[qi]! - joinedWeight(qWeight[qi - 1]!, qWeight[qi]!));
        }
      }
      missQ -= saving;
      // Entry weight left unmatched, less what joining two of those tokens may save: at most the
      // lighter of the two (the saving), so at most half of the weight they leave.
      const rawE = Math.max(0, acc[at + 4]! - acc[at + 3]!);
      const missE = rawE - Math.min(acc[at + 5]!, rawE / 2);
      const den = acc[at + 2]! + WEIGHTS.unmatchedQuery * 2 * missQ + WEIGHTS.unmatchedEntry * 2 * missE;
      const b = den > 0 ? acc[at + 1]! / den : 0; // (0 / 0: matched by weightless initials alone)
      if (b + MAX_FIELD_BONUS + BOUND_SLACK >= cutoff && b > out[e]!) {
        if (out[e] === 0) found.push(e);
        out[e] = b;
      }
      accBits[at] = 0;
      acc[at + 1] = 0;
      acc[at + 2] = 0;
      acc[at + 3] = 0;
      checked[e] = 0;
    }
  }

  /** Screens one person: results with score >= minScore, best first, at most `top`. */
  match(q: MatchQuery, opts: MatchOptions = {}): MatchResult[] {
    const top = opts.top ?? 10;
    const minScore = opts.minScore ?? 0.5;
    const cutoff = opts.retrieveAbove ?? minScore;
    const qOwn = q.names.flatMap((n) => nameVariants(n));
    const qVariants = [...qOwn, ...crossScriptVariants(qOwn)];
    // Placeholders ("N/A", "UNKNOWN", "0000000") and numbers too short to say who someone is are
    // not decisive for anyone (shared/same-person.ts isRealNumber).
    const documents = q.documentNumber ? [normalizeDocumentNumber(q.documentNumber)].filter(isRealNumber) : [];
    const nationalIds = q.nationalId ? [normalizeDocumentNumber(q.nationalId)].filter(isRealNumber) : [];
    if (!qVariants.length && !documents.length && !nationalIds.length) return [];
    let dob: PartialDate | null = null;
    if (q.dateOfBirth) {
      const p = parseDate(q.dateOfBirth);
      if (p.ok) dob = p.date;
      else {
        opts.warnings?.push({ code: !p.partial ? 'traveler.dobByName' : p.partial.precision === 'month' ? 'traveler.dobByNameAndMonth' : 'traveler.dobByNameAndYear', params: { ...p.problem.params, detail: p.problem.code } });
        dob = p.partial ?? null;
      }
    }
    const qFields: FieldInputs = {
      dob,
      sex: q.sex ?? null,
      nationalities: q.nationality ? [q.nationality] : [],
      documents,
      nationalIds,
    };
    const qInterner = new Interner();
    const qPlain = qVariants.map((v) => prepare(v, this.weightOf, qInterner, q.nameCut));
    const qPrepared = qPlain.map((v) => joinedVariants(v, qInterner));

    const found: number[] = [];
    for (const v of qPlain) this.retrieve(v, cutoff, found);
    for (const e of [...documents.flatMap((d) => this.docEntries(d)), ...nationalIds.flatMap((d) => this.nationalIdEntries(d))]) {
      if (this.bound[e] === 0) found.push(e);
      this.bound[e] = SHARED_DOCUMENT; // a shared document scores 1, whatever the other fields say
    }
    // Best bound of the final score first: once `top` results are in, an entry whose bound cannot
    // beat the last of them cannot enter the results, nor can any after it. (Namesakes of a
    // common name are many; the birth year sets most of them apart before any scoring.) Each
    // candidate is one number, its bound (rounded up) above its entry index, so that a native
    // numeric sort orders them; an entry whose bound is below minScore is not a candidate.
    const qYear = dob?.year ?? 0;
    const keys = new Float64Array(found.length);
    const excluded = opts.excludeGroups?.size ? opts.excludeGroups : null;
    let nKeys = 0;
    for (const e of found) {
      const bound = this.bound[e]!;
      const b = (bound === SHARED_DOCUMENT ? 1 : fieldUpperBound(bound, qYear, Math.floor(this.dob[e]! / 10000))) + BOUND_SLACK;
      this.bound[e] = 0;
      if (b >= minScore && !excluded?.has(this.group[e]!)) keys[nKeys++] = Math.ceil(b * BOUND_SCALE) * ENTRY_SPAN + e;
    }
    const candidates = keys.subarray(0, nKeys).sort();
    const kept: number[] = [];

    // Entry tokens joined for comparison get ids above the dictionary's.
    const eInterner = new Interner();
    const base = this.tokText.length;
    const joinedIds = { id: (text: string, joined: boolean) => base + eInterner.id(text, joined) };
    const cache = new SimilarityCache();
    type Best = { score: number; tokens: TokenMatch[]; uq: string[]; ue: string[] };
    /** Best alignment of the query with one entry variant, over the query's variants and joined forms. */
    const qSyllabic = isSyllabicName(qOwn);
    const scoreVariant = (ids: Int32Array, derived: boolean, syllabic: boolean): Best | null => {
      let best: Best | null = null;
      const ePlain = Array.from(ids, (id) => this.preparedToken(id));
      let eJoined: PreparedToken[][] | null = null;
      for (const [qi, qJoined] of qPrepared.entries()) {
        // Two Latin forms derived from other scripts are not compared: the originals are.
        if (derived && qi >= qOwn.length) continue;
        const qp0 = qJoined[0]!;
        const a0 = alignTokens(qp0, ePlain, cache, syllabic || qSyllabic);
        if (!best || a0.score > best.score) best = { score: a0.score, tokens: a0.pairs, uq: a0.unmatchedQuery, ue: a0.unmatchedEntry };
        if (!a0.unmatchedQuery.length && !a0.unmatchedEntry.length) continue;
        // Joined forms can only help where a token was left unmatched: try those, in every pairing.
        eJoined ??= joinedVariants(ePlain, joinedIds);
        const uq = new Set(a0.unmatchedQuery);
        const ue = new Set(a0.unmatchedEntry);
        const qs = [qp0, ...qJoined.slice(1).filter((_, i) => uq.has(qp0[i]!.text) || uq.has(qp0[i + 1]!.text))];
        const es = [ePlain, ...eJoined.slice(1).filter((_, i) => ue.has(ePlain[i]!.text) || ue.has(ePlain[i + 1]!.text))];
        for (let i = 0; i < qs.length; i++) {
          for (let j = i === 0 ? 1 : 0; j < es.length; j++) {
            const a = alignTokens(qs[i]!, es[j]!, cache, syllabic || qSyllabic);
            if (a.score > best.score) best = { score: a.score, tokens: a.pairs, uq: a.unmatchedQuery, ue: a.unmatchedEntry };
          }
        }
      }
      return best;
    };
    // Namesakes share variants: each distinct token sequence is aligned once per query.
    const variantScores = new Map<string, Best | null>();
    const results: (Omit<MatchResult, 'explanation'> & { explain: () => Explanation })[] = [];
    for (let c = candidates.length - 1; c >= 0; c--) {
      const key = candidates[c]!;
      const idx = key % ENTRY_SPAN;
      if (kept.length >= top && (key - idx) / ENTRY_SPAN / BOUND_SCALE < kept[top - 1]!) break;
      let best: (Best & { name: number }) | null = null;
      for (let v = this.entVar[idx]!; v < this.entVar[idx + 1]!; v++) {
        const derived = (this.varMeta[v]! & 1) === 1;
        const syllabic = (this.varMeta[v]! & 2) === 2;
        const ids = this.tokens.subarray(this.varTok[v], this.varTok[v + 1]);
        const key = (derived ? 'd' : '') + (syllabic ? 's' : '') + ids.join(',');
        let r = variantScores.get(key);
        if (r === undefined) {
          r = scoreVariant(ids, derived, syllabic);
          variantScores.set(key, r);
        }
        if (r && (!best || r.score > best.score)) best = { ...r, name: this.varMeta[v]! >> 2 };
      }
      // A query without names (document numbers alone) compares none: the entry's first name, score 0.
      if (!best && !qPrepared.length) best = { score: 0, tokens: [], uq: [], ue: [], name: 0 };
      if (!best) continue;
      const adj = adjustByFields(best.score, qFields, this.fieldsOf(idx));
      if (adj.score < minScore) continue;
      kept.splice(sortedIndex(kept, adj.score), 0, adj.score);
      if (kept.length > top) kept.pop();
      // Explained once it is among the results returned (a common name has many candidates).
      const found = best;
      results.push({
        entryId: this.ids[idx]!,
        nameIndex: found.name,
        score: round(adj.score),
        nameScore: round(found.score),
        explain: () => explain(this.nameText[idx]!.split(SEP)[found.name] ?? '', found.score, found.tokens, found.uq, found.ue, adj.checks),
      });
    }
    results.sort((a, b) => b.score - a.score || b.nameScore - a.nameScore);
    return results.slice(0, top).map(({ explain: why, ...r }) => ({ ...r, explanation: why() }));
  }
}

/** First position in the ascending `keys` holding at least x, searched between lo and hi. */
function firstAtLeast(keys: Float64Array, x: number, lo = 0, hi = keys.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in list[lo .. hi) (token ids ordered by their length in `lens`) whose length is at least `len`. */
function lengthAtLeast(list: Int32Array, lens: Int32Array, lo: number, hi: number, len: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lens[list[mid]!]! < len) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where x goes in a list sorted in descending order (after equal values). */
function sortedIndex(desc: number[], x: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (desc[mid]! >= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function explain(
  matchedName: string,
  nameScore: number,
  tokens: TokenMatch[],
  unmatchedQuery: string[],
  unmatchedEntry: string[],
  fields: FieldCheck[],
): Explanation {
  return {
    // English, from the same parts the UI composes in its own language (reasons.ts explain.*).
    summary: explanationSummary({ nameScore: round(nameScore), tokens, unmatchedQuery, unmatchedEntry, fields }, EN_REASONS),
    matchedName,
    nameScore: round(nameScore),
    tokens,
    unmatchedQuery,
    unmatchedEntry,
    fields,
  };
}
