/**
 * Starting the engine's worker threads (the engine host, the match index, import parsing) from
 * either layout: the Electron build runs the bundled `<name>.js` files that electron-vite writes
 * beside the main bundle (electron.vite.config.ts); the CLI, the harness and the tests run the
 * TypeScript sources through `worker-entry.mjs`, which registers tsx in the new thread first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Key of workerData that names the TypeScript module for worker-entry.mjs. */
export const SOURCE_ENTRY = '__watchdeskSource';

/**
 * Starts the worker `name` (the bundled entry's name, e.g. `index-worker`); `source` is the URL of
 * its TypeScript module, used when no bundle is found. `workerData` must be structured-cloneable.
 */
export function startWorker(name: string, source: URL, workerData: Record<string, unknown> = {}, opts: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  // The bundle may put this module in a chunk one folder below the entries.
  for (const rel of [`./${name}.js`, `../${name}.js`]) {
    const bundled = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, { ...opts, workerData });
  }
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { ...opts, workerData: { ...workerData, [SOURCE_ENTRY]: source.href } });
}
