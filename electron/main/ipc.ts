/** Binds the engine's single entry point to Electron IPC, for the app's own pages only. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiRequest, ApiResponse } from '../../shared/contract';
import { IPC_CHANNEL } from '../../shared/transport';
import { reason, reasonView } from '../../shared/reasons';
import type { UrlPolicy } from './security';

/** What the IPC binding needs of the engine. */
export interface ApiHandler {
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/** The answer to a call from a frame that is not the app's top-level page. */
export const FOREIGN_SENDER_RESPONSE: ApiResponse = {
  ok: false,
  error: { code: 'forbidden', ...reasonView(reason('auth.foreignSender')) },
};

/** True when the IPC message comes from a live top-level frame whose URL is the app's. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, isAllowed: UrlPolicy): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  return isAllowed(frame.url);
}

/**
 * Registers the handler for `IPC_CHANNEL`: requests from the app's own top-level frame go to
 * `engine.handle`; anything else gets a `forbidden` envelope and never reaches the engine.
 */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle'>, engine: ApiHandler, isAllowed: UrlPolicy): void {
  ipcMain.handle(IPC_CHANNEL, (event, req: unknown) => {
    if (!isTrustedSender(event, isAllowed)) return Promise.resolve(FOREIGN_SENDER_RESPONSE);
    return engine.handle(req as ApiRequest);
  });
}
