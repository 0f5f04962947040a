/**
 * The installer (electron-builder.config.mjs, scripts/packaging/*, scripts/rebuild-native-electron.mjs),
 * checked as far as this machine allows: it cannot download Electron, electron-builder's tools or
 * a prebuilt addon, so `npm run dist` itself is not run here. What is checked: the configuration
 * loads and passes electron-builder's own schema; the files it would pack, computed with
 * electron-builder's own file matchers; the addon unpacked from the asar; the fuse list; the
 * hooks, with electron-builder's contexts and @electron/fuses / @electron/rebuild replaced by fakes;
 * the addon check that refuses a build for the wrong ABI, platform or architecture.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion } from '@electron/fuses';
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { resolveFunction } from 'app-builder-lib/out/util/resolve';
import type { Configuration } from 'electron-builder';
import { afterAll, describe, expect, it, vi } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CONFIG_FILE = 'electron-builder.config.mjs';
const require = createRequire(import.meta.url);
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
// electron-builder's own file matching (getMainFileMatchers and getNodeModuleFileMatcher are marked
// internal, so their declarations are not published: their shapes as app-builder-lib 26 has them).
type Expander = (pattern: string) => string;
const { getFileMatchers, getMainFileMatchers, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  getFileMatchers: (config: Configuration, name: string, destination: string, options: { macroExpander: Expander; customBuildOptions: object; globalOutDir: string; defaultSrc: string }) => FileMatcher[] | null;
  getMainFileMatchers: (appDir: string, destination: string, expand: Expander, platformOptions: object, platformPackager: unknown, outDir: string, isElectronCompile: boolean) => FileMatcher[];
  getNodeModuleFileMatcher: (appDir: string, destination: string, expand: Expander, platformOptions: object, packager: unknown) => FileMatcher;
};
const HOST_ADDON = join(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');

type Addon = { platform: string | null; arch: string | null; abi: number | null };
interface NativeScript {
  ADDON_FILE: string;
  inspectAddon(bytes: Uint8Array): Addon;
  assertAddonFor(file: string, want: Addon): void;
  electronAbi(version: string): number;
  packagingOutDir(platform: string, arch: string, root?: string): string;
  buildAddon(opts: Record<string, unknown>): Promise<string>;
}
interface Hooks {
  FUSES: Record<string, unknown>;
  afterPack(context: unknown, fuses?: unknown): Promise<void>;
  executablePath(context: unknown): string;
  fuseMismatches(wire: Record<string, unknown>): string[];
}
interface BeforePack {
  beforePack(context: unknown, build?: (opts: Record<string, unknown>) => Promise<unknown>): Promise<void>;
}
const load = async <T,>(rel: string): Promise<T> => (await import(pathToFileURL(join(ROOT, rel)).href)) as T;
const native = await load<NativeScript>('scripts/rebuild-native-electron.mjs');
const hooks = await load<Hooks>('scripts/packaging/after-pack.mjs');
const before = await load<BeforePack>('scripts/packaging/before-pack.mjs');
const ABI = native.electronAbi(ELECTRON_VERSION);

const tmp = mkdtempSync(join(tmpdir(), 'watchdesk-installer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const silentLog = { isEnabled: false, add: () => undefined };

async function loadConfig(): Promise<Configuration> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // electron-builder's "loaded configuration"
  try {
    return await getConfig(ROOT, CONFIG_FILE, null);
  } finally {
    vi.restoreAllMocks();
  }
}

/** An ELF shared object header for x86-64 (or `machine`) that registers for Node ABI `abi`. */
function fakeElf(abi: number | null, machine = 0x3e): Buffer {
  const head = Buffer.alloc(64);
  head.writeUInt32BE(0x7f454c46, 0);
  head[4] = 2;
  head[5] = 1;
  head.writeUInt16LE(machine, 18);
  return Buffer.concat([head, Buffer.from(abi === null ? 'napi_register_module_v1\0' : `\0node_register_module_v${abi}\0`)]);
}

/**
 * The files electron-builder would pack from `projectDir` for linux-x64 (destination paths inside
 * the app), computed with its own matchers: the main `files` patterns plus its defaults, and the
 * `files` mappings. node_modules are collected separately (see the dependency test).
 */
function packedFiles(config: Configuration, projectDir: string): string[] {
  const expand = (s: string): string => s.replace(/\$\{os\}/g, 'linux').replace(/\$\{arch\}/g, 'x64').replace(/\$\{platform\}/g, 'linux');
  const info = { config, projectDir, buildResourcesDir: join(projectDir, 'build'), isPrepackedAppAsar: false, debugLogger: silentLog };
  const dest = join(tmp, 'packed-app');
  const matchers = getMainFileMatchers(projectDir, dest, expand, {}, { info }, join(projectDir, 'dist'), false);
  const out: string[] = [];
  for (const m of matchers) {
    const filter = m.createFilter();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        const stat = lstatSync(file);
        if (!filter(file, stat)) continue;
        if (stat.isDirectory()) walk(file);
        else out.push(relative(dest, join(m.to, relative(m.from, file))).split(sep).join('/'));
      }
    };
    if (existsSync(m.from)) walk(m.from);
  }
  return out.sort();
}

/** Whether electron-builder would pack a file of a production dependency (path from the app root). */
function packsModuleFile(config: Configuration, relPath: string): boolean {
  const info = { config, debugLogger: silentLog };
  const matcher: FileMatcher = getNodeModuleFileMatcher(ROOT, join(tmp, 'packed-app'), (s) => s, {}, info);
  const filter = matcher.createFilter();
  const stat = { isDirectory: () => false, moduleFullFilePath: relPath } as unknown as Stats;
  return filter(join(ROOT, relPath), stat);
}

describe('electron-builder configuration', () => {
  it('loads and passes electron-builder’s own schema', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, silentLog as never)).resolves.toBeUndefined();
    // The check is real: a misspelt option is refused.
    await expect(validateConfiguration({ ...config, asarUnpak: ['x'] } as Configuration, silentLog as never)).rejects.toThrow(/asarUnpak/);
  });

  it('is what `npm run dist` uses, and builds NSIS for Windows, AppImage and deb for Linux', async () => {
    expect(PKG.scripts.dist).toBe(`electron-vite build && electron-builder --config ${CONFIG_FILE}`);
    const config = await loadConfig();
    expect(config.productName).toBe('Watchdesk');
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
    expect(config.directories?.output).toBe('dist');
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    expect(config.linux?.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(config.linux?.maintainer).toMatch(/<[^@>]+@[^>]+>/); // a deb needs one
    expect(config.asar).toBe(true);
    // The addon is built by the beforePack hook, never by electron-builder's in-place rebuild.
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBeUndefined();
    // Fuses are set by the afterPack hook only.
    expect(config.electronFuses).toBeUndefined();
  });

  it('names hooks that electron-builder resolves to the hook functions', async () => {
    const config = await loadConfig();
    const prevCwd = process.cwd();
    process.chdir(ROOT); // electron-builder runs from the project folder
    try {
      const afterPack = await resolveFunction(undefined, config.afterPack, 'afterPack', ROOT);
      const beforePack = await resolveFunction(undefined, config.beforePack, 'beforePack', ROOT);
      expect(typeof afterPack === 'function' && afterPack.name).toBe('afterPack');
      expect(typeof beforePack === 'function' && beforePack.name).toBe('beforePack');
    } finally {
      process.chdir(prevCwd);
    }
  });

  it('packs only the build output, package.json and the target’s addon: no sources, tests, fixtures or databases', async () => {
    const config = await loadConfig();
    // A project folder with everything a checkout holds after `npm run build` and the beforePack build.
    const project = join(tmp, 'project');
    const files: Record<string, string> = {
      'package.json': '{"name":"watchdesk","main":"out/main/index.js"}',
      'out/main/index.js': '',
      'out/main/engine-worker.js': '',
      'out/main/chunks/database-x.js': '',
      'out/main/index.js.map': '',
      'out/preload/index.cjs': '',
      'out/renderer/index.html': '',
      'out/renderer/assets/index-x.js': '',
      'out/renderer/assets/index-x.css': '',
      'out/renderer/assets/noto-sans-thai-x.woff2': '',
      '.native-electron/linux-x64/better_sqlite3.node': '',
      '.native-electron/linux-x64/build-info.json': '{}',
      '.native-electron/linux-x64/junk.txt': '',
      '.native-electron/win-x64/better_sqlite3.node': '',
      '.native-electron/better_sqlite3.node': '', // the development build for npm start
      'electron/main/index.ts': '',
      'electron/core/db/database.ts': '',
      'shared/contract.ts': '',
      'renderer/src/main.tsx': '',
      'test/unit/x.test.ts': '',
      'test/fixtures/e2e-wanted.csv': '',
      'test/fixtures/list.xlsx': '',
      'desk.db': '',
      'desk.db-wal': '',
      'out/desk.db': '',
      'bin/watchdesk.mjs': '',
      'scripts/rebuild-native-electron.mjs': '',
      'electron-builder.config.mjs': '',
      'README.md': '',
      'tsconfig.json': '',
      'dist/linux-unpacked/resources/app.asar': '',
      '.git/HEAD': '',
    };
    for (const [rel, body] of Object.entries(files)) {
      mkdirSync(dirname(join(project, rel)), { recursive: true });
      writeFileSync(join(project, rel), body);
    }
    expect(packedFiles(config, project)).toEqual([
      '.native-electron/better_sqlite3.node',
      '.native-electron/build-info.json',
      'out/main/chunks/database-x.js',
      'out/main/engine-worker.js',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/assets/index-x.css',
      'out/renderer/assets/index-x.js',
      'out/renderer/assets/noto-sans-thai-x.woff2',
      'out/renderer/index.html',
      'package.json',
    ]);
  });

  it.skipIf(!existsSync(join(ROOT, 'out', 'main', 'index.js')))('packs the real build output only (out/; run "npm run build" first)', async () => {
    const packed = packedFiles(await loadConfig(), ROOT);
    expect(packed).toContain('out/main/index.js');
    expect(packed).toContain('out/preload/index.cjs');
    expect(packed).toContain('out/renderer/index.html');
    for (const f of packed) {
      expect(f, f).toMatch(/^(out\/(main|preload|renderer)\/|package\.json$|\.native-electron\/(better_sqlite3\.node|build-info\.json)$)/);
      expect(f, f).not.toMatch(/\.(ts|tsx|map|db|db-wal|db-shm|xlsx|xls|csv)$/);
    }
  });

  it.skipIf(!existsSync(join(ROOT, 'out', 'main', 'index.js')))('packs every package the main bundle imports (out/main; run "npm run build" first)', async () => {
    const config = await loadConfig();
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.js')) {
          for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/(?:(?<![\w.$"'])from\s*|import\(\s*|require\(\s*)["']([^"'./:\s][^"']*)["']/g)) {
            // (A word ending in "from", such as the label key "dashboard.about.from": "From", or the string "from" in a list, is not an import.)
            const spec = m[1] ?? '';
            if (spec.startsWith('node:') || spec === 'electron') continue;
            imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
          }
        }
      }
    };
    walk(join(ROOT, 'out', 'main'));
    expect(imported).toContain('better-sqlite3-multiple-ciphers');
    for (const pkg of imported) {
      expect(PKG.dependencies, pkg).toHaveProperty([pkg]);
      expect(packsModuleFile(config, `node_modules/${pkg}/package.json`), pkg).toBe(true);
    }
    expect(packsModuleFile(config, 'node_modules/better-sqlite3-multiple-ciphers/lib/database.js')).toBe(true);
  });

  it('leaves out of node_modules what the app never loads: the host-Node addon build, addon sources, tsx and esbuild', async () => {
    const config = await loadConfig();
    for (const rel of [
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3-multiple-ciphers/src/better_sqlite3.cpp',
      'node_modules/tsx/dist/cli.mjs',
      'node_modules/esbuild/bin/esbuild',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
      'node_modules/zod/index.js.map',
    ]) {
      expect(packsModuleFile(config, rel), rel).toBe(false);
    }
    for (const rel of ['node_modules/zod/package.json', 'node_modules/@node-rs/argon2/index.js', 'node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node']) {
      expect(packsModuleFile(config, rel), rel).toBe(true);
    }
  });

  it('unpacks the database addon (and every other .node) from the asar', async () => {
    const config = await loadConfig();
    const [matcher] = getFileMatchers(config, 'asarUnpack', join(tmp, 'packed-app'), {
      macroExpander: (s: string) => s,
      customBuildOptions: {},
      globalOutDir: join(ROOT, 'dist'),
      defaultSrc: ROOT,
    }) ?? [];
    expect(matcher).toBeDefined();
    const unpacks = matcher!.createFilter();
    const file = (rel: string, moduleFullFilePath?: string) =>
      unpacks(join(ROOT, rel), { isDirectory: () => false, ...(moduleFullFilePath ? { moduleFullFilePath } : {}) } as unknown as Stats);
    expect(file('.native-electron/linux-x64/better_sqlite3.node')).toBe(true);
    const argon2 = 'node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node';
    expect(file(argon2, argon2)).toBe(true);
    expect(file('out/main/index.js')).toBe(false);
    expect(file('out/renderer/index.html')).toBe(false);
    // The mapping puts it where the shell looks for it (electron/main/layout.ts).
    // (electron-builder's loader turns the plain patterns into a { filter } set of their own.)
    const mapping = (config.files as unknown[]).find((f): f is { from: string; to: string; filter: string[] } => typeof f === 'object' && f !== null && 'from' in f);
    expect(mapping).toEqual({ from: '.native-electron/${os}-${arch}', to: '.native-electron', filter: ['better_sqlite3.node', 'build-info.json'] });
    expect(native.packagingOutDir('linux', 'x64', '/p')).toBe(join('/p', '.native-electron', 'linux-x64'));
    expect(native.packagingOutDir('win32', 'x64', '/p')).toBe(join('/p', '.native-electron', 'win-x64'));
  });
});

describe('Electron fuses', () => {
  it('are exactly the intended ones, every fuse set explicitly', () => {
    expect(hooks.FUSES).toEqual({
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
    // Every fuse this @electron/fuses knows has a decision (a new one fails here until decided).
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(Object.keys(hooks.FUSES).filter((k) => k !== 'version').map(Number).sort()).toEqual(known.sort());
  });
});

describe('packaging hooks', () => {
  const linuxContext = (appOutDir: string) => ({
    appOutDir,
    electronPlatformName: 'linux',
    arch: 1, // electron-builder's Arch.x64
    packager: { executableName: 'watchdesk', appInfo: { productFilename: 'Watchdesk' }, info: { framework: { version: ELECTRON_VERSION } }, config: {} },
  });
  const addonIn = (appOutDir: string) => join(appOutDir, 'resources', 'app.asar.unpacked', '.native-electron', native.ADDON_FILE);
  const goodWire = (): Record<string, number> => {
    const wire: Record<string, number> = {};
    for (const [k, v] of Object.entries(hooks.FUSES)) if (k !== 'version') wire[k] = v ? FuseState.ENABLE : FuseState.DISABLE;
    return wire;
  };

  it('beforePack builds the addon for the target platform, architecture and Electron into .native-electron/<os>-<arch>', async () => {
    const build = vi.fn(async () => 'built');
    await before.beforePack({ ...linuxContext('/x'), electronPlatformName: 'win32' }, build);
    expect(build).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({
      electronVersion: ELECTRON_VERSION,
      platform: 'win32',
      arch: 'x64',
      outDir: join(ROOT, '.native-electron', 'win-x64'),
    }));
    await expect(before.beforePack({ ...linuxContext('/x'), arch: 4 }, build)).rejects.toThrow(/universal/);
  });

  it('afterPack sets the fuses on the packed executable and reads them back', async () => {
    const appOutDir = join(tmp, 'linux-unpacked');
    mkdirSync(dirname(addonIn(appOutDir)), { recursive: true });
    writeFileSync(addonIn(appOutDir), fakeElf(ABI));
    const flipFuses = vi.fn(async () => 1);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await hooks.afterPack(linuxContext(appOutDir), { flipFuses, getCurrentFuseWire: async () => goodWire() });
    log.mockRestore();
    expect(flipFuses).toHaveBeenCalledExactlyOnceWith(join(appOutDir, 'watchdesk'), hooks.FUSES);
    expect(hooks.executablePath({ ...linuxContext(appOutDir), electronPlatformName: 'win32' })).toBe(join(appOutDir, 'Watchdesk.exe'));

    // A fuse that did not take (an Electron that removed it, a failed write) fails the build.
    const wire = { ...goodWire(), [FuseV1Options.RunAsNode]: FuseState.ENABLE };
    await expect(hooks.afterPack(linuxContext(appOutDir), { flipFuses, getCurrentFuseWire: async () => wire })).rejects.toThrow(/RunAsNode: ENABLE, wanted DISABLE/);
    const short = goodWire();
    delete short[FuseV1Options.WasmTrapHandlers];
    expect(hooks.fuseMismatches(short)).toEqual(['WasmTrapHandlers: absent, wanted ENABLE']);
  });

  it('afterPack fails the build when the unpacked addon is missing or not built for this Electron', async () => {
    const flipFuses = vi.fn(async () => 1);
    const fuses = { flipFuses, getCurrentFuseWire: async () => goodWire() };
    const missing = join(tmp, 'no-addon-unpacked');
    mkdirSync(missing, { recursive: true });
    await expect(hooks.afterPack(linuxContext(missing), fuses)).rejects.toThrow(/not unpacked beside the asar/);
    const wrong = join(tmp, 'wrong-addon-unpacked');
    mkdirSync(dirname(addonIn(wrong)), { recursive: true });
    writeFileSync(addonIn(wrong), fakeElf(Number(process.versions.modules))); // the host Node's ABI
    await expect(hooks.afterPack(linuxContext(wrong), fuses)).rejects.toThrow(/would not load/);
    writeFileSync(addonIn(wrong), fakeElf(ABI, 0xb7)); // arm64 in an x64 package
    await expect(hooks.afterPack(linuxContext(wrong), fuses)).rejects.toThrow(/linux-arm64/);
    expect(flipFuses).not.toHaveBeenCalled();
  });
});

describe('the Electron build of the database addon (scripts/rebuild-native-electron.mjs)', () => {
  it('reads platform, architecture and Node ABI from an addon file', () => {
    expect(native.inspectAddon(fakeElf(150))).toEqual({ platform: 'linux', arch: 'x64', abi: 150 });
    expect(native.inspectAddon(fakeElf(null, 0xb7))).toEqual({ platform: 'linux', arch: 'arm64', abi: null });
    const pe = Buffer.alloc(0x100);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.writeUInt32BE(0x50450000, 0x80);
    pe.writeUInt16LE(0x8664, 0x84);
    expect(native.inspectAddon(Buffer.concat([pe, Buffer.from('node_register_module_v150')]))).toEqual({ platform: 'win32', arch: 'x64', abi: 150 });
    const macho = Buffer.alloc(32);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(native.inspectAddon(macho)).toEqual({ platform: 'darwin', arch: 'arm64', abi: null });
    expect(native.inspectAddon(Buffer.from('not a library'))).toEqual({ platform: null, arch: null, abi: null });
  });

  it.runIf(existsSync(HOST_ADDON) && process.platform === 'linux')('recognises node_modules’ own build as the host Node’s, not Electron’s', () => {
    expect(native.inspectAddon(readFileSync(HOST_ADDON))).toEqual({ platform: 'linux', arch: process.arch, abi: Number(process.versions.modules) });
    expect(ABI).not.toBe(Number(process.versions.modules));
    expect(() => native.assertAddonFor(HOST_ADDON, { platform: 'linux', arch: process.arch, abi: ABI })).toThrow(/would not load/);
  });

  it('builds in a copy of the package, installs only a checked build, and never touches node_modules', async () => {
    const hostBefore = existsSync(HOST_ADDON) ? readFileSync(HOST_ADDON) : null;
    const builtBy = (bytes: Buffer) => async (opts: { buildPath: string; onlyModules: string[]; electronVersion: string; platform: string; arch: string }) => {
      expect(opts.onlyModules).toEqual(['better-sqlite3-multiple-ciphers']);
      expect(opts.buildPath.startsWith(tmpdir())).toBe(true);
      expect(existsSync(join(opts.buildPath, 'node_modules', 'better-sqlite3-multiple-ciphers', 'binding.gyp'))).toBe(true);
      // The copy leaves out node_modules' own build.
      expect(existsSync(join(opts.buildPath, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build'))).toBe(false);
      const out = join(opts.buildPath, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'better_sqlite3.node'), bytes);
    };
    const outDir = join(tmp, 'native-out');
    const installed = await native.buildAddon({ electronVersion: ELECTRON_VERSION, platform: 'linux', arch: 'x64', outDir, rebuildImpl: builtBy(fakeElf(ABI)) });
    expect(installed).toBe(join(outDir, 'better_sqlite3.node'));
    expect(JSON.parse(readFileSync(join(outDir, 'build-info.json'), 'utf8'))).toMatchObject({ electron: ELECTRON_VERSION, platform: 'linux', arch: 'x64', abi: ABI });

    // A build for the wrong ABI (what a failed rebuild leaves: the host Node's) is refused, nothing installed.
    const refused = join(tmp, 'native-refused');
    await expect(
      native.buildAddon({ electronVersion: ELECTRON_VERSION, platform: 'linux', arch: 'x64', outDir: refused, rebuildImpl: builtBy(fakeElf(Number(process.versions.modules))) }),
    ).rejects.toThrow(/would not load/);
    expect(existsSync(refused)).toBe(false);
    if (hostBefore) expect(readFileSync(HOST_ADDON).equals(hostBefore)).toBe(true);
  });

  it.runIf(!existsSync(join(dirname(require.resolve('electron/package.json')), 'dist')))(
    'as a script (npm start, npm run rebuild:electron), says so and does nothing where the Electron runtime is not installed',
    () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'rebuild-native-electron.mjs')], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/runtime binary is not installed/);
      expect(existsSync(join(ROOT, '.native-electron', 'better_sqlite3.node'))).toBe(false);
    },
  );
});
