/**
 * The two-stage matcher (DESIGN.md section 5).
 *
 * Stage 1, retrieval, works on a dictionary of the distinct name tokens of the lists, not on the
 * entries: each query token finds the dictionary tokens it could match (the same token, the same
 * phonetic key, a typo within its budget found through character trigrams, a Chinese surname
 * variant, a Wade-Giles form, or two tokens it joins), each with its similarity. Their posting
 * lists give the entries, and for each entry an upper bound of its name score from which query
 * tokens it shares. Only entries whose bound can reach the review threshold (plus the most the
 * other fields can add) go on, so nothing that could reach review is ever dropped, and there is no
 * cap. Document numbers retrieve entries directly.
 *
 * Stage 2 scores each remaining entry with the token-aligned scorer (score.ts) over every name
 * variant, adjusts by the other fields and explains the result.
 */
import type { Explanation, FieldCheck, TokenMatch, TokenMatchKind } from '../../../shared/contract';
import { parseDate, type PartialDate } from '../../../shared/dates';
import { SEXES, type Sex } from '../../../shared/domain';
import { normalizeDocumentNumber } from '../watchlists/values';
import { entryVariants, splitMatchKeys, type KeyVariant, type SplitKeys } from './keys';
import { crossScriptVariants, nameVariants, phoneticKey } from './normalize';
import {
  adjustByFields, alignTokens, bitDistance, fieldUpperBound, MAX_FIELD_BONUS, Interner, joinedVariants, osaDistance, prepare, round, SimilarityCache, tokenSimilarity, typoBudget,
  type FieldInputs, type PreparedToken,
} from './score';
import { givenNameForms } from './nicknames';
import { chineseSurnameForms, siniticKey } from './sinitic';

/** What the matcher needs of a watchlist entry. */
export interface MatchableEntry {
  /** Internal entry id (UUID). */
  id: string;
  names: string[];
  dateOfBirth: string | null;
  sex: string | null;
  nationalities: string[];
  documents: string[];
  /** Match keys stored at import (keys.ts); recomputed from `names` when absent or stale. */
  matchKeys?: string | null;
  /**
   * The names on demand, for a caller that leaves `names` empty when it has stored keys (parsing a
   * million names at start-up costs seconds): used when the keys turn out unusable.
   */
  loadNames?: () => string[];
}

/** What the matcher needs of a traveler. */
export interface MatchQuery {
  names: string[];
  dateOfBirth?: string | null;
  sex?: string | null;
  nationality?: string | null;
  documentNumber?: string | null;
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
  warnings?: string[];
}

/** How the index was built: entries whose stored match keys were used, and those normalized anew. */
export interface BuildStats {
  storedKeys: number;
  computedKeys: number;
}

/** Discount of unmatched tokens in the bound; must not exceed the scorer's (score.ts). */
const BOUND_UNMATCHED_QUERY = 0.6;
const BOUND_UNMATCHED_ENTRY = 0.45;
const WADE_GILES = /hs|ts|tz|ung$/;
/** How many query tokens' dictionary matches are remembered. */
const SIMILAR_CACHE = 20000;
/** Tokens up to this length are found by one-edit deletion keys instead of trigrams. */
const SHORT = 6;
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

/** The string and its one-edit deletions (SymSpell). */
function deletions(s: string): string[] {
  const out = new Set<string>([s]);
  for (let i = 0; i < s.length; i++) out.add(s.slice(0, i) + s.slice(i + 1));
  return [...out];
}

function dobOf(s: string | null | undefined): PartialDate | null {
  if (!s) return null;
  const p = parseDate(s);
  return p.ok ? p.date : (p.partial ?? null);
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
  /** Nationalities: index into natSets (distinct sets are few). */
  private nat: Int32Array = new Int32Array(0);
  private natSets: string[][] = [];
  private natSetId = new Map<string, number>();
  /** Normalized document numbers joined by ",". */
  private docText: string[] = [];
  /** Variants of entry e are entVar[e] .. entVar[e + 1] - 1. */
  private entVar: Int32Array = new Int32Array(1);
  /** Tokens of variant v are tokens[varTok[v]] .. tokens[varTok[v + 1] - 1]. */
  private varTok: Int32Array = new Int32Array(1);
  /** Name index << 1 | derived. */
  private varMeta: Int32Array = new Int32Array(0);
  private tokens: Int32Array = new Int32Array(0);
  private minWeight: Float32Array = new Float32Array(0);
  /** Document number -> entry index, or -(k + 1) for docMulti[k] when several entries hold it. */
  private docs = new Map<string, number>();
  private docMulti: number[][] = [];
  // The token dictionary.
  private tokId = new Map<string, number>();
  private tokText: string[] = [];
  private tokPhon: string[] = [];
  private tokPhonId: number[] = [];
  /** Entries holding token t are post[postStart[t]] .. post[postStart[t + 1] - 1], ascending. */
  private postStart: Int32Array = new Int32Array(1);
  private post: Int32Array = new Int32Array(0);
  private tokWeight: Float32Array = new Float32Array(0);
  private byPhon = new Map<string, number[]>();
  private byGram = new Map<string, number[]>();
  private bySinitic = new Map<string, number[]>();
  /** One-edit deletion keys of short tokens (up to SHORT letters), where trigrams say too little. */
  private byDel = new Map<string, number[]>();
  /** The same for phonetic keys up to SHORT + 1 letters. */
  private byDelP = new Map<string, number[]>();
  private prepared: (PreparedToken | undefined)[] = [];
  /** Phonetic keys: id by key, and in how many entries each occurs. */
  private phonId = new Map<string, number>();
  private phonDf: number[] = [];
  // Build-time state.
  private build: {
    entVar: IntBuffer; varTok: IntBuffer; varMeta: IntBuffer; tokens: IntBuffer; postTok: IntBuffer; postEnt: IntBuffer;
    tokLast: number[]; phonLast: number[]; dob: IntBuffer; sex: IntBuffer; nat: IntBuffer;
  } | null = {
      entVar: new IntBuffer(), varTok: new IntBuffer(), varMeta: new IntBuffer(), tokens: new IntBuffer(),
      postTok: new IntBuffer(), postEnt: new IntBuffer(), tokLast: [], phonLast: [], dob: new IntBuffer(), sex: new IntBuffer(), nat: new IntBuffer(),
    };
  // Scratch buffers for retrieval, reused by every query (single-threaded).
  private mask = new Uint32Array(0);
  private num = new Float32Array(0);
  private den = new Float32Array(0);
  private hitWe = new Float32Array(0);
  private gramCount = new Uint8Array(0);
  /** Entries already checked for the skipped query tokens (retrieve). */
  private checked = new Uint8Array(0);
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
      this.tokPhonId.push(pid);
      this.build!.tokLast.push(-1);
      const list = this.byPhon.get(phon);
      if (list) list.push(id);
      else this.byPhon.set(phon, [id]);
    }
    return id;
  }

  private add(e: MatchableEntry): void {
    const b = this.build!;
    const idx = this.ids.length;
    let names = e.names;
    let keys = e.matchKeys === undefined ? null : splitMatchKeys(e.matchKeys);
    if (keys) this.stats.storedKeys++;
    else {
      if (!names.length && e.loadNames) names = e.loadNames();
      keys = splitVariants(entryVariants(names));
      this.stats.computedKeys++;
    }
    const ids = keys.tokens.map((t) => this.intern(t));
    b.entVar.push(b.varMeta.length);
    for (const v of keys.variants) {
      b.varTok.push(b.tokens.length);
      b.varMeta.push((v.name << 1) | (v.derived ? 1 : 0));
      for (const at of v.at) {
        const id = ids[at]!;
        b.tokens.push(id);
        if (b.tokLast[id] !== idx) {
          b.tokLast[id] = idx;
          b.postTok.push(id);
          b.postEnt.push(idx);
          const pid = this.tokPhonId[id]!;
          if (b.phonLast[pid] !== idx) {
            b.phonLast[pid] = idx;
            this.phonDf[pid]!++;
          }
        }
      }
    }
    const docs = e.documents.map(normalizeDocumentNumber).filter(Boolean);
    for (const d of new Set(docs)) {
      const at = this.docs.get(d);
      if (at === undefined) this.docs.set(d, idx);
      else if (at >= 0) {
        this.docs.set(d, -(this.docMulti.length + 1));
        this.docMulti.push([at, idx]);
      } else this.docMulti[-at - 1]!.push(idx);
    }
    this.ids.push(e.id);
    this.nameText.push(names.join(SEP));
    const dob = dobOf(e.dateOfBirth);
    b.dob.push(dob ? dob.year * 10000 + (dob.month ?? 0) * 100 + (dob.day ?? 0) : 0);
    b.sex.push(SEXES.indexOf(e.sex as Sex) + 1);
    const natKey = e.nationalities.join(',');
    let nat = this.natSetId.get(natKey);
    if (nat === undefined) {
      nat = this.natSets.length;
      this.natSetId.set(natKey, nat);
      this.natSets.push([...e.nationalities]);
    }
    b.nat.push(nat);
    this.docText.push(docs.join(','));
  }

  /** Entries holding a document number. */
  private docEntries(d: string): readonly number[] {
    const at = this.docs.get(d);
    return at === undefined ? [] : at >= 0 ? [at] : this.docMulti[-at - 1]!;
  }

  /** Entries holding token t, ascending. */
  private postings(t: number): Int32Array {
    return this.post.subarray(this.postStart[t]!, this.postStart[t + 1]!);
  }

  /** Field values of entry e, from their packed form. */
  private fieldsOf(e: number): FieldInputs {
    const d = this.dob[e]!;
    const year = Math.floor(d / 10000);
    const month = Math.floor(d / 100) % 100;
    const day = d % 100;
    const iso = !d ? '' : `${String(year).padStart(4, '0')}${month ? `-${String(month).padStart(2, '0')}` : ''}${day ? `-${String(day).padStart(2, '0')}` : ''}`;
    const dob: PartialDate | null = !d ? null : day ? { iso, precision: 'day', year, month, day } : month ? { iso, precision: 'month', year, month } : { iso, precision: 'year', year };
    const docs = this.docText[e]!;
    return { dob, sex: SEXES[this.sex[e]! - 1] ?? null, nationalities: this.natSets[this.nat[e]!]!, documents: docs ? docs.split(',') : [] };
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
    const n = this.tokText.length;
    // Posting lists by counting sort of the (token, entry) pairs; entries stay ascending.
    const postTok = b.postTok.take();
    const postEnt = b.postEnt.take();
    const start = new Int32Array(n + 1);
    for (const t of postTok) start[t + 1]!++;
    for (let t = 0; t < n; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, n);
    const post = new Int32Array(postTok.length);
    for (let i = 0; i < postTok.length; i++) post[fill[postTok[i]!]!++] = postEnt[i]!;
    this.postStart = start;
    this.post = post;

    this.tokWeight = new Float32Array(n);
    this.gramCount = new Uint8Array(n);
    for (let id = 0; id < n; id++) {
      const phon = this.tokPhon[id]!;
      this.tokWeight[id] = this.weightOf(phon);
      const text = this.tokText[id]!;
      const gp = trigrams(phon);
      const gt = trigrams(text);
      for (const g of gp) push(this.byGram, `p${g}`, id);
      for (const g of gt) push(this.byGram, `t${g}`, id);
      if (text.length <= SHORT) for (const d of deletions(text)) push(this.byDel, d, id);
      if (phon.length <= SHORT + 1) for (const d of deletions(phon)) push(this.byDelP, d, id);
      if (WADE_GILES.test(text) || /^[a-z]+$/.test(text)) push(this.bySinitic, siniticKey(text), id);
    }
    const m = this.ids.length;
    this.minWeight = new Float32Array(m);
    for (let e = 0; e < m; e++) {
      let min = Infinity;
      for (let v = this.entVar[e]!; v < this.entVar[e + 1]!; v++) {
        let w = 0;
        for (let i = this.varTok[v]!; i < this.varTok[v + 1]!; i++) w += this.tokWeight[this.tokens[i]!]!;
        if (w < min) min = w;
      }
      this.minWeight[e] = Number.isFinite(min) ? min : 0;
    }
    this.mask = new Uint32Array(m);
    this.num = new Float32Array(m);
    this.den = new Float32Array(m);
    this.hitWe = new Float32Array(m);
    this.checked = new Uint8Array(m);
    this.markAt = new Int32Array(n);
    this.markIdx = new Int32Array(n);
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
      this.prepared[id] = p;
    }
    return p;
  }

  /** Recent answers of `similarTokens` (the dictionary does not change after the build). */
  private similarCache = new Map<string, TokenHit[]>();

  /** The dictionary tokens a query token could match, with their similarity (memoized). */
  private similarTokens(q: PreparedToken): TokenHit[] {
    const key = q.joined ? `+${q.text}` : q.text;
    let hits = this.similarCache.get(key);
    if (!hits) {
      hits = this.findSimilarTokens(q);
      if (this.similarCache.size >= SIMILAR_CACHE) this.similarCache.delete(this.similarCache.keys().next().value!);
      this.similarCache.set(key, hits);
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
    for (const id of this.byPhon.get(q.phon) ?? []) consider(id);
    for (const form of [...chineseSurnameForms(q.text), ...givenNameForms(q.text)]) {
      const id = this.tokId.get(form);
      if (id !== undefined) consider(id);
    }
    if (/^[a-z]+$/.test(q.text)) for (const id of this.bySinitic.get(siniticKey(q.text)) ?? []) consider(id);
    // Typos: short tokens by one-edit deletion keys; longer ones by shared trigrams of the text or
    // of the phonetic key, enough for the edit budget (one edit spoils at most four trigrams).
    const len = q.text.length;
    if (len <= SHORT + 1) for (const d of deletions(q.text)) for (const id of this.byDel.get(d) ?? []) consider(id);
    if (q.phon.length <= SHORT + 1) for (const d of deletions(q.phon)) for (const id of this.byDelP.get(d) ?? []) consider(id);
    // Up to five letters the budget is one edit, and the dictionary tokens within one edit of the
    // text or of the phonetic key are all among the deletion keys (six letters, seven for keys).
    if (len > 5 || q.phon.length > SHORT) {
      // The scorer allows a token joined from two one edit whatever its length (score.ts).
      const budget = q.joined ? 1 : Math.max(typoBudget(len), 1);
      const seen = this.gramCount;
      for (const [prefix, str] of [['p', q.phon], ['t', q.text]] as const) {
        // Each edit spoils at most three trigrams (four for a swap, which the deletion keys and the
        // phonetic key also catch), so a token within budget shares all but 3 * budget of the
        // query's trigrams and so appears in at least one of any 3 * budget + 1 of their posting
        // lists (pigeonhole): the rarest ones give every candidate while scanning the fewest.
        const lists = trigrams(str).map((g) => this.byGram.get(prefix + g) ?? []).sort((a, b) => a.length - b.length);
        const touched: number[] = [];
        const dist = bitDistance(str);
        const texts = prefix === 'p' ? this.tokPhon : this.tokText;
        for (const list of lists.slice(0, 3 * budget + 1)) {
          for (const id of list) {
            if (seen[id] !== 0) continue;
            seen[id] = 1;
            touched.push(id);
            // Then a bit-parallel Levenshtein within the budget, or one more and the exact OSA
            // distance within it (a swap costs two in Levenshtein, one in OSA).
            const t = texts[id]!;
            if (Math.abs(t.length - str.length) > budget + 1 || found.has(id)) continue;
            const lev = dist(t);
            if (lev <= budget || (lev === budget + 1 && osaDistance(str, t, budget) <= budget)) consider(id);
          }
        }
        for (const id of touched) seen[id] = 0;
      }
    }
    return [...found.values()];
  }

  /** Entries holding both halves of a query token split in two ("abdulrahman" -> abdul + rahman). */
  private splitHits(q: PreparedToken): { entries: number[]; weight: number }[] {
    const out: { entries: number[]; weight: number }[] = [];
    if (q.text.length < 6 || !/^[a-z]+$/.test(q.text)) return out;
    for (let k = 3; k <= q.text.length - 3; k++) {
      const a = this.byPhon.get(phoneticKey(q.text.slice(0, k)));
      const b = this.byPhon.get(phoneticKey(q.text.slice(k)));
      if (!a || !b) continue;
      const left = new Set(a.flatMap((id) => [...this.postings(id)]));
      const both = [...new Set(b.flatMap((id) => [...this.postings(id)]))].filter((e) => left.has(e));
      const weight = Math.max(...a.map((id) => this.tokWeight[id]!), ...b.map((id) => this.tokWeight[id]!));
      if (both.length) out.push({ entries: both, weight });
    }
    return out;
  }

  /**
   * Entries that could reach `cutoff` by name (plus the field bonus) for one query variant, each
   * with an upper bound of its name score (the largest over variants is kept in `out`).
   *
   * Posting lists are scanned only for the *essential* query tokens. The others, those with the
   * longest posting lists (common names), are chosen so that an entry matching none of the
   * essential tokens cannot reach the cutoff even if it matched every other token exactly; they
   * are then checked only in the entries the essential tokens found, by reading those entries'
   * tokens (the max-score idea of text retrieval). The bound is the same as a full scan's.
   */
  private retrieve(qTokens: PreparedToken[], cutoff: number, out: Map<number, number>): void {
    const touched: number[] = [];
    const { mask, num, den, hitWe, checked, post, postStart } = this;
    /** Credits entry e with a match of the query tokens in `bits` (total weight qw). */
    const credit = (e: number, bits: number, qw: number, sim: number, we: number): void => {
      if (mask[e] === 0 && den[e] === 0) touched.push(e);
      if ((mask[e]! & bits) !== 0) return; // already hit by a better token
      mask[e]! |= bits;
      num[e]! += sim * (qw + we);
      den[e]! += qw + we;
      hitWe[e]! += we;
    };
    const bitOf = (qi: number): number => 1 << Math.min(qi, 31);
    const scan = (hits: TokenHit[], bits: number, qw: number, before?: (e: number) => void): void => {
      for (const h of hits) {
        const we = this.tokWeight[h.tok]!;
        const w = qw + we;
        const sw = h.sim * w;
        for (let i = postStart[h.tok]!, end = postStart[h.tok + 1]!; i < end; i++) {
          const e = post[i]!;
          if (before) before(e);
          // credit(e, bits, qw, h.sim, we), inlined: this loop runs over every posting.
          const m = mask[e]!;
          if (m === 0 && den[e] === 0) touched.push(e);
          if ((m & bits) !== 0) continue;
          mask[e] = m | bits;
          num[e]! += sw;
          den[e]! += w;
          hitWe[e]! += we;
        }
      }
    };
    const hits = qTokens.map((q) => [...this.similarTokens(q)].sort((a, b) => b.sim - a.sim));
    const volume = hits.map((hs) => hs.reduce((n, h) => n + postStart[h.tok + 1]! - postStart[h.tok]!, 0));

    // Non-essential tokens: the most voluminous, while an entry matching only them stays below.
    const skip = new Set<number>();
    if (qTokens.length <= 31) {
      const byVolume = qTokens.map((_, i) => i).sort((a, b) => volume[b]! - volume[a]!);
      let matched = 0; // sum over skipped tokens of (query weight + the largest entry weight, 1)
      let missing = qTokens.reduce((n, q) => n + q.weight, 0);
      for (const i of byVolume) {
        const m = matched + qTokens[i]!.weight + 1;
        const rest = missing - qTokens[i]!.weight;
        if (rest <= 0 || m / (m + BOUND_UNMATCHED_QUERY * 2 * rest) + MAX_FIELD_BONUS >= cutoff) break;
        skip.add(i);
        matched = m;
        missing = rest;
      }
    }
    // Dictionary tokens similar to a skipped query token, marked for the check of entries' tokens.
    const stamp = ++this.markStamp;
    const marks: { qi: number; sim: number }[][] = [];
    for (const qi of skip) {
      for (const h of hits[qi]!) {
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
      if (checked[e] || !skip.size) return;
      checked[e] = 1;
      best.fill(0);
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
      for (const qi of skip) if (best[qi]! > 0) credit(e, bitOf(qi), qTokens[qi]!.weight, best[qi]!, bestWe[qi]!);
    };

    // Single tokens first (a token's own hits before its split forms), then pairs joined as one.
    // Every entry is checked for the skipped tokens before a split or joined form credits it.
    qTokens.forEach((q, qi) => {
      if (skip.has(qi)) return;
      scan(hits[qi]!, bitOf(qi), q.weight);
      for (const s of this.splitHits(q)) for (const e of s.entries) credit(e, bitOf(qi), q.weight, 0.97, s.weight);
    });
    for (const e of touched) check(e);
    for (const qi of skip) {
      for (const s of this.splitHits(qTokens[qi]!)) {
        for (const e of s.entries) {
          check(e);
          credit(e, bitOf(qi), qTokens[qi]!.weight, 0.97, s.weight);
        }
      }
    }
    // Two adjacent query tokens written as one on the list ("abdul rahman" -> "abdulrahman").
    for (let qi = 0; qi + 1 < qTokens.length; qi++) {
      const a = qTokens[qi]!;
      const b = qTokens[qi + 1]!;
      const text = a.text + b.text;
      const joined: PreparedToken = { text, phon: phoneticKey(text), weight: Math.max(a.weight, b.weight), id: -1, joined: true };
      scan([...this.similarTokens(joined)].sort((x, y) => y.sim - x.sim), bitOf(qi) | bitOf(qi + 1), a.weight + b.weight, check);
    }
    for (const e of touched) {
      // Query tokens that hit nothing here count unmatched; entry weight not yet hit counts too.
      let missQ = 0;
      qTokens.forEach((q, qi) => {
        if (!(mask[e]! & bitOf(qi))) missQ += q.weight;
      });
      const missE = Math.max(0, this.minWeight[e]! - hitWe[e]!);
      const bound = num[e]! / (den[e]! + BOUND_UNMATCHED_QUERY * 2 * missQ + BOUND_UNMATCHED_ENTRY * 2 * missE);
      if (bound + MAX_FIELD_BONUS >= cutoff && !(out.get(e)! >= bound)) out.set(e, bound);
      mask[e] = 0;
      num[e] = 0;
      den[e] = 0;
      hitWe[e] = 0;
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
    if (!qVariants.length) return [];
    let dob: PartialDate | null = null;
    if (q.dateOfBirth) {
      const p = parseDate(q.dateOfBirth);
      if (p.ok) dob = p.date;
      else {
        opts.warnings?.push(`date of birth: ${p.error}; screened by name${p.partial ? ` and the ${p.partial.precision === 'month' ? 'year and month' : 'year'}` : ''}`);
        dob = p.partial ?? null;
      }
    }
    const qFields: FieldInputs = {
      dob,
      sex: q.sex ?? null,
      nationalities: q.nationality ? [q.nationality] : [],
      documents: q.documentNumber ? [normalizeDocumentNumber(q.documentNumber)].filter(Boolean) : [],
    };
    const qInterner = new Interner();
    const qPlain = qVariants.map((v) => prepare(v, this.weightOf, qInterner));
    const qPrepared = qPlain.map((v) => joinedVariants(v, qInterner));

    const bounds = new Map<number, number>();
    for (const v of qPlain) this.retrieve(v, cutoff, bounds);
    for (const d of qFields.documents) for (const e of this.docEntries(d)) bounds.set(e, 1); // a shared document scores 1
    // Best bound of the final score first: once `top` results are in, an entry whose bound cannot
    // beat the last of them cannot enter the results, nor can any after it. (Namesakes of a
    // common name are many; the birth year sets most of them apart before any scoring.)
    const qYear = dob?.year ?? 0;
    const candidates: [number, number][] = [];
    for (const [e, b] of bounds) candidates.push([e, fieldUpperBound(b, qYear, Math.floor(this.dob[e]! / 10000))]);
    candidates.sort((a, b) => b[1] - a[1]);
    const kept: number[] = [];

    // Entry tokens joined for comparison get ids above the dictionary's.
    const eInterner = new Interner();
    const base = this.tokText.length;
    const joinedIds = { id: (text: string, joined: boolean) => base + eInterner.id(text, joined) };
    const cache = new SimilarityCache();
    type Best = { score: number; tokens: TokenMatch[]; uq: string[]; ue: string[] };
    /** Best alignment of the query with one entry variant, over the query's variants and joined forms. */
    const scoreVariant = (ids: Int32Array, derived: boolean): Best | null => {
      let best: Best | null = null;
      const ePlain = Array.from(ids, (id) => this.preparedToken(id));
      let eJoined: PreparedToken[][] | null = null;
      for (const [qi, qJoined] of qPrepared.entries()) {
        // Two Latin forms derived from other scripts are not compared: the originals are.
        if (derived && qi >= qOwn.length) continue;
        const qp0 = qJoined[0]!;
        const a0 = alignTokens(qp0, ePlain, cache);
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
            const a = alignTokens(qs[i]!, es[j]!, cache);
            if (a.score > best.score) best = { score: a.score, tokens: a.pairs, uq: a.unmatchedQuery, ue: a.unmatchedEntry };
          }
        }
      }
      return best;
    };
    // Namesakes share variants: each distinct token sequence is aligned once per query.
    const variantScores = new Map<string, Best | null>();
    const results: MatchResult[] = [];
    for (const [idx, bound] of candidates) {
      if (kept.length >= top && bound < kept[top - 1]!) break;
      let best: (Best & { name: number }) | null = null;
      for (let v = this.entVar[idx]!; v < this.entVar[idx + 1]!; v++) {
        const derived = (this.varMeta[v]! & 1) === 1;
        const ids = this.tokens.subarray(this.varTok[v]!, this.varTok[v + 1]!);
        const key = (derived ? 'd' : '') + ids.join(',');
        let r = variantScores.get(key);
        if (r === undefined) {
          r = scoreVariant(ids, derived);
          variantScores.set(key, r);
        }
        if (r && (!best || r.score > best.score)) best = { ...r, name: this.varMeta[v]! >> 1 };
      }
      if (!best) continue;
      const adj = adjustByFields(best.score, qFields, this.fieldsOf(idx));
      if (adj.score < minScore) continue;
      kept.splice(sortedIndex(kept, adj.score), 0, adj.score);
      if (kept.length > top) kept.pop();
      results.push({
        entryId: this.ids[idx]!,
        nameIndex: best.name,
        score: round(adj.score),
        nameScore: round(best.score),
        explanation: explain(this.nameText[idx]!.split(SEP)[best.name] ?? '', best.score, best.tokens, best.uq, best.ue, adj.checks),
      });
    }
    results.sort((a, b) => b.score - a.score || b.nameScore - a.nameScore);
    return results.slice(0, top);
  }
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
  const parts = tokens.map((t) => (t.kind === 'exact' ? t.entry : `${t.query}≈${t.entry} (${t.kind})`));
  const extra = [
    unmatchedQuery.length ? `not on the list: ${unmatchedQuery.join(' ')}` : '',
    unmatchedEntry.length ? `not given by the traveler: ${unmatchedEntry.join(' ')}` : '',
    ...fields.map((f) => `${f.detail} (${f.effect >= 0 ? '+' : ''}${f.effect.toFixed(2)})`),
  ].filter(Boolean);
  return {
    summary: `name ${round(nameScore).toFixed(2)}: ${parts.join(', ')}${extra.length ? '; ' + extra.join('; ') : ''}`,
    matchedName,
    nameScore: round(nameScore),
    tokens,
    unmatchedQuery,
    unmatchedEntry,
    fields,
  };
}
