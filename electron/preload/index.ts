/**
 * The preload script (sandboxed, bundled to CommonJS): exposes the one API entry point as
 * `window.watchdesk.invoke` and nothing else. The renderer never gets `ipcRenderer` itself.
 * It imports from shared/transport.ts, which has no dependencies, so the bundle stays tiny.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiRequest, ApiResponse } from '../../shared/contract';
import { IPC_CHANNEL, type WatchdeskBridge } from '../../shared/transport';

const bridge: WatchdeskBridge = {
  invoke: (req: ApiRequest): Promise<ApiResponse> => ipcRenderer.invoke(IPC_CHANNEL, req) as Promise<ApiResponse>,
};

contextBridge.exposeInMainWorld('watchdesk', bridge);
