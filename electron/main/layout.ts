/** Where the shell finds its pieces on disk, and where the database lives. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DB_FILE_NAME } from '../core/paths';

export interface AppLayout {
  /** The app root: the folder holding `package.json` and `out/` (or the asar archive). */
  appRoot: string;
  /** The sandboxed preload script. */
  preloadPath: string;
  /** The renderer build served on `app://watchdesk/`. */
  rendererDir: string;
  /**
   * The Electron-ABI database addon: `.native-electron/better_sqlite3.node`, which
   * `scripts/rebuild-native-electron.mjs` builds for `npm start`; in a package (electron-builder),
   * its real file beside the asar in `app.asar.unpacked/`, so that the engine's worker threads load
   * a plain file.
   */
  nativeBindingPath: string;
}

/**
 * The layout around the bundled main script's folder (`out/main`), as electron-vite builds it; in a
 * package the app root is `resources/app.asar`.
 */
export function resolveAppLayout(mainDir: string): AppLayout {
  const appRoot = resolve(mainDir, '..', '..');
  const unpackedRoot = basename(appRoot) === 'app.asar' ? `${appRoot}.unpacked` : appRoot;
  return {
    appRoot,
    preloadPath: join(appRoot, 'out', 'preload', 'index.cjs'),
    rendererDir: join(appRoot, 'out', 'renderer'),
    nativeBindingPath: join(unpackedRoot, '.native-electron', 'better_sqlite3.node'),
  };
}

/** The Electron-ABI addon if the rebuild script made one, else undefined. */
export function findNativeBinding(layout: AppLayout): string | undefined {
  return existsSync(layout.nativeBindingPath) ? layout.nativeBindingPath : undefined;
}

/**
 * A warning when the addon was built for another Electron version than `electronVersion` (its
 * `build-info.json` says so), else undefined. A stale build fails to load with an ABI error.
 */
export function staleNativeBindingWarning(layout: AppLayout, electronVersion: string | undefined): string | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dirname(layout.nativeBindingPath), 'build-info.json'), 'utf8')) as { electron?: unknown };
    if (electronVersion && info.electron !== electronVersion) {
      return `the database addon was built for Electron ${String(info.electron)}, this is ${electronVersion}: run "npm run rebuild:electron"`;
    }
  } catch {
    // No build info: nothing to compare.
  }
  return undefined;
}

/** The database path: `$WATCHDESK_DB` if set, else `watchdesk.db` in the app's userData folder. */
export function resolveDbPath(userDataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.WATCHDESK_DB ? resolve(env.WATCHDESK_DB) : join(userDataDir, DB_FILE_NAME);
}

/**
 * The userData folder (profile, single-instance lock, default database): `$WATCHDESK_USER_DATA`,
 * else Chromium's `--user-data-dir` switch, else `<appData>/Watchdesk` — the folder the CLI uses
 * too (electron/core/paths.ts), whatever package.json's name is.
 */
export function resolveUserDataDir(appDataDir: string, appName: string, env: NodeJS.ProcessEnv, userDataSwitch: string): string {
  if (env.WATCHDESK_USER_DATA) return resolve(env.WATCHDESK_USER_DATA);
  if (userDataSwitch) return resolve(userDataSwitch);
  return join(appDataDir, appName);
}
