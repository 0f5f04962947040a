/**
 * Pushing the desk's outbox to the centre (DESIGN.md section 10; issue 16 "desk sync"): crossings
 * with their screening's traveler, list versions and hits, hit events, audit rows and accounts,
 * exactly once.
 *
 * - The outbox is sent in batches, oldest first; each batch is one PostgreSQL transaction with one
 *   multi-row INSERT per table (the rows travel as one JSON array, `jsonb_to_recordset`).
 * - Every row keeps its global id (the desk's UUIDs; audit rows: desk id, seq and hash, so that a desk
 *   restored from an older backup, whose chain goes on from the backup's seqs, loses none of its
 *   new rows: central/chains.ts) and every INSERT is
 *   `ON CONFLICT DO NOTHING`: a batch resent is ignored row for row. The one exception is the
 *   desk's directory of its accounts (`wd.desk_users`), whose name and roles follow the desk's
 *   (an upsert that changes nothing when they are unchanged).
 * - The batch's outbox rows are deleted on the desk only after the COMMIT succeeded. A link cut
 *   before the COMMIT leaves nothing at the centre (the transaction dies with the session); a
 *   COMMIT whose acknowledgement is lost leaves the rows at the centre and in the outbox, and the
 *   next push sends them again, to be ignored. Nothing recorded while offline is lost, since the
 *   outbox rows are written in the desk's own transactions (the triggers of migration 0008).
 * - Rows are read at push time: a crossing travels with its hits as they stand then (later
 *   decisions and corrections are hit events); retention never blanks a crossing still waiting.
 * Row-level security at the centre admits only rows of the desk's own desk id and checkpoint.
 */
import type pg from 'pg';
import type { DB } from '../db/database';
import { dropOutbox, outboxHead, outboxSummary, readOutbox, type OutboxRow } from './outbox';

/** The desk as the centre knows it (central.deskId, central.checkpointId). */
export interface PushDesk {
  deskId: string;
  checkpointId: string;
}

/** Rows newly accepted at the centre by one push (resent rows it already had are not counted), and what still waits. */
export interface PushResult {
  crossings: number;
  hits: number;
  hitEvents: number;
  audit: number;
  users: number;
  /** Outbox rows left on the desk after the push (rows made while it ran). */
  remaining: number;
}

/** Options of a push: outbox rows per batch (default 500), and a callback after each committed batch with its outbox row count. */
export interface PushOptions {
  batch?: number;
  onBatch?: (rows: number) => void;
}

/** Default outbox rows per batch. */
export const PUSH_BATCH = 500;

interface CrossingRow {
  id: string; occurred_at: string; time_zone: string; direction: string; outcome: string; officer_id: string; officer: string | null;
  flagged: number; note: string | null; screening_id: string; screened_at: string; traveler: string; list_versions: string; purged_at: string | null;
}
interface HitRow {
  id: string; crossing_id: string; entry_id: string; score: number; band: string; explanation: string; action: string; decision: string;
  note: string | null; decided_by: string | null; decided_at: string | null; approved_by: string | null; version_id: string | null;
  external_id: string | null; names: string | null; reference: string | null; list_id: string | null; list_name: string | null; list_kind: string | null;
}
interface AuditRow {
  seq: number; at: string; actor_id: string | null; action: string; subject: string | null; details: string; prev_hash: string; hash: string;
  signer: string | null; sig: string | null;
}
interface UserRow { id: string; username: string; roles: string }
interface HitEventPayload {
  hitId: string; kind: 'decision' | 'correction'; decision: string; note: string | null; actorId: string | null; at: string; details: unknown;
}

/** One batch, read from the desk and ready to send. */
interface Batch {
  crossings: Record<string, unknown>[];
  hits: Record<string, unknown>[];
  hitEvents: Record<string, unknown>[];
  audit: Record<string, unknown>[];
  users: Record<string, unknown>[];
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The listed person as the desk had them: list name, id and kind, external id, primary name, reference. */
function entrySnapshot(h: HitRow): Record<string, unknown> | null {
  if (h.external_id === null) return null;
  const names = (parseJson(h.names) ?? []) as { name?: string; kind?: string }[];
  const primary = names.find((n) => n.kind === 'primary') ?? names[0];
  return { listName: h.list_name, listId: h.list_id, listKind: h.list_kind, externalId: h.external_id, name: primary?.name ?? null, reference: h.reference };
}

/** Reads what a batch of outbox rows names, as the desk has it now. */
function readBatch(db: DB, rows: OutboxRow[]): Batch {
  const ids = (kind: OutboxRow['kind']) => JSON.stringify([...new Set(rows.filter((r) => r.kind === kind).map((r) => r.ref))]);
  const crossingIds = ids('crossing');
  const crossings = (db.prepare(
    `SELECT c.id, c.occurred_at, c.time_zone, c.direction, c.outcome, c.officer_id, u.username AS officer, c.flagged, c.note,
       c.screening_id, s.screened_at, s.traveler, s.list_versions, s.purged_at
     FROM crossings c JOIN screenings s ON s.id = c.screening_id LEFT JOIN users u ON u.id = c.officer_id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  ).all(crossingIds) as CrossingRow[]).map((c) => ({
    id: c.id, occurred_at: c.occurred_at, time_zone: c.time_zone, direction: c.direction, outcome: c.outcome, officer_id: c.officer_id,
    officer: c.officer, flagged: c.flagged === 1, note: c.note, screening_id: c.screening_id, screened_at: c.screened_at,
    traveler: parseJson(c.traveler), list_versions: parseJson(c.list_versions) ?? [], purged_at: c.purged_at,
  }));
  const hits = (db.prepare(
    `SELECT h.id, c.id AS crossing_id, h.entry_id, h.score, h.band, h.explanation, h.action, h.decision, h.note, h.decided_by, h.decided_at,
       h.approved_by, e.version_id, e.external_id, e.names, e.reference, v.list_id, w.name AS list_name, w.kind AS list_kind
     FROM crossings c JOIN hits h ON h.screening_id = c.screening_id LEFT JOIN entries e ON e.id = h.entry_id
     LEFT JOIN list_versions v ON v.id = e.version_id LEFT JOIN watchlists w ON w.id = v.list_id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  ).all(crossingIds) as HitRow[]).map((h) => ({
    id: h.id, crossing_id: h.crossing_id, list_id: h.list_id, list_version_id: h.version_id, entry_id: h.entry_id, entry: entrySnapshot(h),
    score: h.score, band: h.band, explanation: parseJson(h.explanation) ?? {}, action: h.action, decision: h.decision, note: h.note,
    decided_by: h.decided_by, decided_at: h.decided_at, approved_by: h.approved_by,
  }));
  const audit = (db.prepare(
    'SELECT seq, at, actor_id, action, subject, details, prev_hash, hash, signer, sig FROM audit WHERE seq IN (SELECT CAST(value AS INTEGER) FROM json_each(?))',
  ).all(ids('audit')) as AuditRow[]).map((a) => ({ ...a }));
  const users = (db.prepare('SELECT id, username, roles FROM users WHERE id IN (SELECT value FROM json_each(?))').all(ids('user')) as UserRow[])
    .map((u) => ({ user_id: u.id, username: u.username, roles: u.roles }));
  const seen = new Set<string>();
  const hitEvents: Record<string, unknown>[] = [];
  for (const r of rows) {
    if (r.kind !== 'hit_event' || seen.has(r.ref)) continue;
    seen.add(r.ref);
    const p = parseJson(r.payload) as HitEventPayload | null;
    if (!p) continue;
    hitEvents.push({ id: r.ref, hit_id: p.hitId, kind: p.kind, decision: p.decision, note: p.note, actor_id: p.actorId, at: p.at, details: p.details ?? {} });
  }
  return { crossings, hits, hitEvents, audit, users };
}

const INSERT_CROSSINGS = `INSERT INTO wd.crossings (id, desk_id, checkpoint_id, occurred_at, time_zone, direction, outcome, officer_id, officer,
    flagged, note, screening_id, screened_at, traveler, list_versions, purged_at)
  SELECT x.id, $2::uuid, $3::uuid, x.occurred_at, x.time_zone, x.direction, x.outcome, x.officer_id, x.officer, x.flagged, x.note, x.screening_id,
    x.screened_at, x.traveler, x.list_versions, x.purged_at
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, occurred_at timestamptz, time_zone text, direction text, outcome text, officer_id uuid,
    officer text, flagged boolean, note text, screening_id uuid, screened_at timestamptz, traveler jsonb, list_versions jsonb, purged_at timestamptz)
  ON CONFLICT (id) DO NOTHING`;

const INSERT_HITS = `INSERT INTO wd.hits (id, crossing_id, checkpoint_id, list_id, list_version_id, entry_id, entry, score, band, explanation,
    action, decision, note, decided_by, decided_at, approved_by)
  SELECT x.id, x.crossing_id, $2::uuid, x.list_id, x.list_version_id, x.entry_id, x.entry, x.score, x.band, x.explanation, x.action, x.decision,
    x.note, x.decided_by, x.decided_at, x.approved_by
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, crossing_id uuid, list_id uuid, list_version_id uuid, entry_id text, entry jsonb, score real,
    band text, explanation jsonb, action text, decision text, note text, decided_by uuid, decided_at timestamptz, approved_by uuid)
  ON CONFLICT (id) DO NOTHING`;

const INSERT_HIT_EVENTS = `INSERT INTO wd.hit_events (id, hit_id, checkpoint_id, desk_id, kind, decision, note, actor_id, at, details)
  SELECT x.id, x.hit_id, $3::uuid, $2::uuid, x.kind, x.decision, x.note, x.actor_id, x.at, x.details
  FROM jsonb_to_recordset($1::jsonb) AS x(id text, hit_id uuid, kind text, decision text, note text, actor_id uuid, at timestamptz, details jsonb)
  ON CONFLICT (id) DO NOTHING`;

const INSERT_AUDIT = `INSERT INTO wd.audit_rows (desk_id, seq, at, actor_id, action, subject, details, prev_hash, hash, signer, sig)
  SELECT $2::uuid, x.seq, x.at, x.actor_id, x.action, x.subject, x.details, x.prev_hash, x.hash, x.signer, x.sig
  FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, at text, actor_id text, action text, subject text, details text, prev_hash text,
    hash text, signer text, sig text)
  ON CONFLICT DO NOTHING`;

const INSERT_USERS = `INSERT INTO wd.desk_users (desk_id, user_id, username, roles)
  SELECT $2::uuid, x.user_id, x.username, x.roles FROM jsonb_to_recordset($1::jsonb) AS x(user_id uuid, username text, roles text)
  ON CONFLICT (desk_id, user_id) DO UPDATE SET username = EXCLUDED.username, roles = EXCLUDED.roles
  WHERE (wd.desk_users.username, wd.desk_users.roles) IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.roles)`;

/** Sends one batch inside the caller's transaction; returns the rows accepted per table. */
async function sendBatch(client: pg.ClientBase, b: Batch, desk: PushDesk): Promise<Omit<PushResult, 'remaining'>> {
  const run = async (sql: string, rows: Record<string, unknown>[], ...params: string[]): Promise<number> =>
    rows.length ? ((await client.query(sql, [JSON.stringify(rows), ...params])).rowCount ?? 0) : 0;
  const crossings = await run(INSERT_CROSSINGS, b.crossings, desk.deskId, desk.checkpointId);
  const hits = await run(INSERT_HITS, b.hits, desk.checkpointId);
  const hitEvents = await run(INSERT_HIT_EVENTS, b.hitEvents, desk.deskId, desk.checkpointId);
  const audit = await run(INSERT_AUDIT, b.audit, desk.deskId);
  const users = await run(INSERT_USERS, b.users, desk.deskId);
  return { crossings, hits, hitEvents, audit, users };
}

/**
 * Pushes the outbox to the centre over `client` (a connection as the desk's own role, e.g.
 * connectCentral), batch by batch until the rows waiting when it started are sent (rows made
 * meanwhile wait for the next push). Each batch is one transaction; its outbox rows are deleted
 * after the COMMIT succeeded. Returns the rows newly accepted. Rejects with node-postgres's error
 * when the link fails or the centre refuses a row (row-level security: a wrong desk id or
 * checkpoint); the batches committed before it stay pushed, and the batch in flight stays in the
 * outbox for the next push.
 */
export async function pushOutbox(db: DB, client: pg.ClientBase, desk: PushDesk, opts: PushOptions = {}): Promise<PushResult> {
  const size = Math.max(1, opts.batch ?? PUSH_BATCH);
  const upTo = outboxHead(db);
  const total: PushResult = { crossings: 0, hits: 0, hitEvents: 0, audit: 0, users: 0, remaining: 0 };
  for (;;) {
    const rows = readOutbox(db, size, upTo);
    if (!rows.length) break;
    const batch = readBatch(db, rows);
    await client.query('BEGIN');
    let sent: Omit<PushResult, 'remaining'>;
    try {
      sent = await sendBatch(client, batch, desk);
      await client.query('COMMIT');
    } catch (e) {
      // On a dead link this fails too; the server rolls the transaction back with the session.
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    dropOutbox(db, rows[0]!.seq, rows[rows.length - 1]!.seq);
    total.crossings += sent.crossings;
    total.hits += sent.hits;
    total.hitEvents += sent.hitEvents;
    total.audit += sent.audit;
    total.users += sent.users;
    opts.onBatch?.(rows.length);
  }
  total.remaining = outboxSummary(db).waiting;
  return total;
}
