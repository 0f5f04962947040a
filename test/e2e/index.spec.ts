/**
 * The match index as the officer meets it: right after a list is published its index is still
 * being built (held here for a few seconds, WATCHDESK_TEST_INDEX_DELAY_MS in the harness's index
 * worker), the Screening screen shows the progress and screens the traveler as soon as it is ready.
 */
import { join } from 'node:path';
import { expect, FIXTURES, fontsReady, SCREENSHOTS, setUpAsAdmin, test } from './fixtures';

// For this spec's harness only: the index worker holds a built index for 6 s before handing it over.
test.use({ harnessEnv: { WATCHDESK_TEST_INDEX_DELAY_MS: '6000' } });

test('screening waits for the first index with its progress, then answers', async ({ page, harness }) => {
  await setUpAsAdmin(page, harness);
  await page.getByTestId('nav-watchlists').click();
  await page.getByTestId('import-file').setInputFiles(join(FIXTURES, 'e2e-wanted.csv'));
  const importForm = page.getByTestId('import-form');
  await importForm.getByLabel('List name').fill('Police warrants');
  await importForm.getByLabel('Kind').selectOption('wanted');
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toBeVisible();

  await page.getByTestId('nav-screening').click();
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('PHANTAWONG NARONGRIT');
  await form.getByLabel('Full name').press('Enter');
  const building = page.getByTestId('index-building');
  await expect(building).toBeVisible();
  await expect(building).toContainText('Preparing the match index');
  await page.getByTestId('lang-th').first().click();
  await expect(building).toContainText('กำลังเตรียมดัชนีการจับคู่');
  await fontsReady(page);
  await page.screenshot({ path: join(SCREENSHOTS, '16-index-building-th.png'), fullPage: true });
  await page.getByTestId('lang-en').first().click();
  await page.screenshot({ path: join(SCREENSHOTS, '16-index-building-en.png'), fullPage: true });

  // As soon as the index is ready the same screening is answered, without the officer asking again.
  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(hit).toBeVisible({ timeout: 30_000 });
  await expect(building).toBeHidden();
  await expect(page.getByTestId('list-status-item')).toContainText('v1');
});
