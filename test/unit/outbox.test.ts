/**
 * The desk's outbox for the centre (issue 16; migration 0008, central/outbox.ts): the triggers fill
 * it only once the desk has joined, the backfill enqueues what the desk had before, once, the
 * local purge keeps a crossing whole while it waits, and a decision changed after the crossing
 * becomes a hit event (a supervisor's correction once, not twice).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/audit';
import { dropOutbox, enqueueBackfill, outboxSummary, readOutbox, type OutboxRow } from '../../electron/core/central/outbox';
import { migrate, type DB } from '../../electron/core/db/database';
import { correctHit } from '../../electron/core/decisions';
import { purgePersonalData } from '../../electron/core/retention';
import { recordCrossing } from '../../electron/core/screening';

const OFFICER = randomUUID();
const SUPERVISOR = randomUUID();
const T0 = new Date('2026-03-01T08:00:00Z');

/** A desk's database (plain SQLite in memory, the desk's schema) with two accounts and a wanted list of one entry. */
function desk(): { db: DB; entryId: string } {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const at = T0.toISOString();
  const user = db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', ?, ?)");
  user.run(OFFICER, 'off.test', '["officer"]', at);
  user.run(SUPERVISOR, 'sup.test', '["supervisor"]', at);
  const listId = randomUUID();
  const versionId = randomUUID();
  const entryId = randomUUID();
  db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, 'Test warrants', 'wanted', ?, ?)").run(listId, at, SUPERVISOR);
  db.prepare(
    `INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by)
     VALUES (?, ?, 1, 'w.csv', 'aa', '{}', 1, 1, 0, 'published', ?, ?)`,
  ).run(versionId, listId, at, SUPERVISOR);
  db.prepare(
    `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents)
     VALUES (?, ?, 'W-1', 2, 'h', '[{"name":"TESTPERSON ONE","kind":"primary"}]', '["THA"]', '[]')`,
  ).run(entryId, versionId);
  db.prepare("UPDATE watchlists SET active_version_id = ? WHERE id = ?").run(versionId, listId);
  return { db, entryId };
}

/** Stores a screening (with a review hit cleared by the officer when `hit`) and records its crossing; returns the ids. */
function screenAndCross(db: DB, entryId: string, hit: boolean, now = T0): { screeningId: string; hitId: string | null; crossingId: string } {
  const screeningId = randomUUID();
  const hitId = hit ? randomUUID() : null;
  db.transaction(() => {
    db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, ?, ?)').run(
      screeningId, now.toISOString(), OFFICER, JSON.stringify({ fullName: 'Made Up Traveler', documentNumber: 'X1' }), '[]',
    );
    if (hitId) {
      db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES (?, ?, ?, 0.8, 'review', '{}', 'refer')").run(hitId, screeningId, entryId);
      // Decided before the crossing: this travels in the hit's state, never as an event.
      db.prepare("UPDATE hits SET decision = 'not-same-person', decided_by = ?, decided_at = ? WHERE id = ?").run(OFFICER, now.toISOString(), hitId);
    }
    appendAudit(db, { actorId: OFFICER, action: 'screening', subject: screeningId }, now);
  })();
  const c = recordCrossing(db, OFFICER, screeningId, 'entry', 'passed', 'a note', { name: 'Test', timeZone: 'UTC' }, now);
  return { screeningId, hitId, crossingId: c.id };
}

function join(db: DB): void {
  db.prepare("INSERT INTO settings (key, value) VALUES ('central.deskId', ?)").run(randomUUID());
}

const all = (db: DB): OutboxRow[] => readOutbox(db, 1_000_000);
const refs = (db: DB, kind: OutboxRow['kind']): string[] => all(db).filter((r) => r.kind === kind).map((r) => r.ref);
const auditSeqs = (db: DB): string[] => (db.prepare('SELECT seq FROM audit ORDER BY seq').all() as { seq: number }[]).map((r) => String(r.seq));

describe('outbox triggers', () => {
  it('fill nothing before the desk joins; then every crossing, audit row and account change, in order', () => {
    const { db, entryId } = desk();
    screenAndCross(db, entryId, true);
    db.prepare("UPDATE users SET roles = '[\"officer\",\"auditor\"]' WHERE id = ?").run(OFFICER);
    expect(outboxSummary(db)).toEqual({ waiting: 0, oldest: null });

    join(db);
    const auditBefore = auditSeqs(db).length;
    const a = screenAndCross(db, entryId, false);
    const b = screenAndCross(db, entryId, true);
    expect(refs(db, 'crossing')).toEqual([a.crossingId, b.crossingId]);
    // screening + crossing.record for each.
    expect(refs(db, 'audit')).toEqual(auditSeqs(db).slice(auditBefore));
    expect(refs(db, 'audit')).toHaveLength(4);
    // A decision made before the crossing is no event.
    expect(refs(db, 'hit_event')).toEqual([]);

    // An account made, then changed twice while still waiting: one row.
    const newUser = randomUUID();
    db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, 'aud.test', 'x', '[\"auditor\"]', ?)").run(newUser, T0.toISOString());
    db.prepare("UPDATE users SET roles = '[\"auditor\",\"officer\"]' WHERE id = ?").run(newUser);
    db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(newUser);
    // A password change is no account change for the centre.
    db.prepare("UPDATE users SET password_hash = 'y' WHERE id = ?").run(OFFICER);
    expect(refs(db, 'user')).toEqual([newUser]);

    const rows = all(db);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((x, y) => x - y));
    expect(outboxSummary(db)).toEqual({ waiting: rows.length, oldest: rows[0]!.created_at });
    expect(rows[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a decision changed after the crossing makes one hit event; a correction makes one, not two', () => {
    const { db, entryId } = desk();
    join(db);
    const x = screenAndCross(db, entryId, true);
    const later = new Date(T0.getTime() + 60_000);
    db.prepare("UPDATE hits SET decision = 'confirmed', note = 'seen again', decided_by = ?, decided_at = ? WHERE id = ?").run(SUPERVISOR, later.toISOString(), x.hitId);
    let events = all(db).filter((r) => r.kind === 'hit_event');
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload!)).toEqual({
      hitId: x.hitId, kind: 'decision', decision: 'confirmed', note: 'seen again', actorId: SUPERVISOR, at: later.toISOString(),
      details: { previousDecision: 'not-same-person', approvedBy: null, repeatsHitId: null },
    });
    expect(events[0]!.ref).toMatch(/^[0-9a-f]{32}$/);
    // The same decision written again: no event.
    db.prepare("UPDATE hits SET decision = 'confirmed' WHERE id = ?").run(x.hitId);
    expect(all(db).filter((r) => r.kind === 'hit_event')).toHaveLength(1);

    const corrected = new Date(T0.getTime() + 120_000);
    const r = correctHit(db, SUPERVISOR, x.hitId!, 'not-same-person', 'documents checked again', corrected);
    expect(r.hit.decision).toBe('not-same-person');
    events = all(db).filter((e) => e.kind === 'hit_event');
    expect(events).toHaveLength(2);
    const correctionId = (db.prepare('SELECT id FROM hit_corrections WHERE hit_id = ?').get(x.hitId) as { id: string }).id;
    expect(events[1]!.ref).toBe(correctionId);
    expect(JSON.parse(events[1]!.payload!)).toMatchObject({
      hitId: x.hitId, kind: 'correction', decision: 'not-same-person', note: 'documents checked again', actorId: SUPERVISOR, at: corrected.toISOString(),
      details: { previousDecision: 'confirmed', previousNote: 'seen again', previousBy: SUPERVISOR, previousAt: later.toISOString() },
    });
  });

  it('a hit never crossed makes no decision event, and a desk not joined makes none at all', () => {
    const { db, entryId } = desk();
    const x = screenAndCross(db, entryId, true);
    db.prepare("UPDATE hits SET decision = 'confirmed' WHERE id = ?").run(x.hitId);
    expect(all(db)).toEqual([]);
    join(db);
    const s = randomUUID();
    const h = randomUUID();
    db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, '{}', '[]')").run(s, T0.toISOString(), OFFICER);
    db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES (?, ?, ?, 0.8, 'review', '{}', 'refer')").run(h, s, entryId);
    db.prepare("UPDATE hits SET decision = 'confirmed' WHERE id = ?").run(h);
    expect(refs(db, 'hit_event')).toEqual([]);
  });
});

describe('backfill at joining', () => {
  it('enqueues every account, crossing and audit row the desk had, once, beside what the triggers enqueued', () => {
    const { db, entryId } = desk();
    const before = [screenAndCross(db, entryId, true), screenAndCross(db, entryId, false)];
    expect(enqueueBackfill(db)).toEqual({ users: 0, crossings: 0, audit: 0 }); // not joined: nothing
    expect(all(db)).toEqual([]);

    join(db);
    const after = screenAndCross(db, entryId, false); // enqueued by the triggers
    const r = enqueueBackfill(db);
    expect(r).toEqual({ users: 2, crossings: 2, audit: 4 });
    expect(new Set(refs(db, 'crossing'))).toEqual(new Set([...before, after].map((x) => x.crossingId)));
    expect(refs(db, 'crossing')).toHaveLength(3);
    expect([...refs(db, 'audit')].sort((a, b) => Number(a) - Number(b))).toEqual(auditSeqs(db));
    expect(new Set(refs(db, 'user'))).toEqual(new Set([OFFICER, SUPERVISOR]));

    // Once per desk id: again, even after a push emptied the outbox, enqueues nothing.
    const rows = all(db);
    dropOutbox(db, rows[0]!.seq, rows[rows.length - 1]!.seq);
    expect(enqueueBackfill(db)).toEqual({ users: 0, crossings: 0, audit: 0 });
    expect(all(db)).toEqual([]);
    // Joined again as another desk (after a revocation): everything again.
    db.prepare("UPDATE settings SET value = ? WHERE key = 'central.deskId'").run(randomUUID());
    expect(enqueueBackfill(db).crossings).toBe(3);
  });
});

describe('local purge and the outbox', () => {
  it('keeps a crossing waiting in the outbox whole, and purges it once pushed', () => {
    const { db, entryId } = desk();
    const old = screenAndCross(db, entryId, true); // before joining: never waits
    join(db);
    const waiting = screenAndCross(db, entryId, true);
    const now = new Date(T0.getTime() + 40 * 86_400_000);
    const traveler = (id: string) => (db.prepare('SELECT traveler, purged_at FROM screenings WHERE id = ?').get(id) as { traveler: string; purged_at: string | null });
    const note = (id: string) => (db.prepare('SELECT note FROM crossings WHERE id = ?').get(id) as { note: string | null }).note;

    const first = purgePersonalData(db, SUPERVISOR, 30, now);
    expect(first).toMatchObject({ screenings: 1, crossings: 1 });
    expect(traveler(old.screeningId)).toMatchObject({ traveler: '{}' });
    expect(traveler(waiting.screeningId)).toEqual({ traveler: JSON.stringify({ fullName: 'Made Up Traveler', documentNumber: 'X1' }), purged_at: null });
    expect(note(waiting.crossingId)).toBe('a note');
    expect(refs(db, 'crossing')).toEqual([waiting.crossingId]);

    // Pushed: the next purge takes it.
    for (const r of all(db).filter((x) => x.kind === 'crossing')) dropOutbox(db, r.seq, r.seq);
    const second = purgePersonalData(db, SUPERVISOR, 30, now);
    expect(second).toMatchObject({ screenings: 1, crossings: 1 });
    expect(traveler(waiting.screeningId).traveler).toBe('{}');
    expect(note(waiting.crossingId)).toBeNull();
  });
});
