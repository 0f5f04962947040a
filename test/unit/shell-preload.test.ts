import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, PRINT_CHANNEL, type WatchdeskBridge } from '../../shared/transport';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, result: 'pong' })), send: vi.fn(), on: vi.fn() },
}));
vi.mock('electron', () => electron);

await import('../../electron/preload/index');

describe('preload', () => {
  it("exposes exactly { invoke, printToPdf } as window.watchdesk, and nothing else", () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('watchdesk');
    expect(Object.keys(api)).toEqual(['invoke', 'printToPdf']);
    expect(typeof api.invoke).toBe('function');
  });

  it('invoke sends the envelope on IPC_CHANNEL and returns the answer', async () => {
    const [, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, WatchdeskBridge];
    const req = { method: 'app.status', token: null, payload: {} };
    await expect(api.invoke(req)).resolves.toEqual({ ok: true, result: 'pong' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, req);
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
  });

  it('printToPdf asks on PRINT_CHANNEL with the request only', async () => {
    const [, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, WatchdeskBridge];
    electron.ipcRenderer.invoke.mockClear();
    await api.printToPdf?.({ fileName: 'r.pdf' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(PRINT_CHANNEL, { fileName: 'r.pdf' });
  });
});
