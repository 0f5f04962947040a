/**
 * A list's lifecycle (issue 13): a supervisor renames a list, corrects its kind, retires it and
 * reactivates it from the Watchlists screen. A retired list is shown as retired, its entries stay
 * readable, screening stops using it at once (no restart), an import into it is refused with the
 * reason, and on a list with four eyes the second supervisor approves on the same desk. English and
 * Thai screenshots of the panel and of a retired list. Made-up names only.
 */
import { ADMIN, axe, direct, expect, publishList, setUpAsAdmin, snapBothLanguages, test } from './fixtures';
import type { Page } from '@playwright/test';

const SECOND = { username: 'somchai', password: 'second supervisor pw 7' };
const BORDER = Buffer.from('ID,Name,Date of birth\nB-1,TESTPERSON BORDERALERT,1981-05-05\n');

/** Screens one traveler from the Screening screen (English labels) and waits for the result. */
async function screen(page: Page, fullName: string, dob: string): Promise<void> {
  await page.getByTestId('nav-screening').click();
  // After a result the form is folded into the traveler's summary: start a new traveler.
  if (await page.getByTestId('traveler-summary').isVisible()) await page.getByTestId('traveler-summary').getByTestId('new-traveler').click();
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill(fullName);
  await form.getByLabel('Date of birth').fill(dob);
  await form.getByLabel('Date of birth').press('Enter');
  await expect(page.getByTestId('screening-result')).toBeVisible();
}

test('a supervisor renames, re-kinds, retires and reactivates a list; a retired list is not screened and stays readable (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  const { token } = await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  await direct(harness, 'users.create', { ...SECOND, roles: ['supervisor'] }, token);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await publishList(page, { name: 'border.csv', buffer: BORDER }, 'Border alerts', 'monitor');

  // --- the panel ---------------------------------------------------------------------------------
  const row = (name: string) => page.locator(`[data-testid="list-row"][data-list="${name}"]`);
  await row('Police warrants').getByTestId('view-lifecycle').click();
  const panel = page.getByTestId('lifecycle-panel');
  await expect(panel).toContainText('Manage “Police warrants”');
  await expect(page.getByTestId('lifecycle-four-eyes')).toHaveCount(0);
  await axe(page, 'list lifecycle panel');
  await snapBothLanguages(page, 'lists-lifecycle-panel');

  // --- rename: a name another list has is refused, with the reason ------------------------------
  await page.getByTestId('lifecycle-name').fill('border ALERTS');
  await page.getByTestId('lifecycle-rename').click();
  await expect(page.getByTestId('lifecycle-error')).toContainText(/another list is already named/i);
  await expect(row('Police warrants')).toHaveCount(1);
  await page.getByTestId('lifecycle-name').fill('Regional police warrants');
  await page.getByTestId('lifecycle-name').press('Enter');
  await expect(page.getByTestId('lifecycle-done')).toHaveText('Renamed “Police warrants” to “Regional police warrants”.');
  await expect(row('Regional police warrants')).toHaveCount(1);
  await expect(row('Police warrants')).toHaveCount(0);
  await expect(panel).toContainText('Manage “Regional police warrants”');

  // --- kind --------------------------------------------------------------------------------------
  await page.getByTestId('lifecycle-kind').selectOption('at-risk');
  await page.getByTestId('lifecycle-set-kind').click();
  await expect(page.getByTestId('lifecycle-done')).toContainText('is now of kind At risk (was Wanted)');
  await expect(row('Regional police warrants')).toContainText('At risk');

  // --- retire: asked first; "keep" changes nothing -------------------------------------------------
  await page.getByTestId('lifecycle-retire').click();
  await expect(page.getByTestId('lifecycle-retire-confirm')).toContainText('Retire “Regional police warrants”?');
  await page.getByTestId('lifecycle-retire-cancel').click();
  await expect(page.getByTestId('lifecycle-retire-confirm')).toHaveCount(0);
  await expect(row('Regional police warrants')).not.toHaveAttribute('data-retired', 'true');
  await page.getByTestId('lifecycle-retire').click();
  await axe(page, 'retire confirmation');
  await page.getByTestId('lifecycle-retire-submit').click();
  await expect(page.getByTestId('lifecycle-done')).toHaveText('Retired “Regional police warrants”: it is no longer used for screening.');
  const retiredRow = row('Regional police warrants');
  await expect(retiredRow).toHaveAttribute('data-retired', 'true');
  await expect(retiredRow.getByTestId('list-retired')).toHaveText('Retired');
  await expect(retiredRow.getByTestId('list-version')).toHaveText('v1 (retired)');
  await expect(page.getByTestId('lifecycle-retired')).toContainText('Retired at this desk on');
  await expect(page.getByTestId('lifecycle-reactivate')).toBeVisible();
  // Readable for audit: the entries of the version it had.
  await retiredRow.getByTestId('view-entries').click();
  await expect(page.getByTestId('entries-panel')).toContainText('(version 1)');
  await expect(page.getByTestId('entry-row')).toHaveCount(11);
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('lifecycle-retired')).toContainText('เลิกใช้ที่จุดตรวจนี้เมื่อ');
  await expect(retiredRow.getByTestId('list-retired')).toHaveText('เลิกใช้แล้ว');
  await page.getByTestId('lang-en').first().click();
  await axe(page, 'retired list');
  await snapBothLanguages(page, 'lists-lifecycle-retired');

  // --- an import into the retired list is refused with the reason --------------------------------
  await page.getByTestId('import-file').setInputFiles({ name: 'again.csv', mimeType: 'text/csv', buffer: Buffer.from('ID,Name\nW-9,TESTPERSON AGAIN\n') });
  const importForm = page.getByTestId('import-form');
  await importForm.getByLabel('List name').fill('Regional police warrants');
  await expect(page.getByTestId('import-retired')).toContainText('is retired: a file can be checked');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report')).toBeVisible();
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('error').filter({ hasText: 'this list is retired' })).toBeVisible();
  await expect(page.getByTestId('import-published')).toHaveCount(0);
  await expect(retiredRow.getByTestId('list-version')).toHaveText('v1 (retired)');

  // --- screening stops using it at once ------------------------------------------------------------
  await screen(page, 'PHANTAWONG NARONGRIT', '14/03/2530');
  await expect(page.getByTestId('no-hits')).toBeVisible();
  await expect(page.getByTestId('list-status-item').filter({ hasText: 'Border alerts' })).toHaveCount(1);
  await expect(page.getByTestId('list-status-item').filter({ hasText: 'Regional police warrants' })).toHaveCount(0);

  // --- four eyes: on "Border alerts", retiring needs the second supervisor on this desk -----------
  await page.getByTestId('nav-watchlists').click();
  await row('Border alerts').getByTestId('view-versions').click();
  await page.getByTestId('require-approval').click();
  await expect(page.getByTestId('require-approval')).toBeChecked();
  await row('Border alerts').getByTestId('view-lifecycle').click();
  await expect(panel).toContainText('Manage “Border alerts”');
  await expect(page.getByTestId('lifecycle-four-eyes')).toBeVisible();
  await page.getByTestId('lifecycle-retire').click();
  await page.getByTestId('lifecycle-retire-submit').click();
  const approval = page.getByTestId('lifecycle-approval');
  await expect(approval).toContainText('A second supervisor approves the retirement');
  // The asker's own account is not a second person; nothing changes.
  await page.getByTestId('second-approval-username').fill(ADMIN.username);
  await page.getByTestId('second-approval-password').fill(ADMIN.password);
  await page.getByTestId('second-approval-submit').click();
  await expect(page.getByTestId('second-approval-error')).toBeVisible();
  await expect(row('Border alerts')).not.toHaveAttribute('data-retired', 'true');
  await axe(page, 'lifecycle second approval');
  await snapBothLanguages(page, 'lists-lifecycle-four-eyes');
  await page.getByTestId('second-approval-username').fill(SECOND.username);
  await page.getByTestId('second-approval-password').fill(SECOND.password);
  await page.getByTestId('second-approval-submit').click();
  await expect(approval).toHaveCount(0);
  await expect(row('Border alerts')).toHaveAttribute('data-retired', 'true');
  await expect(page.getByTestId('lifecycle-done')).toContainText('Retired “Border alerts”');

  // --- reactivate: screened again (once the rebuilt index holds it) ---------------------------------
  await row('Regional police warrants').getByTestId('view-lifecycle').click();
  await expect(panel).toContainText('Manage “Regional police warrants”');
  await page.getByTestId('lifecycle-reactivate').click();
  await expect(page.getByTestId('lifecycle-done')).toHaveText('Reactivated “Regional police warrants”: it is used for screening again.');
  await expect(row('Regional police warrants')).not.toHaveAttribute('data-retired', 'true');
  await expect(row('Regional police warrants').getByTestId('list-version')).toHaveText('1');
  await expect(async () => {
    await screen(page, 'PHANTAWONG NARONGRIT', '14/03/2530');
    await expect(page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(hit).toContainText('Regional police warrants');
  expect(pageErrors).toEqual([]);
});
