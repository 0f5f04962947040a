/**
 * Worker-thread body of an import parse (worker_threads; plain Node, no Electron). Receives a
 * ParseRequest, posts `meta`, `entries` batches, `progress` and finally `done` or `error`. Errors
 * carry only a reason code (BadInputError's) or a generic one: never cell contents.
 */
import { parentPort } from 'node:worker_threads';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { workerMain } from '../workers';
import { parseImport, toWire, type ParseRequest } from './parse';

/** Entry batches posted but not yet taken by the main thread, beyond which this worker waits. */
const MAX_IN_FLIGHT = 4;

workerMain(() => parentPort?.once('message', (msg: { req: ParseRequest; credit: SharedArrayBuffer }) => {
  const { req } = msg;
  // Back-pressure: credit[0] counts batches in flight; the main thread decrements it and notifies.
  const credit = new Int32Array(msg.credit);
  const post = (m: unknown) => parentPort!.postMessage(m);
  try {
    let last = -1;
    const summary = parseImport(req, {
      meta: (meta) => post({ type: 'meta', meta }),
      entries: (entries) => {
        for (let n = Atomics.load(credit, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(credit, 0)) Atomics.wait(credit, 0, n, 200);
        Atomics.add(credit, 0, 1);
        post({ type: 'entries', entries: entries.map(toWire) });
      },
      progress: (f) => {
        const pct = Math.floor(f * 100);
        if (pct !== last) post({ type: 'progress', fraction: f });
        last = pct;
      },
    });
    post({ type: 'done', summary });
  } catch (e) {
    post({ type: 'error', reason: e instanceof BadInputError ? e.reason : reason('import.unreadable') });
  }
}));
