/**
 * The crossings browser, as an auditor-supervisor uses it (issue 14), at 1366x768 in English and
 * Thai with axe on every state: three crossings recorded at the desk, then filtered by outcome,
 * decision and list, searched by name (a Thai-script query finds the romanized traveler) and by
 * document number, sorted by a column header (aria-sort), a crossing's detail opened with the
 * keyboard (the listed name, warrant reference, decider and notes shown; focus kept in the panel
 * and given back to the row), exported as xlsx and csv with progress (the files read back, their
 * SHA-256 as shown and as audited), an export cancelled, and the audit trail exported.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page, Route } from '@playwright/test';
import { exportLabel } from '../../shared/export-labels';
import { ADMIN, axe, direct, expect, publishList, setUpAsAdmin, snap, snapBothLanguages, test } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });

/** Today at the checkpoint (Asia/Bangkok), as the export file names carry it. */
const today = (): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok' }).format(new Date());
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Screens the traveler typed in the form's full-name field (Enter screens). */
async function screenByName(page: Page, fullName: string, dob?: string): Promise<void> {
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill(fullName);
  if (dob) await form.getByLabel('Date of birth').fill(dob);
  await form.getByLabel('Full name').press('Enter');
}

/** Records the crossing on screen. */
async function record(page: Page, direction: 'Entry' | 'Exit', outcome: string, note?: string): Promise<void> {
  const form = page.getByTestId('record-form');
  await form.getByLabel(direction).check();
  await page.getByTestId('record-outcome').selectOption(outcome);
  if (note) await page.getByTestId('record-note').fill(note);
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-success')).toBeVisible();
}

test('the crossings browser: filters, name and document search, sort, the detail by keyboard, exports with progress, the audit export (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));

  // A 3-row export ends before anyone could see its progress: while `holdStatus` is on,
  // exports.status answers "running, 1 of 3 rows" (made up here) so that the progress and its
  // Cancel can be seen and used; a real exports.cancel lifts the hold once the engine has taken it.
  let holdStatus = false;
  await page.route('**/api', async (route: Route) => {
    const req = route.request().postDataJSON() as { method?: string; payload?: { jobId?: string } } | null;
    if (req?.method === 'exports.status' && holdStatus) {
      await route.fulfill({
        json: { ok: true, result: { jobId: req.payload?.jobId, kind: 'crossings', format: 'xlsx', state: 'running', done: 1, total: 3, fileName: null, rows: null, bytes: null, sha256: null, error: null } },
      });
      return;
    }
    if (req?.method === 'exports.cancel') {
      const response = await route.fetch();
      holdStatus = false;
      await route.fulfill({ response });
      return;
    }
    await route.continue();
  });

  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();

  // --- three crossings: a wanted man held (confirmed, with notes), a clear traveler, a cleared namesake ---
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('PHANTAWONG NARONGRIT');
  await form.getByLabel('Date of birth').fill('14/03/2530');
  await form.getByLabel('Sex').selectOption('M');
  await form.getByLabel('Nationality').fill('THA');
  await form.getByLabel('Document number').fill('AA1234567');
  await form.getByLabel('Document number').press('Enter');
  const narongrit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(narongrit).toHaveAttribute('data-band', 'strong');
  await narongrit.getByTestId('decision-note').fill('Warrant and photo match; police called');
  await narongrit.getByTestId('decide-confirm').click();
  await expect(narongrit).toHaveAttribute('data-decision', 'confirmed');
  await record(page, 'Exit', 'held', 'Handed to the Nong Khai police');

  await screenByName(page, 'SOMCHAI THONGDI', '1990-01-01');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'clear');
  await record(page, 'Entry', 'passed');

  await screenByName(page, 'Kanokwan Srisombat', '1992-07-05');
  const kanokwan = page.locator('[data-testid="hit-card"][data-entry-id="W-0008"]');
  await expect(kanokwan).toBeVisible();
  await kanokwan.getByTestId('decision-note').fill('Different face; 15 cm taller');
  await kanokwan.getByTestId('decide-not-same').click();
  await expect(kanokwan).toHaveAttribute('data-decision', 'not-same-person');
  await record(page, 'Entry', 'referred');

  // --- the browser: newest first, every crossing --------------------------------------------------
  await page.getByTestId('nav-crossings').click();
  const rows = page.getByTestId('crossing-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('crossings-total')).toHaveText('3 crossings');
  await expect(rows.nth(0)).toContainText('Kanokwan Srisombat');
  await expect(rows.nth(2)).toContainText('PHANTAWONG NARONGRIT');
  await expect(rows.nth(2)).toContainText('Narongrit Phanthawong'); // the listed name, beside list:entry
  await expect(rows.nth(2)).toContainText('CR-2567/0412');
  await expect(rows.nth(2)).toHaveAttribute('data-flagged', 'true');
  const timeHeader = page.locator('th:has([data-testid="sort-time"])');
  await expect(timeHeader).toHaveAttribute('aria-sort', 'descending');
  await axe(page, 'crossings browser (en)');
  await snapBothLanguages(page, 'crossings-browser');
  // The top bar holds a user's every tab on one row at 1366 px in both languages, the checkpoint
  // uncut; the hits column shows the entry id whole beside two badges (Flagged, Not the same person).
  for (const lang of ['th', 'en'] as const) {
    await page.getByTestId(`lang-${lang}`).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    expect((await page.locator('header.topbar').boundingBox())!.height, `top bar (${lang})`).toBeLessThanOrEqual(50);
    expect(await page.getByTestId('checkpoint').evaluate((e) => e.scrollWidth <= e.clientWidth), `checkpoint (${lang})`).toBe(true);
  }
  await expect(rows.nth(0).locator('.cx-hit-id')).toHaveText('W-0008');
  const idBox = (await rows.nth(0).locator('.cx-hit-id').boundingBox())!;
  const hitsBox = (await rows.nth(0).locator('td.cx-c-hits').boundingBox())!;
  expect(idBox.x + idBox.width).toBeLessThanOrEqual(hitsBox.x + hitsBox.width);
  expect(idBox.y + idBox.height).toBeLessThanOrEqual(hitsBox.y + hitsBox.height);

  // Filters: outcome; decision and list (one hit meets both); reset.
  await page.getByTestId('filter-outcome').selectOption('held');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('PHANTAWONG NARONGRIT');
  await page.getByTestId('filter-outcome').selectOption('');
  await expect(rows).toHaveCount(3);
  await page.getByTestId('filter-list').selectOption({ label: 'Police warrants' });
  await page.getByTestId('filter-decision').selectOption('not-same-person');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Kanokwan Srisombat');
  await page.getByTestId('filter-reset').click();
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('filter-decision')).toHaveValue('');

  // A name typed in Thai script finds the traveler whose passport spells it in Latin letters, best match first.
  await page.getByTestId('filter-name').fill('สมชาย ทองดี');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('SOMCHAI THONGDI');
  await expect(page.getByTestId('crossings-total')).toContainText('best match first');
  await expect(timeHeader).not.toHaveAttribute('aria-sort', /.+/);
  await page.getByTestId('filter-name').fill('');
  await expect(rows).toHaveCount(3);
  // A document number, as typed with spaces and dashes in lower case.
  await page.getByTestId('filter-document').fill('aa 123-4567');
  await page.getByTestId('filter-document').press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('PHANTAWONG NARONGRIT');
  await page.getByTestId('filter-document').fill('');
  await expect(rows).toHaveCount(3);

  // Sorting by a column header asks the engine; aria-sort says which way.
  const outcomeHeader = page.locator('th:has([data-testid="sort-outcome"])');
  await page.getByTestId('sort-outcome').click();
  await expect(outcomeHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(timeHeader).not.toHaveAttribute('aria-sort', /.+/);
  await expect(rows.nth(0)).toHaveAttribute('data-outcome', 'held');
  await expect(rows.nth(2)).toHaveAttribute('data-outcome', 'referred');
  await page.getByTestId('sort-outcome').click();
  await expect(outcomeHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0)).toHaveAttribute('data-outcome', 'referred');
  await page.getByTestId('sort-time').click();
  await expect(timeHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0)).toContainText('Kanokwan Srisombat');

  // --- the detail, by keyboard: Down twice to the held crossing, Enter ------------------------------
  await rows.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const heldRow = page.locator('[data-testid="crossing-row"][data-index="2"]');
  await expect(heldRow).toBeFocused();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('crossing-detail');
  await expect(page.getByRole('dialog', { name: /Crossing: PHANTAWONG NARONGRIT/ })).toBeVisible();
  await expect(page.getByTestId('detail-title')).toBeFocused();
  // It opens at its top: the crossing's facts in view, below the sticky header.
  await expect(detail.getByTestId('detail-crossing')).toBeVisible();
  expect(await detail.evaluate((e) => e.scrollTop)).toBe(0);
  const hit = detail.getByTestId('crossing-hit');
  await expect(hit).toHaveCount(1);
  await expect(hit.getByTestId('detail-listed-name')).toHaveText('Narongrit Phanthawong');
  await expect(hit.getByTestId('detail-reference')).toHaveText('CR-2567/0412');
  await expect(hit.getByTestId('detail-decision')).toContainText('Confirmed');
  await expect(hit.getByTestId('decided-by')).toContainText(`by ${ADMIN.username}`);
  await expect(hit.getByTestId('detail-hit-note')).toHaveText('Warrant and photo match; police called');
  await expect(hit).toContainText('Police warrants');
  await expect(hit.getByTestId('explanation')).toBeVisible(); // why it matched, as at the desk
  await expect(detail.getByTestId('detail-note')).toHaveText('Handed to the Nong Khai police');
  await expect(detail.getByTestId('detail-officer')).toHaveText(ADMIN.username);
  await expect(detail.getByTestId('detail-outcome')).toContainText('Held');
  await expect(detail.getByTestId('detail-direction')).toHaveText('Exit');
  await expect(detail.getByTestId('detail-document')).toHaveText('AA1234567');
  await expect(detail.getByTestId('detail-time')).toHaveAttribute('title', /UTC$/);
  await expect(detail.getByTestId('detail-version')).toHaveCount(1);
  await expect(detail.getByTestId('detail-version')).toContainText('Police warrants');
  // Focus stays in the panel: Shift+Tab from the title wraps to its last control.
  await page.keyboard.press('Shift+Tab');
  await expect(detail.locator(':focus')).toHaveCount(1);
  await axe(page, 'crossing detail (en)');
  await snap(page, 'crossings-detail-en');
  await detail.getByTestId('lang-th').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(hit.getByTestId('detail-decision')).toContainText('ยืนยันแล้ว');
  await expect(detail.getByTestId('detail-outcome')).toContainText('กักตัว');
  await axe(page, 'crossing detail (th)');
  await snap(page, 'crossings-detail-th');
  await detail.getByTestId('lang-en').click();
  // A control that takes focus while the sticky header covers it is scrolled out from under it.
  await detail.evaluate((e) => {
    const link = e.querySelector('[data-testid="correct-hit"]')!;
    e.scrollTop += link.getBoundingClientRect().top - e.getBoundingClientRect().top - 8;
  });
  await detail.getByTestId('correct-hit').focus();
  const headBox = (await detail.locator('.cx-detail-head').boundingBox())!;
  expect((await detail.getByTestId('correct-hit').boundingBox())!.y).toBeGreaterThanOrEqual(headBox.y + headBox.height);
  // Escape closes it; focus is back on the row that opened it.
  await page.getByTestId('detail-title').focus();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(heldRow).toBeFocused();

  // --- exports: xlsx with its progress, then csv in Thai (flagged only), then one cancelled ---------
  await expect(page.getByTestId('export-progress')).toHaveCount(0);
  holdStatus = true;
  await page.getByTestId('export-xlsx').click();
  await expect(page.getByTestId('export-progress')).toBeVisible();
  await expect(page.getByTestId('export-progress-text')).toHaveText('1 of 3 rows');
  await expect(page.getByTestId('export-cancel')).toBeFocused();
  await expect(page.getByTestId('export-xlsx')).toBeDisabled();
  await axe(page, 'export running');
  await snapBothLanguages(page, 'crossings-export-progress');
  const xlsxDownload = page.waitForEvent('download');
  holdStatus = false;
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toBe(`watchdesk-crossings-${today()}.xlsx`);
  const xlsxPath = join(harness.dir, xlsx.suggestedFilename());
  await xlsx.saveAs(xlsxPath);
  const xlsxBytes = readFileSync(xlsxPath);
  const done = page.getByTestId('export-done');
  await expect(done).toBeFocused();
  await expect(done).toHaveText(new RegExp(`^Exported \\d+ rows to watchdesk-crossings-${today()}\\.xlsx \\(SHA-256 ${sha256(xlsxBytes).slice(0, 12)}…\\)\\.$`));
  await expect(page.getByTestId('export-progress')).toHaveCount(0);
  await axe(page, 'export done');
  await snapBothLanguages(page, 'crossings-export-done');
  // Read back: the crossings sheet (real date cells) and the hits sheet (listed name, reference, decider).
  const en = (k: Parameters<typeof exportLabel>[1]) => exportLabel('en', k);
  const wb = XLSX.read(xlsxBytes, { type: 'buffer', cellDates: true });
  const crossingsSheet = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[en('sheet.crossings')]!);
  expect(crossingsSheet).toHaveLength(3);
  const held = crossingsSheet.find((r) => r[en('col.traveler')] === 'PHANTAWONG NARONGRIT')!;
  expect(held[en('col.outcome')]).toBe(en('outcome.held'));
  expect(held[en('col.crossingNote')]).toBe('Handed to the Nong Khai police');
  expect(held[en('col.time')]).toBeInstanceOf(Date);
  const hitsSheet = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[en('sheet.hits')]!);
  const warrant = hitsSheet.find((r) => r[en('col.reference')] === 'CR-2567/0412')!;
  expect(warrant[en('col.listedName')]).toBe('Narongrit Phanthawong');
  expect(warrant[en('col.decision')]).toBe(en('decision.confirmed'));
  expect(warrant[en('col.decidedBy')]).toBe(ADMIN.username);
  expect(warrant[en('col.hitNote')]).toBe('Warrant and photo match; police called');

  await page.getByTestId('flagged-only').check();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('lang-th').first().click();
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe(`watchdesk-flagged-crossings-${today()}.csv`);
  const csvPath = join(harness.dir, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const csvBytes = readFileSync(csvPath);
  await expect(done).toContainText(`SHA-256 ${sha256(csvBytes).slice(0, 12)}`);
  await expect(done).toContainText('ส่งออก');
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with BOM
  const csvText = csvBytes.subarray(3).toString('utf8');
  expect(csvText.split(/\r?\n/)[0]).toContain(exportLabel('th', 'col.listedName')); // headers in the UI's language
  expect(csvText).toContain('PHANTAWONG NARONGRIT');
  expect(csvText).toContain('CR-2567/0412');
  expect(csvText).toContain('Narongrit Phanthawong');
  expect(csvText).toContain('Kanokwan Srisombat');
  expect(csvText).not.toContain('SOMCHAI'); // not flagged
  await page.getByTestId('lang-en').first().click();

  // Cancelled: no file, and said so.
  const before = downloads.length;
  holdStatus = true;
  await page.getByTestId('export-csv').click();
  await expect(page.getByTestId('export-cancel')).toBeFocused();
  await page.keyboard.press('Enter');
  const cancelled = page.getByTestId('export-cancelled');
  await expect(cancelled).toBeVisible();
  await expect(cancelled).toBeFocused();
  await expect(cancelled).toContainText('Export cancelled');
  await expect(page.getByTestId('export-progress')).toHaveCount(0);
  expect(downloads.length).toBe(before);

  // The engine audited the two files handed out (with their SHA-256), the detail viewed and the searches, never a name.
  const token = (await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })).token;
  type Entries = { entries: { action: string; subject: string | null; details: Record<string, unknown> }[] };
  const exported = await direct<Entries>(harness, 'audit.list', { action: 'export.crossings' }, token);
  expect(exported.entries.map((e) => e.details['sha256']).sort()).toEqual([sha256(xlsxBytes), sha256(csvBytes)].sort());
  const viewed = await direct<Entries>(harness, 'audit.list', { action: 'crossing.view' }, token);
  expect(viewed.entries.length).toBeGreaterThanOrEqual(1);
  const searched = await direct<Entries>(harness, 'audit.list', { action: 'crossings.search' }, token);
  expect(searched.entries.length).toBeGreaterThanOrEqual(2);
  const trail = JSON.stringify([exported, viewed, searched]);
  for (const personal of ['สมชาย', 'SOMCHAI', 'THONGDI', 'AA1234567', 'aa 123-4567', 'NARONGRIT']) expect(trail).not.toContain(personal);

  // --- the audit trail's own export: today's rows, every action ---------------------------------------
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-from').fill(today());
  await page.getByTestId('audit-to').fill(today());
  const auditDownload = page.waitForEvent('download');
  await page.getByTestId('audit-export-xlsx').click();
  const auditFile = await auditDownload;
  expect(auditFile.suggestedFilename()).toBe(`watchdesk-audit-${today()}.xlsx`);
  const auditPath = join(harness.dir, auditFile.suggestedFilename());
  await auditFile.saveAs(auditPath);
  const auditBytes = readFileSync(auditPath);
  const auditDone = page.getByTestId('audit-export-done');
  await expect(auditDone).toContainText(`SHA-256 ${sha256(auditBytes).slice(0, 12)}`);
  const auditRows = Number(/Exported (\d+) rows/.exec((await auditDone.textContent()) ?? '')?.[1]);
  const auditSheet = XLSX.utils.sheet_to_json<Record<string, unknown>>(XLSX.read(auditBytes, { type: 'buffer' }).Sheets[en('sheet.audit')]!);
  expect(auditSheet.length).toBe(auditRows);
  expect(auditRows).toBeGreaterThan(5);
  expect(Object.keys(auditSheet[0]!)).toContain(en('col.hash'));
  await axe(page, 'audit export done');
  await snapBothLanguages(page, 'crossings-audit-export');
  expect(pageErrors).toEqual([]);
});
