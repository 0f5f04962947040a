/**
 * Security policy for every web contents and the default session: no navigation away from the
 * app, no new windows, no webviews, no permissions, no remote content.
 */
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './protocol';

/** Decides whether a URL belongs to the app (its own pages and resources). */
export type UrlPolicy = (url: string) => boolean;

/**
 * The app's URL policy: `app://watchdesk/...`, plus, only in development mode (`resolveDevMode`),
 * the Vite dev server on localhost (`devServerUrl`). Any other dev server URL is ignored.
 */
export function makeUrlPolicy(devServerUrl?: string): UrlPolicy {
  const devOrigin = loopbackOrigin(devServerUrl);
  return (url) => {
    if (isAppUrl(url)) return true;
    if (!devOrigin) return false;
    try {
      return new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };
}

/** The command-line switch that `npm run dev` passes (electron-vite forwards what follows `--`). */
export const DEV_SWITCH = '--watchdesk-dev';

/** What the explicit development mode allows: DevTools, and the Vite dev server as the app's origin. */
export interface DevMode {
  /** DevTools may be opened (web preference and the View menu's entries). */
  devTools: boolean;
  /** The renderer comes from this loopback dev server instead of `app://watchdesk/`. */
  devServerUrl: string | undefined;
}

/**
 * The development mode: on only for an unpackaged app started with `--watchdesk-dev` (`npm run
 * dev`), never for a packaged one, whatever its arguments. `npm start` and every other start get
 * neither DevTools nor a dev server; `ELECTRON_RENDERER_URL` (set by `electron-vite dev`) counts
 * only in development mode and only when it is on the loopback interface.
 */
export function resolveDevMode(isPackaged: boolean, argv: readonly string[], rendererUrl: string | undefined): DevMode {
  const dev = !isPackaged && argv.includes(DEV_SWITCH);
  return { devTools: dev, devServerUrl: dev && loopbackOrigin(rendererUrl) ? rendererUrl : undefined };
}

/** The origin of `url` when it is an http(s) URL on the loopback interface, else undefined. */
export function loopbackOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (!['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** A navigation event as Electron gives it: the details (`url`, `isMainFrame`) with preventDefault. */
interface NavigationEvent {
  preventDefault(): void;
  url?: string;
  isMainFrame?: boolean;
}

/** The navigation's target: the details' `url`, else the deprecated second argument; undefined refuses. */
function targetOf(event: NavigationEvent, legacyUrl: unknown): string | undefined {
  if (typeof event.url === 'string') return event.url;
  return typeof legacyUrl === 'string' ? legacyUrl : undefined;
}

/**
 * Refuses navigation and redirects that leave the app (`will-navigate`, `will-redirect`), every
 * navigation of a subframe (`will-frame-navigate`: the app has no frames, so a frame can only be
 * injected) and of the main frame away from the app, every `window.open`/target=_blank (new
 * windows are denied outright, nothing is handed to the OS browser), and `<webview>` attachment.
 * A navigation whose URL cannot be read is refused.
 */
export function hardenWebContents(contents: GuardedContents, isAllowed: UrlPolicy): void {
  const refuseForeign = (event: NavigationEvent, legacyUrl?: unknown): void => {
    const url = targetOf(event, legacyUrl);
    if (url === undefined || !isAllowed(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => refuseForeign(event, url));
  contents.on('will-redirect', (event, url) => refuseForeign(event, url));
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame === false) event.preventDefault();
    else refuseForeign(event);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Schemes that never reach the network and that the renderer or DevTools legitimately use. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:']);

/**
 * Denies every permission request and check (camera, notifications, clipboard read, HID, ...), and
 * cancels every request that is neither the app's own (`isAllowed`) nor a local scheme, so no
 * remote content is ever loaded.
 */
export function hardenSession(session: GuardedSession, isAllowed: UrlPolicy): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, isAllowed) });
  });
}

/** True when the session may load `url`: the app's own URLs, or data:, blob:, devtools:. */
export function isAllowedRequest(url: string, isAllowed: UrlPolicy): boolean {
  if (isAllowed(url)) return true;
  try {
    const u = new URL(url);
    if (LOCAL_SCHEMES.has(u.protocol)) return true;
    // Vite's dev server pushes updates over a WebSocket on the same host and port.
    if (u.protocol === 'ws:' || u.protocol === 'wss:') {
      return isAllowed(`${u.protocol === 'ws:' ? 'http' : 'https'}://${u.host}/`);
    }
    return false;
  } catch {
    return false;
  }
}
