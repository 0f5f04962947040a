/**
 * Stale lists (DESIGN.md section 2, issue 11): a list's age is counted from the date its file
 * gives for itself where it has one (the UN XML's `dateGenerated`, an "updated" title row), else
 * from the import; past a limit (the list's own, else the checkpoint's) it is stale. Pure.
 */
import type { AgeBasis, ListView } from './contract';

/** A source date more than this many years before the import is not believed (a typo, a wrong era). */
export const SOURCE_DATE_MAX_YEARS = 10;
/** A source date up to this many days ahead of the clock is accepted (time zones, a desk clock a little behind). */
export const SOURCE_DATE_SLACK_DAYS = 1;

const DAY_MS = 86_400_000;

/** Whole days from `since` (an ISO day or instant) to `now`; never negative. */
export function daysSince(since: string, now: Date): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : since);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now.getTime() - t) / DAY_MS));
}

/** Why a source date is not believed at `now`, or null when it is: in the future, or implausibly old. */
export function sourceDateProblem(day: string, now: Date): 'future' | 'tooOld' | null {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (t > now.getTime() + SOURCE_DATE_SLACK_DAYS * DAY_MS) return 'future';
  const oldest = new Date(now);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - SOURCE_DATE_MAX_YEARS);
  return t < oldest.getTime() ? 'tooOld' : null;
}

/** A list's age as a screening shows it (the list must have an active version). */
export function listAge(l: ListView): { ageDays: number; ageBasis: AgeBasis; ageSince: string; staleAfterDays: number; stale: boolean } {
  return { ageDays: l.ageDays ?? 0, ageBasis: l.ageBasis ?? 'import', ageSince: l.ageSince ?? '', staleAfterDays: l.staleAfterDays, stale: l.stale };
}
