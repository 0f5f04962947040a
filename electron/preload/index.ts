/**
 * The preload script (sandboxed, bundled to CommonJS): exposes the one API entry point as
 * `window.watchdesk.invoke` and nothing else. The renderer never gets `ipcRenderer` itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiRequest, ApiResponse, IPC_CHANNEL, WatchdeskBridge } from '../../shared/contract';

// Only the type of IPC_CHANNEL is imported: a value import would bundle shared/contract.ts and all
// of zod (~180 kB) into the sandboxed preload. The annotation makes tsc fail if the two differ.
const CHANNEL: typeof IPC_CHANNEL = 'watchdesk:api';

const bridge: WatchdeskBridge = {
  invoke: (req: ApiRequest): Promise<ApiResponse> => ipcRenderer.invoke(CHANNEL, req) as Promise<ApiResponse>,
};

contextBridge.exposeInMainWorld('watchdesk', bridge);
