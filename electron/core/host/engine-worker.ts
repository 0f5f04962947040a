/**
 * The engine thread (worker_threads): owns the Engine (database, sessions, match index, jobs) and
 * answers `call` messages with the handler table's envelopes. The OS keychain stays with the host
 * (Electron's safeStorage lives in the main process) and is reached by messages. On `close` it
 * stops taking calls, drains the calls in flight, shuts the engine down and says `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiResponse } from '../../../shared/contract';
import { reason, reasonView } from '../../../shared/reasons';
import { Engine } from '../api/engine';
import { setNativeBinding } from '../db/database';
import type { Keychain } from '../db/keyslots';
import { workerMain } from '../workers';
import type { EngineWorkerData, FromEngine, KeychainOp, ToEngine } from './protocol';

const data = workerData as EngineWorkerData;
const port = parentPort!;
const post = (m: FromEngine): void => port.postMessage(m);

const keychainCalls = new Map<number, { resolve: (v: Uint8Array | boolean) => void; reject: (e: Error) => void }>();
let nextKeychainId = 1;
function askKeychain(op: KeychainOp, data?: Uint8Array): Promise<Uint8Array | boolean> {
  const id = nextKeychainId++;
  return new Promise((resolve, reject) => {
    keychainCalls.set(id, { resolve, reject });
    post({ type: 'keychain', id, op, data });
  });
}
const keychain: Keychain = {
  isAvailable: async () => (await askKeychain('isAvailable')) === true,
  encrypt: async (plain) => Buffer.from((await askKeychain('encrypt', new Uint8Array(plain))) as Uint8Array),
  decrypt: async (blob) => Buffer.from((await askKeychain('decrypt', new Uint8Array(blob))) as Uint8Array),
};

setNativeBinding(data.nativeBinding);
const engine = new Engine({
  dbPath: data.dbPath,
  keychain: data.keychain ? keychain : undefined,
  idleTimeoutMs: data.idleTimeoutMs,
  log: (line) => post({ type: 'log', line }),
});
const inFlight = new Set<Promise<void>>();
let closing = false;

const CLOSING: ApiResponse = { ok: false, error: { code: 'busy', ...reasonView(reason('engine.closing')) } };

port.on('message', (m: ToEngine) => {
  switch (m.type) {
    case 'call': {
      if (closing) return post({ type: 'reply', id: m.id, res: CLOSING });
      const p = engine.handle(m.req).then((res) => post({ type: 'reply', id: m.id, res }));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return;
    }
    case 'keychainReply': {
      const c = keychainCalls.get(m.id);
      keychainCalls.delete(m.id);
      if (m.ok) c?.resolve(m.value);
      else c?.reject(new Error('the OS keychain refused'));
      return;
    }
    case 'close':
      closing = true;
      void (async () => {
        while (inFlight.size) await Promise.allSettled([...inFlight]);
        await engine.shutdown();
        post({ type: 'closed' });
        port.close();
      })();
      return;
  }
});

workerMain(async () => {
  try {
    await engine.start();
  } catch (e) {
    // The keychain slot did not open the database; users can still sign in with a password.
    post({ type: 'log', line: `could not unlock with the OS keychain (${e instanceof Error ? e.name : typeof e})` });
  }
  post({ type: 'ready' });
});
