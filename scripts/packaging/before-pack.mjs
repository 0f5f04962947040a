/**
 * electron-builder `beforePack` hook (electron-builder.config.mjs): before the app's files are
 * copied for one target, builds the database addon for that target's platform, architecture and
 * the Electron version being packaged, with @electron/rebuild, into
 * `.native-electron/<os>-<arch>/` (scripts/rebuild-native-electron.mjs). The config's `files`
 * mapping packs it as `.native-electron/better_sqlite3.node`, which the shell loads through
 * better-sqlite3's `nativeBinding` (electron/main/layout.ts); `asarUnpack` keeps it out of the asar.
 *
 * Why not electron-builder's own rebuild (`npmRebuild`, `buildDependenciesFromSource`): it rebuilds
 * the project's node_modules in place, replacing the host-Node build that the tests and the CLI
 * load from the same checkout. `npmRebuild` is therefore off; the other native dependency,
 * @node-rs/argon2, is a Node-API addon (one build for every runtime), so nothing else needs it.
 *
 * An up-to-date build (same Electron, package version, platform and architecture) is reused.
 * Throws, failing the build, when the addon cannot be built or is not for the target.
 */
import { createRequire } from 'node:module';
import { buildAddon, buildTarget, isUpToDate, packagingOutDir } from '../rebuild-native-electron.mjs';

const require = createRequire(import.meta.url);

/** The Electron version electron-builder packages (from the installed electron package, or the config). */
export function electronVersionOf(context) {
  const version = context.packager.info?.framework?.version ?? context.packager.config?.electronVersion;
  if (!version) throw new Error('beforePack: electron-builder did not say which Electron version it packages');
  return version;
}

/** The target architecture's name (x64, arm64, ...) from electron-builder's numeric Arch. */
export function archName(arch) {
  const { Arch } = require('electron-builder');
  const name = typeof arch === 'number' ? Arch[arch] : arch;
  if (!name || name === 'universal') throw new Error(`beforePack: unsupported architecture ${String(name)}`);
  return name;
}

/** The hook. `build` replaces buildAddon (tests). */
export async function beforePack(context, build = buildAddon) {
  const platform = context.electronPlatformName;
  const arch = archName(context.arch);
  const electronVersion = electronVersionOf(context);
  const outDir = packagingOutDir(platform, arch);
  if (isUpToDate(outDir, buildTarget({ electronVersion, platform, arch }))) {
    console.log(`  • database addon for Electron ${electronVersion} ${platform}-${arch} is up to date (${outDir})`);
    return;
  }
  await build({ electronVersion, platform, arch, outDir, log: (line) => console.log(`  • ${line}`) });
}

export default beforePack;
