import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * The dev server only (`npm run dev`): Vite injects CSS as <style> elements and @vitejs/plugin-react
 * an inline Fast Refresh preamble, both refused by the renderer's CSP (shared/transport.ts); the
 * dev server's page gets 'unsafe-inline' for scripts and styles. The build, and so the app:
 * protocol and the harness, keep the strict CSP.
 */
const devServerCsp: Plugin = {
  name: 'watchdesk-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: {
    order: 'post',
    handler: (html) => html.replace(/(script-src|style-src) 'self'/g, "$1 'self' 'unsafe-inline'"),
  },
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // Worker threads, loaded as ./<name>.js beside the bundle (electron/core/workers.ts): the engine
          // thread, the match index and the import parser.
          'engine-worker': resolve(__dirname, 'electron/core/host/engine-worker.ts'),
          'index-worker': resolve(__dirname, 'electron/core/index-host/worker.ts'),
          'parse-worker': resolve(__dirname, 'electron/core/watchlists/parse-worker.ts'),
          'keys-worker': resolve(__dirname, 'electron/core/watchlists/keys-worker.ts'),
          'reader-worker': resolve(__dirname, 'electron/core/reader.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require node_modules: bundle everything, emit CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react(), devServerCsp],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
