/**
 * Decisions at the officer's desk (issue 11), keyboard first at 1366x768, in English and Thai, with
 * axe on every state: an earlier clearance shown beside the hit and applied with Alt+P (lapsing
 * when a new list version changes the entry); four eyes at the desk (the supervisor types their own
 * username and password inline; refusals shown in the UI language); a supervisor's correction of a
 * recorded crossing's hit, with the warning when the crossing's outcome contradicts it.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { td3 } from '../fixtures/mrz';
import { ADMIN, axe, direct, expect, FIXTURES, focusNotOnBody, type HarnessInfo, publishList, scan, setUpAsAdmin, snap, test } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });

const SUPERVISOR = { username: 'sup.malee', password: 'lists and versions 1' };






async function adminToken(harness: HarnessInfo): Promise<string> {
  return (await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password })).token;
}

/** Records the crossing once nothing is left to decide (focus waits on its heading): Alt+O, `key` picks the outcome, Enter. */
async function recordWith(page: Page, outcomeKey: string, outcomeText: string): Promise<void> {
  await expect(page.locator('#record-title')).toBeFocused();
  await page.keyboard.press('Alt+o');
  await expect(page.getByTestId('record-outcome')).toBeFocused();
  await page.keyboard.press(outcomeKey);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-success')).toContainText(outcomeText);
  // Alt+M: the next traveler, the passport field focused. (Recording focuses it by itself most of the
  // time; Screening.tsx's reset() focuses in a requestAnimationFrame that can run before the form is shown.)
  await page.keyboard.press('Alt+m');
  await expect(page.getByTestId('f-mrz')).toBeFocused();
}

const selectedHit = (page: Page): Locator => page.locator('[data-testid="hit-card"][data-selected="true"]');

const KANOKWAN = { surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC2468135', birth: '920705', sex: 'F' as const, expiry: '311231' };
const NARONGRIT = { surname: 'PHANTHAWONG', given: 'NARONGRIT', number: 'AA1234567', birth: '870314', expiry: '300101' };

test('an earlier clearance is shown beside the hit, applied with Alt+P, and lapses when the entry changes (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('f-mrz')).toBeFocused();

  // First crossing: the officer clears the hit with a note (Tab from the hit to its note), records it passed.
  await scan(page, td3(KANOKWAN));
  const hit = selectedHit(page);
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0008');
  await expect(hit.getByTestId('previous-clearance')).toHaveCount(0);
  await expect(hit).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(hit.getByTestId('decision-note')).toBeFocused();
  await page.keyboard.type('Photo differs; 15 cm taller');
  await page.keyboard.press('Alt+s');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await recordWith(page, 'p', 'Passed');

  // The same passport again: the hit is still there and undecided, the earlier clearance beside it.
  await scan(page, td3(KANOKWAN));
  await expect(hit).toHaveAttribute('data-decision', 'undecided');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'open');
  const previous = hit.getByTestId('previous-clearance');
  await expect(previous).toBeVisible();
  await expect(previous.getByTestId('previous-by')).toContainText(`Not the same person by ${ADMIN.username}`);
  await expect(previous.getByTestId('previous-note')).toContainText('Photo differs; 15 cm taller');
  await expect(previous.getByTestId('apply-previous')).toContainText('Alt+P');
  await expect(previous.getByTestId('apply-previous')).toBeInViewport();
  await expect(hit).toBeFocused();
  await snap(page, '21-clearance-en');
  await axe(page, 'earlier clearance shown');
  await page.keyboard.press('Alt+p');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await expect(hit.getByTestId('repeated')).toBeVisible();
  await expect(hit.getByTestId('decided')).toContainText('Photo differs; 15 cm taller');
  await snap(page, '21-clearance-applied-en');
  await axe(page, 'earlier clearance applied');
  await recordWith(page, 'p', 'Passed');

  // A new version of the list changes her entry (the police corrected her passport number): the memory lapses.
  const v2 = (await import('node:fs')).readFileSync(join(FIXTURES, 'e2e-wanted.csv'), 'utf8').replace('AC2468135', 'AC2468999');
  await publishList(page, { name: 'e2e-wanted-v2.csv', buffer: Buffer.from(v2) }, 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('list-status-item')).toContainText('v2');
  await page.getByTestId('f-mrz').focus();
  await scan(page, td3(KANOKWAN));
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0008');
  await expect(hit).toHaveAttribute('data-decision', 'undecided');
  await expect(hit.getByTestId('previous-clearance')).toHaveCount(0);
  await expect(hit).toBeFocused();
  await page.keyboard.press('Alt+p'); // nothing to apply: the hit stays undecided
  await expect(hit).toHaveAttribute('data-decision', 'undecided');
  await focusNotOnBody(page);

  // Thai: another traveler cleared, then met again (Alt+M twice: this traveler is left unrecorded).
  await page.keyboard.press('Alt+m');
  await page.keyboard.press('Alt+m');
  await page.getByTestId('lang-th').first().click();
  await page.getByTestId('f-mrz').focus();
  await scan(page, td3(NARONGRIT));
  await expect(hit).toHaveAttribute('data-entry-id', 'W-0001');
  await expect(hit).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(hit.getByTestId('decision-note')).toBeFocused();
  await page.keyboard.type('ลายมือชื่อไม่ตรงกัน');
  await page.keyboard.press('Alt+s');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await recordWith(page, 'ArrowDown', 'ผ่าน'); // the first outcome, Passed
  await scan(page, td3(NARONGRIT));
  await expect(previous).toContainText('เคยตัดสินไว้ก่อนแล้ว');
  await expect(previous.getByTestId('previous-note')).toContainText('ลายมือชื่อไม่ตรงกัน');
  await expect(previous.getByTestId('apply-previous')).toContainText('ใช้คำตัดสินเดิม');
  await expect(hit).toBeFocused();
  await snap(page, '21-clearance-th');
  await axe(page, 'earlier clearance shown (th)');
  await page.keyboard.press('Alt+p');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await page.getByTestId('lang-en').first().click();
  expect(pageErrors).toEqual([]);
});

test('four eyes at the desk: the supervisor approves inline with their own password; refusals in English and Thai', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await direct(harness, 'users.create', { ...SUPERVISOR, roles: ['supervisor'] }, await adminToken(harness));
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');

  // The supervisor's setting, in the list's settings panel: Space toggles it.
  await page.locator('[data-testid="list-row"][data-list="Police warrants"]').getByTestId('view-settings').click();
  const toggle = page.getByTestId('clearance-approval-toggle');
  await expect(toggle).not.toBeChecked();
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toBeChecked();
  await expect(toggle).toBeFocused();
  await page.getByTestId('clearance-approval').scrollIntoViewIfNeeded();
  await snap(page, '21-four-eyes-setting-en');
  await axe(page, 'four-eyes setting');

  await page.getByTestId('nav-screening').click();
  await page.getByTestId('f-mrz').focus();
  await scan(page, td3(KANOKWAN));
  const hit = selectedHit(page);
  await expect(hit).toHaveAttribute('data-band', 'strong');
  await expect(hit.getByTestId('needs-approval')).toBeVisible();
  await expect(hit).toBeFocused();
  await page.keyboard.press('Alt+s');
  const form = hit.getByTestId('approval-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('approval-username')).toBeFocused();
  await expect(hit).toHaveAttribute('data-decision', 'undecided');

  // The officer's own account is refused (a different person must approve).
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('approval-error')).toContainText(/must be a different person/i);
  await expect(form.getByTestId('approval-username')).toBeFocused();
  // A wrong password: refused, focus back in the (emptied) password field.
  await page.keyboard.press('Control+a');
  await page.keyboard.type(SUPERVISOR.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('not the password');
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('approval-error')).toContainText(/wrong supervisor username or password/i);
  await expect(form.getByTestId('approval-password')).toBeFocused();
  await expect(form.getByTestId('approval-password')).toHaveValue('');
  await expect(form).toBeInViewport();
  await snap(page, '21-four-eyes-en');
  await axe(page, 'approval refused');
  // Escape cancels: focus back on the decision.
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(hit.getByTestId('decide-not-same')).toBeFocused();
  // Again, with the supervisor's password: recorded, approved by the supervisor; the officer is still signed in.
  await page.keyboard.press('Alt+s');
  await expect(form.getByTestId('approval-username')).toBeFocused();
  await page.keyboard.type(SUPERVISOR.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(SUPERVISOR.password);
  await page.keyboard.press('Enter');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await expect(hit.getByTestId('approved-by')).toContainText(`approved by ${SUPERVISOR.username}`);
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.username);
  await expect(page.locator('#record-title')).toBeFocused();
  await snap(page, '21-four-eyes-approved-en');
  await axe(page, 'approved');
  await recordWith(page, 'p', 'Passed');
  const token = await adminToken(harness);
  const audit = await direct<{ entries: { actorId: string; details: Record<string, unknown> }[] }>(harness, 'audit.list', { action: 'hit.decide' }, token);
  const users = await direct<{ id: string; username: string }[]>(harness, 'users.list', {}, token);
  expect(audit.entries[0]).toMatchObject({
    actorId: users.find((u) => u.username === ADMIN.username)!.id,
    details: { decision: 'not-same-person', approvedBy: users.find((u) => u.username === SUPERVISOR.username)!.id },
  });

  // Thai: the same form and refusal in Thai.
  await page.getByTestId('lang-th').first().click();
  await page.getByTestId('f-mrz').focus();
  await scan(page, td3(NARONGRIT));
  await expect(hit).toHaveAttribute('data-band', 'strong');
  await expect(hit).toBeFocused();
  await page.keyboard.press('Alt+s');
  await expect(form).toContainText('การอนุมัติของหัวหน้างาน');
  await page.keyboard.type(SUPERVISOR.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong again');
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('approval-error')).toContainText('ชื่อผู้ใช้หรือรหัสผ่านของหัวหน้างานไม่ถูกต้อง');
  await snap(page, '21-four-eyes-th');
  await axe(page, 'approval refused (th)');
  await page.keyboard.type(SUPERVISOR.password);
  await page.keyboard.press('Enter');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await expect(hit.getByTestId('approved-by')).toContainText(SUPERVISOR.username);
  await page.getByTestId('lang-en').first().click();
  expect(pageErrors).toEqual([]);
});

test('a supervisor corrects a recorded crossing’s hit; the original is kept and the contradicting outcome is warned (English and Thai)', async ({ page, harness }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
  await page.getByTestId('nav-screening').click();
  await page.getByTestId('f-mrz').focus();
  await scan(page, td3(KANOKWAN));
  const hit = selectedHit(page);
  await expect(hit).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(hit.getByTestId('decision-note')).toBeFocused();
  await page.keyboard.type('Different face');
  await page.keyboard.press('Alt+s');
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await recordWith(page, 'p', 'Passed');

  await page.getByTestId('nav-crossings').click();
  // The crossing's detail (Enter on its row) holds its hits, and the supervisor's correction.
  await page.getByTestId('crossing-row').first().focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('crossing-detail');
  const line = detail.getByTestId('crossing-hit').first();
  await expect(line).toHaveAttribute('data-decision', 'not-same-person');
  await line.getByTestId('correct-hit').focus();
  await page.keyboard.press('Enter');
  const form = line.getByTestId('correction-form');
  await expect(form.getByTestId('correction-decision')).toBeFocused();
  await expect(form.getByTestId('correction-decision')).toHaveValue('confirmed');
  // The reason is required.
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('correction-problem')).toContainText('Write the reason');
  await expect(form.getByTestId('correction-reason')).toBeFocused();
  await page.keyboard.type('Fingerprints matched by the police');
  await axe(page, 'correction form');
  await page.keyboard.press('Enter');
  const done = page.getByTestId('correction-done');
  await expect(done).toBeFocused();
  await expect(done.getByTestId('correction-warning')).toHaveAttribute('data-reason', 'hit.correctionContradictsCrossing');
  await expect(done).toContainText('recorded as passed');
  await expect(line).toHaveAttribute('data-decision', 'confirmed');
  const note = line.getByTestId('correction');
  await expect(note).toContainText(`Corrected by ${ADMIN.username}`);
  await expect(note).toContainText('Fingerprints matched by the police');
  await expect(note).toContainText(`First decided: Not the same person by ${ADMIN.username}`);
  await expect(note).toContainText('Different face');
  // The crossing itself is unchanged, and marked for follow-up.
  await expect(page.getByTestId('crossing-row').first()).toContainText('Passed');
  await expect(line.getByTestId('crossing-contradicts')).toContainText('Recorded as passed');
  await snap(page, '21-correction-en');
  await axe(page, 'corrected');

  // Thai: corrected back, with the first decision still the original.
  await detail.getByTestId('lang-th').click();
  await line.getByTestId('correct-hit').focus();
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('correction-decision')).toHaveValue('not-same-person');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ผลลายนิ้วมือถูกถอนคืน');
  await page.keyboard.press('Enter');
  await expect(done).toBeFocused();
  await expect(done).toContainText('แก้ไขคำตัดสินแล้ว');
  await expect(done.getByTestId('correction-warning')).toHaveCount(0);
  await expect(line).toHaveAttribute('data-decision', 'not-same-person');
  await expect(note).toContainText('คำตัดสินแรก: ไม่ใช่บุคคลเดียวกัน');
  await expect(line.getByTestId('crossing-contradicts')).toHaveCount(0);
  await expect(note).toContainText('Different face');
  await snap(page, '21-correction-th');
  await axe(page, 'corrected (th)');
  // Escape closes a form opened by mistake.
  await line.getByTestId('correct-hit').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(line.getByTestId('correct-hit')).toBeFocused();
  await expect(detail).toBeVisible();
  // Escape again closes the detail; focus is back on the row.
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page.getByTestId('crossing-row').first()).toBeFocused();
  await page.getByTestId('lang-en').first().click();
  expect(pageErrors).toEqual([]);
});
