/**
 * The officer's desk with a passport reader, keyboard only, at 1366x768: the reader types the MRZ
 * (a burst ending in Enter) and the traveler is screened at once; the verdict, the hits and the
 * selected hit's decision buttons are on screen without scrolling; Alt+C / Alt+S decide, Enter
 * records, and focus never falls to the page body. In English and in Thai, with axe on every state.
 */
import type { Locator, Page } from '@playwright/test';
import { td3 } from '../fixtures/mrz';
import { ADMIN, axe, expect, focusNotOnBody, publishList, scan, setUpAsAdmin, snap, test, type HarnessInfo } from './fixtures';

/** A listed traveler on a renewed passport (another number): found by name and date of birth. */
const KANOKWAN = { surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC9999990', birth: '920705', sex: 'F' as const, expiry: '311231' };

/** Sets up, publishes the wanted list, and scans KANOKWAN at the desk; returns the selected hit. */
async function scanListedTraveler(page: Page, harness: HarnessInfo): Promise<Locator> {
  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('f-mrz')).toBeFocused();
  await scan(page, td3(KANOKWAN));
  return page.locator('[data-testid="hit-card"][data-selected="true"]');
}

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });






test('passport reader to recorded crossing, keyboard only, English and Thai', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await publishList(page, 'e2e-at-risk.csv', 'At-risk', 'at-risk');
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('list-status-item')).toHaveCount(2);

  // The MRZ field has focus on arrival; an empty screen passes axe.
  const mrzField = page.getByTestId('f-mrz');
  await expect(mrzField).toBeFocused();
  await axe(page, 'empty form');

  // --- a listed traveler on a renewed passport (another number): the name and birth date find her.
  const kanokwan = td3({ surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC9999990', birth: '920705', sex: 'F', expiry: '311231' });
  await scan(page, kanokwan);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'open');
  await expect(verdict).toHaveAttribute('data-kind', 'wanted');
  await expect(page.getByTestId('verdict-action')).toContainText('Hold the traveler');
  await expect(page.getByTestId('verdict-reference')).toContainText('CR-2567/0471');
  // The form folded to one line with what the MRZ said.
  await expect(page.getByTestId('traveler-summary')).toContainText('SRISOMBAT, KANOKWAN');
  await expect(page.getByTestId('traveler-summary')).toContainText('AC9999990');
  const hit = page.locator('[data-testid="hit-card"][data-selected="true"]');
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0008');
  // At 1366x768 the verdict and the decision buttons are on screen without scrolling; focus is on a decision button.
  await expect(verdict).toBeInViewport({ ratio: 1 });
  await expect(hit.getByTestId('decide-confirm')).toBeInViewport({ ratio: 1 });
  await expect(hit).toBeFocused();
  // She is on both lists: one group; her two at-risk entries (two reports) are one row listing both.
  const group = page.getByTestId('hit-group');
  await expect(group).toHaveCount(1);
  await expect(group).toHaveAttribute('data-size', '2');
  await expect(group).toContainText('Same person on 2 lists');
  await expect(page.getByTestId('hit-duplicates')).toContainText('2 entries: R-1, R-2');
  await expect(verdict).toContainText('3 hits to decide'); // as the rules of the desk count them: each entry's hit
  await axe(page, 'open hit');
  await snap(page, '11-passport-hit-en');

  // Alt+C confirms; the next hit to decide (the at-risk row) is selected and focused; Alt+N moves between open hits.
  await page.keyboard.press('Alt+c');
  await expect(page.locator('[data-testid="hit-card"][data-entry-id="W-0008"]')).toHaveCount(0);
  await expect(hit).toHaveAttribute('data-entry-id', /^R-[12]$/);
  await expect(page.getByTestId('duplicate-note')).toContainText('ATR-2567/101');
  await expect(page.getByTestId('duplicate-note')).toContainText('ATR-2567/188');
  await expect(hit).toBeFocused();
  await page.keyboard.press('Alt+n');
  await expect(hit).toBeFocused();
  await axe(page, 'second hit of a group');
  await snap(page, '13-passport-group-en');
  // Confirming the at-risk row records the decision for both of its entries; focus moves to the outcome.
  await page.keyboard.press('Alt+c');
  await expect(page.getByTestId('hit-row').filter({ hasText: 'R-1, R-2' })).toHaveAttribute('data-decision', 'confirmed');
  await expect(verdict).toHaveAttribute('data-verdict', 'confirmed');
  await expect(page.getByTestId('rule-undecided')).toContainText('All hits that need a decision are decided');
  await expect(page.locator('#record-title')).toBeFocused();
  await axe(page, 'decided hit');
  await page.keyboard.press('Alt+o');
  await expect(page.getByTestId('record-outcome')).toBeFocused();
  await page.keyboard.press('h');
  await expect(page.getByTestId('record-outcome')).toHaveValue('held');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-success')).toContainText('SRISOMBAT');
  await expect(page.getByTestId('record-success')).toContainText('Held');
  await expect(mrzField).toBeFocused();
  await expect(mrzField).toHaveValue('');

  // --- an unlisted traveler whose MRZ has an OCR confusion (O for 0 in the birth date): corrected and said so.
  const somsak = td3({ surname: 'BOONMEE', given: 'SOMSAK', number: 'AA5550001', birth: '900101', expiry: '300601' });
  const misread = [somsak[0]!, somsak[1]!.slice(0, 14) + 'O' + somsak[1]!.slice(15)];
  await page.keyboard.type(misread.join('\n'));
  await expect(page.getByTestId('mrz-status')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('mrz-warnings')).toContainText('Read O as 0 in the date of birth');
  await expect(page.getByTestId('traveler-form').getByLabel('Date of birth')).toHaveValue('1990-01-01');
  await axe(page, 'MRZ read with a correction');
  await snap(page, '12-passport-read-en');
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveAttribute('data-verdict', 'clear');
  // Focus waits on the crossing's heading, not on its button: a stray Enter records nothing. Alt+R records.
  await expect(page.locator('#record-title')).toBeFocused();
  await axe(page, 'no hits');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-success')).toHaveCount(0);
  await page.keyboard.press('Alt+r');
  await expect(page.getByTestId('record-success')).toContainText('SOMSAK BOONMEE');
  await expect(mrzField).toBeFocused();

  // --- an MRZ typed into the name field is moved to the MRZ field, never screened as a name.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('f-fullName')).toBeFocused();
  await scan(page, kanokwan.slice(0, 1));
  await expect(page.getByTestId('f-fullName')).toHaveValue('');
  await expect(mrzField).toBeFocused();
  await expect(mrzField).toHaveValue(`${kanokwan[0]}\n`);
  await page.keyboard.type(kanokwan[1]!);
  await expect(page.getByTestId('traveler-form').getByLabel('Surname')).toHaveValue('SRISOMBAT');
  await page.keyboard.press('Alt+m'); // a new traveler clears it all
  await expect(mrzField).toHaveValue('');
  await expect(mrzField).toBeFocused();

  // --- Thai: the same desk in Thai; a passport found by its number alone (decisive).
  await page.getByTestId('lang-th').first().click();
  await mrzField.focus();
  const prasert = td3({ surname: 'WONGSUWAN', given: 'PRASERT', number: 'AB7654321', birth: '791102', expiry: '290101' });
  await scan(page, prasert);
  await expect(verdict).toHaveAttribute('data-verdict', 'open');
  await expect(page.getByTestId('verdict-action')).toContainText('กักตัวผู้เดินทาง');
  await expect(verdict).toBeInViewport({ ratio: 1 });
  await expect(hit).toBeFocused();
  await axe(page, 'open hit (th)');
  await snap(page, '11-passport-hit-th');
  await page.keyboard.press('Alt+s');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await focusNotOnBody(page);
  // Leaving a traveler whose crossing is not recorded takes Alt+M twice.
  await page.keyboard.press('Alt+m');
  await expect(page.getByTestId('confirm-leave')).toBeVisible();
  await page.keyboard.press('Alt+m');
  await expect(mrzField).toBeFocused();
  await page.keyboard.type(misread.join('\n'));
  await expect(page.getByTestId('mrz-warnings')).toContainText('อ่าน O เป็น 0');
  await axe(page, 'MRZ read (th)');
  await snap(page, '12-passport-read-th');
  await page.getByTestId('lang-en').first().click();
  expect(pageErrors).toEqual([]);
});

test('after an idle lock the same officer resumes the open screening; a deliberate sign-out forgets it', async ({ page, harness }) => {
  test.setTimeout(120_000);
  await page.clock.install();
  const hit = await scanListedTraveler(page, harness);
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0008');

  // 15 minutes without input: the desk signs itself out.
  await page.clock.fastForward('16:00');
  const signin = page.getByTestId('signin-form');
  await expect(page.getByTestId('signin-notice')).toContainText('continue where you left off');
  await expect(page.getByTestId('screening-result')).toHaveCount(0);
  await signin.getByLabel('Username').fill(ADMIN.username);
  await signin.getByLabel('Password').fill(ADMIN.password);
  await signin.getByLabel('Password').press('Enter');
  // The same officer is back at the same traveler, the same hit selected and focused.
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'open');
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0008');
  await expect(hit).toBeFocused();
  await expect(page.getByTestId('traveler-summary')).toContainText('SRISOMBAT, KANOKWAN');

  // Signing out on purpose ends the work: the next sign-in starts with an empty desk.
  await page.getByTestId('sign-out').click();
  await signin.getByLabel('Username').fill(ADMIN.username);
  await signin.getByLabel('Password').fill(ADMIN.password);
  await signin.getByLabel('Password').press('Enter');
  await expect(page.getByTestId('f-mrz')).toBeFocused();
  await expect(page.getByTestId('screening-result')).toHaveCount(0);
});

test('a passport scanned while a hit is open decides nothing: it waits, and is next once the crossing is recorded', async ({ page, harness }) => {
  test.setTimeout(120_000);
  const hit = await scanListedTraveler(page, harness);
  await expect(hit).toBeFocused();
  // The reader sends the next passport (a burst ending in Enter, twice) while the wanted hit is open.
  // Found by a new user: it used to press the focused decision button and record the crossing as passed.
  const next = td3({ surname: 'JAIDEE', given: 'SOMCHAI', number: 'AA7654321', birth: '850314', expiry: '320101' });
  await scan(page, next);
  await expect(page.getByTestId('pending-scan')).toBeVisible();
  await expect(hit).toHaveAttribute('data-decision', 'undecided');
  await expect(page.getByTestId('record-success')).toHaveCount(0);
  // The same from the crossing's heading, after the decision: nothing is recorded by the burst.
  await page.keyboard.press('Alt+c');
  await expect(page.locator('#record-title')).toBeFocused();
  await scan(page, next);
  await expect(page.getByTestId('record-success')).toHaveCount(0);
  await expect(page.getByTestId('record-outcome')).toHaveValue('');
  // Alt+M asks before leaving an unrecorded traveler.
  await page.keyboard.press('Alt+m');
  await expect(page.getByTestId('confirm-leave')).toBeVisible();
  await expect(page.getByTestId('screening-result')).toBeVisible();
  // Recorded on purpose: the waiting passport is in the MRZ field, read, and Enter screens it.
  await page.keyboard.press('Alt+o');
  await page.keyboard.press('h');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-success')).toContainText('KANOKWAN SRISOMBAT');
  await expect(page.getByTestId('f-mrz')).toHaveValue(next.join('\n'));
  await expect(page.getByTestId('traveler-form').getByLabel('Surname')).toHaveValue('JAIDEE');
  await page.getByTestId('f-mrz').press('Enter');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'clear');
  await expect(page.getByTestId('traveler-summary')).toContainText('JAIDEE, SOMCHAI');
});
