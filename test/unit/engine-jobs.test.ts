/**
 * Jobs owned by the engine: a key rotation refuses while an import runs (it used to lose the job
 * and leave the list with no active version), and shutdown cancels running imports cleanly.
 */
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { eventually, PASSPHRASE, PASSWORD, settledClient, setUpEngine, syntheticCsv } from './helpers';

describe('engine jobs', () => {
  it('refuses a key rotation while an import runs, naming the job; the import completes and the rotation then works', async () => {
    const { api } = await setUpEngine();
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', kind: 'wanted', fileName: 'big.csv', contentBase64: syntheticCsv(40_000) });
    const refused = await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiCallError);
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining(jobId) as string });
    const done = await eventually(async () => {
      const s = await api.call('watchlists.importStatus', { jobId });
      return s.state === 'running' ? undefined : s;
    });
    expect(done.state).toBe('done');
    expect(done.report?.imported).toBe(40_000);
    const [list] = await api.call('watchlists.list');
    expect(list?.activeVersion?.entryCount).toBe(40_000);

    await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE });
    // The engine still knows the finished job after the database was reopened under the new key.
    expect((await api.call('watchlists.importStatus', { jobId })).state).toBe('done');
    // The index is rebuilt under the new key: the list is screened.
    const r = await api.call('screening.screen', { traveler: { fullName: 'Testperson Number', dateOfBirth: '1973-07-16' } });
    expect(r.lists).toMatchObject([{ name: 'Big', versionNumber: 1, screenedVersion: 1, loading: false }]);
    expect(r.hits[0]).toMatchObject({ list: 'Big', band: 'strong' });
  }, 120_000);

  it('shutdown cancels a running import: the list keeps its active version and no staging is left', async () => {
    const { api, engine, dbPath } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Big', kind: 'wanted', fileName: 'v1.csv', contentBase64: syntheticCsv(100) });
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', fileName: 'v2.csv', contentBase64: syntheticCsv(40_000, 'Y') });
    await eventually(async () => ((await api.call('watchlists.importStatus', { jobId })).fraction > 0 ? true : undefined));
    await engine.shutdown();

    const again = new Engine({ dbPath });
    const api2 = settledClient(again);
    await api2.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const [list] = await api2.call('watchlists.list');
    expect(list?.activeVersion).toMatchObject({ number: 1, entryCount: 100 });
    const db = again.requireDb();
    expect(db.prepare("SELECT count(*) FROM list_versions WHERE state = 'staging'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM entries WHERE external_id LIKE 'Y-%'").pluck().get()).toBe(0);
    await again.shutdown();
  }, 120_000);

  it('shutdown during the publishing stage publishes nothing (found by review: it used to publish)', async () => {
    const { api, engine, dbPath } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Big', kind: 'wanted', fileName: 'v1.csv', contentBase64: syntheticCsv(100) });
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', fileName: 'v2.csv', contentBase64: syntheticCsv(20_000, 'Y') });
    // Shut down at the moment the job enters its publishing stage.
    const job = engine.jobs.get(jobId);
    let stage = job.stage;
    let closing: Promise<void> | null = null;
    Object.defineProperty(job, 'stage', {
      get: () => stage,
      set: (v: typeof stage) => {
        stage = v;
        if (v === 'publishing') closing ??= engine.shutdown();
      },
    });
    await eventually(async () => (closing ? true : undefined));
    await (closing as Promise<void> | null); // set by the setter above
    expect(job.state).toBe('cancelled');
    const again = new Engine({ dbPath });
    const api2 = settledClient(again);
    await api2.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect((await api2.call('watchlists.list'))[0]?.activeVersion).toMatchObject({ number: 1, entryCount: 100 });
    await again.shutdown();
  }, 120_000);

  it('a job cancelled before its parse worker started stops at once (found by review: it parsed the whole file)', async () => {
    const { api, engine } = await setUpEngine();
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', kind: 'wanted', fileName: 'big.csv', contentBase64: syntheticCsv(150_000) });
    await api.call('watchlists.importCancel', { jobId });
    const s = await eventually(async () => {
      const st = await api.call('watchlists.importStatus', { jobId });
      return st.state === 'running' ? undefined : st;
    });
    expect(s.state).toBe('cancelled');
    expect(s.fraction).toBeLessThan(0.5);
    expect(await api.call('watchlists.list')).toEqual([]);
    await engine.shutdown();
  }, 120_000);

  it('refuses a rotation when an import starts while the index build is being stopped (found by review)', async () => {
    const { api, engine } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: syntheticCsv(100) });
    await engine.indexSettled();
    await api.call('watchlists.import', { listName: 'Police', fileName: 'v2.csv', contentBase64: syntheticCsv(200) });
    // A build is running now; an import arrives while the rotation waits for that build to stop.
    const host = (engine as unknown as { index: { abandonBuild(): Promise<boolean> } }).index;
    const abandon = host.abandonBuild.bind(host);
    let jobId = '';
    host.abandonBuild = async () => {
      jobId = (await api.call('watchlists.importStart', { listName: 'New', kind: 'wanted', fileName: 'n.csv', contentBase64: syntheticCsv(20_000, 'N') })).jobId;
      return abandon();
    };
    const refused = await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'conflict', reason: 'keys.importRunning' });
    const done = await eventually(async () => {
      const st = await api.call('watchlists.importStatus', { jobId });
      return st.state === 'running' ? undefined : st;
    });
    expect(done.state).toBe('done');
    expect((await api.call('watchlists.list')).map((l) => l.name)).toEqual(['New', 'Police']);
    await engine.shutdown();
  }, 120_000);

  it('a rotation while a batch screening awaits the index does not break the batch (found by review)', async () => {
    const { api, engine } = await setUpEngine();
    await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'v1.csv', contentBase64: syntheticCsv(2_000) });
    await engine.indexSettled();
    const manifest = Buffer.from(['Name,Date of birth', ...Array.from({ length: 1500 }, (_, i) => `Testperson Number${i},1970-01-01`)].join('\n')).toString('base64');
    const batch = api.call('screening.batch', { fileName: 'manifest.csv', contentBase64: manifest, top: 1 });
    await new Promise((r) => setTimeout(r, 50));
    await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE });
    const r = await batch;
    expect(r.travelers).toBe(1500);
    expect(r.rows.every((row) => row.hits.length === 1)).toBe(true);
    await engine.shutdown();
  }, 120_000);
});
