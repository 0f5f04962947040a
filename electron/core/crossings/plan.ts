/**
 * How the crossings browser (query.ts) answers a filter in SQL fast at a million crossings
 * (issue 14: a filter change within 200 ms at p95). A filter becomes a Plan; each question (the
 * total, one page, the next batch) is then asked of the structure that answers it without
 * reading a million rows (migration 0010):
 *
 * - the total of filters on the crossing's own columns (days, checkpoint, officer, direction,
 *   outcome, flagged): a sum over `crossing_days` (a count per UTC day and combination of those
 *   columns), with the partial days at either end of the range counted in `crossings_time`;
 * - a page: every index of crossings holds every filtered and sorted column (no table read but
 *   the rows shown); the one that reads fewest entries is chosen from `crossing_days`'s counts
 *   (drivingIndex): the sort's own index in order, or a filtered column's (in time order itself);
 *   a deep page in time order (large offset) first skips whole days by their counts;
 * - a list, band or decision filter (one hit meeting all three), with any other filter and sort:
 *   the recorded hits' indexes alone (each recorded hit holds its crossing's id, time and the
 *   filtered and sorted columns); its total a sum over `hit_days` or `hit_day_cols` (migration
 *   0012: crossings per day and combination of the hit's values, hitCount), its page read in
 *   time order from the index in that order that reads least (hitPageIndex; direction, outcome
 *   and officer: group by group, hitGroupedPage);
 * - a document: its two indexes (a handful of rows); a name: name-search.ts.
 * An officer's scope (their own crossings, or the last 24 hours at their checkpoint) is two
 * disjoint parts for a total (their own through `crossing_days`, the last day directly).
 *
 * EXPLAIN QUERY PLAN of each statement is checked in test/unit/crossings-browse.test.ts.
 */
import type { CrossingSort, CrossingsFilter } from '../../../shared/contract';
import { BANDS, DIRECTIONS, OUTCOMES } from '../../../shared/domain';
import type { DB } from '../db/database';
import { localDayBoundaryUtc } from '../time';
import { documentSearchKey } from './search-keys';

/** Who sees all (a supervisor or an auditor: null scope), or an officer's scope. */
export interface Scope {
  me: string;
  checkpoint: string;
  /** Start of the last 24 hours (ISO). */
  since: string;
}

/** Which part of an officer's scope a statement reads: their own crossings, the other recent ones at the checkpoint, or both. */
export type ScopeArm = 'own' | 'recent' | 'either';

/** A condition on a table alias (`c` crossings or crossing_days, `h` hits) and its parameters. */
interface Cond {
  sql: (a: string) => string;
  args: unknown[];
  /** For a condition on one of the crossing's columns: the index led by that column (migration 0010). */
  index?: string;
  /** The same condition on `crossing_days` when it differs from `sql` there (top_score is `scored` there). */
  days?: (a: string) => string;
}

/** A condition's SQL on `crossing_days` (alias `a`). */
function onDaysSql(c: Cond, a: string): string {
  return (c.days ?? c.sql)(a);
}

/** A filter turned into SQL pieces. */
export interface Plan {
  /** Conditions on the crossing's own columns (checkpoint, officer, direction, outcome, flagged). */
  cols: Cond[];
  /** Bounds of the time (ISO, inclusive), if any. */
  from: string | null;
  to: string | null;
  /** The normalized document searched, if any. */
  document: string | null;
  /** Conditions on one hit `h` (list, band, decision) and their parameters. */
  hit: string[];
  hitArgs: unknown[];
  scope: Scope | null;
  /** The name searched, if any. */
  name: string | null;
}

/** A WHERE clause (with its keyword, or '') and its parameters. */
export interface Where {
  sql: string;
  args: unknown[];
}

function nonEmpty(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/**
 * The filter as SQL pieces, or null when nothing can match (an unknown officer or list, a
 * document with no letter or digit). `from`/`to` are local days in `timeZone` (RangeError for an
 * unknown zone).
 */
export function planOf(db: DB, f: CrossingsFilter, timeZone: string, scope: Scope | null): Plan | null {
  const p: Plan = { cols: [], from: null, to: null, document: null, hit: [], hitArgs: [], scope, name: nonEmpty(f.name) };
  const col = (index: string, sql: (a: string) => string, ...args: unknown[]): void => {
    p.cols.push({ sql, args, index });
  };
  if (f.from) p.from = localDayBoundaryUtc(f.from, timeZone);
  if (f.to) p.to = localDayBoundaryUtc(f.to, timeZone, true);
  const checkpoint = nonEmpty(f.checkpoint);
  if (checkpoint) col('crossings_checkpoint', (a) => `${a}.checkpoint = ? COLLATE NOCASE`, checkpoint);
  const officer = nonEmpty(f.officer);
  if (officer) {
    const id = db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(officer) as string | undefined;
    if (!id) return null;
    col('crossings_officer', (a) => `${a}.officer_id = ?`, id);
  }
  if (f.direction) col('crossings_direction', (a) => `${a}.direction = ?`, f.direction);
  if (f.outcome) col('crossings_outcome', (a) => `${a}.outcome = ?`, f.outcome);
  if (f.flaggedOnly) col('crossings_flagged', (a) => `${a}.flagged = 1`);
  const document = nonEmpty(f.document);
  if (document) {
    p.document = documentSearchKey(document);
    if (!p.document) return null;
  }
  const list = nonEmpty(f.list);
  if (list) {
    const ids = db.prepare('SELECT id FROM watchlists WHERE id = ? OR name = ? COLLATE NOCASE').pluck().all(list, list) as string[];
    if (!ids.length) return null;
    p.hit.push(ids.length === 1 ? 'h.list_id = ?' : `h.list_id IN (${ids.map(() => '?').join(',')})`);
    p.hitArgs.push(...ids);
  }
  if (f.band) {
    p.hit.push('h.band = ?');
    p.hitArgs.push(f.band);
  }
  if (f.decision) {
    p.hit.push('h.decision = ?');
    p.hitArgs.push(f.decision);
    // A list and a decision but any band: every band named, so that hits_list (list, band,
    // decision, ...) seeks each (list, band, decision) instead of reading all the list's hits.
    if (list && !f.band) {
      p.hit.push(`h.band IN (${BANDS.map(() => '?').join(',')})`);
      p.hitArgs.push(...BANDS);
    }
  }
  return p;
}

/** The scope's condition for one arm, on alias `a` whose time column is `time`. */
function scopeCond(s: Scope, arm: ScopeArm, a: string, time: string): Cond {
  if (arm === 'own') return { sql: () => `${a}.officer_id = ?`, args: [s.me] };
  if (arm === 'recent') return { sql: () => `${a}.officer_id <> ? AND ${a}.checkpoint = ? COLLATE NOCASE AND ${a}.${time} >= ?`, args: [s.me, s.checkpoint, s.since] };
  return { sql: () => `(${a}.officer_id = ? OR (${a}.checkpoint = ? COLLATE NOCASE AND ${a}.${time} >= ?))`, args: [s.me, s.checkpoint, s.since] };
}

/** Joins conditions into a WHERE clause, over crossings or hits, or over `crossing_days` when `days`. */
function where(conds: Cond[], a: string, days = false): Where {
  const parts = conds.map((c) => (days ? onDaysSql(c, a) : c.sql(a)));
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args: conds.flatMap((c) => c.args) };
}

/** The time bounds on a time column, with extra bounds (`lo` inclusive, `hi` exclusive) tightening them. */
function timeConds(p: Plan, a: string, time: string, lo?: string, hi?: string): Cond[] {
  // One lower and one upper bound, the tighter of each pair (ISO texts and days compare as times):
  // SQLite seeks an index by one bound of each side and tests the others on every entry between,
  // so a partial day's bounds next to the range's would read the whole range.
  const out: Cond[] = [];
  const from = p.from && lo ? (lo > p.from ? lo : p.from) : (lo ?? p.from);
  if (from) out.push({ sql: () => `${a}.${time} >= ?`, args: [from] });
  if (hi !== undefined && (!p.to || hi <= p.to)) out.push({ sql: () => `${a}.${time} < ?`, args: [hi] });
  else if (p.to) out.push({ sql: () => `${a}.${time} <= ?`, args: [p.to] });
  return out;
}

/**
 * The WHERE clause over `crossings c` of a plan (every filter but the name), for one arm of the
 * scope: the hit filters as an IN over the recorded hits, the document as its two indexes.
 */
export function crossingsWhere(p: Plan, arm: ScopeArm = 'either', lo?: string, hi?: string): Where {
  const conds = [...p.cols, ...timeConds(p, 'c', 'occurred_at', lo, hi)];
  if (p.scope) conds.push(scopeCond(p.scope, arm, 'c', 'occurred_at'));
  if (p.document) conds.push({ sql: () => '(c.document_key = ? OR c.national_id_key = ?)', args: [p.document, p.document] });
  if (p.hit.length) {
    conds.push({ sql: () => `c.id IN (SELECT h.crossing_id FROM hits h WHERE ${p.hit.join(' AND ')} AND h.crossing_id IS NOT NULL)`, args: p.hitArgs });
  }
  return where(conds, 'c');
}

/**
 * The WHERE clause over recorded hits `h` of a plan with hit filters (no document): `after` a
 * keyset position (time, id; descending), `arm` of the scope (default both), `lo`/`hi` extra
 * time bounds (inclusive, exclusive) tightening the range's.
 */
function hitsWhere(p: Plan, o: { after?: { at: string; id: string }; arm?: ScopeArm; lo?: string; hi?: string } = {}): Where {
  const conds: Cond[] = [{ sql: () => `${p.hit.join(' AND ')} AND h.crossing_id IS NOT NULL`, args: p.hitArgs }, ...p.cols, ...timeConds(p, 'h', 'crossing_at', o.lo, o.hi)];
  if (p.scope) conds.push(scopeCond(p.scope, o.arm ?? 'either', 'h', 'crossing_at'));
  if (o.after) conds.push({ sql: () => '(h.crossing_at, h.crossing_id) < (?, ?)', args: [o.after.at, o.after.id] });
  return where(conds, 'h');
}

/** A plan's hit filters as values: the list ids, band and decision named (null: any). */
interface HitFilter {
  lists: string[] | null;
  band: string | null;
  decision: string | null;
}

/**
 * The hit filters of a plan as values (planOf's conditions: the list as `= ?` or `IN`, band and
 * decision `= ?`, and `h.band IN` every band, which is any band), or null for a condition of
 * another shape (then totals and pages are read from the hits themselves).
 */
function hitFilter(p: Plan): HitFilter | null {
  const f: HitFilter = { lists: null, band: null, decision: null };
  let i = 0;
  for (const h of p.hit) {
    const args = p.hitArgs.slice(i, (i += h.split('?').length - 1)) as string[];
    if (h === 'h.list_id = ?' || /^h\.list_id IN \(\?(,\?)*\)$/.test(h)) f.lists = args;
    else if (h === 'h.band = ?') f.band = args[0]!;
    else if (h === 'h.decision = ?') f.decision = args[0]!;
    else if (!(/^h\.band IN \(/.test(h) && BANDS.every((b) => args.includes(b)))) return null;
  }
  return f;
}

/** The day-count tables' key of a hit filter (migration 0012: '' for a dimension not filtered), or null when they cannot answer it (lists named alike). */
function hitKey(f: HitFilter): [string, string, string] | null {
  if (f.lists && f.lists.length !== 1) return null;
  return [f.lists?.[0] ?? '', f.band ?? '', f.decision ?? ''];
}

/** How many crossings have a recorded hit meeting a plan's hit filters, of one scope arm, between `lo` (inclusive) and `hi` (exclusive) within the range: read from the hits in time order (hits_time). */
function hitsBetween(db: DB, p: Plan, arm: ScopeArm, lo?: string, hi?: string): number {
  const w = hitsWhere(p, { arm, lo, hi });
  return db.prepare(`SELECT count(*) FROM (SELECT DISTINCT h.crossing_at, h.crossing_id FROM hits h INDEXED BY hits_time ${w.sql})`).pluck().get(...w.args) as number;
}

/** The UTC days a plan's range cuts (neither starting nor ending at the day's bounds). */
function cutDays(p: Plan): Set<string> {
  const out = new Set<string>();
  const loDay = p.from?.slice(0, 10);
  const hiDay = p.to?.slice(0, 10);
  if (loDay && p.from !== `${loDay}T00:00:00.000Z`) out.add(loDay);
  if (hiDay && !p.to!.startsWith(`${hiDay}T23:59:59.999`)) out.add(hiDay);
  return out;
}

/**
 * How many crossings match an onHits plan, from migration 0012's counts: a sum over hit_days
 * (hit filters and days only) or hit_day_cols (with the crossing's columns, or an officer's own
 * crossings) of the rows with the filter's key, whole days only; the days the range cuts, and the
 * other officers' crossings of the last 24 hours, counted from the hits (hitsBetween). Null when
 * the counts cannot answer (hitKey, or a column condition with another form on the day tables).
 */
function hitCount(db: DB, p: Plan): number | null {
  const f = hitFilter(p);
  const key = f && hitKey(f);
  if (!key || p.cols.some((c) => c.days)) return null;
  const cols = [...p.cols];
  if (p.scope) cols.push(scopeCond(p.scope, 'own', 'c', 'day'));
  const conds: Cond[] = [{ sql: (a) => `${a}.list_id = ? AND ${a}.band = ? AND ${a}.decision = ?`, args: key }, ...cols];
  if (p.from) conds.push({ sql: (a) => `${a}.day >= ?`, args: [p.from.slice(0, 10)] });
  if (p.to) conds.push({ sql: (a) => `${a}.day <= ?`, args: [p.to.slice(0, 10)] });
  const cut = cutDays(p);
  for (const d of cut) conds.push({ sql: (a) => `${a}.day <> ?`, args: [d] });
  const w = where(conds, 'c');
  let n = db.prepare(`SELECT coalesce(sum(c.n), 0) FROM ${cols.length ? 'hit_day_cols' : 'hit_days'} c ${w.sql}`).pluck().get(...w.args) as number;
  const arm: ScopeArm = p.scope ? 'own' : 'either';
  for (const d of cut) n += hitsBetween(db, p, arm, d, nextDay(d));
  // The other officers' crossings of the last 24 hours at the checkpoint: a short range of hits_time.
  if (p.scope) n += hitsBetween(db, p, 'recent', p.scope.since);
  return n;
}

/**
 * The index of recorded hits to read for the first `want` matches of an onHits plan in a sort's
 * order. The filter's own index (hitIndex) gives time order when every column before the time is
 * named (a decision; band and decision; one list, band and decision): then it is read in order.
 * Otherwise it is read for every hit of the filter (without range: their count from hit_days)
 * and the matches sorted, or hits_time is read in order through the range's hits (hit_days,
 * every decision) until `want` match (time order; for another sort all of the range, sorted):
 * whichever reads fewer entries (estimated with the total from hitCount).
 */
function hitPageIndex(db: DB, p: Plan, want: number, sort: CrossingSort): string {
  const own = hitIndex(p);
  const f = hitFilter(p);
  const key = f && hitKey(f);
  if (!f || !key || (f.decision !== null && (!f.lists || f.band !== null))) return own;
  const matches = hitCount(db, p);
  if (matches === null) return own;
  const sum = (conds: Cond[]): number => {
    const w = where(conds, 'c');
    return db.prepare(`SELECT coalesce(sum(c.n), 0) FROM hit_days c ${w.sql}`).pluck().get(...w.args) as number;
  };
  const filtered = sum([{ sql: (a) => `${a}.list_id = ? AND ${a}.band = ? AND ${a}.decision = ?`, args: key }]);
  const range: Cond[] = [{ sql: (a) => `${a}.list_id = '' AND ${a}.band = '' AND ${a}.decision <> ''`, args: [] }];
  if (p.from) range.push({ sql: (a) => `${a}.day >= ?`, args: [p.from.slice(0, 10)] });
  if (p.to) range.push({ sql: (a) => `${a}.day <= ?`, args: [p.to.slice(0, 10)] });
  const inRange = sum(range);
  const byTime = sort === 'time' ? (want * inRange) / Math.max(1, matches) : inRange;
  return byTime < filtered ? 'INDEXED BY hits_time' : own;
}

/**
 * The index of recorded hits led by the most filtered columns (migration 0010): hits_list (list,
 * band, decision, ...), hits_band (band, decision, ...), else hits_decision. Named, because
 * without statistics SQLite may take another one for the order it gives (a DISTINCT, a time
 * order), reading every hit of the decision and the table beside it.
 */
function hitIndex(p: Plan): string {
  if (p.hit.some((h) => h.startsWith('h.list_id'))) return 'INDEXED BY hits_list';
  return p.hit.includes('h.band = ?') ? 'INDEXED BY hits_band' : 'INDEXED BY hits_decision';
}

/**
 * A page of an onHits plan sorted by direction, outcome or officer, as groupedPage reads an
 * onDays plan: the values in the sort's order (officer: usernames without regard to ASCII case,
 * one group per name), each group's size from hitCount (its value as one more column condition),
 * whole groups before the offset skipped, and each group on the page read as a page in time
 * order (hitPageIndex), instead of sorting every match. Null when hitCount cannot answer.
 */
function hitGroupedPage(db: DB, p: Plan, page: PageSpec): string[] | null {
  let col: string;
  let groups: string[][];
  if (page.sort === 'officer') {
    col = 'officer_id';
    const users = db.prepare('SELECT id, username FROM users ORDER BY username COLLATE NOCASE, id').all() as { id: string; username: string }[];
    const fold = (s: string): string => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
    groups = [];
    users.forEach((u, i) => {
      if (i && fold(u.username) === fold(users[i - 1]!.username)) groups[groups.length - 1]!.push(u.id);
      else groups.push([u.id]);
    });
  } else if (page.sort === 'direction' || page.sort === 'outcome') {
    col = page.sort;
    // Codes (ASCII): JavaScript's order is SQLite's BINARY order.
    groups = [...(page.sort === 'direction' ? DIRECTIONS : OUTCOMES)].sort().map((v) => [v]);
  } else return null;
  if (page.order === 'desc') groups.reverse();
  const out: string[] = [];
  let skip = page.offset;
  for (const values of groups) {
    if (out.length >= page.limit) break;
    const cond: Cond = { sql: (a) => (values.length === 1 ? `${a}.${col} = ?` : `${a}.${col} IN (${values.map(() => '?').join(',')})`), args: values };
    const g: Plan = { ...p, cols: [...p.cols, cond] };
    const n = hitCount(db, g);
    if (n === null) return null;
    if (skip >= n) {
      skip -= n;
      continue;
    }
    out.push(...pageIds(db, g, { sort: 'time', order: page.order, offset: skip, limit: page.limit - out.length }));
    skip = 0;
  }
  return out;
}

/** Answered from the recorded hits alone: a list, band or decision filter without a document. */
export function onHits(p: Plan): boolean {
  return p.hit.length > 0 && !p.document;
}

/** Answered by crossing_days (and crossings_time at the edges): only the crossing's own columns and days. */
function onDays(p: Plan): boolean {
  return !p.hit.length && !p.document;
}

/** The index a sort reads in order (officer: by user, in the order of their usernames). */
const SORT_INDEX: Record<CrossingSort, string> = {
  time: 'crossings_time', topScore: 'crossings_score', officer: 'crossings_officer', direction: 'crossings_direction', outcome: 'crossings_outcome',
};

/**
 * The index that reads least to find the first `want` crossings of an onDays plan (`cols`: its
 * column conditions) in a sort's order. Every index of crossings holds every filtered column, so
 * none reads the table; they differ in how many entries they read: the sort's own index in order
 * until `want` match (for time, only the range's entries), or the index of one tested column (or
 * the range of crossings_time) read whole and sorted unless it is already in time order. Counted
 * from crossing_days for the range (the matches, the range, each column alone) and crossings.seq
 * (all crossings).
 * '' (SQLite's choice) when nothing is filtered.
 */
function drivingIndex(db: DB, p: Plan, cols: Cond[], want: number, sort: CrossingSort): string {
  const best = drivingOptions(db, p, cols, want, sort)[0];
  return best ? `INDEXED BY ${best.index}` : '';
}

/** drivingIndex's options (index and estimated entries read), cheapest first; none when nothing is filtered. */
function drivingOptions(db: DB, p: Plan, cols: Cond[], want: number, sort: CrossingSort): { index: string; cost: number }[] {
  const ranged = Boolean(p.from || p.to);
  if (!cols.length && !ranged) return [];
  const day: Cond[] = [];
  if (p.from) day.push({ sql: () => 'c.day >= ?', args: [p.from.slice(0, 10)] });
  if (p.to) day.push({ sql: () => 'c.day <= ?', args: [p.to.slice(0, 10)] });
  const w = where(day, 'c', true);
  const all = cols.length ? cols.map((c) => onDaysSql(c, 'c')).join(' AND ') : '1';
  const counts = db.prepare(
    `SELECT coalesce(sum(c.n), 0) AS range, coalesce(sum(CASE WHEN ${all} THEN c.n END), 0) AS match
     ${cols.map((c, i) => `, coalesce(sum(CASE WHEN ${onDaysSql(c, 'c')} THEN c.n END), 0) AS x${i}`).join('')}
     FROM crossing_days c ${w.sql}`,
  ).get(...cols.flatMap((c) => c.args), ...cols.flatMap((c) => c.args), ...w.args) as Record<string, number>;
  const match = Math.max(1, counts.match!);
  // The sort's own index, in order, until `want` match (time: only the range; else every crossing: seq numbers them).
  const rows = sort === 'time' ? counts.range! : ((db.prepare('SELECT max(seq) FROM crossings').pluck().get() as number | null) ?? 0);
  const options = [{ index: SORT_INDEX[sort], cost: (want * rows) / match }];
  // A tested column's index: in time order itself (read until `want` match), else read whole and sorted.
  cols.forEach((c, i) => {
    const x = counts[`x${i}`]!;
    if (c.index) options.push({ index: c.index, cost: sort === 'time' ? (want * x) / match : x + match });
  });
  if (sort !== 'time' && ranged) options.push({ index: 'crossings_time', cost: counts.range! + match });
  options.sort((a, b) => a.cost - b.cost);
  return options;
}

/** The next UTC day (YYYY-MM-DD). */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The crossings of an onDays plan and scope arm ('own' or 'either') per UTC day (YYYY-MM-DD)
 * with at least one, in `order` of days: whole days from crossing_days, the partial days at the
 * ends of the range counted in crossings_time.
 */
function dayCounts(db: DB, p: Plan, arm: 'own' | 'either', order: 'asc' | 'desc'): { day: string; n: number }[] {
  const conds = [...p.cols];
  if (p.scope && arm === 'own') conds.push(scopeCond(p.scope, 'own', 'c', 'occurred_at'));
  const loDay = p.from?.slice(0, 10);
  const hiDay = p.to?.slice(0, 10);
  if (loDay) conds.push({ sql: () => 'c.day >= ?', args: [loDay] });
  if (hiDay) conds.push({ sql: () => 'c.day <= ?', args: [hiDay] });
  const w = where(conds, 'c', true);
  const days = db.prepare(`SELECT c.day, sum(c.n) AS n FROM crossing_days c ${w.sql} GROUP BY c.day ORDER BY c.day ${order === 'asc' ? 'ASC' : 'DESC'}`)
    .all(...w.args) as { day: string; n: number }[];
  // A day the range cuts: counted exactly.
  const partial = (day: string): boolean => (day === loDay && p.from !== `${day}T00:00:00.000Z`) || (day === hiDay && !p.to!.startsWith(`${day}T23:59:59.999`));
  const exact = (day: string): number => {
    const e = crossingsWhere(p, arm, day, nextDay(day));
    return db.prepare(`SELECT count(*) FROM crossings c INDEXED BY crossings_time ${e.sql}`).pluck().get(...e.args) as number;
  };
  return days.map((d) => (partial(d.day) ? { day: d.day, n: exact(d.day) } : d)).filter((d) => d.n > 0);
}

/** How many crossings match a plan without a name search. */
export function countOf(db: DB, p: Plan): number {
  if (onHits(p)) {
    const counted = hitCount(db, p);
    if (counted !== null) return counted;
    // DISTINCT on (time, id) in the index's order (a hit's crossing_at follows its crossing_id) streams
    // without the temporary b-tree that count(DISTINCT h.crossing_id) fills.
    const w = hitsWhere(p);
    return db.prepare(`SELECT count(*) FROM (SELECT DISTINCT h.crossing_at, h.crossing_id FROM hits h ${hitIndex(p)} ${w.sql})`).pluck().get(...w.args) as number;
  }
  if (!onDays(p)) {
    const w = crossingsWhere(p);
    return db.prepare(`SELECT count(*) FROM crossings c ${w.sql}`).pluck().get(...w.args) as number;
  }
  let n = dayCounts(db, p, p.scope ? 'own' : 'either', 'asc').reduce((s, d) => s + d.n, 0);
  if (p.scope) {
    // The other officers' crossings of the last 24 hours at the checkpoint: a short range of crossings_time.
    const w = crossingsWhere(p, 'recent');
    n += db.prepare(`SELECT count(*) FROM crossings c INDEXED BY crossings_time ${w.sql}`).pluck().get(...w.args) as number;
  }
  return n;
}

/** A page: sort, order, rows to skip and to return. */
export interface PageSpec {
  sort: CrossingSort;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** Pages deeper than this skip whole days first (time order, crossing filters only, no scope). */
const DEEP_PAGE = 2_000;

/** ORDER BY of a sort over `crossings c` (officer: users joined as `u`), or over recorded hits `h`. */
function orderBy(sort: CrossingSort, order: 'asc' | 'desc', a: 'c' | 'h'): string {
  const o = order === 'asc' ? 'ASC' : 'DESC';
  const tail = a === 'c' ? `c.occurred_at ${o}, c.id ${o}` : `h.crossing_at ${o}, h.crossing_id ${o}`;
  switch (sort) {
    case 'time': return `ORDER BY ${tail}`;
    case 'topScore': return `ORDER BY ${a}.top_score ${o}, ${tail}`;
    case 'officer': return `ORDER BY u.username COLLATE NOCASE ${o}, ${tail}`;
    case 'direction': return `ORDER BY ${a}.direction ${o}, ${tail}`;
    case 'outcome': return `ORDER BY ${a}.outcome ${o}, ${tail}`;
  }
}

/** The crossing ids of one page of a plan without a name search, in the page's order. */
export function pageIds(db: DB, p: Plan, page: PageSpec): string[] {
  const join = (a: string): string => (page.sort === 'officer' ? `JOIN users u ON u.id = ${a}.officer_id` : '');
  if (onHits(p)) {
    const grouped = hitGroupedPage(db, p, page);
    if (grouped) return grouped;
    const w = hitsWhere(p);
    // The first matching hits in the page's order: in time order an index in that order
    // (hitPageIndex) read until enough match, in another order a sort that keeps only the first
    // ones (not DISTINCT: a temporary b-tree of every match, several times slower). A crossing's
    // hits have its sort key, time and id, so they come together: kept once, and read further
    // (twice as far) while the page lacks rows only because of them.
    const want = page.offset + page.limit;
    const next = db.prepare(`SELECT h.crossing_id FROM hits h ${hitPageIndex(db, p, want, page.sort)} ${join('h')} ${w.sql} ${orderBy(page.sort, page.order, 'h')} LIMIT ?`).pluck();
    for (let n = want + Math.ceil(want / 8); ; n *= 2) {
      const rows = next.all(...w.args, n) as string[];
      const ids = rows.filter((id, i) => id !== rows[i - 1]);
      if (ids.length >= want || rows.length < n) return ids.slice(page.offset, want);
    }
  }
  if (p.scope && onDays(p)) {
    // An officer: their own crossings and the others' of the last 24 hours at the checkpoint, each
    // read in order up to the end of the page, merged.
    const want = page.offset + page.limit;
    const own = arm(db, { ...p, scope: null, cols: [...p.cols, { sql: (a) => `${a}.officer_id = ?`, args: [p.scope.me], index: 'crossings_officer' }] }, page, want, 'own');
    const recent = arm(db, p, page, want, 'recent');
    // Disjoint (the recent arm leaves out the officer's own); each in the page's order already.
    const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);
    const merged = [...own, ...recent].sort((a, b) => (page.order === 'asc' ? 1 : -1) * (cmp(a.k, b.k) || cmp(a.at, b.at) || cmp(a.id, b.id)));
    return merged.slice(page.offset, want).map((r) => r.id);
  }
  if (onDays(p) && page.sort in GROUPED && (p.cols.length || p.from || p.to || page.offset > DEEP_PAGE)) return groupedPage(db, p, page);
  if (page.sort === 'topScore' && onDays(p) && !p.cols.includes(SCORED) && !p.cols.includes(UNSCORED)) return scorePage(db, p, page);
  let offset = page.offset;
  let lo: string | undefined;
  let hi: string | undefined;
  if (page.sort === 'time' && onDays(p) && offset > DEEP_PAGE) {
    // Skip whole days by their counts: the page starts within the day where the offset falls.
    let skipped = 0;
    const day = dayCounts(db, p, 'either', page.order).find((d) => {
      if (skipped + d.n > offset) return true;
      skipped += d.n;
      return false;
    });
    if (!day) return [];
    offset -= skipped;
    if (page.order === 'desc') hi = nextDay(day.day);
    else lo = day.day;
  }
  const w = crossingsWhere(p, 'either', lo, hi);
  if (page.sort === 'topScore' && onDays(p)) {
    const options = drivingOptions(db, p, p.cols, offset + page.limit, page.sort);
    if (options[0]?.index === 'crossings_score' && options[1]) {
      // The score index in order is estimated as if the filters did not depend on the score; they
      // may (a flagged crossing has a hit, so no score of 0; held and referred follow confirmed
      // hits). Read it only as far as the next option would read in all, then take that option.
      const o = page.order === 'asc' ? 'ASC' : 'DESC';
      const bounded = db.prepare(
        `SELECT id FROM (SELECT x.id, x.occurred_at, x.top_score, x.direction, x.outcome, x.flagged, x.officer_id, x.checkpoint
           FROM crossings x INDEXED BY crossings_score ORDER BY x.top_score ${o}, x.occurred_at ${o}, x.id ${o} LIMIT ?) c
         ${w.sql} ${orderBy(page.sort, page.order, 'c')} LIMIT ? OFFSET ?`,
      ).pluck().all(Math.max(offset + page.limit, Math.ceil(options[1].cost)), ...w.args, page.limit, offset) as string[];
      if (bounded.length === page.limit) return bounded;
      return db.prepare(`SELECT c.id FROM crossings c INDEXED BY ${options[1].index} ${w.sql} ${orderBy(page.sort, page.order, 'c')} LIMIT ? OFFSET ?`)
        .pluck().all(...w.args, page.limit, offset) as string[];
    }
  }
  const hint = onDays(p) ? drivingIndex(db, p, p.cols, offset + page.limit, page.sort) : '';
  return db.prepare(`SELECT c.id FROM crossings c ${hint} ${join('c')} ${w.sql} ${orderBy(page.sort, page.order, 'c')} LIMIT ? OFFSET ?`)
    .pluck().all(...w.args, page.limit, offset) as string[];
}

/** Crossings whose screening had a hit (top_score above 0), and those without (crossing_days: `scored`, migration 11). */
const SCORED: Cond = { sql: (a) => `${a}.top_score > 0`, days: (a) => `${a}.scored = 1`, args: [] };
const UNSCORED: Cond = { sql: (a) => `${a}.top_score = 0`, days: (a) => `${a}.scored = 0`, args: [] };

/**
 * A page of an onDays plan (no scope) in top-score order, in two parts: the crossings with a hit
 * (by score, then time) and those without (score 0: in time order among themselves), the latter
 * last in descending order and first in ascending. The first part's size is counted from
 * crossing_days; a page past it is a page in time order of the second part (whose deep pages skip
 * whole days by their counts), so no page reads the score index up to a deep offset through the
 * crossings without a hit, which are most of them.
 */
function scorePage(db: DB, p: Plan, page: PageSpec): string[] {
  const [first, second] = page.order === 'desc' ? [SCORED, UNSCORED] : [UNSCORED, SCORED];
  const part = (c: Cond): Plan => ({ ...p, cols: [...p.cols, c] });
  const read = (c: Cond, offset: number, limit: number): string[] =>
    pageIds(db, part(c), { sort: c === UNSCORED ? 'time' : 'topScore', order: page.order, offset, limit });
  const inFirst = (): number => dayCounts(db, part(first), 'either', 'asc').reduce((n, d) => n + d.n, 0);
  // A page near the top is read from the first part, counted only when it ends on the page; a
  // deep one is placed by the count first (the score index would be read up to the offset).
  const counted = page.offset > DEEP_PAGE ? inFirst() : null;
  const out = counted === null || page.offset < counted ? read(first, page.offset, page.limit) : [];
  if (out.length === page.limit) return out;
  const skip = out.length ? 0 : Math.max(0, page.offset - (counted ?? inFirst()));
  out.push(...read(second, skip, page.limit - out.length));
  return out;
}

/** The sorts by a column of few values (its crossing_days column, and its index: that column, then time). */
const GROUPED: Partial<Record<CrossingSort, { col: string; index: string }>> = {
  direction: { col: 'direction', index: 'crossings_direction' },
  outcome: { col: 'outcome', index: 'crossings_outcome' },
  officer: { col: 'officer_id', index: 'crossings_officer' },
};

/**
 * How many crossings of an onDays plan (no scope) have each value of `col` (a crossing_days
 * column): whole days from crossing_days, the days the range cuts counted exactly in crossings_time.
 */
function valueCounts(db: DB, p: Plan, col: string): Map<string, number> {
  const loDay = p.from?.slice(0, 10);
  const hiDay = p.to?.slice(0, 10);
  const partial = new Set<string>();
  if (loDay && p.from !== `${loDay}T00:00:00.000Z`) partial.add(loDay);
  if (hiDay && !p.to!.startsWith(`${hiDay}T23:59:59.999`)) partial.add(hiDay);
  const conds = [...p.cols];
  if (loDay) conds.push({ sql: () => 'c.day >= ?', args: [loDay] });
  if (hiDay) conds.push({ sql: () => 'c.day <= ?', args: [hiDay] });
  for (const d of partial) conds.push({ sql: () => 'c.day <> ?', args: [d] });
  const w = where(conds, 'c', true);
  const out = new Map<string, number>();
  const add = (rows: { v: string; n: number }[]): void => {
    for (const r of rows) out.set(r.v, (out.get(r.v) ?? 0) + r.n);
  };
  add(db.prepare(`SELECT c.${col} AS v, sum(c.n) AS n FROM crossing_days c ${w.sql} GROUP BY c.${col}`).all(...w.args) as { v: string; n: number }[]);
  for (const d of partial) {
    const e = crossingsWhere(p, 'either', d, nextDay(d));
    add(db.prepare(`SELECT c.${col} AS v, count(*) AS n FROM crossings c INDEXED BY crossings_time ${e.sql} GROUP BY c.${col}`).all(...e.args) as { v: string; n: number }[]);
  }
  return out;
}

/**
 * A page of an onDays plan (no scope) sorted by direction, outcome or officer: the crossings
 * grouped by the sort's value (officer: by username, case-insensitive), each group in time order;
 * whole groups before the offset are skipped by their counts (valueCounts), and each group on the
 * page is read as a page in time order with its value as one more column condition (so its own
 * index seeks to the value and the range, instead of reading every other value's crossings).
 */
function groupedPage(db: DB, p: Plan, page: PageSpec): string[] {
  const by = GROUPED[page.sort]!;
  const counts = valueCounts(db, p, by.col);
  let groups: { values: string[]; n: number }[];
  if (page.sort === 'officer') {
    // In the order of ORDER BY u.username COLLATE NOCASE; usernames equal but for ASCII case make one group.
    const users = db.prepare('SELECT id, username FROM users ORDER BY username COLLATE NOCASE, id').all() as { id: string; username: string }[];
    const fold = (s: string): string => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
    groups = [];
    let key: string | null = null;
    for (const u of users) {
      const n = counts.get(u.id) ?? 0;
      if (key !== null && fold(u.username) === key) {
        const g = groups[groups.length - 1]!;
        g.values.push(u.id);
        g.n += n;
      } else groups.push({ values: [u.id], n });
      key = fold(u.username);
    }
  } else {
    // Codes (ASCII): JavaScript's order is SQLite's BINARY order.
    groups = [...counts.keys()].sort().map((v) => ({ values: [v], n: counts.get(v)! }));
  }
  if (page.order === 'desc') groups.reverse();
  const out: string[] = [];
  let skip = page.offset;
  for (const g of groups) {
    if (out.length >= page.limit) break;
    if (!g.n) continue;
    if (skip >= g.n) {
      skip -= g.n;
      continue;
    }
    const cond: Cond = g.values.length === 1
      ? { sql: (a) => `${a}.${by.col} = ?`, args: g.values, index: by.index }
      : { sql: (a) => `${a}.${by.col} IN (${g.values.map(() => '?').join(',')})`, args: g.values, index: by.index };
    out.push(...pageIds(db, { ...p, cols: [...p.cols, cond] }, { sort: 'time', order: page.order, offset: skip, limit: page.limit - out.length }));
    skip = 0;
  }
  return out;
}

/** A row of one arm of an officer's page: its id, time and sort key. */
interface ArmRow {
  id: string;
  at: string;
  k: string | number;
}

/** The first `want` rows of one arm of an officer's scope (own: a plan with the officer as a column; recent), in the page's order. */
function arm(db: DB, p: Plan, page: PageSpec, want: number, which: 'own' | 'recent'): ArmRow[] {
  const key = { time: "''", topScore: 'c.top_score', officer: 'lower(u.username)', direction: 'c.direction', outcome: 'c.outcome' }[page.sort];
  const join = page.sort === 'officer' ? 'JOIN users u ON u.id = c.officer_id' : '';
  const w = crossingsWhere(p, which === 'own' ? 'either' : 'recent');
  const hint = which === 'recent' ? 'INDEXED BY crossings_time' : drivingIndex(db, p, p.cols, want, page.sort);
  return db.prepare(`SELECT c.id, c.occurred_at AS at, ${key} AS k FROM crossings c ${hint} ${join} ${w.sql} ${orderBy(page.sort, page.order, 'c')} LIMIT ?`)
    .all(...w.args, want) as ArmRow[];
}

/**
 * Calls `fn` with the ids of every crossing of a plan without a name search, newest first (time,
 * then id), at most `batchSize` at a time, by keyset on (time, id): over crossings_time, or over
 * the recorded hits' copy of them when a list, band or decision is filtered (in the index
 * hitPageIndex picks for a batch).
 */
export function eachIdBatch(db: DB, p: Plan, batchSize: number, fn: (ids: string[]) => void): void {
  if (onHits(p)) {
    let after = { at: '\uffff', id: '' };
    const index = hitPageIndex(db, p, batchSize, 'time');
    for (;;) {
      const w = hitsWhere(p, { after });
      const rows = db.prepare(`SELECT DISTINCT h.crossing_id AS id, h.crossing_at AS at FROM hits h ${index} ${w.sql} ORDER BY h.crossing_at DESC, h.crossing_id DESC LIMIT ?`)
        .all(...w.args, batchSize) as { id: string; at: string }[];
      if (rows.length) fn(rows.map((r) => r.id));
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!;
    }
  }
  const w = crossingsWhere(p);
  const keyset = `${w.sql ? `${w.sql} AND` : 'WHERE'} (c.occurred_at, c.id) < (?, ?)`;
  const next = db.prepare(`SELECT c.id, c.occurred_at FROM crossings c ${p.document ? '' : 'INDEXED BY crossings_time'} ${keyset} ORDER BY c.occurred_at DESC, c.id DESC LIMIT ?`);
  let after = { occurred_at: '\uffff', id: '' };
  for (;;) {
    const rows = next.all(...w.args, after.occurred_at, after.id, batchSize) as { id: string; occurred_at: string }[];
    if (rows.length) fn(rows.map((r) => r.id));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!;
  }
}
