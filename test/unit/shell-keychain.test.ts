import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { makeKeychain } = await import('../../electron/main/keychain');
type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/** A fake safeStorage: "encrypts" by XOR with a secret so that blobs differ from the input. */
function fakeSafeStorage(opts: { backend?: Backend; available?: boolean; async?: boolean } = {}) {
  const pad = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (0x5a + i) % 256));
  const enc = (s: string) => pad(Buffer.from(`v1:${s}`, 'utf8'));
  const dec = (b: Buffer) => {
    const s = pad(b).toString('utf8');
    if (!s.startsWith('v1:')) throw new Error('bad blob');
    return s.slice(3);
  };
  const ss = {
    getSelectedStorageBackend: vi.fn((): Backend => opts.backend ?? 'gnome_libsecret'),
    isEncryptionAvailable: vi.fn(() => opts.available ?? true),
    encryptString: vi.fn(enc),
    decryptString: vi.fn(dec),
    ...(opts.async === false
      ? {}
      : {
          isAsyncEncryptionAvailable: vi.fn(async () => opts.available ?? true),
          encryptStringAsync: vi.fn(async (s: string) => enc(s)),
          decryptStringAsync: vi.fn(async (b: Buffer) => ({ result: dec(b), shouldReEncrypt: false })),
        }),
  };
  return ss;
}

describe('OS keychain over safeStorage', () => {
  it('round-trips a 32-byte key with the async API, and the blob is not the key', async () => {
    const ss = fakeSafeStorage();
    const kc = makeKeychain(ss, 'linux');
    const key = randomBytes(32);
    expect(await kc.isAvailable()).toBe(true);
    const blob = await kc.encrypt(key);
    expect(blob.includes(key)).toBe(false);
    expect((await kc.decrypt(blob)).equals(key)).toBe(true);
    expect(ss.encryptStringAsync).toHaveBeenCalled();
    expect(ss.decryptStringAsync).toHaveBeenCalled();
    expect(ss.encryptString).not.toHaveBeenCalled();
    expect(ss.decryptString).not.toHaveBeenCalled();
  });

  it('falls back to the sync API when the async one is missing', async () => {
    const ss = fakeSafeStorage({ async: false });
    const kc = makeKeychain(ss, 'darwin');
    const key = randomBytes(32);
    expect(await kc.isAvailable()).toBe(true);
    expect((await kc.decrypt(await kc.encrypt(key))).equals(key)).toBe(true);
    expect(ss.encryptString).toHaveBeenCalled();
  });

  it.each(['basic_text', 'unknown'] as const)('refuses the Linux %s backend: unavailable, no encrypt, no decrypt', async (backend) => {
    const ss = fakeSafeStorage({ backend });
    const kc = makeKeychain(ss, 'linux');
    expect(await kc.isAvailable()).toBe(false);
    await expect(kc.encrypt(randomBytes(32))).rejects.toThrow(/keychain/);
    await expect(kc.decrypt(Buffer.from('x'))).rejects.toThrow(/keychain/);
    expect(ss.encryptStringAsync).not.toHaveBeenCalled();
    expect(ss.encryptString).not.toHaveBeenCalled();
    expect(ss.decryptStringAsync).not.toHaveBeenCalled();
  });

  it('accepts real Linux backends and ignores the backend on other platforms', async () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6'] as const) {
      expect(await makeKeychain(fakeSafeStorage({ backend }), 'linux').isAvailable(), backend).toBe(true);
    }
    // getSelectedStorageBackend is Linux-only; elsewhere its answer does not matter.
    expect(await makeKeychain(fakeSafeStorage({ backend: 'unknown' }), 'win32').isAvailable()).toBe(true);
  });

  it('is unavailable when safeStorage says so or throws', async () => {
    expect(await makeKeychain(fakeSafeStorage({ available: false }), 'darwin').isAvailable()).toBe(false);
    expect(await makeKeychain(fakeSafeStorage({ available: false, async: false }), 'win32').isAvailable()).toBe(false);
    const broken = fakeSafeStorage();
    broken.isAsyncEncryptionAvailable = vi.fn(async () => {
      throw new Error('no keyring');
    });
    expect(await makeKeychain(broken, 'darwin').isAvailable()).toBe(false);
  });

  it('rejects a decrypted value that is not a base64 key', async () => {
    const ss = fakeSafeStorage();
    ss.decryptStringAsync = vi.fn(async () => ({ result: 'not base64 at all!', shouldReEncrypt: false }));
    await expect(makeKeychain(ss, 'darwin').decrypt(Buffer.from('x'))).rejects.toThrow(/not a wrapped key/);
  });
});
