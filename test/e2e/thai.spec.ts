/**
 * The desk in Thai: the language choice survives a reload, Thai labels and the bundled Thai font
 * render, a Thai-script name with a Buddhist-Era date of birth is screened, dates and crossing
 * times are shown with Buddhist-Era years, and the harness token survives a reload (sessionStorage).
 */
import { join } from 'node:path';
import { ADMIN, expect, FIXTURES, snapBothLanguages, test, thaiFontLoaded } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US' });

test('Thai UI: setup, import, Thai-script screening, Buddhist-Era dates', async ({ page, harness }) => {
  test.setTimeout(120_000);
  await page.goto(harness.url);
  await page.getByTestId('lang-th').click();
  await expect(page.getByRole('heading', { name: /ตั้งค่าครั้งแรก/ })).toBeVisible();
  expect(await thaiFontLoaded(page)).toBe(true);

  const setup = page.getByTestId('setup-form');
  await setup.getByLabel('ชื่อผู้ใช้ผู้ดูแลระบบ').fill(ADMIN.username);
  await setup.getByLabel('รหัสผ่าน', { exact: true }).fill('short');
  await setup.getByLabel('ยืนยันรหัสผ่าน').fill('short');
  await setup.getByLabel('วลีกู้คืน', { exact: true }).fill(ADMIN.passphrase);
  await setup.getByLabel('ยืนยันวลีกู้คืน').fill(ADMIN.passphrase);
  await setup.getByLabel('ชื่อด่านตรวจ').fill('ด่านพรมแดนช่องเม็ก');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('setup-problems')).toContainText('รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร');
  await setup.getByLabel('รหัสผ่าน', { exact: true }).fill(ADMIN.password);
  await setup.getByLabel('ยืนยันรหัสผ่าน').fill(ADMIN.password);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('checkpoint')).toContainText('ด่านพรมแดนช่องเม็ก');

  // Reload: the token left the URL but stays for this tab; the language stays Thai; sign in again.
  await page.reload();
  const signin = page.getByTestId('signin-form');
  await expect(signin.getByRole('heading')).toContainText('เข้าสู่ระบบ');
  await signin.getByLabel('ชื่อผู้ใช้').fill(ADMIN.username);
  await signin.getByLabel('รหัสผ่าน').fill(ADMIN.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('screen-screening')).toBeVisible();

  // Screening before any list is loaded says so.
  await expect(page.getByTestId('list-status')).toContainText('ยังไม่มีบัญชีเฝ้าระวัง');

  await page.getByTestId('nav-watchlists').click();
  const importForm = page.getByTestId('import-form');
  await page.getByTestId('import-file').setInputFiles(join(FIXTURES, 'e2e-wanted.csv'));
  await expect(page.getByTestId('import-file-name')).toHaveText('e2e-wanted.csv');
  await importForm.getByLabel('ชื่อบัญชี').fill('หมายจับ สภ.หนองคาย');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('problem-row').nth(1)).toContainText('แถวนี้ไม่มีชื่อ');
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toContainText('เวอร์ชัน 1');
  await expect(page.getByTestId('list-row')).toContainText('หมายจับ');

  await page.getByTestId('nav-screening').click();
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('ชื่อ-นามสกุล').fill('ประเสริฐ วงศ์สุวรรณ');
  await form.getByLabel('วันเกิด').fill('2/11/2522');
  await expect(page.getByTestId('dob-reads')).toContainText('2 พ.ย. 2522 (1979-11-02)');
  await form.getByLabel('วันเกิด').press('Enter');
  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0002"]');
  await expect(hit).toBeVisible();
  await expect(hit).toContainText('นายประเสริฐ วงศ์สุวรรณ');
  await expect(hit).toContainText('2 พ.ย. 2522');
  await expect(hit.getByTestId('hit-action')).toContainText('กักตัวผู้เดินทาง');
  await expect(page.getByTestId('rule-undecided')).toContainText('ยังไม่ได้ตัดสิน 1 รายการ');
  await snapBothLanguages(page, '08-screening-thai-script');

  // Cleared as not the same person: a wanted hit that is not confirmed may pass.
  await hit.getByTestId('decision-note').fill('วันเกิดและใบหน้าไม่ตรง');
  await hit.getByTestId('decide-not-same').click();
  await expect(hit).toHaveAttribute('data-decision', 'not-same-person');
  await page.getByTestId('record-form').getByLabel('ขาเข้า').check();
  await page.getByTestId('record-outcome').selectOption('passed');
  await page.getByTestId('record-submit').click();
  await expect(page.getByTestId('record-success')).toContainText('บันทึกการผ่านแดนแล้ว');
  await expect(page.getByTestId('record-success')).toContainText('ขาเข้า ผ่าน');

  await page.getByTestId('nav-crossings').click();
  const row = page.getByTestId('crossing-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-flagged', 'true');
  // Buddhist-Era year in the Thai UI: DD/MM/25xx HH:MM:SS in the checkpoint's time zone.
  await expect(row.locator('td').first()).toHaveText(/^\d{2}\/\d{2}\/25\d{2} \d{2}:\d{2}:\d{2}$/);
  await expect(row).toContainText('ไม่ใช่บุคคลเดียวกัน');
  // A day filter typed with a Buddhist-Era year.
  // Today at the checkpoint (Asia/Bangkok), whatever the UTC day is.
  const [y, mm, dd] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Bangkok' }).format(new Date()).split('-') as [string, string, string];
  await page.getByTestId('filter-from').fill(`${dd}/${mm}/${Number(y) + 543}`);
  await expect(row).toHaveCount(1);
  await page.getByTestId('filter-from').fill(`01/01/${Number(y) + 544}`);
  await expect(page.getByTestId('no-crossings')).toBeVisible();
});
