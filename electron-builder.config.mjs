/**
 * electron-builder configuration: `npm run dist` (README, "Build the installers") packs the
 * electron-vite build (`out/`) into a Windows NSIS installer and Linux AppImage and deb packages,
 * in `dist/`. test/unit/installer.test.ts checks this file against electron-builder's own schema
 * and file matching.
 *
 * - Only the build output goes in: `out/main`, `out/preload`, `out/renderer`, package.json, and the
 *   database addon built for Electron; never sources, tests, fixtures or databases. Production
 *   dependencies come from node_modules as electron-builder collects them, minus what the app never
 *   loads (the host-Node build and sources of the database addon, the TypeScript runner tsx and its
 *   esbuild binaries, which only the CLI uses).
 * - The database addon: `npmRebuild` is off and the `beforePack` hook builds it for each target with
 *   @electron/rebuild (scripts/packaging/before-pack.mjs says why); the `files` mapping below puts
 *   it at `.native-electron/better_sqlite3.node`, where electron/main/layout.ts looks, and
 *   `asarUnpack` keeps every `.node` file out of the asar (a native library cannot be loaded from
 *   inside an archive).
 * - `afterPack` checks the unpacked addon and sets the Electron fuses (scripts/packaging/after-pack.mjs).
 */

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.watchdesk.desk',
  productName: 'Watchdesk',
  copyright: 'Copyright © Watchdesk contributors',
  directories: { output: 'dist', buildResources: 'build' },
  asar: true,
  files: [
    'out/main/**/*',
    'out/preload/**/*',
    'out/renderer/**/*',
    '!**/*.map',
    // Production dependencies the packaged app never loads (electron-builder applies these
    // exclusions to node_modules too).
    '!**/node_modules/better-sqlite3-multiple-ciphers/{build,deps,src,prebuilds}{,/**/*}',
    '!**/node_modules/{tsx,esbuild,@esbuild}{,/**/*}',
    { from: '.native-electron/${os}-${arch}', to: '.native-electron', filter: ['better_sqlite3.node', 'build-info.json'] },
  ],
  asarUnpack: ['**/*.node'],
  npmRebuild: false,
  beforePack: './scripts/packaging/before-pack.mjs',
  afterPack: './scripts/packaging/after-pack.mjs',
  // Fuses are set by afterPack (with a read-back check), not by electron-builder's `electronFuses`.
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    oneClick: false,
    // Installed for the machine (Program Files, needs an administrator): an officer's account cannot
    // replace the program files. Each user's database and settings stay in their own profile.
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    // Uninstalling never deletes a desk's database (the audit trail must outlive the program).
    deleteAppDataOnUninstall: false,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Watchdesk',
    artifactName: 'Watchdesk-Setup-${version}-${arch}.${ext}',
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    executableName: 'watchdesk',
    category: 'Office',
    synopsis: 'Traveler screening against watchlists at a border checkpoint',
    // A deb needs a maintainer; replace with the department's contact before publishing packages.
    maintainer: 'Watchdesk maintainers <watchdesk@example.invalid>',
    artifactName: 'watchdesk-${version}-${arch}.${ext}',
  },
  deb: {
    priority: 'optional',
  },
  appImage: {
    artifactName: 'Watchdesk-${version}-${arch}.${ext}',
  },
  publish: null,
};

export default config;
