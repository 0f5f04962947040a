/**
 * The wiring in electron/main/index.ts, against a mocked Electron: what happens at import (before
 * `ready`) and once the app is ready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, PRINT_CHANNEL } from '../../shared/transport';

type Fn = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => {
  const s = {
    calls: [] as string[],
    lock: true,
    appHandlers: new Map<string, Fn>(),
    ipcHandlers: new Map<string, Fn>(),
    windows: [] as { options: Record<string, unknown>; loaded: string[]; wcHandlers: Map<string, Fn>; openHandler: Fn | null }[],
    paths: new Map<string, string>(),
    ready: null as null | (() => void),
    protocolHandlers: new Map<string, Fn>(),
    permissionRequest: null as Fn | null,
    permissionCheck: null as Fn | null,
    devicePermission: null as Fn | null,
    beforeRequest: null as Fn | null,
    menu: null as unknown,
    packaged: false,
  };
  return s;
});

vi.mock('electron', () => {
  const s = state;
  const note = (name: string) => s.calls.push(name);
  class BrowserWindow {
    options: Record<string, unknown>;
    record: (typeof s.windows)[number];
    webContents: { on: Fn; setWindowOpenHandler: Fn };
    constructor(options: Record<string, unknown>) {
      note('new BrowserWindow');
      this.options = options;
      this.record = { options, loaded: [], wcHandlers: new Map(), openHandler: null };
      s.windows.push(this.record);
      const rec = this.record;
      this.webContents = {
        on: (event, fn) => void rec.wcHandlers.set(event as string, fn as Fn),
        setWindowOpenHandler: (fn) => void (rec.openHandler = fn as Fn),
      };
    }
    once() {}
    on() {}
    show() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      get isPackaged() {
        return s.packaged;
      },
      commandLine: { getSwitchValue: () => '' },
      setName: (n: string) => note(`setName ${n}`),
      getPath: (n: string) => s.paths.get(n) ?? `/nonexistent/${n}`,
      setPath: (n: string, p: string) => {
        note(`setPath ${n}`);
        s.paths.set(n, p);
      },
      enableSandbox: () => note('enableSandbox'),
      requestSingleInstanceLock: () => {
        note('requestSingleInstanceLock');
        return s.lock;
      },
      quit: () => note('quit'),
      exit: (code: number) => note(`exit ${code}`),
      on: (event: string, fn: Fn) => void s.appHandlers.set(event, fn),
      whenReady: () => new Promise<void>((ok) => (s.ready = ok)),
    },
    BrowserWindow,
    dialog: { showErrorBox: (title: string) => note(`showErrorBox ${title}`) },
    ipcMain: { handle: (channel: string, fn: Fn) => void s.ipcHandlers.set(channel, fn) },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: (m: unknown) => void (s.menu = m),
    },
    protocol: {
      registerSchemesAsPrivileged: () => note('registerSchemesAsPrivileged'),
      handle: (scheme: string, fn: Fn) => {
        note(`protocol.handle ${scheme}`);
        s.protocolHandlers.set(scheme, fn);
      },
    },
    safeStorage: {
      getSelectedStorageBackend: () => 'basic_text',
      isEncryptionAvailable: () => true,
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => void (s.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => void (s.permissionCheck = fn),
        setDevicePermissionHandler: (fn: Fn) => void (s.devicePermission = fn),
        webRequest: { onBeforeRequest: (fn: Fn) => void (s.beforeRequest = fn) },
      },
    },
  };
});

// The tests run the engine on plain Node, which cannot load an Electron build of the database addon
// that a developer's `npm run rebuild:electron` may have left in .native-electron/: none is found.
vi.mock('../../electron/main/layout', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../electron/main/layout')>()),
  findNativeBinding: () => undefined,
}));

const tmp = mkdtempSync(join(tmpdir(), 'watchdesk-shell-main-'));
const ARGV = [...process.argv];
afterAll(() => {
  process.argv = ARGV;
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  vi.resetModules();
  Object.assign(state, {
    calls: [],
    lock: true,
    ready: null,
    permissionRequest: null,
    permissionCheck: null,
    devicePermission: null,
    beforeRequest: null,
    menu: null,
    packaged: false,
  });
  process.argv = [...ARGV];
  state.appHandlers.clear();
  state.ipcHandlers.clear();
  state.protocolHandlers.clear();
  state.paths.clear();
  state.windows.length = 0;
  state.paths.set('appData', join(tmp, 'appData'));
  vi.stubEnv('WATCHDESK_DB', join(tmp, 'db', 'test.db'));
  vi.stubEnv('WATCHDESK_USER_DATA', '');
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
});

/** The roles in the application menu the app set. */
function menuRoles(): string[] {
  return [...JSON.stringify(state.menu).matchAll(/"role":"(\w+)"/g)].map((m) => m[1] ?? '');
}

async function startApp() {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await import('../../electron/main/index');
  expect(state.ready).not.toBeNull();
  state.ready?.();
  await vi.waitFor(() => expect(state.windows).toHaveLength(1), { timeout: 15_000 });
  stderr.mockRestore();
  const win = state.windows[0];
  if (!win) throw new Error('no window');
  return win;
}

describe('main process wiring', () => {
  it('before ready: names the app, sets userData, sandboxes, registers app:, takes the lock', async () => {
    await import('../../electron/main/index');
    expect(state.calls).toEqual([
      'setName Watchdesk',
      'setPath userData',
      'enableSandbox',
      'registerSchemesAsPrivileged',
      'requestSingleInstanceLock',
    ]);
    expect(state.paths.get('userData')).toBe(join(tmp, 'appData', 'Watchdesk'));
    expect([...state.appHandlers.keys()].sort()).toEqual(['before-quit', 'second-instance', 'web-contents-created', 'window-all-closed']);
  });

  it('quits at once when another instance holds the lock', async () => {
    state.lock = false;
    await import('../../electron/main/index');
    expect(state.calls.at(-1)).toBe('quit');
    expect(state.ready).toBeNull();
    expect(state.appHandlers.size).toBe(0);
  });

  it('once ready: denies permissions, serves app:, binds IPC to the engine, opens the hardened window', async () => {
    const win = await startApp();
    expect(state.calls).toContain('protocol.handle app');
    const cb = vi.fn();
    state.permissionRequest?.({}, 'media', cb, {});
    expect(cb).toHaveBeenCalledWith(false);
    expect(state.permissionCheck?.({}, 'notifications', 'app://watchdesk', {})).toBe(false);
    expect(state.menu).toBeInstanceOf(Array);

    expect(win.loaded).toEqual(['app://watchdesk/index.html']);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: resolve(import.meta.dirname, '../../out/preload/index.cjs'),
    });
    expect(menuRoles()).not.toContain('toggleDevTools');
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const prevented = vi.fn();
      win.wcHandlers.get(event)?.({ preventDefault: prevented, url: 'https://example.com/', isMainFrame: true }, 'https://example.com/');
      expect(prevented, event).toHaveBeenCalled();
    }
    const attach = vi.fn();
    win.wcHandlers.get('will-attach-webview')?.({ preventDefault: attach }, {}, {});
    expect(attach).toHaveBeenCalled();
    expect(win.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    // The default session: devices denied, remote content cancelled, the app's own let through.
    expect(state.devicePermission?.({ deviceType: 'hid', origin: 'app://watchdesk' })).toBe(false);
    const cancelled = (url: string) => {
      let answer: unknown;
      state.beforeRequest?.({ url }, (r: { cancel?: boolean }) => (answer = r.cancel));
      return answer;
    };
    expect(cancelled('https://example.com/x.js')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('http://localhost:5173/')).toBe(true);
    expect(cancelled('app://watchdesk/index.html')).toBe(false);

    const ipc = state.ipcHandlers.get(IPC_CHANNEL);
    expect(ipc).toBeTypeOf('function');
    const status = await ipc?.({ senderFrame: { url: 'app://watchdesk/index.html', parent: null } }, { method: 'app.status', payload: {} });
    expect(status).toMatchObject({ ok: true, result: { initialized: false } });
    const foreign = await ipc?.({ senderFrame: { url: 'https://example.com/', parent: null } }, { method: 'app.status', payload: {} });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The hit report's print channel (print.ts) is bound too.
    expect(state.ipcHandlers.get(PRINT_CHANNEL)).toBeTypeOf('function');

    // Quitting waits for the engine thread to close, then quits for real.
    const held = vi.fn();
    state.appHandlers.get('before-quit')?.({ preventDefault: held });
    expect(held).toHaveBeenCalled();
    await vi.waitFor(() => expect(state.calls).toContain('quit'));
    const again = vi.fn();
    state.appHandlers.get('before-quit')?.({ preventDefault: again });
    expect(again).not.toHaveBeenCalled();
  });

  it('hardens every web contents the app creates', async () => {
    await import('../../electron/main/index');
    const handlers = new Map<string, Fn>();
    let openHandler: Fn | null = null;
    state.appHandlers.get('web-contents-created')?.({}, {
      on: (e: string, fn: Fn) => void handlers.set(e, fn),
      setWindowOpenHandler: (fn: Fn) => void (openHandler = fn),
    });
    expect([...handlers.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const prevented = vi.fn();
    handlers.get('will-frame-navigate')?.({ preventDefault: prevented, url: 'https://example.com/', isMainFrame: false });
    expect(prevented).toHaveBeenCalled();
    expect((openHandler as Fn | null)?.({ url: 'app://watchdesk/index.html' })).toEqual({ action: 'deny' });
  });

  it('loads the Vite dev server only when it is on loopback', async () => {
    process.argv = [...ARGV, '--watchdesk-dev'];
    vi.stubEnv('ELECTRON_RENDERER_URL', 'https://example.com/');
    expect((await startApp()).loaded).toEqual(['app://watchdesk/index.html']);
  });

  it('an unpackaged start without --watchdesk-dev (npm start) gets no DevTools and ignores the dev server', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    const win = await startApp();
    expect(win.loaded).toEqual(['app://watchdesk/index.html']);
    expect(win.options.webPreferences).toMatchObject({ devTools: false });
    expect(menuRoles()).not.toContain('toggleDevTools');
    const prevented = vi.fn();
    win.wcHandlers.get('will-navigate')?.({ preventDefault: prevented, url: 'http://localhost:5173/' }, 'http://localhost:5173/');
    expect(prevented).toHaveBeenCalled();
  });

  it('development mode (npm run dev: unpackaged, --watchdesk-dev) has DevTools and the loopback dev server', async () => {
    process.argv = [...ARGV, '--watchdesk-dev'];
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    const win = await startApp();
    expect(win.loaded).toEqual(['http://localhost:5173/']);
    expect(win.options.webPreferences).toMatchObject({ devTools: true, contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(menuRoles()).toContain('toggleDevTools');
    const prevented = vi.fn();
    win.wcHandlers.get('will-navigate')?.({ preventDefault: prevented, url: 'http://localhost:5173/x' }, 'http://localhost:5173/x');
    expect(prevented).not.toHaveBeenCalled();
  });

  it('a packaged app is never in development mode, and refuses to start without its database addon', async () => {
    state.packaged = true;
    process.argv = [...ARGV, '--watchdesk-dev'];
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await import('../../electron/main/index');
    state.ready?.();
    // No addon beside the app (findNativeBinding is mocked): for a packaged app that is a damaged
    // install, said so in a dialog, not a crash at the first database call.
    await vi.waitFor(() => expect(state.calls).toContain('exit 1'));
    stderr.mockRestore();
    expect(state.calls).toContain('showErrorBox Watchdesk could not start');
    expect(state.windows).toHaveLength(0);
    // The menu was built first: no DevTools in it, whatever the switch says.
    expect(menuRoles()).not.toContain('toggleDevTools');
    expect(menuRoles()).toContain('editMenu');
  });

  it('honours WATCHDESK_USER_DATA', async () => {
    vi.stubEnv('WATCHDESK_USER_DATA', join(tmp, 'profile'));
    await import('../../electron/main/index');
    expect(state.paths.get('userData')).toBe(join(tmp, 'profile'));
  });
});
