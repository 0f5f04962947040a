/** A minimal application menu: editing (copy and paste in forms), zoom, window, quit. */
import type { MenuItemConstructorOptions } from 'electron';
import { APP_NAME } from '../core/paths';

/** The menu template; DevTools and reload appear only when `devTools` is true (development mode). */
export function menuTemplate(platform: NodeJS.Platform, devTools: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ label: APP_NAME, role: 'appMenu' });
  template.push({ label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      ...(devTools ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}
