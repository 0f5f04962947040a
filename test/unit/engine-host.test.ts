/**
 * The engine in its own thread (core/host) and the match index in worker threads (core/index-host):
 * calls keep answering while an index is rebuilt, the previous index answers until the new one is
 * swapped in, a rollback takes effect at once, and screening says "index building" (with its
 * progress) before the first index exists instead of hanging.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { EngineHost } from '../../electron/core/host/engine-host';
import { IndexBuildingError, localIndex, type IndexSource } from '../../electron/core/index-host/host';
import { Screener, screenManifest } from '../../electron/core/screening';
import { buildIndex } from '../../electron/core/index-host/build';
import { eventually, fixture, PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const hosts: EngineHost[] = [];
afterEach(async () => {
  delete process.env.WATCHDESK_TEST_INDEX_DELAY_MS;
  while (hosts.length) await hosts.pop()!.close();
});

async function hostWithDesk(): Promise<{ host: EngineHost; api: ApiClient; dbPath: string }> {
  const dbPath = join(tempDir(), 'watchdesk.db');
  const host = await EngineHost.start({ dbPath });
  hosts.push(host);
  const api = createClient((req) => host.handle(req));
  await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Mae Sai', timeZone: 'Asia/Bangkok' });
  return { host, api, dbPath };
}

const csv = (rows: [string, string][]) =>
  Buffer.from(['ID,Name,Date of birth', ...rows.map(([id, name]) => `${id},${name},1980-01-01`)].join('\n')).toString('base64');
const V1 = csv([['W-1', 'Somchai Testperson'], ['W-2', 'Malee Sampleperson']]);
const V2 = csv([['W-2', 'Malee Sampleperson'], ['W-3', 'Prasert Exampleperson']]);

/** Resolves once an index answers and no build runs. */
async function indexSettled(api: ApiClient): Promise<void> {
  await eventually(async () => {
    const { index } = await api.call('app.status');
    return index?.ready && index.progress === null ? true : undefined;
  });
}

/** Screens, asking again while the engine answers "index building". */
async function screenWhenReady(api: ApiClient, fullName: string) {
  return eventually(async () => {
    try {
      return await api.call('screening.screen', { traveler: { fullName } });
    } catch (e) {
      if (e instanceof ApiCallError && e.reason === 'index.building') return undefined;
      throw e;
    }
  });
}

describe('engine host', () => {
  it('answers through the message transport; screening says "index building" with its progress until the first index is ready', async () => {
    const { api } = await hostWithDesk();
    process.env.WATCHDESK_TEST_INDEX_DELAY_MS = '1500';
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 });
    const early = await api.call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ApiCallError);
    expect(early).toMatchObject({ code: 'busy', reason: 'index.building', params: { percent: expect.any(Number) as number } });
    // Other calls answer while the build is held.
    const status = await api.call('app.status');
    expect(status.index).toMatchObject({ ready: false, progress: expect.any(Number) as number });
    expect((await api.call('watchlists.list')).map((l) => l.name)).toEqual(['Police']);

    const r = await screenWhenReady(api, 'Somchai Testperson');
    expect(r.hits[0]).toMatchObject({ entryId: 'W-1', band: 'strong' });
    expect(r.lists).toMatchObject([{ name: 'Police', versionNumber: 1, screenedVersion: 1, loading: false }]);
    expect((await api.call('app.status')).index).toMatchObject({ ready: true, progress: null, entries: 2 });
  }, 60_000);

  it('keeps answering from the previous version while a new one is indexed, records the versions used, and swaps it in whole', async () => {
    const { api } = await hostWithDesk();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 });
    await screenWhenReady(api, 'Somchai Testperson');
    process.env.WATCHDESK_TEST_INDEX_DELAY_MS = '2000';
    await api.call('watchlists.import', { listName: 'Police', fileName: 'v2.csv', contentBase64: V2 });

    const during = await api.call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } });
    expect(during.lists).toMatchObject([{ versionNumber: 2, screenedVersion: 1, loading: true }]);
    expect(during.hits[0]).toMatchObject({ entryId: 'W-1' });
    expect((await api.call('app.status')).index?.progress).not.toBeNull();

    await indexSettled(api);
    const after = await api.call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } });
    expect(after.lists).toMatchObject([{ versionNumber: 2, screenedVersion: 2, loading: false }]);
    expect(after.hits.filter((h) => h.band !== 'weak')).toEqual([]);
    expect((await api.call('screening.screen', { traveler: { fullName: 'Prasert Exampleperson' } })).hits[0]).toMatchObject({ entryId: 'W-3' });
  }, 60_000);

  it('a rollback takes effect at once: the version rolled back from stops answering before any rebuild', async () => {
    const { api } = await hostWithDesk();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 });
    await api.call('watchlists.import', { listName: 'Police', fileName: 'v2.csv', contentBase64: V2 });
    await indexSettled(api);
    const v2 = await api.call('screening.screen', { traveler: { fullName: 'Prasert Exampleperson' } });
    expect(v2.lists).toMatchObject([{ versionNumber: 2, screenedVersion: 2 }]);
    expect(v2.hits[0]).toMatchObject({ entryId: 'W-3' });

    process.env.WATCHDESK_TEST_INDEX_DELAY_MS = '2000';
    const [list] = await api.call('watchlists.list');
    const v1 = (await api.call('watchlists.versions', { listId: list!.id })).find((v) => v.number === 1)!;
    await api.call('watchlists.rollback', { listId: list!.id, versionId: v1.id });
    // Version 2 no longer answers; version 1 is not indexed yet, so the desk is told to wait.
    const right = await api.call('screening.screen', { traveler: { fullName: 'Prasert Exampleperson' } }).catch((e: unknown) => e);
    expect(right).toMatchObject({ code: 'busy', reason: 'index.building' });

    const back = await screenWhenReady(api, 'Somchai Testperson');
    expect(back.lists).toMatchObject([{ versionNumber: 1, screenedVersion: 1, loading: false }]);
    expect(back.hits[0]).toMatchObject({ entryId: 'W-1' });
    expect((await api.call('screening.screen', { traveler: { fullName: 'Prasert Exampleperson' } })).hits.filter((h) => h.band !== 'weak')).toEqual([]);
  }, 60_000);

  it('close drains the calls in flight, then refuses new ones', async () => {
    const { host, api } = await hostWithDesk();
    const inFlight = api.call('users.list');
    const closing = host.close();
    expect((await inFlight).map((u) => u.username)).toEqual(['admin']);
    await closing;
    expect(await host.handle({ method: 'app.status', payload: {} })).toMatchObject({ ok: false, error: { code: 'internal', reason: 'engine.stopped' } });
  }, 60_000);
});

describe('screener', () => {
  it('a batch follows an index swapped in during it: each traveler is screened with the lists as they are then (found by review)', async () => {
    const { engine, api } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 });
    const db = engine.requireDb();
    const first = localIndex(buildIndex(db));
    await api.call('watchlists.import', { listName: 'Police', fileName: 'v2.csv', contentBase64: V2 });
    const second = localIndex(buildIndex(db));
    let calls = 0;
    // The index answering changes after the first traveler, as when a rebuild is swapped in.
    const swapping: IndexSource = {
      versions: () => (calls === 0 ? first : second).versions(),
      match: (q, o, x) => (calls++ === 0 ? first : second).match(q, o, x),
      buildProgress: () => 1,
    };
    const manifest = Buffer.from('Name\nMalee Sampleperson\nMalee Sampleperson\n');
    const r = await screenManifest(new Screener(() => db, swapping), manifest, 'm.csv', 3);
    expect(r.rows.map((row) => row.hits.map((h) => h.entryId))).toEqual([['W-2'], ['W-2']]);
    await engine.shutdown();
  });

  it('records in each screening the list versions its index actually used', async () => {
    const { engine, api } = await setUpEngine();
    const direct = createClient((req) => engine.handle(req));
    direct.token = api.token;
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 });
    await engine.indexSettled();
    process.env.WATCHDESK_TEST_INDEX_DELAY_MS = '1500';
    await api.call('watchlists.import', { listName: 'Police', fileName: 'v2.csv', contentBase64: V2 });
    const [list] = await api.call('watchlists.list');
    const versions = await api.call('watchlists.versions', { listId: list!.id });
    const id = (n: number) => versions.find((v) => v.number === n)!.id;
    const used = (screeningId: string) => JSON.parse(engine.requireDb().prepare('SELECT list_versions FROM screenings WHERE id = ?').pluck().get(screeningId) as string) as string[];

    const during = await direct.call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } });
    expect(used(during.screeningId)).toEqual([id(1)]);
    await engine.indexSettled();
    const after = await direct.call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } });
    expect(used(after.screeningId)).toEqual([id(2)]);
    await engine.shutdown();
  }, 60_000);

  it('never screens a list silently without its active version: "index building" while no index holds it', async () => {
    const { engine, api } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64') });
    let asked = 0;
    const empty: IndexSource = {
      versions: () => [],
      match: () => Promise.reject(new Error('not to be asked')),
      buildProgress: () => (asked++, 0.42),
    };
    const screener = new Screener(() => engine.requireDb(), empty);
    const err = await screener.hits({ names: ['Sompong Thotsobdi'] }, 3, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexBuildingError);
    expect(err).toMatchObject({ code: 'busy', reason: { code: 'index.building', params: { percent: 42 } } });
    expect(asked).toBe(1);
    await engine.shutdown();
  });
});

describe('the Electron bundle', () => {
  const bundled = join(import.meta.dirname, '../../out/main/engine-worker.js');
  // npm test builds before the unit tests; a bare `vitest run` without a build says so and skips.
  it.skipIf(!existsSync(bundled))('carries the engine thread and the index worker, and they answer on plain Node (out/main; run "npm run build" first)', async () => {
    const dbPath = join(tempDir(), 'watchdesk.db');
    const w = new Worker(bundled, { workerData: { dbPath, keychain: false } });
    const replies = new Map<number, (res: unknown) => void>();
    let ready!: () => void;
    const started = new Promise<void>((ok) => (ready = ok));
    w.on('message', (m: { type: string; id?: number; res?: unknown }) => {
      if (m.type === 'ready') ready();
      if (m.type === 'reply') replies.get(m.id!)?.(m.res);
    });
    let id = 0;
    let token: string | null = null;
    const call = (method: string, payload: unknown) => new Promise<{ ok: boolean; result?: never; error?: { reason?: string } }>((ok) => {
      replies.set(++id, ok as (res: unknown) => void);
      w.postMessage({ type: 'call', id, req: { method, payload, token } });
    });
    await started;
    const setup = await call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Mae Sai', timeZone: 'Asia/Bangkok' });
    token = (setup.result as unknown as { token: string }).token;
    expect((await call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: V1 })).ok).toBe(true);
    const screened = await eventually(async () => {
      const r = await call('screening.screen', { traveler: { fullName: 'Somchai Testperson' } });
      return r.error?.reason === 'index.building' ? undefined : r;
    });
    expect(screened).toMatchObject({ ok: true, result: { hits: [{ entryId: 'W-1', band: 'strong' }] } });
    w.postMessage({ type: 'close' });
    await new Promise<void>((ok) => w.on('message', (m: { type: string }) => m.type === 'closed' && ok()));
    await w.terminate();
  }, 60_000);
});
