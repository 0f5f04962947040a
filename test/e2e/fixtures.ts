/**
 * Playwright fixtures for the browser harness (DESIGN.md section 3). Builds nothing: the test
 * script runs `electron-vite build` first. Each test gets a fresh temporary folder and its own
 * harness process on a free loopback port, killed after the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');

export interface HarnessInfo {
  /** The address the harness printed, with its token in the fragment. */
  url: string;
  port: number;
  dir: string;
  dbPath: string;
}

async function startHarness(dir: string, extraEnv: Record<string, string> = {}): Promise<{ info: HarnessInfo; child: ChildProcess; stderr: () => string }> {
  const dbPath = join(dir, 'watchdesk.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/harness/server.ts', '--db', dbPath, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...extraEnv, NODE_ENV: 'test' },
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err = (err + d).slice(-8000);
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the harness did not start within 30 s:\n${err}`)), 30_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      ok(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the harness exited with ${code} before it was ready:\n${err}`));
    });
  });
  const parsed = JSON.parse(first) as { url: string; port: number; db: string };
  return { info: { url: parsed.url, port: parsed.port, dir, dbPath: parsed.db }, child, stderr: () => err };
}

async function stopHarness(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 5000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

export const test = base.extend<{ harness: HarnessInfo; harnessEnv: Record<string, string> }>({
  /** Extra environment for this test's harness only (`test.use({ harnessEnv: {...} })`). */
  harnessEnv: [{}, { option: true }],
  harness: async ({ harnessEnv }, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'watchdesk-e2e-'));
    const { info, child, stderr } = await startHarness(dir, harnessEnv);
    try {
      await use(info);
    } finally {
      await stopHarness(child);
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('harness-stderr', { body: stderr(), contentType: 'text/plain' });
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Waits until every font the page asked for has loaded (Thai glyphs included). */
export async function fontsReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
}

/** True when the bundled Noto Sans Thai face for the Thai block is loaded in the page. */
export async function thaiFontLoaded(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    await document.fonts.load('16px "Noto Sans Thai"', 'ภาษาไทย');
    return [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Noto Sans Thai' && f.status === 'loaded' && /E01/i.test(f.unicodeRange));
  });
}

/**
 * Saves a full-page screenshot of the current screen in English and in Thai
 * (`<name>-en.png`, `<name>-th.png`) and leaves the UI in the language it found.
 */
export async function snapBothLanguages(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const start = (await page.evaluate(() => document.documentElement.lang)) === 'th' ? 'th' : 'en';
  for (const lang of ['en', 'th'] as const) {
    await page.getByTestId(`lang-${lang}`).first().click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await fontsReady(page);
    if (lang === 'th') expect(await thaiFontLoaded(page)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays at the top of a full-page capture
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}.png`), fullPage: true });
  }
  await page.getByTestId(`lang-${start}`).first().click();
}

export const ADMIN = { username: 'admin', password: 'desk-password-2024', passphrase: 'harbour lantern mango seventeen' };

/** Completes first-run setup through the UI. */
export async function completeSetup(page: Page, opts: { checkpoint?: string; timeZone?: string } = {}): Promise<void> {
  const form = page.getByTestId('setup-form');
  await form.getByLabel('Admin username').fill(ADMIN.username);
  await form.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await form.getByLabel('Confirm password').fill(ADMIN.password);
  await form.getByLabel('Recovery passphrase', { exact: true }).fill(ADMIN.passphrase);
  await form.getByLabel('Confirm recovery passphrase').fill(ADMIN.passphrase);
  await form.getByLabel('Checkpoint name').fill(opts.checkpoint ?? 'Nong Khai Friendship Bridge');
  if (opts.timeZone) await form.getByLabel('Time zone').fill(opts.timeZone);
}

/** Opens the harness, completes first-run setup as ADMIN and waits until signed in. */
export async function setUpAsAdmin(page: Page, harness: HarnessInfo, opts: { checkpoint?: string; timeZone?: string } = {}): Promise<void> {
  await page.goto(harness.url);
  await completeSetup(page, opts);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.username);
}
