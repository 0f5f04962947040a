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
import {
  isoInstant, verifyAccountRevocation, verifyAccountRow, type AccountRecordRow, type AccountRevocationRow, type VerifiedAccountRecord,
} from './trust';

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

/**
 * True when the desk holds a verified revocation of `username` (compared without regard to case).
 * False on a database older than the revocations (a backup's copy without `central_account_revocations`).
 */
export function isAccountRevoked(db: DB, username: string): boolean {
  if (!hasTable(db, 'central_account_revocations')) return false;
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
  if (opts.dbPath) dropUserSlots(opts.dbPath, revokedUsers.map((a) => a.username));
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

// ---------------------------------------------------------------------------------------------
// Accounts the department provisioned (issue 16: "Accounts and roles are provisioned at the centre
// and reach every desk; an officer can move between checkpoints").
//
// The centre keeps one root-signed record per account (`wd.accounts`, admin.ts createAccount /
// updateAccount). A sync reads them all, keeps those the pinned root key signed (the grant and the
// digest recomputed from the credentials) and newer than what the desk holds (`central_accounts`,
// migration 0013), and applies them in one local transaction: the `users` row (id = the record's
// global id; its username, password hash, roles, disabled, signing key and wrapped private key),
// the `central_accounts` row, and one audit row `central.account` by the sync's account whose
// details are what the trust walk believes (signing.ts TrustWalk: grant, credDigest, rootSig and the
// department key; ids and roles only, never the username or a hash). The sign-in (Engine.signIn)
// then refuses the account at a desk whose checkpoint its grant leaves out (`central.accountNotHere`).
// The centre gives a desk the credentials (password hash, wrapped signing key) only of the accounts
// of its checkpoint or of every checkpoint (schema.ts M5, `wd.account_credentials`); the record of
// any other account verifies by the signed digest alone and is stored with an empty hash (it
// matches no password) and no wrapped key.
//
// A record whose username a local account (or another account) of this desk already holds is not
// applied: counted (`conflicting`) and audited once per account (`central.accountConflict`, the
// account id only). When a record takes an account away from this desk (its checkpoints leave this
// one out), disables it or gives it new credentials, the account's key slot here is removed (its
// old password no longer opens the database key, even while the desk is locked; the next sign-in on
// an unlocked desk makes a new slot), its signing key is forgotten and its sessions end; any other
// change to an account ends its sessions too (it signs in again with the roles now granted) but
// keeps its signing key held (its key was not revoked: background work it started goes on signed).

/** What the sync's account needs of a pull of account records. */
export interface AccountRecordOptions extends AccountPullOptions {
  /** The account the sync runs for: the `central.account` rows are its. */
  actorId: string;
  /** This desk's checkpoint id (desk-config.ts): an account whose grant leaves it out loses its slot here. */
  checkpointId: string;
  now: Date;
}

/** What pullAccountRecords (or applyAccountRecords) did. */
export interface AccountRecordsResult {
  /** Records applied now (each with its audit row). */
  provisioned: number;
  /** Records not applied because a local account of this desk holds the username (audited once per account). */
  conflicting: number;
  /** Of `conflicting`, the accounts whose conflict was audited now (seen for the first time): a standing conflict is no news. */
  newConflicts: number;
  /** Rows at the centre whose root signature did not verify, or malformed (ignored). */
  ignored: number;
  /**
   * The sync's own account's record, when it disables the account or replaces its key: applied by
   * the caller after its last row of the sync (applyAccountRecords), since the key that signs those
   * rows is revoked from that record on. Empty otherwise.
   */
  deferred: VerifiedAccountRecord[];
  /** True when a record applied now changed the sync's own account: the caller ends its sessions (it signs in again with the roles now granted). */
  actorChanged: boolean;
  /**
   * True when that record also revoked the key the account holds on this desk (disabled it, gave it
   * new credentials or took it away from this checkpoint): the caller releases it (releaseAccount).
   */
  actorKeyRevoked: boolean;
}

/**
 * True when the desk holds an account record of the department for `userId` (its `users` row is the
 * department's). False on a database older than the records (no `central_accounts` table: a backup's copy).
 */
export function isCentralAccount(db: DB, userId: string): boolean {
  if (!hasTable(db, 'central_accounts')) return false;
  return db.prepare('SELECT 1 FROM central_accounts WHERE id = ?').get(userId) !== undefined;
}

function hasTable(db: DB, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Reads every `wd.accounts` row at the centre over `client` (the desk's own login; credentials from
 * `wd.account_credentials` where the centre gives them), keeps those the
 * department root key `rootKey` signed (trust.ts verifyAccountRow) and newer than the desk's, and
 * applies them (applyAccountRecords) but for the sync's own account's record when it would revoke
 * the key signing this sync (returned as `deferred`). Throws pg's error when the centre cannot be
 * read (nothing is applied then) and the database's own errors.
 */
export async function pullAccountRecords(db: DB, client: pg.ClientBase, rootKey: string, opts: AccountRecordOptions): Promise<AccountRecordsResult> {
  // The grant of every record; the credentials only where the centre lets this desk read them (schema.ts M5).
  const rows = (await client.query<AccountRecordRow>(
    `SELECT a.id, a.username, a.seq, a.roles, a.checkpoints, a.disabled, a.signing_key, a.issued_at, a.root_sig, a.cred_digest,
       c.password_hash, c.signing_wrapped
     FROM wd.accounts a LEFT JOIN wd.account_credentials c ON c.id = a.id ORDER BY a.id`,
  )).rows;
  const held = new Map((db.prepare('SELECT id, seq FROM central_accounts').all() as { id: string; seq: number }[]).map((r) => [r.id, r.seq]));
  const keyOf = db.prepare('SELECT signing_key FROM users WHERE id = ?');
  const fresh: VerifiedAccountRecord[] = [];
  const deferred: VerifiedAccountRecord[] = [];
  let ignored = 0;
  for (const row of rows) {
    const seq = Number(row.seq);
    if (Number.isSafeInteger(seq) && seq <= (held.get(row.id) ?? 0)) continue;
    const rec = verifyAccountRow(rootKey, row);
    if (!rec) {
      ignored++;
      continue;
    }
    const mine = rec.grant.id === opts.actorId ? (keyOf.get(rec.grant.id) as { signing_key: string | null } | undefined) : undefined;
    if (mine && (rec.grant.disabled || mine.signing_key !== rec.grant.signingKey)) deferred.push(rec);
    else fresh.push(rec);
  }
  const done = applyAccountRecords(db, fresh, opts);
  return { ...done, ignored, deferred };
}

/**
 * Applies verified account records on the desk in one local transaction (see the section's
 * comment): skips a record not newer than the one held, counts and audits once a username held by
 * another account of this desk, and otherwise upserts `users` and `central_accounts` and appends a
 * `central.account` audit row by `opts.actorId`. Then removes the key slots of accounts taken away,
 * disabled or given new credentials (when `opts.dbPath` is given) and forgets their signing keys,
 * and ends the sessions of every account changed (not the sync's own: `actorChanged` and
 * `actorKeyRevoked`, for the caller).
 */
export function applyAccountRecords(db: DB, records: readonly VerifiedAccountRecord[], opts: AccountRecordOptions): Omit<AccountRecordsResult, 'ignored' | 'deferred'> {
  const heldOf = db.prepare('SELECT seq, cred_digest FROM central_accounts WHERE id = ?');
  const byName = db.prepare('SELECT id FROM users WHERE username = ?');
  const byId = db.prepare('SELECT id, username FROM users WHERE id = ?');
  const conflictNoted = db.prepare("SELECT 1 FROM audit WHERE action = 'central.accountConflict' AND subject = ? LIMIT 1");
  const upsertUser = db.prepare(`INSERT INTO users (id, username, password_hash, roles, disabled, created_at, password_changed_at, updated_at, signing_key, signing_wrapped)
    VALUES (@id, @username, @hash, @roles, @disabled, @now, @issuedAt, @now, @key, @wrapped)
    ON CONFLICT (id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash, roles = excluded.roles, disabled = excluded.disabled,
      password_changed_at = CASE WHEN users.password_hash IS excluded.password_hash THEN users.password_changed_at ELSE excluded.password_changed_at END,
      updated_at = excluded.updated_at, signing_key = excluded.signing_key, signing_wrapped = excluded.signing_wrapped`);
  const upsertRecord = db.prepare(`INSERT INTO central_accounts (id, seq, grant_json, root_sig, cred_digest, applied_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, grant_json = excluded.grant_json, root_sig = excluded.root_sig, cred_digest = excluded.cred_digest, applied_at = excluded.applied_at`);
  const rootKey = deskRootKey(db);
  const now = opts.now.toISOString();
  const { provisioned, conflicting, newConflicts, changed } = db.transaction(() => {
    let applied = 0;
    let conflicts = 0;
    let noted = 0;
    const touched: { id: string; username: string; dropSlot: boolean }[] = [];
    for (const rec of records) {
      const g = rec.grant;
      const held = heldOf.get(g.id) as { seq: number; cred_digest: string } | undefined;
      if (held && held.seq >= g.seq) continue;
      const named = byName.get(rec.username) as { id: string } | undefined;
      const existing = byId.get(g.id) as { id: string; username: string } | undefined;
      if ((named && named.id !== g.id) || (existing && !held)) {
        conflicts++;
        if (!conflictNoted.get(g.id)) {
          appendAudit(db, { actorId: opts.actorId, action: 'central.accountConflict', subject: g.id, details: { seq: g.seq } }, opts.now);
          noted++;
        }
        continue;
      }
      // Credentials are kept only for an account that may sign in here: elsewhere an empty hash (matches no
      // password) and no wrapped key.
      const here = g.checkpoints === null || g.checkpoints.includes(opts.checkpointId);
      const cred = here ? rec.credentials : null;
      upsertUser.run({
        id: g.id, username: rec.username, hash: cred?.passwordHash ?? '', roles: JSON.stringify(g.roles), disabled: g.disabled ? 1 : 0,
        now, issuedAt: g.issuedAt, key: g.signingKey, wrapped: cred?.signingWrapped ?? null,
      });
      upsertRecord.run(g.id, g.seq, JSON.stringify(g), rec.rootSig, rec.credDigest, now);
      appendAudit(db, {
        actorId: opts.actorId, action: 'central.account', subject: g.id,
        details: { grant: { ...g }, credDigest: rec.credDigest, rootSig: rec.rootSig, departmentKey: rootKey },
      }, opts.now);
      applied++;
      if (existing) {
        touched.push({ id: g.id, username: existing.username, dropSlot: g.disabled || !here || held!.cred_digest !== rec.credDigest });
      }
    }
    return { provisioned: applied, conflicting: conflicts, newConflicts: noted, changed: touched };
  })();
  const dropped = changed.filter((c) => c.dropSlot);
  if (opts.dbPath) dropUserSlots(opts.dbPath, dropped.map((c) => c.username));
  // Only a revoked key is forgotten: a role-only change keeps the signer of work the account started
  // (imports, exports running on), as a local role change does; its sessions end all the same, so
  // that it signs in again with the roles now granted.
  let actorChanged = false;
  let actorKeyRevoked = false;
  for (const c of changed) {
    if (c.id === opts.actorId) {
      actorChanged = true;
      actorKeyRevoked ||= c.dropSlot;
    } else if (c.dropSlot) releaseAccount(c.id, opts);
    else opts.endSessions?.(c.id);
  }
  return { provisioned, conflicting, newConflicts, actorChanged, actorKeyRevoked };
}

/** The department root public key the desk pinned when it joined (desk-config.ts `central.rootKey`). */
function deskRootKey(db: DB): string {
  return (db.prepare("SELECT value FROM settings WHERE key = 'central.rootKey'").get() as { value: string } | undefined)?.value ?? '';
}

/** Removes the key slots of `usernames` from the desk's key file `<dbPath>.keys`; writes it only when one was there. */
function dropUserSlots(dbPath: string, usernames: readonly string[]): void {
  if (!usernames.length) return;
  const before = readKeyFile(dbPath);
  const kf = usernames.reduce(withoutUserSlot, before);
  if (kf.slots.length !== before.slots.length) writeKeyFile(dbPath, kf);
}
