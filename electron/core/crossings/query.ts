/**
 * The desk's crossings browser in the engine (issue 14): THE one place that turns a
 * `CrossingsFilter` (shared/contract.ts), a viewer, a time and the checkpoint's time zone into SQL.
 * crossings.list, crossings.get, the exports (forEachCrossing, countCrossings) and the CLI read
 * crossings through here, so that the filters and who sees what are the same everywhere.
 *
 * Who sees what (issue 14 "Who sees what", enforced here for every function): a viewer whose roles
 * include `supervisor` or `auditor` sees every crossing; anyone else (an officer) sees a crossing
 * only when they recorded it, or when it happened in the 24 hours before `now` at this desk's
 * checkpoint (its recorded name, case-insensitive). Out of scope is the same as absent.
 *
 * Filters (all optional, combined with AND; an empty text is no filter):
 * - `from`/`to`: inclusive local days in the checkpoint's time zone (`CrossingsContext.timeZone`);
 * - `checkpoint` (the name recorded on the crossing) case-insensitive; `officer` (a username,
 *   case-insensitive); `direction`; `outcome`; `flaggedOnly` (a hit at or above review when screened);
 * - `list` (a list id, or a list name, case-insensitive), `band`, `decision` (the hit's current
 *   decision, after any supervisor correction: decisions.ts correctHit updates `hits.decision`):
 *   a crossing matches when ONE of its hits meets all three;
 * - `document`: the passport number or the national ID, exact after normalization (upper case,
 *   letters and digits only: spaces, dashes, dots dropped), through an index of each;
 * - `name`: the traveler's name, by the matcher's normalization and name scoring (name-search.ts:
 *   how, NAME_FLOOR, NAME_CANDIDATES and what it cannot find).
 *
 * Sorts (CROSSING_SORTS): `time`, `topScore` (the best hit's score, 0 without hits), `officer`
 * (username, case-insensitive), `direction`, `outcome` (their codes, alphabetically), each in the
 * asked order with the time and then the id, in the same order, as the tie-break; with a name
 * search also `match` (best match first). Indexes (migration 0010) serve each filter and sort.
 */
import { createHash } from 'node:crypto';
import type { CrossingDetail, CrossingSort, CrossingsFilter, CrossingView, HitView, Traveler } from '../../../shared/contract';
import type { Band, Decision, Direction, ListKind, Outcome } from '../../../shared/domain';
import { reason } from '../../../shared/reasons';
import type { DB } from '../db/database';
import { correctionOf, hitView } from '../decisions';
import { NotFoundError } from '../errors';
import { searchByName } from './name-search';
import { countOf, crossingsWhere, eachIdBatch, pageIds, planOf, type Plan } from './plan';
import { documentSearchKey, travelerDisplayName } from './search-keys';

/** Who is asking: an officer-only viewer sees only what they recorded and the last 24 h at their checkpoint. */
export interface Viewer {
  /** The account's id (users.id). */
  userId: string;
  roles: readonly string[];
}

/** What every query needs besides the filter: the viewer, the checkpoint's time zone and name, and the time now. */
export interface CrossingsContext {
  viewer: Viewer;
  /** IANA time zone of the checkpoint: the filter's days are local days there. */
  timeZone: string;
  /** This desk's checkpoint name (an officer also sees its last 24 hours). */
  checkpoint: string;
  now: Date;
}

/** A page of crossings: the sort (with a name search also `match`), its order, and rows to skip and return. */
export interface CrossingsPage {
  sort: CrossingSort | 'match';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** One page of the crossings that match, with how many match in all. */
export interface CrossingsPageResult {
  total: number;
  offset: number;
  limit: number;
  crossings: CrossingView[];
}

/** How long an officer sees every crossing at their checkpoint, in ms. */
export const OFFICER_RECENT_MS = 24 * 60 * 60 * 1000;

/** Crossings per batch of forEachCrossing (each batch's hits are read at once). */
export const DEFAULT_BATCH = 500;

export { NAME_CANDIDATES, NAME_FLOOR } from './name-search';

/** True when the viewer sees every crossing (a supervisor or an auditor). */
export function seesAll(v: Viewer): boolean {
  return v.roles.includes('supervisor') || v.roles.includes('auditor');
}

function nonEmpty(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/** The filter and the viewer's scope as SQL pieces (plan.ts), or null when nothing can match. */
export function planFor(db: DB, f: CrossingsFilter, ctx: CrossingsContext): Plan | null {
  const scope = seesAll(ctx.viewer)
    ? null
    : { me: ctx.viewer.userId, checkpoint: ctx.checkpoint, since: new Date(ctx.now.getTime() - OFFICER_RECENT_MS).toISOString() };
  return planOf(db, f, ctx.timeZone, scope);
}

interface CrossingRow {
  id: string; screening_id: string; occurred_at: string; time_zone: string; checkpoint: string; direction: Direction;
  outcome: Outcome; flagged: number; note: string | null; username: string; traveler: string; purged_at: string | null;
}

interface HitRow {
  id: string; screening_id: string; score: number; band: Band; decision: Decision; note: string | null; decided_at: string | null;
  decided_by: string | null; list: string; list_kind: ListKind; external_id: string; listed_name: string | null; reference: string | null;
  corrected: number;
}

/**
 * The rowid of crossing `c`'s screening: its `screening_row` (migration 11) when that row still
 * holds the screening (VACUUM may renumber rowids), else found by the screening's id. By rowid, a
 * million crossings read their screenings in nearly the table's order instead of one random page
 * of the UUID index each (most of an export's time). `coalesce` evaluates the id lookup only when
 * the first is null.
 */
export const SCREENING_ROWID = `coalesce((SELECT x.rowid FROM screenings x WHERE x.rowid = c.screening_row AND x.id = c.screening_id),
  (SELECT x.rowid FROM screenings x WHERE x.id = c.screening_id))`;

const CROSSING_SELECT = `SELECT c.id, c.screening_id, c.occurred_at, c.time_zone, c.checkpoint, c.direction, c.outcome, c.flagged, c.note,
  u.username, s.traveler, s.purged_at
  FROM crossings c JOIN users u ON u.id = c.officer_id JOIN screenings s ON s.rowid = ${SCREENING_ROWID}`;

const HITS_SELECT = `SELECT h.id, h.screening_id, h.score, h.band, h.decision, h.note, h.decided_at, d.username AS decided_by,
  w.name AS list, w.kind AS list_kind, e.external_id, json_extract(e.names, '$[0].name') AS listed_name, e.reference,
  EXISTS (SELECT 1 FROM hit_corrections k WHERE k.hit_id = h.id) AS corrected
  FROM hits h JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id
  LEFT JOIN users d ON d.id = h.decided_by
  WHERE h.screening_id IN (SELECT value FROM json_each(?)) ORDER BY h.score DESC, h.id`;

function parseTraveler(json: string): Traveler {
  try {
    return JSON.parse(json) as Traveler;
  } catch {
    return {};
  }
}

/**
 * The crossings with these ids as the browser shows them (with their hits), in the order of
 * `ids`; ids that do not exist are left out. No scope check: for callers that decided already
 * that the caller may see them (recordCrossing's own crossing, the functions of this module).
 */
export function crossingsByIds(db: DB, ids: readonly string[], match?: ReadonlyMap<string, number>): CrossingView[] {
  if (!ids.length) return [];
  const rows = db.prepare(`${CROSSING_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as CrossingRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = db.prepare(HITS_SELECT).all(JSON.stringify(rows.map((r) => r.screening_id))) as HitRow[];
  const hitsOf = new Map<string, CrossingView['hits']>();
  for (const h of hits) {
    let list = hitsOf.get(h.screening_id);
    if (!list) hitsOf.set(h.screening_id, (list = []));
    list.push({
      hitId: h.id, list: h.list, listKind: h.list_kind, entryId: h.external_id, score: h.score, band: h.band, decision: h.decision,
      note: h.note, correction: h.corrected ? correctionOf(db, h.id) : null, listedName: h.listed_name ?? '', reference: h.reference,
      decidedBy: h.decision === 'undecided' ? null : h.decided_by, decidedAt: h.decision === 'undecided' ? null : h.decided_at,
    });
  }
  const out: CrossingView[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    const traveler = parseTraveler(r.traveler);
    out.push({
      id: r.id, occurredAt: r.occurred_at, timeZone: r.time_zone, checkpoint: r.checkpoint, direction: r.direction, outcome: r.outcome,
      officer: r.username, traveler, travelerName: travelerDisplayName(traveler), flagged: r.flagged === 1, hits: hitsOf.get(r.screening_id) ?? [],
      note: r.note, purged: r.purged_at !== null, match: match?.get(r.id) ?? null,
    });
  }
  return out;
}

/** The text of a name search as it is hashed for the audit (NFKC, lower case, spaces collapsed). */
function normalizedName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * What a search asked for, for the audit row `crossings.search` (DESIGN.md section 4: ids and
 * hashes, never names or numbers): the fields searched and the SHA-256 (hex) of their normalized
 * text (the name NFKC, lower case, spaces collapsed; the document as the index keys it), or null
 * when the filter searches neither.
 */
export function searchAudit(f: Pick<CrossingsFilter, 'name' | 'document'>): { fields: ('name' | 'document')[]; queryHash: string } | null {
  const name = nonEmpty(f.name);
  const document = nonEmpty(f.document);
  const fields: ('name' | 'document')[] = [];
  const parts: string[] = [];
  if (name) {
    fields.push('name');
    parts.push(`name:${normalizedName(name)}`);
  }
  if (document) {
    fields.push('document');
    parts.push(`document:${documentSearchKey(document) ?? ''}`);
  }
  if (!fields.length) return null;
  return { fields, queryHash: createHash('sha256').update(parts.join('\n')).digest('hex') };
}

/** What the sorts need of a crossing found by name. */
interface Found {
  seq: number;
  id: string;
  occurred_at: string;
  top_score: number;
  username: string;
  direction: string;
  outcome: string;
  match: number;
}

/** The crossings of a plan whose traveler's name matches (name-search.ts), with their sort fields. */
function foundByName(db: DB, p: Plan, name: string): Found[] {
  const hits = searchByName(db, name, crossingsWhere(p));
  if (!hits.length) return [];
  const score = new Map(hits.map((h) => [h.seq, h.score]));
  const rows = db.prepare(
    `SELECT c.seq, c.id, c.occurred_at, c.top_score, u.username, c.direction, c.outcome FROM crossings c JOIN users u ON u.id = c.officer_id
     WHERE c.seq IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(hits.map((h) => h.seq))) as Omit<Found, 'match'>[];
  return rows.map((r) => ({ ...r, match: score.get(r.seq) ?? 0 }));
}

/** Compares crossings found by name by a sort (the SQL sorts' order, in JS). */
function foundOrder(sort: CrossingSort | 'match', order: 'asc' | 'desc'): (a: Found, b: Found) => number {
  const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);
  const time = (a: Found, b: Found): number => cmp(a.occurred_at, b.occurred_at) || cmp(a.id, b.id);
  // Best match first whatever the order asked; newest first among equals.
  if (sort === 'match') return (a, b) => cmp(b.match, a.match) || -time(a, b);
  const key = (c: Found): string | number => {
    switch (sort) {
      case 'time': return '';
      case 'topScore': return c.top_score;
      case 'officer': return c.username.toLowerCase();
      case 'direction': return c.direction;
      case 'outcome': return c.outcome;
    }
  };
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => sign * (cmp(key(a), key(b)) || time(a, b));
}

/**
 * One page of the crossings that match `f` and that the viewer may see (crossings.list), sorted
 * by `page.sort` in `page.order` (ties by time, then id, in the same order), with the total.
 * With a name search (`f.name`) every row carries its match score, and `sort: 'match'` orders
 * best first (newest first among equals); the total is then at most NAME_CANDIDATES. Read in one
 * transaction (the total and the page agree). Throws RangeError for an unknown time zone.
 */
export function listCrossings(db: DB, f: CrossingsFilter, page: CrossingsPage, ctx: CrossingsContext): CrossingsPageResult {
  return db.transaction((): CrossingsPageResult => {
    const p = planFor(db, f, ctx);
    if (!p) return { total: 0, offset: page.offset, limit: page.limit, crossings: [] };
    if (p.name) {
      const found = foundByName(db, p, p.name).sort(foundOrder(page.sort, page.order));
      const shown = found.slice(page.offset, page.offset + page.limit);
      return {
        total: found.length, offset: page.offset, limit: page.limit,
        crossings: crossingsByIds(db, shown.map((c) => c.id), new Map(shown.map((c) => [c.id, c.match]))),
      };
    }
    const sorted = { ...page, sort: page.sort === 'match' ? 'time' as const : page.sort };
    return { total: countOf(db, p), offset: page.offset, limit: page.limit, crossings: crossingsByIds(db, pageIds(db, p, sorted)) };
  })();
}

/** How many crossings match `f` for this viewer (for an export's progress); with a name search at most NAME_CANDIDATES. */
export function countCrossings(db: DB, f: CrossingsFilter, ctx: CrossingsContext): number {
  const p = planFor(db, f, ctx);
  if (!p) return 0;
  return p.name ? foundByName(db, p, p.name).length : countOf(db, p);
}

/**
 * Every crossing that matches `f` and that the viewer may see, newest first (time, then id,
 * descending), handed to `fn` in batches of at most `batchSize` (hits included, read per batch);
 * returns how many. Pages by keyset on (occurred_at, id) (on the recorded hits' copy of them when
 * a list, band or decision is filtered), never holding more than a batch of crossings; reads in
 * the caller's transaction, if any (an export's snapshot). With a name search the matches (at
 * most NAME_CANDIDATES) are found first, then read in batches.
 */
export function forEachCrossing(db: DB, f: CrossingsFilter, ctx: CrossingsContext, fn: (batch: CrossingView[]) => void, batchSize = DEFAULT_BATCH): number {
  const p = planFor(db, f, ctx);
  if (!p) return 0;
  let n = 0;
  const emit = (ids: string[], match?: Map<string, number>): void => {
    if (!ids.length) return;
    fn(crossingsByIds(db, ids, match));
    n += ids.length;
  };
  if (p.name) {
    const found = foundByName(db, p, p.name).sort(foundOrder('time', 'desc'));
    for (let i = 0; i < found.length; i += batchSize) {
      const batch = found.slice(i, i + batchSize);
      emit(batch.map((c) => c.id), new Map(batch.map((c) => [c.id, c.match])));
    }
    return n;
  }
  eachIdBatch(db, p, batchSize, (ids) => emit(ids));
  return n;
}

/**
 * The ids of the crossings forEachCrossing hands over, in the same order, batches, filters and
 * scope, for a reader that reads the rows itself (export-read.ts); returns how many.
 */
export function forEachCrossingId(db: DB, f: CrossingsFilter, ctx: CrossingsContext, fn: (ids: string[]) => void, batchSize = DEFAULT_BATCH): number {
  const p = planFor(db, f, ctx);
  if (!p) return 0;
  let n = 0;
  const emit = (ids: string[]): void => {
    if (!ids.length) return;
    fn(ids);
    n += ids.length;
  };
  if (p.name) {
    const found = foundByName(db, p, p.name).sort(foundOrder('time', 'desc'));
    for (let i = 0; i < found.length; i += batchSize) emit(found.slice(i, i + batchSize).map((c) => c.id));
    return n;
  }
  eachIdBatch(db, p, batchSize, emit);
  return n;
}

/**
 * One crossing with everything about it (crossings.get): its traveler, note, every hit as the
 * desk shows it (decisions.ts hitView: listed entry, reference, score, band, explanation,
 * decision, note, who and when, correction), when it was screened and the list versions used.
 * Throws NotFoundError `crossing.notFound` when there is no such crossing or the viewer may not see it.
 */
export function crossingDetail(db: DB, id: string, ctx: CrossingsContext): CrossingDetail {
  return db.transaction((): CrossingDetail => {
    const w = crossingsWhere(planFor(db, { flaggedOnly: false }, ctx)!);
    const row = db.prepare(
      `SELECT c.screening_id, s.screened_at, s.list_versions FROM crossings c JOIN screenings s ON s.id = c.screening_id
       ${w.sql ? `${w.sql} AND` : 'WHERE'} c.id = ?`,
    ).get(...w.args, id) as { screening_id: string; screened_at: string; list_versions: string } | undefined;
    const view = row && crossingsByIds(db, [id])[0];
    if (!row || !view) throw new NotFoundError(reason('crossing.notFound'));
    const hits: HitView[] = view.hits.map((h) => hitView(db, h.hitId));
    let versionIds: unknown;
    try {
      versionIds = JSON.parse(row.list_versions);
    } catch {
      versionIds = [];
    }
    const listVersions = db.prepare(
      `SELECT w.id AS listId, w.name AS list, v.id AS versionId, v.number FROM list_versions v JOIN watchlists w ON w.id = v.list_id
       WHERE v.id IN (SELECT value FROM json_each(?)) ORDER BY w.name COLLATE NOCASE, v.number`,
    ).all(JSON.stringify(Array.isArray(versionIds) ? versionIds : [])) as CrossingDetail['listVersions'];
    return { ...view, hits, screenedAt: row.screened_at, screeningId: row.screening_id, listVersions };
  })();
}
