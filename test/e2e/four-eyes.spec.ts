/**
 * Four eyes that holds (issue 15): on a list whose new versions need a second supervisor, a
 * rollback and turning the approval off both ask for that second supervisor on the asking
 * supervisor's own desk; the asker's own credentials and a wrong password are refused in the UI
 * language, and nothing changes until a real second supervisor approves.
 */
import { ADMIN, axe, direct, expect, publishList, setUpAsAdmin, snapBothLanguages, test } from './fixtures';

const SECOND = { username: 'somchai', password: 'second supervisor pw 7' };

test('a rollback and turning approval off need a second supervisor, typed on the same desk (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  const { token } = await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  await direct(harness, 'users.create', { ...SECOND, roles: ['supervisor'] }, token);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await publishList(page, { name: 'v2.csv', buffer: Buffer.from('ID,Name\nW-1,TESTPERSON ONLY\n') }, 'Police warrants', 'wanted');

  const listRow = page.locator('[data-testid="list-row"]', { hasText: 'Police warrants' });
  await listRow.getByTestId('view-versions').click();
  const approvalBox = page.getByTestId('require-approval');
  // Turning four eyes on needs nobody.
  await approvalBox.click();
  await expect(approvalBox).toBeChecked();

  // --- a rollback asks for the second supervisor -----------------------------------------------
  const versions = page.getByTestId('version-row');
  await versions.nth(1).getByTestId('version-rollback').click();
  const form = page.getByTestId('second-approval');
  await expect(form).toContainText('A second supervisor approves the rollback');
  await expect(page.getByTestId('second-approval-username')).toBeFocused();
  await axe(page, 'second supervisor form');
  await snapBothLanguages(page, '22-four-eyes-rollback');
  // The asker's own account is not a second person.
  await page.getByTestId('second-approval-username').fill(ADMIN.username);
  await page.getByTestId('second-approval-password').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('second-approval-error')).toBeVisible();
  await expect(listRow.getByTestId('list-version')).toHaveText('2');
  await page.getByTestId('second-approval-username').fill(SECOND.username);
  await page.getByTestId('second-approval-password').fill(SECOND.password);
  await page.getByTestId('second-approval-submit').click();
  await expect(form).toHaveCount(0);
  await expect(listRow.getByTestId('list-version')).toHaveText('1');

  // --- turning approval off asks too; a wrong password changes nothing --------------------------
  await approvalBox.click();
  await expect(form).toContainText('A second supervisor approves turning four eyes off');
  await page.getByTestId('lang-th').first().click();
  await page.getByTestId('second-approval-username').fill(SECOND.username);
  await page.getByTestId('second-approval-password').fill('not the password');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('second-approval-error')).toBeVisible();
  await snapBothLanguages(page, '23-four-eyes-refused');
  await expect(approvalBox).toBeChecked();
  await page.getByTestId('lang-en').first().click();
  await page.getByTestId('second-approval-password').fill(SECOND.password);
  await page.keyboard.press('Enter');
  await expect(form).toHaveCount(0);
  await expect(approvalBox).not.toBeChecked();
  expect(pageErrors).toEqual([]);
});
