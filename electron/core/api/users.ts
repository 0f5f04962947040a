/**
 * User administration on an unlocked desk: passwords (with their key slots), accounts, roles,
 * disabling and enabling. Each change re-wraps or removes exactly one key slot and appends one
 * audit row; live sessions follow role changes and end when an account is disabled or reset.
 *
 * Signing keys (signing.ts): an account gets its key pair when it is created (wrapped under the
 * password the admin gives), a new one when an admin resets its password or enables it, or when
 * recovery gives an admin a new password; its own password change re-wraps the same key. The audit
 * row of each such change carries the new public key (`signingKey`) and is signed by the admin
 * (recovery: by the new key, vouched for by the recovery key), which is what enrols it.
 */
import type { KeyObject } from 'node:crypto';
import type { UserAccountView } from '../../../shared/contract';
import { reason } from '../../../shared/reasons';
import { accountView, assertAdminRemains, enforcePasswordPolicy, getUser, getUserByName, hashPassword, passwordMatches, rolesOf, type UserRow } from '../accounts';
import { appendAudit, signedAccounts, signingStarted } from '../audit';
import type { DB } from '../db/database';
import { ownerId, readKeyFile, withoutUserSlot, withUserSlot, writeKeyFile } from '../db/keyslots';
import { AuthError, BadInputError, ConflictError, NotFoundError } from '../errors';
import {
  fingerprint, forgetSigner, newSigningKey, publicKeyOf, recoveryKey, recoveryMessage, registerSigner, signerOf, signersOf, signText,
  unwrapSigningKey, wrapSigningKey,
} from '../signing';
import type { LockoutStore } from '../lockout';
import type { TrustWalk } from '../signing';
import { CENTRAL_SETTINGS } from '../central/desk-config';
import { isAccountRevoked, isCentralAccount } from '../central/accounts';
import type { Session } from './engine';
import { ROLES, type Role } from './permissions';

/** The open desk as user administration sees it (Engine.desk()). */
export interface UnlockedDesk {
  db: DB;
  /** The database key, to wrap new slots. */
  key: Buffer;
  dbPath: string;
  now: () => Date;
  lockout: LockoutStore;
  /** Live sessions by token: re-roled or ended by changes to their account. */
  sessions: Map<string, Session>;
}

/** Changes the signed-in user's own password and re-wraps their key slot. */
export async function changePassword(desk: UnlockedDesk, session: Session, currentPassword: string, newPassword: string): Promise<void> {
const { db } = desk;
  const u = getUser(db, session.user.id);
  // bad_input, not unauthenticated: the session is fine, only the re-typed password is wrong.
  if (!u || !(await passwordMatches(u.password_hash, currentPassword))) throw new BadInputError(reason('account.currentPasswordWrong'));
await setPassword(desk, u, newPassword, session.user.id, 'self');
}

/**
 * Sets a user's password: hash, key slot, signing key and audit row. Not for disabled accounts
 * (they have no slot), nor for an account the department provisioned (ConflictError
 * `central.accountManagedCentrally`: its password is set at the centre). `by` 'self' re-wraps the account's signing key (held in memory since its
 * sign-in); 'admin' and 'recovery' give it a new one (the old password, hence the old key, is
 * unknown), enrolled by the audit row: an admin signs it, or for 'recovery' the new key does and
 * the recovery key derived from `recoveryPassphrase` vouches for it.
 */
export async function setPassword(
  desk: UnlockedDesk, u: UserRow, password: string, actorId: string, by: 'self' | 'admin' | 'recovery', recoveryPassphrase?: string,
): Promise<void> {
  // An account the department provisioned gets its password from the centre only (a reset there gives it a new key).
  if (isCentralAccount(desk.db, u.id)) throw new ConflictError(reason('central.accountManagedCentrally'));
enforcePasswordPolicy(password, u.username);
const { db, key } = desk;
  const hash = await hashPassword(password);
  const kf = await withUserSlot(readKeyFile(desk.dbPath), key, u.username, password);
  const signing = await passwordSigning(desk, u, password, by, recoveryPassphrase);
  writeKeyFile(desk.dbPath, kf);
  const now = desk.now().toISOString();
  db.transaction(() => {
    db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?').run(hash, now, now, u.id);
    if (signing) storeSigningKey(db, u.id, signing);
    // Recovery: the row is signed by the new key itself (the old one is lost with the password).
    if (signing && by === 'recovery') registerSigner(desk.dbPath, u.id, signing.key);
    appendAudit(db, { actorId, action: 'user.password', subject: u.id, details: { by, ...signing?.details } }, desk.now());
  })();
  // A reset: the old key is revoked from the next row on; the new one is held only if its owner is the one signed in.
  if (signing && by === 'admin') {
    if (u.id === actorId) registerSigner(desk.dbPath, u.id, signing.key);
    else forgetSigner(desk.dbPath, u.id);
  }
  desk.lockout.clear(ownerId(kf.fileId, u.username));
}

/** A signing key ready to store: the private key, its public half and its wrapped form, and what its audit row records. */
interface NewSigning {
  key: KeyObject;
  publicKey: string;
  wrapped: string;
  details: { signingKey?: string; recoveryProof?: string };
}

async function newSigning(password: string, key = newSigningKey()): Promise<NewSigning> {
  const publicKey = publicKeyOf(key);
  return { key, publicKey, wrapped: await wrapSigningKey(key, password), details: { signingKey: publicKey } };
}

function storeSigningKey(db: DB, userId: string, s: NewSigning): void {
  db.prepare('UPDATE users SET signing_key = ?, signing_wrapped = ? WHERE id = ?').run(s.publicKey, s.wrapped, userId);
}

/** What a password change does to the signing key (see setPassword); null on a desk that does not sign yet, or for an account without a key. */
async function passwordSigning(desk: UnlockedDesk, u: UserRow, password: string, by: 'self' | 'admin' | 'recovery', recoveryPassphrase?: string): Promise<NewSigning | null> {
  if (!signingStarted(desk.db)) return null;
  if (by === 'self') {
    const held = signerOf(desk.dbPath, u.id);
    if (!held) return null;
    const s = await newSigning(password, held.key);
    return { ...s, details: {} };
  }
  const s = await newSigning(password);
  if (by === 'recovery' && recoveryPassphrase !== undefined) {
    const walk = signedAccounts(desk.db);
    if (walk.recoveryKey && walk.recoverySalt) {
      const rk = await recoveryKey(recoveryPassphrase, walk.recoverySalt);
      if (publicKeyOf(rk) === walk.recoveryKey) s.details.recoveryProof = signText(rk, recoveryMessage(u.id, s.publicKey));
    }
  }
  return s;
}

/**
 * The setup admin's signing key, the desk's root of trust, and the recovery key derived from the
 * recovery passphrase: what `Engine.setup` stores and records in the setup row (public halves only).
 */
export async function setupSigning(password: string, recoveryPassphrase: string): Promise<NewSigning & { details: Record<string, string> }> {
  const s = await newSigning(password);
  const recoverySalt = randomBase64(16);
  const rk = await recoveryKey(recoveryPassphrase, recoverySalt);
  return { ...s, details: { signingKey: s.publicKey, recoveryKey: publicKeyOf(rk), recoverySalt } };
}

function randomBase64(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64');
}

/** Stores the setup admin's signing key and holds it for the session (call in the setup transaction, before its audit row). */
export function storeSetupSigning(desk: { db: DB; dbPath: string }, userId: string, s: NewSigning): void {
  storeSigningKey(desk.db, userId, s);
  registerSigner(desk.dbPath, userId, s.key);
}

/**
 * The signing side of a sign-in whose password was just checked; returns the roles the session
 * gets: those the signed rows grant, never more, whatever the `users` table says (extra roles there
 * are refused and the refusal audited). On a desk that does not sign yet (migrated), an admin's
 * sign-in starts signing: their new key becomes the root and a `signing.started` row records the
 * accounts and roles as they are (sessions of other accounts then end, to sign in again with keys);
 * other accounts go on unsigned until then. An account from before signing gets its key at its
 * first sign-in after (`user.keyEnrolled`). Otherwise the account's key is unwrapped with the
 * password and held for its rows. Throws AuthError `signing.notGranted` for an account no signed
 * row created or one the signed rows disabled, `signing.keyMismatch` when the stored key is not the
 * one the trail enrolled (each refusal leaves an unsigned `auth.refusedUntrusted` row). `known`: the
 * trail's walk when the caller already made it (signedAccounts).
 */
export async function signInSigning(desk: UnlockedDesk, u: UserRow, password: string, known?: TrustWalk): Promise<Role[]> {
  const { db } = desk;
  const tableRoles = rolesOf(u);
  const walk = known ?? signedAccounts(db);
  const refuse = (why: 'signing.notGranted' | 'signing.keyMismatch'): never => {
    appendAudit(db, { actorId: null, action: 'auth.refusedUntrusted', subject: u.id, details: { reason: why } }, desk.now());
    throw new AuthError(reason(why));
  };
  if (walk.startSeq === null) {
    if (!tableRoles.includes('admin')) return tableRoles;
    const s = await newSigning(password);
    const roster = (db.prepare('SELECT id, roles, disabled FROM users ORDER BY created_at, id').all() as Pick<UserRow, 'id' | 'roles' | 'disabled'>[])
      .map((r) => ({ id: r.id, roles: rolesOf(r as UserRow), disabled: Boolean(r.disabled) }));
    db.transaction(() => {
      storeSigningKey(db, u.id, s);
      registerSigner(desk.dbPath, u.id, s.key);
      appendAudit(db, { actorId: u.id, action: 'signing.started', subject: u.id, details: { signingKey: s.publicKey, roster } }, desk.now());
    })();
    const held = new Set(signersOf(desk.dbPath).map((x) => x.userId));
    for (const sess of desk.sessions.values()) if (!held.has(sess.user.id)) desk.sessions.delete(sess.token);
    return tableRoles;
  }
  const a = walk.accounts.get(u.id);
  if (!a || a.disabled) return refuse('signing.notGranted');
  if (a.key === null) {
    const s = await newSigning(password);
    db.transaction(() => {
      storeSigningKey(db, u.id, s);
      registerSigner(desk.dbPath, u.id, s.key);
      appendAudit(db, { actorId: u.id, action: 'user.keyEnrolled', subject: u.id, details: { signingKey: s.publicKey } }, desk.now());
    })();
  } else {
    const key = u.signing_wrapped ? await unwrapSigningKey(u.signing_wrapped, password) : null;
    if (!key || fingerprint(publicKeyOf(key)) !== a.key) return refuse('signing.keyMismatch');
    registerSigner(desk.dbPath, u.id, key);
  }
  const refused = tableRoles.filter((r) => !a.roles.includes(r));
  if (refused.length) appendAudit(db, { actorId: u.id, action: 'auth.rolesRefused', subject: u.id, details: { roles: refused } }, desk.now());
  return ROLES.filter((r) => a.roles.includes(r));
}

/**
 * False when `userId` is an account the department provisioned (its signed `central.account` rows,
 * signing.ts TrustWalk) whose grant leaves out this desk's checkpoint: the one of the admin-signed
 * `central.join` row the walk took (TrustWalk.departmentCheckpoint), not the settings, which anyone
 * holding the database key can edit. A desk no longer joined (no `central.deskId` setting) signs in
 * no department account, not even one of every checkpoint. True for every other account.
 * Engine.signIn and four-eyes approvals (watchlists/four-eyes.ts) refuse with `central.accountNotHere` when false.
 */
export function departmentAccountHere(db: DB, walk: TrustWalk, userId: string): boolean {
  const grant = walk.accounts.get(userId)?.department;
  if (!grant) return true;
  const joined = db.prepare('SELECT 1 FROM settings WHERE key = ?').get(CENTRAL_SETTINGS.deskId) !== undefined;
  if (!joined) return false;
  if (grant.checkpoints === null) return true;
  const here = walk.departmentCheckpoint;
  return here !== null && grant.checkpoints.includes(here);
}

/** Every account, for the admin screen, each department account with where it stands at this desk. */
export function listUsers(desk: UnlockedDesk): UserAccountView[] {
  const { db } = desk;
  const kf = readKeyFile(desk.dbPath);
  const rows = db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[];
  const walk = rows.some((u) => isCentralAccount(db, u.id)) ? signedAccounts(db) : null;
  const department = (u: UserRow): UserAccountView['department'] => {
    if (!walk || !isCentralAccount(db, u.id)) return null;
    if (isAccountRevoked(db, u.username)) return 'revoked';
    return departmentAccountHere(db, walk, u.id) ? 'here' : 'elsewhere';
  };
  return rows.map((u) => accountView(u, kf, desk.key, desk.lockout.lockedUntil(ownerId(kf.fileId, u.username), desk.now()), department(u)));
}

function userView(desk: UnlockedDesk, id: string): UserAccountView {
const v = listUsers(desk).find((u) => u.id === id);
  if (!v) throw new NotFoundError(reason('account.notFound'));
  return v;
}

/** Creates an account with its roles and its key slot. */
export async function createUser(desk: UnlockedDesk, actorId: string, p: { username: string; password: string; roles: Role[] }): Promise<UserAccountView> {
const { db } = desk;
  if (getUserByName(db, p.username)) throw new ConflictError(reason('account.usernameTaken'));
  enforcePasswordPolicy(p.password, p.username);
  const roles = ROLES.filter((r) => p.roles.includes(r));
  const hash = await hashPassword(p.password);
  const kf = await withUserSlot(readKeyFile(desk.dbPath), desk.key, p.username, p.password);
  const signing = signingStarted(db) ? await newSigning(p.password) : null;
  if (getUserByName(db, p.username)) throw new ConflictError(reason('account.usernameTaken'));
  const id = crypto.randomUUID();
  const now = desk.now().toISOString();
  // The slot first: a crash in between leaves an unused slot, never an account that cannot unlock.
  writeKeyFile(desk.dbPath, kf);
  db.transaction(() => {
    db.prepare('INSERT INTO users (id, username, password_hash, roles, created_at, password_changed_at, updated_at) VALUES (?,?,?,?,?,?,?)').run(
      id, p.username, hash, JSON.stringify(roles), now, now, now,
    );
    if (signing) storeSigningKey(db, id, signing);
    appendAudit(db, { actorId, action: 'user.create', subject: id, details: { roles, ...signing?.details } }, desk.now());
  })();
  return userView(desk, id);
}

/** Changes roles, disables (removing the key slot and ending the sessions) or enables (with a new password). */
export async function updateUser(desk: UnlockedDesk, actorId: string, p: { userId: string; roles?: Role[]; disabled?: boolean; password?: string }): Promise<UserAccountView> {
const { db } = desk;
  const u = getUser(db, p.userId);
  if (!u) throw new NotFoundError(reason('account.notFound'));
  // Roles, disabling and enabling of an account the department provisioned are the centre's (central/accounts.ts).
  if (isCentralAccount(db, u.id)) throw new ConflictError(reason('central.accountManagedCentrally'));
  const roles = p.roles ? ROLES.filter((r) => p.roles!.includes(r)) : rolesOf(u);
  const disabled = p.disabled ?? Boolean(u.disabled);
  if (disabled && p.userId === actorId) throw new ConflictError(reason('account.disableSelf'));
  assertAdminRemains(db, u.id, { roles, disabled });
  const enabling = Boolean(u.disabled) && !disabled;
  if (enabling && !p.password) throw new BadInputError(reason('account.enableNeedsPassword'));
  if (p.password && !enabling) throw new BadInputError(reason('account.useResetPassword'));
  if (enabling) enforcePasswordPolicy(p.password!, u.username);
  let kf = readKeyFile(desk.dbPath);
  if (disabled && !u.disabled) kf = withoutUserSlot(kf, u.username);
  if (enabling) kf = await withUserSlot(kf, desk.key, u.username, p.password!);
  const hash = enabling ? await hashPassword(p.password!) : u.password_hash;
  const signing = enabling && signingStarted(db) ? await newSigning(p.password!) : null;
  if (disabled !== Boolean(u.disabled)) writeKeyFile(desk.dbPath, kf);
  const now = desk.now().toISOString();
  db.transaction(() => {
    db.prepare('UPDATE users SET roles = ?, disabled = ?, password_hash = ?, updated_at = ?, password_changed_at = coalesce(?, password_changed_at) WHERE id = ?').run(
      JSON.stringify(roles), disabled ? 1 : 0, hash, now, enabling ? now : null, u.id,
    );
    if (signing) storeSigningKey(db, u.id, signing);
    appendAudit(db, {
      actorId, action: 'user.update', subject: u.id,
      details: { roles, disabled, rolesChanged: p.roles !== undefined, enabled: enabling, ...signing?.details },
    }, desk.now());
  })();
  // Disabled: its key signs nothing from the next row on (the trail revokes it there); rows it signed before stay valid.
  if (disabled) forgetSigner(desk.dbPath, u.id);
  for (const s of desk.sessions.values()) {
    if (s.user.id !== u.id) continue;
    if (disabled) desk.sessions.delete(s.token);
    else s.user = { ...s.user, roles };
  }
  return userView(desk, u.id);
}

/** An admin sets a new password for an account (clears its lockout). */
export async function resetPassword(desk: UnlockedDesk, actorId: string, userId: string, password: string): Promise<UserAccountView> {
const u = getUser(desk.db, userId);
  if (!u) throw new NotFoundError(reason('account.notFound'));
  if (u.disabled) throw new ConflictError(reason('account.disabled'));
  await setPassword(desk, u, password, actorId, 'admin');
  // Whoever was signed in with the old password is signed out.
  for (const s of desk.sessions.values()) if (s.user.id === userId && s.user.id !== actorId) desk.sessions.delete(s.token);
  return userView(desk, userId);
}
