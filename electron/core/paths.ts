/** Where the app keeps its database by default (the Electron `userData` folder for "Watchdesk"). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Watchdesk';
export const DB_FILE_NAME = 'watchdesk.db';

/** The app's data folder on this platform, as Electron's `app.getPath('userData')` names it. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The database path: `$WATCHDESK_DB` if set, else the app's own. */
export function defaultDbPath(): string {
  return process.env.WATCHDESK_DB || join(defaultDataDir(), DB_FILE_NAME);
}
