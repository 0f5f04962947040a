/**
 * User administration on an unlocked desk: passwords (with their key slots), accounts, roles,
 * disabling and enabling. Each change re-wraps or removes exactly one key slot and appends one
 * audit row; live sessions follow role changes and end when an account is disabled or reset.
 */
import type { UserAccountView } from '../../../shared/contract';
import { reason } from '../../../shared/reasons';
import { accountView, assertAdminRemains, enforcePasswordPolicy, getUser, getUserByName, hashPassword, passwordMatches, rolesOf, type UserRow } from '../accounts';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { ownerId, readKeyFile, withoutUserSlot, withUserSlot, writeKeyFile } from '../db/keyslots';
import { BadInputError, ConflictError, NotFoundError } from '../errors';
import type { LockoutStore } from '../lockout';
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

/** Sets a user's password: hash, key slot and audit row. Not for disabled accounts (they have no slot). */
export async function setPassword(desk: UnlockedDesk, u: UserRow, password: string, actorId: string, by: 'self' | 'admin' | 'recovery'): Promise<void> {
enforcePasswordPolicy(password, u.username);
const { db, key } = desk;
  const hash = await hashPassword(password);
  const kf = await withUserSlot(readKeyFile(desk.dbPath), key, u.username, password);
  writeKeyFile(desk.dbPath, kf);
  const now = desk.now().toISOString();
  db.transaction(() => {
    db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?').run(hash, now, now, u.id);
    appendAudit(db, { actorId, action: 'user.password', subject: u.id, details: { by } }, desk.now());
  })();
  desk.lockout.clear(ownerId(kf.fileId, u.username));
}

/** Every account, for the admin screen. */
export function listUsers(desk: UnlockedDesk): UserAccountView[] {
const { db } = desk;
  const kf = readKeyFile(desk.dbPath);
  const rows = db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[];
  return rows.map((u) => accountView(u, kf, desk.key, desk.lockout.lockedUntil(ownerId(kf.fileId, u.username), desk.now())));
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
  if (getUserByName(db, p.username)) throw new ConflictError(reason('account.usernameTaken'));
  const id = crypto.randomUUID();
  const now = desk.now().toISOString();
  // The slot first: a crash in between leaves an unused slot, never an account that cannot unlock.
  writeKeyFile(desk.dbPath, kf);
  db.transaction(() => {
    db.prepare('INSERT INTO users (id, username, password_hash, roles, created_at, password_changed_at, updated_at) VALUES (?,?,?,?,?,?,?)').run(
      id, p.username, hash, JSON.stringify(roles), now, now, now,
    );
    appendAudit(db, { actorId, action: 'user.create', subject: id, details: { roles } }, desk.now());
  })();
  return userView(desk, id);
}

/** Changes roles, disables (removing the key slot and ending the sessions) or enables (with a new password). */
export async function updateUser(desk: UnlockedDesk, actorId: string, p: { userId: string; roles?: Role[]; disabled?: boolean; password?: string }): Promise<UserAccountView> {
const { db } = desk;
  const u = getUser(db, p.userId);
  if (!u) throw new NotFoundError(reason('account.notFound'));
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
  if (disabled !== Boolean(u.disabled)) writeKeyFile(desk.dbPath, kf);
  const now = desk.now().toISOString();
  db.transaction(() => {
    db.prepare('UPDATE users SET roles = ?, disabled = ?, password_hash = ?, updated_at = ?, password_changed_at = coalesce(?, password_changed_at) WHERE id = ?').run(
      JSON.stringify(roles), disabled ? 1 : 0, hash, now, enabling ? now : null, u.id,
    );
    appendAudit(db, {
      actorId, action: 'user.update', subject: u.id,
      details: { roles, disabled, rolesChanged: p.roles !== undefined, enabled: enabling },
    }, desk.now());
  })();
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
