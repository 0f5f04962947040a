/**
 * Accounts the department revoked, on a desk (issue 16: "a departed user's account, desk
 * credentials and signing key are revoked at every desk by its next sync").
 *
 * The centre stores each revocation as a `wd.account_revocations` row (admin.ts revokeAccount)
 * carrying the department root key's signature over trust.ts accountRevocationMessage. A sync
 * reads them all; each whose signature the pinned root key verifies is kept in the desk's own
 * `central_account_revocations` (migration 0009) and is never deleted by a later pull: a
 * compromised centre can neither lock an account out with a row it forged nor lift a revocation
 * a desk has seen by dropping the row. Rows that do not verify are ignored (counted only).
 *
 * What a revocation does on the desk, from the sync that brings it:
 * - the sign-in (Engine.signIn) refuses the account (`central.accountRevoked`), audited and
 *   counted as for a disabled account (isAccountRevoked);
 * - the account's key slot is removed, as for a disabled account, so that its password no longer
 *   opens the database key even while the desk is locked;
 * - its open sessions end and its signing key is no longer held in memory (forgetSigner);
 * - one audit row `central.accountRevoked` (subject: the local account's id, if there is one).
 * No signed grant row (`user.update`) is written: the sync may run as an officer, whose signature
 * cannot disable an account in the trail (signing.ts TrustWalk). An admin can still disable the
 * account locally; the refusal at sign-in is the enforcement.
 *
 * The account's publisher keys are revoked at the centre in the same action (admin.ts
 * revokeAccount), and pull.ts refuses whatever they sign from then on.
 */
import type pg from 'pg';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { readKeyFile, withoutUserSlot, writeKeyFile } from '../db/keyslots';
import { forgetSigner } from '../signing';
import { isoInstant, verifyAccountRevocation, type AccountRevocationRow } from './trust';

/** A revocation this pull stored on the desk. */
export interface AppliedAccountRevocation {
  /** The username as the centre recorded it (the desk compares without regard to case). */
  username: string;
  /** ISO instant the department revoked it. */
  revokedAt: string;
  /** The local account of that name, or null when this desk has none. */
  userId: string | null;
}

/** What pullAccountRevocations did. */
export interface AccountPullResult {
  /** Revocations stored now (each audited once). */
  applied: AppliedAccountRevocation[];
  /** Rows at the centre whose root signature did not verify (ignored). */
  ignored: number;
  /**
   * True when the account the pull ran for (`actorId`) is among those revoked now: its signing key
   * is still held so that the caller's last audit rows of this sync are signed; the caller then
   * calls `release` (forgets the key and ends its sessions).
   */
  actorRevoked: boolean;
}

/** Options of pullAccountRevocations. */
export interface AccountPullOptions {
  /**
   * The desk's database path: with it, a revoked account's key slot is removed from `<db>.keys` and
   * its signing key forgotten. Without it (a bare database in tests) neither is done.
   */
  dbPath?: string;
  /** Ends the open sessions of a revoked local account (the engine's sessions). */
  endSessions?: (userId: string) => void;
}

/** True when the desk holds a verified revocation of `username` (compared without regard to case). */
export function isAccountRevoked(db: DB, username: string): boolean {
  return db.prepare('SELECT 1 FROM central_account_revocations WHERE username = ? LIMIT 1').get(username) !== undefined;
}

/** The revocations this desk holds, oldest first (username, revokedAt ISO, appliedAt ISO). */
export function localAccountRevocations(db: DB): { username: string; revokedAt: string; appliedAt: string }[] {
  return db.prepare('SELECT username, revoked_at AS revokedAt, applied_at AS appliedAt FROM central_account_revocations ORDER BY revoked_at, username')
    .all() as { username: string; revokedAt: string; appliedAt: string }[];
}

/**
 * Reads every `wd.account_revocations` row at the centre over `client` (the desk's own login),
 * keeps those the department root key `rootKey` (base64 raw 32 bytes, pinned at registration)
 * signed, stores the new ones in `central_account_revocations` with one audit row
 * `central.accountRevoked` each (by `actorId`; subject the local account's id or null; details:
 * the revocation instant only), in one local transaction; then, for each revoked local account,
 * removes its key slot, forgets its signing key and ends its sessions (opts). The account the pull
 * runs for keeps its key until the caller's `release` (see AccountPullResult.actorRevoked).
 * Nothing is ever deleted locally. Throws pg's error when the centre cannot be read (nothing is
 * stored then) and the database's own errors.
 */
export async function pullAccountRevocations(
  db: DB, client: pg.ClientBase, rootKey: string, actorId: string, now: Date, opts: AccountPullOptions = {},
): Promise<AccountPullResult> {
  const rows = (await client.query<AccountRevocationRow>('SELECT username, revoked_at, sig FROM wd.account_revocations ORDER BY revoked_at, username')).rows;
  const verified: { username: string; revokedAt: string; sig: string }[] = [];
  let ignored = 0;
  for (const r of rows) {
    if (!verifyAccountRevocation(rootKey, r)) {
      ignored++;
      continue;
    }
    verified.push({ username: r.username, revokedAt: isoInstant(r.revoked_at), sig: r.sig! });
  }
  const insert = db.prepare('INSERT OR IGNORE INTO central_account_revocations (username, revoked_at, sig, applied_at) VALUES (?, ?, ?, ?)');
  const userOf = db.prepare('SELECT id FROM users WHERE username = ?');
  const applied = db.transaction(() => {
    const out: AppliedAccountRevocation[] = [];
    for (const v of verified) {
      if (insert.run(v.username, v.revokedAt, v.sig, now.toISOString()).changes === 0) continue;
      const userId = (userOf.get(v.username) as { id: string } | undefined)?.id ?? null;
      appendAudit(db, { actorId, action: 'central.accountRevoked', subject: userId, details: { revokedAt: v.revokedAt } }, now);
      out.push({ username: v.username, revokedAt: v.revokedAt, userId });
    }
    return out;
  })();
  const revokedUsers = applied.filter((a) => a.userId !== null);
  if (opts.dbPath && revokedUsers.length) {
    const before = readKeyFile(opts.dbPath);
    let kf = before;
    for (const a of revokedUsers) kf = withoutUserSlot(kf, a.username);
    if (kf.slots.length !== before.slots.length) writeKeyFile(opts.dbPath, kf);
  }
  let actorRevoked = false;
  for (const a of revokedUsers) {
    if (a.userId === actorId) {
      actorRevoked = true;
      continue;
    }
    releaseAccount(a.userId!, opts);
  }
  return { applied, ignored, actorRevoked };
}

/**
 * Forgets a revoked account's signing key on the desk (when `opts.dbPath` is given) and ends its
 * sessions (`opts.endSessions`). The sync calls it for its own actor once its last row is written.
 */
export function releaseAccount(userId: string, opts: AccountPullOptions): void {
  if (opts.dbPath) forgetSigner(opts.dbPath, userId);
  opts.endSessions?.(userId);
}
