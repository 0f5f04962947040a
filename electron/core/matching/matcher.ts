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
import { normalizeDocumentNumber } from '../watchlists/values';
import { crossScriptVariants, nameVariants, phoneticKey } from './normalize';
import {
  adjustByFields, alignTokens, bitDistance, Interner, joinedVariants, prepare, round, SimilarityCache, tokenSimilarity, typoBudget,
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

interface Variant {
  /** Index into the entry's names. */
  name: number;
  tokens: Int32Array;
  /** A Latin form derived from another script (compared only with original forms). */
  derived: boolean;
}

interface IndexedEntry {
  id: string;
  names: string[];
  variants: Variant[];
  fields: FieldInputs;
  /** The smallest total token weight over the entry's variants (for the retrieval bound). */
  minWeight: number;
}

/** Most that agreeing fields add to a name score (date of birth +0.05, nationality +0.02). */
const FIELD_BONUS = 0.07;
/** Discount of unmatched tokens in the bound; must not exceed the scorer's (score.ts). */
const BOUND_UNMATCHED_QUERY = 0.6;
const BOUND_UNMATCHED_ENTRY = 0.45;
const WADE_GILES = /hs|ts|tz|ung$/;
/** How many query tokens' dictionary matches are remembered. */
const SIMILAR_CACHE = 20000;
/** Tokens up to this length are found by one-edit deletion keys instead of trigrams. */
const SHORT = 6;

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== id) list.push(id);
  } else map.set(key, [id]);
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

/** An in-memory index over the entries of the active list versions. Build once, query many. */
export class MatchIndex {
  private entries: IndexedEntry[] = [];
  private docs = new Map<string, number[]>();
  // The token dictionary.
  private tokId = new Map<string, number>();
  private tokText: string[] = [];
  private tokPhon: string[] = [];
  private tokPost: number[][] = [];
  private tokWeight: Float32Array = new Float32Array(0);
  /** Trigram counts of each token's phonetic key and text. */
  private tokGramsP = new Uint8Array(0);
  private tokGramsT = new Uint8Array(0);
  private byPhon = new Map<string, number[]>();
  private byGram = new Map<string, number[]>();
  private bySinitic = new Map<string, number[]>();
  /** One-edit deletion keys of short tokens (up to SHORT letters), where trigrams say too little. */
  private byDel = new Map<string, number[]>();
  private prepared: (PreparedToken | undefined)[] = [];
  private phonDf = new Map<string, number>();
  // Scratch buffers for retrieval, reused by every query (single-threaded).
  private mask = new Uint32Array(0);
  private num = new Float32Array(0);
  private den = new Float32Array(0);
  private hitWe = new Float32Array(0);
  private gramCount = new Uint8Array(0);

  constructor(entries: Iterable<MatchableEntry>) {
    for (const e of entries) this.add(e);
    this.finish();
  }

  get size(): number {
    return this.entries.length;
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
      this.tokPost.push([]);
      const list = this.byPhon.get(phon);
      if (list) list.push(id);
      else this.byPhon.set(phon, [id]);
    }
    return id;
  }

  private add(e: MatchableEntry): void {
    const idx = this.entries.length;
    const variants: Variant[] = [];
    const seen = new Set<number>();
    const phons = new Set<string>();
    e.names.forEach((name, n) => {
      const own = nameVariants(name);
      for (const [list, derived] of [[own, false], [crossScriptVariants(own), true]] as const) {
        for (const tokens of list) {
          const ids = Int32Array.from(tokens, (t) => this.intern(t));
          variants.push({ name: n, tokens: ids, derived });
          for (const id of ids) {
            phons.add(this.tokPhon[id]!);
            if (!seen.has(id)) {
              seen.add(id);
              this.tokPost[id]!.push(idx);
            }
          }
        }
      }
    });
    for (const p of phons) this.phonDf.set(p, (this.phonDf.get(p) ?? 0) + 1);
    const docs = e.documents.map(normalizeDocumentNumber).filter(Boolean);
    for (const d of docs) {
      const list = this.docs.get(d);
      if (list) list.push(idx);
      else this.docs.set(d, [idx]);
    }
    this.entries.push({
      id: e.id,
      names: e.names,
      variants,
      fields: { dob: dobOf(e.dateOfBirth), sex: e.sex, nationalities: e.nationalities, documents: docs },
      minWeight: 0,
    });
  }

  private finish(): void {
    const n = this.tokText.length;
    this.tokWeight = new Float32Array(n);
    this.tokGramsP = new Uint8Array(n);
    this.tokGramsT = new Uint8Array(n);
    this.gramCount = new Uint8Array(n);
    for (let id = 0; id < n; id++) {
      const phon = this.tokPhon[id]!;
      this.tokWeight[id] = this.weightOf(phon);
      const text = this.tokText[id]!;
      const gp = trigrams(phon);
      const gt = trigrams(text);
      this.tokGramsP[id] = Math.min(255, gp.length);
      this.tokGramsT[id] = Math.min(255, gt.length);
      for (const g of gp) push(this.byGram, `p${g}`, id);
      for (const g of gt) push(this.byGram, `t${g}`, id);
      if (text.length <= SHORT) for (const d of deletions(text)) push(this.byDel, d, id);
      if (WADE_GILES.test(this.tokText[id]!) || /^[a-z]+$/.test(this.tokText[id]!)) {
        const k = siniticKey(this.tokText[id]!);
        const list = this.bySinitic.get(k);
        if (list) list.push(id);
        else this.bySinitic.set(k, [id]);
      }
    }
    for (const e of this.entries) {
      let min = Infinity;
      for (const v of e.variants) {
        let w = 0;
        for (const t of v.tokens) w += this.tokWeight[t]!;
        if (w < min) min = w;
      }
      e.minWeight = Number.isFinite(min) ? min : 0;
    }
    const m = this.entries.length;
    this.mask = new Uint32Array(m);
    this.num = new Float32Array(m);
    this.den = new Float32Array(m);
    this.hitWe = new Float32Array(m);
  }

  /** Rarity weight of a phonetic token key, 0.3..1 (IDF over at least 1,000 entries). */
  weightOf = (phon: string): number => {
    const n = Math.max(this.entries.length, 1000);
    const df = this.phonDf.get(phon) ?? 0;
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
    if (len > 3) {
      const budget = Math.max(typoBudget(len), 1);
      const dists = new Map<string, (t: string) => number>();
      const dist = (p: string): ((t: string) => number) => {
        let f = dists.get(p);
        if (!f) {
          f = bitDistance(p);
          dists.set(p, f);
        }
        return f;
      };
      const shared = this.gramCount;
      for (const [prefix, str, counts] of [['p', q.phon, this.tokGramsP], ['t', q.text, this.tokGramsT]] as const) {
        const grams = trigrams(str);
        const touched: number[] = [];
        for (const g of grams) {
          for (const id of this.byGram.get(prefix + g) ?? []) {
            if (shared[id] === 0) touched.push(id);
            shared[id]!++;
          }
        }
        // Each edit spoils at most three trigrams of either string (four for a swap, which the
        // deletion keys and the phonetic key also catch): fewer shared than that cannot be in budget.
        for (const id of touched) {
          // Fast filters before the full comparison: enough shared trigrams, then a bit-parallel
          // Levenshtein within the budget (+1: a swap costs two there, one in OSA).
          if (shared[id]! >= Math.max(grams.length, counts[id]!) - 3 * budget && !found.has(id)) {
            const t = prefix === 'p' ? this.tokPhon[id]! : this.tokText[id]!;
            if (Math.abs(t.length - str.length) <= budget + 1 && dist(str)(t) <= budget + 1) consider(id);
          }
          shared[id] = 0;
        }
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
      const left = new Set(a.flatMap((id) => this.tokPost[id]!));
      const both = [...new Set(b.flatMap((id) => this.tokPost[id]!))].filter((e) => left.has(e));
      const weight = Math.max(...a.map((id) => this.tokWeight[id]!), ...b.map((id) => this.tokWeight[id]!));
      if (both.length) out.push({ entries: both, weight });
    }
    return out;
  }

  /**
   * Entry indices that could reach `cutoff` by name (plus field bonus) for one query variant,
   * from an upper bound over the query tokens that hit each entry.
   */
  private retrieve(qTokens: PreparedToken[], cutoff: number, out: Set<number>): void {
    const touched: number[] = [];
    const { mask, num, den, hitWe } = this;
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
    const visit = (q: PreparedToken, bits: number, qw: number): void => {
      for (const h of this.similarTokens(q).sort((a, b) => b.sim - a.sim)) {
        const we = this.tokWeight[h.tok]!;
        for (const e of this.tokPost[h.tok]!) credit(e, bits, qw, h.sim, we);
      }
    };
    qTokens.forEach((q, qi) => {
      visit(q, bitOf(qi), q.weight);
      for (const s of this.splitHits(q)) for (const e of s.entries) credit(e, bitOf(qi), q.weight, 0.97, s.weight);
    });
    // Two adjacent query tokens written as one on the list ("abdul rahman" -> "abdulrahman").
    for (let qi = 0; qi + 1 < qTokens.length; qi++) {
      const a = qTokens[qi]!;
      const b = qTokens[qi + 1]!;
      const text = a.text + b.text;
      const joined: PreparedToken = { text, phon: phoneticKey(text), weight: Math.max(a.weight, b.weight), id: -1, joined: true };
      visit(joined, bitOf(qi) | bitOf(qi + 1), a.weight + b.weight);
    }
    for (const e of touched) {
      // Query tokens that hit nothing here count unmatched; entry weight not yet hit counts too.
      let missQ = 0;
      qTokens.forEach((q, qi) => {
        if (!(mask[e]! & bitOf(qi))) missQ += q.weight;
      });
      const missE = Math.max(0, this.entries[e]!.minWeight - hitWe[e]!);
      const bound = num[e]! / (den[e]! + BOUND_UNMATCHED_QUERY * 2 * missQ + BOUND_UNMATCHED_ENTRY * 2 * missE);
      if (bound + FIELD_BONUS >= cutoff) out.add(e);
      mask[e] = 0;
      num[e] = 0;
      den[e] = 0;
      hitWe[e] = 0;
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

    const candidates = new Set<number>();
    for (const v of qPlain) this.retrieve(v, cutoff, candidates);
    for (const d of qFields.documents) for (const e of this.docs.get(d) ?? []) candidates.add(e);

    // Entry tokens joined for comparison get ids above the dictionary's.
    const eInterner = new Interner();
    const base = this.tokText.length;
    const joinedIds = { id: (text: string, joined: boolean) => base + eInterner.id(text, joined) };
    const cache = new SimilarityCache();
    const results: MatchResult[] = [];
    for (const idx of candidates) {
      const e = this.entries[idx]!;
      let best: { score: number; name: string; tokens: TokenMatch[]; uq: string[]; ue: string[] } | null = null;
      for (const v of e.variants) {
        const ePlain = Array.from(v.tokens, (id) => this.preparedToken(id));
        let eJoined: PreparedToken[][] | null = null;
        for (const [qi, qJoined] of qPrepared.entries()) {
          // Two Latin forms derived from other scripts are not compared: the originals are.
          if (v.derived && qi >= qOwn.length) continue;
          const qp0 = qJoined[0]!;
          const a0 = alignTokens(qp0, ePlain, cache);
          if (!best || a0.score > best.score) best = { score: a0.score, name: e.names[v.name]!, tokens: a0.pairs, uq: a0.unmatchedQuery, ue: a0.unmatchedEntry };
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
              if (a.score > best.score) best = { score: a.score, name: e.names[v.name]!, tokens: a.pairs, uq: a.unmatchedQuery, ue: a.unmatchedEntry };
            }
          }
        }
      }
      if (!best) continue;
      const adj = adjustByFields(best.score, qFields, e.fields);
      if (adj.score < minScore) continue;
      results.push({
        entryId: e.id,
        score: round(adj.score),
        nameScore: round(best.score),
        explanation: explain(best.name, best.score, best.tokens, best.uq, best.ue, adj.checks),
      });
    }
    results.sort((a, b) => b.score - a.score || b.nameScore - a.nameScore);
    return results.slice(0, top);
  }
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
