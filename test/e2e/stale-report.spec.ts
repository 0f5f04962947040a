/**
 * Issue 11 at the desk, 1366x768, English and Thai, axe on every state:
 * - stale lists: a Thai warrant sheet whose title row says "ปรับปรุงล่าสุด 1 มี.ค. 2567" is aged
 *   from that date (source dated) and named in a warning banner on the Screening screen, beside a
 *   list with no date of its own (aged from its import, not stale); raising the checkpoint's
 *   limit in Settings lifts the warning;
 * - the printable hit report of a decided hit: opened from the hit, printed to PDF by Chromium
 *   with the print stylesheet (as window.print() would), the PDF's text holding the warrant number
 *   and the audit row's hash, and its fonts the bundled Noto Sans Thai, in English and in Thai.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { axe, expect, fontsReady, publishList, SCREENSHOTS, setUpAsAdmin, snap, test, thaiFontLoaded } from './fixtures';

test.use({ timezoneId: 'Asia/Bangkok', locale: 'en-US', viewport: { width: 1366, height: 768 } });


/** Switches the UI language with the switch on top: the report's own while it is open (the desk behind it is inert). */
async function setLang(page: Page, lang: 'en' | 'th'): Promise<void> {
  const report = page.getByTestId('hit-report');
  await ((await report.count()) ? report : page.locator('.topbar')).getByTestId(`lang-${lang}`).click();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await fontsReady(page);
  if (lang === 'th') expect(await thaiFontLoaded(page)).toBe(true);
}



/** The text of every page of a PDF (pdf.js), runs joined as they come. */
async function pdfText(pdf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false }).promise;
  let out = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    out += `${content.items.map((it) => ('str' in it ? it.str : '')).join('')}\n`;
  }
  await doc.destroy();
  return out;
}

/** The fonts a PDF embeds, by their /BaseFont names (subset prefix removed). */
function pdfFonts(pdf: Buffer): string[] {
  return [...new Set([...pdf.toString('latin1').matchAll(/\/BaseFont\s*\/(?:[A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[1]!))];
}

test('stale lists are flagged on the Screening screen; a decided hit prints as a report, English and Thai', async ({ page, harness }, testInfo) => {
  test.setTimeout(240_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await setUpAsAdmin(page, harness);
  await publishList(page, 'warrants-th.csv', 'Thai warrants', 'wanted', { sourceDate: 'source dated 1 Mar 2024' });
  await publishList(page, 'e2e-wanted.csv', 'Police warrants', 'wanted', { sourceDate: null });
  const thaiRow = page.locator('[data-testid="list-row"][data-list="Thai warrants"]');
  await expect(thaiRow.getByTestId('list-age-basis')).toHaveText('source dated 1 Mar 2024');
  await expect(thaiRow.getByTestId('stale')).toBeVisible();
  await snap(page, '41-stale-watchlists-en');

  // --- the stale warning on the Screening screen --------------------------------------------
  await page.getByTestId('nav-screening').click();
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toBeVisible();
  await expect(banner.getByTestId('stale-banner-item')).toHaveCount(1);
  await expect(banner).toContainText(/“Thai warrants” \(version 1\) is \d{3,} days old, source dated 1 Mar 2024; the limit is 7 days\./);
  await expect(banner).not.toContainText('Police warrants');
  const items = page.getByTestId('list-status-item');
  await expect(items.filter({ hasText: 'Thai warrants' }).getByTestId('list-age-basis')).toHaveText('(source dated 1 Mar 2024)');
  await expect(items.filter({ hasText: 'Police warrants' }).getByTestId('list-age-basis')).toHaveText('(imported)');
  await axe(page, 'stale banner (en)');
  await snap(page, '41-stale-banner-en');
  await setLang(page, 'th');
  await expect(banner).toContainText('ข้อมูล ณ วันที่ 1 มี.ค. 2567');
  await expect(banner).toContainText('เกินกำหนด 7 วัน');
  await axe(page, 'stale banner (th)');
  await snap(page, '41-stale-banner-th');
  await setLang(page, 'en');

  // --- a supervisor's (here the admin's) limit lifts it --------------------------------------
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('stale-limit-days')).toHaveValue('7');
  await page.getByTestId('stale-limit-days').fill('2000');
  await page.getByTestId('stale-limit-save').click();
  await expect(page.getByTestId('stale-limit-saved')).toContainText('older than 2000 days');
  await axe(page, 'settings with the stale limit');
  await snap(page, '41-stale-limit-en');
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('list-status-item')).toHaveCount(2);
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);

  // --- a list's own limit wins over the checkpoint's ------------------------------------------
  await page.getByTestId('nav-watchlists').click();
  await thaiRow.getByTestId('view-settings').click();
  const listSettings = page.getByTestId('settings-panel');
  await expect(listSettings.getByLabel('Stale after (days)')).toHaveAttribute('placeholder', '2000');
  await listSettings.getByLabel('Stale after (days)').fill('30');
  await listSettings.getByTestId('settings-save').click();
  await expect(listSettings.getByTestId('settings-saved')).toBeVisible();
  await axe(page, 'list settings with its own stale limit');
  await snap(page, '41-stale-list-limit-en', true);
  await page.getByTestId('nav-screening').click();
  await expect(page.getByTestId('stale-banner')).toContainText('the limit is 30 days');

  // --- a decided hit and its report ----------------------------------------------------------
  const form = page.getByTestId('traveler-form');
  await form.getByLabel('Full name').fill('PHANTAWONG NARONGRIT');
  await form.getByLabel('Date of birth').fill('14/03/2530');
  await form.getByLabel('Document number').fill('AA1234567');
  await form.getByLabel('Document number').press('Enter');
  const hit = page.locator('[data-testid="hit-card"][data-entry-id="W-0001"]');
  await expect(hit).toBeVisible();
  await expect(hit.getByTestId('print-report')).toHaveCount(0); // undecided: nothing to print yet
  await hit.getByTestId('decision-note').fill('Passport photo matches; held for the police');
  await hit.getByTestId('decide-confirm').click();
  await expect(hit).toHaveAttribute('data-decision', 'confirmed');
  await hit.getByTestId('print-report').focus();
  await page.keyboard.press('Enter');
  const report = page.getByTestId('hit-report');
  await expect(report).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Watchlist hit report' })).toBeVisible();
  await expect(report.getByTestId('report-reference')).toHaveText('CR-2567/0412');
  await expect(report.getByTestId('report-decision')).toHaveText('Confirmed');
  await expect(report.getByTestId('report-officer')).toHaveText('admin');
  await expect(report.getByTestId('report-list')).toHaveText('Police warrants (Wanted), version 1');
  await expect(report).toContainText('Passport photo matches; held for the police');
  await expect(report).toContainText('(Asia/Bangkok)');
  const hash = (await report.getByTestId('report-audit-hash').textContent()) ?? '';
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await axe(page, 'hit report (en)');
  await snap(page, '41-hit-report-en');

  const pdfs: Record<string, Buffer> = {};
  for (const lang of ['en', 'th'] as const) {
    await setLang(page, lang);
    if (lang === 'th') {
      await expect(report.getByTestId('report-decision')).toHaveText('ยืนยันแล้ว');
      await expect(page.getByRole('dialog', { name: 'รายงานผลตรงกับบัญชีเฝ้าระวัง' })).toBeVisible();
      await axe(page, 'hit report (th)');
      await snap(page, '41-hit-report-th');
    }
    // What the print stylesheet makes of the page (the desk hidden, the sheet alone) ...
    await page.emulateMedia({ media: 'print' });
    await snap(page, `41-hit-report-print-${lang}`, true);
    await page.emulateMedia({ media: null });
    // ... and the PDF Chromium prints from it (print media), as window.print() or Electron's printToPDF would.
    pdfs[lang] = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(testInfo.outputPath(`hit-report-${lang}.pdf`), pdfs[lang]);
    writeFileSync(join(SCREENSHOTS, `41-hit-report-${lang}.pdf`), pdfs[lang]);
  }
  for (const [lang, pdf] of Object.entries(pdfs)) {
    const text = await pdfText(pdf);
    expect(text, lang).toContain('CR-2567/0412');
    expect(text.replace(/\s+/g, ''), lang).toContain(hash);
    expect(text, lang).toContain('Narongrit Phanthawong');
    expect(text, lang).not.toContain('Nong Khai Friendship BridgeScreening'); // the desk itself is not printed
    expect(pdfFonts(pdf).some((f) => f.startsWith('NotoSansThai')), `${lang}: ${pdfFonts(pdf).join(', ')}`).toBe(true);
  }
  expect(await pdfText(pdfs.en!)).toContain('Watchlist hit report');
  expect(await pdfText(pdfs.th!)).toMatch(/รายงาน/);

  // Escape closes the report; focus returns to its button.
  await setLang(page, 'en');
  await page.keyboard.press('Escape');
  await expect(report).toHaveCount(0);
  await expect(hit.getByTestId('print-report')).toBeFocused();
  expect(pageErrors).toEqual([]);
});
