/** Messages between the engine host (Electron main, the harness, tests) and the engine thread. */
import type { ApiRequest, ApiResponse } from '../../../shared/contract';

/** workerData of the engine thread. */
export interface EngineWorkerData {
  dbPath: string;
  /** The host offers an OS keychain: the engine reaches it by `keychain` messages. */
  keychain: boolean;
  idleTimeoutMs?: number;
  nativeBinding?: string;
}

export type KeychainOp = 'isAvailable' | 'encrypt' | 'decrypt';

export type ToEngine =
  | { type: 'call'; id: number; req: ApiRequest }
  | { type: 'keychainReply'; id: number; ok: true; value: Uint8Array | boolean }
  | { type: 'keychainReply'; id: number; ok: false }
  | { type: 'close' };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'reply'; id: number; res: ApiResponse }
  | { type: 'keychain'; id: number; op: KeychainOp; data?: Uint8Array }
  | { type: 'log'; line: string }
  | { type: 'closed' };
