// Worker entry when running from TypeScript sources (CLI, harness, tests): registers tsx in this
// worker thread, then loads the TypeScript module named in workerData (workers.ts). The Electron
// build runs the bundled worker files instead (electron.vite.config.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__watchdeskSource);
