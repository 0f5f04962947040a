/**
 * electron-builder `afterPack` hook (electron-builder.config.mjs): runs once the app is packed for
 * a target and before it is signed and made into an installer.
 *
 * 1. Checks that the database addon is unpacked beside the asar and built for this target
 *    (`resources/app.asar.unpacked/.native-electron/better_sqlite3.node`); a package without it
 *    would start and then fail to open the database.
 * 2. Flips the Electron fuses in `FUSES` with @electron/fuses, then reads the fuse wire back and
 *    fails the build if any fuse is not as intended. Fuses are flipped here, before signing, so
 *    that the signature covers them.
 *
 * Why each fuse (https://www.electronjs.org/docs/latest/tutorial/fuses):
 * - RunAsNode off: `ELECTRON_RUN_AS_NODE=1 Watchdesk` would otherwise be a signed Node.js that runs
 *   any script with the app's identity (and its keychain entry).
 * - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS (`--require evil.js`) would inject code
 *   into the main process.
 * - EnableNodeCliInspectArguments off: `--inspect` would open a debugger on the main process, which
 *   holds the key slots and forwards every API call.
 * - EnableEmbeddedAsarIntegrityValidation on: the asar header's hash is embedded in the executable
 *   at packaging time (electron-builder does it) and checked at start, so an edited app.asar does
 *   not run. Electron implements it on Windows (Electron >= 30) and macOS; on Linux the fuse has no
 *   effect yet (there the package manager's file ownership protects the files).
 * - OnlyLoadAppFromAsar on: otherwise an `app` folder or `default_app.asar` beside the asar would
 *   be loaded instead, bypassing the integrity check.
 * - EnableCookieEncryption on: Chromium's cookie store is encrypted with the OS keychain key. The
 *   app uses no cookies (no remote content, the API goes over IPC), so this costs nothing and
 *   covers any future one; it cannot be turned off later without losing stored cookies.
 * - GrantFileProtocolExtraPrivileges off: the app is served from `app://watchdesk/`, never
 *   `file://`, so `file://` pages need none of their legacy privileges (fetching other local files,
 *   service workers).
 * - LoadBrowserProcessSpecificV8Snapshot off: no custom V8 snapshot is shipped.
 * - WasmTrapHandlers on (Electron's default): V8's guard-page bounds checks for WebAssembly; turning
 *   them off only slows Wasm down.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { ADDON_FILE, assertAddonFor, electronAbi } from '../rebuild-native-electron.mjs';
import { archName, electronVersionOf } from './before-pack.mjs';

/** The fuses set on every packaged Watchdesk executable (every fuse @electron/fuses knows, explicitly). */
export const FUSES = Object.freeze({
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
});

/** The packed Electron executable for a target (as electron-builder names it). */
export function executablePath(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  if (platform === 'linux') return join(appOutDir, packager.executableName);
  if (platform === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  throw new Error(`afterPack: unsupported platform ${platform}`);
}

/** The folder holding app.asar for a target. */
export function resourcesDir(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  return platform === 'darwin' || platform === 'mas'
    ? join(appOutDir, `${packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
    : join(appOutDir, 'resources');
}

/** The fuses of `wire` (getCurrentFuseWire's answer) that differ from `FUSES`, as readable lines. */
export function fuseMismatches(wire, fuses = FUSES) {
  const wrong = [];
  for (const [key, wanted] of Object.entries(fuses)) {
    if (key === 'version') continue;
    const state = wire[key];
    const want = wanted ? FuseState.ENABLE : FuseState.DISABLE;
    if (state !== want) wrong.push(`${FuseV1Options[Number(key)]}: ${state === undefined ? 'absent' : FuseState[state] ?? state}, wanted ${FuseState[want]}`);
  }
  return wrong;
}

/** The hook. `fuses` replaces @electron/fuses' flip and read (tests). */
export async function afterPack(context, fuses = { flipFuses, getCurrentFuseWire }) {
  const addon = join(resourcesDir(context), 'app.asar.unpacked', '.native-electron', ADDON_FILE);
  if (!existsSync(addon)) throw new Error(`afterPack: the database addon is not unpacked beside the asar (${addon} is missing)`);
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  assertAddonFor(addon, { platform, arch: archName(context.arch), abi: electronAbi(electronVersionOf(context)) });

  const exe = executablePath(context);
  await fuses.flipFuses(exe, { ...FUSES });
  const wrong = fuseMismatches(await fuses.getCurrentFuseWire(exe));
  if (wrong.length > 0) throw new Error(`afterPack: fuses not set on ${exe}: ${wrong.join('; ')}`);
  console.log(`  • fuses set on ${exe}`);
}

export default afterPack;
