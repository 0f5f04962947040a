/**
 * The main story end to end, through the engine's handler table, against a real PostgreSQL
 * centre started by the test (issue 16): the centre is initialized; a publishing desk and two
 * checkpoint desks join it; the publisher imports a made-up list and publishes it; both checkpoint
 * desks sync and screen against it; the centre goes down and the desks keep screening and
 * recording crossings offline (each sync failing with a clear reason, nothing lost); the centre
 * comes back, the next sync pushes everything, and the centre holds every crossing exactly once; a
 * desk of checkpoint B reads none of checkpoint A's rows; every desk's audit chain verifies at the
 * centre; a retirement stops screening at the desks.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifyPublisher, initCentral, verifyDeskChains } from '../../electron/core/central/admin';
import { startCluster, stopCluster } from '../../electron/core/central/cluster';
import { connectCentral } from '../../electron/core/central/connect';
import { deskCentral } from '../../electron/core/central/desk-config';
import { fixture } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for desks';

let centre: TestCentre;
const desks: TestDesk[] = [];

/** Screens a made-up traveler and records a crossing; returns the crossing id. */
async function cross(d: TestDesk, name: string): Promise<string> {
  const s = await d.api.call('screening.screen', { traveler: { fullName: name } });
  // Hits that must be decided are confirmed (the made-up traveler is the listed one), and the traveler held.
  const must = s.hits.filter((h) => h.hitId && h.band !== 'weak');
  for (const h of must) await d.api.call('screening.decide', { hitId: h.hitId!, decision: 'confirmed' });
  return (await d.api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: must.length ? 'held' : 'passed' })).id;
}

function localCrossings(d: TestDesk): string[] {
  return (d.engine.requireDb().prepare('SELECT id FROM crossings ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}

const asAdmin = <T>(f: (c: pg.Client) => Promise<T>): Promise<T> => withCentral(centre.admin, f);
const joinDesk = (name: string, checkpoint: string, publisher: boolean) => joinTestDesk(centre, desks, name, checkpoint, { publisher });
const failure = callFailure;

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
}, 180_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('many desks, one department', () => {
  it('publishes once, syncs, screens and records offline, pushes on reconnect: every crossing at the centre once, each checkpoint its own', async () => {
    const hq = await joinDesk('HQ publisher', 'Headquarters', true);
    const a = await joinDesk('Gate A1', 'Checkpoint A', false);
    const b = await joinDesk('Gate B1', 'Checkpoint B', false);

    // The publisher's supervisor (the setup admin holds every role) gets the department's certificate.
    const key = (await hq.api.call('audit.keys', {})).keys.find((k) => k.username === 'admin' && k.revokedFrom === null)!;
    await certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'admin', publicKey: key.publicKey });

    // Import once at the publishing desk, publish at the centre.
    const imp = await hq.api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64') });
    expect(imp.published).toBe(true);
    const listId = (await hq.api.call('watchlists.list', {})).find((l) => l.name === 'Warrants')!.id;
    const pub = await hq.api.call('central.publish', { listId });
    expect(pub).toMatchObject({ listId, listName: 'Warrants', action: 'publish', seq: 1, entries: 5, signer: key.fingerprint });

    // Both checkpoint desks sync: the list arrives whole and screening finds its entries.
    for (const d of [a, b]) {
      expect((await d.api.call('central.status', {})).lastSyncAt).toBeNull();
      const r = await d.api.call('central.sync', {});
      expect(r).toMatchObject({ pulled: 1, refused: 0, waiting: 0, lists: [{ listId, listName: 'Warrants', seq: 1, entries: 5 }] });
      // The desk's rows from before it joined (setup, sign-in, the join itself) went up with it.
      expect(r.sent.audit).toBeGreaterThan(2);
      expect(r.sent.users).toBe(1);
      const st = await d.api.call('central.status', {});
      expect(st).toMatchObject({ joined: true, waiting: 0, offline: false, lastError: null });
      expect(st.lastSyncAt).not.toBeNull();
      const hit = await d.api.call('screening.screen', { traveler: { fullName: 'Sompong Thotsobdi', dateOfBirth: '1987-03-14' } });
      expect(hit.hits[0]).toMatchObject({ listId, band: 'strong' });
      // The screening's own audit row now waits for the next sync.
      expect((await d.api.call('central.status', {})).waiting).toBe(1);
    }

    // A first crossing each while online.
    const online = [await cross(a, 'Quxley Nobody'), await cross(b, 'Zorbin Testperson')];
    for (const d of [a, b]) expect((await d.api.call('central.sync', {})).sent.crossings).toBe(1);

    // The centre goes down: the desks screen and record on their own copies.
    await stopCluster(centre.cluster.dir, 'fast');
    const offlineA = [await cross(a, 'Sompong Thotsobdi'), await cross(a, 'Quxley Nobody Two'), await cross(a, 'Maneerat Tuayang')];
    const offlineB = [await cross(b, 'Zorbin Testperson Two'), await cross(b, 'Sompong Thotsobdi')];
    for (const d of [a, b]) {
      const e = await failure(d.api.call('central.sync', {}));
      expect(e.code).toBe('conflict');
      expect(e.reason).toBe('central.unreachable');
      expect(e.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|desk_/);
      const st = await d.api.call('central.status', {});
      expect(st.lastError?.reason).toBe('central.unreachable');
      expect(st.waiting).toBeGreaterThanOrEqual(d === a ? 3 : 2);
      const deskPassword = decodeURIComponent(new URL(deskCentral(d.engine.requireDb())!.target.url).password);
      expect(deskPassword.length).toBeGreaterThan(10);
      expect(JSON.stringify(st)).not.toContain(deskPassword);
    }

    // Back up: the next sync pushes what waited, and clears the error.
    await startCluster(centre.cluster.dir, centre.cluster.port);
    const pushedA = await a.api.call('central.sync', {});
    const pushedB = await b.api.call('central.sync', {});
    expect(pushedA).toMatchObject({ pulled: 0, waiting: 0 });
    expect(pushedA.sent.crossings).toBe(3);
    expect(pushedA.sent.hits).toBeGreaterThanOrEqual(1);
    expect(pushedB.sent.crossings).toBe(2);
    for (const d of [a, b]) expect(await d.api.call('central.status', {})).toMatchObject({ lastError: null, waiting: 0 });
    // Nothing more to send: a sync that moved nothing writes no audit row and leaves nothing waiting.
    const idle = await a.api.call('central.sync', {});
    expect(idle).toMatchObject({ pulled: 0, refused: 0, pushed: 0, waiting: 0 });

    // The centre holds every crossing of both desks, once each, under its own checkpoint.
    const held = await asAdmin((c) => c.query<{ id: string; desk: string; n: string }>(
      'SELECT c.id::text AS id, d.name AS desk, count(*) OVER (PARTITION BY c.id)::text AS n FROM wd.crossings c JOIN wd.desks d ON d.id = c.desk_id ORDER BY c.id',
    ));
    expect(held.rows.every((r) => r.n === '1')).toBe(true);
    expect(held.rows.filter((r) => r.desk === 'Gate A1').map((r) => r.id).sort()).toEqual(localCrossings(a));
    expect(held.rows.filter((r) => r.desk === 'Gate B1').map((r) => r.id).sort()).toEqual(localCrossings(b));
    expect(localCrossings(a)).toEqual([online[0]!, ...offlineA].sort());
    expect(localCrossings(b)).toEqual([online[1]!, ...offlineB].sort());

    // A desk of checkpoint B reads none of checkpoint A's rows: the database itself filters them.
    const seenByB = await (async () => {
      const c = await connectCentral(deskCentral(b.engine.requireDb())!.target);
      try {
        return {
          crossings: (await c.query<{ id: string }>('SELECT id::text AS id FROM wd.crossings')).rows.map((r) => r.id).sort(),
          hitsOfA: Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM wd.hits WHERE crossing_id = ANY($1::uuid[])', [localCrossings(a)])).rows[0]!.n),
          auditOfOthers: Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM wd.audit_rows WHERE desk_id <> wd.my_desk()')).rows[0]!.n),
        };
      } finally {
        await c.end();
      }
    })();
    expect(seenByB.crossings).toEqual(localCrossings(b));
    expect(seenByB.hitsOfA).toBe(0);
    expect(seenByB.auditOfOthers).toBe(0);

    // Every desk's audit chain, as pushed, verifies at the centre.
    const chains = await verifyDeskChains(centre.admin);
    for (const name of ['Gate A1', 'Gate B1', 'HQ publisher']) {
      const ch = chains.find((x) => x.deskName === name);
      expect(ch, name).toBeDefined();
      expect(ch!.ok, `${name}: ${ch!.message}`).toBe(true);
    }
    const central = await asAdmin((c) => c.query<{ name: string; n: string }>('SELECT d.name, count(*)::text AS n FROM wd.audit_rows r JOIN wd.desks d ON d.id = r.desk_id GROUP BY d.name'));
    for (const d of [a, b]) {
      const localRows = (d.engine.requireDb().prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
      expect(Number(central.rows.find((r) => r.name === d.name)!.n)).toBe(localRows);
    }

    // Retirement: the publisher retires the list; at the next sync the desks stop screening it.
    const ret = await hq.api.call('central.retire', { listId });
    expect(ret).toMatchObject({ action: 'retire', seq: 2 });
    const synced = await a.api.call('central.sync', {});
    expect(synced.pulled).toBe(1);
    const after = await a.api.call('screening.screen', { traveler: { fullName: 'Sompong Thotsobdi', dateOfBirth: '1987-03-14' } });
    expect(after.hits.filter((h) => h.listId === listId)).toEqual([]);
  }, 300_000);

  it('refuses publishing from a checkpoint desk (a supervisor, but not a publishing desk)', async () => {
    const c = desks.find((d) => d.name === 'Gate A1')!;
    const lists = await c.api.call('watchlists.list', {});
    const e = await failure(c.api.call('central.publish', { listId: lists[0]!.id }));
    expect(e).toMatchObject({ code: 'conflict', reason: 'central.notPublisher' });
  });
});
