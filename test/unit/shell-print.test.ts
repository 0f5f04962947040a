/**
 * Printing a hit report to PDF in the Electron shell (electron/main/print.ts), without an Electron
 * runtime: only the app's own page may ask; the page is printed as A4 by printToPDF and written
 * where the save dialog says (temp name, 0600, rename); cancelling writes nothing; a failure is a
 * reason code, never an exception across IPC.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PRINT_CHANNEL } from '../../shared/transport';
import { tempDir } from './helpers';

vi.mock('electron', () => ({}));

const { bindPrint, pdfFileName, printToPdf } = await import('../../electron/main/print');
const { makeUrlPolicy } = await import('../../electron/main/security');

const PDF = Buffer.from('%PDF-1.4 a made-up report\n%%EOF\n');

function event(url: string, printed: () => Promise<Buffer> = async () => PDF, parent: unknown = null) {
  const printToPDF = vi.fn(printed);
  return { senderFrame: { url, parent }, sender: { printToPDF }, printToPDF } as unknown as Parameters<typeof printToPdf>[0] & { printToPDF: typeof printToPDF };
}

function deps(dir: string, answer: { canceled: boolean; filePath?: string }) {
  return {
    windowOf: vi.fn(() => null),
    showSaveDialog: vi.fn(async () => ({ canceled: answer.canceled, filePath: answer.filePath ?? '' })),
    defaultDir: () => dir,
  };
}

describe('printing a report to PDF', () => {
  it('prints the asking page as A4 and saves it where the user chose, 0600, through a temporary name', async () => {
    const dir = tempDir();
    const target = join(dir, 'report.pdf');
    const d = deps(dir, { canceled: false, filePath: target });
    const e = event('app://watchdesk/index.html');
    const r = await printToPdf(e, { fileName: 'watchdesk-hit-report-2026-12-06-audit-12.pdf' }, d, makeUrlPolicy());
    expect(r).toEqual({ ok: true, fileName: 'report.pdf', sha256: createHash('sha256').update(PDF).digest('hex') });
    expect(e.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true }));
    expect(d.showSaveDialog).toHaveBeenCalledWith(null, expect.objectContaining({
      defaultPath: join(dir, 'watchdesk-hit-report-2026-12-06-audit-12.pdf'),
      properties: expect.arrayContaining(['showOverwriteConfirmation']) as unknown,
    }));
    expect(readFileSync(target)).toEqual(PDF);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['report.pdf']);
  });

  it('replaces a file only once the dialog has asked, and writes nothing when cancelled', async () => {
    const dir = tempDir();
    const target = join(dir, 'old.pdf');
    writeFileSync(target, 'older report');
    expect(await printToPdf(event('app://watchdesk/index.html'), { fileName: 'x.pdf' }, deps(dir, { canceled: false, filePath: target }), makeUrlPolicy()))
      .toMatchObject({ ok: true, fileName: 'old.pdf' });
    expect(readFileSync(target)).toEqual(PDF);
    const cancelled = await printToPdf(event('app://watchdesk/index.html'), { fileName: 'y.pdf' }, deps(dir, { canceled: true }), makeUrlPolicy());
    expect(cancelled).toEqual({ ok: true, fileName: null, sha256: null });
    expect(readdirSync(dir)).toEqual(['old.pdf']);
  });

  it('refuses foreign pages and subframes without printing, and reports a failure as a reason', async () => {
    const dir = tempDir();
    for (const e of [event('https://example.com/'), event('app://watchdesk/index.html', undefined, { url: 'app://watchdesk/' })]) {
      const d = deps(dir, { canceled: false, filePath: join(dir, 'x.pdf') });
      expect(await printToPdf(e, { fileName: 'x.pdf' }, d, makeUrlPolicy())).toEqual({ ok: false, reason: 'auth.foreignSender' });
      expect(e.printToPDF).not.toHaveBeenCalled();
      expect(d.showSaveDialog).not.toHaveBeenCalled();
    }
    const failing = event('app://watchdesk/index.html', async () => {
      throw new Error('printing failed');
    });
    expect(await printToPdf(failing, {}, deps(dir, { canceled: false, filePath: join(dir, 'x.pdf') }), makeUrlPolicy()))
      .toEqual({ ok: false, reason: 'print.failed' });
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });

  it('offers a safe file name and binds one handler on PRINT_CHANNEL', () => {
    expect(pdfFileName('../../etc/passwd')).toBe('passwd.pdf');
    expect(pdfFileName('report\u0000name.PDF')).toBe('report-name.pdf');
    expect(pdfFileName(42)).toBe('watchdesk-report.pdf');
    expect(pdfFileName('รายงาน 1.pdf')).toBe('รายงาน 1.pdf');
    const ipcMain = { handle: vi.fn() };
    bindPrint(ipcMain, deps(tempDir(), { canceled: true }), makeUrlPolicy());
    expect(ipcMain.handle).toHaveBeenCalledExactlyOnceWith(PRINT_CHANNEL, expect.any(Function));
  });
});
