/**
 * Worker-thread body that computes the match keys of an import's entries (matching/keys.ts
 * encodeMatchKeys) beside the parse worker (parse-worker.ts), which goes on reading the file
 * meanwhile: on a big list the keys (the Thai readings above all) are about a third of the parse
 * worker's time, and the desk has a second core. Started by the parse worker for a big file
 * (keys-beside.ts). Receives `{ names }` batches (each entry's names) on the port in its
 * workerData and answers each, in order, with `{ keys }` (or `{ keys: null }` when a batch could
 * not be keyed), then adds 1 to `done[0]` and notifies, so that the parse worker, which reads
 * synchronously, can wait for an answer with Atomics.wait and take it with receiveMessageOnPort.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { encodeMatchKeys } from '../matching/keys';
import { workerMain } from '../workers';

/** What the parse worker hands this worker. */
export interface KeysWorkerData {
  port: MessagePort;
  /** Int32 answers counter. */
  done: SharedArrayBuffer;
}

workerMain(() => {
  const { port, done } = workerData as KeysWorkerData;
  const answered = new Int32Array(done);
  port.on('message', (m: { names: string[][] }) => {
    let keys: string[] | null;
    try {
      keys = m.names.map((names) => encodeMatchKeys(names));
    } catch {
      keys = null;
    }
    port.postMessage({ keys });
    Atomics.add(answered, 0, 1);
    Atomics.notify(answered, 0);
  });
});
