/**
 * The two-stage matcher (DESIGN.md section 5): an inverted index retrieves candidates by token,
 * phonetic key, one-edit deletion keys and document number; the token-aligned scorer then scores
 * every candidate. Every candidate that shares a key is scored: there is no cap that could hide an
 * entry able to reach review.
 */
import type { Explanation, FieldCheck, TokenMatch } from '../../../shared/contract';
import { parseDate, type PartialDate } from '../../../shared/dates';
import { nameVariants, phoneticKey } from './normalize';
import { normalizeDocumentNumber } from '../watchlists/values';
import { adjustByFields, alignTokens, joinedVariants, prepare, round, type FieldInputs, type PreparedToken } from './score';

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
  variants: { name: string; tokens: string[] }[];
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
      for (const tokens of nameVariants(name)) {
        variants.push({ name, tokens });
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

  /** Candidate entry indices sharing at least one key with the query. */
  private candidates(qVariants: string[][], docs: string[]): Set<number> {
    const out = new Set<number>();
    const seen = new Set<string>();
    for (const tokens of qVariants) {
      const all = [...tokens];
      for (let i = 0; i < tokens.length - 1; i++) all.push(tokens[i]! + tokens[i + 1]!);
      for (const t of all) {
        for (const k of tokenKeys(t)) {
          if (seen.has(k)) continue;
          seen.add(k);
          for (const i of this.keys.get(k) ?? []) out.add(i);
        }
      }
    }
    for (const d of docs) for (const i of this.docs.get(d) ?? []) out.add(i);
    return out;
  }

  /**
   * Screens one person. Returns results with score >= minScore, best first, at most `top`.
   * `warnings` receives problems with the query (such as an impossible date of birth).
   */
  match(q: MatchQuery, opts: { top?: number; minScore?: number; warnings?: string[] } = {}): MatchResult[] {
    const top = opts.top ?? 10;
    const minScore = opts.minScore ?? 0.5;
    const qVariants = q.names.flatMap((n) => nameVariants(n));
    if (!qVariants.length) return [];
    let dob: PartialDate | null = null;
    if (q.dateOfBirth) {
      const p = parseDate(q.dateOfBirth);
      if (p.ok) dob = p.date;
      else {
        opts.warnings?.push(`date of birth: ${p.error}; screened by name${p.partial ? ` and ${p.partial.precision}` : ''}`);
        dob = p.partial ?? null;
      }
    }
    const qFields: FieldInputs = {
      dob,
      sex: q.sex ?? null,
      nationalities: q.nationality ? [q.nationality] : [],
      documents: q.documentNumber ? [normalizeDocumentNumber(q.documentNumber)].filter(Boolean) : [],
    };
    const qPrepared = qVariants.map((v) => joinedVariants(prepare(v, this.weightOf)));
    const results: MatchResult[] = [];
    for (const idx of this.candidates(qVariants, qFields.documents)) {
      const e = this.entries[idx]!;
      let best: { score: number; name: string; tokens: TokenMatch[]; uq: string[]; ue: string[] } | null = null;
      for (const v of e.variants) {
        const eJoined = joinedVariants(prepare(v.tokens, this.weightOf));
        for (const qJoined of qPrepared) {
          // Join on one side at a time: the plain forms, then each side's joined forms against the other's plain form.
          const pairs: [PreparedToken[], PreparedToken[]][] = [
            [qJoined[0]!, eJoined[0]!],
            ...qJoined.slice(1).map((q): [PreparedToken[], PreparedToken[]] => [q, eJoined[0]!]),
            ...eJoined.slice(1).map((e2): [PreparedToken[], PreparedToken[]] => [qJoined[0]!, e2]),
          ];
          for (const [qp, ep] of pairs) {
            const a = alignTokens(qp, ep);
            if (!best || a.score > best.score) {
              best = { score: a.score, name: v.name, tokens: a.pairs, uq: a.unmatchedQuery, ue: a.unmatchedEntry };
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
