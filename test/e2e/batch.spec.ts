/**
 * Batch screening (issue 11): a supervisor/officer uploads a passenger manifest, follows its
 * progress, reads the travelers with their hits (filter, expand), the rows with problems, exports
 * xlsx (read back), and cancels a larger run, which keeps what it screened. Keyboard first, at
 * 1366x768, in English and Thai, with axe on every state. The harness waits 400 ms before each
 * traveler (WATCHDESK_TEST_BATCH_DELAY_MS) so that progress and cancel can be watched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page } from '@playwright/test';
import { axe, expect, FIXTURES, publishList, setUpAsAdmin, snap, snapBothLanguages, test } from './fixtures';

test.use({
  timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 },
  harnessEnv: { WATCHDESK_TEST_BATCH_DELAY_MS: '400' },
});


/** Presses Tab until the element with `testId` has focus (it is reachable by keyboard). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  throw new Error(`${testId} is not reachable with Tab`);
}



test('manifest screened with progress, results, filter, expand, export, cancel; keyboard, English and Thai', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');

  // --- the empty screen: the file chooser and Start are reached with the keyboard.
  await page.getByTestId('nav-batch').click();
  await expect(page.getByTestId('screen-batch')).toBeVisible();
  await expect(page.getByTestId('batch-start')).toBeDisabled();
  await snapBothLanguages(page, '31-batch-empty');
  await axe(page, 'empty');
  await page.getByTestId('nav-batch').focus();
  await tabTo(page, 'batch-file');
  await page.getByTestId('batch-file').setInputFiles(join(FIXTURES, 'batch-manifest.csv')); // the OS file dialog cannot be driven
  await expect(page.getByTestId('batch-file-name')).toHaveText('batch-manifest.csv');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('batch-start')).toBeFocused();
  await page.keyboard.press('Enter');

  // --- progress: "N of 9 travelers", Cancel has focus.
  const progress = page.getByTestId('batch-progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('batch-progress-text')).toContainText('of 9 travelers');
  await expect(page.getByTestId('batch-cancel')).toBeFocused();

  // --- results by traveler; focus moves to them.
  const results = page.getByTestId('batch-results');
  await expect(results).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(progress).toBeHidden();
  await expect(page.locator('#batch-results-title')).toBeFocused();
  await expect(page.getByTestId('stat-travelers')).toHaveText('8');
  await expect(page.getByTestId('stat-with-hits')).toHaveText('4');
  await expect(page.getByTestId('stat-problems')).toHaveText('2');
  const rows = page.getByTestId('batch-row');
  await expect(rows).toHaveCount(8);
  const px001 = rows.filter({ hasText: 'PX-001' });
  await expect(px001).toContainText('Police warrants');
  await expect(px001).toContainText('Strong');
  await expect(px001.getByTestId('batch-at-review')).toHaveText('1');
  await expect(rows.filter({ hasText: 'PX-004' })).toContainText('KANOKWAN SRISOMBAT');
  await expect(rows.filter({ hasText: 'PX-002' })).toContainText('no hits');
  // Problems with their row numbers, in words.
  const problems = page.getByTestId('batch-problem');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toHaveAttribute('data-row', '8');
  await expect(problems.nth(0)).toContainText('Row 8');
  await expect(problems.nth(0)).toContainText('The row has no name');
  await expect(problems.nth(1)).toContainText('Row 9');
  await expect(problems.nth(1)).toContainText('Not a machine-readable zone');
  await axe(page, 'results');

  // --- keyboard: the filter (Space) and a traveler's hits (Enter).
  await tabTo(page, 'batch-only-hits');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('batch-only-hits')).toBeChecked();
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'PX-002' })).toHaveCount(0);
  await tabTo(page, 'batch-expand');
  await expect(page.locator('[data-testid="batch-expand"]:focus')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  const hits = page.getByTestId('batch-hits');
  await expect(hits).toHaveCount(1);
  await expect(hits.locator('[data-testid="batch-hit"][data-entry-id="W-0001"]')).toContainText('CR-2567/0412');
  await expect(page.locator('[data-testid="batch-expand"]:focus')).toHaveAttribute('aria-expanded', 'true');
  await axe(page, 'expanded');
  await snapBothLanguages(page, '31-batch-results');

  // --- Thai: the same results in Thai words, Buddhist-Era dates, axe again.
  await page.getByTestId('lang-th').first().click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByTestId('screen-batch')).toContainText('คัดกรองรายชื่อผู้โดยสารเป็นชุด');
  await expect(page.getByTestId('nav-batch')).toHaveText('คัดกรองเป็นชุด');
  await expect(problems.nth(0)).toContainText('แถว 8');
  await expect(hits).toContainText('2530'); // 14 Mar 1987 in the Buddhist Era
  await axe(page, 'results in Thai');
  await page.getByTestId('lang-en').first().click();

  // --- export xlsx (only travelers with hits, as filtered), read back.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-export-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/^watchdesk-batch-batch-manifest-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const wb = XLSX.read(readFileSync(await download.path()));
  expect(wb.SheetNames).toEqual(['Travelers', 'Hits', 'Problems', 'Audit anchor']);
  const travelers = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Travelers!);
  expect(travelers.map((t) => t.ID)).toEqual(['PX-001', 'PX-003', 'PX-004', 'PX-008']);
  expect(travelers[0]).toMatchObject({ Traveler: 'NARONGRIT PHANTHAWONG', 'Top entry ID': 'W-0001', 'Top band': 'strong' });
  expect(XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Problems!).map((p) => p.Row)).toEqual([8, 9]);
  await expect(page.getByTestId('batch-exported')).toContainText('Exported 4 travelers');
  await expect(page.getByTestId('batch-exported')).toBeFocused();

  // --- a larger manifest, cancelled: progress in both languages, then what was screened.
  const big = join(harness.dir, 'manifest-300.csv');
  const lines = ['id,name,date of birth,nationality'];
  for (let i = 1; i <= 300; i++) lines.push(i % 3 ? `M-${i},Testtraveler Nobody${i},1980-01-0${1 + (i % 9)},THA` : `M-${i},Narongrit Phanthawong,1987-03-14,THA`);
  writeFileSync(big, lines.join('\n'));
  await page.getByTestId('batch-file').setInputFiles(big);
  await page.getByTestId('batch-start').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('batch-results')).toBeHidden();
  await expect(page.getByTestId('batch-cancel')).toBeFocused();
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('batch-progress-text')).toContainText(/\d+ of 300 travelers/);
  await axe(page, 'running');
  await snap(page, '31-batch-progress-en');
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('batch-progress-text')).toContainText(/ผู้เดินทาง \d+ จาก 300 คน/);
  await expect(page.getByTestId('batch-cancel')).toHaveText('ยกเลิก');
  await snap(page, '31-batch-progress-th');
  await page.getByTestId('lang-en').first().click();
  await page.getByTestId('batch-cancel').focus();
  await page.keyboard.press('Enter');
  await expect(results).toHaveAttribute('data-state', 'cancelled', { timeout: 20_000 });
  const notice = page.getByTestId('batch-cancelled');
  await expect(notice).toContainText(/Cancelled after \d+ of 300 travelers/);
  const done = Number(/after (\d+) of/.exec((await notice.textContent()) ?? '')![1]);
  expect(done).toBeGreaterThanOrEqual(2);
  expect(done).toBeLessThan(300);
  await expect(page.getByTestId('stat-travelers')).toHaveText(String(done));
  await expect(page.getByTestId('batch-problems')).toBeHidden(); // none among the rows reached
  await expect(rows).toHaveCount(Math.floor(done / 3)); // the filter is still on: every third traveler is listed
  await axe(page, 'cancelled');
  await snapBothLanguages(page, '31-batch-cancelled');

  // --- leaving and coming back shows the same batch; clearing forgets it.
  await page.getByTestId('nav-crossings').click();
  await page.getByTestId('nav-batch').click();
  await expect(results).toHaveAttribute('data-state', 'cancelled');
  await page.getByTestId('batch-clear').click();
  await expect(results).toBeHidden();
  expect(pageErrors).toEqual([]);
});
