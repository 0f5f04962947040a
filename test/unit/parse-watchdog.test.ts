/**
 * The parse watchdog (issue 15 items 1 and 2; electron/core/guarded-worker.ts): every spreadsheet
 * parse runs in a worker that is stopped with a clear error when it goes without progress for the
 * stall limit or passes its heap ceiling, and never when it is slow but moving or waiting for the
 * engine. Through the API: a dry-run import and a manifest screening of a hostile file end with
 * that error, the engine answers other calls meanwhile, and the database is unchanged.
 *
 * The hostile files are real: `hostile/cfb-cycle.xls` (a damaged 4 KB .xls found by fuzz-xlsx:
 * its compound-file directory is a cycle, and SheetJS's CFB reader walks it forever) and the merge
 * bomb below. Only unbounded memory growth has a stand-in (WATCHDESK_TEST_PARSE_HANG=grow makes
 * the parse worker's body allocate), since the readers now bound every structure a file can size.
 */
import * as XLSX from '@e965/xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import type { Engine } from '../../electron/core/api/engine';
import { BadInputError } from '../../electron/core/errors';
import { startGuardedWorker, type WatchdogOptions } from '../../electron/core/guarded-worker';
import { readManifest } from '../../electron/core/manifest';
import { eventually, fixture, importFixture, setUpEngine } from './helpers';

const WORKER = new URL('./parse-watchdog-worker.ts', import.meta.url);

afterEach(() => {
  delete process.env.WATCHDESK_TEST_PARSE_HANG;
  delete process.env.WATCHDESK_TEST_PARSE_STALL_MS;
  delete process.env.WATCHDESK_TEST_PARSE_MEMORY_MB;
});

interface Outcome {
  stopped: BadInputError | null;
  messages: { type: string; reason?: { code: string } | null }[];
  ms: number;
}

/** Runs the test worker in `mode` under the watchdog until it exits or says it is done. */
function run(mode: string, ms: number, opts: Omit<WatchdogOptions, 'onStop'>): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const out: Outcome = { stopped: null, messages: [], ms: 0 };
    const worker = startGuardedWorker('parse-watchdog-worker', WORKER, { mode, ms }, { ...opts, onStop: (e) => (out.stopped = e) });
    worker.on('message', (m: Outcome['messages'][number]) => {
      if (!m || typeof m.type !== 'string' || m.type.startsWith('__')) return;
      out.messages.push(m);
      if (m.type === 'done' || m.type === 'error') void worker.terminate();
    });
    worker.on('error', () => {});
    worker.on('exit', () => resolve({ ...out, ms: Date.now() - t0 }));
  });
}

describe('the watchdog of a parse worker', () => {
  it('stops a worker that loops without progress after the stall limit, with the clear reason', async () => {
    const r = await run('spin', 0, { stallMs: 600 });
    expect(r.stopped).toBeInstanceOf(BadInputError);
    expect(r.stopped!.reason).toMatchObject({ code: 'file.parseStalled', params: { seconds: 0.6 } });
    expect(r.stopped!.message).toBe('the file stopped being read after 0.6 s without progress: it is damaged or crafted');
    expect(r.ms).toBeGreaterThanOrEqual(600);
    expect(r.ms).toBeLessThan(5000);
  }, 30_000);

  it('stops a worker whose progress stopped, counting from its last progress', async () => {
    const r = await run('beat-then-spin', 3000, { stallMs: 1000 });
    expect(r.stopped?.reason.code).toBe('file.parseStalled');
    // It reported progress all along its first 3 s (three times the limit, let pass), then nothing.
    expect(r.messages.filter((m) => m.type === 'progress').length).toBeGreaterThan(10);
    expect(r.ms).toBeGreaterThanOrEqual(4000);
  }, 30_000);

  it('keeps a slow worker that reports progress: it runs to its end', async () => {
    const r = await run('slow', 4000, { stallMs: 1000 });
    expect(r.stopped).toBeNull();
    expect(r.messages.at(-1)?.type).toBe('done');
    const progress = r.messages.filter((m) => m.type === 'progress').length;
    // At most one every 100 ms (BEAT_MS), and several a second.
    expect(progress).toBeGreaterThan(12);
    expect(progress).toBeLessThanOrEqual(42);
  }, 30_000);

  it('does not count the time a worker waits on the engine (back-pressure), and does without it', async () => {
    const waiting = await run('wait', 1500, { stallMs: 400, waiting: () => true });
    expect(waiting.stopped).toBeNull();
    expect(waiting.messages.at(-1)?.type).toBe('done');
    const silent = await run('wait', 1500, { stallMs: 400 });
    expect(silent.stopped?.reason.code).toBe('file.parseStalled');
  }, 30_000);

  it('stops a worker that allocates without bound at its heap ceiling with file.parseTooLarge; this process lives on', async () => {
    const r = await run('grow', 0, { stallMs: 30_000, memoryMb: 96 });
    expect(r.stopped?.reason).toMatchObject({ code: 'file.parseTooLarge', params: { mb: 96 } });
    expect(r.stopped!.message).toBe('reading the file needed more than 96 MB of memory: it is damaged or crafted');
    expect(r.ms).toBeLessThan(20_000);
  }, 30_000);

  it('a worker that reports progress stops itself before the ceiling, with the same reason', async () => {
    const r = await run('grow-beating', 0, { stallMs: 30_000, memoryMb: 96 });
    expect(r.stopped).toBeNull();
    expect(r.messages.at(-1)).toMatchObject({ type: 'error', reason: { code: 'file.parseTooLarge', params: { mb: 96 } } });
  }, 30_000);
});

/** An xlsx holding a header row, one person, and a merge over the whole sheet (issue 15 item 2). */
function mergeBomb(): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([['Name', 'Date of birth'], ['Kanokwan Srisombat', '1990-05-21']]);
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 1_048_575, c: 16_383 } }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Manifest');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('manifest reading in the parse worker', () => {
  it('reads the manifest fixtures (csv and xlsx) alike, off the engine thread', async () => {
    const csv = await readManifest(fixture('batch-manifest.csv'), 'batch-manifest.csv');
    const xlsx = await readManifest(fixture('batch-manifest.xlsx'), 'batch-manifest.xlsx');
    expect(csv!.travelers.length).toBe(9);
    expect(xlsx!.travelers.map((t) => [t.row, t.id, t.name, t.mrz])).toEqual(csv!.travelers.map((t) => [t.row, t.id, t.name, t.mrz]));
    expect(csv!.mrzHeader).not.toBeNull();
  }, 30_000);

  it('a merge over the whole sheet (issue 15 item 2) is read within 10 s and a 256 MB heap', async () => {
    process.env.WATCHDESK_TEST_PARSE_MEMORY_MB = '256';
    const t0 = Date.now();
    const r = await readManifest(mergeBomb(), 'bomb.xlsx');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r!.travelers.map((t) => [t.row, t.name, t.query?.dateOfBirth])).toEqual([[2, 'Kanokwan Srisombat', '1990-05-21']]);
  }, 30_000);

  it('cancelling stops the read: no result, the worker ended', async () => {
    const ac = new AbortController();
    const reading = readManifest(fixture('hostile/cfb-cycle.xls'), 'm.xls', ac.signal);
    setTimeout(() => ac.abort(), 300);
    expect(await reading).toBeNull();
  }, 30_000);
});

function counts(engine: Engine): { watchlists: number; versions: number; entries: number; screenings: number } {
  const db = engine.requireDb();
  const n = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return { watchlists: n('watchlists'), versions: n('list_versions'), entries: n('entries'), screenings: n('screenings') };
}

async function importStatus(api: ApiClient, jobId: string) {
  return eventually(async () => {
    const s = await api.call('watchlists.importStatus', { jobId });
    return s.state === 'running' ? undefined : s;
  });
}

describe('hostile files through the API', () => {
  it('a dry run of a file whose read loops ends with file.parseStalled; the database is unchanged', async () => {
    const { api, engine } = await setUpEngine();
    await importFixture(api, 'e2e-wanted.csv', 'Police warrants');
    const before = counts(engine);
    process.env.WATCHDESK_TEST_PARSE_STALL_MS = '1500';
    const { jobId } = await api.call('watchlists.importStart', {
      listName: 'New list', kind: 'wanted', fileName: 'hostile.xls', contentBase64: fixture('hostile/cfb-cycle.xls').toString('base64'), dryRun: true,
    });
    const s = await importStatus(api, jobId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'bad_input', reason: 'file.parseStalled', message: 'the file stopped being read after 1.5 s without progress: it is damaged or crafted' } });
    // The real import into an existing list fails alike and leaves nothing behind.
    const { jobId: real } = await api.call('watchlists.importStart', {
      listName: 'Police warrants', fileName: 'hostile.xls', contentBase64: fixture('hostile/cfb-cycle.xls').toString('base64'),
    });
    expect((await importStatus(api, real)).error?.reason).toBe('file.parseStalled');
    expect(counts(engine)).toEqual(before);
    expect((await api.call('watchlists.list')).map((l) => [l.name, l.activeVersion?.number])).toEqual([['Police warrants', 1]]);
  }, 60_000);

  it('an import whose read grows without bound ends with file.parseTooLarge', async () => {
    const { api, engine } = await setUpEngine();
    const before = counts(engine);
    process.env.WATCHDESK_TEST_PARSE_HANG = 'grow';
    process.env.WATCHDESK_TEST_PARSE_MEMORY_MB = '128';
    const { jobId } = await api.call('watchlists.importStart', {
      listName: 'New list', kind: 'wanted', fileName: 'bomb.xlsx', contentBase64: fixture('batch-manifest.xlsx').toString('base64'),
    });
    expect(await importStatus(api, jobId)).toMatchObject({ state: 'failed', error: { reason: 'file.parseTooLarge', params: { mb: 128 } } });
    expect(counts(engine)).toEqual(before);
  }, 60_000);

  it('screening.batch of a manifest whose read loops ends with file.parseStalled, and the engine answers meanwhile', async () => {
    const { api, engine } = await setUpEngine();
    await importFixture(api, 'e2e-wanted.csv', 'Police warrants');
    const before = counts(engine);
    process.env.WATCHDESK_TEST_PARSE_STALL_MS = '5000';
    let settled = false;
    const batch = api.call('screening.batch', { fileName: 'm.xls', contentBase64: fixture('hostile/cfb-cycle.xls').toString('base64') })
      .then(() => null, (e: unknown) => e).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    // The engine is free while the manifest is read: a status call and a screening are answered at once.
    const t1 = Date.now();
    expect((await api.call('app.status')).user?.username).toBe('admin');
    expect(Date.now() - t1).toBeLessThan(1000);
    const r = await api.call('screening.screen', { traveler: { fullName: 'Kanokwan Srisombat' } });
    expect(r.hits[0]).toMatchObject({ entryId: 'W-0008' });
    expect(settled).toBe(false);
    expect(await batch).toMatchObject({ code: 'bad_input', reason: 'file.parseStalled' });
    // The one screening above is the only change.
    expect(counts(engine)).toEqual({ ...before, screenings: before.screenings + 1 });
  }, 60_000);

  it('the engine answers while a large manifest is read (it froze: the read ran on the engine thread)', async () => {
    const { api } = await setUpEngine();
    await importFixture(api, 'e2e-wanted.csv', 'Police warrants');
    const lines = ['id,name,date of birth,nationality'];
    for (let i = 0; i < 150_000; i++) lines.push(`B-${i},Testtraveler Nobody${i},1980-01-0${1 + (i % 9)},THA`);
    const { jobId } = await api.call('screening.batchStart', { fileName: 'big.csv', contentBase64: Buffer.from(lines.join('\n')).toString('base64') });
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    const status = await api.call('screening.batchStatus', { jobId });
    expect(Date.now() - t0).toBeLessThan(1100);
    // Still reading: no traveler counted yet.
    expect(status).toMatchObject({ state: 'running', total: null });
    await api.call('screening.batchCancel', { jobId });
  }, 60_000);

  it('a batch job of a hostile manifest fails with the reason, audited as failed', async () => {
    const { api, engine } = await setUpEngine();
    await importFixture(api, 'e2e-wanted.csv', 'Police warrants');
    process.env.WATCHDESK_TEST_PARSE_STALL_MS = '1000';
    const { jobId } = await api.call('screening.batchStart', { fileName: 'm.xls', contentBase64: fixture('hostile/cfb-cycle.xls').toString('base64') });
    const s = await eventually(async () => {
      const x = await api.call('screening.batchStatus', { jobId });
      return x.state === 'running' ? undefined : x;
    });
    expect(s).toMatchObject({ state: 'failed', result: null, error: { code: 'bad_input', reason: 'file.parseStalled' } });
    const audit = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'screening.batch' AND subject = ?").pluck().get(jobId) as string;
    expect(JSON.parse(audit)).toMatchObject({ state: 'failed', travelers: null });
  }, 60_000);

  it('cancelling a batch while its manifest is read stops the read: cancelled, nothing screened', async () => {
    const { api } = await setUpEngine();
    await importFixture(api, 'e2e-wanted.csv', 'Police warrants');
    const { jobId } = await api.call('screening.batchStart', { fileName: 'm.xls', contentBase64: fixture('hostile/cfb-cycle.xls').toString('base64') });
    await new Promise((r) => setTimeout(r, 300));
    await api.call('screening.batchCancel', { jobId });
    const s = await eventually(async () => {
      const x = await api.call('screening.batchStatus', { jobId });
      return x.state === 'running' ? undefined : x;
    }, 5000);
    expect(s).toMatchObject({ state: 'cancelled', done: 0, total: null, result: { travelers: 0, rows: [] } });
  }, 60_000);
});
