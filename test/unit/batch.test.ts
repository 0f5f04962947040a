/**
 * Batch screening jobs (electron/core/batch.ts, issue 11): progress, cancel, the owner-only rule,
 * one running batch per user, the same rows as `screening.batch`, the export read back, the
 * audit rows (counts, no names), and shutdown cancelling a running batch.
 */
import * as XLSX from '@e965/xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { BatchJobStatus } from '../../shared/contract';
import { Engine } from '../../electron/core/api/engine';
import { batchFileName, BatchJobs } from '../../electron/core/batch';
import { eventually, fixture, importFixture, PASSWORD, settledClient, setUpEngine } from './helpers';

const MANIFEST = fixture('batch-manifest.csv').toString('base64');

afterEach(() => {
  delete process.env.WATCHDESK_TEST_BATCH_DELAY_MS;
});

/** A made-up manifest of `n` travelers (none on the lists but every 50th, the same person), and a row without a name last. */
function bigManifest(n: number): string {
  const lines = ['id,name,date of birth,nationality'];
  for (let i = 0; i < n; i++) lines.push(i % 50 ? `B-${i},Testtraveler Nobody${i},1980-01-0${1 + (i % 9)},THA` : `B-${i},Narongrit Phanthawong,1987-03-14,THA`);
  lines.push('B-end,,1990-01-01,THA');
  return Buffer.from(lines.join('\n')).toString('base64');
}

async function finished(api: ApiClient, jobId: string): Promise<BatchJobStatus> {
  return eventually(async () => {
    const s = await api.call('screening.batchStatus', { jobId });
    return s.state === 'running' ? undefined : s;
  });
}

async function withList() {
  const e = await setUpEngine();
  await importFixture(e.api, 'e2e-wanted.csv', 'Police warrants');
  return e;
}

function auditRows(engine: Engine, action: string): { subject: string; details: string }[] {
  return engine.requireDb().prepare('SELECT subject, details FROM audit WHERE action = ? ORDER BY seq').all(action) as { subject: string; details: string }[];
}

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiCallError);

describe('batch screening jobs', () => {
  it('reports progress, ends with the same rows as screening.batch, and is audited once without names', async () => {
    const { api, engine } = await withList();
    process.env.WATCHDESK_TEST_BATCH_DELAY_MS = '60';
    const { jobId } = await api.call('screening.batchStart', { fileName: 'batch-manifest.csv', contentBase64: MANIFEST });
    const seen: number[] = [];
    let s: BatchJobStatus;
    do {
      s = await api.call('screening.batchStatus', { jobId });
      if (s.state === 'running' && s.total !== null) seen.push(s.done);
      await new Promise((r) => setTimeout(r, 20));
    } while (s.state === 'running');
    expect(s).toMatchObject({ state: 'done', fileName: 'batch-manifest.csv', done: 9, total: 9, error: null });
    // Progress advanced one traveler at a time, never backwards.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBeGreaterThan(3);

    const direct = await api.call('screening.batch', { fileName: 'batch-manifest.csv', contentBase64: MANIFEST });
    expect(s.result).toEqual(direct);
    const r = s.result!;
    expect(r.travelers).toBe(8);
    const byId = Object.fromEntries(r.rows.map((x) => [x.id, x.hits[0]?.entryId ?? null]));
    expect(byId).toMatchObject({ 'PX-001': 'W-0001', 'PX-003': 'W-0003', 'PX-004': 'W-0008', 'PX-008': 'W-0006', 'PX-002': null, 'PX-010': null });
    expect(r.rows.find((x) => x.id === 'PX-004')?.mrz).toMatchObject({ surname: 'SRISOMBAT', valid: true });
    expect(r.problems.map((p) => [p.row, p.reason])).toEqual([[8, 'row.noName'], [9, 'mrz.unreadable']]);

    const audit = auditRows(engine, 'screening.batch').filter((a) => a.subject === jobId);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ state: 'done', travelers: 9, screened: 9, withHits: 4, problems: 2 });
    expect(audit[0]!.details).not.toMatch(/NARONGRIT|KANOKWAN|PX-00/i);
  }, 60_000);

  it('cancel stops before the next traveler and keeps what was screened', async () => {
    const { api, engine } = await withList();
    process.env.WATCHDESK_TEST_BATCH_DELAY_MS = '30';
    const { jobId } = await api.call('screening.batchStart', { fileName: 'big.csv', contentBase64: bigManifest(400) });
    const at = await eventually(async () => {
      const s = await api.call('screening.batchStatus', { jobId });
      return s.done >= 5 ? s.done : undefined;
    });
    await api.call('screening.batchCancel', { jobId });
    const s = await finished(api, jobId);
    expect(s.state).toBe('cancelled');
    expect(s.total).toBe(400);
    expect(s.done).toBeGreaterThanOrEqual(at);
    expect(s.done).toBeLessThanOrEqual(at + 2);
    expect(s.result?.rows.map((x) => x.row)).toEqual(Array.from({ length: s.done }, (_, i) => i + 2));
    expect(s.result?.rows[0]?.hits[0]).toMatchObject({ entryId: 'W-0001' });
    // Problems of rows never reached are not reported.
    expect(s.result?.problems).toEqual([]);
    expect(JSON.parse(auditRows(engine, 'screening.batch').at(-1)!.details)).toMatchObject({ state: 'cancelled', travelers: 400, screened: s.done });
    // A cancelled batch's partial result can be exported.
    const ex = await api.call('screening.batchExport', { jobId, format: 'csv' });
    expect(ex.rows).toBe(s.done);
  }, 60_000);

  it('answers other calls while a batch runs', async () => {
    const { api } = await withList();
    const { jobId } = await api.call('screening.batchStart', { fileName: 'big.csv', contentBase64: bigManifest(1500) });
    await eventually(async () => ((await api.call('screening.batchStatus', { jobId })).done > 0 ? true : undefined));
    const t0 = Date.now();
    const r = await api.call('screening.screen', { traveler: { fullName: 'Kanokwan Srisombat' } });
    expect(r.hits[0]).toMatchObject({ entryId: 'W-0008' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await api.call('screening.batchStatus', { jobId })).state).toBe('running');
    const r2 = (await finished(api, jobId)).result!;
    expect(r2.travelers).toBe(1500);
    // The repeated traveler is screened each time; the list-import "same person" warning is not a manifest problem.
    expect(r2.problems.map((p) => [p.row, p.reason])).toEqual([[1502, 'row.noName']]);
  }, 120_000);

  it('only the user who started a batch sees it; one running batch per user; sign-out forgets it', async () => {
    const { api, engine } = await withList();
    await api.call('users.create', { username: 'somchai', password: 'officer pass 77', roles: ['officer'] });
    const other = settledClient(engine);
    await other.call('auth.signIn', { username: 'somchai', password: 'officer pass 77' });
    process.env.WATCHDESK_TEST_BATCH_DELAY_MS = '50';
    const { jobId } = await api.call('screening.batchStart', { fileName: 'big.csv', contentBase64: bigManifest(200) });

    const again = await errorOf(api.call('screening.batchStart', { fileName: 'm.csv', contentBase64: MANIFEST }));
    expect(again).toMatchObject({ code: 'conflict', reason: 'batch.alreadyRunning' });
    for (const call of [
      other.call('screening.batchStatus', { jobId }),
      other.call('screening.batchCancel', { jobId }),
      other.call('screening.batchDiscard', { jobId }),
      other.call('screening.batchExport', { jobId, format: 'xlsx' }),
    ]) expect(await errorOf(call)).toMatchObject({ code: 'not_found', reason: 'batch.notFound', params: { minutes: 30 } });
    // Another user may run their own batch meanwhile.
    delete process.env.WATCHDESK_TEST_BATCH_DELAY_MS;
    const mine = await other.call('screening.batchStart', { fileName: 'm.csv', contentBase64: MANIFEST });
    expect((await finished(other, mine.jobId)).state).toBe('done');
    expect((await api.call('screening.batchStatus', { jobId })).state).toBe('running');
    expect(await errorOf(api.call('screening.batchExport', { jobId, format: 'xlsx' }))).toMatchObject({ code: 'conflict', reason: 'batch.noResult' });

    // Signing out cancels and forgets the user's batches; discarding forgets one at once.
    await other.call('auth.signOut');
    await other.call('auth.signIn', { username: 'somchai', password: 'officer pass 77' });
    expect(await errorOf(other.call('screening.batchStatus', { jobId: mine.jobId }))).toMatchObject({ code: 'not_found' });
    await api.call('screening.batchDiscard', { jobId });
    expect(await errorOf(api.call('screening.batchStatus', { jobId }))).toMatchObject({ code: 'not_found' });
    await eventually(async () => (engine.batches.running().length === 0 ? true : undefined));
  }, 60_000);

  it('exports the result as xlsx and csv (read back), formula-safe, audited with the file hash', async () => {
    const { api, engine } = await withList();
    const manifest = Buffer.from('id,name,date of birth\nF-1,NARONGRIT PHANTHAWONG,1987-03-14\nF-2,@Quxley Nobody,1970\n').toString('base64');
    const { jobId } = await api.call('screening.batchStart', { fileName: 'flight TG/0001.csv', contentBase64: manifest });
    const s = await finished(api, jobId);
    expect(s.result?.travelers).toBe(2);

    const x = await api.call('screening.batchExport', { jobId, format: 'xlsx' });
    expect(x.fileName).toMatch(/^watchdesk-batch-flight-TG-0001-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'));
    expect(wb.SheetNames).toEqual(['Travelers', 'Hits', 'Problems', 'Audit anchor']);
    const travelers = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Travelers!);
    expect(travelers).toHaveLength(2);
    expect(travelers[0]).toMatchObject({ Row: 2, ID: 'F-1', Traveler: 'NARONGRIT PHANTHAWONG', 'Top list': 'Police warrants', 'Top entry ID': 'W-0001', 'Top band': 'strong' });
    expect(travelers[0]!['Hits at or above review']).toBeGreaterThanOrEqual(1);
    expect(travelers[1]).toMatchObject({ Row: 3, ID: 'F-2', Traveler: "'@Quxley Nobody", Hits: 0 });
    const hits = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Hits!);
    expect(hits.length).toBe(s.result!.rows[0]!.hits.length);
    expect(hits[0]).toMatchObject({ Row: 2, Rank: 1, List: 'Police warrants', 'Entry ID': 'W-0001', Reference: 'CR-2567/0412' });
    expect(String(hits[0]!.Why)).toMatch(/name/i);

    const c = await api.call('screening.batchExport', { jobId, format: 'csv', withHitsOnly: true });
    const bytes = Buffer.from(c.contentBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(c.rows).toBe(1);
    // The data, then a blank line and the audit anchor block (anchor.test.ts).
    const csv = XLSX.read(bytes.subarray(3).toString('utf8').split('\r\n\r\n# Watchdesk audit anchor')[0]!, { type: 'string' });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(csv.Sheets[csv.SheetNames[0]!]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ID: 'F-1', 'Top entry ID': 'W-0001' });

    const audit = auditRows(engine, 'export.batch').map((a) => ({ subject: a.subject, ...JSON.parse(a.details) as object }));
    expect(audit).toEqual([
      { subject: jobId, sha256: x.sha256, rows: 2, format: 'xlsx', withHitsOnly: false, state: 'done' },
      { subject: jobId, sha256: c.sha256, rows: 1, format: 'csv', withHitsOnly: true, state: 'done' },
    ]);
  }, 60_000);

  it('a manifest that cannot be read fails with its reason', async () => {
    const { api } = await withList();
    const { jobId } = await api.call('screening.batchStart', { fileName: 'm.csv', contentBase64: Buffer.from('a,b\n1,2\n').toString('base64') });
    const s = await finished(api, jobId);
    expect(s).toMatchObject({ state: 'failed', result: null, error: { code: 'bad_input', reason: 'manifest.noHeader' } });
    expect(await errorOf(api.call('screening.batchExport', { jobId, format: 'csv' }))).toMatchObject({ reason: 'batch.noResult' });
    // The xlsx manifest gives the same result as the csv one.
    const x = await api.call('screening.batchStart', { fileName: 'batch-manifest.xlsx', contentBase64: fixture('batch-manifest.xlsx').toString('base64') });
    const c = await api.call('screening.batch', { fileName: 'batch-manifest.csv', contentBase64: MANIFEST });
    const xs = await finished(api, x.jobId);
    expect(xs.result?.rows.map((r) => [r.row, r.id, r.name, r.hits.map((h) => h.entryId)])).toEqual(c.rows.map((r) => [r.row, r.id, r.name, r.hits.map((h) => h.entryId)]));
  }, 60_000);

  it('forgets an ended batch after the time limit', async () => {
    const { engine } = await withList();
    const jobs = new BatchJobs(100);
    const deps = { screener: engine.getScreener(), db: () => engine.requireDb(), actorId: 'someone', now: () => new Date() };
    const job = jobs.start(deps, { fileName: 'm.csv', content: fixture('batch-manifest.csv'), top: 3 });
    await job.settled;
    expect(jobs.get(job.id, 'someone').status()).toMatchObject({ state: 'done', done: 9 });
    await new Promise((r) => setTimeout(r, 200));
    expect(() => jobs.get(job.id, 'someone')).toThrow(/no such batch screening/);
  }, 60_000);

  it('shutdown cancels a running batch, audited as cancelled', async () => {
    const { api, engine, dbPath } = await withList();
    process.env.WATCHDESK_TEST_BATCH_DELAY_MS = '50';
    const { jobId } = await api.call('screening.batchStart', { fileName: 'big.csv', contentBase64: bigManifest(300) });
    await eventually(async () => ((await api.call('screening.batchStatus', { jobId })).done >= 2 ? true : undefined));
    const t0 = Date.now();
    await engine.shutdown();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(engine.batches.running()).toEqual([]);

    const again = new Engine({ dbPath });
    const api2 = settledClient(again);
    await api2.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const row = auditRows(again, 'screening.batch').find((a) => a.subject === jobId);
    expect(JSON.parse(row!.details)).toMatchObject({ state: 'cancelled', travelers: 300 });
    expect(await errorOf(api2.call('screening.batchStatus', { jobId }))).toMatchObject({ code: 'not_found' });
    await again.shutdown();
  }, 60_000);
});

describe('batch export file name', () => {
  it('carries the day at the checkpoint, not in UTC (found by a new user at 00:11 in Bangkok)', () => {
    const at = new Date('2026-12-06T17:11:00Z'); // 00:11 on 7 December in Asia/Bangkok
    expect(batchFileName({ fileName: 'manifest 2.csv' }, 'xlsx', at, 'Asia/Bangkok')).toBe('watchdesk-batch-manifest-2-2026-12-07.xlsx');
    expect(batchFileName({ fileName: 'manifest 2.csv' }, 'csv', at, 'UTC')).toBe('watchdesk-batch-manifest-2-2026-12-06.csv');
  });
});
