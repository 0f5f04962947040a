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
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { HARNESS_TOKEN_HEADER } from '../../shared/transport';

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

/** Fails on any serious or critical WCAG 2.x A/AA (2.2 included) violation on the page as it is now; `state` names it. */
export async function axe(page: Page, state: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${state}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Saves `<name>.png`: the viewport only (what the user sees without scrolling), or the whole page. */
export async function snap(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await fontsReady(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A passport reader that types like a keyboard: each MRZ line typed at once, then Enter. */
export async function scan(page: Page, lines: string[]): Promise<void> {
  for (const l of lines) {
    await page.keyboard.type(l, { delay: 0 });
    await page.keyboard.press('Enter');
  }
}

/** Focus is on an element, never on the page body. */
export async function focusNotOnBody(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
}

/**
 * Imports and publishes a list through the Watchlists screen. `file`: a fixture's name or a file
 * made in the test; an existing list keeps its kind. `sourceDate`: what the import report must say
 * of the file's own date (absent: that it says none).
 */
export async function publishList(
  page: Page, file: string | { name: string; buffer: Buffer }, name: string, kind: string, opts: { sourceDate?: string | null } = {},
): Promise<void> {
  await page.getByTestId('nav-watchlists').click();
  await page.getByTestId('import-file').setInputFiles(typeof file === 'string' ? join(FIXTURES, file) : { ...file, mimeType: 'text/csv' });
  const form = page.getByTestId('import-form');
  await form.getByLabel('List name').fill(name);
  if (await form.getByLabel('Kind').isEnabled()) await form.getByLabel('Kind').selectOption(kind);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-report')).toBeVisible();
  if (opts.sourceDate) await expect(page.getByTestId('report-source-date')).toHaveText(opts.sourceDate);
  else if (opts.sourceDate === null) await expect(page.getByTestId('report-source-date')).toHaveCount(0);
  await page.getByTestId('import-publish').click();
  await expect(page.getByTestId('import-published')).toBeVisible();
}

/** Calls the engine over the harness transport, as a second desk would (e.g. to create another account). */
export async function direct<T>(harness: HarnessInfo, method: string, payload: unknown, token?: string): Promise<T> {
  const harnessToken = decodeURIComponent(/harness=([^&]+)/.exec(new URL(harness.url).hash)![1]!);
  const res = await fetch(`http://127.0.0.1:${harness.port}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HARNESS_TOKEN_HEADER]: harnessToken },
    body: JSON.stringify({ method, token, payload }),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.result!;
}
