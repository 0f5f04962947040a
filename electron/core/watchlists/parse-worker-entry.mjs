// Worker entry when running from TypeScript sources (CLI, harness, tests): registers tsx in this
// worker thread, then loads the TypeScript worker body. The Electron build runs the bundled
// out/main/parse-worker.js instead (electron.vite.config.ts).
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
