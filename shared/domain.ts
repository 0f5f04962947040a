/**
 * Domain vocabulary shared by the Node side and the renderer. Pure data: no I/O.
 */

/** Watchlist kinds (DESIGN.md section 2). */
export const LIST_KINDS = ['wanted', 'at-risk', 'deny-entry', 'monitor'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** Score bands, strongest first. A hit at or above `review` blocks a crossing until decided. */
export const BANDS = ['strong', 'review', 'weak'] as const;
export type Band = (typeof BANDS)[number];

/** An officer's adjudication of one hit. */
export const DECISIONS = ['undecided', 'not-same-person', 'confirmed'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DIRECTIONS = ['entry', 'exit'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const OUTCOMES = ['passed', 'refused-entry', 'held', 'referred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SEXES = ['M', 'F', 'X'] as const;
export type Sex = (typeof SEXES)[number];

/** Default band thresholds on the 0..1 score scale; each list may override them. */
export const DEFAULT_THRESHOLDS = { strong: 0.9, review: 0.75, weak: 0.6 } as const;
export type Thresholds = { strong: number; review: number; weak: number };

/** Default action text shown with a hit, per list kind (DESIGN.md section 2). */
export const DEFAULT_ACTIONS: Record<ListKind, string> = {
  wanted:
    'Hold the traveler, keep the passport, notify the police duty officer; quote the warrant number.',
  'at-risk':
    'Secondary interview; inform the traveler about the risks; notify the anti-trafficking desk.',
  'deny-entry': 'Refuse entry and record the grounds.',
  monitor: 'Let pass, record, notify the intelligence desk.',
};

/** Days after which a list's active version is flagged as stale on the screening screen. */
export const DEFAULT_STALE_DAYS = 7;

/** Band of a 0..1 score under the given thresholds, or null below `weak`. */
export function bandOf(score: number, t: Thresholds): Band | null {
  if (score >= t.strong) return 'strong';
  if (score >= t.review) return 'review';
  if (score >= t.weak) return 'weak';
  return null;
}

/** True when the band is one that must be adjudicated before a crossing is recorded. */
export function needsDecision(band: Band): boolean {
  return band === 'strong' || band === 'review';
}
