/**
 * The centre's API methods on a desk, without a centre (issue 16): a desk that never joined says so
 * and refuses to sync with a clear reason; a joined desk whose centre cannot be reached records why
 * (a reason code, never the driver's message or the desk's password) and keeps working; the offline
 * warning; the role matrix of the four methods; the timer's calls do not keep an idle session alive.
 * The same methods against a real centre: test/central/desks.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { ApiCallError, createClient } from '../../shared/client';
import type { DB } from '../../electron/core/db/database';
import type { PullResult } from '../../electron/core/central/pull';
import { saveDeskCentral } from '../../electron/core/central/desk-config';
import { centralFailure, failureKind } from '../../electron/core/central/sync';
import { freePort } from '../../electron/core/central/cluster';
import { ConflictError } from '../../electron/core/errors';
import { fingerprint } from '../../electron/core/signing';
import { PASSWORD, setUpEngine } from './helpers';

/**
 * A stand-in centre for the tests that need a link that works and then fails at a chosen point:
 * while `fake.on`, connecting succeeds (a client that closes and reads no rows: no account revocations), the pull is `fake.pull` and the
 * push sends nothing. Otherwise the real modules run (and the centre is unreachable).
 */
const fake = vi.hoisted(() => ({ on: false, pull: (_db: unknown): Promise<unknown> => Promise.resolve({ applied: [], refused: [] }) }));
vi.mock('../../electron/core/central/connect', async (original) => {
  const m = await original<typeof import('../../electron/core/central/connect')>();
  return { ...m, connectCentral: (t: Parameters<typeof m.connectCentral>[0]) => (fake.on ? Promise.resolve({ end: () => Promise.resolve(), query: () => Promise.resolve({ rows: [] }) }) : m.connectCentral(t)) };
});
vi.mock('../../electron/core/central/pull', async (original) => {
  const m = await original<typeof import('../../electron/core/central/pull')>();
  return { ...m, pullPublications: (...a: Parameters<typeof m.pullPublications>) => (fake.on ? fake.pull(a[0]) : m.pullPublications(...a)) };
});
vi.mock('../../electron/core/central/push', async (original) => {
  const m = await original<typeof import('../../electron/core/central/push')>();
  return { ...m, pushOutbox: (...a: Parameters<typeof m.pushOutbox>) => (fake.on ? Promise.resolve({ crossings: 0, hits: 0, hitEvents: 0, audit: 0, users: 0, remaining: 0 }) : m.pushOutbox(...a)) };
});

const ROOT_KEY = Buffer.alloc(32, 7).toString('base64');
const DESK_PASSWORD = 'desk-secret-Zq9xW2';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function codeOf(p: Promise<unknown>): Promise<{ code: string; reason: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiCallError) return { code: e.code, reason: e.reason, message: e.message };
    throw e;
  }
  return { code: 'ok', reason: '', message: '' };
}

/** A desk joined to a centre at a local port nothing listens on. */
async function joinedDesk(opts: { publisher?: boolean; joinedAt?: Date; now?: () => Date } = {}) {
  const set = await setUpEngine(opts.now ? { now: opts.now } : {});
  const port = await freePort();
  saveDeskCentral(set.engine.requireDb(), {
    url: `postgres://desk_abc123:${DESK_PASSWORD}@127.0.0.1:${port}/watchdesk`, ca: CA,
    deskId: '11111111-2222-4333-8444-555555555555', deskName: 'Gate 3', checkpointId: '66666666-7777-4888-9999-000000000000',
    checkpointName: 'Mae Sai', rootKey: ROOT_KEY, publisher: opts.publisher ?? false, joinedAt: opts.joinedAt ?? new Date(),
  });
  return { ...set, port };
}

describe('a desk that never joined a centre', () => {
  it('says so in central.status, with nothing else, and shows no offline warning', async () => {
    const { engine, api } = await setUpEngine();
    const s = await api.call('central.status', {});
    expect(s).toMatchObject({ joined: false, deskName: null, url: null, rootFingerprint: null, lastSyncAt: null, waiting: 0, offline: false, lastError: null });
    engine.close();
  });

  it('refuses central.sync with central.notJoined for every role, and central.publish for a supervisor', async () => {
    const { engine, api } = await setUpEngine();
    await api.call('users.create', { username: 'officer1', password: 'officer pass 22', roles: ['officer'] });
    const officer = createClient((r) => engine.handle(r));
    await officer.call('auth.signIn', { username: 'officer1', password: 'officer pass 22' });
    for (const client of [api, officer]) {
      const r = await codeOf(client.call('central.sync', {}));
      expect(r).toMatchObject({ code: 'conflict', reason: 'central.notJoined' });
      expect(r.message).toMatch(/has not joined a centre/);
    }
    expect(await codeOf(api.call('central.publish', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }))).toMatchObject({ code: 'conflict', reason: 'central.notJoined' });
    // An officer may not publish at all.
    expect(await codeOf(officer.call('central.publish', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }))).toMatchObject({ code: 'forbidden' });
    expect(await codeOf(officer.call('central.retire', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }))).toMatchObject({ code: 'forbidden' });
    // Nothing about the centre was written on this desk.
    const rows = engine.requireDb().prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'central.%'").get() as { n: number };
    expect(rows.n).toBe(0);
    engine.close();
  });
});

describe('a joined desk whose centre cannot be reached', () => {
  it('refuses the sync with central.unreachable, records the reason code only, and keeps the password out of everything it shows', async () => {
    const { engine, api } = await joinedDesk();
    const r = await codeOf(api.call('central.sync', {}));
    expect(r).toMatchObject({ code: 'conflict', reason: 'central.unreachable' });
    expect(r.message).not.toContain(DESK_PASSWORD);
    expect(r.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|desk_abc123/);
    const s = await api.call('central.status', {});
    expect(s).toMatchObject({ joined: true, deskName: 'Gate 3', checkpoint: 'Mae Sai', publisher: false, lastSyncAt: null, offline: false });
    expect(s.lastError).toMatchObject({ reason: 'central.unreachable' });
    expect(s.url).toMatch(/^postgres:\/\/desk_abc123@127\.0\.0\.1:\d+\/watchdesk$/);
    expect(JSON.stringify(s)).not.toContain(DESK_PASSWORD);
    expect(s.rootFingerprint).toBe(fingerprint(ROOT_KEY));
    const stored = engine.requireDb().prepare("SELECT value FROM settings WHERE key = 'central.lastError'").get() as { value: string };
    expect(stored.value).toBe('central.unreachable');
    // The desk keeps working: screening needs nothing from the centre.
    expect((await api.call('watchlists.list', {})).length).toBe(0);
    engine.close();
  });

  it('refuses another address with a user or password in it, before connecting anywhere', async () => {
    const { engine, api } = await joinedDesk();
    for (const url of ['postgres://someone:pw@127.0.0.1:5432/watchdesk', 'http://127.0.0.1/', 'not a url']) {
      expect(await codeOf(api.call('central.sync', { url }))).toMatchObject({ code: 'bad_input', reason: 'central.badUrl' });
    }
    engine.close();
  });

  it('warns once the last completed sync (or, never synced, the joining) is older than the offline limit', async () => {
    let now = new Date('2026-03-01T08:00:00Z');
    const { engine, api } = await joinedDesk({ now: () => now, joinedAt: new Date('2026-02-27T08:00:00Z') });
    // Never synced, joined two days ago: offline past the default 24 h.
    expect(await api.call('central.status', {})).toMatchObject({ offline: true, offlineLimitHours: 24, lastSyncAt: null });
    const db = engine.requireDb();
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    put.run('central.lastPullAt', '2026-03-01T07:00:00.000Z');
    put.run('central.lastPushAt', '2026-03-01T07:00:01.000Z');
    expect(await api.call('central.status', {})).toMatchObject({ offline: false, lastSyncAt: '2026-03-01T07:00:00.000Z' });
    // A pull that completed without its push: the older of the two is the last complete sync.
    put.run('central.lastPullAt', '2026-03-01T07:59:00.000Z');
    expect((await api.call('central.status', {})).lastSyncAt).toBe('2026-03-01T07:00:01.000Z');
    now = new Date('2026-03-02T07:10:00Z');
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect((await api.call('central.status', {})).offline).toBe(true);
    // The limit is an admin's desk setting (settings.update; `watchdesk settings --offline-limit-hours`), audited.
    expect((await api.call('settings.update', { offlineLimitHours: 48 })).offlineLimitHours).toBe(48);
    expect(await api.call('central.status', {})).toMatchObject({ offline: false, offlineLimitHours: 48 });
    const row = db.prepare("SELECT details FROM audit WHERE action = 'settings.update' ORDER BY seq DESC LIMIT 1").get() as { details: string };
    expect(JSON.parse(row.details)).toMatchObject({ offlineLimitHours: 48 });
    await expect(api.call('settings.update', { offlineLimitHours: 0 })).rejects.toMatchObject({ code: 'invalid_request' });
    engine.close();
  });

  it('refuses publishing from a desk that is not a publishing desk', async () => {
    const { engine, api } = await joinedDesk({ publisher: false });
    expect(await codeOf(api.call('central.publish', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }))).toMatchObject({ code: 'conflict', reason: 'central.notPublisher' });
    engine.close();
  });

  it('publishing from a publishing desk needs a reachable centre; the failure names no server', async () => {
    const { engine, api } = await joinedDesk({ publisher: true });
    const r = await codeOf(api.call('central.publish', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }));
    expect(r).toMatchObject({ code: 'conflict', reason: 'central.unreachable' });
    engine.close();
  });
});

describe('the timer calls of the header', () => {
  it('do not keep an idle session alive: central.status every minute, and the session still expires after the idle limit', async () => {
    let now = new Date('2026-03-01T08:00:00Z');
    const { engine } = await setUpEngine({ now: () => now });
    const client = createClient((r) => engine.handle(r));
    await client.call('auth.signIn', { username: 'admin', password: PASSWORD });
    for (let minute = 1; minute <= 14; minute++) {
      now = new Date(now.getTime() + 60_000);
      await client.call('central.status', {});
    }
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await codeOf(client.call('central.status', {}))).toMatchObject({ code: 'unauthenticated', reason: 'auth.sessionExpired' });
    // Any other call is the user's activity and does keep it alive.
    await client.call('auth.signIn', { username: 'admin', password: PASSWORD });
    for (let minute = 1; minute <= 20; minute++) {
      now = new Date(now.getTime() + 60_000);
      await client.call('settings.get', {});
    }
    expect((await client.call('central.status', {})).joined).toBe(false);
    engine.close();
  });
});

describe('what a failure talking to the centre becomes', () => {
  it('is told by its code, never by its message', () => {
    expect(failureKind({ code: '28P01', message: 'password authentication failed for user "desk_x"' })).toBe('central.credentialsRefused');
    expect(failureKind({ code: '28000', message: 'role "desk_x" is not permitted to log in' })).toBe('central.credentialsRefused');
    expect(failureKind({ code: '42501', message: 'permission denied for table publications' })).toBe('central.refused');
    expect(failureKind({ code: '23505' })).toBe('central.refused');
    expect(failureKind({ code: '57P01' })).toBe('central.unreachable');
    expect(failureKind({ code: 'ECONNREFUSED' })).toBe('central.unreachable');
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('central.unreachable');
    expect(failureKind({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).toBe('central.certificateRefused');
    expect(failureKind({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).toBe('central.certificateRefused');
    expect(failureKind(new Error('something else'))).toBe('central.syncFailed');
    const e = centralFailure({ code: '28P01', message: 'password authentication failed for user "desk_x"' });
    expect(e).toBeInstanceOf(ConflictError);
    expect((e as Error).message).not.toContain('desk_x');
    // The desk's own database failing is reported as such, not as the centre's.
    const disk = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(centralFailure(disk)).toBe(disk);
    const mine = new ConflictError({ code: 'central.notJoined' });
    expect(centralFailure(mine)).toBe(mine);
  });
});

describe('the match index after a pull', () => {
  it('is rebuilt when a pull cut short had already changed a list, and not when it changed nothing', async () => {
    const { engine, api } = await joinedDesk();
    const imp = await api.call('watchlists.import', { listName: 'Local list', kind: 'wanted', fileName: 'l.csv', contentBase64: Buffer.from('ID,Name\nX-1,TESTPERSON ONE\n').toString('base64') });
    expect(imp.published).toBe(true);
    const listId = (await api.call('watchlists.list', {}))[0]!.id;
    const rebuilt = vi.spyOn(engine, 'invalidateIndex');
    fake.on = true;
    try {
      // The link drops after the pull applied one list (here: a retirement) and before it finished.
      fake.pull = (db) => {
        (db as DB).prepare('UPDATE watchlists SET retired_at = ? WHERE id = ?').run('2026-03-01T08:00:00.000Z', listId);
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      };
      expect(await codeOf(api.call('central.sync', {}))).toMatchObject({ code: 'conflict', reason: 'central.unreachable' });
      expect(rebuilt).toHaveBeenCalledTimes(1);
      // The link drops before anything changed: no rebuild.
      fake.pull = () => Promise.reject(new Error('Connection terminated unexpectedly'));
      expect(await codeOf(api.call('central.sync', {}))).toMatchObject({ reason: 'central.unreachable' });
      expect(rebuilt).toHaveBeenCalledTimes(1);
    } finally {
      fake.on = false;
    }
    engine.close();
  });

  it('withdraws at once the version a publication rolled back from, and keeps the old one answering for a newer version', async () => {
    const { engine, api } = await joinedDesk();
    const csv = (n: number) => Buffer.from(`ID,Name\n${Array.from({ length: n }, (_, i) => `X-${i},TESTPERSON NUMBER${i}`).join('\n')}\n`).toString('base64');
    await api.call('watchlists.import', { listName: 'L', kind: 'wanted', fileName: 'v1.csv', contentBase64: csv(1) });
    await api.call('watchlists.import', { listName: 'L', kind: 'wanted', fileName: 'v2.csv', contentBase64: csv(2) });
    const listId = (await api.call('watchlists.list', {}))[0]!.id;
    const [v2, v1] = await api.call('watchlists.versions', { listId });
    const applied = (versionId: string, versionNumber: number, previousVersionId: string): PullResult => ({
      applied: [{ listId, listName: 'L', action: 'publish', seq: 1, versionId, versionNumber, entries: 1, fetched: 0, previousVersionId }], refused: [],
    });
    const rebuilt = vi.spyOn(engine, 'invalidateIndex');
    fake.on = true;
    try {
      fake.pull = () => Promise.resolve(applied(v1!.id, 1, v2!.id));
      expect(await api.call('central.sync', {})).toMatchObject({ pulled: 1, lists: [{ listId, versionId: v1!.id }] });
      expect(rebuilt).toHaveBeenLastCalledWith(v2!.id);
      fake.pull = () => Promise.resolve(applied(v2!.id, 2, v1!.id));
      await api.call('central.sync', {});
      expect(rebuilt).toHaveBeenLastCalledWith();
      expect(rebuilt).toHaveBeenCalledTimes(2);
    } finally {
      fake.on = false;
    }
    engine.close();
  });
});
