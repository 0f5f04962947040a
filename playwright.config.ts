import { defineConfig } from '@playwright/test';

/** End-to-end tests drive Debian's Chromium against the browser harness (DESIGN.md section 3). */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 90_000,
  // A shared 2-core machine under load (an import, a benchmark) can take longer than the default 5 s.
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    viewport: { width: 1366, height: 900 },
  },
});
