/**
 * Signing keys (DESIGN.md section 4, issue 15 item 13): each account holds an Ed25519 key pair
 * (`node:crypto`) whose private half is wrapped by a key derived from the account's password with
 * Argon2id, like its key slot (keyslots.ts `wrapWithPassword`). Every audit row is signed by the
 * key of the account that acted; the keys an account may sign with, and the roles it holds, come
 * only from signed rows of the trail itself (enrolment and grant rows signed by an admin), never
 * from the `users` table, which anyone holding the database key can edit.
 *
 * This module holds the primitives (keys, wrapping, fingerprints, the signed messages), the
 * in-memory signers of a desk (the private keys of the accounts signed in, by database path), and
 * `TrustWalk`, which replays the trail's rows in order and decides for each whether its signature
 * is one the desk trusts at that row. It does not read the database (audit.ts feeds it rows).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { accountRecordMessage, parseGrant } from './central/account-record';
import { deriveSeed, unwrapWithPassword, wrapWithPassword, type PasswordWrapped } from './db/keyslots';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A new random Ed25519 private key. */
export function newSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

/** The Ed25519 private key whose seed is these 32 bytes. */
export function keyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** The public half of a private key: the raw 32 bytes, base64 (as stored in the trail). */
export function publicKeyOf(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length).toString('base64');
}

/** Parsed public keys, by their base64 form: verifying a whole trail parses each key once (a desk has few). */
const publicKeys = new Map<string, KeyObject | null>();

function publicKeyObject(pub: string): KeyObject | null {
  const known = publicKeys.get(pub);
  if (known !== undefined) return known;
  const raw = Buffer.from(pub, 'base64');
  let k: KeyObject | null = null;
  if (raw.length === 32) {
    try {
      k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
    } catch {
      k = null;
    }
  }
  if (publicKeys.size < 10_000) publicKeys.set(pub, k);
  return k;
}

/**
 * A public key's fingerprint: the first 128 bits of SHA-256 over a label and the raw key, 32 hex
 * digits. It names the key in audit rows, the head file, exports and `keys list`; compare it by eye
 * or by machine with the one handed over on paper or by the department.
 */
export function fingerprint(pub: string): string {
  return createHash('sha256').update('watchdesk-signing-key\0').update(Buffer.from(pub, 'base64')).digest('hex').slice(0, 32);
}

/** The fingerprint in groups of four digits, for reading aloud or on paper. */
export function groupedFingerprint(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Signs `text` (UTF-8) with an Ed25519 private key; the signature in base64. */
export function signText(key: KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key).toString('base64');
}

/** True when `sig` (base64) is `pub`'s Ed25519 signature of `text`; false for any malformed input. */
export function verifyText(pub: string, text: string, sig: string): boolean {
  const k = publicKeyObject(pub);
  if (!k) return false;
  try {
    return verify(null, Buffer.from(text, 'utf8'), k, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** What an audit row's signature covers: its hash (which covers its content and the previous row's hash). */
export function rowMessage(hash: string): string {
  return `watchdesk-audit-row\0${hash}`;
}

/** What an account signs when it attests the chain head it saw (the head file). */
export function headMessage(seq: number, hash: string): string {
  return `watchdesk-audit-head\0${seq}\0${hash}`;
}

/** What the recovery key signs when the recovery passphrase gives an admin a new signing key. */
export function recoveryMessage(userId: string, pub: string): string {
  return `watchdesk-recovery\0${userId}\0${pub}`;
}

/** Wraps a private key's 32-byte seed under `password`; the JSON stored in `users.signing_wrapped`. */
export async function wrapSigningKey(key: KeyObject, password: string): Promise<string> {
  const seed = key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519.length);
  return JSON.stringify(await wrapWithPassword(Buffer.from(seed), password));
}

/** Unwraps `users.signing_wrapped` with the account's password; null when it does not open (wrong password, damaged). */
export async function unwrapSigningKey(stored: string, password: string): Promise<KeyObject | null> {
  let w: PasswordWrapped;
  try {
    w = JSON.parse(stored) as PasswordWrapped;
  } catch {
    return null;
  }
  const seed = await unwrapWithPassword(w, password).catch(() => null);
  return seed?.length === 32 ? keyFromSeed(seed) : null;
}

/**
 * The desk's recovery signing key: derived from the recovery passphrase and a salt recorded in the
 * setup row (Argon2id), so it exists only where the passphrase is typed. Its public half is in the
 * setup row, signed by the setup admin; it vouches for the new key an admin gets by recovery.
 */
export async function recoveryKey(passphrase: string, saltBase64: string): Promise<KeyObject> {
  return keyFromSeed(await deriveSeed(passphrase, Buffer.from(saltBase64, 'base64')));
}

// ---------------------------------------------------------------------------------------------
// Signers in memory: the private keys of the accounts signed in, by database path.

/** An account's private signing key while the desk is unlocked. */
export interface Signer {
  userId: string;
  key: KeyObject;
  /** Fingerprint of its public half. */
  fingerprint: string;
}

const signers = new Map<string, Map<string, Signer>>();

/**
 * Keeps `userId`'s private key in memory for the desk at `dbPath`: appendAudit signs that account's
 * rows with it until forgetSigner/forgetSigners (account disabled or reset, desk closed). It stays
 * after sign-out so that rows of work the account started (a background import) are still signed.
 */
export function registerSigner(dbPath: string, userId: string, key: KeyObject): Signer {
  const s = { userId, key, fingerprint: fingerprint(publicKeyOf(key)) };
  let m = signers.get(dbPath);
  if (!m) signers.set(dbPath, (m = new Map<string, Signer>()));
  m.set(userId, s);
  return s;
}

/** The private key held for `userId` on the desk at `dbPath`, if any. */
export function signerOf(dbPath: string, userId: string): Signer | undefined {
  return signers.get(dbPath)?.get(userId);
}

/** Every private key held for the desk at `dbPath`. */
export function signersOf(dbPath: string): Signer[] {
  return [...(signers.get(dbPath)?.values() ?? [])];
}

/** Drops `userId`'s key from memory (disabled, or its key replaced by a reset). */
export function forgetSigner(dbPath: string, userId: string): void {
  signers.get(dbPath)?.delete(userId);
}

/** Drops every key held for the desk at `dbPath` (the desk is closed). */
export function forgetSigners(dbPath: string): void {
  signers.delete(dbPath);
}

// ---------------------------------------------------------------------------------------------
// The trust walk.

/**
 * Rows that change who may sign or what an account may do: they must be signed, by an admin unless
 * self-enrolling; `central.join` (an admin joining the desk to a department, which pins the
 * department root's fingerprint) and `central.account` (an account record the department root
 * signed, brought by a sync and signed by whoever ran it) too, with their own rules (TrustWalk).
 */
export const GRANT_ACTIONS = ['setup', 'signing.started', 'user.create', 'user.update', 'user.password', 'user.keyEnrolled', 'central.join', 'central.account'] as const;
const GRANTS = new Set<string>(GRANT_ACTIONS);

/**
 * Rows the desk writes for an account that is not signed in (or for nobody), so that they cannot
 * be signed: failed and refused sign-ins and approvals, lockouts, uses of the recovery passphrase,
 * a tail found missing. They are chained like every row but prove nothing about who acted; rows
 * with no actor at all are treated the same way. Any other unsigned row after signing started fails.
 */
export const UNSIGNED_ACTIONS: ReadonlySet<string> = new Set([
  'auth.fail', 'auth.lockout', 'auth.refusedLocked', 'approval.fail', 'approval.refusedLocked', 'audit.tailMissing',
  'recovery.failed', 'recovery.locked', 'recovery.refusedLocked', 'recovery.used',
]);

/** An audit row as the trust walk sees it (its hash already checked against its content). */
export interface WalkRow {
  seq: number;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: string;
  hash: string;
  signer: string | null;
  sig: string | null;
}

/** A signing key the trail has enrolled. `until` is the first row it may no longer sign (exclusive), null while valid. */
export interface KeyRecord {
  userId: string;
  publicKey: string;
  fingerprint: string;
  /** The row that enrolled it. */
  enrolledAt: number;
  until: number | null;
  /**
   * How it was enrolled: the desk's root, by an admin, by the account itself (legacy), by the
   * recovery passphrase, or by an account record of the department (central.account).
   */
  how: 'root' | 'admin' | 'legacy' | 'recovery' | 'department';
}

/** An account as the signed rows define it. */
export interface SignedAccount {
  roles: string[];
  disabled: boolean;
  /** Fingerprint of its current key; null for an account from before signing that has not signed in since. */
  key: string | null;
  /**
   * For an account the department provisioned (central.account): the checkpoint ids it may sign in
   * at (null: every one) and its record's seq. Absent for the desk's own accounts.
   */
  department?: { checkpoints: string[] | null; seq: number };
}

interface Details {
  signingKey?: string;
  roles?: string[];
  disabled?: boolean;
  enabled?: boolean;
  by?: string;
  recoveryKey?: string;
  recoverySalt?: string;
  recoveryProof?: string;
  roster?: { id: string; roles: string[]; disabled: boolean }[];
  /** central.join: the department root key's fingerprint, and the checkpoint id the desk joined at. */
  rootFingerprint?: string;
  checkpointId?: string;
  /** central.account: the grant, its credentials' digest, the root's signature, the root public key. */
  grant?: unknown;
  credDigest?: string;
  rootSig?: string;
  departmentKey?: string;
}

/**
 * Replays the trail in order and checks each row's signature against the keys and roles the rows
 * before it established. `step` returns null for a row that holds, or why it does not (the walk
 * then ignores the row's effects, so a forged grant grants nothing). Rows before signing started
 * (no `setup` row with a key, no `signing.started` yet) are legacy rows, counted and not checked.
 */
export class TrustWalk {
  /** Seq of the row where signing started (the setup row, or `signing.started` for a migrated desk). */
  startSeq: number | null = null;
  /** Fingerprint of the desk's root key (the setup admin's, or the admin who started signing). */
  root: string | null = null;
  /** Fingerprint of the department root key the desk joined (the last `central.join` by an enabled admin), null before. */
  departmentRoot: string | null = null;
  /** The checkpoint id the desk joined at (details of that same `central.join`), null before: where department accounts sign in. */
  departmentCheckpoint: string | null = null;
  /** Public recovery key from the setup row, when the desk has one. */
  recoveryKey: string | null = null;
  recoverySalt: string | null = null;
  readonly keys = new Map<string, KeyRecord>();
  readonly accounts = new Map<string, SignedAccount>();
  legacyRows = 0;
  unsignedRows = 0;
  signedRows = 0;
  /** Findings that do not break the trail (a recovery no recovery key could vouch for). */
  readonly warnings: string[] = [];

  /** Checks one row (rows in seq order; its hash already matches its content). */
  step(r: WalkRow): string | null {
    let d: Details;
    try {
      d = JSON.parse(r.details) as Details;
    } catch {
      d = {};
    }
    if (this.startSeq === null) {
      const starts = (r.action === 'setup' && typeof d.signingKey === 'string') || r.action === 'signing.started';
      if (!starts) {
        if (r.sig !== null) return 'it is signed, but signing had not started yet';
        this.legacyRows++;
        return null;
      }
    }
    if (r.sig === null || r.signer === null) {
      if (GRANTS.has(r.action)) return 'a user change that is not signed';
      if (r.actor_id !== null && !UNSIGNED_ACTIONS.has(r.action)) return 'it is not signed by the account that acted';
      this.unsignedRows++;
      return null;
    }
    const why = this.signed(r, d);
    if (!why) this.signedRows++;
    return why;
  }

  private signed(r: WalkRow, d: Details): string | null {
    const newKey = typeof d.signingKey === 'string' ? d.signingKey : null;
    const selfEnrolling = r.action === 'setup' || r.action === 'signing.started' || r.action === 'user.keyEnrolled'
      || (r.action === 'user.password' && d.by === 'recovery');
    if (selfEnrolling) {
      if (!newKey || fingerprint(newKey) !== r.signer) return 'it enrols a key but is not signed by that key';
      if (!verifyText(newKey, rowMessage(r.hash), r.sig!)) return 'its signature does not verify';
      if (!r.actor_id || r.actor_id !== r.subject) return 'a key enrolled for another account';
      return this.selfEnrol(r, d, newKey);
    }
    const k = this.keys.get(r.signer!);
    if (!k) return 'it is signed by a key this desk does not trust';
    if (k.userId !== r.actor_id) return "it is signed by another account's key";
    if (k.until !== null && r.seq >= k.until) return `it is signed by a key revoked at row ${k.until - 1}`;
    if (!verifyText(k.publicKey, rowMessage(r.hash), r.sig!)) return 'its signature does not verify';
    if (r.action === 'central.join') return this.join(r, d);
    if (r.action === 'central.account') return this.departmentRecord(r, d);
    if (!GRANTS.has(r.action)) return null;
    return this.grant(r, d, newKey);
  }

  private selfEnrol(r: WalkRow, d: Details, pub: string): string | null {
    const id = r.actor_id!;
    if (r.action === 'setup' || r.action === 'signing.started') {
      if (this.startSeq !== null) return 'a second root key';
      this.startSeq = r.seq;
      this.root = fingerprint(pub);
      if (typeof d.recoveryKey === 'string' && typeof d.recoverySalt === 'string') {
        this.recoveryKey = d.recoveryKey;
        this.recoverySalt = d.recoverySalt;
      }
      if (r.action === 'setup') this.accounts.set(id, { roles: [...(d.roles ?? [])], disabled: false, key: null });
      else for (const a of d.roster ?? []) this.accounts.set(a.id, { roles: [...a.roles], disabled: a.disabled, key: null });
      const me = this.accounts.get(id);
      if (!me || me.disabled || !me.roles.includes('admin')) return 'the root key is not an enabled admin';
      this.enrol(id, pub, r.seq, r.seq, 'root');
      return null;
    }
    const a = this.accounts.get(id);
    if (!a || a.disabled) return 'a key enrolled for an account that is unknown or disabled';
    if (r.action === 'user.keyEnrolled') {
      if (a.key !== null) return 'an account from before signing enrolled a second key by itself';
      this.enrol(id, pub, r.seq, r.seq, 'legacy');
      return null;
    }
    // user.password by recovery: the recovery key vouches for the new key.
    if (a.department) return 'a change to an account the department manages';
    if (!a.roles.includes('admin')) return 'a recovery for an account that is not an admin';
    if (this.recoveryKey) {
      if (typeof d.recoveryProof !== 'string' || !verifyText(this.recoveryKey, recoveryMessage(id, pub), d.recoveryProof)) {
        return 'a key enrolled by recovery without the recovery key';
      }
    } else {
      this.warnings.push(`row ${r.seq}: a key enrolled by recovery on a desk without a recovery key; nothing vouches for it but the admin's word`);
    }
    this.enrol(id, pub, r.seq, r.seq, 'recovery');
    return null;
  }

  private grant(r: WalkRow, d: Details, newKey: string | null): string | null {
    const actor = this.accounts.get(r.actor_id!);
    const isAdmin = Boolean(actor && !actor.disabled && actor.roles.includes('admin'));
    const subject = r.subject ?? '';
    if (r.action === 'user.password' && d.by === 'self') {
      if (r.actor_id !== subject) return "a password change for another account";
      return newKey ? 'a password change that replaces its own key' : null;
    }
    if (!isAdmin) return 'a user change not signed by an admin';
    const target = this.accounts.get(subject);
    if (r.action === 'user.create') {
      if (target) return 'an account created twice';
      if (!newKey) return 'an account created without a key';
      this.accounts.set(subject, { roles: [...(d.roles ?? [])], disabled: false, key: null });
      this.enrol(subject, newKey, r.seq + 1, r.seq, 'admin');
      return null;
    }
    if (!target) return 'a change to an account no signed row created';
    // An account the department provisioned changes only by the department's records.
    if (target.department) return 'a change to an account the department manages';
    if (r.action === 'user.update') {
      target.roles = [...(d.roles ?? target.roles)];
      if (d.disabled === true && !target.disabled) this.revoke(subject, r.seq + 1);
      target.disabled = d.disabled ?? target.disabled;
      if (d.enabled) {
        if (!newKey) return 'an account enabled without a new key';
        this.enrol(subject, newKey, r.seq + 1, r.seq, 'admin');
      } else if (newKey) return 'a key given outside an enrolment';
      return null;
    }
    // user.password by an admin (a reset): a new key, the old one revoked after this row.
    if (!newKey) return 'a password reset without a new key';
    this.enrol(subject, newKey, r.seq + 1, r.seq, 'admin');
    return null;
  }

  /**
   * `central.join` signed by an enabled admin: pins the department root's fingerprint for the
   * `central.account` rows after it. Signed by anyone else, it pins nothing (the row itself holds).
   */
  private join(r: WalkRow, d: Details): string | null {
    const actor = this.accounts.get(r.actor_id!);
    if (actor && !actor.disabled && actor.roles.includes('admin') && typeof d.rootFingerprint === 'string') {
      this.departmentRoot = d.rootFingerprint;
      this.departmentCheckpoint = typeof d.checkpointId === 'string' ? d.checkpointId : null;
    }
    return null;
  }

  /**
   * `central.account` (its own signature already checked, by whichever trusted account ran the
   * sync): an account record whose authority is the department. It holds when the department key it
   * names is the one the desk joined (fingerprint pinned by `central.join`), the root signature
   * verifies over the grant and the credentials' digest, its seq is greater than the last seen for
   * the account, and the account is not one the desk created itself. Then the account gets the
   * grant's roles, disabled state and checkpoints, and its key (when it changed, or the account was
   * enabled again) is enrolled from the next row on, the previous one revoked there; disabling
   * revokes its key from the next row on.
   */
  private departmentRecord(r: WalkRow, d: Details): string | null {
    const grant = parseGrant(d.grant);
    if (!grant) return 'a department account record that is malformed';
    if (r.subject !== grant.id) return 'a department account record filed under another account';
    if (this.departmentRoot === null) return 'a department account record on a desk that joined no department';
    if (typeof d.departmentKey !== 'string' || fingerprint(d.departmentKey) !== this.departmentRoot) {
      return "a department account record that does not name the department root key this desk joined";
    }
    if (typeof d.credDigest !== 'string' || typeof d.rootSig !== 'string' || !verifyText(d.departmentKey, accountRecordMessage(grant, d.credDigest), d.rootSig)) {
      return "a department account record the department's root key did not sign";
    }
    const held = this.accounts.get(grant.id);
    if (held && !held.department) return 'a department account record for an account this desk created';
    if (held?.department && grant.seq <= held.department.seq) return 'a department account record not newer than the one before (a replay)';
    const a = held ?? { roles: [], disabled: false, key: null };
    if (grant.disabled && !a.disabled) this.revoke(grant.id, r.seq + 1);
    a.roles = [...grant.roles];
    a.disabled = grant.disabled;
    a.department = { checkpoints: grant.checkpoints === null ? null : [...grant.checkpoints], seq: grant.seq };
    this.accounts.set(grant.id, a);
    if (!grant.disabled) {
      const fp = fingerprint(grant.signingKey);
      const current = a.key ? this.keys.get(a.key) : undefined;
      if (a.key !== fp || !current || current.until !== null) this.enrol(grant.id, grant.signingKey, r.seq + 1, r.seq, 'department');
    }
    return null;
  }

  /** Enrols `pub` for `userId` from row `from` on, revoking the account's previous key at the same row. */
  private enrol(userId: string, pub: string, from: number, at: number, how: KeyRecord['how']): void {
    this.revoke(userId, from === at ? at : from);
    const fp = fingerprint(pub);
    this.keys.set(fp, { userId, publicKey: pub, fingerprint: fp, enrolledAt: at, until: null, how });
    const a = this.accounts.get(userId);
    if (a) a.key = fp;
  }

  private revoke(userId: string, until: number): void {
    const a = this.accounts.get(userId);
    const k = a?.key ? this.keys.get(a.key) : undefined;
    if (k && k.until === null) k.until = until;
  }
}
