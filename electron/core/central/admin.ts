/**
 * Administration of the centre (DESIGN.md section 10, issue 16), done as the centre's superuser (or
 * a role with CREATEROLE and membership in `wd_owner`) over TLS: the department and its root key,
 * desks and their PostgreSQL logins, the publisher keys the root certifies, the check of every
 * desk's audit chain, and the purge of old personal data. Who may do what afterwards is enforced by
 * PostgreSQL itself (roles, row-level security, the triggers of schema.ts), not by this module.
 *
 * The department root key is Ed25519, derived from the department passphrase and a random salt
 * kept in `wd.department` (Argon2id, signing.ts `recoveryKey`); only its public half is stored.
 * Whatever it signs (certificates, revocations) is checked by the desks (trust.ts), so an
 * administrator who lost the passphrase can no longer certify anyone, and a thief of the database
 * cannot either.
 *
 * Every function here that changes the centre appends one `wd.admin_log` row (appendAdminLog) in
 * the same transaction as the change: who (the login), what, and ids, names, fingerprints and
 * counts (never traveler data). A departed user's account is revoked at every desk with
 * revokeAccount (desks apply it at their next sync: central/accounts.ts).
 */
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import pg from 'pg';
import { USERNAME_PATTERN } from '../../../shared/passwords';
import { reason } from '../../../shared/reasons';
import { enforcePasswordPolicy, hashPassword } from '../accounts';
import { ROLES, type Role } from '../api/permissions';
import { AuthError, BadInputError, ConflictError, NotFoundError } from '../errors';
import { fingerprint, newSigningKey, publicKeyOf, recoveryKey, signText, wrapSigningKey } from '../signing';
import { verifyChainAtCentre, type DeskChain } from './chains';
import { connectCentral, databaseOf, migrateCentral, withCredentials, type CentralTarget } from './connect';
import {
  accountCredDigest, accountRecordMessage, accountRevocationMessage, canonicalGrant, isoInstant, publisherCertMessage, revocationMessage,
  type AccountCredentials, type AccountGrant, type AccountRecordRow, type TrustedKeyRow,
} from './trust';

/** Shortest department passphrase accepted (the root key is only as strong as it). */
export const MIN_PASSPHRASE = 12;

/** Connects to the centre's own database as the administrator (whatever database the URL names). */
async function adminClient(admin: CentralTarget): Promise<pg.Client> {
  return connectCentral({ ...admin, url: withCredentials(admin.url, { database: databaseOf(admin.url) }) });
}

async function withAdmin<T>(admin: CentralTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await adminClient(admin);
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function inTransaction<T>(c: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Appends one row to `wd.admin_log` (schema.ts migration 2) on `c`, inside the caller's
 * transaction so that the action and its row commit together; the actor is the session's login
 * (the column's default). `details`: ids, names of desks and checkpoints, fingerprints and counts
 * only, never traveler data.
 */
export async function appendAdminLog(c: pg.ClientBase, action: string, details: Record<string, unknown>): Promise<void> {
  await c.query('INSERT INTO wd.admin_log (action, details) VALUES ($1, $2::jsonb)', [action, JSON.stringify(details)]);
}

/** One row of the centre's administration log. */
export interface AdminLogEntry {
  id: number;
  /** ISO instant. */
  at: string;
  /** The PostgreSQL login that did it. */
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

/** The centre's administration log (`wd.admin_log`), oldest first; `limit` rows at most (default all). */
export async function listAdminLog(admin: CentralTarget, limit?: number): Promise<AdminLogEntry[]> {
  return withAdmin(admin, async (c) => {
    const r = await c.query<{ id: string; at: Date; actor: string; action: string; details: Record<string, unknown> }>(
      'SELECT id, at, actor, action, details FROM wd.admin_log ORDER BY id LIMIT $1', [limit ?? null],
    );
    return r.rows.map((x) => ({ id: Number(x.id), at: x.at.toISOString(), actor: x.actor, action: x.action, details: x.details }));
  });
}

interface DepartmentRow {
  name: string;
  root_public: string;
  root_salt: string;
}

async function department(c: pg.ClientBase): Promise<DepartmentRow> {
  const r = await c.query<DepartmentRow>('SELECT name, root_public, root_salt FROM wd.department');
  const d = r.rows[0];
  if (!d) throw new ConflictError(reason('central.notInitialized'));
  return d;
}

/** The root private key, from the passphrase; AuthError `central.wrongPassphrase` when it is not the department's. */
async function rootKeyFor(d: DepartmentRow, passphrase: string): Promise<import('node:crypto').KeyObject> {
  const key = await recoveryKey(passphrase, d.root_salt);
  if (publicKeyOf(key) !== d.root_public) throw new AuthError(reason('central.wrongPassphrase'));
  return key;
}

/** What initCentral did. */
export interface InitResult {
  /** The department as recorded (the existing name when it was already there). */
  department: string;
  /** The root public key (base64 raw 32 bytes), which every desk pins, and its fingerprint (32 hex digits). */
  rootKey: string;
  rootFingerprint: string;
  /** Migration versions applied now (empty when the schema was current). */
  applied: number[];
  /** False when the department already existed (its passphrase was checked, nothing changed). */
  created: boolean;
}

/**
 * Makes the centre ready: creates the database and group roles and applies the migrations
 * (connect.ts migrateCentral), then records the department with its root public key derived from
 * `passphrase` and a new random salt. Idempotent: run again, it keeps the existing department and
 * only checks the passphrase. Throws BadInputError `central.passphraseTooShort`, AuthError
 * `central.wrongPassphrase` (re-run with another passphrase), or pg's error when the centre cannot
 * be reached or the login lacks the rights.
 */
export async function initCentral(admin: CentralTarget, opts: { department: string; passphrase: string }): Promise<InitResult> {
  if (opts.passphrase.length < MIN_PASSPHRASE) throw new BadInputError(reason('central.passphraseTooShort', { minimum: MIN_PASSPHRASE }));
  const applied = await migrateCentral(admin);
  return withAdmin(admin, async (c) => {
    const salt = randomBytes(16).toString('base64');
    const fresh = await recoveryKey(opts.passphrase, salt);
    return inTransaction(c, async () => {
      const inserted = await c.query(
        'INSERT INTO wd.department (name, root_public, root_salt) VALUES ($1, $2, $3) ON CONFLICT (singleton) DO NOTHING',
        [opts.department, publicKeyOf(fresh), salt],
      );
      const d = await department(c);
      const key = inserted.rowCount ? fresh : await rootKeyFor(d, opts.passphrase);
      const rootKey = publicKeyOf(key);
      const created = Boolean(inserted.rowCount);
      await appendAdminLog(c, 'central.init', { department: d.name, created, applied, rootFingerprint: fingerprint(rootKey) });
      return { department: d.name, rootKey, rootFingerprint: fingerprint(rootKey), applied, created };
    });
  });
}

/** The department's root public key and fingerprint, as a desk pins them at registration. */
export async function centralRoot(admin: CentralTarget): Promise<{ department: string; rootKey: string; rootFingerprint: string }> {
  return withAdmin(admin, async (c) => {
    const d = await department(c);
    return { department: d.name, rootKey: d.root_public, rootFingerprint: fingerprint(d.root_public) };
  });
}

/** A desk just registered: its credentials are shown or stored once, on that desk only. */
export interface RegisteredDesk {
  deskId: string;
  deskName: string;
  checkpointId: string;
  checkpoint: string;
  /** The desk's own PostgreSQL login and its random password (never stored at the centre in clear). */
  role: string;
  password: string;
  /** The admin URL with the desk's login and password, on the centre's database. */
  url: string;
  publisher: boolean;
  /** An auditing desk: its login is also a member of `wd_auditor` (reads every checkpoint's crossings; browse.ts). */
  auditor: boolean;
  /** The department root public key (base64) and fingerprint the desk pins. */
  rootKey: string;
  rootFingerprint: string;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers a desk at `checkpoint` (created with `timeZone` if new; an existing checkpoint keeps
 * its own): a LOGIN role `desk_<12 hex>` with a random password, member of `wd_desk` (and
 * `wd_publisher` when `publisher`, `wd_auditor` when `auditor`: its auditors and supervisors read
 * every checkpoint's crossings, row-level security's `auditor_read` policies), and its `wd.desks`
 * row, in one transaction. Throws
 * ConflictError `central.notInitialized` / `central.deskNameTaken` (a desk not revoked has that
 * name), BadInputError `setup.unknownTimeZone`.
 */
export async function registerDesk(
  admin: CentralTarget,
  opts: { deskName: string; checkpoint: string; timeZone: string; publisher?: boolean; auditor?: boolean },
): Promise<RegisteredDesk> {
  if (!validTimeZone(opts.timeZone)) throw new BadInputError(reason('setup.unknownTimeZone'));
  const publisher = opts.publisher ?? false;
  const auditor = opts.auditor ?? false;
  return withAdmin(admin, async (c) => {
    const d = await department(c);
    const deskId = randomUUID();
    const role = `desk_${deskId.replace(/-/g, '').slice(0, 12)}`;
    const password = randomBytes(24).toString('base64url');
    const checkpointId = await inTransaction(c, async () => {
      // Two registrations of the same name at once: the second waits here, then sees the first.
      await c.query('SELECT pg_advisory_xact_lock(727273)');
      const taken = await c.query('SELECT 1 FROM wd.desks WHERE name = $1 AND revoked_at IS NULL', [opts.deskName]);
      if (taken.rowCount) throw new ConflictError(reason('central.deskNameTaken'));
      await c.query('INSERT INTO wd.checkpoints (id, name, time_zone) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [randomUUID(), opts.checkpoint, opts.timeZone]);
      const cp = await c.query<{ id: string }>('SELECT id FROM wd.checkpoints WHERE name = $1', [opts.checkpoint]);
      const groups = ['wd_desk', ...(publisher ? ['wd_publisher'] : []), ...(auditor ? ['wd_auditor'] : [])].join(', ');
      await c.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)} IN ROLE ${groups}`);
      await c.query('INSERT INTO wd.desks (id, role_name, name, checkpoint_id, publisher) VALUES ($1, $2, $3, $4, $5)', [deskId, role, opts.deskName, cp.rows[0]!.id, publisher]);
      await appendAdminLog(c, 'desk.register', {
        deskId, deskName: opts.deskName, role, checkpointId: cp.rows[0]!.id, checkpoint: opts.checkpoint, publisher, auditor,
      });
      return cp.rows[0]!.id;
    });
    return {
      deskId, deskName: opts.deskName, checkpointId, checkpoint: opts.checkpoint, role, password, publisher, auditor,
      url: withCredentials(admin.url, { user: role, password, database: databaseOf(admin.url) }),
      rootKey: d.root_public, rootFingerprint: fingerprint(d.root_public),
    };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A desk as the centre lists it. */
export interface CentralDesk {
  deskId: string;
  deskName: string;
  role: string;
  checkpointId: string;
  checkpoint: string;
  publisher: boolean;
  registeredAt: string;
  revokedAt: string | null;
}

/** Every desk registered at the centre, oldest first. */
export async function listDesks(admin: CentralTarget): Promise<CentralDesk[]> {
  return withAdmin(admin, async (c) => {
    const r = await c.query<{ id: string; name: string; role_name: string; checkpoint_id: string; checkpoint: string; publisher: boolean; registered_at: Date; revoked_at: Date | null }>(
      `SELECT d.id, d.name, d.role_name, d.checkpoint_id, c.name AS checkpoint, d.publisher, d.registered_at, d.revoked_at
         FROM wd.desks d JOIN wd.checkpoints c ON c.id = d.checkpoint_id ORDER BY d.registered_at, d.id`,
    );
    return r.rows.map((x) => ({
      deskId: x.id, deskName: x.name, role: x.role_name, checkpointId: x.checkpoint_id, checkpoint: x.checkpoint, publisher: x.publisher,
      registeredAt: x.registered_at.toISOString(), revokedAt: x.revoked_at?.toISOString() ?? null,
    }));
  });
}

/**
 * Revokes a desk's credentials, by its id or its name (the desk of that name not yet revoked, else
 * the last one revoked): marks it revoked (`wd.my_desk()` no longer knows it, so row-level
 * security gives it nothing), makes its login NOLOGIN, and ends its open sessions. Idempotent.
 * Returns the desk and how many sessions were ended. Throws NotFoundError `central.deskNotFound`.
 */
export async function revokeDesk(admin: CentralTarget, desk: string): Promise<{ deskId: string; role: string; revokedAt: string; sessionsEnded: number }> {
  return withAdmin(admin, async (c) => {
    const found = await c.query<{ id: string; role_name: string }>(
      UUID.test(desk)
        ? 'SELECT id, role_name FROM wd.desks WHERE id = $1'
        : 'SELECT id, role_name FROM wd.desks WHERE name = $1 ORDER BY revoked_at IS NULL DESC, revoked_at DESC LIMIT 1',
      [desk],
    );
    const row = found.rows[0];
    if (!row) throw new NotFoundError(reason('central.deskNotFound'));
    const revokedAt = await inTransaction(c, async () => {
      const r = await c.query<{ revoked_at: Date }>('UPDATE wd.desks SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING revoked_at', [row.id]);
      await c.query(`ALTER ROLE ${pg.escapeIdentifier(row.role_name)} NOLOGIN`);
      await appendAdminLog(c, 'desk.revoke', { deskId: row.id, role: row.role_name, revokedAt: r.rows[0]!.revoked_at.toISOString() });
      return r.rows[0]!.revoked_at;
    });
    const ended = await c.query<{ ended: boolean }>('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE usename = $1', [row.role_name]);
    return { deskId: row.id, role: row.role_name, revokedAt: revokedAt.toISOString(), sessionsEnded: ended.rows.filter((x) => x.ended).length };
  });
}

/** A certified (or revoked) publisher key as recorded at the centre. */
export interface CertifiedKey {
  fingerprint: string;
  username: string;
  certifiedAt: string;
  revokedAt: string | null;
}

function decodedKey(publicKey: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(publicKey) && Buffer.from(publicKey, 'base64').length === 32;
}

/**
 * Certifies `publicKey` (an account's Ed25519 public key, base64 raw 32 bytes) as a publisher's,
 * for `username`, with the root key derived from `passphrase`: a `wd.trusted_keys` row carrying the
 * root's signature over trust.ts publisherCertMessage. Certifying a key already certified returns
 * its record unchanged; a revoked key is never certified again (ConflictError
 * `central.keyRevoked`), nor any key of an account the department revoked (ConflictError
 * `central.accountRevoked`). Throws AuthError `central.wrongPassphrase`, BadInputError `central.badPublicKey`.
 */
export async function certifyPublisher(admin: CentralTarget, passphrase: string, who: { username: string; publicKey: string }, now = new Date()): Promise<CertifiedKey> {
  if (!decodedKey(who.publicKey)) throw new BadInputError(reason('central.badPublicKey'));
  return withAdmin(admin, async (c) => {
    const root = await rootKeyFor(await department(c), passphrase);
    const fp = fingerprint(who.publicKey);
    const certifiedAt = new Date(Math.floor(now.getTime()));
    const sig = signText(root, publisherCertMessage({ fingerprint: fp, publicKey: who.publicKey, username: who.username, role: 'publisher', certifiedAt }));
    return inTransaction(c, async () => {
      // An account the department revoked gets no key certified again (revokeAccount takes the same lock).
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_LOCK]);
      const gone = await c.query('SELECT 1 FROM wd.account_revocations WHERE lower(username) = lower($1)', [who.username]);
      if (gone.rowCount) throw new ConflictError(reason('central.accountRevoked'));
      const inserted = await c.query(
        `INSERT INTO wd.trusted_keys (fingerprint, public_key, username, role, certified_at, cert_sig) VALUES ($1, $2, $3, 'publisher', $4, $5)
         ON CONFLICT (fingerprint) DO NOTHING`,
        [fp, who.publicKey, who.username, certifiedAt.toISOString(), sig],
      );
      const r = await c.query<TrustedKeyRow>('SELECT * FROM wd.trusted_keys WHERE fingerprint = $1', [fp]);
      const row = r.rows[0]!;
      if (row.revoked_at !== null) throw new ConflictError(reason('central.keyRevoked'));
      await appendAdminLog(c, 'key.certify', { fingerprint: fp, username: row.username, created: Boolean(inserted.rowCount) });
      return keyView(row);
    });
  });
}

function keyView(row: TrustedKeyRow): CertifiedKey {
  const iso = (t: Date | string): string => new Date(t).toISOString();
  return { fingerprint: row.fingerprint, username: row.username, certifiedAt: iso(row.certified_at), revokedAt: row.revoked_at === null ? null : iso(row.revoked_at) };
}

/** The publisher keys recorded at the centre (certified and revoked), oldest first. */
export async function listKeys(admin: CentralTarget): Promise<CertifiedKey[]> {
  return withAdmin(admin, async (c) => (await c.query<TrustedKeyRow>('SELECT * FROM wd.trusted_keys ORDER BY certified_at, fingerprint')).rows.map(keyView));
}

/**
 * Revokes a publisher key (by fingerprint; spaces and case ignored) with the root key derived from
 * `passphrase`: sets `revoked_at` and the root's signature over trust.ts revocationMessage. Desks
 * refuse anything it signs from their next pull on. Idempotent (an existing revocation is kept).
 * Throws AuthError `central.wrongPassphrase`, NotFoundError `central.keyNotFound`.
 */
export async function revokeKey(admin: CentralTarget, passphrase: string, keyFingerprint: string, now = new Date()): Promise<CertifiedKey> {
  const fp = keyFingerprint.replace(/\s+/g, '').toLowerCase();
  return withAdmin(admin, async (c) => {
    const root = await rootKeyFor(await department(c), passphrase);
    return inTransaction(c, async () => {
      const { key, revokedNow } = await revokeKeyOn(c, root, fp, now);
      await appendAdminLog(c, 'key.revoke', { fingerprint: fp, username: key.username, revokedAt: key.revokedAt, created: revokedNow });
      return key;
    });
  });
}

/**
 * Revokes the key `fp` on `c` with the root key `root` at `now` (kept when already revoked), in
 * the caller's transaction. Throws NotFoundError `central.keyNotFound`.
 */
async function revokeKeyOn(c: pg.ClientBase, root: import('node:crypto').KeyObject, fp: string, now: Date): Promise<{ key: CertifiedKey; revokedNow: boolean }> {
  const revokedAt = new Date(now.getTime());
  const sig = signText(root, revocationMessage({ fingerprint: fp, revokedAt }));
  const done = await c.query('UPDATE wd.trusted_keys SET revoked_at = $2, revocation_sig = $3 WHERE fingerprint = $1 AND revoked_at IS NULL', [fp, revokedAt.toISOString(), sig]);
  const r = await c.query<TrustedKeyRow>('SELECT * FROM wd.trusted_keys WHERE fingerprint = $1', [fp]);
  if (!r.rows[0]) throw new NotFoundError(reason('central.keyNotFound'));
  return { key: keyView(r.rows[0]), revokedNow: Boolean(done.rowCount) };
}

/** Advisory lock taken by revokeAccount and certifyPublisher (an account revoked gets no key certified meanwhile). */
const ACCOUNT_LOCK = 727274;

/** What revokeAccount did. */
export interface AccountRevocation {
  username: string;
  /** When the account was revoked (ISO): now, or the earlier revocation kept. */
  revokedAt: string;
  /** False when the account was already revoked (its revocation kept; keys certified since are revoked now). */
  created: boolean;
  /** The account's publisher keys, all revoked now or before. */
  keys: CertifiedKey[];
  /** True when the department's record of the account (wd.accounts) was disabled now (seq + 1). */
  accountDisabled: boolean;
}

/**
 * Revokes a departed user's account at every desk (issue 16): a `wd.account_revocations` row
 * signed by the root key derived from `passphrase` (trust.ts accountRevocationMessage), and every
 * publisher key certified for that username revoked (as revokeKey does), with one admin_log row,
 * and the account's record (wd.accounts, when there is one still enabled) disabled with the next seq,
 * all in one transaction. Each desk's next sync verifies the signature and from then on refuses
 * the account's sign-in and ends its sessions there (central/accounts.ts). Usernames are matched
 * without regard to case, as the desks do. Idempotent: an account already revoked keeps its
 * revocation. Throws BadInputError `central.badUsername` (empty), AuthError `central.wrongPassphrase`.
 */
export async function revokeAccount(admin: CentralTarget, passphrase: string, username: string, now = new Date()): Promise<AccountRevocation> {
  const name = username.trim();
  if (!name) throw new BadInputError(reason('central.badUsername'));
  return withAdmin(admin, async (c) => {
    const root = await rootKeyFor(await department(c), passphrase);
    return inTransaction(c, async () => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_LOCK]);
      const before = await c.query<{ username: string; revoked_at: Date }>(
        'SELECT username, revoked_at FROM wd.account_revocations WHERE lower(username) = lower($1) ORDER BY revoked_at LIMIT 1', [name],
      );
      let revokedAt: Date;
      let recorded = name;
      if (before.rows[0]) {
        revokedAt = before.rows[0].revoked_at;
        recorded = before.rows[0].username;
      } else {
        revokedAt = new Date(now.getTime());
        const sig = signText(root, accountRevocationMessage({ username: name, revokedAt }));
        await c.query('INSERT INTO wd.account_revocations (username, revoked_at, sig) VALUES ($1, $2, $3)', [name, revokedAt.toISOString(), sig]);
      }
      const fps = await c.query<{ fingerprint: string }>('SELECT fingerprint FROM wd.trusted_keys WHERE lower(username) = lower($1) ORDER BY certified_at, fingerprint', [name]);
      const keys: CertifiedKey[] = [];
      const revokedNow: string[] = [];
      for (const { fingerprint: fp } of fps.rows) {
        const k = await revokeKeyOn(c, root, fp, now);
        keys.push(k.key);
        if (k.revokedNow) revokedNow.push(fp);
      }
      // The account's record (when the department provisioned it) is disabled too (next seq, root-signed): each
      // desk's trail then revokes its signing key, and `central account list` shows it disabled.
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_RECORD_LOCK]);
      const acct = (await c.query<AccountRow>('SELECT * FROM wd.accounts WHERE lower(username) = lower($1) FOR UPDATE', [name])).rows[0];
      let accountDisabled = false;
      if (acct && !acct.disabled) {
        const grant: AccountGrant = {
          id: acct.id, roles: acct.roles as string[], checkpoints: acct.checkpoints as string[] | null, disabled: true,
          signingKey: acct.signing_key, seq: Number(acct.seq) + 1, issuedAt: isoInstant(now),
        };
        await writeAccountRecord(c, root, grant, { username: acct.username, passwordHash: acct.password_hash, signingWrapped: acct.signing_wrapped }, false);
        accountDisabled = true;
      }
      const created = !before.rows[0];
      await appendAdminLog(c, 'account.revoke', { username: recorded, revokedAt: revokedAt.toISOString(), created, keysRevoked: revokedNow, accountDisabled });
      return { username: recorded, revokedAt: revokedAt.toISOString(), created, keys, accountDisabled };
    });
  });
}

/**
 * Recomputes every desk's audit chain from `wd.audit_rows` with the desk's own rules
 * (central/chains.ts verifyChainAtCentre: gaps, broken links, rewritten rows, untrusted
 * signatures; a restored desk's earlier branch reported as a fork), reading `page` rows at a time.
 */
export async function verifyDeskChains(admin: CentralTarget, page = 5000): Promise<DeskChain[]> {
  return withAdmin(admin, async (c) => {
    const desks = (await c.query<{ id: string; name: string }>('SELECT id, name FROM wd.desks ORDER BY registered_at, id')).rows;
    const out: DeskChain[] = [];
    for (const desk of desks) out.push(await verifyChainAtCentre(c, desk, page));
    return out;
  });
}

/** What purgeCentral blanked. */
export interface CentralPurgeResult {
  /** Crossings older than this (ISO) were purged. */
  cutoff: string;
  crossings: number;
  hits: number;
  hitEvents: number;
}

/**
 * The centre's retention purge, like the desk's (retention.ts): for crossings that occurred more
 * than `olderThanDays` days before `now` and are not purged yet, blanks the traveler snapshot and
 * the note, the traveler's side of each hit's explanation and the hit's note, and the notes and
 * free-text reasons of their hit events; ids, times, outcomes, scores, decisions, list entry ids
 * and audit rows (hashes) stay. One transaction with `SET LOCAL wd.purging = 'on'` (the only way
 * past the triggers that refuse UPDATE). The caller records it in its own audit trail (the CLI
 * does, on the desk it runs from). Throws BadInputError `central.purgeDays` when days < 1.
 */
export async function purgeCentral(admin: CentralTarget, olderThanDays: number, now = new Date()): Promise<CentralPurgeResult> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) throw new BadInputError(reason('central.purgeDays', { minimum: 1 }));
  const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000).toISOString();
  return withAdmin(admin, (c) => inTransaction(c, async () => {
    await c.query("SET LOCAL wd.purging = 'on'");
    // CREATE TABLE AS takes no parameters: the cutoff is an ISO instant made above, quoted.
    await c.query(`CREATE TEMP TABLE purge_ids ON COMMIT DROP AS
      SELECT id FROM wd.crossings WHERE occurred_at < ${pg.escapeLiteral(cutoff)}::timestamptz AND purged_at IS NULL`);
    const hitEvents = await c.query(
      `UPDATE wd.hit_events e SET note = NULL, details = e.details - 'reason' - 'note' - 'previousNote' - 'previous_note'
         FROM wd.hits h WHERE h.id = e.hit_id AND h.crossing_id IN (SELECT id FROM purge_ids)`,
    );
    const hits = await c.query(
      `UPDATE wd.hits SET note = NULL, explanation = jsonb_build_object(
         'summary', '',
         'matchedName', coalesce(explanation->>'matchedName', ''),
         'nameScore', coalesce(explanation->'nameScore', '0'::jsonb),
         'tokens', CASE WHEN jsonb_typeof(explanation->'tokens') = 'array'
           THEN (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(t) = 'object' THEN t || '{"query": ""}'::jsonb ELSE t END), '[]'::jsonb) FROM jsonb_array_elements(explanation->'tokens') t)
           ELSE '[]'::jsonb END,
         'unmatchedQuery', '[]'::jsonb,
         'unmatchedEntry', coalesce(explanation->'unmatchedEntry', '[]'::jsonb),
         'fields', CASE WHEN jsonb_typeof(explanation->'fields') = 'array'
           THEN (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(f) = 'object' THEN f || '{"detail": ""}'::jsonb ELSE f END), '[]'::jsonb) FROM jsonb_array_elements(explanation->'fields') f)
           ELSE '[]'::jsonb END)
       WHERE crossing_id IN (SELECT id FROM purge_ids)`,
    );
    const crossings = await c.query('UPDATE wd.crossings SET traveler = NULL, note = NULL, purged_at = now() WHERE id IN (SELECT id FROM purge_ids)');
    const purged = { cutoff, crossings: crossings.rowCount ?? 0, hits: hits.rowCount ?? 0, hitEvents: hitEvents.rowCount ?? 0 };
    await appendAdminLog(c, 'central.purge', { days: olderThanDays, ...purged });
    return purged;
  }));
}

// ---------------------------------------------------------------------------------------------
// Accounts provisioned by the department (issue 16): created once at the centre, root-signed,
// pulled by every desk's sync (central/accounts.ts), signing in at the desks of their checkpoints.

/** An account of the department as the centre lists it (never its hashes). */
export interface DepartmentAccount {
  id: string;
  username: string;
  roles: string[];
  /** Names of the checkpoints it may sign in at, sorted; null for every checkpoint. */
  checkpoints: string[] | null;
  disabled: boolean;
  /** Its record's number: every change raises it, and desks apply only a higher one. */
  seq: number;
  /** ISO instant of its current record. */
  issuedAt: string;
  /** Fingerprint of its public signing key (changes with a password reset). */
  keyFingerprint: string;
}

/** What createAccount records: the initial password is hashed and wraps a new signing key; checkpoints by name, null for every one. */
export interface NewDepartmentAccount {
  username: string;
  password: string;
  roles: readonly string[];
  checkpoints: readonly string[] | null;
}

/** What updateAccount changes (each left undefined is kept). */
export interface DepartmentAccountChange {
  roles?: readonly string[];
  /** Checkpoint names, or null for every checkpoint. */
  checkpoints?: readonly string[] | null;
  disabled?: boolean;
  /** A new password: it wraps a new signing key (the old key is revoked at each desk from the record on). */
  password?: string;
}

interface AccountRow extends AccountRecordRow {
  seq: string;
  issued_at: Date;
  /** The centre's administrator reads the table itself: the credentials are always there. */
  password_hash: string;
  signing_wrapped: string;
}

/** Advisory lock taken while an account record is written (two changes of one account never share a seq). */
const ACCOUNT_RECORD_LOCK = 727275;

function accountRoles(roles: readonly string[]): Role[] {
  const out = ROLES.filter((r) => roles.includes(r));
  if (!out.length || roles.some((r) => !(ROLES as readonly string[]).includes(r))) throw new BadInputError(reason('central.accountRoles', { roles: ROLES.join(', ') }));
  return out;
}

/** The ids of the checkpoints named (case-insensitive), or BadInputError `central.unknownCheckpoint` listing the department's names. */
async function checkpointIds(c: pg.ClientBase, names: readonly string[] | null): Promise<string[] | null> {
  if (names === null) return null;
  const all = (await c.query<{ id: string; name: string }>('SELECT id, name FROM wd.checkpoints ORDER BY name')).rows;
  const ids = new Set<string>();
  for (const n of names) {
    const hit = all.find((x) => x.name.toLowerCase() === n.trim().toLowerCase());
    if (!hit) throw new BadInputError(reason('central.unknownCheckpoint', { checkpoints: all.map((x) => x.name).join(', ') || '(none yet)' }));
    ids.add(hit.id);
  }
  if (!ids.size) throw new BadInputError(reason('central.unknownCheckpoint', { checkpoints: all.map((x) => x.name).join(', ') || '(none yet)' }));
  return [...ids].sort();
}

/** A new signing key wrapped under `password`, and the password's hash: an account's credentials. */
async function newCredentials(username: string, password: string): Promise<{ signingKey: string; credentials: AccountCredentials }> {
  const key = newSigningKey();
  return {
    signingKey: publicKeyOf(key),
    credentials: { username, passwordHash: await hashPassword(password), signingWrapped: await wrapSigningKey(key, password) },
  };
}

/** Signs `grant` with its credentials by the root key and writes the row (insert or update in place). */
async function writeAccountRecord(c: pg.ClientBase, root: KeyObject, signed: AccountGrant, cred: AccountCredentials, insert: boolean): Promise<void> {
  const grant = canonicalGrant(signed);
  const sig = signText(root, accountRecordMessage(grant, accountCredDigest(cred)));
  const values = [
    grant.id, cred.username, grant.seq, JSON.stringify(grant.roles), grant.checkpoints === null ? null : JSON.stringify(grant.checkpoints), grant.disabled,
    grant.signingKey, cred.passwordHash, cred.signingWrapped, grant.issuedAt, sig, accountCredDigest(cred),
  ];
  await c.query(insert
    ? `INSERT INTO wd.accounts (id, username, seq, roles, checkpoints, disabled, signing_key, password_hash, signing_wrapped, issued_at, root_sig, cred_digest)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12)`
    : `UPDATE wd.accounts SET seq = $3, roles = $4::jsonb, checkpoints = $5::jsonb, disabled = $6, signing_key = $7, password_hash = $8,
         signing_wrapped = $9, issued_at = $10, root_sig = $11, cred_digest = $12 WHERE id = $1 AND username = $2`, values);
}

async function accountView(c: pg.ClientBase, id: string): Promise<DepartmentAccount> {
  const r = await c.query<AccountRow>('SELECT * FROM wd.accounts WHERE id = $1', [id]);
  const names = new Map((await c.query<{ id: string; name: string }>('SELECT id, name FROM wd.checkpoints')).rows.map((x) => [x.id, x.name]));
  return accountViewOf(r.rows[0]!, names);
}

function accountViewOf(row: AccountRow, names: Map<string, string>): DepartmentAccount {
  const checkpoints = Array.isArray(row.checkpoints) ? (row.checkpoints as string[]).map((id) => names.get(id) ?? id).sort() : null;
  return {
    id: row.id, username: row.username, roles: row.roles as string[], checkpoints, disabled: row.disabled, seq: Number(row.seq),
    issuedAt: row.issued_at.toISOString(), keyFingerprint: fingerprint(row.signing_key),
  };
}

/**
 * Creates an account of the department (`wd.accounts`, record seq 1) with the root key derived
 * from `passphrase`: a new global id, the password's Argon2id hash, a new Ed25519 signing key
 * wrapped under the password, its roles and the checkpoints (by name; null for every one) where it
 * may sign in; the record signed by the root (trust.ts accountRecordMessage) and one admin_log row
 * `account.create` (id, username, roles, checkpoint names), in one transaction. Every desk applies
 * it at its next sync. Throws BadInputError `field.username`, `central.accountRoles`,
 * `central.unknownCheckpoint` or the password policy's reason; AuthError `central.wrongPassphrase`;
 * ConflictError `account.usernameTaken` (any case) or `central.accountRevoked` (a username the
 * department revoked is never given again).
 */
export async function createAccount(admin: CentralTarget, passphrase: string, p: NewDepartmentAccount, now = new Date()): Promise<DepartmentAccount> {
  const username = p.username.trim();
  if (!USERNAME_PATTERN.test(username)) throw new BadInputError(reason('field.username'));
  const roles = accountRoles(p.roles);
  enforcePasswordPolicy(p.password, username);
  return withAdmin(admin, async (c) => {
    const root = await rootKeyFor(await department(c), passphrase);
    const { signingKey, credentials } = await newCredentials(username, p.password);
    return inTransaction(c, async () => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_RECORD_LOCK]);
      const taken = await c.query('SELECT 1 FROM wd.accounts WHERE lower(username) = lower($1)', [username]);
      if (taken.rowCount) throw new ConflictError(reason('account.usernameTaken'));
      const gone = await c.query('SELECT 1 FROM wd.account_revocations WHERE lower(username) = lower($1)', [username]);
      if (gone.rowCount) throw new ConflictError(reason('central.accountRevoked'));
      const checkpoints = await checkpointIds(c, p.checkpoints);
      const grant: AccountGrant = { id: randomUUID(), roles, checkpoints, disabled: false, signingKey, seq: 1, issuedAt: isoInstant(now) };
      await writeAccountRecord(c, root, grant, credentials, true);
      const view = await accountView(c, grant.id);
      await appendAdminLog(c, 'account.create', { accountId: grant.id, username, roles, checkpoints: view.checkpoints, seq: 1 });
      return view;
    });
  });
}

/**
 * Changes an account of the department (found by username, any case) with the root key derived
 * from `passphrase`: roles, checkpoints (names, or null for every one), disabled, and/or a new
 * password, which wraps a NEW signing key (like a reset on a desk: the old key signs nothing at a
 * desk from the record on). The record gets the next seq and a new root signature, with one
 * admin_log row `account.update` (id, username, seq, what changed), in one transaction. Throws as
 * createAccount (ConflictError `central.accountRevoked` for an account the department revoked),
 * NotFoundError `central.accountNotFound`, and BadInputError
 * `account.enableNeedsPassword` when it enables a disabled account without a new password.
 */
export async function updateAccount(admin: CentralTarget, passphrase: string, username: string, change: DepartmentAccountChange, now = new Date()): Promise<DepartmentAccount> {
  const roles = change.roles === undefined ? undefined : accountRoles(change.roles);
  return withAdmin(admin, async (c) => {
    const root = await rootKeyFor(await department(c), passphrase);
    const found = await c.query<AccountRow>('SELECT * FROM wd.accounts WHERE lower(username) = lower($1)', [username.trim()]);
    const before = found.rows[0];
    if (!before) throw new NotFoundError(reason('central.accountNotFound'));
    if (change.password !== undefined) enforcePasswordPolicy(change.password, before.username);
    const fresh = change.password === undefined ? null : await newCredentials(before.username, change.password);
    return inTransaction(c, async () => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_RECORD_LOCK]);
      const row = (await c.query<AccountRow>('SELECT * FROM wd.accounts WHERE id = $1 FOR UPDATE', [before.id])).rows[0]!;
      // A revoked account stays revoked: its record is never changed again (revokeAccount disabled it).
      const gone = await c.query('SELECT 1 FROM wd.account_revocations WHERE lower(username) = lower($1)', [row.username]);
      if (gone.rowCount) throw new ConflictError(reason('central.accountRevoked'));
      // Enabling a disabled account takes a new password (a new key), as on a desk: the old one may be why it was disabled.
      if (row.disabled && change.disabled === false && !fresh) throw new BadInputError(reason('account.enableNeedsPassword'));
      const checkpoints = change.checkpoints === undefined ? (row.checkpoints as string[] | null) : await checkpointIds(c, change.checkpoints);
      const grant: AccountGrant = {
        id: row.id, roles: roles ?? (row.roles as string[]), checkpoints, disabled: change.disabled ?? row.disabled,
        signingKey: fresh?.signingKey ?? row.signing_key, seq: Number(row.seq) + 1, issuedAt: isoInstant(now),
      };
      const credentials = fresh?.credentials ?? { username: row.username, passwordHash: row.password_hash, signingWrapped: row.signing_wrapped };
      await writeAccountRecord(c, root, grant, credentials, false);
      const view = await accountView(c, row.id);
      const changed = [
        ...(roles ? ['roles'] : []), ...(change.checkpoints !== undefined ? ['checkpoints'] : []),
        ...(change.disabled !== undefined ? ['disabled'] : []), ...(fresh ? ['password'] : []),
      ];
      await appendAdminLog(c, 'account.update', { accountId: row.id, username: row.username, seq: grant.seq, changed, roles: view.roles, checkpoints: view.checkpoints, disabled: view.disabled });
      return view;
    });
  });
}

/** Every account of the department, by username (no hashes). */
export async function listAccounts(admin: CentralTarget): Promise<DepartmentAccount[]> {
  return withAdmin(admin, async (c) => {
    const names = new Map((await c.query<{ id: string; name: string }>('SELECT id, name FROM wd.checkpoints')).rows.map((x) => [x.id, x.name]));
    return (await c.query<AccountRow>('SELECT * FROM wd.accounts ORDER BY lower(username)')).rows.map((r) => accountViewOf(r, names));
  });
}
