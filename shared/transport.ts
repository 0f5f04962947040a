/**
 * Transport constants and the bridge type, free of any dependency so that the sandboxed preload
 * and the harness can import them without pulling in the contract's schemas.
 */
import type { ApiRequest, ApiResponse } from './contract';

/** Name of the Electron IPC channel that carries `ApiRequest`s. */
export const IPC_CHANNEL = 'watchdesk:api';
/** HTTP header that carries the harness's per-launch token. */
export const HARNESS_TOKEN_HEADER = 'x-watchdesk-harness';

/** Name of the Electron IPC channel that prints the app's page to a PDF the user saves (a hit report). */
export const PRINT_CHANNEL = 'watchdesk:print';

/** What the renderer asks the shell to print: its page (under the print stylesheet) as a PDF, offered under `fileName`. */
export interface PrintRequest {
  fileName: string;
}
/** The PDF was saved (`fileName` null when the user cancelled the save dialog), or why not (a reason code). */
export type PrintResult =
  | { ok: true; fileName: string | null; sha256: string | null }
  | { ok: false; reason: 'auth.foreignSender' | 'print.failed' };

/** What the preload script exposes on `window.watchdesk` in the Electron app. */
export interface WatchdeskBridge {
  invoke(req: ApiRequest): Promise<ApiResponse>;
  /** Prints the page to a PDF saved through a save dialog (absent in the browser harness: window.print()). */
  printToPdf?(req: PrintRequest): Promise<PrintResult>;
}

/**
 * The Content-Security-Policy the renderer runs under: sent as a header by the Electron `app://`
 * protocol and by the harness, and written in the `<meta>` tag of `renderer/index.html` (a test
 * checks they agree). No remote content, no inline scripts, no inline styles: the renderer's CSS is
 * one stylesheet file, and React's `style` props (none today) set CSSOM properties, which CSP allows.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
