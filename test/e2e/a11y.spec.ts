/**
 * Every screen, in English and in Thai, at 1366x768, with data in it: `@axe-core/playwright`
 * reports no serious or critical WCAG 2.2 A/AA violation (the states inside the Screening, batch,
 * decision and report flows are checked in their own specs).
 */
import { ADMIN, axe, completeSetup, expect, publishList, test } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });

const SCREENS = ['screening', 'watchlists', 'batch', 'crossings', 'audit', 'users', 'settings', 'account'] as const;

test('every screen passes axe in English and Thai, and the first-run and sign-in screens too', async ({ page, harness }) => {
  test.setTimeout(180_000);
  await page.goto(harness.url);
  await completeSetup(page);
  await axe(page, 'first-run setup');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.username);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  // A list with its entries open, and a recorded crossing, so that tables have rows.
  await page.getByTestId('list-row').first().click();
  await page.getByTestId('nav-screening').click();
  await page.getByTestId('f-fullName').fill('Somsak Boonmee');
  await page.getByTestId('f-fullName').press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'clear');
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-success')).toBeVisible();
  for (const lang of ['en', 'th'] as const) {
    await page.getByTestId(`lang-${lang}`).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    for (const s of SCREENS) {
      await page.getByTestId(`nav-${s}`).click();
      await expect(page.getByTestId(`nav-${s}`)).toHaveAttribute('aria-current', 'page');
      await axe(page, `${s} (${lang})`);
    }
  }
  await page.getByTestId('lang-en').first().click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signin-form')).toBeVisible();
  await axe(page, 'sign-in');
});

test('the setup screen in Thai passes axe', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByTestId('lang-th').first().click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await axe(page, 'first-run setup (th)');
});
