/**
 * Worker-thread body of every spreadsheet parse (worker_threads; plain Node, no Electron), run
 * under the watchdog of guarded-worker.ts. Two jobs:
 * - `import` (jobs.ts): a ParseRequest; posts `meta`, `entries` batches, `progress` and finally
 *   `done` (the summary) or `error`;
 * - `manifest` (manifest.ts): a manifest's bytes; posts `progress`, then `done` (the ManifestRead)
 *   or `error`.
 * Progress is posted at most every BEAT_MS while the read moves (progressBeat), which is what the
 * watchdog waits for. Errors carry only a reason code (BadInputError's) or a generic one: never
 * cell contents.
 */
import { parentPort } from 'node:worker_threads';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { progressBeat } from '../guarded-worker';
import { readManifestRows } from '../manifest';
import { workerMain } from '../workers';
import { KeysBeside, keysBesideBytes } from './keys-beside';
import { MAX_IN_FLIGHT, parseImport, toWire, type ParseRequest, type WireEntry } from './parse';

/** A job for this worker. */
export type ParseJob =
  | { kind: 'import'; req: ParseRequest; credit: SharedArrayBuffer }
  | { kind: 'manifest'; content: Uint8Array; fileName: string };

/**
 * Test-only (WATCHDESK_TEST_PARSE_HANG=grow, never set in production): the body allocates without
 * bound instead of reading (issue 15 item 2), to test the heap ceiling through the API: the
 * readers now bound every structure a file can size, so no real file is known to do this. (A real
 * file that loops, hostile/cfb-cycle.xls, tests the stall limit.)
 */
function testHang(): void {
  const mode = process.env.WATCHDESK_TEST_PARSE_HANG;
  const kept: unknown[] = [];
  for (let i = 0; mode === 'grow'; i++) kept.push({ i, s: `row ${i}` });
}

workerMain(() => parentPort?.once('message', (job: ParseJob) => {
  const post = (m: unknown) => parentPort!.postMessage(m);
  let keys: KeysBeside | null = null;
  try {
    const beat = progressBeat((fraction) => post({ type: 'progress', fraction }));
    beat(0);
    testHang();
    if (job.kind === 'manifest') {
      const result = readManifestRows(Buffer.from(job.content.buffer, job.content.byteOffset, job.content.length), job.fileName, beat);
      post({ type: 'done', result });
      return;
    }
    // Back-pressure: credit[0] counts batches in flight; the main thread decrements it and notifies.
    const credit = new Int32Array(job.credit);
    const forward = (entries: WireEntry[]) => {
      for (let n = Atomics.load(credit, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(credit, 0)) Atomics.wait(credit, 0, n, 200);
      Atomics.add(credit, 0, 1);
      post({ type: 'entries', entries });
    };
    // A big file's match keys are computed beside the read, in a second worker (keys-beside.ts).
    keys = job.req.files.reduce((n, f) => n + f.content.length, 0) >= keysBesideBytes() ? new KeysBeside() : null;
    const k = keys;
    const summary = parseImport(job.req, {
      meta: (meta) => post({ type: 'meta', meta }),
      entries: (entries) => {
        if (k) {
          k.send(entries);
          for (const w of k.take(() => beat())) forward(w);
        } else {
          forward(entries.map((e) => {
            beat();
            return toWire(e);
          }));
        }
      },
      progress: beat,
    });
    if (k) for (const w of k.take(() => beat(), 0)) forward(w);
    post({ type: 'done', summary });
  } catch (e) {
    const fallback = job.kind === 'manifest' ? reason('file.unreadable') : reason('import.unreadable');
    post({ type: 'error', reason: e instanceof BadInputError ? e.reason : fallback });
  } finally {
    keys?.close();
  }
}));
