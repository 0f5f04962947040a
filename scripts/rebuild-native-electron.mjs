#!/usr/bin/env node
/**
 * The database driver's native addon (better-sqlite3-multiple-ciphers) built for Electron's ABI with
 * @electron/rebuild, in a temporary copy of the package, so node_modules keeps the build for the
 * host Node that the tests and the CLI load. The Electron shell points better-sqlite3's
 * `nativeBinding` at the result (electron/main/layout.ts).
 *
 * Two users:
 * - `npm start` (prestart) and `npm run rebuild:electron`: this file run as a script builds for the
 *   Electron runtime installed in node_modules, into `.native-electron/better_sqlite3.node`, and
 *   checks it by loading it in that runtime. Flags: `--force` (rebuild even if up to date),
 *   `--from-source` (skip the prebuilt download). When the Electron runtime binary is not
 *   installed (an `ELECTRON_SKIP_BINARY_DOWNLOAD=1` install) the app cannot run anyway: it says so
 *   and exits 0. It never calls `require('electron')`, which would try to download it.
 * - `npm run dist` (scripts/packaging/before-pack.mjs): `buildAddon` for each target platform and
 *   architecture, into `.native-electron/<os>-<arch>/` (linux-x64, win-x64), from where electron-builder's `files`
 *   mapping packs it as `.native-electron/better_sqlite3.node` (unpacked from the asar).
 *
 * @electron/rebuild first tries the package's prebuilt binary for the target (prebuild-install,
 * from the package's GitHub releases), else compiles it with node-gyp against Electron's headers
 * (Python and a C++ toolchain; about a minute; compiling works only for the host platform). Every
 * result is checked with `inspectAddon` (file format, architecture and the Node ABI it registers
 * for) before it is installed; `build-info.json` beside it records what it was built for.
 *
 * Exit status (as a script): 0 when built, up to date or skipped; 1 when a build or a check failed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project root (the folder holding package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The npm package whose addon is rebuilt. */
export const PACKAGE = 'better-sqlite3-multiple-ciphers';
/** The addon's file name, as the package builds it and as the shell loads it. */
export const ADDON_FILE = 'better_sqlite3.node';
/** Where the development build goes (the shell's `nativeBindingPath` when unpackaged). */
export const DEV_OUT_DIR = join(ROOT, '.native-electron');

const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** electron-builder's `${os}` file macro for a Node platform name (linux, win, mac). */
const OS_KEYS = { linux: 'linux', win32: 'win', darwin: 'mac', mas: 'mac' };

/**
 * Where the packaging build for one target goes: `.native-electron/<os>-<arch>/`, `<os>` being
 * electron-builder's `${os}` macro (linux, win, mac), which electron-builder.config.mjs's `files`
 * mapping uses (its `${platform}` macro is the host's, not the target's).
 */
export function packagingOutDir(platform, arch, root = ROOT) {
  const os = OS_KEYS[platform];
  if (!os) throw new Error(`unsupported platform ${platform}`);
  return join(root, '.native-electron', `${os}-${arch}`);
}

/** The Node ABI (NODE_MODULE_VERSION) of an Electron version, from node-abi (what @electron/rebuild uses). */
export function electronAbi(electronVersion) {
  const rebuildRequire = createRequire(requireFromRoot.resolve('@electron/rebuild'));
  const nodeAbi = rebuildRequire('node-abi');
  return Number(nodeAbi.getAbi(electronVersion, 'electron'));
}

const ELF_MACHINES = { 0x03: 'ia32', 0x28: 'armv7l', 0x3e: 'x64', 0xb7: 'arm64' };
const PE_MACHINES = { 0x014c: 'ia32', 0x01c4: 'armv7l', 0x8664: 'x64', 0xaa64: 'arm64' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

/**
 * What a native addon file is built for, read from its header and exported symbols:
 * `platform` (linux for ELF, win32 for PE, darwin for Mach-O, else null), `arch` (x64, arm64, ia32,
 * armv7l, or null), and `abi`, the NODE_MODULE_VERSION of its `node_register_module_v<N>` export
 * (null for a Node-API addon, which has none).
 * @param {Uint8Array} bytes the whole file
 * @returns {{ platform: string | null, arch: string | null, abi: number | null }}
 */
export function inspectAddon(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let platform = null;
  let arch = null;
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) {
    platform = 'linux';
    const littleEndian = buf[5] === 1;
    arch = ELF_MACHINES[littleEndian ? buf.readUInt16LE(18) : buf.readUInt16BE(18)] ?? null;
  } else if (buf.length >= 64 && buf[0] === 0x4d && buf[1] === 0x5a) {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 <= buf.length && buf.readUInt32BE(pe) === 0x50450000) {
      platform = 'win32';
      arch = PE_MACHINES[buf.readUInt16LE(pe + 4)] ?? null;
    }
  } else if (buf.length >= 8 && buf.readUInt32LE(0) === 0xfeedfacf) {
    platform = 'darwin';
    arch = MACHO_CPUS[buf.readUInt32LE(4)] ?? null;
  }
  const m = /node_register_module_v(\d+)/.exec(buf.toString('latin1'));
  return { platform, arch, abi: m ? Number(m[1]) : null };
}

/**
 * Throws unless the addon at `file` is built for `platform`, `arch` and Node ABI `abi` (a build for
 * the host Node, another architecture or another Electron fails to load, or worse, is packed).
 */
export function assertAddonFor(file, { platform, arch, abi }) {
  const found = inspectAddon(readFileSync(file));
  const want = { platform, arch, abi };
  const wrong = Object.keys(want).filter((k) => found[k] !== want[k]);
  if (wrong.length > 0) {
    throw new Error(
      `${file} is built for ${found.platform}-${found.arch} ABI ${found.abi}, not ${platform}-${arch} ABI ${abi} (Electron's): it would not load`,
    );
  }
}

/** What a build is for; recorded in build-info.json and compared to skip an up-to-date rebuild. */
export function buildTarget({ electronVersion, platform, arch }) {
  const pkgVersion = JSON.parse(readFileSync(requireFromRoot.resolve(`${PACKAGE}/package.json`), 'utf8')).version;
  return { electron: electronVersion, package: `${PACKAGE}@${pkgVersion}`, platform, arch };
}

/** True when `outDir` holds an addon whose build-info.json matches `target`. */
export function isUpToDate(outDir, target) {
  try {
    const info = JSON.parse(readFileSync(join(outDir, 'build-info.json'), 'utf8'));
    return existsSync(join(outDir, ADDON_FILE)) && Object.entries(target).every(([k, v]) => info[k] === v);
  } catch {
    return false;
  }
}

/**
 * Builds the addon for Electron `electronVersion` on `platform`-`arch` with @electron/rebuild, in a
 * temporary copy of the package, checks it (`assertAddonFor`), and installs it with its
 * build-info.json into `outDir` (temporary name, then rename). Throws when the build or the check
 * fails; nothing is installed then. `rebuildImpl` replaces @electron/rebuild's `rebuild` (tests).
 */
export async function buildAddon({ electronVersion, platform = process.platform, arch = process.arch, outDir, fromSource = false, log = () => {}, rebuildImpl }) {
  const pkgJsonPath = requireFromRoot.resolve(`${PACKAGE}/package.json`);
  const pkgDir = dirname(pkgJsonPath);
  const target = buildTarget({ electronVersion, platform, arch });
  const abi = electronAbi(electronVersion);
  const rebuild = rebuildImpl ?? (await import('@electron/rebuild')).rebuild;
  const work = mkdtempSync(join(tmpdir(), 'watchdesk-native-electron-'));
  try {
    const modules = join(work, 'node_modules');
    const buildDir = join(modules, PACKAGE);
    mkdirSync(modules, { recursive: true });
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'watchdesk-native-build', private: true, dependencies: { [PACKAGE]: '*' } }));
    cpSync(pkgDir, buildDir, {
      recursive: true,
      filter: (src) => {
        const rel = src.slice(pkgDir.length).replace(/^[/\\]/, '');
        return rel !== 'build' && rel !== 'node_modules' && rel !== 'prebuilds';
      },
    });
    // @electron/rebuild finds prebuild-install as node_modules/prebuild-install/bin.js above the package.
    const prebuildInstall = resolveOrNull(createRequire(pkgJsonPath), 'prebuild-install/package.json');
    if (prebuildInstall) symlinkSync(dirname(prebuildInstall), join(modules, 'prebuild-install'), 'junction');
    log(`building ${target.package} for Electron ${electronVersion} (${platform}-${arch}, ABI ${abi})${fromSource ? ' from source' : ''}`);
    await rebuild({ buildPath: work, electronVersion, platform, arch, onlyModules: [PACKAGE], force: true, buildFromSource: fromSource, mode: 'sequential' });
    const built = join(buildDir, 'build', 'Release', ADDON_FILE);
    if (!existsSync(built)) throw new Error(`@electron/rebuild produced no ${ADDON_FILE}`);
    assertAddonFor(built, { platform, arch, abi });

    mkdirSync(outDir, { recursive: true });
    const dest = join(outDir, ADDON_FILE);
    const staging = `${dest}.${process.pid}.tmp`;
    copyFileSync(built, staging);
    renameSync(staging, dest);
    writeFileSync(join(outDir, 'build-info.json'), `${JSON.stringify({ ...target, abi, builtAt: new Date().toISOString() }, null, 2)}\n`);
    log(`installed ${dest}`);
    return dest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function resolveOrNull(req, id) {
  try {
    return req.resolve(id);
  } catch {
    return null;
  }
}

/** The installed Electron runtime (version and binary), without require('electron'), or null parts. */
export function findElectronRuntime(req = requireFromRoot, env = process.env) {
  const pkgJson = resolveOrNull(req, 'electron/package.json');
  if (!pkgJson) return { version: null, exe: null };
  const dir = dirname(pkgJson);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  const pathTxt = join(dir, 'path.txt');
  const exeName = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : '';
  const exe = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, exeName || 'electron') : exeName ? join(dir, 'dist', exeName) : null;
  return { version, exe: exe && existsSync(exe) ? exe : null };
}

/** Loads the addon in Electron's own Node (ELECTRON_RUN_AS_NODE) and opens an in-memory database with it. */
function checkInElectron(electronExe, addon, say) {
  const pkgDir = dirname(requireFromRoot.resolve(`${PACKAGE}/package.json`));
  const probe = [
    "if (!process.versions.electron) { console.error('not an Electron runtime'); process.exit(3); }",
    `const Database = require(${JSON.stringify(pkgDir)});`,
    `const db = new Database(':memory:', { nativeBinding: ${JSON.stringify(addon)} });`,
    "const v = db.prepare('select sqlite3mc_version() as v').get().v;",
    "process.stdout.write('sqlite3mc ' + v + ' under Electron ' + process.versions.electron + ' (ABI ' + process.versions.modules + ')\\n');",
  ].join('\n');
  say(`$ ELECTRON_RUN_AS_NODE=1 ${basename(electronExe)} -e <load the addon, select sqlite3mc_version()>`);
  const r = spawnSync(electronExe, ['-e', probe], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  return r.status === 0;
}

/** The script: the development build for the installed Electron runtime (see the header). */
async function main(argv) {
  const args = new Set(argv);
  const say = (line) => process.stdout.write(`rebuild-native-electron: ${line}\n`);
  if (args.has('--help') || args.has('-h')) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
    return 0;
  }
  const runtime = findElectronRuntime();
  if (!runtime.version) {
    say('the electron package is not installed; nothing to do.');
    return 0;
  }
  if (!runtime.exe) {
    say(`the Electron ${runtime.version} runtime binary is not installed (was it installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?).`);
    say('Skipping: the Electron app cannot run on this machine, and the tests and CLI use the Node build.');
    say('To run the app, install the runtime (`npx install-electron`) and run `npm run rebuild:electron` again.');
    return 0;
  }
  const target = buildTarget({ electronVersion: runtime.version, platform: process.platform, arch: process.arch });
  if (!args.has('--force') && isUpToDate(DEV_OUT_DIR, target)) {
    say(`up to date (${target.package} for Electron ${runtime.version}, ${process.platform}-${process.arch}); --force rebuilds.`);
    return 0;
  }
  // Built and checked beside the final folder, installed only once it loads in Electron.
  const checking = mkdtempSync(join(tmpdir(), 'watchdesk-native-check-'));
  try {
    const addon = await buildAddon({ electronVersion: runtime.version, outDir: checking, fromSource: args.has('--from-source'), log: say });
    if (!checkInElectron(runtime.exe, addon, say)) throw new Error('the built addon does not load in Electron; nothing was installed');
    mkdirSync(DEV_OUT_DIR, { recursive: true });
    for (const f of [ADDON_FILE, 'build-info.json']) {
      copyFileSync(join(checking, f), join(DEV_OUT_DIR, `${f}.${process.pid}.tmp`));
      renameSync(join(DEV_OUT_DIR, `${f}.${process.pid}.tmp`), join(DEV_OUT_DIR, f));
    }
    say(`installed ${join(DEV_OUT_DIR, ADDON_FILE)}`);
    return 0;
  } catch (e) {
    process.stderr.write(`rebuild-native-electron: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    rmSync(checking, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
