/**
 * The OS keychain for the key slots (electron/core/db/keyslots.ts), over Electron's safeStorage:
 * the async API where Electron has it, else the sync one. Linux's `basic_text` backend (a
 * hard-coded password, i.e. plaintext) and `unknown` (asked before `ready`) count as no keychain.
 *
 * safeStorage encrypts strings, so the raw key bytes travel as base64 text.
 */
import type { SafeStorage } from 'electron';
import type { Keychain } from '../core/db/keyslots';

/** The part of Electron's safeStorage the keychain uses; the async members may be missing. */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
> &
  Partial<Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>>;

/** Linux storage backends that are not a real keychain. */
const INSECURE_LINUX_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Makes the engine's `Keychain` over `safeStorage` on `platform` (`process.platform`). It reports
 * itself unavailable, and refuses to encrypt or decrypt, when there is no real keychain.
 */
export function makeKeychain(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Keychain {
  const { isAsyncEncryptionAvailable, encryptStringAsync, decryptStringAsync } = safeStorage;
  const hasAsync =
    typeof isAsyncEncryptionAvailable === 'function' &&
    typeof encryptStringAsync === 'function' &&
    typeof decryptStringAsync === 'function';

  async function isAvailable(): Promise<boolean> {
    try {
      if (platform === 'linux' && INSECURE_LINUX_BACKENDS.has(safeStorage.getSelectedStorageBackend())) return false;
      return hasAsync ? await safeStorage.isAsyncEncryptionAvailable!() : safeStorage.isEncryptionAvailable();
    } catch {
      return false;
    }
  }

  async function requireAvailable(): Promise<void> {
    if (!(await isAvailable())) throw new Error('no secure OS keychain is available');
  }

  return {
    isAvailable,
    async encrypt(plain) {
      await requireAvailable();
      const text = plain.toString('base64');
      return hasAsync ? await safeStorage.encryptStringAsync!(text) : safeStorage.encryptString(text);
    },
    async decrypt(blob) {
      await requireAvailable();
      const text = hasAsync ? (await safeStorage.decryptStringAsync!(blob)).result : safeStorage.decryptString(blob);
      if (!BASE64.test(text)) throw new Error('the keychain returned something that is not a wrapped key');
      return Buffer.from(text, 'base64');
    },
  };
}
