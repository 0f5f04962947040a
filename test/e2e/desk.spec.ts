/**
 * The whole job at the desk, end to end against the browser harness: first-run setup, sign-in,
 * importing a wanted list (check, then publish), screening a listed traveler (typo, reversed name
 * order, Buddhist-Era date of birth) and one who is not listed, the rules of the desk, recording
 * both crossings, and exporting the flagged crossings as xlsx and csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { exportLabel } from '../../shared/export-labels';
import { ADMIN, completeSetup, expect, FIXTURES, fontsReady, SCREENSHOTS, snapBothLanguages, test } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', acceptDownloads: true });

test('first run to flagged export: the whole desk workflow', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // The <meta> CSP mirrors the header CSP word for word (a unit test keeps them equal), and
    if (m.type() === 'error') pageErrors.push(m.text());
  });

  // --- first-run setup -------------------------------------------------------------------------
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: /First-run setup/ })).toBeVisible();
  // The harness token left the visible URL (it lives in sessionStorage now).
  expect(page.url()).not.toContain('harness=');
  const setup = page.getByTestId('setup-form');
  await expect(setup.getByLabel('Time zone')).toHaveValue('Asia/Bangkok');
  await expect(page.getByTestId('recovery-help')).toContainText('only way to recover');

  // Client-side checks before anything is created.
  await completeSetup(page);
  await setup.getByLabel('Confirm recovery passphrase').fill('something else entirely');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('setup-problems')).toContainText('recovery passphrases are not the same');
  await setup.getByLabel('Confirm recovery passphrase').fill(ADMIN.passphrase);
  await snapBothLanguages(page, '01-setup');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('checkpoint')).toContainText('Nong Khai Friendship Bridge · Asia/Bangkok');
  await expect(page.getByTestId('current-user')).toContainText('admin');

  // --- sign out, wrong password, sign in --------------------------------------------------------
  await page.getByTestId('sign-out').click();
  const signin = page.getByTestId('signin-form');
  await expect(signin).toBeVisible();
  await signin.getByLabel('Username').fill(ADMIN.username);
  await signin.getByLabel('Password').fill('not the password');
  await page.getByTestId('signin-submit').click();
  await expect(signin.getByRole('alert')).toContainText('Wrong username or password');
  await snapBothLanguages(page, '02-signin');
  await signin.getByLabel('Password').fill(ADMIN.password);
  await signin.getByLabel('Password').press('Enter');
  await expect(page.getByTestId('screen-screening')).toBeVisible();

  // --- import the wanted list: check first, then publish -----------------------------------------
  await page.getByTestId('nav-watchlists').click();
  await expect(page.getByTestId('no-lists')).toBeVisible();
  const importForm = page.getByTestId('import-form');
  await page.getByTestId('import-file').setInputFiles(join(FIXTURES, 'e2e-wanted.csv'));
  await importForm.getByLabel('List name').fill('Police warrants');
  await importForm.getByLabel('Kind').selectOption('wanted');
  await page.getByTestId('import-check').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(page.getByTestId('count-read')).toHaveText('12');
  await expect(page.getByTestId('count-imported')).toHaveText('11');
  await expect(page.getByTestId('count-rejected')).toHaveText('1');
  const mapping = page.getByTestId('mapping-table');
  await expect(mapping.locator('tr[data-field="fullName"]')).toContainText('full_name');
  await expect(mapping.locator('tr[data-field="passport"]')).toContainText('passport_number');
  await expect(mapping.locator('tr[data-field="reference"]')).toContainText('warrant_no');
  const problems = page.getByTestId('problem-row');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText('Warning');
  await expect(problems.nth(0)).toContainText('12');
  await expect(problems.nth(0)).toContainText('date_of_birth');
  await expect(problems.nth(1)).toContainText('Error');
  await expect(problems.nth(1)).toContainText('13');
  await expect(problems.nth(1)).toContainText('no name');
  // A dry run publishes nothing.
  await expect(page.getByTestId('no-lists')).toBeVisible();
  await snapBothLanguages(page, '03-watchlists-report');

  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toContainText('Published version 1 of “Police warrants” with 11 entries');
  await expect(page.getByTestId('import-published')).toBeFocused(); // the publish button went away: focus is not left on the page body
  const listRow = page.locator('[data-testid="list-row"][data-list="Police warrants"]');
  await expect(listRow.getByTestId('list-version')).toHaveText('1');
  await expect(listRow.getByTestId('list-count')).toHaveText('11');
  await expect(listRow).toContainText('Wanted');
  await expect(listRow).toContainText('Current');
  await listRow.getByTestId('view-entries').click();
  await expect(page.getByTestId('entry-row')).toHaveCount(11);
  await page.getByTestId('entries-filter').fill('Khampone Sisouphan');
  await expect(page.getByTestId('entry-row').first()).toContainText('Khamphone Sisouphanh');
  await snapBothLanguages(page, '04-watchlists-entries');

  // --- screen a listed traveler: typo, reversed name order, Buddhist-Era date -------------------
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('list-status-item')).toContainText('Police warrants');
  await expect(page.getByTestId('list-status-item')).toContainText('v1');
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('PHANTAWONG NARONGRIT');
  await form.getByLabel('Date of birth').fill('14/03/2530');
  await expect(page.getByTestId('dob-reads')).toContainText('14 Mar 1987');
  await form.getByLabel('Sex').selectOption('M');
  await form.getByLabel('Nationality').fill('THA');
  await form.getByLabel('Document number').fill('AA1234567');
  await form.getByLabel('Issuing state').fill('THA');
  await form.getByLabel('Issuing state').press('Enter'); // the form submits on Enter

  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(hit).toBeVisible();
  await expect(hit).toHaveAttribute('data-band', 'strong');
  await expect(hit.getByTestId('hit-score')).toHaveText(/^(0\.9\d|1\.00)$/);
  await expect(hit).toContainText('Narongrit Phanthawong');
  await expect(hit).toContainText('Police warrants');
  await expect(hit.getByTestId('hit-reference')).toHaveText('CR-2567/0412');
  await expect(hit).toContainText('Call-centre fraud (organizer)');
  const explanation = hit.getByTestId('explanation');
  await expect(explanation.getByTestId('explanation-summary')).toContainText('phanthawong');
  await expect(explanation).toContainText('narongrit');
  await expect(explanation).toContainText('Document');
  await expect(hit.getByTestId('hit-action')).toContainText('Hold the traveler');
  await expect(page.getByTestId('rule-undecided')).toContainText('1 hit is still undecided');

  // Recording while the strong hit is undecided is refused by the engine.
  const record = page.getByTestId('record-form');
  await record.getByLabel('Exit').check();
  await page.getByTestId('record-outcome').selectOption('held');
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-error')).toContainText('1 hit(s) at or above review are undecided');

  // A Thai officer reads the same refusal, the explanation and its field checks in Thai (reason codes, not English sentences).
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('record-error')).toContainText('ยังมีผลตรงกัน 1 รายการ');
  await expect(explanation.getByTestId('explanation-summary')).toContainText('ชื่อ 0.');
  await expect(explanation.getByTestId('explanation-summary')).toContainText('เลขเอกสารตรงกัน');
  await expect(explanation).toContainText('วันเกิดตรงกัน');
  await expect(explanation.getByTestId('explanation-summary')).not.toContainText('same');
  await fontsReady(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, '05-hit-refused-th.png'), fullPage: true });
  await page.getByTestId('lang-en').first().click();

  // Adjudicate: confirmed, with a note.
  await hit.getByTestId('decision-note').fill('Passport photo and warrant match; duty officer informed');
  await hit.getByTestId('decide-confirm').click();
  await expect(hit).toHaveAttribute('data-decision', 'confirmed');
  await expect(hit.getByTestId('decided')).toContainText('Confirmed');
  await expect(page.getByTestId('rule-undecided')).toContainText('All hits that need a decision are decided');

  // A confirmed hit on a wanted list cannot end as passed.
  await page.getByTestId('record-outcome').selectOption('passed');
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-error')).toContainText('cannot end as passed');
  await snapBothLanguages(page, '05-screening-hit');

  // Held is allowed; the form resets and focus returns to the first field (the passport's MRZ).
  await page.getByTestId('record-outcome').selectOption('held');
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-success')).toContainText('PHANTAWONG NARONGRIT, Exit, Held');
  await expect(page.getByTestId('screening-result')).toHaveCount(0);
  await expect(form.getByLabel('Full name')).toHaveValue('');
  await expect(page.getByTestId('f-mrz')).toBeFocused();

  // --- a traveler who is not on the list: keyboard only -----------------------------------------
  await page.keyboard.press('Tab'); // MRZ -> Full name
  await page.keyboard.press('Tab'); // Full name -> Given names
  await page.keyboard.type('Somsak');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Boonmee');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1990-01-01');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('no-hits')).toBeVisible();
  await expect(page.locator('#record-title')).toBeFocused();
  await expect(page.getByTestId('record-outcome')).toHaveValue('passed');
  await snapBothLanguages(page, '06-screening-clear');
  await page.getByTestId('record-submit').focus(); // the language buttons took focus for the screenshots
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-success')).toContainText('Somsak Boonmee');
  await expect(page.getByTestId('record-success')).toContainText('Passed');
  await expect(page.getByTestId('f-mrz')).toBeFocused();

  // --- crossings: list, flagged filter, exports ---------------------------------------------------
  await page.getByTestId('nav-crossings').click();
  const rows = page.getByTestId('crossing-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('crossings-table')).toContainText('Time (Asia/Bangkok)');
  await expect(rows.first()).toContainText('Somsak Boonmee'); // newest first
  await page.getByTestId('flagged-only').check();
  await expect(rows).toHaveCount(1);
  const flagged = rows.first();
  await expect(flagged).toContainText('PHANTAWONG NARONGRIT');
  await expect(flagged).toContainText('Exit');
  await expect(flagged).toContainText('Held');
  await expect(flagged).toContainText('admin');
  await expect(flagged).toContainText('Police warrants:W-0001');
  await expect(flagged).toContainText('Strong');
  await expect(flagged).toContainText('Confirmed');
  // Local time of the checkpoint (Asia/Bangkok, UTC+7), as YYYY-MM-DD HH:MM:SS.
  await expect(flagged.locator('td').first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  // A date range that ends before today shows nothing; today's range shows the crossing.
  await page.getByTestId('filter-to').fill('2000-01-01');
  await expect(page.getByTestId('no-crossings')).toBeVisible();
  // Days are read in the checkpoint's time zone (Asia/Bangkok), not UTC.
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok' }).format(new Date());
  await page.getByTestId('filter-from').fill(today);
  await page.getByTestId('filter-to').fill(today);
  await expect(rows).toHaveCount(1);
  await snapBothLanguages(page, '07-crossings');

  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/^watchdesk-flagged-crossings-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const xlsxPath = join(harness.dir, xlsxDownload.suggestedFilename());
  await xlsxDownload.saveAs(xlsxPath);
  await expect(page.getByTestId('export-done')).toContainText('Exported 1 rows');
  // Issue 14's export: the flagged crossings sheet (value words in the UI's language), then a row per hit.
  const en = (k: Parameters<typeof exportLabel>[1]) => exportLabel('en', k);
  const wb = XLSX.read(readFileSync(xlsxPath), { type: 'buffer' });
  expect(wb.SheetNames[0]).toBe(en('sheet.flaggedCrossings'));
  const table = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[en('sheet.flaggedCrossings')]!);
  expect(table).toHaveLength(1);
  const row = table[0]!;
  expect(row[en('col.traveler')]).toBe('PHANTAWONG NARONGRIT');
  expect(row[en('col.outcome')]).toBe(en('outcome.held'));
  expect(row[en('col.direction')]).toBe(en('direction.exit'));
  expect(row[en('col.flagged')]).toBe(en('yes'));
  expect(row[en('col.document')]).toBe('AA1234567');
  expect(row[en('col.hits')]).toBe(1);
  const hits = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[en('sheet.hits')]!);
  expect(hits).toHaveLength(1);
  expect(hits[0]![en('col.list')]).toBe('Police warrants');
  expect(hits[0]![en('col.entryId')]).toBe('W-0001');
  expect(hits[0]![en('col.decision')]).toBe(en('decision.confirmed'));
  expect(JSON.stringify([table, hits])).not.toContain('Somsak');

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
  const csvPath = join(harness.dir, csvDownload.suggestedFilename());
  await csvDownload.saveAs(csvPath);
  const csv = readFileSync(csvPath);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.subarray(3).toString('utf8');
  expect(text).toContain('PHANTAWONG NARONGRIT');
  expect(text).toContain('Police warrants');
  expect(text).toContain('W-0001');
  expect(text).not.toContain('Somsak');
  expect(text).not.toContain('Boonmee');

  await fontsReady(page);
  expect(pageErrors).toEqual([]);
});
