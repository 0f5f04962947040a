/**
 * The desk's outbox (DESIGN.md section 10; migration 0008): what waits to be pushed to the centre.
 * Triggers fill `central_outbox` once the desk has joined (the setting `central.deskId`); rows the
 * desk made before it joined are enqueued once by `enqueueBackfill`. push.ts sends the rows in
 * order and deletes them only after the centre committed them.
 */
import type { DB } from '../db/database';

/** What an outbox row names: a crossing (with its hits), a hit event, an audit row, a user. */
export type OutboxKind = 'crossing' | 'hit_event' | 'audit' | 'user';

/** One waiting row: `ref` is the crossing id, hit event id, audit seq (as text) or user id; `payload` a hit event's JSON snapshot. */
export interface OutboxRow {
  seq: number;
  kind: OutboxKind;
  ref: string;
  payload: string | null;
  created_at: string;
}

/** How much waits: the number of outbox rows and when the oldest was made (ISO UTC), null when none. */
export interface OutboxSummary {
  waiting: number;
  oldest: string | null;
}

/** The setting that records for which desk id the backfill was done (once per joining). */
const BACKFILLED_FOR = 'central.backfilledFor';

/** What waits in the outbox now. */
export function outboxSummary(db: DB): OutboxSummary {
  const r = db.prepare('SELECT count(*) AS n, min(created_at) AS oldest FROM central_outbox').get() as { n: number; oldest: string | null };
  return { waiting: r.n, oldest: r.oldest };
}

/** Counts of the rows `enqueueBackfill` put in the outbox. */
export interface BackfillResult {
  users: number;
  crossings: number;
  audit: number;
}

/**
 * Puts every user, crossing (oldest first) and audit row (by seq) the desk already has in the
 * outbox, once per joined desk id: a second call for the same `central.deskId` enqueues nothing,
 * and rows already waiting (put there by the triggers) are not enqueued again. Call it when the
 * desk joins, in the transaction that saves `central.deskId` or after it (never before: rows
 * recorded in between would be missed). Hit decisions made before joining travel in the hits'
 * state sent with their crossings. Returns the counts enqueued; all zero when the desk has not
 * joined (no `central.deskId`).
 */
export function enqueueBackfill(db: DB, now = new Date()): BackfillResult {
  return db.transaction((): BackfillResult => {
    const desk = db.prepare("SELECT value FROM settings WHERE key = 'central.deskId'").get() as { value: string } | undefined;
    const done = db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKFILLED_FOR) as { value: string } | undefined;
    if (!desk || done?.value === desk.value) return { users: 0, crossings: 0, audit: 0 };
    const at = now.toISOString();
    const users = db.prepare(
      `INSERT INTO central_outbox (kind, ref, created_at) SELECT 'user', u.id, ? FROM users u
       WHERE NOT EXISTS (SELECT 1 FROM central_outbox o WHERE o.kind = 'user' AND o.ref = u.id) ORDER BY u.created_at, u.id`,
    ).run(at).changes;
    const crossings = db.prepare(
      `INSERT INTO central_outbox (kind, ref, created_at) SELECT 'crossing', c.id, ? FROM crossings c
       WHERE NOT EXISTS (SELECT 1 FROM central_outbox o WHERE o.kind = 'crossing' AND o.ref = c.id) ORDER BY c.occurred_at, c.id`,
    ).run(at).changes;
    const audit = db.prepare(
      `INSERT INTO central_outbox (kind, ref, created_at) SELECT 'audit', CAST(a.seq AS TEXT), ? FROM audit a
       WHERE NOT EXISTS (SELECT 1 FROM central_outbox o WHERE o.kind = 'audit' AND o.ref = CAST(a.seq AS TEXT)) ORDER BY a.seq`,
    ).run(at).changes;
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(BACKFILLED_FOR, desk.value);
    return { users, crossings, audit };
  })();
}

/** The oldest `limit` outbox rows with seq at most `upTo`, in order. */
export function readOutbox(db: DB, limit: number, upTo = Number.MAX_SAFE_INTEGER): OutboxRow[] {
  return db.prepare('SELECT seq, kind, ref, payload, created_at FROM central_outbox WHERE seq <= ? ORDER BY seq LIMIT ?').all(upTo, limit) as OutboxRow[];
}

/** The newest outbox seq now (0 when empty). */
export function outboxHead(db: DB): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS s FROM central_outbox').get() as { s: number }).s;
}

/** Deletes the outbox rows with seq in [first, last] (a batch the centre committed). */
export function dropOutbox(db: DB, first: number, last: number): void {
  db.prepare('DELETE FROM central_outbox WHERE seq >= ? AND seq <= ?').run(first, last);
}
