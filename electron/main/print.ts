/**
 * Printing a hit report to PDF (issue 11): the renderer asks on PRINT_CHANNEL; the main process
 * prints the asking page itself with `webContents.printToPDF` (A4 from the print stylesheet's
 * `@page`, fonts embedded) and saves it where the user chooses in a save dialog. Only the app's
 * own top-level page may ask (as for the API). The file is written as every file the app writes,
 * by the safe writer (core/files.ts): a temporary name in the same folder, created 0600, fsynced,
 * then renamed into place; replacing a file happens only when the user said yes to the dialog's
 * overwrite question. The report's contents were audited when the engine produced them
 * (`report.print`); this process never sees more than the page it prints.
 */
import { basename, join } from 'node:path';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, SaveDialogOptions, SaveDialogReturnValue, WebContents } from 'electron';
import { PRINT_CHANNEL, type PrintResult } from '../../shared/transport';
import { writeFileSafe } from '../core/files';
import { isTrustedSender } from './ipc';
import type { UrlPolicy } from './security';

/** What printing needs of Electron (fakes in tests). */
export interface PrintDeps {
  /** The window of a web contents (BrowserWindow.fromWebContents), parent of the save dialog. */
  windowOf(contents: WebContents): BrowserWindow | null;
  /** dialog.showSaveDialog */
  showSaveDialog(win: BrowserWindow | null, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  /** Folder the dialog opens in (the user's documents). */
  defaultDir(): string;
}

/** A safe file name for the dialog's suggestion: no folders, no control characters, ending in .pdf. */
export function pdfFileName(requested: unknown): string {
  const raw = typeof requested === 'string' ? basename(requested) : '';
  const clean = raw.replace(/[^\p{L}\p{N}._ -]+/gu, '-').replace(/^[.\s-]+/, '').slice(0, 120).replace(/\.pdf$/i, '');
  return `${clean || 'watchdesk-report'}.pdf`;
}

/** Prints the sender's page to a PDF and saves it where the user chooses. */
export async function printToPdf(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, req: unknown, deps: PrintDeps, isAllowed: UrlPolicy): Promise<PrintResult> {
  if (!isTrustedSender(event, isAllowed)) return { ok: false, reason: 'auth.foreignSender' };
  const name = pdfFileName((req as { fileName?: unknown } | null)?.fileName);
  try {
    const pdf = await event.sender.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true, generateDocumentOutline: false });
    const choice = await deps.showSaveDialog(deps.windowOf(event.sender), {
      defaultPath: join(deps.defaultDir(), name),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
    if (choice.canceled || !choice.filePath) return { ok: true, fileName: null, sha256: null };
    // The dialog asked before replacing a file (showOverwriteConfirmation): overwrite is the user's answer.
    const written = writeFileSafe(choice.filePath, pdf, { overwrite: true });
    return { ok: true, fileName: basename(written.path), sha256: written.sha256 };
  } catch {
    return { ok: false, reason: 'print.failed' };
  }
}

/** Registers the handler for PRINT_CHANNEL. */
export function bindPrint(ipcMain: Pick<IpcMain, 'handle'>, deps: PrintDeps, isAllowed: UrlPolicy): void {
  ipcMain.handle(PRINT_CHANNEL, (event, req: unknown) => printToPdf(event, req, deps, isAllowed));
}
