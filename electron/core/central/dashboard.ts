/**
 * The supervisors' dashboard counted at the centre (issue 16 "Department-wide work": "the crossings
 * browser, exports and dashboard work over the central store"; `central.dashboard` /
 * `central.dashboardExport`): the SAME DashboardView as the desk's (crossings/dashboard.ts), counted
 * by PostgreSQL over `wd.crossings`, `wd.hits`, `wd.hit_events`, `wd.checkpoints` and `wd.publications`.
 *
 * Who is counted is PostgreSQL's business, as in browse.ts: the queries name no checkpoint. An
 * auditing desk's login (a member of `wd_auditor`) is given every checkpoint's rows by the
 * `auditor_read` policies, any other desk's login only its own checkpoint's (`desk_read`); `scope`
 * reports which, as the database says (browse.ts scopeOf).
 *
 * What each count is built from at the centre (desks push no screening of its own, only crossings
 * with the screening they were recorded from, push.ts):
 * - days: each crossing's own local day at its checkpoint, `(t AT TIME ZONE wd.crossings.time_zone)::date`
 *   (PostgreSQL's zone rules: exact across DST changes and for half-hour zones); the range's
 *   default ("the last 30 days up to today") and its limits are the desk's (crossings/dashboard.ts
 *   dashboardRange, in this desk's time zone);
 * - `screenings`: screenings recorded as crossings (one per crossing), on the day they were screened
 *   (`screened_at`); a screening that led to no crossing never reaches the centre, so a desk's own
 *   dashboard can count more;
 * - `hits`, `byList`, `decisions`, `topEntries`: the hits of those screenings, on the day they were
 *   screened (as the desk counts them); the decision is the latest (the newest hit event when it is
 *   not older than the decision pushed with the hit, as browse.ts defines it); the list is the hit's
 *   `list_id` with the name and kind its desk recorded (the entry snapshot), the name published at
 *   the centre winning when there is one; an entry is its list and its own id (external id), with
 *   the listed name and reference of its most recently screened hit. A hit pushed with no entry
 *   snapshot (no list known) counts in `hits` only;
 * - `byList` also shows, with zero hits, every list whose latest publication at the centre is a
 *   publication (not a retirement); lists a desk imported itself appear only once they have hits;
 * - `crossings`, `flagged`, `byCheckpoint` (the checkpoint's name at the centre), `byDirection`,
 *   `outcomes`: the crossings, on the day they occurred (`occurred_at`).
 * Publications are read as the centre holds them (not signature-checked: names for counts, never
 * applied to screening).
 *
 * Cost: one REPEATABLE READ, READ ONLY transaction with three aggregate queries, grouped by day in
 * PostgreSQL (no round trip per day). The crossings are narrowed first by a coarse UTC window on
 * `occurred_at` (the `crossings_time_id` index, browse.ts crossingsWhere); the screenings by the
 * same window on `screened_at` (its index: centre migration 6).
 *
 * Not audited when viewed (counts, list names and listed entries, no traveler data), as the desk's;
 * the export is (`export.centralDashboard`, by the handler through Engine.deliver).
 */
import type pg from 'pg';
import type { DashboardView } from '../../../shared/contract';
import { DIRECTIONS, LIST_KINDS, OUTCOMES, type Band, type Decision, type Direction, type ListKind, type Outcome } from '../../../shared/domain';
import type { DB } from '../db/database';
import { cmp, dashboardRange, decisionRows, emptyTally, tally, TOP_ENTRIES, type DashboardRange, type HitTally } from '../crossings/dashboard';
import { atCentre, crossingsWhere, scopeOf, snapshot } from './browse';


/** The newest hit event of hit `h`, and whether it replaces the decision pushed with the hit (browse.ts). */
const LATEST_EVENT = `LEFT JOIN LATERAL (
    SELECT e.decision, e.at FROM wd.hit_events e WHERE e.hit_id = h.id ORDER BY e.at DESC, e.id DESC LIMIT 1
  ) ev ON true`;
const EVENT_WINS = '(ev.at IS NOT NULL AND (h.decided_at IS NULL OR ev.at >= h.decided_at))';

/**
 * The browser's own day filter over `wd.crossings c` (browse.ts crossingsWhere: a coarse UTC window
 * for the time index, then each crossing's local day), as $1 and $2 (its text does not depend on the
 * values, which are bound at each query).
 */
const DAYS_WHERE = crossingsWhere({ from: 'from', to: 'to' }).sql;

/**
 * The dashboard's queries (exported for the tests, which run them as different logins). Parameters:
 * $1 the first day, $2 the last day (inclusive, `YYYY-MM-DD`).
 */
export const CENTRAL_DASHBOARD_SQL = {
  /** Crossings by their local day, checkpoint, direction and outcome, with the flagged ones. */
  crossings: `SELECT to_char((c.occurred_at AT TIME ZONE c.time_zone)::date, 'YYYY-MM-DD') AS day, k.name AS checkpoint, c.direction, c.outcome,
      count(*)::int AS n, (count(*) FILTER (WHERE c.flagged))::int AS flagged
    FROM wd.crossings c JOIN wd.checkpoints k ON k.id = c.checkpoint_id
    ${DAYS_WHERE}
    GROUP BY 1, 2, 3, 4`,
  /**
   * The screenings (crossings by the local day they were screened) with their hits, in two grouping
   * sets: per day (`kind` 'day': screenings, hits) and per list, entry, band and latest decision
   * (`kind` 'hit', hits only, with the entry's listed name and reference and its latest screening).
   */
  screenings: `WITH s AS (
      SELECT c.id, (c.screened_at AT TIME ZONE c.time_zone)::date AS day, c.screened_at
      FROM wd.crossings c
      WHERE c.screened_at >= ($1::date::timestamp AT TIME ZONE 'UTC') - interval '15 hours'
        AND c.screened_at < (($2::date + 1)::timestamp AT TIME ZONE 'UTC') + interval '15 hours'
        AND (c.screened_at AT TIME ZONE c.time_zone)::date BETWEEN $1::date AND $2::date
    ), x AS (
      SELECT s.id AS screening, s.day, s.screened_at, h.id AS hit, h.list_id::text AS list_id, h.entry->>'listName' AS list_name,
        h.entry->>'listKind' AS list_kind, coalesce(h.entry->>'externalId', h.entry_id) AS entry_id, h.entry->>'name' AS listed_name,
        h.entry->>'reference' AS reference, h.band,
        CASE WHEN ${EVENT_WINS} THEN ev.decision ELSE h.decision END AS decision
      FROM s LEFT JOIN wd.hits h ON h.crossing_id = s.id ${LATEST_EVENT}
    )
    SELECT CASE WHEN grouping(day) = 0 THEN 'day' ELSE 'hit' END AS kind, to_char(day, 'YYYY-MM-DD') AS day,
      count(DISTINCT screening)::int AS screenings, count(hit)::int AS hits,
      list_id, list_name, list_kind, entry_id, listed_name, reference, band, decision, max(screened_at) AS last_at
    FROM x
    GROUP BY GROUPING SETS ((day), (list_id, list_name, list_kind, entry_id, listed_name, reference, band, decision))`,
  /** Lists published at the centre: each list's latest publication (a retirement ends it). */
  lists: `SELECT DISTINCT ON (p.list_id) p.list_id::text AS list_id, p.envelope::jsonb->>'listName' AS name,
      p.envelope::jsonb->>'kind' AS kind, p.envelope::jsonb->>'action' AS action
    FROM wd.publications p ORDER BY p.list_id, p.seq DESC`,
} as const;

interface CrossingGroup { day: string; checkpoint: string; direction: Direction; outcome: Outcome; n: number; flagged: number }
interface ScreeningGroup {
  kind: 'day' | 'hit'; day: string | null; screenings: number; hits: number;
  list_id: string | null; list_name: string | null; list_kind: string | null; entry_id: string | null;
  listed_name: string | null; reference: string | null; band: Band | null; decision: Decision | null; last_at: Date | null;
}
interface PublishedList { list_id: string; name: string | null; kind: string | null; action: string | null }

const asKind = (k: string | null): ListKind => (LIST_KINDS as readonly string[]).includes(k ?? '') ? (k as ListKind) : 'wanted';

/**
 * The dashboard over inclusive local days `from`..`to` (already checked: dashboardRange) as
 * `client`'s login may count it, in one REPEATABLE READ, READ ONLY transaction. `timeZone` is only
 * reported (`view.timeZone`: the desk's, which fixed the default range). Every day of the range
 * appears, with zeros. Rejects with node-postgres's error when the centre cannot be reached or
 * refuses (the caller maps it: sync.ts centralFailure).
 */
export async function centralDashboard(client: pg.ClientBase, days: { from: string; to: string; days: string[] }, timeZone: string): Promise<DashboardView> {
  const { from, to } = days;
  const read = await snapshot(client, async () => ({
    scope: await scopeOf(client),
    crossings: (await client.query<CrossingGroup>(CENTRAL_DASHBOARD_SQL.crossings, [from, to])).rows,
    screenings: (await client.query<ScreeningGroup>(CENTRAL_DASHBOARD_SQL.screenings, [from, to])).rows,
    lists: (await client.query<PublishedList>(CENTRAL_DASHBOARD_SQL.lists)).rows,
  }));

  const perDay = new Map(days.days.map((day) => [day, { day, screenings: 0, hits: 0, crossings: 0, flagged: 0 }]));
  const outcomes = new Map(days.days.map((day) => [day, { day, passed: 0, 'refused-entry': 0, held: 0, referred: 0 }]));
  const checkpoints = new Map<string, { crossings: number; flagged: number }>();
  const direction = new Map<Direction, { crossings: number; flagged: number }>(DIRECTIONS.map((d) => [d, { crossings: 0, flagged: 0 }]));
  for (const c of read.crossings) {
    const d = perDay.get(c.day);
    if (!d) continue; // outside the days asked: not reached (the WHERE clause)
    d.crossings += c.n;
    d.flagged += c.flagged;
    const o = outcomes.get(c.day)!;
    if ((OUTCOMES as readonly string[]).includes(c.outcome)) o[c.outcome] += c.n;
    const k = checkpoints.get(c.checkpoint) ?? { crossings: 0, flagged: 0 };
    k.crossings += c.n;
    k.flagged += c.flagged;
    checkpoints.set(c.checkpoint, k);
    const dir = direction.get(c.direction);
    if (dir) {
      dir.crossings += c.n;
      dir.flagged += c.flagged;
    }
  }

  /** Per list id: counts, and the names and kinds its hits carry (hits each), for the most common. */
  const byList = new Map<string, { listId: string; published: string | null; kind: ListKind | null; names: Map<string, number>; kinds: Map<string, number> } & HitTally>();
  const list = (id: string) => {
    let l = byList.get(id);
    if (!l) byList.set(id, (l = { listId: id, published: null, kind: null, names: new Map(), kinds: new Map(), ...emptyTally() }));
    return l;
  };
  for (const p of read.lists) {
    if (p.action !== 'publish' || !p.name) continue;
    const l = list(p.list_id);
    l.published = p.name;
    l.kind = asKind(p.kind);
  }
  const byBand = new Map<string, HitTally>();
  const byEntry = new Map<string, { listId: string; entryId: string; listedName: string | null; reference: string | null; lastAt: number } & HitTally>();
  for (const g of read.screenings) {
    if (g.kind === 'day') {
      const d = g.day ? perDay.get(g.day) : undefined;
      if (d) {
        d.screenings += g.screenings;
        d.hits += g.hits;
      }
      continue;
    }
    // A hit group: the screening without hits (no band) and hits with no list are not listed.
    if (!g.hits || !g.band || !g.decision || !g.list_id || !g.entry_id) continue;
    const l = list(g.list_id);
    tally(l, g.decision, g.hits);
    if (g.list_name) l.names.set(g.list_name, (l.names.get(g.list_name) ?? 0) + g.hits);
    if (g.list_kind) l.kinds.set(g.list_kind, (l.kinds.get(g.list_kind) ?? 0) + g.hits);
    const bk = `${g.list_id}\u0000${g.band}`;
    const b = byBand.get(bk) ?? emptyTally();
    tally(b, g.decision, g.hits);
    byBand.set(bk, b);
    const ek = `${g.list_id}\u0000${g.entry_id}`;
    let e = byEntry.get(ek);
    if (!e) byEntry.set(ek, (e = { listId: g.list_id, entryId: g.entry_id, listedName: null, reference: null, lastAt: -Infinity, ...emptyTally() }));
    tally(e, g.decision, g.hits);
    // The listed name and reference of the entry's most recently screened hit that still has them.
    const at = g.last_at?.getTime() ?? -Infinity;
    if (g.listed_name && at >= e.lastAt) {
      e.lastAt = at;
      e.listedName = g.listed_name;
      e.reference = g.reference;
    }
  }
  /** The most frequent of `m`'s keys (ties: code-unit order), or null. */
  const most = (m: Map<string, number>): string | null =>
    [...m].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0] ?? null;
  const lists = [...byList.values()].map((l) => ({
    listId: l.listId, list: l.published ?? most(l.names) ?? l.listId, kind: l.kind ?? asKind(most(l.kinds)),
    hits: l.hits, confirmed: l.confirmed, notSame: l.notSame, undecided: l.undecided,
  })).sort((a, b) => b.hits - a.hits || cmp(a.list, b.list) || cmp(a.listId, b.listId));
  const nameOf = new Map(lists.map((l) => [l.listId, l.list]));
  const decisions = decisionRows(lists, byBand);
  const topEntries = [...byEntry.values()]
    .map((e) => ({ ...e, list: nameOf.get(e.listId) ?? e.listId }))
    .sort((a, b) => b.hits - a.hits || b.confirmed - a.confirmed || cmp(a.list, b.list) || cmp(a.entryId, b.entryId))
    .slice(0, TOP_ENTRIES)
    .map((e) => ({ listId: e.listId, list: e.list, entryId: e.entryId, listedName: e.listedName ?? '', reference: e.reference, hits: e.hits, confirmed: e.confirmed }));

  return {
    from, to, timeZone,
    perDay: [...perDay.values()],
    byList: lists,
    byCheckpoint: [...checkpoints].map(([checkpoint, c]) => ({ checkpoint, ...c })).sort((a, b) => b.crossings - a.crossings || cmp(a.checkpoint, b.checkpoint)),
    byDirection: DIRECTIONS.map((d) => ({ direction: d, ...direction.get(d)! })),
    decisions,
    topEntries,
    outcomes: [...outcomes.values()],
    scope: read.scope,
  };
}

/** What counting at the centre needs of the open desk. */
export interface CentralDashboardDeps {
  db: DB;
  /** The desk's checkpoint time zone (IANA): it fixes "today" for the default range. */
  timeZone: string;
  now: () => Date;
}

/**
 * `central.dashboard`: the dashboard over `range` (inclusive local days; default: the last 30 days
 * up to today in the desk's time zone) counted at the centre as this desk's login may count it
 * (centralDashboard). Throws as crossings/dashboard.ts dashboardRange (BadInputError
 * `field.rangeReversed`, `dashboard.rangeTooLong`, `date.yearOutOfRange`) before connecting,
 * ConflictError `central.notJoined`, and the failures of sync.ts centralFailure (`central.unreachable`, ...).
 */
export async function dashboardAtCentre(deps: CentralDashboardDeps, range: DashboardRange): Promise<DashboardView> {
  const days = dashboardRange(range, deps.timeZone, deps.now());
  return atCentre(deps.db, (client) => centralDashboard(client, days, deps.timeZone));
}

/** The file name of a dashboard export made at the centre: `watchdesk-department-dashboard-<from>-<to>.xlsx` (or `checkpoint-`). */
export function centralDashboardFileName(view: Pick<DashboardView, 'from' | 'to' | 'scope'>): string {
  return `watchdesk-${view.scope === 'department' ? 'department' : 'checkpoint'}-dashboard-${view.from}-${view.to}.xlsx`;
}
