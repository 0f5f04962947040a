import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { DEV_SWITCH, hardenSession, isAllowedRequest, makeUrlPolicy, loopbackOrigin, resolveDevMode } = await import('../../electron/main/security');

type RequestHandler = (wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void;
type CheckHandler = (...a: unknown[]) => boolean;
type BeforeRequest = (details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void;

function fakeSession() {
  const h = {
    request: null as RequestHandler | null,
    check: null as CheckHandler | null,
    device: null as CheckHandler | null,
    beforeRequest: null as BeforeRequest | null,
  };
  const session = {
    setPermissionRequestHandler: (fn: RequestHandler) => void (h.request = fn),
    setPermissionCheckHandler: (fn: CheckHandler) => void (h.check = fn),
    setDevicePermissionHandler: (fn: CheckHandler) => void (h.device = fn),
    webRequest: { onBeforeRequest: (fn: BeforeRequest) => void (h.beforeRequest = fn) },
  };
  return { h, session };
}

function cancelled(s: ReturnType<typeof fakeSession>, url: string): boolean | undefined {
  let answer: boolean | undefined;
  s.h.beforeRequest?.({ url }, (r) => (answer = r.cancel));
  return answer;
}

describe('session hardening', () => {
  it('denies every permission request, check and device request', () => {
    const s = fakeSession();
    hardenSession(s.session as never, makeUrlPolicy());
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid']) {
      const cb = vi.fn();
      s.h.request?.({}, permission, cb, { requestingUrl: 'app://watchdesk/index.html' });
      expect(cb, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(s.h.check?.({}, permission, 'app://watchdesk', {}), permission).toBe(false);
    }
    expect(s.h.device?.({ deviceType: 'usb', origin: 'app://watchdesk' })).toBe(false);
  });

  it('cancels every request for remote content and lets the app and local schemes through', () => {
    const s = fakeSession();
    hardenSession(s.session as never, makeUrlPolicy());
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:5174/api', 'ws://localhost:5173/', 'file:///etc/passwd', 'app://evil/x.js', 'ftp://x/']) {
      expect(cancelled(s, url), url).toBe(true);
    }
    for (const url of ['app://watchdesk/index.html', 'app://watchdesk/assets/a.js', 'data:image/png;base64,AA==', 'blob:app://watchdesk/1234', 'devtools://devtools/bundled/x.html']) {
      expect(cancelled(s, url), url).toBe(false);
    }
  });

  it('lets the loopback dev server (and its HMR socket) through only when configured', () => {
    const policy = makeUrlPolicy('http://localhost:5173/');
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', policy)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', policy)).toBe(true);
    expect(isAllowedRequest('http://localhost:5174/', policy)).toBe(false);
    expect(isAllowedRequest('https://example.com/', policy)).toBe(false);
  });

  it('accepts only loopback http(s) dev server URLs', () => {
    expect(loopbackOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(loopbackOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(loopbackOrigin('https://example.com/')).toBeUndefined();
    expect(loopbackOrigin('file:///tmp/index.html')).toBeUndefined();
    expect(loopbackOrigin('http://localhost.example.com/')).toBeUndefined();
    expect(loopbackOrigin(undefined)).toBeUndefined();
    expect(loopbackOrigin('nonsense')).toBeUndefined();
  });
});

describe('development mode', () => {
  const vite = 'http://localhost:5173/';

  it('is off for every start but an unpackaged one with --watchdesk-dev (npm run dev)', () => {
    expect(DEV_SWITCH).toBe('--watchdesk-dev');
    // npm start / a plain unpackaged start: no DevTools, and the dev server URL is ignored.
    expect(resolveDevMode(false, ['electron', '.'], vite)).toEqual({ devTools: false, devServerUrl: undefined });
    // npm run dev.
    expect(resolveDevMode(false, ['electron', '.', DEV_SWITCH], vite)).toEqual({ devTools: true, devServerUrl: vite });
    // A packaged app ignores the switch and the variable.
    expect(resolveDevMode(true, ['Watchdesk', DEV_SWITCH], vite)).toEqual({ devTools: false, devServerUrl: undefined });
    // Look-alikes of the switch do not count.
    expect(resolveDevMode(false, ['electron', '.', '--watchdesk-dev=0'], vite).devTools).toBe(false);
    expect(resolveDevMode(false, ['electron', '.', '--watchdesk-developer'], vite).devTools).toBe(false);
  });

  it('takes only a loopback dev server, even in development mode', () => {
    expect(resolveDevMode(false, [DEV_SWITCH], 'https://example.com/')).toEqual({ devTools: true, devServerUrl: undefined });
    expect(resolveDevMode(false, [DEV_SWITCH], undefined)).toEqual({ devTools: true, devServerUrl: undefined });
  });
});
