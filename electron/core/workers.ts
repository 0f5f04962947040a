/**
 * Starting the engine's worker threads (the engine host, the match index, import parsing) from
 * either layout: the Electron build runs the bundled `<name>.js` files that electron-vite writes
 * beside the main bundle (electron.vite.config.ts); the CLI, the harness and the tests run the
 * TypeScript sources through `worker-entry.mjs`, which registers tsx in the new thread first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

/** Key of workerData that names the TypeScript module for worker-entry.mjs. */
const SOURCE_ENTRY = '__watchdeskSource';

/** The message a worker body sends once its modules have finished evaluating (workerMain). */
const LOADED = '__watchdeskWorkerLoaded';

/** True for the message workerMain sends when the worker's body starts (its modules are loaded). */
export function isLoadedMessage(m: unknown): boolean {
  return (m as { type?: unknown } | null)?.type === LOADED;
}

/**
 * Runs a worker's body once its modules have finished evaluating, and tells the parent so. Node 20
 * aborts the whole process (V8 "Check failed: (location_) != nullptr") when a worker is
 * terminated while an ES module with top-level await is still evaluating, which the tsx entry
 * always is; startWorker's `terminate` therefore waits for this signal.
 */
export function workerMain(body: () => unknown): void {
  setImmediate(() => {
    parentPort!.postMessage({ type: LOADED });
    void body();
  });
}

/**
 * Starts the worker `name` (the bundled entry's name, e.g. `index-worker`); `source` is the URL of
 * its TypeScript module, used when no bundle is found. `workerData` must be structured-cloneable.
 */
export function startWorker(name: string, source: URL, workerData: Record<string, unknown> = {}, opts: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  // The bundle may put this module in a chunk one folder below the entries.
  const bundled = [`./${name}.js`, `../${name}.js`].map((rel) => new URL(rel, import.meta.url)).find((u) => existsSync(fileURLToPath(u)));
  const worker = bundled
    ? new Worker(bundled, { ...opts, workerData })
    : new Worker(new URL('./worker-entry.mjs', import.meta.url), { ...opts, workerData: { ...workerData, [SOURCE_ENTRY]: source.href } });
  // terminate() before the body has started is deferred until it has (see workerMain).
  let loaded = false;
  const waiting: (() => void)[] = [];
  const terminate = worker.terminate.bind(worker);
  worker.on('message', (m: unknown) => {
    if (!isLoadedMessage(m)) return;
    loaded = true;
    for (const w of waiting.splice(0)) w();
  });
  worker.once('exit', () => {
    loaded = true;
    for (const w of waiting.splice(0)) w();
  });
  worker.terminate = () => (loaded ? terminate() : new Promise((ok) => waiting.push(() => void terminate().then(ok))));
  return worker;
}
