/**
 * Issue 4 end to end: a supervisor imports a messy Thai sheet (title rows, a blank row, a row
 * without a name, a passport column under a header the importer does not know), fixes the column
 * mapping, reads the report, publishes, imports a re-sorted second version and sees the diff,
 * publishes it, then rolls back to the first version. Screenshots in English and Thai.
 */
import { join } from 'node:path';
import { ADMIN, completeSetup, expect, FIXTURES, SCREENSHOTS, snapBothLanguages, test } from './fixtures';

const IMP = join(FIXTURES, 'import');

test('supervisor: messy Thai sheet, mapping fixed, report, publish, diff on re-import, rollback', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await page.goto(harness.url);
  await completeSetup(page);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.username);
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
  await expect(problems).toHaveCount(2);
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
  await expect(problems).toHaveCount(1); // once mapped, the column warning is gone
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
