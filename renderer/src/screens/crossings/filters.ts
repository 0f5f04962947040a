/**
 * The crossings browser's filters and sort as the screen keeps them, and the `crossings.list` /
 * `crossings.exportStart` request they make (shared/contract.ts CrossingsFilterSchema). Pure: no
 * React, so that test/unit/crossings-ui.test.ts checks it on Node.
 */
import type { CrossingSort, CrossingsFilterInput } from '../../../../shared/contract';
import type { Band, Decision, Direction, Outcome } from '../../../../shared/domain';

/** Every filter of the browser; '' is "any" (no filter). Days are ISO days in the checkpoint's time zone. */
export interface CrossingFilters {
  from: string;
  to: string;
  checkpoint: string;
  officer: string;
  direction: '' | Direction;
  outcome: '' | Outcome;
  /** A list id (watchlists.list). */
  list: string;
  band: '' | Band;
  decision: '' | Decision;
  flaggedOnly: boolean;
  /** Traveler name search (the engine ranks by the matcher) and document number search. */
  name: string;
  document: string;
}

export const NO_FILTERS: CrossingFilters = {
  from: '', to: '', checkpoint: '', officer: '', direction: '', outcome: '', list: '', band: '', decision: '',
  flaggedOnly: false, name: '', document: '',
};

/** A column sort the user chose; null is the engine's default (time, newest first; best match first with a name search). */
export type CrossingSortState = { sort: CrossingSort; desc: boolean } | null;

/** The filter part of a request: empty texts left out, texts trimmed. */
export function filterRequest(f: CrossingFilters): CrossingsFilterInput {
  const text = (s: string) => s.trim() || undefined;
  return {
    from: f.from || undefined,
    to: f.to || undefined,
    checkpoint: text(f.checkpoint),
    officer: text(f.officer),
    direction: f.direction || undefined,
    outcome: f.outcome || undefined,
    list: f.list || undefined,
    band: f.band || undefined,
    decision: f.decision || undefined,
    flaggedOnly: f.flaggedOnly,
    name: text(f.name),
    document: text(f.document),
  };
}

/** A `crossings.list` request without its page: the filter and, when one was chosen, the sort. */
export function listRequest(f: CrossingFilters, sort: CrossingSortState): CrossingsFilterInput & { sort?: CrossingSort; order?: 'asc' | 'desc' } {
  const r = filterRequest(f);
  return sort ? { ...r, sort: sort.sort, order: sort.desc ? 'desc' : 'asc' } : r;
}

/** Any filter set (the reset button shows). */
export function isFiltered(f: CrossingFilters): boolean {
  return (Object.keys(NO_FILTERS) as (keyof CrossingFilters)[]).some((k) => f[k] !== NO_FILTERS[k]);
}

/** The last day is before the first: nothing is asked of the engine (it would refuse the range). */
export function rangeReversed(f: CrossingFilters): boolean {
  return Boolean(f.from && f.to && f.from > f.to);
}

/** The sort the table shows: the chosen one, else the engine's default (none shown during a name search: best match first). */
export function shownSort(f: CrossingFilters, sort: CrossingSortState): CrossingSortState {
  if (sort) return sort;
  return f.name.trim() ? null : { sort: 'time', desc: true };
}
