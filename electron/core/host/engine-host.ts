/**
 * The engine host: runs the engine in a worker thread of its own and carries API envelopes to it
 * and back. Electron's main process, the browser harness and the tests all reach the engine this
 * way, so a long call (an index build, a key rotation, a large export) never freezes the windows
 * or the other transports: their event loop only forwards messages.
 *
 * Why a worker thread and not Electron's utilityProcess: the same code runs on plain Node (the
 * harness, the tests, the CLI), so what ships is what is tested; the OS keychain (safeStorage,
 * main process only) is reached by a message; better-sqlite3 and Argon2 are worker-safe.
 */
import type { Worker } from 'node:worker_threads';
import type { ApiRequest, ApiResponse } from '../../../shared/contract';
import { reason, reasonView } from '../../../shared/reasons';
import { getNativeBinding } from '../db/database';
import type { Keychain } from '../db/keyslots';
import { startWorker } from '../workers';
import type { EngineWorkerData, FromEngine, ToEngine } from './protocol';

export interface EngineHostOptions {
  /** Path of the encrypted database; its key slots live at `<dbPath>.keys`. */
  dbPath: string;
  /** The OS keychain, where there is one (called on the host's thread). */
  keychain?: Keychain;
  /** A session unused for this long (ms) expires; default 15 minutes. */
  idleTimeoutMs?: number;
  /** Where the engine's log lines go: method and error class only, never personal data. */
  log?: (line: string) => void;
}

const STOPPED: ApiResponse = { ok: false, error: { code: 'internal', ...reasonView(reason('engine.stopped')) } };

/** One engine thread behind `handle`; `close` drains calls in flight, then shuts the engine down. */
export class EngineHost {
  private readonly pending = new Map<number, (res: ApiResponse) => void>();
  private nextId = 1;
  private stopped = false;
  private closedSignal: Promise<void>;

  private constructor(private readonly worker: Worker, private readonly opts: EngineHostOptions, ready: (ok: boolean) => void) {
    let markClosed!: () => void;
    this.closedSignal = new Promise((r) => (markClosed = r));
    worker.on('message', (m: FromEngine) => {
      switch (m.type) {
        case 'ready':
          return ready(true);
        case 'reply': {
          const done = this.pending.get(m.id);
          this.pending.delete(m.id);
          return done?.(m.res);
        }
        case 'keychain':
          return void this.keychainCall(m.id, m.op, m.data);
        case 'log':
          return opts.log?.(m.line);
        case 'closed':
          return markClosed();
      }
    });
    worker.on('error', (e) => opts.log?.(`the engine thread failed (${e.name})`));
    worker.on('exit', () => {
      this.stopped = true;
      for (const done of this.pending.values()) done(STOPPED);
      this.pending.clear();
      ready(false);
      markClosed();
    });
  }

  /** Starts the engine thread; resolves once it has tried the keychain and takes calls. */
  static start(opts: EngineHostOptions): Promise<EngineHost> {
    const data: EngineWorkerData = { dbPath: opts.dbPath, keychain: Boolean(opts.keychain), idleTimeoutMs: opts.idleTimeoutMs, nativeBinding: getNativeBinding() };
    const worker = startWorker('engine-worker', new URL('./engine-worker.ts', import.meta.url), data as unknown as Record<string, unknown>);
    return new Promise((resolve, reject) => {
      const host = new EngineHost(worker, opts, (ok) => (ok ? resolve(host) : reject(new Error('the engine thread did not start'))));
    });
  }

  /** Carries one envelope to the engine; never rejects (a stopped engine answers `internal`). */
  handle(req: ApiRequest): Promise<ApiResponse> {
    if (this.stopped) return Promise.resolve(STOPPED);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const msg: ToEngine = { type: 'call', id, req };
      this.worker.postMessage(msg);
    });
  }

  private async keychainCall(id: number, op: 'isAvailable' | 'encrypt' | 'decrypt', data?: Uint8Array): Promise<void> {
    const kc = this.opts.keychain;
    let reply: ToEngine;
    try {
      if (!kc) throw new Error('no keychain');
      const value = op === 'isAvailable' ? await kc.isAvailable() : new Uint8Array(await kc[op](Buffer.from(data ?? [])));
      reply = { type: 'keychainReply', id, ok: true, value };
    } catch {
      reply = { type: 'keychainReply', id, ok: false };
    }
    if (!this.stopped) this.worker.postMessage(reply);
  }

  /** Stops taking calls, lets those in flight finish, shuts the engine down (imports cancelled) and ends the thread. */
  async close(): Promise<void> {
    if (!this.stopped) {
      const msg: ToEngine = { type: 'close' };
      this.worker.postMessage(msg);
      await this.closedSignal;
    }
    this.stopped = true;
    await this.worker.terminate();
  }
}
