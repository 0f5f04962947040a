/**
 * A worker body for parse-watchdog.test.ts, standing in for a reader on a hostile or a large
 * file (workerData.mode): `spin` loops without progress, `beat-then-spin` reports progress and then
 * loops, `grow` allocates without bound and without progress, `grow-beating` does so while calling
 * progressBeat, `slow` works `ms` with progress and ends, `wait` sleeps `ms` (as when it waits for
 * its credit) and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { progressBeat } from '../../electron/core/guarded-worker';
import { BadInputError } from '../../electron/core/errors';
import { workerMain } from '../../electron/core/workers';

const { mode, ms } = workerData as { mode: string; ms: number };
const post = (m: unknown) => parentPort!.postMessage(m);

/** Loops until terminated. */
function spin(): void {
  let n = 0;
  while (n >= 0) n = (n + 1) % 1000;
}

workerMain(() => {
  const beat = progressBeat((fraction) => post({ type: 'progress', fraction }));
  const kept: unknown[] = [];
  try {
    if (mode === 'spin') spin();
    if (mode === 'beat-then-spin') {
      const until = Date.now() + ms;
      while (Date.now() < until) beat();
      spin();
    }
    for (let i = 0; mode === 'grow'; i++) kept.push({ i, s: `cell ${i}` });
    if (mode === 'grow-beating') {
      for (let i = 0; kept.length >= 0; i++) {
        kept.push({ i, s: `cell ${i}` });
        beat();
      }
    }
    if (mode === 'slow') {
      const start = Date.now();
      while (Date.now() < start + ms) beat((Date.now() - start) / ms);
    }
    if (mode === 'wait') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    post({ type: 'done' });
  } catch (e) {
    post({ type: 'error', reason: e instanceof BadInputError ? e.reason : null });
  }
});
