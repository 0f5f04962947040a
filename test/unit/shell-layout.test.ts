import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { findNativeBinding, resolveAppLayout, resolveDbPath, resolveUserDataDir, staleNativeBindingWarning } = await import('../../electron/main/layout');
const { menuTemplate } = await import('../../electron/main/menu');

const tmp = mkdtempSync(join(tmpdir(), 'watchdesk-shell-layout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('shell layout', () => {
  it('finds preload, renderer and the Electron addon around out/main', () => {
    const l = resolveAppLayout(join(tmp, 'out', 'main'));
    expect(l.appRoot).toBe(resolve(tmp));
    expect(l.preloadPath).toBe(join(tmp, 'out', 'preload', 'index.cjs'));
    expect(l.rendererDir).toBe(join(tmp, 'out', 'renderer'));
    expect(l.nativeBindingPath).toBe(join(tmp, '.native-electron', 'better_sqlite3.node'));
    expect(findNativeBinding(l)).toBeUndefined();
    mkdirSync(join(tmp, '.native-electron'));
    writeFileSync(l.nativeBindingPath, '');
    expect(findNativeBinding(l)).toBe(l.nativeBindingPath);
    expect(staleNativeBindingWarning(l, '45.5.0')).toBeUndefined(); // no build info
    writeFileSync(join(tmp, '.native-electron', 'build-info.json'), JSON.stringify({ electron: '45.5.0' }));
    expect(staleNativeBindingWarning(l, '45.5.0')).toBeUndefined();
    expect(staleNativeBindingWarning(l, '46.0.0')).toMatch(/rebuild:electron/);
  });

  it('in a package, loads the addon from app.asar.unpacked (a real file) and the rest from the asar', () => {
    const resources = join(tmp, 'Watchdesk', 'resources');
    const l = resolveAppLayout(join(resources, 'app.asar', 'out', 'main'));
    expect(l.appRoot).toBe(join(resources, 'app.asar'));
    expect(l.preloadPath).toBe(join(resources, 'app.asar', 'out', 'preload', 'index.cjs'));
    expect(l.rendererDir).toBe(join(resources, 'app.asar', 'out', 'renderer'));
    // electron-builder.config.mjs packs the addon at .native-electron/better_sqlite3.node and unpacks it.
    expect(l.nativeBindingPath).toBe(join(resources, 'app.asar.unpacked', '.native-electron', 'better_sqlite3.node'));
    // Only a folder named exactly app.asar is an archive.
    expect(resolveAppLayout(join(tmp, 'my.app.asar.d', 'out', 'main')).nativeBindingPath).toBe(join(tmp, 'my.app.asar.d', '.native-electron', 'better_sqlite3.node'));
  });

  it('puts the database in userData unless WATCHDESK_DB is set', () => {
    expect(resolveDbPath('/data/Watchdesk', {})).toBe(join('/data/Watchdesk', 'watchdesk.db'));
    expect(resolveDbPath('/data/Watchdesk', { WATCHDESK_DB: 'x/test.db' })).toBe(resolve('x/test.db'));
  });

  it('uses <appData>/Watchdesk (as the CLI does) unless overridden', () => {
    expect(resolveUserDataDir('/appdata', 'Watchdesk', {}, '')).toBe(join('/appdata', 'Watchdesk'));
    expect(resolveUserDataDir('/appdata', 'Watchdesk', {}, '/p')).toBe(resolve('/p'));
    expect(resolveUserDataDir('/appdata', 'Watchdesk', { WATCHDESK_USER_DATA: '/q' }, '/p')).toBe(resolve('/q'));
  });

  it('offers DevTools and reload in the menu only in development mode', () => {
    const roles = (devTools: boolean) =>
      JSON.stringify(menuTemplate('linux', devTools)).match(/"role":"(\w+)"/g) ?? [];
    expect(roles(true)).toContain('"role":"toggleDevTools"');
    expect(roles(false)).not.toContain('"role":"toggleDevTools"');
    expect(roles(false)).not.toContain('"role":"reload"');
    expect(roles(false)).toContain('"role":"editMenu"');
    expect(JSON.stringify(menuTemplate('darwin', false))).toContain('"role":"appMenu"');
  });
});
