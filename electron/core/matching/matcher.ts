/**
 * The two-stage matcher (DESIGN.md section 5): an inverted index retrieves candidates by token,
 * phonetic key, one-edit deletion keys and document number; the token-aligned scorer then scores
 * every candidate. Every candidate that shares a key is scored: there is no cap that could hide an
 * entry able to reach review.
 */
import type { Explanation, FieldCheck, TokenMatch } from '../../../shared/contract';
import { parseDate, type PartialDate } from '../../../shared/dates';
import { crossScriptVariants, nameVariants, phoneticKey } from './normalize';
import { normalizeDocumentNumber } from '../watchlists/values';
import { adjustByFields, alignTokens, joinedVariants, prepare, round, SimilarityCache, Interner, type FieldInputs, type PreparedToken } from './score';

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

interface IndexedEntry {
  id: string;
  /** Token-list variants of every name of the entry, with the name each came from. */
  variants: { name: string; tokens: string[]; derived: boolean; prepared?: PreparedToken[][] }[];
  fields: FieldInputs;
}

/** One-edit deletion keys of a string (SymSpell), for strings of 4 characters or more. */
function deletionKeys(s: string): string[] {
  const chars = [...s];
  if (chars.length < 4) return [];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return [...out];
}

function tokenKeys(token: string): string[] {
  const phon = phoneticKey(token);
  return [`t:${token}`, `p:${phon}`, ...deletionKeys(phon).map((d) => `d:${d}`), ...(phon.length >= 4 ? [`d:${phon}`] : [])];
}

function dobOf(s: string | null | undefined): PartialDate | null {
  if (!s) return null;
  const p = parseDate(s);
  return p.ok ? p.date : (p.partial ?? null);
}

/** An in-memory index over the entries of the active list versions. */
export class MatchIndex {
  private entries: IndexedEntry[] = [];
  private keys = new Map<string, number[]>();
  private docs = new Map<string, number[]>();
  private df = new Map<string, number>();
  private interner = new Interner();

  constructor(entries: Iterable<MatchableEntry>) {
    for (const e of entries) this.add(e);
  }

  get size(): number {
    return this.entries.length;
  }

  private add(e: MatchableEntry): void {
    const idx = this.entries.length;
    const variants: IndexedEntry['variants'] = [];
    const phons = new Set<string>();
    const keys = new Set<string>();
    for (const name of e.names) {
      const own = nameVariants(name);
      const all = [...own.map((tokens) => ({ tokens, derived: false })), ...crossScriptVariants(own).map((tokens) => ({ tokens, derived: true }))];
      for (const { tokens, derived } of all) {
        variants.push({ name, tokens, derived });
        for (const t of tokens) {
          phons.add(phoneticKey(t));
          for (const k of tokenKeys(t)) keys.add(k);
        }
        // Joined forms ("abdul rahman" -> "abdulrahman") are keys too.
        for (let i = 0; i < tokens.length - 1; i++) keys.add(`p:${phoneticKey(tokens[i]! + tokens[i + 1]!)}`);
      }
    }
    for (const k of keys) {
      const list = this.keys.get(k);
      if (list) list.push(idx);
      else this.keys.set(k, [idx]);
    }
    for (const p of phons) this.df.set(p, (this.df.get(p) ?? 0) + 1);
    const docs = e.documents.map(normalizeDocumentNumber).filter(Boolean);
    for (const d of docs) {
      const list = this.docs.get(d);
      if (list) list.push(idx);
      else this.docs.set(d, [idx]);
    }
    this.entries.push({
      id: e.id,
      variants,
      fields: { dob: dobOf(e.dateOfBirth), sex: e.sex, nationalities: e.nationalities, documents: docs },
    });
  }

  /** Rarity weight of a phonetic token key, 0.3..1 (IDF over at least 1,000 entries). */
  weightOf = (phon: string): number => {
    const n = Math.max(this.entries.length, 1000);
    const df = this.df.get(phon) ?? 0;
    if (df === 0) return 1;
    const idf = Math.log((n + 1) / (df + 0.5)) / Math.log(n + 1);
    return Math.max(0.3, Math.min(1, 0.3 + 0.7 * idf));
  };

  /**
   * Candidates sharing at least one key with the query, each with, per query variant, a bitmask
   * of the query tokens that hit it (a joined form hits both its parts). A document hit marks
   * every token.
   */
  private candidates(qVariants: string[][], docs: string[]): Map<number, number[]> {
    const out = new Map<number, number[]>();
    const mark = (idx: number, vi: number, bits: number): void => {
      let masks = out.get(idx);
      if (!masks) {
        masks = new Array<number>(qVariants.length).fill(0);
        out.set(idx, masks);
      }
      masks[vi]! |= bits;
    };
    qVariants.forEach((tokens, vi) => {
      const forms: [string, number][] = tokens.map((t, j) => [t, 1 << Math.min(j, 30)]);
      for (let j = 0; j < tokens.length - 1; j++) forms.push([tokens[j]! + tokens[j + 1]!, (3 << Math.min(j, 29))]);
      for (const [t, bits] of forms) {
        const hit = new Set<number>();
        for (const k of tokenKeys(t)) for (const i of this.keys.get(k) ?? []) hit.add(i);
        for (const i of hit) mark(i, vi, bits);
      }
    });
    for (const d of docs) for (const i of this.docs.get(d) ?? []) qVariants.forEach((_, vi) => mark(i, vi, -1));
    return out;
  }

  /**
   * An upper bound of the name score of a candidate from which query tokens hit it: hit tokens
   * matched perfectly, the other tokens counted unmatched at half their usual weight (a token
   * with two or more typos is found through the others), entry-side tokens ignored.
   */
  private static bound(weights: number[], mask: number): number {
    let hit = 0;
    let miss = 0;
    weights.forEach((w, j) => {
      if (mask & (1 << Math.min(j, 30))) hit += w + 1;
      else miss += 0.6 * w;
    });
    return hit / (hit + miss);
  }

  /**
   * Screens one person. Returns results with score >= minScore, best first, at most `top`.
   * `warnings` receives problems with the query (such as an impossible date of birth).
   */
  match(q: MatchQuery, opts: { top?: number; minScore?: number; warnings?: string[] } = {}): MatchResult[] {
    const top = opts.top ?? 10;
    const minScore = opts.minScore ?? 0.5;
    const qOwn = q.names.flatMap((n) => nameVariants(n));
    const qDerived = crossScriptVariants(qOwn);
    const qVariants = [...qOwn, ...qDerived];
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
    const qPrepared = qVariants.map((v) => joinedVariants(prepare(v, this.weightOf, qInterner), qInterner));
    const cache = new SimilarityCache();
    const results: MatchResult[] = [];
    const qWeights = qVariants.map((v) => v.map((t) => this.weightOf(phoneticKey(t))));
    for (const [idx, masks] of this.candidates(qVariants, qFields.documents)) {
      // Field agreement adds at most 0.07: skip candidates that cannot reach minScore by name.
      if (masks.every((m, vi) => MatchIndex.bound(qWeights[vi]!, m) + 0.07 < minScore)) continue;
      const e = this.entries[idx]!;
      let best: { score: number; name: string; tokens: TokenMatch[]; uq: string[]; ue: string[] } | null = null;
      for (const v of e.variants) {
        v.prepared ??= joinedVariants(prepare(v.tokens, this.weightOf, this.interner), this.interner);
        const ePlain = v.prepared[0]!;
        for (const [qi, qJoined] of qPrepared.entries()) {
          // Two Latin forms derived from other scripts are not compared: the originals are.
          if (v.derived && qi >= qOwn.length) continue;
          const qPlain = qJoined[0]!;
          const a0 = alignTokens(qPlain, ePlain, cache);
          if (!best || a0.score > best.score) best = { score: a0.score, name: v.name, tokens: a0.pairs, uq: a0.unmatchedQuery, ue: a0.unmatchedEntry };
          if (!a0.unmatchedQuery.length && !a0.unmatchedEntry.length) continue;
          // Joined forms can only help where a token was left unmatched: try those, in every pairing.
          const uq = new Set(a0.unmatchedQuery);
          const ue = new Set(a0.unmatchedEntry);
          const qs = [qPlain, ...qJoined.slice(1).filter((_, i) => uq.has(qPlain[i]!.text) || uq.has(qPlain[i + 1]!.text))];
          const es = [ePlain, ...v.prepared.slice(1).filter((_, i) => ue.has(ePlain[i]!.text) || ue.has(ePlain[i + 1]!.text))];
          for (let i = 0; i < qs.length; i++) {
            for (let j = i === 0 ? 1 : 0; j < es.length; j++) {
              const a = alignTokens(qs[i]!, es[j]!, cache);
              if (a.score > best.score) best = { score: a.score, name: v.name, tokens: a.pairs, uq: a.unmatchedQuery, ue: a.unmatchedEntry };
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
