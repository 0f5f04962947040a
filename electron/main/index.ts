/**
 * The Electron shell's entry point: wiring only. Lifecycle, one instance per profile, the `app:`
 * scheme, the security policy, the menu, the OS keychain and the engine thread bound to IPC; the pieces
 * live in the modules beside this one.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { EngineHost } from '../core/host/engine-host';
import { setNativeBinding } from '../core/db/database';
import { APP_NAME } from '../core/paths';
import { bindIpc } from './ipc';
import { bindPrint } from './print';
import { makeKeychain } from './keychain';
import { findNativeBinding, resolveAppLayout, resolveDbPath, resolveUserDataDir, staleNativeBindingWarning } from './layout';
import { menuTemplate } from './menu';
import { APP_ENTRY_URL, registerAppScheme, serveApp } from './protocol';
import { hardenSession, hardenWebContents, makeUrlPolicy, resolveDevMode } from './security';
import { createMainWindow } from './window';

const layout = resolveAppLayout(fileURLToPath(new URL('.', import.meta.url)));
// DevTools and the Vite dev server (`electron-vite dev` sets ELECTRON_RENDERER_URL) only in the
// explicit development mode: an unpackaged app started by `npm run dev` (--watchdesk-dev).
const { devTools, devServerUrl } = resolveDevMode(app.isPackaged, process.argv, process.env.ELECTRON_RENDERER_URL);
const isAllowed = makeUrlPolicy(devServerUrl);
const log = (line: string): void => void process.stderr.write(`watchdesk: ${line}\n`);

app.setName(APP_NAME);
app.setPath(
  'userData',
  resolveUserDataDir(app.getPath('appData'), APP_NAME, process.env, app.commandLine.getSwitchValue('user-data-dir')),
);
app.enableSandbox();
registerAppScheme(protocol);

let mainWindow: BrowserWindow | null = null;
/** The engine thread, from the moment it is started (calls wait for it to be ready). */
let engine: Promise<EngineHost> | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAllowed));
  app.on('window-all-closed', () => app.quit());
  // Quitting waits for the engine: calls in flight finish, imports are cancelled, the database closes.
  app.on('before-quit', (event: { preventDefault(): void }) => {
    const closing = engine;
    if (!closing) return;
    event.preventDefault();
    engine = null;
    void closing.then((host) => host.close()).finally(() => app.quit());
  });
  app.whenReady().then(start, (e: unknown) => fatal(e));
}

function start(): void {
  try {
    hardenSession(session.defaultSession, isAllowed);
    serveApp(protocol, layout.rendererDir);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, devTools)));

    const nativeBinding = findNativeBinding(layout);
    if (nativeBinding) {
      setNativeBinding(nativeBinding);
      const stale = staleNativeBindingWarning(layout, process.versions.electron);
      if (stale) log(stale);
    } else if (app.isPackaged) {
      // electron-builder's afterPack hook checks that the package holds it; this is a damaged install.
      throw new Error('The database driver is missing from this installation: reinstall Watchdesk.');
    } else log('no Electron build of the database addon: run "npm run rebuild:electron"');

    const dbPath = resolveDbPath(app.getPath('userData'));
    mkdirSync(dirname(dbPath), { recursive: true });
    // The engine runs in a thread of its own (core/host): this process only forwards envelopes.
    // The window opens at once; calls made while the thread starts wait for it.
    const starting = EngineHost.start({ dbPath, keychain: makeKeychain(safeStorage, process.platform), log });
    engine = starting;
    starting.catch(fatal);
    bindIpc(ipcMain, { handle: async (req) => (await starting).handle(req) }, isAllowed);
    bindPrint(ipcMain, {
      windowOf: (contents) => BrowserWindow.fromWebContents(contents),
      showSaveDialog: (win, options) => (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options)),
      defaultDir: () => app.getPath('documents'),
    }, isAllowed);

    mainWindow = createMainWindow({
      BrowserWindow,
      preloadPath: layout.preloadPath,
      entryUrl: devServerUrl ?? APP_ENTRY_URL,
      isAllowed,
      devTools,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  } catch (e) {
    fatal(e);
  }
}

function fatal(e: unknown): void {
  const reason = e instanceof Error ? e.message : String(e);
  log(`start-up failed: ${e instanceof Error ? e.name : typeof e}`);
  dialog.showErrorBox(`${APP_NAME} could not start`, reason);
  app.exit(1);
}
