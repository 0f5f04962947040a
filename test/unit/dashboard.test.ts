/**
 * The supervisors' dashboard (issue 14; electron/core/crossings/dashboard.ts): counts per local day
 * in the checkpoint's time zone (a screening or crossing just before and just after local midnight,
 * one at 23:30 UTC and one at 23:30 local; a DST change; a half-hour zone), per list, band and
 * current decision (after a correction), per checkpoint and direction, the entries hit most often
 * (across list versions), outcomes per day; the xlsx export read back (Thai headers, number and date
 * cells, formula-neutralized text, the audit anchor, `export.dashboard` audited); officers refused.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../shared/client';
import type { DashboardView, Traveler } from '../../shared/contract';
import type { Decision, Direction, Outcome } from '../../shared/domain';
import { createDatabase } from '../../electron/core/db/database';
import { DASHBOARD_SQL, dashboard, dashboardRange, MAX_DASHBOARD_DAYS } from '../../electron/core/crossings/dashboard';
import { PASSWORD, setUpEngine, settledClient, tempDir } from './helpers';

const OFFICER = { username: 'off.niran', password: 'border desk shift 2' };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const WARRANTS_V1 = [
  'ID,Name,Date of birth,Nationality,Passport,Warrant no',
  'W-1,Somchai Testperson,1980-01-01,THA,AA1111111,CR-2567/0412',
  'W-2,Kanokwan Samplename,1992-07-05,THA,AC3333333,@SUM(A1)',
].join('\n');
/** Version 2: W-1's warrant number corrected by the police (a new entry row for the same W-1). */
const WARRANTS_V2 = WARRANTS_V1.replace('CR-2567/0412', 'CR-2567/0412-A');
const MONITOR = ['ID,Name,Date of birth,Nationality,Reference', 'M-1,ประเสริฐ วงศ์สุวรรณ,1979-11-02,THA,-2'].join('\n');

const SOMCHAI: Traveler = { fullName: 'Somchai Testperson', dateOfBirth: '1980-01-01', nationality: 'THA' };
/** Same name, another birth date: a review-band hit on W-1. */
const SOMCHAI_1970: Traveler = { fullName: 'Somchai Testperson', dateOfBirth: '1970-06-06' };
/** The given name only: a weak hit on W-1. */
const SOMCHAI_ONLY: Traveler = { fullName: 'Somchai' };
/** Another given name: a review-band hit on W-1. */
const SOMSAK: Traveler = { fullName: 'Somsak Testperson' };
const KANOKWAN: Traveler = { fullName: 'Kanokwan Samplename' };
const PRASERT: Traveler = { fullName: 'Prasert Wongsuwan', dateOfBirth: '1979-11-02' };
const CLEAR: Traveler = { fullName: 'Anong Clearperson', dateOfBirth: '1990-01-01' };

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

/**
 * A desk at Mae Sai (Asia/Bangkok, UTC+7) with a clock the test sets; the setup admin holds every
 * role (screens, decides, records, corrects, views). Times below are UTC with the local time beside.
 */
async function bangkokDesk() {
  let clock = new Date('2026-02-20T03:00:00.000Z');
  const { engine, api } = await setUpEngine({ now: () => clock });
  /** Moves the clock (sessions end after 15 idle minutes of it: sign in again). */
  const at = async (iso: string) => {
    clock = new Date(iso);
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
  };
  await api.call('watchlists.import', { listName: 'Police warrants', kind: 'wanted', fileName: 'warrants.csv', contentBase64: b64(WARRANTS_V1) });
  await api.call('watchlists.import', { listName: '+Monitor', kind: 'monitor', fileName: 'monitor.csv', contentBase64: b64(MONITOR) });
  /** Screens at `when`; decides its one hit (expected on `entry` in `band`) when asked; records the crossing (at `recordAt`, default the same time). */
  const cross = async (when: string, t: Traveler, o: {
    hit?: { entry: string; band: string; decide?: Exclude<Decision, 'undecided'> }; direction?: Direction; outcome?: Outcome; recordAt?: string;
  }) => {
    await at(when);
    const s = await api.call('screening.screen', { traveler: t });
    expect(s.hits.map((h) => `${h.entryId}:${h.band}`), t.fullName).toEqual(o.hit ? [`${o.hit.entry}:${o.hit.band}`] : []);
    const hitId = s.hits[0]?.hitId ?? null;
    if (o.hit?.decide) await api.call('screening.decide', { hitId: hitId!, decision: o.hit.decide });
    if (o.direction && o.outcome) {
      if (o.recordAt) await at(o.recordAt);
      const c = await api.call('crossings.record', { screeningId: s.screeningId, direction: o.direction, outcome: o.outcome });
      return { hitId, crossingId: c.id };
    }
    return { hitId, crossingId: null };
  };

  // S1: 02-28 23:59:59.999 local, the last instant before the range.
  await cross('2026-02-28T16:59:59.999Z', SOMCHAI, { hit: { entry: 'W-1', band: 'strong', decide: 'not-same-person' }, direction: 'entry', outcome: 'passed' });
  // S2: 03-01 00:00 local (still 02-28 in UTC).
  await cross('2026-02-28T17:00:00.000Z', KANOKWAN, { hit: { entry: 'W-2', band: 'strong', decide: 'confirmed' }, direction: 'exit', outcome: 'held' });
  // S3: screened 03-01 23:30 local, recorded 03-02 00:10 local (03-01 17:10 UTC); cleared, later corrected to confirmed.
  const s3 = await cross('2026-03-01T16:30:00.000Z', SOMCHAI_1970, {
    hit: { entry: 'W-1', band: 'review', decide: 'not-same-person' }, direction: 'entry', outcome: 'passed', recordAt: '2026-03-01T17:10:00.000Z',
  });
  // A new version of the warrants: W-1 is a new entry row with a new reference.
  await at('2026-03-01T20:00:00.000Z');
  await api.call('watchlists.import', { listName: 'Police warrants', fileName: 'warrants-2.csv', contentBase64: b64(WARRANTS_V2) });
  // S4: 23:30 UTC on 03-01 = 03-02 06:30 local; a weak hit, left undecided.
  await cross('2026-03-01T23:30:00.000Z', SOMCHAI_ONLY, { hit: { entry: 'W-1', band: 'weak' }, direction: 'exit', outcome: 'passed' });
  // S10: 03-02 10:00 local; cleared.
  await cross('2026-03-02T03:00:00.000Z', SOMSAK, { hit: { entry: 'W-1', band: 'review', decide: 'not-same-person' }, direction: 'entry', outcome: 'passed' });
  // S5: 03-02 23:30 local (16:30 UTC, the same day in UTC): the Thai-named entry of the monitor list.
  await cross('2026-03-02T16:30:00.000Z', PRASERT, { hit: { entry: 'M-1', band: 'strong', decide: 'confirmed' }, direction: 'entry', outcome: 'referred' });
  // S6: 03-03 00:00 local, no hit; its checkpoint renamed below (a desk whose checkpoint was renamed).
  const s6 = await cross('2026-03-02T17:00:00.000Z', CLEAR, { direction: 'entry', outcome: 'passed' });
  // S7: 03-03 17:00 local: screened, never recorded, the strong hit undecided.
  await cross('2026-03-03T10:00:00.000Z', SOMCHAI, { hit: { entry: 'W-1', band: 'strong' } });
  // S8: 03-03 23:59:59.999 local, the last instant of the range.
  await cross('2026-03-03T16:59:59.999Z', KANOKWAN, { hit: { entry: 'W-2', band: 'strong', decide: 'confirmed' }, direction: 'exit', outcome: 'refused-entry' });
  // S9: 03-04 00:00 local, just after the range.
  await cross('2026-03-03T17:00:00.000Z', CLEAR, { direction: 'exit', outcome: 'passed' });

  // The supervisor's correction of S3 (after its crossing): the current decision is confirmed.
  await at('2026-03-03T17:30:00.000Z');
  await api.call('screening.correct', { hitId: s3.hitId!, decision: 'confirmed', reason: 'the warrant photo matches after all' });
  engine.requireDb().prepare("UPDATE crossings SET checkpoint = 'Chiang Saen' WHERE id = ?").run(s6.crossingId);
  return { engine, api, at };
}

/** The range 2026-03-01 .. 2026-03-03 of the desk above, counted by hand. */
const EXPECTED: Omit<DashboardView, 'byList' | 'decisions' | 'topEntries'> = {
  from: '2026-03-01',
  to: '2026-03-03',
  timeZone: 'Asia/Bangkok',
  perDay: [
    // S2, S3 screened; S2 crossed (S3 crossed after midnight).
    { day: '2026-03-01', screenings: 2, hits: 2, crossings: 1, flagged: 1 },
    // S4, S10, S5 screened; S3, S4, S10, S5 crossed (S4's weak hit does not flag it).
    { day: '2026-03-02', screenings: 3, hits: 3, crossings: 4, flagged: 3 },
    // S6, S7, S8 screened; S6, S8 crossed.
    { day: '2026-03-03', screenings: 3, hits: 2, crossings: 2, flagged: 1 },
  ],
  byCheckpoint: [{ checkpoint: 'Mae Sai', crossings: 6, flagged: 5 }, { checkpoint: 'Chiang Saen', crossings: 1, flagged: 0 }],
  byDirection: [{ direction: 'entry', crossings: 4, flagged: 3 }, { direction: 'exit', crossings: 3, flagged: 2 }],
  outcomes: [
    { day: '2026-03-01', passed: 0, 'refused-entry': 0, held: 1, referred: 0 },
    { day: '2026-03-02', passed: 3, 'refused-entry': 0, held: 0, referred: 1 },
    { day: '2026-03-03', passed: 1, 'refused-entry': 1, held: 0, referred: 0 },
  ],
};

describe('dashboard.get', () => {
  it('counts every local day of the range (midnight edges, 23:30 UTC and local), lists, bands, current decisions, checkpoints, directions, top entries and outcomes', async () => {
    const d = await bangkokDesk();
    const v = await d.api.call('dashboard.get', { from: '2026-03-01', to: '2026-03-03' });
    expect(v).toMatchObject(EXPECTED);
    const lists = await d.api.call('watchlists.list', {});
    const police = lists.find((l) => l.name === 'Police warrants')!.id;
    const monitor = lists.find((l) => l.name === '+Monitor')!.id;
    // Police: S2 (strong, confirmed), S3 (review, corrected to confirmed), S4 (weak, undecided), S10 (review, cleared),
    // S7 (strong, undecided), S8 (strong, confirmed). Monitor: S5 (strong, confirmed). S1 was cleared before the range.
    expect(v.byList).toEqual([
      { listId: police, list: 'Police warrants', kind: 'wanted', hits: 6, confirmed: 3, notSame: 1, undecided: 2 },
      { listId: monitor, list: '+Monitor', kind: 'monitor', hits: 1, confirmed: 1, notSame: 0, undecided: 0 },
    ]);
    expect(v.decisions).toEqual([
      { listId: police, list: 'Police warrants', band: 'strong', confirmed: 2, notSame: 0, undecided: 1 },
      { listId: police, list: 'Police warrants', band: 'review', confirmed: 1, notSame: 1, undecided: 0 },
      { listId: police, list: 'Police warrants', band: 'weak', confirmed: 0, notSame: 0, undecided: 1 },
      { listId: monitor, list: '+Monitor', band: 'strong', confirmed: 1, notSame: 0, undecided: 0 },
      { listId: monitor, list: '+Monitor', band: 'review', confirmed: 0, notSame: 0, undecided: 0 },
      { listId: monitor, list: '+Monitor', band: 'weak', confirmed: 0, notSame: 0, undecided: 0 },
    ]);
    // W-1 across both versions (S3 on version 1; S4, S10, S7 on version 2): the newest version's reference.
    expect(v.topEntries).toEqual([
      { listId: police, list: 'Police warrants', entryId: 'W-1', listedName: 'Somchai Testperson', reference: 'CR-2567/0412-A', hits: 4, confirmed: 1 },
      { listId: police, list: 'Police warrants', entryId: 'W-2', listedName: 'Kanokwan Samplename', reference: '@SUM(A1)', hits: 2, confirmed: 2 },
      { listId: monitor, list: '+Monitor', entryId: 'M-1', listedName: 'ประเสริฐ วงศ์สุวรรณ', reference: '-2', hits: 1, confirmed: 1 },
    ]);

    // One day: S1 alone on 02-28 (its last millisecond), cleared.
    const before = await d.api.call('dashboard.get', { from: '2026-02-28', to: '2026-02-28' });
    expect(before.perDay).toEqual([{ day: '2026-02-28', screenings: 1, hits: 1, crossings: 1, flagged: 1 }]);
    expect(before.byList.map((l) => [l.list, l.hits, l.notSame])).toEqual([['Police warrants', 1, 1], ['+Monitor', 0, 0]]);
    expect(before.decisions.map((x) => x.list)).toEqual(['Police warrants', 'Police warrants', 'Police warrants']);

    // The default: the last 30 local days up to today (the clock is at 03-04 00:30 local): S1..S9, every day present.
    const dflt = await d.api.call('dashboard.get', {});
    expect([dflt.from, dflt.to, dflt.perDay.length, dflt.outcomes.length]).toEqual(['2026-02-03', '2026-03-04', 30, 30]);
    expect(dflt.perDay.every((p, i) => p.day === dflt.outcomes[i]!.day)).toBe(true);
    const sum = (k: 'screenings' | 'hits' | 'crossings' | 'flagged') => dflt.perDay.reduce((n, p) => n + p[k], 0);
    expect([sum('screenings'), sum('hits'), sum('crossings'), sum('flagged')]).toEqual([10, 8, 9, 6]);
    expect(dflt.perDay.find((p) => p.day === '2026-03-04')).toEqual({ day: '2026-03-04', screenings: 1, hits: 0, crossings: 1, flagged: 0 });
    expect(dflt.perDay.filter((p) => p.screenings + p.crossings === 0)).toHaveLength(25);
    // Only `to`: the 30 days up to it; only `from`: up to today.
    expect(await d.api.call('dashboard.get', { to: '2026-03-03' })).toMatchObject({ from: '2026-02-02', to: '2026-03-03' });
    expect(await d.api.call('dashboard.get', { from: '2026-03-02' })).toMatchObject({ from: '2026-03-02', to: '2026-03-04' });
    d.engine.close();
  });

  it('refuses a reversed or too long range, and officers (the role matrix)', async () => {
    const { engine, api } = await setUpEngine();
    await api.call('users.create', { ...OFFICER, roles: ['officer'] });
    const officer = settledClient(engine);
    await officer.call('auth.signIn', OFFICER);
    expect((await refusal(officer.call('dashboard.get', {}))).code).toBe('forbidden');
    expect((await refusal(officer.call('dashboard.export', { lang: 'th' }))).code).toBe('forbidden');
    expect((await refusal(api.call('dashboard.get', { from: '2026-03-02', to: '2026-03-01' }))).code).toBe('invalid_request');
    const long = await refusal(api.call('dashboard.get', { from: '2025-01-01', to: '2026-01-02' }));
    expect([long.code, long.reason, long.params]).toEqual(['bad_input', 'dashboard.rangeTooLong', { max: MAX_DASHBOARD_DAYS }]);
    expect((await refusal(api.call('dashboard.get', { from: '0001-01-01', to: '0001-01-02' }))).reason).toBe('date.yearOutOfRange');
    expect(await api.call('dashboard.get', { from: '2025-01-01', to: '2026-01-01' })).toMatchObject({ perDay: { length: 366 } });
    engine.close();
  });
});

describe('local days', () => {
  /** A bare desk database with one officer, and crossings (each with its screening) at the given instants. */
  function deskWith(instants: string[]) {
    const db = createDatabase(join(tempDir(), 'w.db'), randomBytes(32));
    const officer = randomUUID();
    db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, 'o', 'x', '[\"officer\"]', '2026-01-01T00:00:00.000Z')").run(officer);
    for (const at of instants) {
      const s = randomUUID();
      db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, '{}', '[]')").run(s, at, officer);
      db.prepare("INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged) VALUES (?, ?, ?, 'X', 'Gate', 'entry', 'passed', ?, 0)")
        .run(randomUUID(), s, at, officer);
    }
    return db;
  }
  const perDay = (v: DashboardView) => v.perDay.map((p) => `${p.day}:${p.screenings}/${p.crossings}`);

  it('follows a DST change (New York, 2026-03-08 has 23 hours) and a half-hour zone (Kolkata)', () => {
    const ny = deskWith([
      '2026-03-08T04:30:00.000Z', // 03-07 23:30 EST (UTC-5)
      '2026-03-08T05:00:00.000Z', // 03-08 00:00 EST
      '2026-03-09T03:30:00.000Z', // 03-08 23:30 EDT (UTC-4)
      '2026-03-09T04:00:00.000Z', // 03-09 00:00 EDT
    ]);
    const now = new Date('2026-03-10T12:00:00.000Z');
    expect(perDay(dashboard(ny, { from: '2026-03-07', to: '2026-03-09' }, 'America/New_York', now))).toEqual(['2026-03-07:1/1', '2026-03-08:2/2', '2026-03-09:1/1']);
    // The same instants in UTC days.
    expect(perDay(dashboard(ny, { from: '2026-03-07', to: '2026-03-09' }, 'UTC', now))).toEqual(['2026-03-07:0/0', '2026-03-08:2/2', '2026-03-09:2/2']);
    const india = deskWith(['2026-03-01T18:29:59.999Z', '2026-03-01T18:30:00.000Z']); // 23:59:59.999 and 00:00 IST (UTC+5:30)
    expect(perDay(dashboard(india, { from: '2026-03-01', to: '2026-03-02' }, 'Asia/Kolkata', now))).toEqual(['2026-03-01:1/1', '2026-03-02:1/1']);
    ny.close();
    india.close();
  });

  it('reads the time index of screenings and crossings, and hits by screening (EXPLAIN QUERY PLAN)', () => {
    const db = deskWith([]);
    const plan = (sql: string, ...args: string[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
    const day = ['2026-03-01T17:00:00.000Z', '2026-03-02T17:00:00.000Z'];
    expect(plan(DASHBOARD_SQL.screenings, ...day)).toBe('SEARCH screenings USING COVERING INDEX screenings_time (screened_at>? AND screened_at<?)');
    expect(plan(DASHBOARD_SQL.crossings, ...day)).toMatch(/^SEARCH crossings USING (COVERING )?INDEX crossings_time \(occurred_at>\? AND occurred_at<\?\)\n/);
    const hits = plan(DASHBOARD_SQL.hits, ...day);
    expect(hits).toMatch(/^SEARCH s USING INDEX screenings_time \(screened_at>\? AND screened_at<\?\)\nSEARCH h USING INDEX hits_screening \(screening_id=\?\)/);
    const entries = plan(DASHBOARD_SQL.entries, '[]');
    expect(entries).toMatch(/SEARCH e USING INDEX sqlite_autoindex_entries_1 \(id=\?\)/);
    for (const p of [hits, entries]) expect(p).not.toMatch(/SCAN (s|h|e|v|w)\b/);
    expect(dashboardRange({}, 'Asia/Bangkok', new Date('2026-03-03T17:00:00.000Z'))).toMatchObject({ from: '2026-02-03', to: '2026-03-04' });
    db.close();
  });
});

describe('dashboard.export', () => {
  it('writes the tables as xlsx: Thai headers, number and date cells, neutralized text, the anchor; audited as export.dashboard', async () => {
    const d = await bangkokDesk();
    const r = await d.api.call('dashboard.export', { from: '2026-03-01', to: '2026-03-03', lang: 'th' });
    expect(r.fileName).toBe('watchdesk-dashboard-2026-03-01-2026-03-03.xlsx');
    const content = Buffer.from(r.contentBase64, 'base64');
    expect(r.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    // Data rows: 3 days, 2 lists, 2 checkpoints, 2 directions, 6 list-bands, 3 entries, 3 days.
    expect(r.rows).toBe(21);
    // Dates read as Excel's day serials (not JS Dates: those would depend on the machine's time zone).
    const wb = XLSX.read(content, { type: 'buffer', cellNF: true });
    expect(wb.SheetNames).toEqual(['เกี่ยวกับไฟล์', 'รายวัน', 'ตามบัญชี', 'ตามด่านตรวจ', 'ตามทิศทาง', 'คำตัดสินตามระดับ', 'รายการที่ตรงบ่อยที่สุด', 'ผลการผ่านแดนรายวัน', 'Audit anchor']);
    /** A sheet's stored values, row by row (a day is its serial: nothing converted in this machine's time zone). */
    const rows = (sheet: string) => {
      const ws = wb.Sheets[sheet]!;
      const r = XLSX.utils.decode_range(ws['!ref']!);
      return Array.from({ length: r.e.r + 1 }, (_, y) => Array.from({ length: r.e.c + 1 }, (_, x) => (ws[XLSX.utils.encode_cell({ r: y, c: x })] as XLSX.CellObject | undefined)?.v))
        .map((row) => { while (row.length && row[row.length - 1] === undefined) row.pop(); return row; });
    };
    const day = (iso: string) => (Date.parse(`${iso}T00:00:00.000Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
    expect(rows('รายวัน')).toEqual([
      ['วันที่', 'การคัดกรอง', 'จำนวนผลตรงกัน', 'การผ่านแดน', 'การผ่านแดนที่มีผลตรงกัน'],
      [day('2026-03-01'), 2, 2, 1, 1],
      [day('2026-03-02'), 3, 3, 4, 3],
      [day('2026-03-03'), 3, 2, 2, 1],
    ]);
    const perDay = wb.Sheets['รายวัน']!;
    expect([perDay.A2?.t, perDay.A2?.z, perDay.B2?.t, perDay.B2?.z]).toEqual(['n', 'yyyy-mm-dd', 'n', '#,##0']);
    expect(perDay['!autofilter']).toEqual({ ref: 'A1:E4' });
    expect(rows('ตามบัญชี')).toEqual([
      ['บัญชี', 'ประเภทบัญชี', 'จำนวนผลตรงกัน', 'ยืนยันแล้ว', 'ไม่ใช่บุคคลเดียวกัน', 'ยังไม่ตัดสิน'],
      ['Police warrants', 'หมายจับ', 6, 3, 1, 2],
      ["'+Monitor", 'เฝ้าติดตาม', 1, 1, 0, 0],
    ]);
    expect(rows('ตามด่านตรวจ')).toEqual([['ด่านตรวจ', 'การผ่านแดน', 'การผ่านแดนที่มีผลตรงกัน'], ['Mae Sai', 6, 5], ['Chiang Saen', 1, 0]]);
    expect(rows('ตามทิศทาง')).toEqual([['ทิศทาง', 'การผ่านแดน', 'การผ่านแดนที่มีผลตรงกัน'], ['ขาเข้า', 4, 3], ['ขาออก', 3, 2]]);
    expect(rows('คำตัดสินตามระดับ')).toEqual([
      ['บัญชี', 'ระดับ', 'ยืนยันแล้ว', 'ไม่ใช่บุคคลเดียวกัน', 'ยังไม่ตัดสิน'],
      ['Police warrants', 'สูง', 2, 0, 1], ['Police warrants', 'ต้องตรวจสอบ', 1, 1, 0], ['Police warrants', 'ต่ำ', 0, 0, 1],
      ["'+Monitor", 'สูง', 1, 0, 0], ["'+Monitor", 'ต้องตรวจสอบ', 0, 0, 0], ["'+Monitor", 'ต่ำ', 0, 0, 0],
    ]);
    expect(rows('รายการที่ตรงบ่อยที่สุด')).toEqual([
      ['บัญชี', 'รหัสรายการ', 'ชื่อในบัญชี', 'เลขที่หมายจับ/คดี', 'จำนวนผลตรงกัน', 'ยืนยันแล้ว'],
      ['Police warrants', 'W-1', 'Somchai Testperson', 'CR-2567/0412-A', 4, 1],
      ['Police warrants', 'W-2', 'Kanokwan Samplename', "'@SUM(A1)", 2, 2],
      ["'+Monitor", 'M-1', 'ประเสริฐ วงศ์สุวรรณ', "'-2", 1, 1],
    ]);
    expect(rows('ผลการผ่านแดนรายวัน')).toEqual([
      ['วันที่', 'ผ่าน', 'ปฏิเสธการเข้าเมือง', 'กักตัว', 'ส่งต่อ'],
      [day('2026-03-01'), 0, 0, 1, 0], [day('2026-03-02'), 3, 0, 0, 1], [day('2026-03-03'), 1, 1, 0, 0],
    ]);
    expect(rows('เกี่ยวกับไฟล์').slice(1, 4)).toEqual([['ตั้งแต่', day('2026-03-01')], ['ถึง', day('2026-03-03')], ['เขตเวลา', 'Asia/Bangkok']]);
    // No formula anywhere; each table's header row frozen.
    for (const name of wb.SheetNames) for (const [k, c] of Object.entries(wb.Sheets[name]!)) if (!k.startsWith('!')) expect((c as XLSX.CellObject).f, `${name}!${k}`).toBeUndefined();
    const files = unzipSync(content);
    for (let n = 2; n <= 8; n++) expect(strFromU8(files[`xl/worksheets/sheet${n}.xml`]!), `sheet ${n}`).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);

    // Audited with the file's SHA-256, and the anchor verifies against the trail.
    const audit = (await d.api.call('audit.list', { action: 'export.dashboard' })).entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ sha256: r.sha256, from: '2026-03-01', to: '2026-03-03', lang: 'th' });
    const verified = await d.api.call('audit.verify', { anchor: { fileName: r.fileName, contentBase64: r.contentBase64 } });
    expect(verified.anchor).toMatchObject({ ok: true, source: 'xlsx', fileSha256: r.sha256 });

    // English headers.
    const en = XLSX.read(Buffer.from((await d.api.call('dashboard.export', { from: '2026-03-01', to: '2026-03-03' })).contentBase64, 'base64'), { type: 'buffer' });
    expect(en.SheetNames.slice(0, 3)).toEqual(['About', 'Per day', 'By list']);
    expect(XLSX.utils.sheet_to_json<unknown[]>(en.Sheets['Outcomes per day']!, { header: 1 })[0]).toEqual(['Day', 'Passed', 'Refused entry', 'Held', 'Referred']);
    d.engine.close();
  });
});
