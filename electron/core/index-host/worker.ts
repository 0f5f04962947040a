/**
 * Worker-thread body of one match index (worker_threads, plain Node): opens the database
 * read-only with the key it is handed, builds the index (posting `progress`, then `ready` with the
 * list versions it holds), closes the database and answers `match` messages until terminated.
 * Failures are reported by error class only: never names or other personal data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Reason } from '../../../shared/reasons';
import { openReader, setNativeBinding } from '../db/database';
import { workerMain } from '../workers';
import { buildIndex } from './build';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './protocol';

const data = workerData as IndexWorkerData;
const post = (m: FromIndexWorker): void => parentPort!.postMessage(m);

function main(): void {
  setNativeBinding(data.nativeBinding);
  const key = Buffer.from(data.key);
  let built: ReturnType<typeof buildIndex>;
  try {
    const db = openReader(data.dbPath, key);
    key.fill(0);
    try {
      let last = -1;
      built = buildIndex(db, (f) => {
        const pct = Math.floor(f * 100);
        if (pct !== last) post({ type: 'progress', fraction: f });
        last = pct;
      });
    } finally {
      db.close();
    }
  } catch (e) {
    post({ type: 'failed', reason: e instanceof Error ? e.name : typeof e });
    return;
  }
  testDelay();
  const { index, versions } = built;
  parentPort!.on('message', (m: ToIndexWorker) => {
    const warnings: Reason[] = [];
    try {
      const results = index.match(m.query, { ...m.opts, excludeGroups: new Set(m.opts.excludeGroups), warnings });
      post({ type: 'matched', id: m.id, results, warnings });
    } catch (e) {
      post({ type: 'matchFailed', id: m.id, reason: e instanceof Error ? e.name : typeof e });
    }
  });
  post({ type: 'ready', versions, entries: index.size, stats: index.stats });
}

/** Test-only hold before a built index is handed over (WATCHDESK_TEST_INDEX_DELAY_MS), to observe a rebuild in progress. */
function testDelay(): void {
  const ms = Number(process.env.WATCHDESK_TEST_INDEX_DELAY_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

workerMain(main);
