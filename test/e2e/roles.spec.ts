/**
 * Roles end to end (issue 5): the admin creates one account per role through the Users screen,
 * then each signs in in turn and sees only what that role may do; the engine refuses the rest even
 * when called directly. Also the audit trail screen (filter, verify), settings, own password
 * change and the lockout after repeated failed sign-ins. Screenshots of the new screens in EN and TH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ROOT, setUpAsAdmin, snapBothLanguages, test, type HarnessInfo } from './fixtures';
import { HARNESS_TOKEN_HEADER } from '../../shared/transport';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US' });

const PEOPLE = {
  supervisor: { username: 'sup.malee', password: 'lists and versions 1' },
  officer: { username: 'off.somchai', password: 'border desk shift 2' },
  auditor: { username: 'aud.ploy', password: 'verify the chain 3' },
  admin: { username: 'adm.niran', password: 'keys and backups 4' },
} as const;
type Role = keyof typeof PEOPLE;

const TABS = ['screening', 'watchlists', 'batch', 'crossings', 'audit', 'users', 'settings'] as const;
const VISIBLE: Record<Role, (typeof TABS)[number][]> = {
  supervisor: ['watchlists', 'batch', 'crossings'],
  officer: ['screening', 'watchlists', 'batch', 'crossings'],
  auditor: ['watchlists', 'crossings', 'audit'],
  admin: ['watchlists', 'audit', 'users', 'settings'],
};

async function signIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await page.getByTestId('signin-submit').click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signin-form')).toBeVisible();
}

async function expectTabs(page: Page, visible: readonly string[]): Promise<void> {
  for (const tab of TABS) {
    if (visible.includes(tab)) await expect(page.getByTestId(`nav-${tab}`), tab).toBeVisible();
    else await expect(page.getByTestId(`nav-${tab}`), tab).toHaveCount(0);
  }
}

/** Calls the engine directly over the harness transport, as a script in the page could. */
async function direct(harness: HarnessInfo, method: string, payload: unknown, token?: string) {
  const harnessToken = decodeURIComponent(/harness=([^&]+)/.exec(new URL(harness.url).hash)![1]!);
  const res = await fetch(`http://127.0.0.1:${harness.port}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HARNESS_TOKEN_HEADER]: harnessToken },
    body: JSON.stringify({ method, token, payload }),
  });
  return (await res.json()) as { ok: boolean; result?: { token?: string }; error?: { code: string; message: string } };
}

async function createUser(page: Page, role: Role): Promise<void> {
  const form = page.getByTestId('user-create-form');
  const p = PEOPLE[role];
  await form.getByLabel('Username').fill(p.username);
  await form.getByLabel('Password', { exact: true }).fill(p.password);
  await form.getByLabel('Confirm password').fill(p.password);
  for (const r of ['admin', 'supervisor', 'officer', 'auditor'] as const) {
    const box = page.getByTestId(`new-role-${r}`);
    if ((r === role) !== (await box.isChecked())) await box.click();
  }
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('users-notice')).toContainText(`Account “${p.username}” created`);
  const row = page.locator(`[data-testid="user-row"][data-username="${p.username}"]`);
  await expect(row).toContainText(role.charAt(0).toUpperCase() + role.slice(1));
  await expect(row).toContainText('Active');
}

test('each role sees only what it may do; the engine refuses the rest', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await setUpAsAdmin(page, harness, { checkpoint: 'Mae Sot' });
  // The setup account holds all four roles and sees every screen.
  await expectTabs(page, TABS);

  // --- the admin creates one account per role ----------------------------------------------------
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  // The password policy is the engine's, explained in the user's language.
  const form = page.getByTestId('user-create-form');
  await form.getByLabel('Username').fill('weakling');
  await form.getByLabel('Password', { exact: true }).fill('weakling-2024');
  await form.getByLabel('Confirm password').fill('weakling-2024');
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('error')).toContainText('Password must not contain the username');
  await page.getByTestId('error').getByRole('button').click();
  for (const role of ['supervisor', 'officer', 'auditor', 'admin'] as const) await createUser(page, role);
  await expect(page.getByTestId('user-row')).toHaveCount(5);
  // Change a role and reset a password through the screen.
  const adm = page.locator(`[data-testid="user-row"][data-username="${PEOPLE.admin.username}"]`);
  await adm.getByTestId('reset-password').click();
  await adm.getByLabel('New password', { exact: true }).fill('keys and backups 5');
  await adm.getByLabel('Confirm new password').fill('keys and backups 5');
  await adm.getByTestId('save-password').click();
  await expect(page.getByTestId('users-notice')).toContainText(`Saved: ${PEOPLE.admin.username}`);
  const aud = page.locator(`[data-testid="user-row"][data-username="${PEOPLE.auditor.username}"]`);
  await aud.getByTestId('edit-roles').click();
  await aud.getByTestId(`edit-${PEOPLE.auditor.username}-role-supervisor`).check();
  await aud.getByTestId('save-roles').click();
  await expect(aud.getByTestId('save-roles')).toHaveCount(0);
  await expect(aud.locator('.badge.role')).toHaveText(['Supervisor', 'Auditor']);
  await aud.getByTestId('edit-roles').click();
  await aud.getByTestId(`edit-${PEOPLE.auditor.username}-role-supervisor`).uncheck();
  await aud.getByTestId('save-roles').click();
  await expect(aud.getByTestId('save-roles')).toHaveCount(0);
  await expect(aud.locator('.badge.role')).toHaveText(['Auditor']);
  await snapBothLanguages(page, '09-users');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('idle-minutes')).toHaveValue('15');
  await snapBothLanguages(page, '11-settings');

  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-result')).toContainText('The trail is intact');
  await expect(page.getByTestId('audit-verify-result')).toContainText('Head kept outside the database');
  await page.getByTestId('audit-action').selectOption('user.create');
  await expect(page.getByTestId('audit-row')).toHaveCount(4);
  await page.getByTestId('audit-action').selectOption('');
  await snapBothLanguages(page, '10-audit');
  await signOut(page);

  // --- each role in turn --------------------------------------------------------------------------
  const admin = PEOPLE.admin;
  for (const role of ['officer', 'supervisor', 'auditor', 'admin'] as const) {
    const p = PEOPLE[role];
    await signIn(page, p.username, role === 'admin' ? 'keys and backups 5' : p.password);
    await expect(page.getByTestId('current-user')).toContainText(p.username);
    await expectTabs(page, VISIBLE[role]);
    if (role === 'officer') {
      await expect(page.getByTestId('screen-screening')).toBeVisible();
      await page.getByTestId('nav-crossings').click();
      await expect(page.getByTestId('export-xlsx')).toHaveCount(0);
      await expect(page.getByTestId('screen-crossings')).toContainText('Exporting needs the supervisor or auditor role');
      await page.getByTestId('nav-account').click();
      await expect(page.getByTestId('my-roles')).toContainText('Officer');
      await snapBothLanguages(page, '12-account');
    }
    if (role === 'supervisor') {
      await expect(page.getByTestId('screen-watchlists')).toBeVisible();
      await page.getByTestId('nav-crossings').click();
      await expect(page.getByTestId('export-xlsx')).toBeVisible();
    }
    if (role === 'auditor') {
      await page.getByTestId('nav-crossings').click();
      await expect(page.getByTestId('export-xlsx')).toBeVisible();
      await page.getByTestId('nav-audit').click();
      await page.getByTestId('audit-verify').click();
      await expect(page.getByTestId('audit-verify-result')).toContainText('The trail is intact');
    }
    if (role === 'admin') {
      await expect(page.getByTestId('screen-users')).toBeVisible();
    }
    await signOut(page);
  }

  // --- what the screens hide, the engine refuses --------------------------------------------------
  const calls: Record<Role, [string, unknown][]> = {
    officer: [['users.list', {}], ['watchlists.import', { listName: 'x', fileName: 'x.csv', contentBase64: '' }], ['crossings.export', { format: 'csv' }], ['audit.list', {}]],
    supervisor: [['users.create', { username: 'x1', password: 'whatever pass', roles: ['admin'] }], ['screening.screen', { traveler: { fullName: 'A B' } }], ['audit.verify', {}]],
    auditor: [['screening.screen', { traveler: { fullName: 'A B' } }], ['screening.decide', { hitId: crypto.randomUUID(), decision: 'confirmed' }], ['settings.update', { idleMinutes: 1 }]],
    admin: [['screening.screen', { traveler: { fullName: 'A B' } }], ['watchlists.import', { listName: 'x', fileName: 'x.csv', contentBase64: '' }], ['crossings.list', {}]],
  };
  for (const role of ['officer', 'supervisor', 'auditor', 'admin'] as const) {
    const s = await direct(harness, 'auth.signIn', { username: PEOPLE[role].username, password: role === 'admin' ? 'keys and backups 5' : PEOPLE[role].password });
    expect(s.ok).toBe(true);
    for (const [method, payload] of calls[role]) {
      const r = await direct(harness, method, payload, s.result!.token);
      expect(r.error?.code, `${role} ${method}`).toBe('forbidden');
    }
  }

  // --- lockout after repeated failures, explained in Thai too ------------------------------------
  for (let i = 0; i < 5; i++) await signIn(page, PEOPLE.officer.username, `wrong password ${i}`);
  await expect(page.getByTestId('signin-form').getByRole('alert')).toContainText('locked after repeated failed sign-ins');
  await signIn(page, PEOPLE.officer.username, PEOPLE.officer.password);
  await expect(page.getByTestId('signin-form').getByRole('alert')).toContainText('try again in 15 minute');
  await snapBothLanguages(page, '13-signin-locked');
  await signIn(page, admin.username, 'keys and backups 5');
  await page.getByTestId('nav-users').click();
  await expect(page.locator(`[data-testid="user-row"][data-username="${PEOPLE.officer.username}"]`)).toContainText('Locked until');
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-action').selectOption('auth.lockout');
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await expect(page.getByTestId('audit-row')).toContainText(PEOPLE.officer.username);
  expect(pageErrors).toEqual([]);
});

test('first run on a new machine: restore an encrypted backup through the UI', async ({ page, harness }) => {
  test.setTimeout(120_000);
  // A backup made elsewhere with the command line.
  const elsewhere = mkdtempSync(join(tmpdir(), 'watchdesk-e2e-src-'));
  try {
    const env = { ...process.env, WATCHDESK_PASSWORD: 'old desk password 1', WATCHDESK_PASSPHRASE: 'copper kettle river forty' };
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/watchdesk.mjs'), '--db', join(elsewhere, 'w.db'), ...args], { env, encoding: 'utf8' });
    expect(cli('init', '--checkpoint', 'Chiang Khong', '--timezone', 'Asia/Bangkok').status).toBe(0);
    const made = cli('backup', '--out', join(elsewhere, 'desk.wdbak'));
    expect(made.status, made.stderr).toBe(0);

    await page.goto(harness.url);
    await page.getByTestId('restore-link').click();
    const form = page.getByTestId('restore-form');
    await page.getByTestId('restore-file').setInputFiles(join(elsewhere, 'desk.wdbak'));
    await expect(page.getByTestId('restore-file-name')).toHaveText('desk.wdbak');
    await form.getByLabel('Recovery passphrase').fill('not the right passphrase');
    await form.getByLabel('New password', { exact: true }).fill('new desk password 2');
    await form.getByLabel('Confirm new password').fill('new desk password 2');
    await page.getByTestId('restore-submit').click();
    await expect(form.getByRole('alert')).toContainText('The recovery passphrase is wrong');
    await snapBothLanguages(page, '14-restore');
    await form.getByLabel('Recovery passphrase').fill('copper kettle river forty');
    await page.getByTestId('restore-submit').click();
    await expect(page.getByTestId('checkpoint')).toContainText('Chiang Khong · Asia/Bangkok');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-verify').click();
    await expect(page.getByTestId('audit-verify-result')).toContainText('The trail is intact');
    await expect(page.locator('[data-testid="audit-row"][data-action="backup.restore"]')).toHaveCount(1);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
