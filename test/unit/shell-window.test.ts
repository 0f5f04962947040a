import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The shell modules import only types from 'electron'; the mock makes sure that nothing reaches
// the real package (which cannot load on plain Node here).
vi.mock('electron', () => ({}));

const { createMainWindow, mainWindowOptions } = await import('../../electron/main/window');
const { makeUrlPolicy } = await import('../../electron/main/security');

type Listener = (...args: unknown[]) => void;

function fakeBrowserWindowClass() {
  const created: FakeWindow[] = [];
  class FakeWindow {
    options: Record<string, unknown>;
    listeners = new Map<string, Listener[]>();
    onceListeners = new Map<string, Listener>();
    loaded: string[] = [];
    shown = false;
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    webContents = {
      on: (event: string, fn: Listener) => {
        this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
        return this.webContents;
      },
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => {
        this.openHandler = fn;
      },
    };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      created.push(this);
    }
    once(event: string, fn: Listener) {
      this.onceListeners.set(event, fn);
      return this;
    }
    show() {
      this.shown = true;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    /**
     * Fires a navigation event as Electron does (the details object carrying `url` and
     * `isMainFrame`, then the deprecated url argument); returns whether a listener called
     * preventDefault. `details` overrides the details' fields.
     */
    emit(event: string, url?: string, details: Record<string, unknown> = {}): boolean {
      let prevented = false;
      const ev = { preventDefault: () => (prevented = true), url, isMainFrame: true, isSameDocument: false, ...details };
      for (const fn of this.listeners.get(event) ?? []) fn(ev, url);
      return prevented;
    }
  }
  return { FakeWindow, created };
}

const PRELOAD = resolve('/app/out/preload/index.cjs');

function makeWindow(devServer?: string) {
  const { FakeWindow, created } = fakeBrowserWindowClass();
  createMainWindow({
    BrowserWindow: FakeWindow as never,
    preloadPath: PRELOAD,
    entryUrl: 'app://watchdesk/index.html',
    isAllowed: makeUrlPolicy(devServer),
    devTools: false,
  });
  const win = created[0];
  if (!win) throw new Error('no window');
  return win;
}

describe('main window', () => {
  it('uses hardened web preferences and the built preload script', () => {
    const wp = mainWindowOptions(PRELOAD, false).webPreferences;
    // Every security-relevant preference is set explicitly (a dropped one would fall back to
    // Electron's default, which for some of them is not the safe value): exact equality.
    expect(wp).toEqual({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
    expect(wp?.preload).toMatch(/out[/\\]preload[/\\]index\.cjs$/);
    expect(mainWindowOptions(PRELOAD, true).webPreferences?.devTools).toBe(true);
  });

  it('is created with those options, loads the app: entry and shows when ready', () => {
    const win = makeWindow();
    expect(win.options).toEqual(mainWindowOptions(PRELOAD, false));
    expect(win.loaded).toEqual(['app://watchdesk/index.html']);
    expect(win.shown).toBe(false);
    win.onceListeners.get('ready-to-show')?.();
    expect(win.shown).toBe(true);
  });

  it('refuses navigation, frame navigation and redirects away from the app origin', () => {
    const win = makeWindow();
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5174/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
    ]) {
      expect(win.emit('will-navigate', url), url).toBe(true);
      expect(win.emit('will-frame-navigate', url), url).toBe(true);
      expect(win.emit('will-redirect', url), url).toBe(true);
    }
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(win.emit(event, 'app://watchdesk/index.html'), event).toBe(false);
      expect(win.emit(event, 'app://watchdesk/other.html#x'), event).toBe(false);
    }
  });

  it('refuses every subframe navigation, even to the app (the app has no frames)', () => {
    const win = makeWindow();
    expect(win.emit('will-frame-navigate', 'app://watchdesk/index.html', { isMainFrame: false })).toBe(true);
    expect(win.emit('will-frame-navigate', 'https://example.com/', { isMainFrame: false })).toBe(true);
  });

  it('reads the target from the details object first, and refuses when there is none', () => {
    const win = makeWindow();
    // The details' url wins over the deprecated second argument.
    expect(win.emit('will-navigate', 'app://watchdesk/index.html', { url: 'https://example.com/' })).toBe(true);
    // The deprecated argument alone still works (older event shapes).
    expect(win.emit('will-navigate', 'app://watchdesk/index.html', { url: undefined })).toBe(false);
    expect(win.emit('will-navigate', 'https://example.com/', { url: undefined })).toBe(true);
    // No URL at all: refused.
    expect(win.emit('will-navigate', undefined, { url: undefined })).toBe(true);
    expect(win.emit('will-frame-navigate', undefined, { url: undefined })).toBe(true);
  });

  it('allows a loopback dev server only when one is given', () => {
    expect(makeWindow().emit('will-navigate', 'http://localhost:5173/')).toBe(true);
    const dev = makeWindow('http://localhost:5173/');
    expect(dev.emit('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(dev.emit('will-navigate', 'http://localhost:5174/')).toBe(true);
    // A non-loopback "dev server" is ignored altogether.
    expect(makeWindow('https://example.com/').emit('will-navigate', 'https://example.com/')).toBe(true);
  });

  it('denies every window.open, including to the app itself', () => {
    const win = makeWindow();
    expect(win.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(win.openHandler?.({ url: 'app://watchdesk/index.html' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach webviews', () => {
    const win = makeWindow();
    let prevented = false;
    for (const fn of win.listeners.get('will-attach-webview') ?? []) fn({ preventDefault: () => (prevented = true) }, {}, { src: 'app://watchdesk/index.html' });
    expect(prevented).toBe(true);
  });

  it('registers exactly the guards of the security policy on the window', () => {
    const win = makeWindow();
    expect([...win.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(win.openHandler).toBeTypeOf('function');
  });
});
