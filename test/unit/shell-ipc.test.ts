import { describe, expect, it, vi } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../shared/contract';
import { IPC_CHANNEL } from '../../shared/transport';

vi.mock('electron', () => ({}));

const { bindIpc, FOREIGN_SENDER_RESPONSE } = await import('../../electron/main/ipc');
const { makeUrlPolicy } = await import('../../electron/main/security');

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function bind() {
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: vi.fn((channel: string, fn: Handler) => void handlers.set(channel, fn)) };
  const answer: ApiResponse = { ok: true, result: { initialized: false } };
  const engine = { handle: vi.fn(async (_req: ApiRequest) => answer) };
  bindIpc(ipcMain, engine, makeUrlPolicy());
  return { ipcMain, handlers, engine, answer };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('IPC binding', () => {
  it('binds exactly one handler, on IPC_CHANNEL', () => {
    const { ipcMain, handlers } = bind();
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect([...handlers.keys()]).toEqual([IPC_CHANNEL]);
  });

  it("forwards the app's requests to engine.handle and returns its answer", async () => {
    const { handlers, engine, answer } = bind();
    const req: ApiRequest = { method: 'app.status', token: null, payload: {} };
    const res = await handlers.get(IPC_CHANNEL)?.(frame('app://watchdesk/index.html'), req);
    expect(engine.handle).toHaveBeenCalledExactlyOnceWith(req);
    expect(res).toBe(answer);
  });

  it('refuses foreign senders without calling the engine', async () => {
    const { handlers, engine } = bind();
    const handler = handlers.get(IPC_CHANNEL);
    const req = { method: 'app.status', payload: {} };
    for (const event of [
      frame('https://example.com/'),
      frame('file:///tmp/index.html'),
      frame('app://evil/index.html'),
      frame('http://localhost:5173/'),
      frame('app://watchdesk/index.html', { url: 'app://watchdesk/index.html' }), // a subframe
      { senderFrame: null }, // navigated away or destroyed
    ]) {
      expect(await handler?.(event, req)).toEqual(FOREIGN_SENDER_RESPONSE);
    }
    expect(engine.handle).not.toHaveBeenCalled();
    expect(FOREIGN_SENDER_RESPONSE).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
