/**
 * The supervisors' dashboard (issue 14), as a supervisor uses it at 1366x768 in English and Thai,
 * with axe on each state: three crossings recorded at the desk (a wanted man confirmed and held, a
 * clear traveler, a namesake cleared), then the dashboard: the totals, every chart drawn (a canvas
 * with ink on it, named for screen readers), each chart's numbers in its table, a range typed, a
 * reversed one refused, a quick range, and the xlsx export in both languages (the files read back,
 * each audited with its SHA-256). The engine's counts themselves are checked by hand-counted desks
 * in test/unit/dashboard.test.ts; here the screen must show the engine's numbers.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import type { Page } from '@playwright/test';
import type { AuditEntryView, DashboardView } from '../../shared/contract';
import { ADMIN, axe, direct, expect, publishList, setUpAsAdmin, snapBothLanguages, test } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });

const SUPERVISOR = { username: 'sup.malee', password: 'lists and versions 1' };
const CHARTS = {
  perDay: 'Screenings and hits per day',
  byList: 'Hits by list and decision',
  decisions: 'Decisions by list and band',
  byCheckpoint: 'Crossings by checkpoint',
  byDirection: 'Crossings by direction',
  topEntries: 'Entries hit most often',
  outcomes: 'Outcomes per day',
} as const;
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];

/** A day at the checkpoint (Asia/Bangkok), `n` days from today. */
function day(n = 0): string {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
/** A day as the tables write it: `7 Dec 2026`, or `7 ธ.ค. 2569` (Buddhist Era) in Thai. */
function dayLabel(iso: string, lang: 'en' | 'th'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return lang === 'th' ? `${d} ${TH_MONTHS[m - 1]} ${y + 543}` : `${d} ${EN_MONTHS[m - 1]} ${y}`;
}
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** Excel's day serial of a day (what a date cell stores). */
const serial = (iso: string): number => (Date.parse(`${iso}T00:00:00.000Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

/** A sheet's stored values, row by row (a day is its serial: nothing converted in this machine's time zone). */
function values(ws: XLSX.WorkSheet): unknown[][] {
  const r = XLSX.utils.decode_range(ws['!ref']!);
  return Array.from({ length: r.e.r + 1 }, (_, y) => Array.from({ length: r.e.c + 1 }, (_, x) => (ws[XLSX.utils.encode_cell({ r: y, c: x })] as XLSX.CellObject | undefined)?.v));
}

async function screenByName(page: Page, fullName: string, dob: string): Promise<void> {
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill(fullName);
  await form.getByLabel('Date of birth').fill(dob);
  await form.getByLabel('Full name').press('Enter');
}

async function record(page: Page, direction: 'Entry' | 'Exit', outcome: string): Promise<void> {
  await page.getByTestId('record-form').getByLabel(direction).check();
  await page.getByTestId('record-outcome').selectOption(outcome);
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-success')).toBeVisible();
}

/** Pixels with any ink on a chart's canvas (0 when there is no canvas). */
function inked(page: Page, id: string): Promise<number> {
  return page.evaluate((chart) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${chart}-canvas"] canvas`);
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !c.width || !c.height) return 0;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  }, id);
}

/** Opens a chart's table (its toggle says so) and returns the table. */
async function openTable(page: Page, id: keyof typeof CHARTS) {
  const toggle = page.getByTestId(`toggle-table-${id}`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const table = page.getByTestId(`table-${id}`);
  await expect(table).toBeVisible();
  return table;
}

/** The cells after a row's header, in the row whose header is `head`. */
function cellsOf(page: Page, id: keyof typeof CHARTS, head: string) {
  return page.getByTestId(`table-${id}-row`).filter({ has: page.locator('th', { hasText: new RegExp(`^${head.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).locator('td');
}

test('the dashboard: totals, charts drawn and named, their tables, ranges, the xlsx export (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });

  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();

  // --- three crossings: a wanted man confirmed and held, a clear traveler, a namesake cleared ------
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('PHANTAWONG NARONGRIT');
  await form.getByLabel('Date of birth').fill('14/03/2530');
  await form.getByLabel('Document number').fill('AA1234567');
  await form.getByLabel('Document number').press('Enter');
  const narongrit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(narongrit).toHaveAttribute('data-band', 'strong');
  await narongrit.getByTestId('decide-confirm').click();
  await expect(narongrit).toHaveAttribute('data-decision', 'confirmed');
  await record(page, 'Exit', 'held');

  await screenByName(page, 'SOMCHAI THONGDI', '1990-01-01');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'clear');
  await record(page, 'Entry', 'passed');

  await screenByName(page, 'Kanokwan Srisombat', '1992-07-05');
  const kanokwan = page.locator('[data-testid="hit-card"][data-entry-id="W-0008"]');
  await expect(kanokwan).toBeVisible();
  await kanokwan.getByTestId('decide-not-same').click();
  await expect(kanokwan).toHaveAttribute('data-decision', 'not-same-person');
  await record(page, 'Entry', 'referred');

  // The engine's answer for the last 30 days: what the screen must show.
  const admin = await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  await direct(harness, 'users.create', { ...SUPERVISOR, roles: ['supervisor'] }, admin.token);
  const view = await direct<DashboardView>(harness, 'dashboard.get', {}, admin.token);
  const sum = (k: 'screenings' | 'hits' | 'crossings' | 'flagged') => view.perDay.reduce((n, p) => n + p[k], 0);
  expect([view.from, view.to, view.timeZone, view.perDay.length]).toEqual([day(-29), day(0), 'Asia/Bangkok', 30]);
  expect([sum('screenings'), sum('crossings'), sum('flagged')]).toEqual([3, 3, 2]);
  const police = view.byList.find((l) => l.list === 'Police warrants')!;
  expect([police.confirmed, police.notSame]).toEqual([1, 1]);
  const hits = sum('hits');
  expect(hits).toBeGreaterThanOrEqual(2);

  // --- a supervisor (not an officer) opens it ------------------------------------------------------
  await page.getByTestId('sign-out').click();
  const signin = page.getByTestId('signin-form');
  await signin.getByLabel('Username').fill(SUPERVISOR.username);
  await signin.getByLabel('Password').fill(SUPERVISOR.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('current-user')).toContainText(SUPERVISOR.username);
  await expect(page.getByTestId('nav-screening')).toHaveCount(0);
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('nav-dashboard')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('screen-dashboard')).toBeVisible();
  await expect(page.getByTestId('dash-range')).toHaveText(`${dayLabel(day(-29), 'en')} – ${dayLabel(day(0), 'en')} (30 days; days in Asia/Bangkok)`);
  await expect(page.getByTestId('dash-from')).toHaveValue(day(-29));
  await expect(page.getByTestId('dash-to')).toHaveValue(day(0));
  for (const [k, v] of [['screenings', 3], ['hits', hits], ['crossings', 3], ['flagged', 2], ['confirmed', 1], ['notSame', 1]] as const) {
    await expect(page.getByTestId(`total-${k}`).locator('dd'), k).toHaveText(String(v));
  }

  // Every chart drawn: a canvas with ink on it, named for screen readers (ECharts' aria option).
  for (const [id, title] of Object.entries(CHARTS)) {
    const box = page.getByTestId(`chart-${id}-canvas`);
    await expect(box.locator('canvas').first(), id).toBeVisible();
    await expect(box).toHaveAttribute('role', 'img');
    await expect(box).toHaveAttribute('aria-label', new RegExp(`^Chart: ${title}, .*Show as table`));
    await expect.poll(() => inked(page, id), { message: `${id} drawn` }).toBeGreaterThan(500);
    await expect(page.getByTestId(`table-${id}`)).toBeHidden();
  }
  // Thai glyphs loaded once, so that the Thai screenshot's canvases are drawn with them.
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('chart-perDay').locator('h3')).toHaveText('การคัดกรองและผลตรงกันรายวัน');
  await page.getByTestId('lang-en').first().click();
  await axe(page, 'dashboard (en)');
  await snapBothLanguages(page, 'dashboard');

  // --- each chart's numbers as a table --------------------------------------------------------------
  const perDay = await openTable(page, 'perDay');
  await expect(perDay.locator('caption')).toHaveText(`Screenings and hits per day, ${dayLabel(day(-29), 'en')} – ${dayLabel(day(0), 'en')}`);
  await expect(perDay.locator('thead th')).toHaveText(['Day', 'Screenings', 'Hits', 'Crossings', 'Flagged crossings']);
  await expect(page.getByTestId('table-perDay-row')).toHaveCount(30);
  await expect(cellsOf(page, 'perDay', dayLabel(day(0), 'en'))).toHaveText(['3', String(hits), '3', '2']);
  await expect(cellsOf(page, 'perDay', dayLabel(day(-1), 'en'))).toHaveText(['0', '0', '0', '0']);
  await openTable(page, 'byList');
  await expect(cellsOf(page, 'byList', 'Police warrants')).toHaveText(['Wanted', String(police.hits), '1', '1', String(police.undecided)]);
  await openTable(page, 'decisions');
  await expect(page.getByTestId('table-decisions-row')).toHaveCount(view.decisions.length);
  for (const [i, d] of view.decisions.entries()) {
    await expect(page.getByTestId('table-decisions-row').nth(i).locator('td').nth(1)).toHaveText(String(d.confirmed));
    await expect(page.getByTestId('table-decisions-row').nth(i).locator('td').nth(2)).toHaveText(String(d.notSame));
  }
  await openTable(page, 'byCheckpoint');
  await expect(cellsOf(page, 'byCheckpoint', 'Nong Khai Friendship Bridge')).toHaveText(['3', '2']);
  await openTable(page, 'byDirection');
  await expect(cellsOf(page, 'byDirection', 'Entry')).toHaveText(['2', '1']);
  await expect(cellsOf(page, 'byDirection', 'Exit')).toHaveText(['1', '1']);
  await openTable(page, 'topEntries');
  await expect(cellsOf(page, 'topEntries', 'Narongrit Phanthawong')).toHaveText(['Police warrants', 'W-0001', 'CR-2567/0412', '1', '1']);
  await expect(cellsOf(page, 'topEntries', 'Kanokwan Srisombat')).toHaveText(['Police warrants', 'W-0008', 'CR-2567/0471', '1', '0']);
  await openTable(page, 'outcomes');
  await expect(page.getByTestId('table-outcomes').locator('thead th')).toHaveText(['Day', 'Passed', 'Refused entry', 'Held', 'Referred']);
  await expect(cellsOf(page, 'outcomes', dayLabel(day(0), 'en'))).toHaveText(['1', '0', '1', '1']);
  await axe(page, 'dashboard tables (en)');
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('toggle-table-perDay')).toHaveText('ซ่อนตาราง');
  await expect(cellsOf(page, 'perDay', dayLabel(day(0), 'th'))).toHaveText(['3', String(hits), '3', '2']);
  await expect(cellsOf(page, 'byDirection', 'ขาเข้า')).toHaveText(['2', '1']);
  await expect(page.getByTestId('dash-range')).toContainText('30 วัน นับวันตามเขตเวลา Asia/Bangkok');
  await axe(page, 'dashboard tables (th)');
  await page.getByTestId('lang-en').first().click();

  // --- ranges: one typed day, a reversed range refused, a quick range --------------------------------
  await page.getByTestId('dash-from').fill(day(0));
  await page.getByTestId('dash-to').fill(day(0));
  await page.getByTestId('dash-apply').click();
  await expect(page.getByTestId('dash-range')).toHaveText(`${dayLabel(day(0), 'en')} – ${dayLabel(day(0), 'en')} (1 day; days in Asia/Bangkok)`);
  await expect(page.getByTestId('table-perDay-row')).toHaveCount(1);
  await page.getByTestId('dash-to').fill(day(-1));
  await page.getByTestId('dash-to').press('Enter');
  await expect(page.getByTestId('error')).toContainText(/the day range ends before it starts/i);
  await page.getByTestId('dash-last-7').click();
  await expect(page.getByTestId('dash-range')).toContainText('(7 days; days in Asia/Bangkok)');
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByTestId('dash-from')).toHaveValue(day(-6));
  await expect(page.getByTestId('table-perDay-row')).toHaveCount(7);
  await expect(page.getByTestId('total-crossings').locator('dd')).toHaveText('3');

  // --- the export: this range's tables as xlsx, in English then in Thai, each audited ------------------
  const [en] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-export').click()]);
  expect(en.suggestedFilename()).toBe(`watchdesk-dashboard-${day(-6)}-${day(0)}.xlsx`);
  await expect(page.getByTestId('dash-exported')).toContainText(en.suggestedFilename());
  const enBytes = readFileSync(await en.path());
  const enBook = XLSX.read(enBytes, { cellNF: true });
  expect(enBook.SheetNames).toEqual(['About', 'Per day', 'By list', 'By checkpoint', 'By direction', 'Decisions by band', 'Entries hit most', 'Outcomes per day', 'Audit anchor']);
  const enPerDay = values(enBook.Sheets['Per day']!);
  expect(enPerDay[0]).toEqual(['Day', 'Screenings', 'Hits', 'Crossings', 'Flagged crossings']);
  expect(enPerDay).toHaveLength(8);
  // The day as a date cell: Excel's day serial of the local day, shown as yyyy-mm-dd.
  expect(enPerDay[7]).toEqual([serial(day(0)), 3, hits, 3, 2]);
  expect(enBook.Sheets['Per day']!.A8?.z).toBe('yyyy-mm-dd');
  await axe(page, 'dashboard exported (en)');

  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('dash-export')).toHaveText('ส่งออก xlsx');
  const [th] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-export').click()]);
  expect(th.suggestedFilename()).toBe(`watchdesk-dashboard-${day(-6)}-${day(0)}.xlsx`);
  const thBytes = readFileSync(await th.path());
  const thBook = XLSX.read(thBytes);
  expect(thBook.SheetNames.slice(0, 3)).toEqual(['เกี่ยวกับไฟล์', 'รายวัน', 'ตามบัญชี']);
  const thDirections = values(thBook.Sheets['ตามทิศทาง']!);
  expect(thDirections).toEqual([['ทิศทาง', 'การผ่านแดน', 'การผ่านแดนที่มีผลตรงกัน'], ['ขาเข้า', 2, 1], ['ขาออก', 1, 1]]);
  await expect(page.getByTestId('dash-exported')).toBeVisible();
  await axe(page, 'dashboard exported (th)');
  await page.getByTestId('lang-en').first().click();

  const audited = (await direct<{ entries: AuditEntryView[] }>(harness, 'audit.list', { action: 'export.dashboard' }, admin.token)).entries;
  expect(audited.map((a) => a.details).reverse()).toEqual([
    { sha256: sha256(enBytes), from: day(-6), to: day(0), lang: 'en' },
    { sha256: sha256(thBytes), from: day(-6), to: day(0), lang: 'th' },
  ]);
  expect(audited.every((a) => a.actorName === SUPERVISOR.username)).toBe(true);
  expect(pageErrors).toEqual([]);
  expect(cspErrors).toEqual([]);
});
