/**
 * Key slots around one random 32-byte database key, LUKS-style (DESIGN.md section 4).
 *
 * The slots live in a JSON file beside the database (`<db>.keys`). Each slot holds the database key
 * wrapped with AES-256-GCM under a key-encryption key: derived with Argon2id from a user's password
 * or the recovery passphrase, or produced by the OS keychain (Electron safeStorage) in the app.
 * Nothing in the file is secret without a password, passphrase or keychain.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hashRaw } from '@node-rs/argon2';
import { basename } from 'node:path';
import { AuthError, ConflictError, InternalError } from '../errors';
import { writeFileSafe } from '../files';
import { reason } from '../../../shared/reasons';

/** Argon2id parameters: OWASP's minimum is m=19 MiB, t=2, p=1; we use 19 MiB, t=3. */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 3, parallelism: 1 } as const;

interface WrappedKey {
  iv: string;
  ct: string;
  tag: string;
}
interface PassphraseSlot extends WrappedKey {
  type: 'recovery' | 'user';
  /** `keyId` of the database key this slot wraps (absent in files written before key rotation existed). */
  keyId?: string;
  /** For user slots: SHA-256 of (fileId + ':' + username), so the file names nobody. */
  owner?: string;
  kdf: { alg: 'argon2id'; m: number; t: number; p: number; salt: string };
}
interface KeychainSlot {
  type: 'keychain';
  keyId?: string;
  /** The database key as encrypted by the OS keychain, base64. */
  blob: string;
}
export type KeySlot = PassphraseSlot | KeychainSlot;

export interface KeyFile {
  format: 'watchdesk-keys';
  version: 1;
  fileId: string;
  /** `keyId` of the current database key; during a key rotation slots of the old key remain too. */
  keyId?: string;
  slots: KeySlot[];
}

/** A short public fingerprint of a database key (SHA-256 of a label and the key): names it, reveals nothing. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('watchdesk-key-id\0').update(key).digest('hex').slice(0, 16);
}

/** Thrown when no slot opens with what was given; the message is safe to show. */
export class WrongSecretError extends AuthError {}

/** The OS keychain as the Electron shell provides it (safeStorage); absent on plain Node. */
export interface Keychain {
  /** True only for a real keychain (never Linux's plaintext `basic_text`). */
  isAvailable(): Promise<boolean>;
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(blob: Buffer): Promise<Buffer>;
}

export function keyFilePath(dbPath: string): string {
  return `${dbPath}.keys`;
}

function wrap(kek: Buffer, key: Buffer): WrappedKey {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  const ct = Buffer.concat([c.update(key), c.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

function unwrap(kek: Buffer, w: WrappedKey): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(w.iv, 'base64'));
    d.setAuthTag(Buffer.from(w.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(w.ct, 'base64')), d.final()]);
  } catch {
    return null;
  }
}

async function deriveKek(secret: string, salt: Buffer, p: { m: number; t: number; p: number }): Promise<Buffer> {
  const raw = await hashRaw(secret.normalize('NFKC'), {
    algorithm: 2, // Argon2id
    memoryCost: p.m,
    timeCost: p.t,
    parallelism: p.p,
    outputLen: 32,
    salt,
  });
  return Buffer.from(raw);
}

/** The slot owner of `username` in a key file: a hash, so the file names nobody. */
export function ownerId(fileId: string, username: string): string {
  return createHash('sha256').update(`${fileId}:${username.toLowerCase()}`).digest('hex');
}

async function passphraseSlot(
  type: 'recovery' | 'user',
  secret: string,
  key: Buffer,
  owner?: string,
): Promise<PassphraseSlot> {
  const salt = randomBytes(16);
  const kdf = { alg: 'argon2id' as const, m: ARGON2_PARAMS.memoryCost, t: ARGON2_PARAMS.timeCost, p: ARGON2_PARAMS.parallelism };
  const kek = await deriveKek(secret, salt, kdf);
  return { type, owner, keyId: keyId(key), kdf: { ...kdf, salt: salt.toString('base64') }, ...wrap(kek, key) };
}

/** Reads the key file; throws InternalError (files.keysMissing, files.keysDamaged: naming the file and what to do) when it is missing or not ours. */
export function readKeyFile(dbPath: string): KeyFile {
  const p = keyFilePath(dbPath);
  if (!existsSync(p)) throw new InternalError(reason('files.keysMissing', { file: basename(p) }));
  let kf: KeyFile | undefined;
  try {
    kf = JSON.parse(readFileSync(p, 'utf8')) as KeyFile;
  } catch {
    kf = undefined;
  }
  if (kf?.format !== 'watchdesk-keys' || kf.version !== 1 || typeof kf.fileId !== 'string' || !Array.isArray(kf.slots) || !kf.slots.every(slotWellFormed)) {
    throw new InternalError(reason('files.keysDamaged', { file: basename(p) }));
  }
  return kf;
}

/** Argon2id parameters a slot may name: positive integers up to 4 GiB of memory, 100 passes, 16 lanes. */
function kdfWellFormed(k: unknown): boolean {
  const o = k as Record<string, unknown> | null;
  const int = (v: unknown, max: number) => Number.isSafeInteger(v) && (v as number) > 0 && (v as number) <= max;
  return typeof o === 'object' && o !== null && o.alg === 'argon2id' && typeof o.salt === 'string'
    && int(o.m, 4 * 1024 * 1024) && int(o.t, 100) && int(o.p, 16);
}

/**
 * A slot has what unlocking reads from it (so a damaged file is `files.keysDamaged`, not a crash
 * deep in Argon2 or AES): wrapped key and KDF for password and recovery slots, a blob for keychain
 * slots. Slots of other types are left to whoever reads them.
 */
function slotWellFormed(s: unknown): boolean {
  const o = s as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.type !== 'string') return false;
  if (o.keyId !== undefined && typeof o.keyId !== 'string') return false;
  if (o.type === 'keychain') return typeof o.blob === 'string';
  if (o.type !== 'user' && o.type !== 'recovery') return true;
  return typeof o.iv === 'string' && typeof o.ct === 'string' && typeof o.tag === 'string' && kdfWellFormed(o.kdf);
}

/**
 * Writes the key file with the safe writer (files.ts: a 0600 temporary file, fsync, atomic move,
 * folder fsync). With `mustNotExist` an existing key file is never replaced: ConflictError
 * `setup.alreadySetUp`. Disk errors are the writer's clear errors (`files.noSpace`, ...).
 */
export function writeKeyFile(dbPath: string, kf: KeyFile, opts: { mustNotExist?: boolean } = {}): void {
  try {
    writeFileSafe(keyFilePath(dbPath), JSON.stringify(kf, null, 2), { overwrite: !opts.mustNotExist, sweep: false });
  } catch (e) {
    if (e instanceof ConflictError) throw new ConflictError(reason('setup.alreadySetUp'));
    throw e;
  }
}

/** Makes a new database key and a key file with the recovery slot and the first user's slot. */
export async function createKeyFile(
  recoveryPassphrase: string,
  username: string,
  password: string,
): Promise<{ key: Buffer; keyFile: KeyFile }> {
  const key = randomBytes(32);
  const fileId = randomBytes(16).toString('hex');
  const slots: KeySlot[] = [
    await passphraseSlot('recovery', recoveryPassphrase, key),
    await passphraseSlot('user', password, key, ownerId(fileId, username)),
  ];
  return { key, keyFile: { format: 'watchdesk-keys', version: 1, fileId, keyId: keyId(key), slots } };
}

/** Slots of the current key first, so that the usual case costs one derivation. */
function currentFirst<T extends KeySlot>(kf: KeyFile, slots: T[]): T[] {
  return [...slots].sort((a, b) => Number(b.keyId === kf.keyId) - Number(a.keyId === kf.keyId));
}

async function unwrapAll(kf: KeyFile, slots: PassphraseSlot[], secret: string): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for (const s of currentFirst(kf, slots)) {
    const key = unwrap(await deriveKek(secret, Buffer.from(s.kdf.salt, 'base64'), s.kdf), s);
    if (key && !keys.some((k) => k.equals(key))) keys.push(key);
  }
  return keys;
}

/**
 * Every database key the user's password unwraps: one normally, two while a key rotation is
 * between its steps (the caller tries each on the database). Throws WrongSecretError if none.
 */
export async function unlockCandidatesWithPassword(kf: KeyFile, username: string, password: string): Promise<Buffer[]> {
  const owner = ownerId(kf.fileId, username);
  const keys = await unwrapAll(kf, kf.slots.filter((s): s is PassphraseSlot => s.type === 'user' && s.owner === owner), password);
  if (!keys.length) throw new WrongSecretError(reason('auth.wrongCredentials'));
  return keys;
}

/** Unwraps the database key with the user's password. Throws WrongSecretError. */
export async function unlockWithPassword(kf: KeyFile, username: string, password: string): Promise<Buffer> {
  return (await unlockCandidatesWithPassword(kf, username, password))[0]!;
}

/** Every database key the recovery passphrase unwraps (see `unlockCandidatesWithPassword`). */
export async function unlockCandidatesWithPassphrase(kf: KeyFile, passphrase: string): Promise<Buffer[]> {
  const keys = await unwrapAll(kf, kf.slots.filter((s): s is PassphraseSlot => s.type === 'recovery'), passphrase);
  if (!keys.length) throw new WrongSecretError(reason('auth.wrongPassphrase'));
  return keys;
}

/** Unwraps the database key with the recovery passphrase. Throws WrongSecretError. */
export async function unlockWithPassphrase(kf: KeyFile, passphrase: string): Promise<Buffer> {
  return (await unlockCandidatesWithPassphrase(kf, passphrase))[0]!;
}

/** True when the key file holds a slot of `username` for the database key `key`. */
export function hasUserSlot(kf: KeyFile, username: string, key: Buffer): boolean {
  const owner = ownerId(kf.fileId, username);
  const id = keyId(key);
  return kf.slots.some((s) => s.type === 'user' && s.owner === owner && s.keyId === id);
}

/** Returns a copy of the key file without any slot of `username` (a disabled account). */
export function withoutUserSlot(kf: KeyFile, username: string): KeyFile {
  const owner = ownerId(kf.fileId, username);
  return { ...kf, slots: kf.slots.filter((s) => !(s.type === 'user' && s.owner === owner)) };
}

/** Returns a copy of the key file whose recovery slot wraps `key` under `passphrase` (other recovery slots dropped). */
export async function withRecoverySlot(kf: KeyFile, key: Buffer, passphrase: string): Promise<KeyFile> {
  const slot = await passphraseSlot('recovery', passphrase, key);
  return { ...kf, slots: [slot, ...kf.slots.filter((s) => s.type !== 'recovery')] };
}

/**
 * Returns a copy of the key file that names `key` as current and drops the slots of any other key
 * (those left behind by a finished key rotation). Slots without a key id are kept.
 */
export function withCurrentKey(kf: KeyFile, key: Buffer): KeyFile {
  const id = keyId(key);
  return { ...kf, keyId: id, slots: kf.slots.filter((s) => !s.keyId || s.keyId === id) };
}

/** Wraps `key` for the recovery passphrase in a standalone slot (used by backups). */
export async function recoverySlotFor(key: Buffer, passphrase: string): Promise<KeySlot> {
  return passphraseSlot('recovery', passphrase, key);
}

/** Unwraps a standalone recovery slot with the passphrase. Throws WrongSecretError. */
export async function unwrapRecoverySlot(slot: KeySlot, passphrase: string): Promise<Buffer> {
  if (slot.type !== 'recovery') throw new WrongSecretError(reason('auth.wrongPassphrase'));
  const key = unwrap(await deriveKek(passphrase, Buffer.from(slot.kdf.salt, 'base64'), slot.kdf), slot);
  if (!key) throw new WrongSecretError(reason('auth.wrongPassphrase'));
  return key;
}

/** Every database key the OS keychain unwraps (empty when there is no usable keychain slot). */
export async function unlockCandidatesWithKeychain(kf: KeyFile, keychain: Keychain): Promise<Buffer[]> {
  const slots = currentFirst(kf, kf.slots.filter((s): s is KeychainSlot => s.type === 'keychain'));
  if (!slots.length || !(await keychain.isAvailable())) return [];
  const keys: Buffer[] = [];
  for (const slot of slots) {
    try {
      const key = await keychain.decrypt(Buffer.from(slot.blob, 'base64'));
      if (key.length === 32) keys.push(key);
    } catch {
      /* an unusable slot is skipped */
    }
  }
  return keys;
}

/** Unwraps the database key with the OS keychain, or null when there is no usable keychain slot. */
export async function unlockWithKeychain(kf: KeyFile, keychain: Keychain): Promise<Buffer | null> {
  return (await unlockCandidatesWithKeychain(kf, keychain))[0] ?? null;
}

/** Returns a copy of the key file with a (new) keychain slot for `key`, or the same file if no keychain. */
export async function withKeychainSlot(kf: KeyFile, key: Buffer, keychain: Keychain): Promise<KeyFile> {
  if (!(await keychain.isAvailable())) return kf;
  const blob = (await keychain.encrypt(key)).toString('base64');
  const id = keyId(key);
  return { ...kf, slots: [...kf.slots.filter((s) => s.type !== 'keychain' || (s.keyId && s.keyId !== id)), { type: 'keychain', keyId: id, blob }] };
}

/** Returns a copy of the key file with the user's slot (re)wrapped for `password`. */
export async function withUserSlot(kf: KeyFile, key: Buffer, username: string, password: string): Promise<KeyFile> {
  const owner = ownerId(kf.fileId, username);
  const slot = await passphraseSlot('user', password, key, owner);
  const id = keyId(key);
  // Only this key's slot of the user is replaced: during a rotation the old key's slot stays.
  return { ...kf, slots: [...kf.slots.filter((s) => !(s.type === 'user' && s.owner === owner && (!s.keyId || s.keyId === id))), slot] };
}

/**
 * A secret (a signing key's private half, for instance) wrapped like a key slot: AES-256-GCM under
 * a key derived from a password with Argon2id (ARGON2_PARAMS, a fresh 16-byte salt). JSON-safe.
 */
export interface PasswordWrapped extends WrappedKey {
  kdf: { alg: 'argon2id'; m: number; t: number; p: number; salt: string };
}

/** Wraps `secret` under `password` (Argon2id + AES-256-GCM, as a user's key slot). */
export async function wrapWithPassword(secret: Buffer, password: string): Promise<PasswordWrapped> {
  const salt = randomBytes(16);
  const kdf = { alg: 'argon2id' as const, m: ARGON2_PARAMS.memoryCost, t: ARGON2_PARAMS.timeCost, p: ARGON2_PARAMS.parallelism };
  const kek = await deriveKek(password, salt, kdf);
  return { kdf: { ...kdf, salt: salt.toString('base64') }, ...wrap(kek, secret) };
}

/** Unwraps what `wrapWithPassword` made; null when the password is wrong or the blob damaged. */
export async function unwrapWithPassword(w: PasswordWrapped, password: string): Promise<Buffer | null> {
  if (w.kdf?.alg !== 'argon2id' || typeof w.kdf.salt !== 'string') return null;
  return unwrap(await deriveKek(password, Buffer.from(w.kdf.salt, 'base64'), w.kdf), w);
}

/** 32 bytes derived from a passphrase and a salt with Argon2id (ARGON2_PARAMS): a deterministic seed. */
export function deriveSeed(passphrase: string, salt: Buffer): Promise<Buffer> {
  return deriveKek(passphrase, salt, { m: ARGON2_PARAMS.memoryCost, t: ARGON2_PARAMS.timeCost, p: ARGON2_PARAMS.parallelism });
}
