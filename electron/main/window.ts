/** The main window: hardened web preferences, loading the app from `app://watchdesk/`. */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_NAME } from '../core/paths';
import { hardenWebContents, type UrlPolicy } from './security';

/** The window options; the web preferences are the security boundary of the renderer. */
export function mainWindowOptions(preloadPath: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    title: APP_NAME,
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
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
      // Chromium's spellchecker would send what the officer types (names) to a dictionary service.
      spellcheck: false,
      devTools,
    },
  };
}

export interface MainWindowDeps {
  /** Electron's BrowserWindow class (a fake in tests). */
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  /** Absolute path of the built preload script (`out/preload/index.cjs`). */
  preloadPath: string;
  /** What to load: `app://watchdesk/index.html`, or the Vite dev server in development. */
  entryUrl: string;
  /** Which URLs belong to the app; navigation anywhere else is refused. */
  isAllowed: UrlPolicy;
  /** Whether DevTools may be opened (development mode only: security.ts resolveDevMode). */
  devTools: boolean;
}

/** Creates the main window, applies the navigation and window-open policy, and loads the app. */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath, deps.devTools));
  hardenWebContents(win.webContents, deps.isAllowed);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(deps.entryUrl);
  return win;
}
