/**
 * The one-line summary of a hit's explanation, composed from its structured parts (token matches,
 * unmatched names, field checks with their reason codes) in any language: the engine writes the
 * English one into `Explanation.summary` for the CLI and exports; the UI composes its own.
 */
import type { Explanation, TokenMatchKind } from './contract';
import { reasonText, type ReasonTexts } from './reasons';

/** The parts of an explanation the summary is made of. */
export type SummaryParts = Pick<Explanation, 'nameScore' | 'tokens' | 'unmatchedQuery' | 'unmatchedEntry' | 'fields'>;

/**
 * `name 0.93: somchai, thongdee≈thongdi (typo); not on the list: x; same date of birth (+0.05)`,
 * in the language of `texts`; `kindText` names a token match kind (English: the kind itself).
 * Without any name compared: `no name given; same document number (+1.00)`.
 */
export function explanationSummary(ex: SummaryParts, texts: ReasonTexts, kindText: (k: TokenMatchKind) => string = (k) => k): string {
  // A cut name's last part says why, not only how: `has…≈hashimi (name cut, its beginning matches)`.
  const parts = ex.tokens.map((t) => (t.kind === 'exact' ? t.entry
    : t.kind === 'prefix' ? `${t.query}…≈${t.entry} (${reasonText({ code: 'explain.prefix' }, texts)})`
      : `${t.query}≈${t.entry} (${kindText(t.kind)})`));
  const extra = [
    ex.unmatchedQuery.length ? reasonText({ code: 'explain.notOnList', params: { tokens: ex.unmatchedQuery.join(' ') } }, texts) : '',
    ex.unmatchedEntry.length ? reasonText({ code: 'explain.notGiven', params: { tokens: ex.unmatchedEntry.join(' ') } }, texts) : '',
    // Checks stored before reason codes existed carry only their English detail.
    ...ex.fields.map((f) => `${f.reason ? reasonText({ code: f.reason, params: f.params }, texts) : f.detail} (${f.effect >= 0 ? '+' : ''}${f.effect.toFixed(2)})`),
  ].filter(Boolean);
  // A query of document numbers alone compares no name.
  const noName = !ex.tokens.length && !ex.unmatchedQuery.length && !ex.unmatchedEntry.length;
  const head = reasonText(noName ? { code: 'explain.noName' } : { code: 'explain.name', params: { score: ex.nameScore.toFixed(2) } }, texts);
  return `${head}${parts.length ? `: ${parts.join(', ')}` : ''}${extra.length ? `; ${extra.join('; ')}` : ''}`;
}
