/**
 * The supervisors' dashboard counted at the centre (issue 16 "Department-wide work";
 * electron/core/central/dashboard.ts), against a real PostgreSQL started by the test: two checkpoint
 * desks, North in Asia/Kolkata (+05:30) and South in America/New_York, screen and record crossings
 * around the night DST began in New York (2025-03-09) and push them; an auditing desk (Headquarters)
 * counts both checkpoints, each checkpoint desk only its own (row-level security: the same SQL as
 * each login); every count equals a recount of the rows pushed, made in JS with Intl's time zones;
 * a decision corrected after the push (a hit event) moves the decision counts; the range rules are
 * the desk's; the export carries the scope and is audited; officers and unjoined desks are refused.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client';
import type { DashboardView } from '../../shared/contract';
import { BANDS, type Decision, type Direction, type Outcome } from '../../shared/domain';
import { Engine } from '../../electron/core/api/engine';
import { initCentral } from '../../electron/core/central/admin';
import { CENTRAL_DASHBOARD_SQL, centralDashboard } from '../../electron/core/central/dashboard';
import { type CentralTarget } from '../../electron/core/central/connect';
import { deskCentral } from '../../electron/core/central/desk-config';
import { dashboardRange } from '../../electron/core/crossings/dashboard';
import { cellText, readSpreadsheet } from '../../electron/core/spreadsheet/read';
import { PASSPHRASE, PASSWORD, settledClient } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for the dashboard';
const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
const FROM = '2025-03-08';
const TO = '2025-03-11';
const RANGE = { from: FROM, to: TO };
/** A made-up traveler the made-up warrants list (test/fixtures/warrants-th.csv) hits strongly, and one it does not. */
const LISTED = { fullName: 'Sompong Thotsobdi', dateOfBirth: '1987-03-14' };
const NOBODY = { fullName: 'Quxley Nobody' };

let centre: TestCentre;
const desks: TestDesk[] = [];
let north: TestDesk;
let south: TestDesk;
let hq: TestDesk;

/**
 * Screens `traveler` at `screenedAt` (hits that are not weak decided as `decision`) and records a
 * crossing at `occurredAt` (default: the same instant). Returns the crossing's id.
 */
async function cross(
  d: TestDesk, screenedAt: string, traveler: { fullName: string; dateOfBirth?: string },
  opts: { decision?: Exclude<Decision, 'undecided'>; outcome: Outcome; direction?: Direction; occurredAt?: string },
): Promise<string> {
  d.clock.t = Date.parse(screenedAt);
  const s = await d.api.call('screening.screen', { traveler });
  for (const h of s.hits.filter((x) => x.hitId && x.band !== 'weak')) await d.api.call('screening.decide', { hitId: h.hitId!, decision: opts.decision ?? 'confirmed' });
  d.clock.t = Date.parse(opts.occurredAt ?? screenedAt);
  return (await d.api.call('crossings.record', { screeningId: s.screeningId, direction: opts.direction ?? 'entry', outcome: opts.outcome })).id;
}

const target = (d: TestDesk): CentralTarget => deskCentral(d.engine.requireDb())!.target;

/** The local day (YYYY-MM-DD) of `at` in `timeZone`, by Intl (not PostgreSQL). */
function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

type Counts = { hits: number; confirmed: number; notSame: number; undecided: number };

/**
 * The dashboard's counts recounted in JS from the rows the centre holds (read as its superuser):
 * days by Intl in each crossing's time zone, each hit's latest decision from its hit events.
 * `checkpoints`: the checkpoints counted (null: all).
 */
async function recount(checkpoints: string[] | null, from = FROM, to = TO) {
  const rows = await withCentral(centre.admin, async (c) => ({
    crossings: (await c.query<{ id: string; checkpoint: string; occurred_at: Date; screened_at: Date; time_zone: string; direction: Direction; outcome: Outcome; flagged: boolean }>(
      'SELECT c.id::text AS id, k.name AS checkpoint, c.occurred_at, c.screened_at, c.time_zone, c.direction, c.outcome, c.flagged FROM wd.crossings c JOIN wd.checkpoints k ON k.id = c.checkpoint_id',
    )).rows,
    hits: (await c.query<{ id: string; crossing_id: string; list_id: string | null; decision: Decision; decided_at: Date | null }>(
      'SELECT id::text AS id, crossing_id::text AS crossing_id, list_id::text AS list_id, decision, decided_at FROM wd.hits',
    )).rows,
    events: (await c.query<{ id: string; hit_id: string; decision: Decision; at: Date }>('SELECT id, hit_id::text AS hit_id, decision, at FROM wd.hit_events')).rows,
  }));
  const days = dashboardRange({ from, to }, 'UTC', new Date()).days;
  const perDay = new Map(days.map((day) => [day, { day, screenings: 0, hits: 0, crossings: 0, flagged: 0 }]));
  const outcomes = new Map(days.map((day) => [day, { day, passed: 0, 'refused-entry': 0, held: 0, referred: 0 }]));
  const byCheckpoint = new Map<string, { checkpoint: string; crossings: number; flagged: number }>();
  const byDirection = { entry: { crossings: 0, flagged: 0 }, exit: { crossings: 0, flagged: 0 } };
  const byList = new Map<string, Counts>();
  const counted = rows.crossings.filter((c) => !checkpoints || checkpoints.includes(c.checkpoint));
  for (const c of counted) {
    const occurred = perDay.get(localDay(c.occurred_at, c.time_zone));
    if (occurred) {
      occurred.crossings += 1;
      occurred.flagged += c.flagged ? 1 : 0;
      outcomes.get(occurred.day)![c.outcome] += 1;
      const k = byCheckpoint.get(c.checkpoint) ?? { checkpoint: c.checkpoint, crossings: 0, flagged: 0 };
      k.crossings += 1;
      k.flagged += c.flagged ? 1 : 0;
      byCheckpoint.set(c.checkpoint, k);
      byDirection[c.direction].crossings += 1;
      byDirection[c.direction].flagged += c.flagged ? 1 : 0;
    }
    const screened = perDay.get(localDay(c.screened_at, c.time_zone));
    if (!screened) continue;
    screened.screenings += 1;
    for (const h of rows.hits.filter((x) => x.crossing_id === c.id)) {
      screened.hits += 1;
      const ev = rows.events.filter((e) => e.hit_id === h.id).sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))[0];
      const decision = ev && (!h.decided_at || ev.at >= h.decided_at) ? ev.decision : h.decision;
      if (!h.list_id) continue;
      const l = byList.get(h.list_id) ?? { hits: 0, confirmed: 0, notSame: 0, undecided: 0 };
      l.hits += 1;
      if (decision === 'confirmed') l.confirmed += 1;
      else if (decision === 'not-same-person') l.notSame += 1;
      else l.undecided += 1;
      byList.set(h.list_id, l);
    }
  }
  return {
    perDay: [...perDay.values()], outcomes: [...outcomes.values()],
    byCheckpoint: [...byCheckpoint.values()].sort((a, b) => b.crossings - a.crossings || (a.checkpoint < b.checkpoint ? -1 : 1)),
    byDirection: (['entry', 'exit'] as const).map((d) => ({ direction: d, ...byDirection[d] })),
    byList,
  };
}

/** The view's per-list counts with hits, keyed by list id. */
function listCounts(v: DashboardView): Map<string, Counts> {
  return new Map(v.byList.filter((l) => l.hits > 0).map((l) => [l.listId, { hits: l.hits, confirmed: l.confirmed, notSame: l.notSame, undecided: l.undecided }]));
}

/** Asserts that `v` equals the recount of the rows of `checkpoints`. */
async function expectRecount(v: DashboardView, checkpoints: string[] | null): Promise<void> {
  const r = await recount(checkpoints);
  expect(v.perDay).toEqual(r.perDay);
  expect(v.outcomes).toEqual(r.outcomes);
  expect(v.byCheckpoint).toEqual(r.byCheckpoint);
  expect(v.byDirection).toEqual(r.byDirection);
  expect(listCounts(v)).toEqual(r.byList);
  // Decisions per band add up to the list's.
  for (const l of v.byList.filter((x) => x.hits > 0)) {
    const bands = v.decisions.filter((d) => d.listId === l.listId);
    expect(bands.map((b) => b.band)).toEqual([...BANDS]);
    expect(bands.reduce((n, b) => n + b.confirmed + b.notSame + b.undecided, 0)).toBe(l.hits);
  }
}

const day = (v: DashboardView, d: string) => v.perDay.find((x) => x.day === d)!;

/** Crossings by id. */
const ids: Record<'n1' | 'n2' | 's1' | 's2' | 's3', string> = { n1: '', n2: '', s1: '', s2: '', s3: '' };

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
  north = await joinTestDesk(centre, desks, 'Gate N1', 'North', { withList: true, timeZone: 'Asia/Kolkata', at: '2025-03-08T01:00:00Z' });
  south = await joinTestDesk(centre, desks, 'Gate S1', 'South', { withList: true, timeZone: 'America/New_York', at: '2025-03-08T01:00:00Z' });
  hq = await joinTestDesk(centre, desks, 'Audit 1', 'Headquarters', { auditor: true, timeZone: 'UTC', at: '2025-03-08T01:00:00Z' });

  // North, +05:30: 18:15Z is 23:45 on 9 March there, 18:45Z is 00:15 on 10 March.
  ids.n1 = await cross(north, '2025-03-09T18:15:00Z', LISTED, { outcome: 'held' });
  ids.n2 = await cross(north, '2025-03-09T18:45:00Z', NOBODY, { outcome: 'passed', direction: 'exit' });
  // A screening never recorded as a crossing: the desk counts it, the centre never hears of it.
  north.clock.t = Date.parse('2025-03-10T05:00:00Z');
  await north.api.call('screening.screen', { traveler: { fullName: 'Zebulon Nemo' } });
  // South, New York: DST began at 02:00 on 9 March (UTC-4 after). 03:30Z on 10 March is 23:30 on
  // 9 March there (EST's -5 would also say 9 March, UTC 10 March); 04:30Z is 00:30 on 10 March
  // (EST's -5 would say 23:30 on 9 March).
  ids.s1 = await cross(south, '2025-03-10T03:30:00Z', LISTED, { decision: 'not-same-person', outcome: 'passed' });
  ids.s2 = await cross(south, '2025-03-10T04:30:00Z', NOBODY, { outcome: 'refused-entry' });
  // Screened at 23:50 on 9 March, recorded at 00:10 on 10 March (local): a screening of the 9th, a crossing of the 10th.
  ids.s3 = await cross(south, '2025-03-10T03:50:00Z', NOBODY, { outcome: 'passed', direction: 'exit', occurredAt: '2025-03-10T04:10:00Z' });
  for (const d of [north, south, hq]) {
    d.clock.t = Date.parse('2025-03-10T13:00:00Z');
    await d.api.call('central.sync', {});
  }
}, 240_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('the dashboard counted at the centre', () => {
  it('counts every checkpoint for an auditing desk, each on its own local days (DST and +05:30 exact), equal to a recount of the rows pushed', async () => {
    const v = await hq.api.call('central.dashboard', RANGE);
    expect(v).toMatchObject({ from: FROM, to: TO, timeZone: 'UTC', scope: 'department' });
    expect(v.perDay.map((d) => d.day)).toEqual(['2025-03-08', '2025-03-09', '2025-03-10', '2025-03-11']);
    // By hand: 9 March has n1 (North) and s1 (South) crossed, and s3 screened too; 10 March n2, s2 and s3 crossed.
    expect(day(v, '2025-03-09')).toMatchObject({ screenings: 3, crossings: 2, flagged: 2 });
    expect(day(v, '2025-03-10')).toMatchObject({ screenings: 2, hits: 0, crossings: 3, flagged: 0 });
    expect(day(v, '2025-03-09').hits).toBeGreaterThanOrEqual(2);
    expect(day(v, '2025-03-08')).toEqual({ day: '2025-03-08', screenings: 0, hits: 0, crossings: 0, flagged: 0 });
    expect(v.byCheckpoint).toEqual([{ checkpoint: 'South', crossings: 3, flagged: 1 }, { checkpoint: 'North', crossings: 2, flagged: 1 }]);
    expect(v.byDirection).toEqual([{ direction: 'entry', crossings: 3, flagged: 2 }, { direction: 'exit', crossings: 2, flagged: 0 }]);
    expect(v.outcomes.find((o) => o.day === '2025-03-10')).toEqual({ day: '2025-03-10', passed: 2, 'refused-entry': 1, held: 0, referred: 0 });
    expect(v.outcomes.find((o) => o.day === '2025-03-09')).toEqual({ day: '2025-03-09', passed: 1, 'refused-entry': 0, held: 1, referred: 0 });
    // Each desk imported its own "Warrants": two lists of that name, each with its desk's decisions.
    const warrants = v.byList.filter((l) => l.list === 'Warrants');
    expect(warrants).toHaveLength(2);
    expect(warrants.every((l) => l.kind === 'wanted' && l.hits > 0)).toBe(true);
    expect(warrants.reduce((n, l) => n + l.confirmed, 0)).toBeGreaterThanOrEqual(1);
    expect(warrants.reduce((n, l) => n + l.notSame, 0)).toBeGreaterThanOrEqual(1);
    // The entries hit most: the listed person, with the list's own id, name and reference as the desk had them.
    expect(v.topEntries.length).toBeGreaterThanOrEqual(1);
    expect(v.topEntries[0]).toMatchObject({ list: 'Warrants' });
    expect(v.topEntries[0]!.listedName).toBeTruthy();
    expect(v.topEntries[0]!.entryId).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expectRecount(v, null);
    // A range holding only part of the days: the others are not counted.
    const one = await hq.api.call('central.dashboard', { from: '2025-03-10', to: '2025-03-10' });
    expect(one.perDay).toEqual([day(v, '2025-03-10')]);
    expect(one.byCheckpoint.reduce((n, c) => n + c.crossings, 0)).toBe(3);
  });

  it('gives a checkpoint desk only its own checkpoint: row-level security decides, not the query', async () => {
    const n = await north.api.call('central.dashboard', RANGE);
    expect(n.scope).toBe('checkpoint');
    expect(n.byCheckpoint.map((c) => c.checkpoint)).toEqual(['North']);
    expect(day(n, '2025-03-09')).toMatchObject({ screenings: 1, crossings: 1, flagged: 1 });
    expect(day(n, '2025-03-10')).toMatchObject({ screenings: 1, crossings: 1, flagged: 0 });
    await expectRecount(n, ['North']);
    const s = await south.api.call('central.dashboard', RANGE);
    expect(s.scope).toBe('checkpoint');
    expect(s.byCheckpoint).toEqual([{ checkpoint: 'South', crossings: 3, flagged: 1 }]);
    await expectRecount(s, ['South']);

    // The very same SQL as four logins: the queries name no checkpoint; PostgreSQL gives each its rows.
    const checkpointsAs = (t: CentralTarget) => withCentral(t, async (c) =>
      [...new Set((await c.query<{ checkpoint: string }>(CENTRAL_DASHBOARD_SQL.crossings, RANGE_VALUES)).rows.map((r) => r.checkpoint))].sort());
    const RANGE_VALUES = [FROM, TO];
    expect(await checkpointsAs(target(north))).toEqual(['North']);
    expect(await checkpointsAs(target(south))).toEqual(['South']);
    expect(await checkpointsAs(target(hq))).toEqual(['North', 'South']);
    expect(await checkpointsAs(centre.admin)).toEqual(['North', 'South']);
    const hitsAs = (t: CentralTarget) => withCentral(t, async (c) =>
      (await c.query<{ kind: string; hits: number }>(CENTRAL_DASHBOARD_SQL.screenings, RANGE_VALUES)).rows.filter((r) => r.kind === 'day').reduce((x, r) => x + r.hits, 0));
    const [hn, hs, hh] = [await hitsAs(target(north)), await hitsAs(target(south)), await hitsAs(target(hq))];
    expect(hn).toBeGreaterThan(0);
    expect(hs).toBeGreaterThan(0);
    expect(hh).toBe(hn + hs);
    // And the module's own function, run as the North desk's login.
    const asNorth = await withCentral(target(north), (c) => centralDashboard(c, dashboardRange(RANGE, 'Asia/Kolkata', new Date()), 'Asia/Kolkata'));
    expect(asNorth).toEqual({ ...n, timeZone: 'Asia/Kolkata' });
  });

  it("agrees with each desk's own dashboard, except for screenings never recorded as crossings", async () => {
    for (const d of [north, south]) {
      const own = await d.api.call('dashboard.get', RANGE);
      const there = await d.api.call('central.dashboard', RANGE);
      expect(there.outcomes).toEqual(own.outcomes);
      expect(there.byDirection).toEqual(own.byDirection);
      expect(there.perDay.map(({ screenings: _s, ...x }) => x)).toEqual(own.perDay.map(({ screenings: _s, ...x }) => x));
      expect(there.byList.filter((l) => l.hits).map(({ kind: _k, ...l }) => l)).toEqual(own.byList.filter((l) => l.hits).map(({ kind: _k, ...l }) => l));
      expect(there.decisions).toEqual(own.decisions);
      expect(there.topEntries).toEqual(own.topEntries);
      expect(there.byCheckpoint.map((c) => c.crossings)).toEqual(own.byCheckpoint.map((c) => c.crossings));
    }
    // North's screening of Zebulon Nemo (10 March, no crossing) is the desk's alone.
    const own = await north.api.call('dashboard.get', RANGE);
    const there = await north.api.call('central.dashboard', RANGE);
    expect(day(own, '2025-03-10').screenings).toBe(day(there, '2025-03-10').screenings + 1);
    expect(day(own, '2025-03-09').screenings).toBe(day(there, '2025-03-09').screenings);
  });

  it('moves the decision counts when a decision corrected after the push arrives as a hit event', async () => {
    const before = await hq.api.call('central.dashboard', RANGE);
    const hit = (await south.api.call('crossings.list', {})).crossings.find((c) => c.id === ids.s1)!.hits.find((h) => h.band !== 'weak')!;
    expect(hit.decision).toBe('not-same-person');
    const listId = (await south.api.call('dashboard.get', RANGE)).byList.find((l) => l.hits > 0)!.listId;
    south.clock.t = Date.parse('2025-03-10T14:00:00Z');
    await south.api.call('screening.correct', { hitId: hit.hitId, decision: 'confirmed', reason: 'made-up second look' });
    // Not pushed yet: the centre's counts are unchanged.
    expect(await hq.api.call('central.dashboard', RANGE)).toEqual(before);
    expect((await south.api.call('central.sync', {})).sent.hitEvents).toBeGreaterThanOrEqual(1);
    const after = await hq.api.call('central.dashboard', RANGE);
    const list = (v: DashboardView) => v.byList.find((l) => l.listId === listId)!;
    expect(list(after).notSame).toBe(list(before).notSame - 1);
    expect(list(after).confirmed).toBe(list(before).confirmed + 1);
    expect(list(after).hits).toBe(list(before).hits);
    const band = (v: DashboardView) => v.decisions.find((d) => d.listId === listId && d.band === hit.band)!;
    expect(band(after).confirmed).toBe(band(before).confirmed + 1);
    expect(after.perDay).toEqual(before.perDay);
    await expectRecount(after, null);
    // The desk's own dashboard and the centre's agree again.
    const own = await south.api.call('dashboard.get', RANGE);
    expect((await south.api.call('central.dashboard', RANGE)).decisions).toEqual(own.decisions);
  });

  it("applies the desk's range rules: the default range, a reversed or too long range, a year out of range", async () => {
    hq.clock.t = Date.parse('2025-03-10T13:00:00Z');
    const v = await hq.api.call('central.dashboard', {});
    expect(v).toMatchObject({ from: '2025-02-09', to: '2025-03-10' });
    expect(v.perDay).toHaveLength(30);
    expect(v.byCheckpoint.reduce((n, c) => n + c.crossings, 0)).toBe(5);
    expect((await callFailure(hq.api.call('central.dashboard', { from: '2025-03-02', to: '2025-03-01' }))).code).toBe('invalid_request');
    expect(await callFailure(hq.api.call('central.dashboard', { from: '2024-01-01', to: '2025-03-01' }))).toMatchObject({ code: 'bad_input', reason: 'dashboard.rangeTooLong' });
    expect(await callFailure(hq.api.call('central.dashboard', { from: '1800-01-01', to: '1800-01-02' }))).toMatchObject({ code: 'bad_input', reason: 'date.yearOutOfRange' });
    expect(await callFailure(hq.api.call('central.dashboardExport', { from: '2024-01-01', to: '2025-03-01' }))).toMatchObject({ reason: 'dashboard.rangeTooLong' });
  });

  it('exports the tables as xlsx with the scope in its title and file name, audited with its SHA-256', async () => {
    const r = await hq.api.call('central.dashboardExport', { ...RANGE, lang: 'en' });
    expect(r.scope).toBe('department');
    expect(r.fileName).toBe(`watchdesk-department-dashboard-${FROM}-${TO}.xlsx`);
    const sheets = readSpreadsheet(Buffer.from(r.contentBase64, 'base64'), r.fileName);
    expect(sheets.map((s) => s.name)).toEqual(['About', 'Per day', 'By list', 'By checkpoint', 'By direction', 'Decisions by band', 'Entries hit most', 'Outcomes per day', 'Audit anchor']);
    const about = sheets[0]!.rows.map((row) => row.map(cellText));
    expect(about[0]![0]).toMatch(/department \(every checkpoint, counted at the centre\)/);
    expect(about.find((row) => row[0] === 'Time zone')![1]).toBe("each checkpoint's own");
    const byCheckpoint = sheets[3]!.rows.slice(1).map((row) => row.map(cellText));
    expect(byCheckpoint).toEqual([['South', '3', '1'], ['North', '2', '1']]);
    const perDay = sheets[1]!.rows.slice(1).map((row) => Number(cellText(row[3])));
    expect(perDay).toEqual([0, 2, 3, 0]);
    const row = hq.engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'export.centralDashboard' ORDER BY seq DESC LIMIT 1").get() as { details: string };
    expect(JSON.parse(row.details)).toEqual({ sha256: r.sha256, from: FROM, to: TO, lang: 'en', scope: 'department' });

    const own = await north.api.call('central.dashboardExport', { ...RANGE, lang: 'th' });
    expect(own.scope).toBe('checkpoint');
    expect(own.fileName).toBe(`watchdesk-checkpoint-dashboard-${FROM}-${TO}.xlsx`);
    const thAbout = readSpreadsheet(Buffer.from(own.contentBase64, 'base64'), own.fileName)[0]!.rows.map((x) => x.map(cellText));
    expect(thAbout[0]![0]).toBe('แดชบอร์ด Watchdesk: ด่านตรวจนี้ (นับที่ศูนย์กลาง)');
    // Viewing is not audited (counts, no traveler data), as on the desk; only the exports are.
    expect(hq.engine.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action LIKE '%dashboard%' AND action <> 'export.centralDashboard'").get()).toEqual({ n: 0 });
  });

  it('refuses an officer by the role matrix, and a desk that never joined', async () => {
    await hq.api.call('users.create', { username: 'officer1', password: 'officer pass 1234', roles: ['officer'] });
    const officer = createClient((req) => hq.engine.handle(req));
    await officer.call('auth.signIn', { username: 'officer1', password: 'officer pass 1234' });
    expect((await callFailure(officer.call('central.dashboard', {}))).code).toBe('forbidden');
    expect((await callFailure(officer.call('central.dashboardExport', {}))).code).toBe('forbidden');

    const dir = mkdtempSync(join(tmpdir(), 'wd-dash-'));
    const lone = new Engine({ dbPath: join(dir, 'watchdesk.db') });
    const api = settledClient(lone);
    try {
      await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Alone', timeZone: 'UTC' });
      expect(await callFailure(api.call('central.dashboard', {}))).toMatchObject({ code: 'conflict', reason: 'central.notJoined' });
      expect(await callFailure(api.call('central.dashboardExport', {}))).toMatchObject({ code: 'conflict', reason: 'central.notJoined' });
    } finally {
      await lone.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts and exports from the command line (watchdesk central dashboard [--out])', async () => {
    // The North desk's database is closed here and opened by the CLI as a user runs it.
    await north.engine.shutdown();
    desks.splice(desks.indexOf(north), 1);
    const db = join(north.dir, 'watchdesk.db');
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, '--db', db, '--user', 'admin', ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_USER: undefined },
    });
    try {
      const text = run(['central', 'dashboard', '--from', FROM, '--to', TO]);
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^this desk's checkpoint: 2025-03-08 to 2025-03-11 \(4 day\(s\), each crossing on its checkpoint's local day\), counted at the centre\n/);
      expect(text.stdout).toContain('\n  North: 2 crossing(s), 1 flagged\n');
      expect(text.stdout).toContain('\n  2025-03-10: 1 screening(s), 0 hit(s), 1 crossing(s), 0 flagged');
      expect(text.stdout).not.toMatch(/Sompong|Quxley/);
      const json = run(['--format', 'json', 'central', 'dashboard', '--from', FROM, '--to', TO]);
      expect(json.status, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ scope: 'checkpoint', from: FROM, to: TO, byCheckpoint: [{ checkpoint: 'North', crossings: 2, flagged: 1 }] });
      expect(run(['central', 'dashboard', '--from', '2024-01-01', '--to', TO]).stderr).toMatch(/at most 366 days/);

      const file = join(north.dir, 'dashboard.xlsx');
      const exported = run(['central', 'dashboard', '--from', FROM, '--to', TO, '--lang', 'th', '--out', file]);
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).toMatch(/^wrote the dashboard \(this desk's checkpoint\) to .*dashboard\.xlsx \(sha256 [0-9a-f]{64}\)/);
      const content = readFileSync(file);
      const sha = createHash('sha256').update(content).digest('hex');
      expect(exported.stdout).toContain(sha);
      const sheets = readSpreadsheet(content, 'dashboard.xlsx');
      expect(cellText(sheets[0]!.rows[0]![0])).toBe('แดชบอร์ด Watchdesk: ด่านตรวจนี้ (นับที่ศูนย์กลาง)');
      expect(sheets[3]!.rows.slice(1).map((row) => row.map(cellText))).toEqual([['North', '2', '1']]);
      // An existing file is refused, not replaced; a csv is not offered.
      expect(run(['central', 'dashboard', '--out', file]).status).not.toBe(0);
      expect(run(['central', 'dashboard', '--out', join(north.dir, 'd.csv')]).stderr).toMatch(/--out must end in \.xlsx/);
      // Audited on the desk as written to a file, with the file's SHA-256.
      const engine = new Engine({ dbPath: db });
      try {
        await engine.signIn('admin', PASSWORD);
        const row = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'export.centralDashboard' ORDER BY seq DESC LIMIT 1").get() as { details: string };
        expect(JSON.parse(row.details)).toEqual({ sha256: sha, from: FROM, to: TO, lang: 'th', scope: 'checkpoint', delivery: 'file' });
      } finally {
        engine.close();
      }
    } finally {
      rmSync(north.dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("reports a centre that cannot be reached by a reason code, never the driver's text (run last: it stops the centre)", async () => {
    await centre.stop();
    const e = await callFailure(hq.api.call('central.dashboard', RANGE));
    expect(e).toMatchObject({ code: 'conflict', reason: 'central.unreachable' });
    expect(e.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
  });
});
