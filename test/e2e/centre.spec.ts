/**
 * The centre as a supervisor and an officer meet it (issue 16), in English and Thai, against a
 * real PostgreSQL centre started by this file (test/central/centre.ts) and stopped in afterAll.
 * The first desk joins as a publishing desk (`watchdesk desk register --publisher`, then
 * `central trust` for its supervisor's key, the CLI a department's administrator uses): the
 * header's sync status and "Sync now", the Settings Centre panel, publishing and retiring lists at
 * the centre from the Watchlists screen (the result, and an error with its reason while the
 * centre is down). The second desk joins as an ordinary desk: the list arrives marked "Centre" and
 * its import, versions and settings controls are disabled with the reason; an officer sees the same.
 * A third desk records a crossing, pushes it, and switches its Dashboard to "Department": counted
 * at the centre, its own checkpoint only (not an auditing desk), exported with the scope in the name.
 * Screenshots: test/e2e/screenshots/5x-centre-*-{en,th}.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createAccount, initCentral, registerDesk } from '../../electron/core/central/admin';
import { startCluster, stopCluster } from '../../electron/core/central/cluster';
import { connectCentral } from '../../electron/core/central/connect';
import { startTestCentre, type TestCentre } from '../central/centre';
import {
  ADMIN, axe, direct, expect, fontsReady, publishList, ROOT, SCREENSHOTS, setUpAsAdmin, snapBothLanguages, test, thaiFontLoaded, type HarnessInfo,
} from './fixtures';
import type { ListView } from '../../shared/contract';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for e2e';
const OFFICER = { username: 'off.malee', password: 'border desk shift 7' };

let centre: TestCentre;
let rootFingerprint = '';

/** Runs the `watchdesk` CLI on the harness's database as ADMIN; fails the test with its stderr when it fails. */
function cli(harness: HarnessInfo, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/watchdesk.mjs'), '--db', harness.dbPath, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: ADMIN.password, ...env },
  });
  expect(r.status, `${args.slice(0, 2).join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Registers the harness's desk at the centre (the admin URL is used once and never stored). */
function joinCentre(harness: HarnessInfo, desk: string, checkpoint: string, publisher: boolean): string {
  const ca = join(harness.dir, 'centre.pem');
  writeFileSync(ca, centre.cluster.certificate);
  cli(harness, ['desk', 'register', '--central', centre.admin.url, '--ca', ca, '--checkpoint', checkpoint, '--desk', desk, '--root', rootFingerprint,
    ...(publisher ? ['--publisher'] : [])]);
  return ca;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('current-user')).toContainText(username);
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signin-form')).toBeVisible();
}

/** The row of list `name` on the Watchlists screen. */
const listRow = (page: Page, name: string) => page.locator(`[data-testid="list-row"][data-list="${name}"]`);

/** A screenshot of `css` in English and in Thai (`<name>-en.png`, `<name>-th.png`); leaves the UI in English. */
async function snapElementBothLanguages(page: Page, css: string, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const lang of ['en', 'th'] as const) {
    await page.getByTestId(`lang-${lang}`).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await fontsReady(page);
    if (lang === 'th') expect(await thaiFontLoaded(page)).toBe(true);
    await page.locator(css).first().screenshot({ path: join(SCREENSHOTS, `${name}-${lang}.png`) });
  }
  await page.getByTestId('lang-en').first().click();
}

/** Rows of the centre's table `table` (schema wd), counted as its superuser. */
async function centreCount(table: string): Promise<number> {
  const c = await connectCentral(centre.admin);
  try {
    const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM wd.${table}`);
    return Number(r.rows[0]!.n);
  } finally {
    await c.end();
  }
}

test.describe.serial('the centre in the app', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    centre = await startTestCentre();
    rootFingerprint = (await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE })).rootFingerprint;
  });

  test.afterAll(async () => {
    await centre?.stop();
  });

  test('a publishing desk: sync status, the Centre panel, publishing and retiring lists', async ({ page, harness }) => {
    test.setTimeout(240_000);
    await setUp(page, harness, 'Nong Khai Friendship Bridge');
    // Lists imported before the desk joined stay this desk's own.
    await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted');
    await publishList(page, 'e2e-at-risk.csv', 'Missing persons', 'at-risk');
    await expect(page.getByTestId('list-origin')).toHaveCount(0); // no centre yet: no origin column

    const ca = joinCentre(harness, 'Bridge desk 1', 'Nong Khai', true);
    const trusted = cli(harness, ['central', 'trust', '--url', centre.admin.url, '--ca', ca], { WATCHDESK_CENTRAL_PASSPHRASE: DEPARTMENT_PASSPHRASE });
    const signer = /key ((?:[0-9a-f]{4} ?){8}) as a publisher/.exec(trusted)?.[1]?.trim();
    expect(signer, trusted).toBeTruthy();

    // Signed in again: the header shows the centre and syncs at once (everything recorded so far is sent).
    await signOut(page);
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByTestId('sync-status')).toBeVisible();
    await expect(page.getByTestId('sync-text')).toContainText('Synced just now', { timeout: 30_000 });
    await expect(page.getByTestId('sync-text')).toContainText('nothing waiting');
    const auditAtCentre = await centreCount('audit_rows');
    expect(auditAtCentre).toBeGreaterThan(0);
    // An admin's header, with every tab and the sync status, stays within the window (Sign out in reach), in both languages.
    for (const lang of ['en', 'th'] as const) {
      await page.getByTestId(`lang-${lang}`).first().click();
      const box = (await page.getByTestId('sign-out').boundingBox())!;
      expect(box.x + box.width, lang).toBeLessThanOrEqual(page.viewportSize()!.width);
    }
    await snapElementBothLanguages(page, 'header.topbar', '50-centre-header');

    // Settings: the Centre panel names the desk and the department's root key.
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('centre-panel');
    await expect(panel).toBeVisible();
    await expect(page.getByTestId('centre-deskName')).toHaveText('Bridge desk 1');
    await expect(page.getByTestId('centre-checkpoint')).toHaveText('Nong Khai');
    await expect(page.getByTestId('centre-publisher')).toHaveText('yes');
    await expect(page.getByTestId('centre-root')).toHaveText(rootFingerprint.replace(/(.{4})(?=.)/g, '$1 '));
    await expect(page.getByTestId('centre-url')).not.toContainText(centre.cluster.password);
    await axe(page, 'settings with the centre');
    await snapElementBothLanguages(page, '[data-testid="centre-panel"]', '51-centre-settings');

    // Watchlists: both lists are this desk's own; a supervisor may publish them.
    await page.getByTestId('nav-watchlists').click();
    const warrants = listRow(page, 'Police warrants');
    const missing = listRow(page, 'Missing persons');
    await expect(warrants.getByTestId('list-origin')).toHaveText('This desk');
    await expect(missing.getByTestId('list-origin')).toHaveText('This desk');
    await expect(warrants.getByTestId('centre-retire')).toHaveCount(0); // not the centre's yet
    await axe(page, 'watchlists on a publishing desk');
    const entries = (await warrants.getByTestId('list-count').textContent())!.trim();

    await warrants.getByTestId('centre-publish').click();
    await expect(page.getByTestId('centre-result')).toHaveText(
      `Published “Police warrants” version 1 at the centre: publication #1, ${entries} entries, signed by key ${signer}.`,
    );
    await expect(warrants).toHaveAttribute('data-origin', 'central');
    await expect(warrants.getByTestId('list-origin')).toHaveText('Centre');

    // The centre down: the publication fails with its reason; the list stays this desk's own.
    await stopCluster(centre.cluster.dir, 'fast');
    try {
      await missing.getByTestId('centre-publish').click();
      await expect(page.getByTestId('centre-error')).toContainText('The centre could not be reached');
      await expect(page.getByTestId('centre-result')).toHaveCount(0);
      await expect(missing.getByTestId('list-origin')).toHaveText('This desk');
    } finally {
      await startCluster(centre.cluster.dir, centre.cluster.port);
    }

    await missing.getByTestId('centre-publish').click();
    await expect(page.getByTestId('centre-error')).toHaveCount(0);
    await expect(page.getByTestId('centre-result')).toContainText('Published “Missing persons” version 1 at the centre: publication #1');
    await expect(missing.getByTestId('list-origin')).toHaveText('Centre');

    // Retiring asks first; "Keep the list" changes nothing.
    await missing.getByTestId('centre-retire').click();
    await expect(page.getByTestId('retire-confirm')).toContainText('Retire “Missing persons” at the centre?');
    await expect(page.getByTestId('retire-confirm-submit')).toBeFocused();
    await axe(page, 'retire confirmation');
    await snapBothLanguages(page, '53-centre-retire-confirm');
    await page.getByTestId('retire-cancel').click();
    await expect(page.getByTestId('retire-confirm')).toHaveCount(0);
    await expect(missing.getByTestId('list-retired')).toHaveCount(0);

    await missing.getByTestId('centre-retire').click();
    await page.getByTestId('retire-confirm-submit').click();
    await expect(page.getByTestId('centre-result')).toContainText('Retired “Missing persons” at the centre: publication #2');
    await expect(missing).toHaveAttribute('data-retired', 'true');
    await expect(missing.getByTestId('list-retired')).toHaveText('Retired');
    await expect(missing.getByTestId('stale')).toHaveCount(0);
    await expect(missing.getByTestId('centre-retire')).toHaveCount(0); // publishing again brings it back
    expect(await centreCount('publications')).toBe(3);
    await axe(page, 'watchlists after publishing and retiring');
    await snapBothLanguages(page, '52-centre-watchlists-publisher');

    // Sync now sends what the publications recorded here (their audit rows).
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-now')).toBeEnabled();
    await expect(page.getByTestId('sync-text')).toContainText('nothing waiting');
    await expect.poll(() => centreCount('audit_rows')).toBeGreaterThan(auditAtCentre);
    await expect(page.getByTestId('sync-problem')).toHaveCount(0);
  });

  test('a desk that is not a publisher: the centre’s list is read-only here, for a supervisor and an officer', async ({ page, harness }) => {
    test.setTimeout(180_000);
    await setUp(page, harness, 'Chiang Khong Bridge');
    joinCentre(harness, 'Chiang Khong desk 1', 'Chiang Khong', false);
    const admin = await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    await direct(harness, 'users.create', { username: OFFICER.username, password: OFFICER.password, roles: ['officer'] }, admin.token);

    await signOut(page);
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByTestId('sync-text')).toContainText('Synced just now', { timeout: 30_000 });

    // The first sync applied the published list (not the retired one, never held here).
    await page.getByTestId('nav-watchlists').click();
    const warrants = listRow(page, 'Police warrants');
    await expect(warrants.getByTestId('list-origin')).toHaveText('Centre');
    await expect(listRow(page, 'Missing persons')).toHaveCount(0);
    await expect(page.getByTestId('centre-publish')).toHaveCount(0);

    // Import of the centre's list: disabled, with the reason.
    const form = page.getByTestId('import-form');
    await page.getByTestId('import-file').setInputFiles(join(ROOT, 'test/fixtures/e2e-wanted.csv'));
    await form.getByLabel('List name').fill('Police warrants');
    await expect(page.getByTestId('import-managed')).toHaveText('Published by the centre: changed only on a publishing desk.');
    await expect(page.getByTestId('import-check')).toBeDisabled();
    await expect(form).not.toContainText('becomes its next version');
    await form.getByLabel('List name').fill('Local watch');
    await expect(page.getByTestId('import-managed')).toHaveCount(0);
    await expect(page.getByTestId('import-check')).toBeEnabled();
    await form.getByLabel('List name').fill('Police warrants');

    // Versions and settings: read, not changed.
    await warrants.getByTestId('view-versions').click();
    await expect(page.getByTestId('versions-managed')).toContainText('Published by the centre');
    await expect(page.getByTestId('require-approval')).toBeDisabled();
    await warrants.getByTestId('view-settings').click();
    await expect(page.getByTestId('settings-managed')).toContainText('Published by the centre');
    await expect(page.getByTestId('settings-save')).toHaveCount(0);
    await expect(page.getByTestId('clearance-approval-toggle')).toBeDisabled();
    await expect(page.getByTestId('threshold-strong')).toHaveAttribute('readonly', '');
    // The engine refuses anyway, with its own reason.
    const listId = (await direct<ListView[]>(harness, 'watchlists.list', {}, admin.token)).find((l) => l.name === 'Police warrants')!.id;
    await expect(direct(harness, 'watchlists.setSettings', { listId, thresholds: null, actionText: 'changed here', staleDays: null }, admin.token))
      .rejects.toThrow('this list is published by the centre');
    await axe(page, 'watchlists on a desk that is not a publisher');
    await snapBothLanguages(page, '54-centre-watchlists-desk');

    // An officer: the centre's list, its origin, the sync status; nothing to publish.
    await signOut(page);
    await signIn(page, OFFICER.username, OFFICER.password);
    await expect(page.getByTestId('sync-status')).toBeVisible();
    await page.getByTestId('nav-watchlists').click();
    await expect(listRow(page, 'Police warrants').getByTestId('list-origin')).toHaveText('Centre');
    await expect(page.getByTestId('centre-publish')).toHaveCount(0);
    await axe(page, 'watchlists for an officer');
  });

  test('the dashboard counted at the centre: "This desk | Department" on a joined desk', async ({ page, harness }) => {
    test.setTimeout(180_000);
    await setUp(page, harness, 'Mukdahan Bridge');
    // Before joining: no switch, the desk's own dashboard only.
    await page.getByTestId('nav-dashboard').click();
    await expect(page.getByTestId('dash-totals')).toBeVisible();
    await expect(page.getByTestId('dashboard-scope')).toHaveCount(0);

    joinCentre(harness, 'Mukdahan desk 1', 'Mukdahan', false);
    const admin = await direct<{ token: string }>(harness, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    // One crossing recorded here (a made-up traveler the lists do not hold), then pushed by "Sync now".
    const screened = await direct<{ screeningId: string }>(harness, 'screening.screen', { traveler: { fullName: 'Quxley Nobody' } }, admin.token);
    await direct(harness, 'crossings.record', { screeningId: screened.screeningId, direction: 'entry', outcome: 'passed' }, admin.token);

    await signOut(page);
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByTestId('sync-text')).toContainText('Synced just now', { timeout: 30_000 });
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-now')).toBeEnabled();
    await expect(page.getByTestId('sync-text')).toContainText('nothing waiting');
    expect(await centreCount('crossings')).toBeGreaterThanOrEqual(1);

    await page.getByTestId('nav-dashboard').click();
    const scope = page.getByTestId('dashboard-scope');
    await expect(scope.getByTestId('scope-desk')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('dash-centre-note')).toHaveCount(0);
    await scope.getByTestId('scope-department').click();
    await expect(scope.getByTestId('scope-department')).toHaveAttribute('aria-pressed', 'true');
    // Counted at the centre: this desk is not an auditing desk, so PostgreSQL gives it its own checkpoint only.
    await expect(page.getByTestId('dash-centre-note')).toContainText('This desk is not an auditing desk: the centre counts only this checkpoint.');
    await expect(page.getByTestId('dash-range')).toContainText('each crossing on its own checkpoint’s local day');
    await expect(page.getByTestId('total-crossings').locator('dd')).toHaveText('1');
    await expect(page.getByTestId('total-screenings').locator('dd')).toHaveText('1');
    await axe(page, 'the dashboard counted at the centre');
    await snapBothLanguages(page, '55-centre-dashboard-department');

    // Its export names the scope in the file name.
    const download = page.waitForEvent('download');
    await page.getByTestId('dash-export').click();
    expect((await download).suggestedFilename()).toMatch(/^watchdesk-checkpoint-dashboard-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await expect(page.getByTestId('dash-exported')).toContainText('watchdesk-checkpoint-dashboard-');
  });

  test('department accounts on the Users screen: where each stands at this desk, changed only at the centre', async ({ page, harness }) => {
    test.setTimeout(180_000);
    await setUp(page, harness, 'Nakhon Phanom');
    joinCentre(harness, 'Nakhon Phanom desk 1', 'Nakhon Phanom', false);
    // Another checkpoint of the department, and two accounts made at the centre: one for this checkpoint, one for the other.
    await registerDesk(centre.admin, { deskName: 'That Phanom desk 1', checkpoint: 'That Phanom', timeZone: 'Asia/Bangkok' });
    await createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'off.kanda', password: 'made-up department password 1', roles: ['officer'], checkpoints: ['Nakhon Phanom'] });
    await createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'sup.wichai', password: 'made-up department password 2', roles: ['officer', 'supervisor'], checkpoints: ['That Phanom'] });

    await signOut(page);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-now')).toBeEnabled();
    await page.getByTestId('nav-users').click();
    const row = (u: string) => page.locator(`[data-testid="user-row"][data-username="${u}"]`);
    await expect(row('off.kanda').getByTestId('department-account')).toHaveText('Department account');
    await expect(row('off.kanda')).toContainText('Active');
    await expect(row('sup.wichai')).toContainText('Not assigned to this checkpoint: cannot sign in here');
    // Changed only at the centre: no role, password or disable buttons on a department account's row.
    for (const u of ['off.kanda', 'sup.wichai']) {
      await expect(row(u).getByTestId('edit-roles')).toHaveCount(0);
      await expect(row(u).getByTestId('disable-user')).toHaveCount(0);
      await expect(row(u)).toContainText('changed only by the department’s administrator');
    }
    await expect(row(ADMIN.username).getByTestId('department-account')).toHaveCount(0);
    await axe(page, 'department accounts on the Users screen');
    await snapBothLanguages(page, '56-centre-department-accounts');

    // off.kanda signs in here (the desk is open): its key slot is made now.
    await signOut(page);
    await signIn(page, 'off.kanda', 'made-up department password 1');
    await expect(page.getByTestId('nav-screening')).toBeVisible();
  });
});

/** First-run setup of the harness's desk as ADMIN (Bangkok time). */
async function setUp(page: Page, harness: HarnessInfo, checkpoint: string): Promise<void> {
  await setUpAsAdmin(page, harness, { checkpoint, timeZone: 'Asia/Bangkok' });
}
