/**
 * The parse worker's side of keys-worker.ts: an import's match keys computed in a second worker
 * while the parse worker reads on (a big file only: starting a worker costs more than a small
 * file's keys). Batches go out in order and come back in order; the parse worker, which reads
 * synchronously, takes the answers with receiveMessageOnPort and waits for them with Atomics.wait.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { startWorker } from '../workers';
import type { ParsedEntry } from './mapping';
import { toWire, type WireEntry } from './parse';

/**
 * Files at least this big (bytes, all files of the import) have their keys computed beside the
 * read. `WATCHDESK_KEYS_BESIDE_BYTES` overrides it (tests: 0, so that small files take this path).
 */
export const KEYS_BESIDE_BYTES = 2 * 1024 * 1024;

/** Batches sent and not yet taken back, at most, before the reader waits (memory stays bounded). */
const AHEAD = 2;

/** Longest wait (ms) for one batch's keys before the import is given up (the keys worker died). */
const ANSWER_MS = 60_000;

/** Heap ceiling of the keys worker (MB): it holds a few batches of names and its caches. */
const KEYS_MEMORY_MB = 512;

/** The keys threshold for this process (env override for tests). */
export function keysBesideBytes(): number {
  const v = process.env.WATCHDESK_KEYS_BESIDE_BYTES;
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : KEYS_BESIDE_BYTES;
}

/** A keys worker beside the reader: `send` each batch, `take` the batches whose keys are back. */
export class KeysBeside {
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly answered: Int32Array;
  private readonly pending: ParsedEntry[][] = [];
  private taken = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const done = new SharedArrayBuffer(4);
    this.port = port1;
    this.answered = new Int32Array(done);
    this.worker = startWorker('keys-worker', new URL('./keys-worker.ts', import.meta.url), { port: port2, done }, {
      transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: KEYS_MEMORY_MB },
    });
  }

  /** Sends a batch's names to be keyed. */
  send(batch: ParsedEntry[]): void {
    this.port.postMessage({ names: batch.map((e) => e.names.map((n) => n.name)) });
    this.pending.push(batch);
  }

  /**
   * The batches whose keys are back, in the order sent, as wire entries; waits (calling `beat`
   * between waits) until at most `ahead` batches are still out (`ahead` 0: all of them). Throws
   * BadInputError `import.unreadable` when an answer does not come within ANSWER_MS or a batch
   * could not be keyed.
   */
  take(beat: () => void, ahead = AHEAD): WireEntry[][] {
    const out: WireEntry[][] = [];
    let since = Date.now();
    for (;;) {
      for (let m = this.pending.length ? receiveMessageOnPort(this.port) : undefined; m; m = this.pending.length ? receiveMessageOnPort(this.port) : undefined) {
        const keys = (m.message as { keys: string[] | null }).keys;
        const batch = this.pending.shift()!;
        this.taken++;
        if (!keys || keys.length !== batch.length) throw new BadInputError(reason('import.unreadable'));
        out.push(batch.map((e, i) => toWire(e, keys[i])));
        since = Date.now();
      }
      if (this.pending.length <= ahead) return out;
      if (Date.now() - since > ANSWER_MS) throw new BadInputError(reason('import.unreadable'));
      // Wakes when the keys worker has answered more than was taken (or after 200 ms, to beat).
      Atomics.wait(this.answered, 0, this.taken, 200);
      beat();
    }
  }

  /** Stops the keys worker (done or given up). */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
