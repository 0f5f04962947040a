#!/usr/bin/env node
/**
 * Rebuilds the database driver's native addon (better-sqlite3-multiple-ciphers) for the Electron
 * runtime's ABI, into `.native-electron/better_sqlite3.node` at the project root. The Electron
 * shell (electron/main) loads that copy through `setNativeBinding`; the tests and the CLI keep
 * loading node_modules' own build for the host Node, which this script never touches: it builds
 * in a copy of the package in a temporary folder.
 *
 *   npm run rebuild:electron            # or: node scripts/rebuild-native-electron.mjs
 *   node scripts/rebuild-native-electron.mjs --force          # rebuild even if up to date
 *   node scripts/rebuild-native-electron.mjs --from-source    # skip the prebuilt download
 *
 * How: first `prebuild-install --runtime electron` (a prebuilt binary from the package's GitHub
 * releases), else `node-gyp rebuild --runtime=electron --dist-url=https://electronjs.org/headers`
 * (needs Python and a C++ toolchain; about a minute). The result is checked by loading it in
 * Electron itself (ELECTRON_RUN_AS_NODE) and asking for `sqlite3mc_version()` before it is
 * installed; `.native-electron/build-info.json` records what it was built for, so a second run
 * for the same Electron and package versions does nothing.
 *
 * Guard: when the Electron runtime binary is not installed (an `ELECTRON_SKIP_BINARY_DOWNLOAD=1`
 * install, as on the build machines), the app cannot run anyway: the script says so and exits 0
 * without doing anything. It never calls `require('electron')`, which would try to download it.
 *
 * Exit status: 0 when built, up to date or skipped; 1 when a build or the check failed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'better-sqlite3-multiple-ciphers';
const OUT_DIR = join(ROOT, '.native-electron');
const OUT_FILE = join(OUT_DIR, 'better_sqlite3.node');
const INFO_FILE = join(OUT_DIR, 'build-info.json');
const HEADERS_URL = 'https://electronjs.org/headers';

const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n/, '').replace(/^ \* ?/gm, ''));
  process.exit(0);
}
const force = args.has('--force');
const fromSource = args.has('--from-source');

const say = (line) => process.stdout.write(`rebuild-native-electron: ${line}\n`);
function fail(line) {
  process.stderr.write(`rebuild-native-electron: ${line}\n`);
  process.exit(1);
}

const requireFromRoot = createRequire(join(ROOT, 'package.json'));
function resolveFrom(req, id) {
  try {
    return req.resolve(id);
  } catch {
    return null;
  }
}

// --- The Electron runtime: version and binary (without require('electron'), which downloads). ---
const electronPkgJson = resolveFrom(requireFromRoot, 'electron/package.json');
if (!electronPkgJson) {
  say('the electron package is not installed; nothing to do.');
  process.exit(0);
}
const electronDir = dirname(electronPkgJson);
const electronVersion = JSON.parse(readFileSync(electronPkgJson, 'utf8')).version;
const pathTxt = join(electronDir, 'path.txt');
const exeName = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : '';
const electronExe = process.env.ELECTRON_OVERRIDE_DIST_PATH
  ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exeName || 'electron')
  : exeName
    ? join(electronDir, 'dist', exeName)
    : '';
if (!electronExe || !existsSync(electronExe)) {
  say(
    `the Electron ${electronVersion} runtime binary is not installed (${electronExe || join(electronDir, 'dist')} is missing;` +
      ' was it installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?).',
  );
  say('Skipping: the Electron app cannot run on this machine, and the tests and CLI use the Node build.');
  say('To run the app, install the runtime (`npx install-electron`) and run `npm run rebuild:electron` again.');
  process.exit(0);
}

// --- The package to build. ---
const pkgJsonPath = resolveFrom(requireFromRoot, `${PACKAGE}/package.json`);
if (!pkgJsonPath) fail(`${PACKAGE} is not installed: run npm install first.`);
const pkgDir = dirname(pkgJsonPath);
const pkgVersion = JSON.parse(readFileSync(pkgJsonPath, 'utf8')).version;
const target = { electron: electronVersion, package: `${PACKAGE}@${pkgVersion}`, platform: process.platform, arch: process.arch };

if (!force && existsSync(OUT_FILE) && existsSync(INFO_FILE)) {
  try {
    const info = JSON.parse(readFileSync(INFO_FILE, 'utf8'));
    if (Object.entries(target).every(([k, v]) => info[k] === v)) {
      say(`up to date (${target.package} for Electron ${electronVersion}, ${process.platform}-${process.arch}); --force rebuilds.`);
      process.exit(0);
    }
  } catch {
    // Unreadable build info: rebuild.
  }
}

/** Runs a command with inherited output; true when it exited 0. */
function run(command, argv, options = {}, label = [basename(command), ...argv].join(' ')) {
  say(`$ ${label}`);
  const r = spawnSync(command, argv, { stdio: 'inherit', ...options });
  if (r.error) say(`could not run ${command}: ${r.error.message}`);
  return r.status === 0;
}

/** node-gyp: the project's own, else the one bundled with npm. */
function findNodeGyp() {
  const candidates = [
    resolveFrom(requireFromRoot, 'node-gyp/bin/node-gyp.js'),
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** Loads the addon in Electron's own Node and opens an in-memory database with it. */
function checkInElectron(addon) {
  const probe = [
    "if (!process.versions.electron) { console.error('not an Electron runtime'); process.exit(3); }",
    `const Database = require(${JSON.stringify(pkgDir)});`,
    `const db = new Database(':memory:', { nativeBinding: ${JSON.stringify(addon)} });`,
    "const v = db.prepare('select sqlite3mc_version() as v').get().v;",
    "process.stdout.write('sqlite3mc ' + v + ' under Electron ' + process.versions.electron + ' (ABI ' + process.versions.modules + ')\\n');",
  ].join('\n');
  return run(electronExe, ['-e', probe], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, `ELECTRON_RUN_AS_NODE=1 ${basename(electronExe)} -e <load the addon, select sqlite3mc_version()>`);
}

// --- Build in a temporary copy of the package, so node_modules keeps its Node build. ---
const work = mkdtempSync(join(tmpdir(), 'watchdesk-native-electron-'));
const buildDir = join(work, PACKAGE);
const builtAddon = join(buildDir, 'build', 'Release', 'better_sqlite3.node');
let exitCode = 1;
try {
  say(`building ${target.package} for Electron ${electronVersion} (${process.platform}-${process.arch}) in ${buildDir}`);
  cpSync(pkgDir, buildDir, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(pkgDir.length).replace(/^[/\\]/, '');
      return rel !== 'build' && rel !== 'node_modules';
    },
  });
  const electronFlags = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`];
  let built = false;
  if (!fromSource) {
    const prebuild = resolveFrom(createRequire(pkgJsonPath), 'prebuild-install/bin.js') ?? resolveFrom(requireFromRoot, 'prebuild-install/bin.js');
    if (prebuild) {
      built = run(process.execPath, [prebuild, ...electronFlags, `--platform=${process.platform}`, '--verbose'], { cwd: buildDir }) && existsSync(builtAddon);
      if (!built) say('no prebuilt binary; building from source.');
    }
  }
  if (!built) {
    const nodeGyp = findNodeGyp();
    if (!nodeGyp) throw new Error('node-gyp not found (neither in node_modules nor bundled with npm)');
    built =
      run(process.execPath, [nodeGyp, 'rebuild', '--release', ...electronFlags, `--dist-url=${HEADERS_URL}`, '--jobs=max'], { cwd: buildDir }) &&
      existsSync(builtAddon);
    if (!built) throw new Error('node-gyp could not build the addon (see its output above; it needs Python, a C++ toolchain and the Electron headers)');
  }
  if (!checkInElectron(builtAddon)) throw new Error('the built addon does not load in Electron; nothing was installed');

  mkdirSync(OUT_DIR, { recursive: true });
  const staging = `${OUT_FILE}.${process.pid}.tmp`;
  copyFileSync(builtAddon, staging);
  renameSync(staging, OUT_FILE);
  writeFileSync(INFO_FILE, `${JSON.stringify({ ...target, builtAt: new Date().toISOString() }, null, 2)}\n`);
  say(`installed ${OUT_FILE}`);
  exitCode = 0;
} catch (e) {
  process.stderr.write(`rebuild-native-electron: ${e instanceof Error ? e.message : String(e)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
