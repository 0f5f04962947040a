/**
 * Stale lists (issue 11): the date a file gives for itself (the UN XML's `dateGenerated`, an
 * "updated" date in a spreadsheet's title rows, Buddhist-Era years) is recorded with the version;
 * a date in the future or implausibly old is a warning and not used; the age counts from the
 * source date where known, else from the import; past the checkpoint's limit (or the list's own)
 * the list is stale, in the list view and in every screening's `lists`; the CLI prints the basis.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { Engine } from '../../electron/core/api/engine';
import { titleRowDate, unDateGenerated } from '../../electron/core/watchlists/source-date';
import type { Sheet } from '../../electron/core/spreadsheet/read';
import { daysSince, sourceDateProblem } from '../../shared/list-age';
import { FIXTURES, fixture, PASSPHRASE, PASSWORD, settledClient, setUpEngine, tempDir } from './helpers';

/** The engine's clock in these tests: 6 December 2026, 10:00 UTC. */
const NOW = new Date('2026-12-06T10:00:00Z');

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
/** The tiny UN-shaped fixture with its `dateGenerated` replaced. */
const unXml = (dateGenerated: string) => fixture('un-mini.xml').toString('utf8').replace(/dateGenerated="[^"]*"/, `dateGenerated="${dateGenerated}"`);
const importUn = (api: ApiClient, xml: string, listName = 'UN') =>
  api.call('watchlists.import', { listName, kind: 'deny-entry', fileName: 'consolidated.xml', contentBase64: b64(xml) });
const importCsv = (api: ApiClient, csv: string, listName: string) =>
  api.call('watchlists.import', { listName, kind: 'wanted', fileName: `${listName}.csv`, contentBase64: b64(csv) });
const listNamed = async (api: ApiClient, name: string) => (await api.call('watchlists.list')).find((l) => l.name === name)!;

async function as(engine: Engine, api: ApiClient, username: string, roles: ('officer' | 'supervisor' | 'admin' | 'auditor')[]): Promise<ApiClient> {
  const password = `stale shift ${roles.join(' ')} 7`;
  await api.call('users.create', { username, password, roles });
  const c = settledClient(engine);
  await c.call('auth.signIn', { username, password });
  return c;
}

function sheet(rows: (string | number | null)[][], dateCells: [number, number][] = []): Sheet {
  return {
    name: 'S', rowNumbers: rows.map((_, i) => i + 1), hiddenColumns: new Set(), date1904: false,
    rows: rows.map((r, i) => r.map((v, j) => ({ v, ...(dateCells.some(([a, b]) => a === i && b === j) ? { date: true } : {}) }))),
  };
}

describe('the date a file gives for itself', () => {
  it('reads the UN XML dateGenerated, stores it with the version and counts the age from it', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    const report = await importUn(api, fixture('un-mini.xml').toString('utf8'));
    expect(report).toMatchObject({ preset: 'un-xml', published: true, imported: 2, sourceDate: '2026-11-30', warnings: 0 });
    const un = await listNamed(api, 'UN');
    expect(un.activeVersion?.sourceDate).toBe('2026-11-30');
    expect(un).toMatchObject({ ageBasis: 'source', ageSince: '2026-11-30', ageDays: 6, staleAfterDays: 7, stale: false });
    const row = engine.requireDb().prepare('SELECT source_date, created_at FROM list_versions WHERE id = ?').get(un.activeVersion!.id);
    expect(row).toEqual({ source_date: '2026-11-30', created_at: NOW.toISOString() });
    engine.close();
  });

  it('reads the Thai "ปรับปรุงล่าสุด 1 มี.ค. 2567" title row (Buddhist Era) of a warrant sheet', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    const report = await api.call('watchlists.import', { listName: 'Police', kind: 'wanted', fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64') });
    expect(report.sourceDate).toBe('2024-03-01');
    expect(report.problems.filter((p) => p.reason.startsWith('import.sourceDate'))).toEqual([]);
    expect(await listNamed(api, 'Police')).toMatchObject({ ageBasis: 'source', ageSince: '2024-03-01', ageDays: 1010, stale: true });
    engine.close();
  });

  it('finds English and Thai labels, a date in the next cell or as an Excel date, and ignores titles without a date', () => {
    expect(titleRowDate(sheet([['Wanted persons'], ['As of 30 November 2026'], ['ID', 'Name']]), 2)?.day).toBe('2026-11-30');
    expect(titleRowDate(sheet([['Last updated:', '', '2026-11-29'], ['ID', 'Name']]), 1)?.day).toBe('2026-11-29');
    expect(titleRowDate(sheet([['Updated', 46356], ['ID', 'Name']], [[0, 1]]), 1)?.day).toBe('2026-11-30');
    expect(titleRowDate(sheet([['ข้อมูล ณ วันที่ 30/11/2569'], ['ลำดับ', 'ชื่อ']]), 1)?.day).toBe('2026-11-30');
    expect(titleRowDate(sheet([['Updated list of wanted persons'], ['ID', 'Name']]), 1)).toBeNull();
    expect(titleRowDate(sheet([['ID', 'Name'], ['As of 30 November 2026', 'x']]), 0)).toBeNull(); // data rows are not title rows
    expect(titleRowDate(sheet([['ปรับปรุงล่าสุด มี.ค. 2567'], ['ID', 'Name']]), 1)).toMatchObject({ day: null, row: 1 });
    expect(unDateGenerated('2026-02-27T23:59:09.554Z')?.day).toBe('2026-02-27');
    expect(unDateGenerated('yesterday')).toMatchObject({ day: null, column: 'dateGenerated' });
    expect(unDateGenerated(undefined)).toBeNull();
  });

  it('warns about a date in the future, an implausibly old one or one not understood, and ages the list from the import', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    const future = await importUn(api, unXml('2027-01-15T00:00:00Z'), 'UN future');
    expect(future.sourceDate).toBeNull();
    expect(future.problems[0]).toMatchObject({ severity: 'warning', reason: 'import.sourceDateFuture', params: { date: '2027-01-15' }, column: 'dateGenerated' });
    expect(future.warnings).toBe(1);
    expect(await listNamed(api, 'UN future')).toMatchObject({ ageBasis: 'import', ageSince: NOW.toISOString(), ageDays: 0, stale: false });

    const old = await importUn(api, unXml('2001-05-01T00:00:00Z'), 'UN old');
    expect(old.problems[0]).toMatchObject({ reason: 'import.sourceDateTooOld', params: { date: '2001-05-01', years: 10 } });
    expect((await listNamed(api, 'UN old')).ageBasis).toBe('import');

    const vague = await importCsv(api, 'รายชื่อผู้ต้องหา\nปรับปรุงล่าสุด มี.ค. 2567\nID,Name\nV-1,Vague Testperson\n', 'Vague');
    expect(vague.problems.find((p) => p.reason === 'import.sourceDateUnreadable')).toMatchObject({ row: 2, params: { text: 'ปรับปรุงล่าสุด มี.ค. 2567' } });
    expect((await listNamed(api, 'Vague')).ageBasis).toBe('import');

    // Tomorrow (a time zone ahead of UTC) is still believed; the day after is not.
    expect(sourceDateProblem('2026-12-07', NOW)).toBeNull();
    expect(sourceDateProblem('2026-12-08', NOW)).toBe('future');
    expect(sourceDateProblem('2016-12-07', NOW)).toBeNull();
    expect(sourceDateProblem('2016-12-05', NOW)).toBe('tooOld');
    engine.close();
  });

  it('counts a file without a date from its import', async () => {
    let now = NOW.getTime();
    const { engine, api } = await setUpEngine({ now: () => new Date(now) });
    await importCsv(api, 'ID,Name\nP-1,Plain Testperson\n', 'Plain');
    now += 9 * 86_400_000;
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect(await listNamed(api, 'Plain')).toMatchObject({ ageBasis: 'import', ageSince: NOW.toISOString(), ageDays: 9, staleAfterDays: 7, stale: true });
    expect(daysSince('2026-12-05', NOW)).toBe(1);
    expect(daysSince('2026-12-06T09:00:00Z', NOW)).toBe(0);
    engine.close();
  });
});

describe('the stale limit', () => {
  it('is a checkpoint setting for supervisors and admins (audited), a list may set its own, and screenings carry it', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    await importUn(api, fixture('un-mini.xml').toString('utf8')); // 6 days old by its source date
    await importCsv(api, 'ID,Name\nP-1,Plain Testperson\n', 'Plain'); // 0 days
    expect((await api.call('settings.get')).staleDays).toBe(7);
    expect((await listNamed(api, 'UN')).stale).toBe(false);

    const supervisor = await as(engine, api, 'somsri', ['supervisor']);
    const officer = await as(engine, api, 'niran', ['officer']);
    expect(await supervisor.call('settings.setStaleLimit', { staleDays: 5 })).toMatchObject({ staleDays: 5 });
    await expect(officer.call('settings.setStaleLimit', { staleDays: 30 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(api.call('settings.setStaleLimit', { staleDays: 0 })).rejects.toBeInstanceOf(ApiCallError);
    const rows = engine.requireDb().prepare("SELECT actor_id, details FROM audit WHERE action = 'settings.staleLimit'").all() as { actor_id: string; details: string }[];
    expect(rows.map((r) => JSON.parse(r.details) as unknown)).toEqual([{ from: 7, to: 5 }]);

    expect(await listNamed(api, 'UN')).toMatchObject({ ageDays: 6, staleAfterDays: 5, stale: true });
    const r = await officer.call('screening.screen', { traveler: { fullName: 'Nobody Atall Quxworth' } });
    const un = r.lists.find((l) => l.name === 'UN')!;
    expect(un).toMatchObject({ ageDays: 6, ageBasis: 'source', ageSince: '2026-11-30', staleAfterDays: 5, stale: true });
    expect(r.lists.find((l) => l.name === 'Plain')).toMatchObject({ ageBasis: 'import', stale: false });

    // The list's own limit wins; null goes back to the checkpoint's. Audited with old and new.
    const list = await listNamed(api, 'UN');
    expect(await supervisor.call('watchlists.setSettings', { listId: list.id, staleDays: 30 })).toMatchObject({ staleAfterDays: 30, stale: false, overrides: { staleDays: 30 } });
    expect(await supervisor.call('watchlists.setSettings', { listId: list.id, staleDays: null })).toMatchObject({ staleAfterDays: 5, stale: true, overrides: { staleDays: null } });
    const own = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'list.setStaleLimit' ORDER BY seq").all() as { details: string }[];
    expect(own.map((o) => JSON.parse(o.details) as unknown)).toEqual([{ listId: list.id, from: null, to: 30 }, { listId: list.id, from: 30, to: null }]);
    engine.close();
  });

  it('watchdesk lists prints each age and its basis; settings --stale-days sets the limit', () => {
    const db = join(tempDir(), 'w.db');
    const run = (args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/watchdesk.mjs'), '--db', db, ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined },
    });
    expect(run(['init', '--checkpoint', 'Mae Sai', '--timezone', 'Asia/Bangkok']).status).toBe(0);
    expect(run(['import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']).status).toBe(0);
    expect(run(['import', join(FIXTURES, 'e2e-wanted.csv'), '--list', 'E2E', '--kind', 'wanted']).status).toBe(0);
    expect(run(['settings', '--stale-days', '400']).stdout).toMatch(/lists stale after 400 days/);
    const out = run(['lists']).stdout;
    expect(out).toMatch(/^E2E\t.*\t0 days old \(imported \d{4}-\d{2}-\d{2}\)$/m);
    expect(out).toMatch(/^Warrants\t.*\t\d+ days old \(source dated 2024-03-01\); stale: limit 400 days$/m);
    expect(run(['list-settings', '--list', 'Warrants', '--stale-days', '3650']).stdout).toMatch(/stale after 3650 days$/m);
  }, 60_000);
});
