/**
 * Issue 4 end to end: a supervisor imports a messy Thai sheet (title rows, a blank row, a row
 * without a name, a passport column under a header the importer does not know), fixes the column
 * mapping, reads the report, publishes, imports a re-sorted second version and sees the diff,
 * publishes it, then rolls back to the first version. Screenshots in English and Thai.
 */
import { join } from 'node:path';
import { ADMIN, expect, FIXTURES, SCREENSHOTS, setUpAsAdmin, snapBothLanguages, test } from './fixtures';

const IMP = join(FIXTURES, 'import');

test('supervisor: messy Thai sheet, mapping fixed, report, publish, diff on re-import, rollback', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await setUpAsAdmin(page, harness);
  await page.getByTestId('nav-watchlists').click();

  // --- check the first file -----------------------------------------------------------------
  const importForm = page.getByTestId('import-form');
  await page.getByTestId('import-file').setInputFiles(join(IMP, 'e2e-messy-th.xlsx'));
  await importForm.getByLabel('List name').fill('หมายจับ ภาค 5');
  await importForm.getByLabel('Kind').selectOption('wanted');
  await page.getByTestId('import-check').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report).toContainText('Sheet “รายชื่อ”, header on row 3');
  await expect(page.getByTestId('count-read')).toHaveText('4');
  await expect(page.getByTestId('count-imported')).toHaveText('3');
  await expect(page.getByTestId('count-rejected')).toHaveText('1');
  const problems = page.getByTestId('problem-row');
  await expect(problems).toHaveCount(3); // the column, the blank row 6 (issue 13: said, not skipped silently), the row without a name
  await expect(problems.filter({ hasText: 'blank' })).toContainText('6');
  // The unknown header is reported, not dropped silently.
  await expect(problems.first()).toContainText('Warning');
  await expect(problems.first()).toContainText('F (เลขที่เอกสาร)');
  const rejectedRow = problems.filter({ hasText: 'The row has no name' });
  await expect(rejectedRow).toContainText('Error');
  await expect(rejectedRow).toContainText('รายชื่อ');
  await expect(rejectedRow).toContainText('8');
  // The passport column was not recognised: the supervisor maps it.
  await expect(page.getByTestId('map-passport')).toHaveValue('');
  await expect(page.getByTestId('map-fullName')).toHaveValue('1');
  await expect(page.getByTestId('import-publish')).toBeEnabled();
  await page.getByTestId('map-passport').selectOption('5');
  await expect(page.getByTestId('import-publish')).toBeDisabled(); // check again first
  await page.getByTestId('mapping-apply').click();
  await expect(report).toContainText('chosen by you');
  await expect(page.getByTestId('map-passport')).toHaveValue('5');
  await expect(problems).toHaveCount(2); // once mapped, the column warning is gone
  const preview = page.getByTestId('preview-row');
  await expect(preview).toHaveCount(3);
  await expect(preview.nth(0)).toContainText('นายสมศักดิ์ ทดสอบระบบ');
  await expect(preview.nth(0)).toContainText('AA0004711');
  await expect(preview.nth(0)).toContainText('14 Mar 1987');
  await expect(preview.nth(1)).toContainText('25 Jan 1928'); // BE 2470, January: before 1941 the year began in April
  await expect(page.getByTestId('no-lists')).toBeVisible(); // a check publishes nothing
  await snapBothLanguages(page, '10-import-report');

  // --- publish -------------------------------------------------------------------------------
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toContainText('Published version 1 of “หมายจับ ภาค 5” with 3 entries');
  const listRow = page.locator('[data-testid="list-row"][data-list="หมายจับ ภาค 5"]');
  await expect(listRow.getByTestId('list-version')).toHaveText('1');

  // --- the second version: re-sorted, one changed, one added, one removed ---------------------
  await page.getByTestId('import-file').setInputFiles(join(IMP, 'e2e-messy-th-v2.xlsx'));
  await importForm.getByLabel('List name').fill('หมายจับ ภาค 5');
  await page.getByTestId('import-check').click();
  await expect(report).toBeVisible();
  await expect(report).toContainText('saved for this source');
  await expect(page.getByTestId('map-passport')).toHaveValue('5');
  const diff = page.getByTestId('import-diff');
  await expect(diff).toContainText('Compared with the active version 1');
  await expect(page.getByTestId('diff-added')).toHaveText('1');
  await expect(page.getByTestId('diff-changed')).toHaveText('1');
  await expect(page.getByTestId('diff-removed')).toHaveText('1');
  await expect(page.getByTestId('diff-unchanged')).toHaveText('1');
  await expect(diff.locator('[data-change="added"]')).toContainText('T-05');
  await expect(diff.locator('[data-change="changed"]')).toContainText('T-03');
  await expect(diff.locator('[data-change="changed"]')).toContainText('documents');
  await expect(diff.locator('[data-change="removed"]')).toContainText('นางสาวพรทิพย์ ตัวอย่างเท่านั้น');
  await snapBothLanguages(page, '11-import-diff');
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toContainText('Published version 2');
  await expect(listRow.getByTestId('list-version')).toHaveText('2');

  // --- roll back to version 1 -----------------------------------------------------------------
  await listRow.getByTestId('view-versions').click();
  const versions = page.getByTestId('version-row');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText('Active');
  await expect(versions.nth(0)).toContainText('+1 −1 ~1');
  await versions.nth(1).getByTestId('version-rollback').click();
  await expect(listRow.getByTestId('list-version')).toHaveText('1');
  await expect(versions.nth(1)).toContainText('Active');
  await expect(versions.nth(0)).toContainText('Earlier version');
  await listRow.getByTestId('view-entries').click();
  await expect(page.getByTestId('entry-row')).toHaveCount(3);
  await expect(page.getByTestId('entries-table')).toContainText('นางสาวพรทิพย์ ตัวอย่างเท่านั้น');
  await snapBothLanguages(page, '12-import-versions');

  // --- a large file: progress bar, then stop it ------------------------------------------------
  const lines = ['ID,Name,Date of birth,Nationality'];
  for (let i = 0; i < 300_000; i++) lines.push(`L-${i},TESTPERSON NUMBER${i},1980-01-01,THA`);
  await page.getByTestId('import-file').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await importForm.getByLabel('List name').fill('Large test list');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-cancel')).toBeEnabled();
  await page.screenshot({ path: join(SCREENSHOTS, '13-import-progress-en.png') });
  await page.getByTestId('import-cancel').click();
  await expect(page.getByTestId('import-cancelled')).toContainText('The import was stopped. Nothing was changed.');
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.locator('[data-testid="list-row"]')).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('supervisor: a list’s own bands and action text, refused out of order, used by the next screening, reset', async ({ page, harness }) => {
  test.setTimeout(90_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await page.getByTestId('nav-watchlists').click();
  const importForm = page.getByTestId('import-form');
  await page.getByTestId('import-file').setInputFiles(join(FIXTURES, 'e2e-wanted.csv'));
  await importForm.getByLabel('List name').fill('Police warrants');
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toContainText('Published version 1');

  // The bands in force are shown in the lists table (defaults).
  const listRow = page.locator('[data-testid="list-row"][data-list="Police warrants"]');
  await expect(listRow.getByTestId('list-bands')).toHaveText('0.900.750.60');
  await listRow.getByTestId('view-settings').click();
  const panel = page.getByTestId('settings-panel');
  await expect(panel).toContainText('Bands and action of “Police warrants”');
  await expect(page.getByTestId('threshold-strong')).toHaveAttribute('placeholder', '0.90');
  await expect(page.getByTestId('threshold-review')).toHaveAttribute('placeholder', '0.75');
  await expect(page.getByTestId('threshold-weak')).toHaveAttribute('placeholder', '0.60');
  await expect(page.getByTestId('action-text')).toHaveAttribute('placeholder', /^Hold the traveler/);
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await expect(page.getByTestId('settings-reset')).toBeDisabled();

  // Out of order: the engine refuses it, the message is translated, nothing changes.
  await page.getByTestId('threshold-weak').fill('0.8');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-error')).toContainText('Thresholds: weak (0.80) must be below review (0.75)');
  await page.getByTestId('lang-th').first().click();
  await expect(page.getByTestId('settings-error')).toContainText('เกณฑ์ระดับต่ำ (0.80) ต้องน้อยกว่าเกณฑ์ต้องตรวจสอบ (0.75)');
  await page.getByTestId('lang-en').first().click();
  await snapBothLanguages(page, '15-list-settings-refused');
  await expect(listRow.getByTestId('list-bands')).toHaveText('0.900.750.60');
  // Not a number: said so before anything is sent.
  await page.getByTestId('threshold-weak').fill('high');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-problem')).toContainText('Weak from: write a score from 0 to 1');

  // Saved: the table follows, the panel keeps the list's values.
  await page.getByTestId('threshold-strong').fill('0.92');
  await page.getByTestId('threshold-review').fill('0.8');
  await page.getByTestId('threshold-weak').fill('');
  await page.getByTestId('action-text').fill('Hold the traveler and call the Region 5 duty desk on 1599 ext. 12.');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toContainText('The next screening uses these bands and this action.');
  await expect(page.getByTestId('settings-error')).toHaveCount(0);
  await expect(listRow.getByTestId('list-bands')).toHaveText('0.920.800.60own');
  await expect(page.getByTestId('threshold-review')).toHaveValue('0.8');
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await snapBothLanguages(page, '15-list-settings');

  // The next screening uses them: the list panel shows the bands, the hit carries the new action.
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('list-status-bands')).toHaveText('strong 0.92 · review 0.80 · weak 0.60');
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('NARONGRIT PHANTHAWONG');
  await form.getByLabel('Date of birth').fill('14/03/2530');
  await form.getByLabel('Date of birth').press('Enter');
  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(hit).toHaveAttribute('data-band', 'strong');
  await expect(hit.getByTestId('hit-action')).toContainText('call the Region 5 duty desk on 1599 ext. 12');
  await snapBothLanguages(page, '15-list-settings-screening');

  // An officer sees the bands and the action, read-only.
  await page.getByTestId('nav-users').click();
  const userForm = page.getByTestId('user-create-form');
  await userForm.getByLabel('Username').fill('off.malee');
  await userForm.getByLabel('Password', { exact: true }).fill('border desk shift 7');
  await userForm.getByLabel('Confirm password').fill('border desk shift 7');
  for (const r of ['admin', 'supervisor', 'officer', 'auditor'] as const) {
    const box = page.getByTestId(`new-role-${r}`);
    if ((r === 'officer') !== (await box.isChecked())) await box.click();
  }
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('users-notice')).toContainText('Account “off.malee” created');
  const signInAs = async (username: string, password: string) => {
    await page.getByTestId('sign-out').click();
    const signin = page.getByTestId('signin-form');
    await signin.getByLabel('Username').fill(username);
    await signin.getByLabel('Password').fill(password);
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('current-user')).toContainText(username);
  };
  await signInAs('off.malee', 'border desk shift 7');
  await page.getByTestId('nav-watchlists').click();
  await expect(listRow.getByTestId('list-bands')).toHaveText('0.920.800.60own');
  await listRow.getByTestId('view-settings').click();
  await expect(page.getByTestId('settings-readonly')).toContainText('Only a supervisor or an admin can change these.');
  await expect(page.getByTestId('threshold-review')).toHaveValue('0.8');
  await expect(page.getByTestId('threshold-review')).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('action-text')).toHaveValue(/Region 5 duty desk/);
  await expect(page.getByTestId('settings-save')).toHaveCount(0);
  await expect(page.getByTestId('settings-reset')).toHaveCount(0);
  await snapBothLanguages(page, '15-list-settings-officer');
  await signInAs(ADMIN.username, ADMIN.password);

  // Back to the defaults; the audit trail holds both changes (the refused one changed nothing).
  await page.getByTestId('nav-watchlists').click();
  await listRow.getByTestId('view-settings').click();
  await page.getByTestId('settings-reset').click();
  await expect(listRow.getByTestId('list-bands')).toHaveText('0.900.750.60');
  await expect(page.getByTestId('threshold-strong')).toHaveValue('');
  await expect(page.getByTestId('action-text')).toHaveValue('');
  await page.getByTestId('nav-audit').click();
  await expect(page.locator('[data-testid="audit-row"][data-action="list.setSettings"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="audit-row"][data-action="list.setSettings"]').first()).toContainText('List bands or action changed');
  expect(pageErrors).toEqual([]);
});

test('supervisor: the report speaks of what the file does to names, dates and formulas (issue 13), and month-first dates are set by hand', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await page.getByTestId('nav-watchlists').click();
  // Made-up people. Dates month-first but none over 12 in the first place: the order cannot be told.
  const csv = [
    'ID,Name,Date of birth,National ID,Remarks',
    'R-1,ABDUL TESTPERSON ALIAS ABU SAMPLE ALIAS HAJJI EXAMPLE,03/11/1990,1101700203451,"=HYPERLINK(""http://x"",""y"")"',
    ',,,,',
    'R-2,SOMCHAI FICTION,04/10/1985,,+66 friend of R-1',
    'R-2,SOMCHAI FICTION,04/10/1985,,+66 friend of R-1',
    'R-3,MALEE MADEUP (MALI MADEUP),12/01/1979,,',
  ].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'round-two.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const importForm = page.getByTestId('import-form');
  await importForm.getByLabel('List name').fill('Round two');
  await importForm.getByLabel('Kind').selectOption('wanted');
  await page.getByTestId('import-check').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  // Nothing lost: every person is imported; the formula is kept as text with a warning.
  await expect(page.getByTestId('count-rejected')).toHaveText('0');
  await expect(page.getByTestId('count-imported')).toHaveText('3');
  const problems = page.getByTestId('problem-row');
  await expect(problems.filter({ hasText: /formula/i }).first()).toBeVisible();
  await expect(problems.filter({ hasText: /blank/i })).toHaveCount(1);
  await expect(problems.filter({ hasText: /same|duplicate|twice/i }).first()).toBeVisible();
  const dates = page.getByTestId('report-date-column');
  await expect(dates).toContainText('day first');
  await snapBothLanguages(page, '14-import-round-two');
  // The supervisor knows the file is month-first: set it and check again.
  await page.getByTestId('date-order-select').selectOption('mdy');
  await expect(dates).toContainText('month first');
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toBeVisible();
  // Aliases out of the name cell; the date read month-first; the national ID's digits exact.
  await page.locator('[data-testid="list-row"][data-list="Round two"]').getByTestId('view-entries').click();
  const entries = page.getByTestId('entries-panel');
  await expect(entries).toContainText('HAJJI EXAMPLE');
  await expect(entries).toContainText('MALI MADEUP');
  await expect(entries).toContainText('11 Mar 1990');
  await expect(entries).toContainText('1101700203451');
  expect(pageErrors).toEqual([]);
});
