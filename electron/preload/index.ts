/**
 * The preload script (sandboxed, bundled to CommonJS): exposes the one API entry point as
 * `window.watchdesk.invoke`, `printToPdf` for the hit report, and nothing else. The renderer
 * never gets `ipcRenderer` itself. It imports from shared/transport.ts, which has no
 * dependencies, so the bundle stays tiny.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiRequest, ApiResponse } from '../../shared/contract';
import { IPC_CHANNEL, PRINT_CHANNEL, type PrintRequest, type PrintResult, type WatchdeskBridge } from '../../shared/transport';

const bridge: WatchdeskBridge = {
  invoke: (req: ApiRequest): Promise<ApiResponse> => ipcRenderer.invoke(IPC_CHANNEL, req) as Promise<ApiResponse>,
  printToPdf: (req: PrintRequest): Promise<PrintResult> => ipcRenderer.invoke(PRINT_CHANNEL, req) as Promise<PrintResult>,
};

contextBridge.exposeInMainWorld('watchdesk', bridge);
