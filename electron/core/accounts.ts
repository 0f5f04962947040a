/**
 * User accounts (DESIGN.md sections 2 and 4): roles, disabling, password changes. Each enabled
 * account has a key slot wrapping the database key under its password; a disabled account's slot
 * is removed, so its password no longer opens the database at all. Audit rows hold ids, never
 * usernames.
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { UserAccountView } from '../../shared/contract';
import { checkPassword, passwordReason } from '../../shared/passwords';
import { reason } from '../../shared/reasons';
import type { Role } from './api/permissions';
import type { DB } from './db/database';
import { ARGON2_PARAMS, hasUserSlot, type KeyFile } from './db/keyslots';
import { BadInputError, ConflictError } from './errors';

/** A row of the `users` table. */
export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  roles: string;
  disabled: number;
  created_at: string;
  password_changed_at: string | null;
  /** Public signing key (base64), a copy: the trusted one is enrolled by a signed audit row (signing.ts). */
  signing_key: string | null;
  /** The private signing key wrapped under the password (signing.ts wrapSigningKey); null until the account has one. */
  signing_wrapped: string | null;
}

/** Throws BadInputError with the policy's message when the password is not acceptable. */
export function enforcePasswordPolicy(password: string, username: string): void {
  const problem = checkPassword(password, username);
  if (problem) throw new BadInputError(passwordReason(problem));
}

/** The Argon2id hash stored for sign-in while the database is open. */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, { algorithm: 2, ...ARGON2_PARAMS });
}

/** True when `password` matches the stored Argon2id hash. */
export function passwordMatches(hash: string, password: string): Promise<boolean> {
  return argonVerify(hash, password).catch(() => false);
}

/** The account row with this id, if any. */
export function getUser(db: DB, id: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

/** The account row with this username (case-insensitive), if any. */
export function getUserByName(db: DB, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}

/** The roles an account holds (empty if the stored list is unreadable: deny by default). */
export function rolesOf(u: UserRow): Role[] {
  try {
    return JSON.parse(u.roles) as Role[];
  } catch {
    return [];
  }
}

/** The account as the admin screens show it; `department` as UserAccountView says (null for a desk account). */
export function accountView(u: UserRow, kf: KeyFile, key: Buffer, lockedUntil: string | null, department: UserAccountView['department'] = null): UserAccountView {
  return {
    id: u.id, username: u.username, roles: rolesOf(u), disabled: Boolean(u.disabled), createdAt: u.created_at,
    passwordChangedAt: u.password_changed_at, lockedUntil, hasKeySlot: !u.disabled && hasUserSlot(kf, u.username, key), department,
  };
}

/**
 * Refuses a change that would leave no enabled account holding the admin role (nobody could then
 * manage users, keys or backups). `change` is the target's state after the change.
 */
export function assertAdminRemains(db: DB, targetId: string, change: { roles: readonly string[]; disabled: boolean }): void {
  if (change.roles.includes('admin') && !change.disabled) return;
  const others = (db.prepare('SELECT id, roles, disabled FROM users WHERE id <> ?').all(targetId) as Pick<UserRow, 'id' | 'roles' | 'disabled'>[])
    .filter((u) => !u.disabled && (JSON.parse(u.roles) as string[]).includes('admin'));
  if (!others.length) throw new ConflictAdminError();
}

/** Thrown when a change would leave no enabled admin. */
export class ConflictAdminError extends ConflictError {
  constructor() {
    super(reason('account.lastAdmin'));
  }
}
