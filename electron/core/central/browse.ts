/**
 * Department-wide reading of crossings at the centre (issue 16 "Department-wide work"; DESIGN.md
 * section 10): the crossings browser and its export over `wd.crossings`, `wd.hits`,
 * `wd.hit_events`, `wd.desk_users`, `wd.checkpoints` and `wd.desks`, for auditors and supervisors.
 *
 * Who sees what is PostgreSQL's business, not this module's: the query is the same for every
 * desk and names no checkpoint of its own. A desk whose login is a member of `wd_auditor` (an
 * auditing desk, registerDesk's `auditor`) is given every checkpoint's rows by the `auditor_read`
 * policies; any other desk's login is given only its own checkpoint's by `desk_read`
 * (`checkpoint_id = wd.my_checkpoint()`). `scope` reports which, as the database says
 * (`pg_has_role(..., 'wd_auditor', 'USAGE')`), not as the desk's settings claim.
 *
 * Filters (all optional, combined with AND; an empty text is no filter):
 * - `from`/`to`: inclusive local days in EACH CROSSING'S OWN time zone (`wd.crossings.time_zone`,
 *   its checkpoint's), so "1 March" is 1 March at every checkpoint; a coarse UTC window around
 *   the days (15 hours either side covers every zone) lets the time index narrow the scan first;
 * - `checkpoint` (name), `officer` (username as pushed), case-insensitive; `direction`, `outcome`, `flaggedOnly`;
 * - `list` (a list id, or the list's name as its desk recorded it in the hit's entry snapshot),
 *   `band`, `decision`: a crossing matches when one of its hits meets all three. `decision` is the
 *   hit's latest: the newest hit event (a decision or correction made after the crossing was
 *   pushed) when it is not older than the decision pushed with the hit, else that decision.
 * Newest first (`occurred_at` then id, descending). There is no search by traveler name.
 *
 * Each page is read in one REPEATABLE READ, READ ONLY transaction (the total and the rows agree).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type {
  CentralCrossingsResult, CentralCrossingView, CentralHitView, ExportResult, Traveler,
} from '../../../shared/contract';
import type { Band, Decision, Direction, Outcome } from '../../../shared/domain';
import { reason } from '../../../shared/reasons';
import { auditAnchor } from '../anchor';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { BadInputError, ConflictError } from '../errors';
import { writeTables, type CellValue } from '../spreadsheet/write';
import { connectCentral } from './connect';
import { deskCentral } from './desk-config';
import { centralFailure } from './sync';

/** Filters of the department's crossings (see the module comment). */
export interface CentralCrossingsFilter {
  /** Inclusive days YYYY-MM-DD, each in the crossing's own time zone. */
  from?: string;
  to?: string;
  checkpoint?: string;
  officer?: string;
  direction?: Direction;
  outcome?: Outcome;
  list?: string;
  band?: Band;
  decision?: Decision;
  flaggedOnly?: boolean;
}

/** A page: rows to skip and rows to return. */
export interface CentralPage {
  offset: number;
  limit: number;
}

/** Largest page `centralCrossings` returns. */
export const MAX_PAGE = 500;
/** Most crossings one export holds; a filter matching more is refused (`central.exportTooLarge`). */
export const MAX_EXPORT_ROWS = 100_000;
/** Rows read per round trip while exporting (keyset pages in the same snapshot). */
const EXPORT_BATCH = 2_000;

/** The newest hit event of hit `h` (LATERAL), and whether it replaces the decision pushed with the hit. */
const LATEST_EVENT = `LEFT JOIN LATERAL (
    SELECT e.decision, e.actor_id, e.at, e.desk_id FROM wd.hit_events e WHERE e.hit_id = h.id ORDER BY e.at DESC, e.id DESC LIMIT 1
  ) ev ON true`;
const EVENT_WINS = '(ev.at IS NOT NULL AND (h.decided_at IS NULL OR ev.at >= h.decided_at))';

/** A WHERE clause over `wd.crossings c` and its parameters (numbered from $1). */
export interface CrossingsWhere {
  sql: string;
  values: unknown[];
}

/**
 * The WHERE clause of `filter` over `wd.crossings c`. Pure; exported so that a test can run the
 * very same SQL as different logins and see row-level security, not this code, decide the scope.
 */
export function crossingsWhere(filter: CentralCrossingsFilter): CrossingsWhere {
  const values: unknown[] = [];
  const p = (v: unknown): string => `$${values.push(v)}`;
  const where: string[] = [];
  if (filter.from) {
    const d = p(filter.from);
    where.push(`c.occurred_at >= (${d}::date::timestamp AT TIME ZONE 'UTC') - interval '15 hours'`);
    where.push(`(c.occurred_at AT TIME ZONE c.time_zone)::date >= ${d}::date`);
  }
  if (filter.to) {
    const d = p(filter.to);
    where.push(`c.occurred_at < ((${d}::date + 1)::timestamp AT TIME ZONE 'UTC') + interval '15 hours'`);
    where.push(`(c.occurred_at AT TIME ZONE c.time_zone)::date <= ${d}::date`);
  }
  if (filter.checkpoint) where.push(`c.checkpoint_id IN (SELECT k.id FROM wd.checkpoints k WHERE lower(k.name) = lower(${p(filter.checkpoint)}))`);
  if (filter.officer) where.push(`lower(c.officer) = lower(${p(filter.officer)})`);
  if (filter.direction) where.push(`c.direction = ${p(filter.direction)}`);
  if (filter.outcome) where.push(`c.outcome = ${p(filter.outcome)}`);
  if (filter.flaggedOnly) where.push('c.flagged');
  const hit: string[] = [];
  if (filter.list) {
    const l = p(filter.list);
    hit.push(`(h.list_id::text = lower(${l}) OR lower(h.entry->>'listName') = lower(${l}))`);
  }
  if (filter.band) hit.push(`h.band = ${p(filter.band)}`);
  if (filter.decision) hit.push(`(CASE WHEN ${EVENT_WINS} THEN ev.decision ELSE h.decision END) = ${p(filter.decision)}`);
  if (hit.length) {
    where.push(`EXISTS (SELECT 1 FROM wd.hits h ${filter.decision ? LATEST_EVENT : ''} WHERE h.crossing_id = c.id AND ${hit.join(' AND ')})`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

interface CrossingRow {
  id: string;
  occurred_at: Date;
  time_zone: string;
  checkpoint: string;
  desk: string | null;
  direction: Direction;
  outcome: Outcome;
  officer: string | null;
  flagged: boolean;
  note: string | null;
  traveler: Traveler | null;
  purged_at: Date | null;
  /** occurred_at as the server prints it (full precision), for keyset paging. */
  at_key: string;
}

interface HitRow {
  id: string;
  crossing_id: string;
  list_id: string | null;
  entry_id: string;
  entry: { listName?: unknown; externalId?: unknown; name?: unknown; reference?: unknown } | null;
  score: number;
  band: Band;
  decision: Decision;
  decided_at: Date | null;
  decided_by: string | null;
}

/**
 * The crossings' columns: checkpoint and desk names (the desk's row is null for a desk that may
 * not see it), the officer as pushed (else its desk's account name).
 */
const CROSSING_COLUMNS = `c.id::text AS id, c.occurred_at, c.time_zone, k.name AS checkpoint, d.name AS desk, c.direction, c.outcome,
  coalesce(c.officer, (SELECT u.username FROM wd.desk_users u WHERE u.desk_id = c.desk_id AND u.user_id = c.officer_id)) AS officer,
  c.flagged, c.note, c.traveler, c.purged_at, c.occurred_at::text AS at_key
  FROM wd.crossings c JOIN wd.checkpoints k ON k.id = c.checkpoint_id LEFT JOIN wd.desks d ON d.id = c.desk_id`;

/** The hits of some crossings with their latest decision and who made it (their desk's name for the account first). */
const HITS_OF = `SELECT x.id, x.crossing_id, x.list_id, x.entry_id, x.entry, x.score, x.band, x.decision, x.decided_at,
    coalesce(
      (SELECT u.username FROM wd.desk_users u WHERE u.desk_id = x.decided_desk AND u.user_id = x.decided_by_id),
      (SELECT u.username FROM wd.desk_users u WHERE u.user_id = x.decided_by_id ORDER BY u.desk_id LIMIT 1)
    ) AS decided_by
  FROM (
    SELECT h.id::text AS id, h.crossing_id::text AS crossing_id, h.list_id::text AS list_id, h.entry_id, h.entry, h.score, h.band,
      CASE WHEN ${EVENT_WINS} THEN ev.decision ELSE h.decision END AS decision,
      CASE WHEN ${EVENT_WINS} THEN ev.at ELSE h.decided_at END AS decided_at,
      CASE WHEN ${EVENT_WINS} THEN ev.actor_id ELSE h.decided_by END AS decided_by_id,
      CASE WHEN ${EVENT_WINS} THEN ev.desk_id ELSE c.desk_id END AS decided_desk
    FROM wd.hits h JOIN wd.crossings c ON c.id = h.crossing_id ${LATEST_EVENT}
    WHERE h.crossing_id = ANY($1::uuid[])
  ) x
  ORDER BY x.score DESC, x.id`;

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function travelerName(t: Traveler | null): string | null {
  if (!t) return null;
  return t.fullName || [t.givenNames, t.surname].filter(Boolean).join(' ') || null;
}

/**
 * A hit as the API gives it: `entryId` is the list's own id of the entry (the external id in the
 * entry snapshot its desk pushed, push.ts entrySnapshot), as the desk's own hits show it; the
 * desk's internal entry UUID stays as `entryKey` (and is `entryId` only when no snapshot came).
 * The snapshot holds no source row, so none is shown.
 */
function hitView(h: HitRow): CentralHitView {
  return {
    hitId: h.id, listId: h.list_id, list: text(h.entry?.listName), entryId: text(h.entry?.externalId) ?? h.entry_id, entryKey: h.entry_id,
    listedName: text(h.entry?.name),
    reference: text(h.entry?.reference), score: Number(h.score), band: h.band, decision: h.decision,
    decidedBy: h.decided_by, decidedAt: h.decided_at?.toISOString() ?? null,
  };
}

/** The rows of a page with their hits (in the caller's transaction). */
async function withHits(client: pg.ClientBase, rows: CrossingRow[]): Promise<CentralCrossingView[]> {
  const hits = rows.length ? (await client.query<HitRow>(HITS_OF, [rows.map((r) => r.id)])).rows : [];
  const byCrossing = new Map<string, CentralHitView[]>();
  for (const h of hits) {
    const list = byCrossing.get(h.crossing_id) ?? [];
    list.push(hitView(h));
    byCrossing.set(h.crossing_id, list);
  }
  return rows.map((r) => ({
    id: r.id, occurredAt: r.occurred_at.toISOString(), timeZone: r.time_zone, checkpoint: r.checkpoint, desk: r.desk,
    direction: r.direction, outcome: r.outcome, officer: r.officer, travelerName: travelerName(r.traveler), traveler: r.traveler,
    flagged: r.flagged, note: r.note, purged: r.purged_at !== null, hits: byCrossing.get(r.id) ?? [],
  }));
}

/** Whether the database gives this login every checkpoint's rows (a member of `wd_auditor`, or a superuser). */
export async function scopeOf(client: pg.ClientBase): Promise<CentralCrossingsResult['scope']> {
  const r = await client.query<{ auditor: boolean }>("SELECT pg_has_role('wd_auditor', 'USAGE') AS auditor");
  return r.rows[0]?.auditor ? 'department' : 'checkpoint';
}

/** Checkpoint names the filter may name: every one for the department, else the login's own. */
async function checkpointNames(client: pg.ClientBase, scope: CentralCrossingsResult['scope']): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    scope === 'department' ? 'SELECT name FROM wd.checkpoints ORDER BY name' : 'SELECT name FROM wd.checkpoints WHERE id = wd.my_checkpoint() ORDER BY name',
  );
  return r.rows.map((x) => x.name);
}

/**
 * Refuses a `checkpoint` filter the login cannot meaningfully ask for, rather than answering with
 * no rows: BadInputError `central.unknownCheckpoint` (with the department's checkpoint names, from
 * `wd.checkpoints`, which every desk may read) when no checkpoint has that name (case-insensitive),
 * and `central.checkpointOutOfScope` (with the login's own) when the scope is 'checkpoint' and
 * another one is named. No filter, or an empty one, passes.
 */
async function checkCheckpoint(client: pg.ClientBase, scope: CentralCrossingsResult['scope'], checkpoint: string | undefined): Promise<void> {
  if (!checkpoint) return;
  const wanted = checkpoint.toLowerCase();
  const all = await checkpointNames(client, 'department');
  if (!all.some((n) => n.toLowerCase() === wanted)) throw new BadInputError(reason('central.unknownCheckpoint', { checkpoints: all.join(', ') }));
  if (scope === 'department') return;
  const own = await checkpointNames(client, scope);
  if (!own.some((n) => n.toLowerCase() === wanted)) throw new BadInputError(reason('central.checkpointOutOfScope', { own: own.join(', ') }));
}

/** Runs `fn` in a REPEATABLE READ, READ ONLY transaction on `client`. */
export async function snapshot<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

function checkedPage(page: CentralPage): CentralPage {
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(page.limit)));
  return { offset, limit };
}

/**
 * One page of the crossings `client`'s login may read that match `filter`, newest first, with the
 * total that match, the scope the database gave (see the module comment) and the checkpoint
 * names the filter may use. `page.limit` is clamped to 1..MAX_PAGE. Throws BadInputError
 * `central.unknownCheckpoint` / `central.checkpointOutOfScope` for a checkpoint filter it cannot
 * answer (checkCheckpoint). Rejects with node-postgres's
 * error when the centre cannot be reached or refuses (the caller maps it: sync.ts centralFailure).
 */
export async function centralCrossings(client: pg.ClientBase, filter: CentralCrossingsFilter, page: CentralPage): Promise<CentralCrossingsResult> {
  const { offset, limit } = checkedPage(page);
  const w = crossingsWhere(filter);
  return snapshot(client, async () => {
    const scope = await scopeOf(client);
    await checkCheckpoint(client, scope, filter.checkpoint);
    const total = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM wd.crossings c ${w.sql}`, w.values)).rows[0]?.n ?? 0);
    const n = w.values.length;
    const rows = (await client.query<CrossingRow>(
      `SELECT ${CROSSING_COLUMNS} ${w.sql} ORDER BY c.occurred_at DESC, c.id DESC OFFSET $${n + 1} LIMIT $${n + 2}`,
      [...w.values, offset, limit],
    )).rows;
    return { scope, total, offset, limit, crossings: await withHits(client, rows), checkpoints: await checkpointNames(client, scope) };
  });
}

/**
 * Every crossing `client`'s login may read that match `filter` (newest first), read in keyset
 * pages inside one snapshot. Throws BadInputError as centralCrossings for the checkpoint filter, and `central.exportTooLarge` when more than
 * `max` match (nothing is read then).
 */
export async function allCentralCrossings(
  client: pg.ClientBase, filter: CentralCrossingsFilter, max = MAX_EXPORT_ROWS,
): Promise<{ scope: CentralCrossingsResult['scope']; crossings: CentralCrossingView[] }> {
  const w = crossingsWhere(filter);
  return snapshot(client, async () => {
    const scope = await scopeOf(client);
    await checkCheckpoint(client, scope, filter.checkpoint);
    const total = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM wd.crossings c ${w.sql}`, w.values)).rows[0]?.n ?? 0);
    if (total > max) throw new BadInputError(reason('central.exportTooLarge', { count: total, maximum: max }));
    const out: CentralCrossingView[] = [];
    let after: { at: string; id: string } | null = null;
    const n = w.values.length;
    for (;;) {
      const keyset = after ? `${w.sql ? `${w.sql} AND` : 'WHERE'} (c.occurred_at, c.id) < ($${n + 2}::timestamptz, $${n + 3}::uuid)` : w.sql;
      const rows: CrossingRow[] = (await client.query<CrossingRow>(
        `SELECT ${CROSSING_COLUMNS} ${keyset} ORDER BY c.occurred_at DESC, c.id DESC LIMIT $${n + 1}`,
        after ? [...w.values, EXPORT_BATCH, after.at, after.id] : [...w.values, EXPORT_BATCH],
      )).rows;
      out.push(...await withHits(client, rows));
      if (rows.length < EXPORT_BATCH) break;
      const last = rows[rows.length - 1]!;
      after = { at: last.at_key, id: last.id };
    }
    return { scope, crossings: out };
  });
}

/** The filter as recorded in the desk's audit trail: the values given, nothing else (no traveler data ever). */
export function auditedFilter(filter: CentralCrossingsFilter): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === '' || v === false) continue;
    if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** What reading the centre needs of the open desk. */
export interface BrowseDeps {
  db: DB;
  /** The account reading (audited). */
  actorId: string;
  now: () => Date;
}

/** Connects as the desk's own login (ConflictError `central.notJoined` on a desk that never joined) and runs `fn`; failures as sync.ts centralFailure. */
export async function atCentre<T>(db: DB, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const desk = deskCentral(db);
  if (!desk) throw new ConflictError(reason('central.notJoined'));
  let client: pg.Client | null = null;
  try {
    client = await connectCentral(desk.target);
    return await fn(client);
  } catch (e) {
    throw centralFailure(e);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/**
 * `central.crossings`: one page of the department's crossings as this desk's login may read them
 * (centralCrossings), audited on the desk as `central.crossings` with the scope, the filter, the
 * page and the row counts (never a name read: "who looked", PDPA). Throws ConflictError
 * `central.notJoined`, and the failures of sync.ts centralFailure (`central.unreachable`, ...).
 */
export async function browseAtCentre(deps: BrowseDeps, filter: CentralCrossingsFilter, page: CentralPage): Promise<CentralCrossingsResult> {
  const r = await atCentre(deps.db, (client) => centralCrossings(client, filter, page));
  appendAudit(deps.db, {
    actorId: deps.actorId, action: 'central.crossings',
    details: { scope: r.scope, filter: auditedFilter(filter), offset: r.offset, limit: r.limit, total: r.total, rows: r.crossings.length },
  }, deps.now());
  return r;
}

const HEADER = [
  'Crossing ID', 'Time (UTC)', 'Local time', 'Time zone', 'Checkpoint', 'Desk', 'Direction', 'Outcome', 'Officer', 'Traveler',
  'Date of birth', 'Sex', 'Nationality', 'Document', 'Document issuer', 'Flagged', 'Hits', 'Top score', 'Decisions', 'Note', 'Purged',
];

function localTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
  } catch {
    return '';
  }
}

function hitLabel(h: CentralHitView): string {
  return `${h.list ?? h.listId ?? '?'}:${h.entryId}`;
}

function exportRow(c: CentralCrossingView): CellValue[] {
  const t = c.traveler;
  return [
    c.id, c.occurredAt, localTime(c.occurredAt, c.timeZone), c.timeZone, c.checkpoint, c.desk ?? '', c.direction, c.outcome, c.officer ?? '',
    c.travelerName ?? '', t?.dateOfBirth ?? '', t?.sex ?? '', t?.nationality ?? '', t?.documentNumber ?? '', t?.documentIssuer ?? '',
    c.flagged ? 'yes' : 'no',
    c.hits.map((h) => `${hitLabel(h)}${h.listedName ? ` ${h.listedName}` : ''}${h.reference ? ` [${h.reference}]` : ''} ${h.score.toFixed(2)} ${h.band}`).join('; '),
    c.hits[0]?.score ?? null,
    c.hits.map((h) => `${hitLabel(h)} ${h.decision}${h.decidedBy ? ` by ${h.decidedBy}` : ''}${h.decidedAt ? ` at ${h.decidedAt}` : ''}`).join('; '),
    c.note ?? '',
    c.purged ? 'yes' : 'no',
  ];
}

/**
 * The department's crossings that match `filter` as an xlsx or csv file (spreadsheet/write.ts:
 * formula-looking cells neutralized, the desk's audit anchor as the last sheet or block), with its
 * SHA-256 and row count. Not audited here: the caller hands it out and audits it once complete
 * (Engine.deliver). Throws as browseAtCentre, and BadInputError `central.exportTooLarge`.
 */
export async function exportFromCentre(
  deps: BrowseDeps, filter: CentralCrossingsFilter, format: 'xlsx' | 'csv',
): Promise<Omit<ExportResult, 'contentBase64'> & { content: Buffer; scope: CentralCrossingsResult['scope'] }> {
  const { scope, crossings } = await atCentre(deps.db, (client) => allCentralCrossings(client, filter));
  const now = deps.now();
  const rows = crossings.map(exportRow);
  const sheet = filter.flaggedOnly ? 'Flagged crossings' : 'Department crossings';
  const content = writeTables([{ sheet, header: HEADER, rows }], format, auditAnchor(deps.db, now));
  const sha256 = createHash('sha256').update(content).digest('hex');
  const fileName = `watchdesk-${scope === 'department' ? 'department' : 'checkpoint'}-${filter.flaggedOnly ? 'flagged-' : ''}crossings-${now.toISOString().slice(0, 10)}.${format}`;
  return { fileName, content, sha256, rows: rows.length, scope };
}
