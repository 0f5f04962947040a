/**
 * Pushing a desk's outbox to a real centre (issue 16, "desk sync"; central/push.ts): what a desk
 * recorded (crossings with their traveler, list versions and hits; corrections; audit rows;
 * accounts) arrives whole and once; a second push sends nothing; the centre's row-level security
 * refuses another checkpoint's rows and the outbox keeps them; and the link cut at random points
 * of a push at least 200 times (the desk's session killed, the server crashed and restarted, a
 * COMMIT's acknowledgement lost), each followed by retries until the outbox is empty, loses and
 * duplicates nothing. PUSH_SEED replays a run (the seed is printed).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, rowHash } from '../../electron/core/audit';
import { initCentral, registerDesk, type RegisteredDesk } from '../../electron/core/central/admin';
import { startCluster, stopCluster } from '../../electron/core/central/cluster';
import { connectCentral, type CentralTarget } from '../../electron/core/central/connect';
import { enqueueBackfill, outboxSummary, readOutbox } from '../../electron/core/central/outbox';
import { pushOutbox, type PushDesk, type PushResult } from '../../electron/core/central/push';
import { createDatabase, type DB } from '../../electron/core/db/database';
import { correctHit } from '../../electron/core/decisions';
import { recordCrossing } from '../../electron/core/screening';
import { mulberry32, type Rng } from '../rng';
import { settledClient, setUpEngine, syntheticCsv, tempDir } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';

let centre: TestCentre;

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Test immigration department', passphrase: 'department passphrase of the tests' });
});
afterAll(async () => {
  await centre?.stop();
});

/** The desk's own login, as registration gives it. */
const deskTarget = (d: RegisteredDesk): CentralTarget => ({ url: d.url, ca: centre.cluster.certificate });

async function withClient<T>(t: CentralTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectCentral(t);
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Joins a desk's database to the centre as registration does (the settings, then the backfill). */
function joinCentre(db: DB, d: RegisteredDesk): void {
  db.transaction(() => {
    const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    set.run('central.deskId', d.deskId);
    set.run('central.checkpointId', d.checkpointId);
    enqueueBackfill(db);
  })();
}

/** The rows of one desk at the centre (as its superuser). */
async function centralRows(deskId: string) {
  return withClient(centre.admin, async (c) => {
    const q = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => (await c.query<T>(sql, [deskId])).rows;
    return {
      crossings: await q<{ id: string; officer: string; traveler: unknown; list_versions: unknown; flagged: boolean; note: string | null; outcome: string; screening_id: string; occurred_at: Date }>(
        'SELECT * FROM wd.crossings WHERE desk_id = $1 ORDER BY id'),
      hits: await q<{ id: string; crossing_id: string; entry: Record<string, unknown> | null; decision: string; band: string; list_id: string | null; entry_id: string }>(
        'SELECT h.* FROM wd.hits h JOIN wd.crossings c ON c.id = h.crossing_id WHERE c.desk_id = $1 ORDER BY h.id'),
      hitEvents: await q<{ id: string; hit_id: string; kind: string; decision: string; note: string | null }>('SELECT * FROM wd.hit_events WHERE desk_id = $1 ORDER BY id'),
      audit: await q<{ seq: string; at: string; actor_id: string | null; action: string; subject: string | null; details: string; prev_hash: string; hash: string }>(
        'SELECT * FROM wd.audit_rows WHERE desk_id = $1 ORDER BY seq'),
      users: await q<{ user_id: string; username: string; roles: string }>('SELECT * FROM wd.desk_users WHERE desk_id = $1 ORDER BY user_id'),
      screeningsRepeated: Number((await q<{ n: string }>('SELECT count(*) - count(DISTINCT screening_id) AS n FROM wd.crossings WHERE desk_id = $1'))[0]!.n),
    };
  });
}

/** The desk's own rows, in the centre's terms (ids sorted). */
function deskRows(db: DB) {
  const ids = (sql: string) => (db.prepare(sql).all() as { id: string }[]).map((r) => r.id).sort();
  return {
    crossings: ids('SELECT id FROM crossings'),
    hits: ids('SELECT h.id FROM hits h JOIN crossings c ON c.screening_id = h.screening_id'),
    corrections: ids('SELECT id FROM hit_corrections'),
    audit: (db.prepare('SELECT seq, hash FROM audit ORDER BY seq').all() as { seq: number; hash: string }[]),
    users: ids('SELECT id FROM users'),
  };
}

/** Asserts that the centre holds exactly the desk's rows: nothing lost, nothing twice. */
async function expectCentreHasDesk(db: DB, deskId: string, decisionEvents = 0): Promise<Awaited<ReturnType<typeof centralRows>>> {
  const c = await centralRows(deskId);
  const d = deskRows(db);
  expect(c.crossings.map((r) => r.id)).toEqual(d.crossings);
  expect(c.screeningsRepeated).toBe(0);
  expect(c.hits.map((r) => r.id)).toEqual(d.hits);
  expect(c.audit.map((r) => [Number(r.seq), r.hash])).toEqual(d.audit.map((r) => [r.seq, r.hash]));
  expect(c.users.map((r) => r.user_id)).toEqual(d.users);
  expect(c.hitEvents.filter((e) => e.kind === 'correction').map((e) => e.id).sort()).toEqual(d.corrections);
  expect(c.hitEvents.filter((e) => e.kind === 'decision')).toHaveLength(decisionEvents);
  return c;
}

describe('a desk pushes to the centre', () => {
  it('sends what a real desk screened and recorded, whole: crossings, hits with their entry, corrections, audit rows, accounts; a second push sends nothing', async () => {
    const registered = await registerDesk(centre.admin, { deskName: 'Mae Sai 1', checkpoint: 'Mae Sai', timeZone: 'Asia/Bangkok' });
    const { engine, api: admin } = await setUpEngine();
    const db = engine.desk().db;
    await admin.call('users.create', { username: 'off.push', password: 'border desk shift 2', roles: ['officer'] });
    await admin.call('users.create', { username: 'sup.push', password: 'lists and versions 1', roles: ['supervisor'] });
    const officer = settledClient(engine);
    await officer.call('auth.signIn', { username: 'off.push', password: 'border desk shift 2' });
    const supervisor = settledClient(engine);
    await supervisor.call('auth.signIn', { username: 'sup.push', password: 'lists and versions 1' });
    await supervisor.call('watchlists.import', { listName: 'Police warrants', kind: 'wanted', fileName: 'w.csv', contentBase64: syntheticCsv(30) });

    /** Screens a traveler, clears every hit that needs a decision, records the crossing. */
    const cross = async (n: number, outcome: 'passed' | 'referred' = 'passed') => {
      const s = await officer.call('screening.screen', {
        traveler: { fullName: `TESTPERSON NUMBER${n}`, dateOfBirth: `${1950 + (n % 50)}-0${1 + (n % 9)}-1${n % 9}`, nationality: 'THA', documentNumber: `Q${n}000`, documentIssuer: 'THA' },
      });
      for (const h of s.hits.filter((x) => x.band === 'strong' || x.band === 'review')) {
        await officer.call('screening.decide', { hitId: h.hitId!, decision: 'not-same-person', note: `checked ${n}` });
      }
      const c = await officer.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome, note: `note ${n}` });
      return { screening: s, crossing: c };
    };
    const before = [await cross(1), await cross(2)];
    const nobody = await officer.call('screening.screen', { traveler: { fullName: 'Nobody Onthelist', nationality: 'LAO' } });
    await officer.call('crossings.record', { screeningId: nobody.screeningId, direction: 'exit', outcome: 'passed' });
    expect(before[0]!.screening.hits.length).toBeGreaterThan(0);

    joinCentre(db, registered);
    const after = [await cross(3, 'referred'), await cross(4)];
    const corrected = after[0]!.screening.hits[0]!;
    await supervisor.call('screening.correct', { hitId: corrected.hitId!, decision: 'confirmed', reason: 'the photo matches after all' });
    const aud = await admin.call('users.create', { username: 'aud.push', password: 'verify the chain 3', roles: ['auditor'] });
    const waiting = outboxSummary(db).waiting;
    expect(waiting).toBeGreaterThan(0);

    const desk: PushDesk = { deskId: registered.deskId, checkpointId: registered.checkpointId };
    const batches: number[] = [];
    const result = await withClient(deskTarget(registered), (c) => pushOutbox(db, c, desk, { batch: 7, onBatch: (n) => batches.push(n) }));
    const local = deskRows(db);
    expect(result).toEqual({
      crossings: local.crossings.length, hits: local.hits.length, hitEvents: 1, audit: local.audit.length, users: local.users.length, remaining: 0,
    });
    expect(batches.reduce((a, b) => a + b, 0)).toBe(waiting);
    expect(Math.max(...batches)).toBe(7);

    const c = await expectCentreHasDesk(db, registered.deskId);
    // Content as the desk has it.
    for (const { screening, crossing } of [...before, ...after]) {
      const row = c.crossings.find((x) => x.id === crossing.id)!;
      expect(row).toMatchObject({ officer: 'off.push', outcome: crossing.outcome, note: crossing.note, screening_id: screening.screeningId, flagged: crossing.flagged });
      expect(row.traveler).toEqual(crossing.traveler);
      expect(row.occurred_at.toISOString()).toBe(crossing.occurredAt);
      expect(row.list_versions).toEqual(JSON.parse((db.prepare('SELECT list_versions FROM screenings WHERE id = ?').get(screening.screeningId) as { list_versions: string }).list_versions));
      for (const h of screening.hits) {
        const hit = c.hits.find((x) => x.id === h.hitId)!;
        expect(hit.crossing_id).toBe(crossing.id);
        expect(hit.list_id).toBe(h.listId);
        expect(hit.entry_id).toBe(h.entry.id);
        expect(hit.entry).toEqual({ listName: 'Police warrants', listId: h.listId, listKind: 'wanted', externalId: h.entryId, name: h.entry.names[0]!.name, reference: h.entry.reference });
        expect(hit.decision).toBe(h.hitId === corrected.hitId ? 'confirmed' : h.band === 'weak' ? 'undecided' : 'not-same-person');
      }
    }
    expect(c.hitEvents).toEqual([expect.objectContaining({ hit_id: corrected.hitId, kind: 'correction', decision: 'confirmed', note: 'the photo matches after all' })]);
    expect(c.users.map((u) => u.username).sort()).toEqual(['admin', 'aud.push', 'off.push', 'sup.push']);
    // The chain as pushed still verifies with the desk's hash rule.
    let prev = '0'.repeat(64);
    for (const r of c.audit) {
      expect(r.prev_hash).toBe(prev);
      expect(rowHash({ seq: Number(r.seq), at: r.at, actor_id: r.actor_id, action: r.action, subject: r.subject, details: r.details, prev_hash: r.prev_hash })).toBe(r.hash);
      prev = r.hash;
    }

    // Nothing waits: a second push sends nothing.
    expect(await withClient(deskTarget(registered), (cl) => pushOutbox(db, cl, desk))).toEqual({ crossings: 0, hits: 0, hitEvents: 0, audit: 0, users: 0, remaining: 0 });
    // Everything resent (joined again under the same id, the backfill forced): accepted nowhere, nothing twice.
    db.prepare("DELETE FROM settings WHERE key = 'central.backfilledFor'").run();
    expect(enqueueBackfill(db).crossings).toBe(local.crossings.length);
    expect(await withClient(deskTarget(registered), (cl) => pushOutbox(db, cl, desk))).toEqual({ crossings: 0, hits: 0, hitEvents: 0, audit: 0, users: 0, remaining: 0 });
    await expectCentreHasDesk(db, registered.deskId);

    // An account changed later (other roles) reaches the centre's directory of the desk's accounts; unchanged ones are left alone.
    await admin.call('users.update', { userId: aud.id, roles: ['auditor', 'supervisor'] });
    expect((await withClient(deskTarget(registered), (cl) => pushOutbox(db, cl, desk))).users).toBe(1);
    const atCentre = (await centralRows(registered.deskId)).users.find((u) => u.user_id === aud.id)!;
    expect(atCentre.roles).toBe((db.prepare('SELECT roles FROM users WHERE id = ?').get(aud.id) as { roles: string }).roles);
    expect(JSON.parse(atCentre.roles)).toEqual(expect.arrayContaining(['auditor', 'supervisor']));
    engine.close();
  });

  it("is refused by the centre for another checkpoint's rows, and the outbox keeps them", async () => {
    const a = await registerDesk(centre.admin, { deskName: 'Chiang Khong 1', checkpoint: 'Chiang Khong', timeZone: 'Asia/Bangkok' });
    const b = await registerDesk(centre.admin, { deskName: 'Nong Khai 1', checkpoint: 'Nong Khai', timeZone: 'Asia/Bangkok' });
    const d = syntheticDesk(a);
    d.record(5);
    const waiting = outboxSummary(d.db).waiting;
    // Desk a's login claiming desk b's checkpoint, then b's desk id: row-level security refuses both.
    for (const claim of [{ deskId: a.deskId, checkpointId: b.checkpointId }, { deskId: b.deskId, checkpointId: b.checkpointId }]) {
      const e = await withClient(deskTarget(a), (c) => pushOutbox(d.db, c, claim)).then(() => null, (err: unknown) => err as { code?: string });
      expect(e?.code).toBe('42501'); // insufficient_privilege: new row violates row-level security policy
      expect(outboxSummary(d.db).waiting).toBe(waiting);
    }
    const r = await withClient(deskTarget(a), (c) => pushOutbox(d.db, c, d.desk));
    expect(r.crossings).toBe(5);
    await expectCentreHasDesk(d.db, a.deskId);
    d.db.close();
  });

  it('loses and duplicates nothing when the link is cut at random points of a push 200+ times', async () => {
    const seed = Number(process.env.PUSH_SEED ?? Math.floor(Math.random() * 2 ** 32));
    console.log(`push.test link cuts: PUSH_SEED=${seed}`);
    const rng: Rng = mulberry32(seed);
    const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
    const registered = await registerDesk(centre.admin, { deskName: 'Sadao 1', checkpoint: 'Sadao', timeZone: 'Asia/Bangkok' });
    const target = deskTarget(registered);
    const d = syntheticDesk(registered, rng);

    // A first load, pushed whole: the throughput of one desk.
    d.record(3000);
    const started = performance.now();
    const first = await withClient(target, (c) => pushOutbox(d.db, c, d.desk));
    const seconds = (performance.now() - started) / 1000;
    console.log(`push.test one desk: ${first.crossings} crossings (+${first.hits} hits, ${first.audit} audit rows) in ${seconds.toFixed(2)} s = ${Math.round(first.crossings / seconds)} crossings/s, ${Math.round((first.crossings + first.hits + first.audit + first.users) / seconds)} rows/s`);
    expect(first.crossings).toBe(3000);

    const dir = centre.cluster.dir;
    const port = centre.cluster.port;
    let adminClient = await connectCentral(centre.admin);
    /** Pushes until the outbox is empty (a new connection for each try); returns the tries. */
    const drain = async (): Promise<number> => {
      for (let tries = 1; tries <= 30; tries++) {
        try {
          const r = await withClient(target, (c) => pushOutbox(d.db, c, d.desk, { batch: int(5, 80) }));
          if (r.remaining === 0 && outboxSummary(d.db).waiting === 0) return tries;
        } catch {
          await new Promise((res) => setTimeout(res, 20));
        }
      }
      throw new Error('the outbox did not drain');
    };
    /** Runs one push over `client`, cut by `cut` after `delayMs`; true when the push was interrupted. */
    const cutPush = async (client: pg.ClientBase, delayMs: number, cut: () => Promise<void>): Promise<boolean> => {
      const push: Promise<PushResult | Error> = pushOutbox(d.db, client, d.desk, { batch: int(5, 60) }).catch((e: unknown) => e as Error);
      await new Promise((res) => setTimeout(res, delayMs));
      await cut();
      return (await push) instanceof Error;
    };

    const counts = { terminated: 0, crashed: 0, ackLost: 0, interrupted: 0, rounds: 0, offlineCrossings: 0, resentFound: 0 };
    const crashRounds = new Set([15, 60, 110, 160, 205]);
    let decisionEvents = 0;
    // At least 200 pushes cut while in flight (a cut that lands after the push ended does not count;
    // on a quiet machine a push often ends within the delay, so up to 800 rounds to get there).
    while (counts.interrupted < 200 && counts.rounds < 800) {
      const round = counts.rounds++;
      d.record(int(10, 40));
      if (rng() < 0.3) d.correctRandomHit();
      if (rng() < 0.1) decisionEvents += d.redecideRandomHit();
      if (rng() < 0.1) d.changeUser();
      if (crashRounds.has(round)) {
        // The server crashes mid-push; the desk works on offline meanwhile, then the server comes back.
        const client = await connectCentral(target);
        const hit = await cutPush(client, int(0, 40), () => stopCluster(dir, 'immediate'));
        await client.end().catch(() => undefined);
        await adminClient.end().catch(() => undefined);
        const offline = int(5, 20);
        d.record(offline);
        counts.offlineCrossings += offline;
        await expect(withClient(target, (c) => pushOutbox(d.db, c, d.desk))).rejects.toBeTruthy();
        await startCluster(dir, port);
        adminClient = await connectCentral(centre.admin);
        counts.crashed++;
        if (hit) counts.interrupted++;
      } else if (round % 25 === 7) {
        // The centre commits a batch but its acknowledgement never reaches the desk.
        const client = await connectCentral(target);
        const lossy = ackLostAfter(client, int(1, 3));
        const e = await pushOutbox(d.db, lossy, d.desk, { batch: int(5, 30) }).then(() => null, (err: unknown) => err);
        await client.end();
        if (e) {
          counts.ackLost++;
          counts.interrupted++;
          // The batch is at the centre and still in the outbox: the retry resends it, and the centre ignores it.
          const waitingRows = readOutbox(d.db, 100).filter((r) => r.kind === 'audit').map((r) => Number(r.ref));
          const there = await adminClient.query<{ n: string }>('SELECT count(*) AS n FROM wd.audit_rows WHERE desk_id = $1 AND seq = ANY($2::bigint[])', [registered.deskId, waitingRows]);
          if (Number(there.rows[0]!.n) > 0) counts.resentFound++;
        }
      } else {
        // The desk's session killed from the centre after a random delay.
        const client = await connectCentral(target);
        const hit = await cutPush(client, int(0, 30), async () => {
          await adminClient.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [registered.role]);
        });
        await client.end().catch(() => undefined);
        counts.terminated++;
        if (hit) counts.interrupted++;
      }
      await drain();
      expect(outboxSummary(d.db).waiting).toBe(0);
    }
    console.log(`push.test link cuts: ${JSON.stringify(counts)}`);
    await adminClient.end();
    const c = await expectCentreHasDesk(d.db, registered.deskId, decisionEvents);
    expect(counts.interrupted).toBeGreaterThanOrEqual(200);
    expect(counts.crashed).toBe(crashRounds.size);
    expect(counts.ackLost).toBeGreaterThan(3);
    expect(counts.resentFound).toBe(counts.ackLost);
    // Content survives the cuts: every crossing's traveler and every hit's decision as on the desk.
    const travelers = new Map((d.db.prepare('SELECT c.id, s.traveler FROM crossings c JOIN screenings s ON s.id = c.screening_id').all() as { id: string; traveler: string }[]).map((r) => [r.id, r.traveler]));
    for (const x of c.crossings) expect(x.traveler).toEqual(JSON.parse(travelers.get(x.id)!));
    d.db.close();
  }, 240_000);
});

/**
 * A client that passes queries through to `client`, but whose `n`-th COMMIT, once the centre has
 * done it, fails as if its acknowledgement were lost on the way back.
 */
function ackLostAfter(client: pg.Client, n: number): pg.ClientBase {
  let commits = 0;
  const query = async (text: string, params?: unknown[]) => {
    const r = await client.query(text, params);
    if (text === 'COMMIT' && ++commits === n) throw new Error('connection lost before the acknowledgement');
    return r;
  };
  return { query } as unknown as pg.ClientBase;
}

/**
 * A desk on a real encrypted database, made with the core functions (no engine, for speed): an
 * officer and a supervisor, a wanted list of 50 made-up entries; `record(n)` screens n made-up
 * travelers (a third with a hit cleared before the crossing, a third with a weak hit) and records
 * their crossings, in one transaction.
 */
function syntheticDesk(registered: RegisteredDesk, rng: Rng = Math.random) {
  const db = createDatabase(join(tempDir(), 'desk.db'), randomBytes(32));
  const officer = randomUUID();
  const supervisor = randomUUID();
  const at = new Date().toISOString();
  const user = db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', ?, ?)");
  user.run(officer, `off.${registered.deskName}`, '["officer"]', at);
  user.run(supervisor, `sup.${registered.deskName}`, '["supervisor"]', at);
  const listId = randomUUID();
  const versionId = randomUUID();
  db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by, active_version_id) VALUES (?, 'Made-up warrants', 'wanted', ?, ?, ?)").run(listId, at, supervisor, versionId);
  db.prepare(
    `INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by)
     VALUES (?, ?, 1, 'w.csv', 'aa', '{}', 50, 50, 0, 'published', ?, ?)`,
  ).run(versionId, listId, at, supervisor);
  const entries: string[] = [];
  const entry = db.prepare(
    `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents, reference)
     VALUES (?, ?, ?, ?, 'h', ?, '["THA"]', '[]', ?)`,
  );
  for (let i = 0; i < 50; i++) {
    const id = randomUUID();
    entries.push(id);
    entry.run(id, versionId, `W-${i}`, i + 2, JSON.stringify([{ name: `TESTPERSON NUMBER${i}`, kind: 'primary' }]), `REF/${i}`);
  }
  joinCentre(db, registered);
  const checkpoint = { name: registered.checkpoint, timeZone: 'Asia/Bangkok' };
  let n = 0;
  const insScreening = db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, ?, ?)');
  const insHit = db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, 'refer', ?, ?, ?)");
  const crossedHits = () => (db.prepare("SELECT h.id FROM hits h JOIN crossings c ON c.screening_id = h.screening_id WHERE h.decision <> 'undecided'").all() as { id: string }[]).map((r) => r.id);
  return {
    db,
    desk: { deskId: registered.deskId, checkpointId: registered.checkpointId },
    record(count: number): void {
      db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const k = n++;
          const now = new Date();
          const screeningId = randomUUID();
          insScreening.run(screeningId, now.toISOString(), officer, JSON.stringify({ fullName: `MADE UP TRAVELER ${k}`, documentNumber: `D${k}`, nationality: 'THA' }), JSON.stringify([versionId]));
          if (k % 3 === 0) {
            insHit.run(randomUUID(), screeningId, entries[k % 50], 0.81, 'review', JSON.stringify({ summary: `s${k}`, nameScore: 0.8 }), 'not-same-person', officer, now.toISOString());
          } else if (k % 3 === 1) {
            insHit.run(randomUUID(), screeningId, entries[k % 50], 0.55, 'weak', JSON.stringify({ summary: `w${k}` }), 'undecided', null, null);
          }
          appendAudit(db, { actorId: officer, action: 'screening', subject: screeningId }, now);
          recordCrossing(db, officer, screeningId, k % 2 ? 'entry' : 'exit', 'passed', k % 5 ? undefined : `note ${k}`, checkpoint, now);
        }
      })();
    },
    /** A supervisor's correction of a decided hit whose crossing is recorded. */
    correctRandomHit(): void {
      const hits = crossedHits();
      const id = hits[Math.floor(hits.length * rng())];
      if (!id) return;
      const h = db.prepare('SELECT decision FROM hits WHERE id = ?').get(id) as { decision: string };
      correctHit(db, supervisor, id, h.decision === 'confirmed' ? 'not-same-person' : 'confirmed', 'second look', new Date());
    },
    /** A decision changed on a crossed hit without a correction (as a future rule might); returns the events made (1). */
    redecideRandomHit(): number {
      const hits = crossedHits();
      const id = hits[Math.floor(hits.length * rng())];
      if (!id) return 0;
      db.prepare("UPDATE hits SET decision = CASE decision WHEN 'confirmed' THEN 'not-same-person' ELSE 'confirmed' END, decided_at = ? WHERE id = ?").run(new Date().toISOString(), id);
      return 1;
    },
    /** A new account, or an account given other roles. */
    changeUser(): void {
      db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', '[\"officer\"]', ?)").run(randomUUID(), `off.${randomUUID().slice(0, 8)}`, new Date().toISOString());
    },
  };
}
