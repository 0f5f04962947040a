/**
 * The engine: owns the database, the sessions and the match index, and dispatches every API call
 * through one place (`handle`), where the request is validated, the session found and the role
 * checked. Transports (IPC, harness HTTP, direct calls) only pass envelopes in and out.
 *
 * Why it is over 500 lines: the database key's whole life (set-up, unlock, sign-in, recovery, key
 * rotation, backup, restore) is here, because each step changes the same private state (the open
 * connection, the key in memory, the audit head kept outside) and must not be reachable from
 * anywhere else. User administration (users.ts), the handler table (handlers.ts) and request
 * validation (validation.ts) live beside it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import {
  BACKGROUND_METHODS, PUBLIC_METHODS, requestSchemas, type ApiError, type ApiMethod, type ApiRequest, type ApiResponse, type AuditVerifyResult,
  type BackupResult, type DashboardView, type PurgeResult, type SettingsView, type UserView,
} from '../../../shared/contract';
import { enforcePasswordPolicy, getUser, getUserByName, hashPassword, passwordMatches, rolesOf } from '../accounts';
import { appendAudit, attestedHead, auditHead, headConsistent, noteMissingTail, readHeadFile, signedAccounts, verifyAudit, writeHeadFile, type AuditEvent, type ExternalHead } from '../audit';
import {
  crashPoint, fsyncDir, removeStaleStaging, stagingPath, unpackBackup, verifyCopy,
} from '../db/backup';
import {
  copyDatabaseUnderKey, createDatabase, DatabaseDamagedError, openDatabase, releaseExclusive, removeDatabaseFiles, storageError, takeExclusive, WrongKeyError,
  type DB,
} from '../db/database';
import { moveIntoPlace, writeFileSafe } from '../files';
import {
  createKeyFile, hasUserSlot, keyId, ownerId, readKeyFile, recoverySlotFor, unlockCandidatesWithKeychain,
  unlockCandidatesWithPassphrase, unlockCandidatesWithPassword, unwrapRecoverySlot, withCurrentKey, withKeychainSlot,
  withRecoverySlot, withUserSlot, WrongSecretError, writeKeyFile, type KeyFile, type Keychain,
} from '../db/keyslots';
import { LockoutStore, type RecoveryUse } from '../lockout';
import { purgePersonalData } from '../retention';
import { Screener } from '../screening';
import { IndexHost, NO_INDEX, type IndexStatus } from '../index-host/host';
import { ImportJobs } from '../watchlists/jobs';
import { checkpointStaleDays } from '../watchlists/store';
import { BatchJobs } from '../batch';
import { HANDLERS } from './handlers';
import { isAllowed, ROLES } from './permissions';
import { AuthError, BadInputError, ConflictError, errorEnvelope, ForbiddenError, InternalError, LockedError, WatchdeskError } from '../errors';
import { reason, reasonView } from '../../../shared/reasons';
import { malformedRequest } from './validation';
import { readDashboard, runReaderJob } from '../reader';
import type { DashboardRange } from '../crossings/dashboard';
import { ExportJobs, type ExportJob, type ExportJobInput } from '../crossings/export-jobs';
import { departmentAccountHere, setPassword, setupSigning, signInSigning, storeSetupSigning, type UnlockedDesk } from './users';
import { forgetSigners } from '../signing';
import { offlineLimitHours, syncSettled } from '../central/sync';
import { CENTRAL_SETTINGS } from '../central/desk-config';
import { isAccountRevoked, isCentralAccount } from '../central/accounts';

export interface EngineOptions {
  /** Path of the encrypted database; its key slots live at `<dbPath>.keys`. */
  dbPath: string;
  /** The OS keychain (Electron safeStorage) where there is one. */
  keychain?: Keychain;
  /** Clock, for tests. */
  now?: () => Date;
  /** Where internal errors are reported: method and error class only, never personal data. */
  log?: (line: string) => void;
  /** A session unused for this long (ms) expires; default 15 minutes. */
  idleTimeoutMs?: number;
  /**
   * The file an export, import report or backup this engine makes is written to (the CLI's
   * `--out`; never set by the app's transports): the engine writes it with the safe writer and
   * audits it once it is complete (`Engine.deliver`). `overwrite` replaces a file already there.
   */
  exportTo?: { path: string; overwrite?: boolean };
}

export interface Session {
  token: string;
  user: UserView;
  /** Epoch ms of the session's last call. */
  lastSeen: number;
}

/** Default idle time after which a session expires, in ms. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60 * 1000;


const SETTING_IDLE = 'session.idleMinutes';
const SETTING_RETENTION = 'retention.days';
const SETTING_HEAD_ANCHORED = 'audit.headAnchored';

export class Engine {
  readonly opts: EngineOptions;
  private db: DB | null = null;
  /** The database key, held in memory only while the database is open (to wrap new slots, back up, rotate). */
  private key: Buffer | null = null;
  private sessions = new Map<string, Session>();
  private screener: Screener | null = null;
  /** The match index (worker threads), made when first needed after the database opened. */
  private index: IndexHost | null = null;
  /** The engine's import jobs: a key rotation waits for none and refuses while one runs; shutdown cancels them. */
  readonly jobs = new ImportJobs();
  /** The engine's batch screenings: each seen only by its owner; forgotten at sign-out; shutdown cancels them. */
  readonly batches = new BatchJobs();
  /** The engine's export jobs (crossings/export-jobs.ts): each seen only by its owner; forgotten at sign-out; cancelled at close. */
  readonly exports = new ExportJobs();
  /** List versions rolled back from while the index answering still holds them (index-host/host.ts). */
  private readonly withdrawn = new Set<string>();
  private readonly lockout: LockoutStore;
  /** The audit head last written to `<db>.head`. */
  private syncedHead: ExternalHead | null = null;

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.lockout = new LockoutStore(opts.dbPath);
  }

  now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** True when a database (or its key file) exists at the configured path. */
  get initialized(): boolean {
    return existsSync(this.opts.dbPath) || existsSync(`${this.opts.dbPath}.keys`);
  }

  /** Opens the database with the OS keychain slot where there is one; otherwise waits for sign-in. */
  async start(): Promise<void> {
    if (!this.initialized || !this.opts.keychain || this.db) return;
    const keys = await unlockCandidatesWithKeychain(readKeyFile(this.opts.dbPath), this.opts.keychain);
    // A keychain may hand back a key that is not this database's: that is not damage.
    if (keys.length) await this.unlock(keys, false).catch((e: unknown) => {
      if (!(e instanceof WrongKeyError)) throw e;
    });
  }

  /**
   * Opens the database with the first of `keys` that fits (two exist only between the steps of a
   * key rotation), then tidies what interrupted work may have left: the staging copies of a killed
   * backup, rotation or restore and the temporary files of the key, head and lockout files, of
   * processes that are gone (db/backup.ts removeStaleStaging), and the slots of whichever key lost
   * a rotation. When no key fits no file is changed, and it throws: for keys from authenticated
   * key slots (`fromSlots`: a password or the passphrase unwrapped them, so they are this key
   * file's keys) DatabaseDamagedError (the file is damaged or not this key file's database),
   * otherwise WrongKeyError; and the clear errors of openDatabase (an empty file, a folder, no file).
   */
  private async unlock(keys: Buffer[], fromSlots = true): Promise<void> {
    let lastError: unknown = new WrongKeyError();
    for (const key of keys) {
      try {
        this.db = openDatabase(this.opts.dbPath, key);
        this.key = Buffer.from(key);
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (!this.db || !this.key) throw fromSlots && lastError instanceof WrongKeyError ? new DatabaseDamagedError(this.opts.dbPath) : lastError;
    removeStaleStaging(this.opts.dbPath);
    let kf = readKeyFile(this.opts.dbPath);
    const current = withCurrentKey(kf, this.key);
    if (current.keyId !== kf.keyId || current.slots.length !== kf.slots.length) {
      writeKeyFile(this.opts.dbPath, current);
      kf = current;
    }
    if (this.opts.keychain && !kf.slots.some((s) => s.type === 'keychain' && s.keyId === kf.keyId)) {
      const withChain = await withKeychainSlot(kf, this.key, this.opts.keychain);
      if (withChain !== kf) writeKeyFile(this.opts.dbPath, withChain);
    }
    noteMissingTail(this.db, readHeadFile(this.opts.dbPath), this.now());
    this.flushPendingFailures();
    this.syncHead();
    this.startIndex();
  }

  /** Writes the failed sign-ins seen while the database was locked into the audit trail. */
  private flushPendingFailures(): void {
    const db = this.requireDb();
    const pending = this.lockout.takePending();
    if (!pending.length) return;
    const fileId = readKeyFile(this.opts.dbPath).fileId;
    const byOwner = new Map<string, string>();
    for (const u of db.prepare('SELECT id, username FROM users').all() as { id: string; username: string }[]) byOwner.set(ownerId(fileId, u.username), u.id);
    db.transaction(() => {
      for (const p of pending) {
        appendAudit(db, {
          actorId: p.owner ? byOwner.get(p.owner) ?? null : null, action: p.action,
          details: { at: p.at, failures: p.failures, whileLocked: true, ...(p.use ? { use: p.use } : {}), ...(p.lockedUntil ? { lockedUntil: p.lockedUntil } : {}) },
        }, this.now());
      }
    })();
  }

  /**
   * Keeps the chain head outside the database (`<db>.head`) after every call that appended to the
   * trail. The head only moves forward from a head the database still holds: when the file names a
   * row the database no longer has (a truncated or rewritten tail) it is left as it is, so that
   * verify keeps reporting it. A missing file is created only for a trail never anchored before.
   */
  private syncHead(): void {
    const db = this.db;
    if (!db) return;
    const head = auditHead(db);
    if (this.syncedHead && this.syncedHead.seq === head.seq && this.syncedHead.hash === head.hash) return;
    const ext = readHeadFile(this.opts.dbPath);
    if (ext === 'damaged') return;
    if (ext === null) {
      if (this.settingOrNull(SETTING_HEAD_ANCHORED)) return;
      this.putSetting(SETTING_HEAD_ANCHORED, '1');
    } else if (!headConsistent(db, ext)) return;
    // With the root key's fingerprint and the signed attestations of the accounts signed in (audit.ts attestedHead).
    writeHeadFile(this.opts.dbPath, attestedHead(db, this.opts.dbPath, head, ext));
    this.syncedHead = head;
  }

  private settingOrNull(key: string): string | null {
    const r = this.db?.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  private putSetting(key: string, value: string): void {
    this.requireDb()
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /** The idle time after which a session expires: the setting (once the database is open), else the engine's default. */
  idleTimeoutMs(): number {
    const minutes = this.db ? Number(this.settingOrNull(SETTING_IDLE)) : 0;
    return minutes > 0 ? minutes * 60_000 : this.opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** The desk settings as the admin screen shows them. */
  settings(): SettingsView {
    this.requireDb();
    return {
      idleMinutes: Math.round(this.idleTimeoutMs() / 60_000),
      retentionDays: Number(this.settingOrNull(SETTING_RETENTION) ?? 0),
      lastPurgeAt: this.settingOrNull('retention.lastPurgeAt'),
      staleDays: checkpointStaleDays(this.requireDb()),
      offlineLimitHours: offlineLimitHours(this.requireDb()),
    };
  }

  /** Changes desk settings (audited with the new values). */
  updateSettings(actorId: string, p: { idleMinutes?: number; retentionDays?: number; offlineLimitHours?: number }): SettingsView {
    const db = this.requireDb();
    db.transaction(() => {
      if (p.idleMinutes !== undefined) this.putSetting(SETTING_IDLE, String(p.idleMinutes));
      if (p.retentionDays !== undefined) this.putSetting(SETTING_RETENTION, String(p.retentionDays));
      if (p.offlineLimitHours !== undefined) this.putSetting(CENTRAL_SETTINGS.offlineLimitHours, String(p.offlineLimitHours));
      appendAudit(db, {
        actorId, action: 'settings.update',
        details: { idleMinutes: p.idleMinutes ?? null, retentionDays: p.retentionDays ?? null, offlineLimitHours: p.offlineLimitHours ?? null },
      }, this.now());
    })();
    return this.settings();
  }

  /** Purges personal data older than the retention setting. */
  purge(actorId: string): PurgeResult {
    return purgePersonalData(this.requireDb(), actorId, Number(this.settingOrNull(SETTING_RETENTION) ?? 0), this.now());
  }

  /** Verifies the audit chain and compares its end with the head kept outside the database. */
  verifyAudit(): AuditVerifyResult {
    return verifyAudit(this.requireDb(), readHeadFile(this.opts.dbPath));
  }

  private requireKey(): Buffer {
    if (!this.key) throw new AuthError(reason('auth.signInFirst'));
    return this.key;
  }

  /** The open database; throws AuthError while it is locked. */
  requireDb(): DB {
    if (!this.db) throw new AuthError(reason('auth.signInFirst'));
    return this.db;
  }

  /** The screener over the match index that answers now (see index-host/host.ts). */
  getScreener(): Screener {
    this.requireDb();
    this.screener ??= new Screener(() => this.requireDb(), this.requireIndex(), this.withdrawn);
    return this.screener;
  }

  private requireIndex(): IndexHost {
    this.index ??= new IndexHost({ dbPath: this.opts.dbPath, key: () => this.requireKey(), log: this.opts.log });
    return this.index;
  }

  /**
   * After a publication or a rollback: builds a new match index in the background while the
   * current one keeps answering. `withdrawn` names a version rolled back from: it stops answering
   * at once (the screener filters it at query time).
   */
  invalidateIndex(withdrawn?: string | null): void {
    if (withdrawn) this.withdrawn.add(withdrawn);
    this.requireIndex().rebuild();
  }

  /** Where the match index stands (screening answers "index building" until the first is ready). */
  indexStatus(): IndexStatus {
    return this.index?.status() ?? NO_INDEX;
  }

  /** Resolves when no index build is running (tests and the CLI wait for the lists as they are). */
  indexSettled(): Promise<void> {
    return this.index?.settled() ?? Promise.resolve();
  }

  /** Starts the first index build once the database is open, when any list has an active version. */
  private startIndex(): void {
    const db = this.requireDb();
    if (db.prepare('SELECT 1 FROM watchlists WHERE active_version_id IS NOT NULL LIMIT 1').get()) this.requireIndex().rebuild();
  }

  setting(key: string): string | null {
    const r = this.requireDb().prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  /** Creates the database, its key slots and the setup account (holding every role). */
  async setup(p: { adminUsername: string; password: string; recoveryPassphrase: string; checkpointName: string; timeZone: string }): Promise<Session> {
    if (this.initialized) throw new ConflictError(reason('setup.alreadySetUp'));
    try {
      new Intl.DateTimeFormat('en', { timeZone: p.timeZone });
    } catch {
      throw new BadInputError(reason('setup.unknownTimeZone'));
    }
    enforcePasswordPolicy(p.password, p.adminUsername);
    const { key, keyFile } = await createKeyFile(p.recoveryPassphrase, p.adminUsername, p.password);
    const db = createDatabase(this.opts.dbPath, key);
    try {
      const kf = this.opts.keychain ? await withKeychainSlot(keyFile, key, this.opts.keychain) : keyFile;
      writeKeyFile(this.opts.dbPath, kf, { mustNotExist: true });
    } catch (e) {
      db.close();
      for (const f of [this.opts.dbPath, `${this.opts.dbPath}-wal`, `${this.opts.dbPath}-shm`]) if (existsSync(f)) unlinkSync(f);
      throw e;
    }
    const now = this.now().toISOString();
    const userId = crypto.randomUUID();
    const passwordHash = await hashPassword(p.password);
    // The setup admin's signing key is the desk's root of trust; the recovery key vouches for a key given by recovery.
    const signing = await setupSigning(p.password, p.recoveryPassphrase);
    db.transaction(() => {
      db.prepare('INSERT INTO users (id, username, password_hash, roles, created_at, password_changed_at) VALUES (?,?,?,?,?,?)').run(
        userId, p.adminUsername, passwordHash, JSON.stringify(ROLES), now, now,
      );
      storeSetupSigning({ db, dbPath: this.opts.dbPath }, userId, signing);
      const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
      set.run('checkpoint.name', p.checkpointName);
      set.run('checkpoint.timeZone', p.timeZone);
      appendAudit(db, { actorId: userId, action: 'setup', subject: userId, details: { keyId: keyId(key), roles: [...ROLES], ...signing.details } }, this.now());
    })();
    this.db = db;
    this.key = key;
    this.syncHead();
    return this.newSession({ id: userId, username: p.adminUsername, roles: [...ROLES] });
  }

  /**
   * Signs a user in, unlocking the database with their key slot if it is still locked. Failures
   * are counted per account; after LOCKOUT_THRESHOLD in a row the account is locked for a while,
   * even for the right password. Every failure and lockout is audited (failures seen while the
   * database is locked are written when it next opens).
   */
  async signIn(username: string, password: string): Promise<Session> {
    if (!this.initialized) throw new ConflictError(reason('setup.notSetUp'));
    const kf = readKeyFile(this.opts.dbPath);
    const owner = ownerId(kf.fileId, username);
    const known = kf.slots.some((s) => s.type === 'user' && s.owner === owner);
    const lockedUntil = this.lockout.lockedUntil(owner, this.now());
    if (lockedUntil) {
      const u = this.db ? getUserByName(this.db, username) : undefined;
      if (this.db) appendAudit(this.db, { actorId: u?.id ?? null, action: 'auth.refusedLocked', details: { lockedUntil } }, this.now());
      throw lockedError(lockedUntil, this.now());
    }
    if (!this.db) {
      let keys: Buffer[];
      try {
        keys = await unlockCandidatesWithPassword(kf, username, password);
      } catch (e) {
        if (e instanceof WrongSecretError) this.failSignIn(owner, known, null);
        throw e;
      }
      await this.unlock(keys);
    }
    const db = this.requireDb();
    // An account the department revoked (central/accounts.ts) is refused before its password is checked or
    // anything of it unlocked (its key slot went with the revocation), counted and audited as a disabled account is.
    if (isAccountRevoked(db, username)) this.failSignIn(owner, false, getUserByName(db, username)?.id ?? null, reason('central.accountRevoked'));
    const u = getUserByName(db, username);
    // An account the department provisioned signs in only at the desks of its checkpoints (its grant as
    // the signed rows give it), refused before it gets a key slot here, counted and audited as a failure.
    // Elsewhere this desk holds no credentials of it (central/accounts.ts): refused as not here, not as a wrong password.
    const walk = signedAccounts(db);
    if (u && !u.disabled && u.password_hash === '' && !departmentAccountHere(db, walk, u.id)) this.failSignIn(owner, true, u.id, reason('central.accountNotHere'));
    const ok = u && !u.disabled && (await passwordMatches(u.password_hash, password));
    if (!u || !ok) this.failSignIn(owner, Boolean(u && !u.disabled), u?.id ?? null);
    if (!departmentAccountHere(db, walk, u.id)) this.failSignIn(owner, true, u.id, reason('central.accountNotHere'));
    this.lockout.clear(owner);
    // An account without a slot for the current key (after a rotation or a restore) gets one now.
    const key = this.requireKey();
    const current = readKeyFile(this.opts.dbPath);
    if (!hasUserSlot(current, u.username, key)) writeKeyFile(this.opts.dbPath, await withUserSlot(current, key, u.username, password));
    // The roles the signed rows grant (not the users table's), and the account's signing key held for its rows.
    const roles = await signInSigning(this.desk(), u, password, walk);
    appendAudit(db, { actorId: u.id, action: 'auth.signIn', subject: u.id, details: {} }, this.now());
    return this.newSession({ id: u.id, username: u.username, roles });
  }

  /** Counts and audits a failed sign-in, then throws the error the caller sees (AuthError `refusal`, or LockedError). */
  private failSignIn(owner: string, known: boolean, userId: string | null, refusal = reason('auth.wrongCredentials')): never {
    const { failures, locked } = this.lockout.recordFailure(owner, this.now(), { known, pending: !this.db });
    if (this.db) {
      appendAudit(this.db, { actorId: userId, action: 'auth.fail', details: { failures } }, this.now());
      if (locked) appendAudit(this.db, { actorId: userId, action: 'auth.lockout', subject: userId, details: {} }, this.now());
    }
    if (locked) throw lockedError(this.lockout.lockedUntil(owner, this.now())!, this.now());
    throw new AuthError(refusal);
  }

  /** The dashboard for a range of local days, counted in the reader worker (reader.ts readDashboard). */
  dashboard(range: DashboardRange, timeZone: string): Promise<DashboardView> {
    return readDashboard(this.opts.dbPath, this.requireKey(), range, timeZone, this.now());
  }

  /**
   * Starts an export job for `actorId` (crossings/export-jobs.ts): read and written by workers
   * over their own read-only connection (reader.ts runExport), so a large export delays no other call.
   */
  startExport(actorId: string, input: ExportJobInput): ExportJob {
    return this.exports.start({ dbPath: this.opts.dbPath, key: this.requireKey(), actorId, log: this.opts.log }, input);
  }

  /**
   * Hands out a file the engine made (a crossings export, an import report, a backup) and audits
   * it as `event` (whose details hold the file's SHA-256). "Audited once complete" (DESIGN.md
   * section 3) is kept this way:
   * - With `EngineOptions.exportTo` (the CLI's `--out`) the engine writes the file itself with the
   *   safe writer (files.ts: complete and fsynced before it has its name, never replacing a file
   *   unless `overwrite`; `verify` reads it back first) and only then appends the row, with
   *   `delivery: 'file'`. A write that fails throws its clear error (`files.exists`,
   *   `files.noSpace`, ...) and leaves neither file nor row: the content never left this process.
   *   If the row cannot be appended the file is removed and the error thrown. Only a kill in the
   *   instant between the file's move into place and the row's commit leaves a file without a row.
   * Returns 'file' when written there, 'caller' when the content goes back to the caller.
   * - Otherwise the content goes back to the caller (the app, whose browser download saves it where
   *   the engine cannot see) and the row, appended now, records that hand-over: the moment
   *   personal data leaves the engine, which is all the engine can know.
   */
  deliver(actorId: string, event: Omit<AuditEvent, 'actorId'>, content: Buffer, opts: { verify?: boolean } = {}): 'file' | 'caller' {
    const db = this.requireDb();
    const out = this.opts.exportTo;
    if (!out) {
      appendAudit(db, { actorId, ...event }, this.now());
      return 'caller';
    }
    const written = writeFileSafe(out.path, content, { overwrite: out.overwrite, verify: opts.verify });
    try {
      appendAudit(db, { actorId, ...event, details: { ...event.details, delivery: 'file' } }, this.now());
    } catch (e) {
      rmSync(written.path, { force: true });
      throw e;
    }
    return 'file';
  }

  /** What user administration needs of the open desk (users.ts); throws AuthError while it is locked. */
  desk(): UnlockedDesk {
    return { db: this.requireDb(), key: this.requireKey(), dbPath: this.opts.dbPath, now: () => this.now(), lockout: this.lockout, sessions: this.sessions };
  }

  /**
   * Sets a new password for an admin account with the recovery passphrase: every password lost, or
   * the database and its key file copied to a new machine. A wrong passphrase changes no file.
   */
  async recover(username: string, passphrase: string, newPassword: string): Promise<Session> {
    if (!this.initialized) throw new ConflictError(reason('setup.notSetUp'));
    const kf = readKeyFile(this.opts.dbPath);
    const owner = ownerId(kf.fileId, username);
    const known = kf.slots.some((s) => s.type === 'user' && s.owner === owner);
    const target = this.db ? getUserByName(this.db, username)?.id ?? null : null;
    const keys = await this.withRecoveryLimit('auth.recover', { actorId: target, owner: known ? owner : null }, async () => {
      let found: Buffer[];
      try {
        found = await unlockCandidatesWithPassphrase(kf, passphrase);
      } catch (e) {
        if (e instanceof WrongSecretError) throw new BadInputError(reason('auth.wrongPassphrase'));
        throw e;
      }
      if (this.db && !found.some((k) => k.equals(this.requireKey()))) throw new BadInputError(reason('auth.wrongPassphrase'));
      return found;
    });
    if (!this.db) {
      // Check the account before anything is written (opening migrates, and writes the trail).
      enforcePasswordPolicy(newPassword, username);
      await this.unlock(keys);
    }
    const db = this.requireDb();
    const u = getUserByName(db, username);
    appendAudit(db, { actorId: u?.id ?? null, action: 'recovery.used', subject: u?.id ?? null, details: { use: 'auth.recover' } }, this.now());
    if (!u || u.disabled || !rolesOf(u).includes('admin')) throw new BadInputError(reason('recovery.needsAdmin'));
    // Recovery signs the account in: not one the department revoked (central/accounts.ts).
    if (isAccountRevoked(db, u.username)) throw new AuthError(reason('central.accountRevoked'));
    await setPassword(this.desk(), u, newPassword, u.id, 'recovery', passphrase);
    appendAudit(db, { actorId: u.id, action: 'auth.recover', subject: u.id, details: {} }, this.now());
    // A database moved without its `<db>.head` (a new machine): the passphrase holder re-anchors the
    // head, and the trail says so. A head that exists is never replaced this way.
    if (readHeadFile(this.opts.dbPath) === null) {
      const head = auditHead(db);
      const reanchored = appendAudit(db, { actorId: u.id, action: 'audit.headReanchored', details: { atSeq: head.seq } }, this.now());
      writeHeadFile(this.opts.dbPath, attestedHead(db, this.opts.dbPath, auditHead(db), null, reanchored));
      this.syncedHead = null;
    }
    return this.newSession({ id: u.id, username: u.username, roles: rolesOf(u) });
  }

  /**
   * Checks the recovery passphrase against the open database's key (bad_input when wrong: the
   * session itself is fine), under the recovery limit (withRecoveryLimit); a right one is audited
   * as `recovery.used` by `actorId`.
   */
  private async assertPassphrase(passphrase: string, use: RecoveryUse, actorId: string): Promise<void> {
    await this.withRecoveryLimit(use, { actorId, owner: null }, async () => {
      let keys: Buffer[];
      try {
        keys = await unlockCandidatesWithPassphrase(readKeyFile(this.opts.dbPath), passphrase);
      } catch (e) {
        if (e instanceof WrongSecretError) throw new BadInputError(reason('auth.wrongPassphrase'));
        throw e;
      }
      if (!keys.some((k) => k.equals(this.requireKey()))) throw new BadInputError(reason('auth.wrongPassphrase'));
    });
    appendAudit(this.requireDb(), { actorId, action: 'recovery.used', details: { use } }, this.now());
  }

  /** The tail of uses of the recovery passphrase: each waits for the one before, so that guesses are counted one at a time. */
  private recoveryTurn: Promise<unknown> = Promise.resolve();

  /**
   * Runs one use of the recovery passphrase (`check`, which throws BadInputError
   * `auth.wrongPassphrase` for a wrong one) under its limit (lockout.ts, kept in `<db>.lockout`
   * so that it survives restarts): refused with LockedError `recovery.locked` while recovery is
   * locked, even for the right passphrase; a wrong one is counted, locks recovery for a growing
   * time from the RECOVERY_LOCK_THRESHOLD-th in a row (recoveryLockMs), and is audited as
   * `recovery.failed` (and `recovery.locked` when it locks) with the use and the count, never the
   * passphrase; a right one clears the count. With the database open the rows go straight into the
   * trail under `who.actorId`; while it is locked (a restore on an empty desk, a recovery on a new
   * machine) they are kept in `<db>.lockout` under `who.owner` (a known account's owner hash, never
   * a name) and written into the trail when it next opens. Uses run one at a time.
   */
  private withRecoveryLimit<T>(use: RecoveryUse, who: { actorId: string | null; owner: string | null }, check: () => Promise<T>): Promise<T> {
    const turn = this.recoveryTurn.then(async () => {
      const lockedUntil = this.lockout.recoveryLockedUntil(this.now());
      if (lockedUntil) {
        if (this.db) appendAudit(this.db, { actorId: who.actorId, action: 'recovery.refusedLocked', details: { use, lockedUntil } }, this.now());
        else this.lockout.addPending({ owner: who.owner, at: this.now().toISOString(), action: 'recovery.refusedLocked', failures: 0, use, lockedUntil });
        throw recoveryLockedError(lockedUntil, this.now());
      }
      let result: T;
      try {
        result = await check();
      } catch (e) {
        if (!(e instanceof BadInputError && e.reason.code === 'auth.wrongPassphrase')) throw e;
        const { failures, lockedUntil: until } = this.lockout.recordRecoveryFailure(this.now(), { use, owner: who.owner, pending: !this.db });
        if (this.db) {
          appendAudit(this.db, { actorId: who.actorId, action: 'recovery.failed', details: { use, failures } }, this.now());
          if (until) appendAudit(this.db, { actorId: who.actorId, action: 'recovery.locked', details: { use, failures, lockedUntil: until } }, this.now());
        }
        if (until) throw recoveryLockedError(until, this.now());
        throw e;
      }
      this.lockout.clearRecovery();
      return result;
    });
    this.recoveryTurn = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Rotates the database key. Everything slow (Argon2id, the keychain) happens first; then, without
   * yielding, the database is copied under the new key (`<db>.rotating`), the copy verified, the key
   * file written with the slots of both keys, the database closed, the copy renamed over it (the
   * commit), the old key's slots dropped, and the database reopened. A crash at any step leaves a
   * database that one of the key file's keys opens, with nothing lost; the next unlock tidies up.
   * The rotating admin's, the recovery and the keychain slots are re-made; other accounts get their
   * slot for the new key at their next sign-in while the desk is unlocked (or by a password reset).
   */
  async rotateKey(session: Session, password: string, passphrase: string): Promise<{ keyId: string; previousKeyId: string }> {
    const db = this.requireDb();
    this.refuseWhileImporting();
    const oldKey = this.requireKey();
    const u = getUser(db, session.user.id);
    if (!u || !(await passwordMatches(u.password_hash, password))) throw new BadInputError(reason('account.currentPasswordWrong'));
    await this.assertPassphrase(passphrase, 'keys.rotate', u.id);
    const newKey = randomBytes(32);
    const oldId = keyId(oldKey);
    const newId = keyId(newKey);
    const kf = readKeyFile(this.opts.dbPath);
    let fresh: KeyFile = { ...kf, keyId: newId, slots: [] };
    fresh = await withRecoverySlot(fresh, newKey, passphrase);
    fresh = await withUserSlot(fresh, newKey, u.username, password);
    if (this.opts.keychain) fresh = await withKeychainSlot(fresh, newKey, this.opts.keychain);
    // A build in progress reads the database: stop it (the index answering needs no database).
    const rebuildAfter = (await this.index?.abandonBuild()) ?? false;
    // An import may have started while the passwords were checked or the build was stopped; this
    // is the last await before the part that does not yield.
    try {
      this.refuseWhileImporting();
    } catch (e) {
      if (rebuildAfter) this.index?.rebuild();
      throw e;
    }
    // From here on nothing yields until the database is open again: no call can write in between.
    // No other process may have the file open: it would go on writing to the old file after the swap.
    try {
      takeExclusive(db);
    } catch (e) {
      if (rebuildAfter) this.index?.rebuild();
      throw e;
    }
    const dbPath = this.opts.dbPath;
    const staging = stagingPath(dbPath, 'rotating');
    appendAudit(db, { actorId: u.id, action: 'keys.rotate', details: { from: oldId, to: newId } }, this.now());
    this.syncHead();
    const expected = auditHead(db);
    let swapped = false;
    try {
      copyDatabaseUnderKey(db, staging, oldKey, newKey);
      crashPoint('copied');
      verifyCopy(staging, newKey, expected, () => new Error('the re-keyed copy does not match the database'));
      crashPoint('verified');
      const oldSlots = kf.slots.map((s) => (s.keyId ? s : { ...s, keyId: oldId }));
      writeKeyFile(dbPath, { ...kf, keyId: oldId, slots: [...oldSlots, ...fresh.slots] });
      crashPoint('keys-both');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      this.db = null;
      if (existsSync(`${dbPath}-wal`) && readFileSync(`${dbPath}-wal`).length > 0) throw new Error('the database journal was not folded back');
      rmSync(`${dbPath}-wal`, { force: true });
      rmSync(`${dbPath}-shm`, { force: true });
      crashPoint('closed');
      renameSync(staging, dbPath);
      fsyncDir(dbPath);
      swapped = true;
      crashPoint('swapped');
      writeKeyFile(dbPath, fresh);
      crashPoint('keys-new');
    } catch (e) {
      if (!swapped) {
        removeDatabaseFiles(staging);
        writeKeyFile(dbPath, kf);
        if (this.db) releaseExclusive(this.db);
        else this.db = openDatabase(dbPath, oldKey);
      }
      if (!swapped) {
        if (rebuildAfter) this.index?.rebuild();
        throw e;
      }
    }
    if (swapped) {
      this.db = openDatabase(dbPath, newKey);
      this.key = newKey;
      oldKey.fill(0);
      appendAudit(this.db, { actorId: u.id, action: 'keys.rotated', details: { keyId: newId } }, this.now());
      this.syncedHead = null;
      this.syncHead();
      if (rebuildAfter) this.index?.rebuild();
    }
    return { keyId: newId, previousKeyId: oldId };
  }

  /**
   * Makes an encrypted backup: the database copied under a fresh random key, that key wrapped with
   * the recovery passphrase, in one file. The file is read back and fully checked (passphrase
   * unwraps it, integrity, audit chain and head) before it is returned, or, with
   * `EngineOptions.exportTo`, written there (read back before it gets its name) and only then
   * audited (`deliver`). Staging copies are encrypted, 0600, uniquely named and removed.
   */
  async createBackup(actorId: string, passphrase: string): Promise<BackupResult> {
    this.requireDb();
    await this.assertPassphrase(passphrase, 'backup.create', actorId);
    const backupKey = randomBytes(32);
    const slot = await recoverySlotFor(backupKey, passphrase);
    // Copied, packed and read back by a worker over its own connection: other calls go on meanwhile.
    const { content: file, headSeq } = await runReaderJob(this.opts.dbPath, this.requireKey(), {
      kind: 'backup', backupKey: new Uint8Array(backupKey), slot, passphrase, createdAt: this.now().toISOString(),
      staging: stagingPath(this.opts.dbPath, 'backup-tmp'), check: stagingPath(this.opts.dbPath, 'backup-check'),
    });
    backupKey.fill(0);
    const sha256 = createHash('sha256').update(file).digest('hex');
    this.deliver(actorId, { action: 'backup.create', details: { sha256, bytes: file.length, auditHeadSeq: headSeq } }, file, { verify: true });
    const stamp = this.now().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return { fileName: `watchdesk-backup-${stamp}.wdbak`, contentBase64: file.toString('base64'), sha256, bytes: file.length, auditHeadSeq: headSeq };
  }

  /**
   * Restores a backup where no database exists: the recovery passphrase unwraps it (a wrong one
   * writes nothing), the image is checked, a new key file is made with the recovery slot and a slot
   * for `username` (an enabled admin in the backup) under `newPassword`, and the chain head is
   * written beside it. Other accounts get their slot at their next sign-in while the desk is unlocked.
   */
  async restoreBackup(content: Buffer, passphrase: string, username: string, newPassword: string): Promise<Session> {
    if (this.initialized) throw new ConflictError(reason('restore.alreadySetUp'));
    const dbPath = this.opts.dbPath;
    for (const f of [`${dbPath}-wal`, `${dbPath}-shm`]) {
      if (existsSync(f)) throw new ConflictError(reason('restore.alreadySetUp'));
    }
    const { header, image } = unpackBackup(content);
    // No database here yet: failures are kept in `<db>.lockout` and reach the trail of the restored database.
    const key = await this.withRecoveryLimit('backup.restore', { actorId: null, owner: null }, async () => {
      try {
        return await unwrapRecoverySlot(header.slot, passphrase);
      } catch {
        throw new BadInputError(reason('auth.wrongPassphrase'));
      }
    });
    enforcePasswordPolicy(newPassword, username);
    const staging = stagingPath(dbPath, 'restoring');
    try {
      writeFileSafe(staging, image);
      verifyCopy(staging, key, header.auditHead, () => new BadInputError(reason('restore.doesNotVerify')), (copy) => {
        const u = getUserByName(copy, username);
        if (!u || u.disabled || !rolesOf(u).includes('admin')) throw new BadInputError(reason('restore.needsAdmin'));
        // Not an account the department manages (or revoked): its password is the centre's, so setting it below would
        // fail after the files moved into place (a half-restored desk). Refused here, before anything is written.
        if (isCentralAccount(copy, u.id)) throw new BadInputError(reason('restore.departmentAccount'));
        if (isAccountRevoked(copy, u.username)) throw new AuthError(reason('central.accountRevoked'));
      });
      const recovery = await recoverySlotFor(key, passphrase);
      const fileId = randomBytes(16).toString('hex');
      let kf: KeyFile = { format: 'watchdesk-keys', version: 1, fileId, keyId: keyId(key), slots: [recovery] };
      kf = await withUserSlot(kf, key, username, newPassword);
      if (this.opts.keychain) kf = await withKeychainSlot(kf, key, this.opts.keychain);
      if (this.initialized) throw new ConflictError(reason('restore.alreadySetUp'));
      writeHeadFile(dbPath, header.auditHead);
      // Never over a database that appeared meanwhile: the move is refused (EEXIST) when anything is there.
      try {
        moveIntoPlace(staging, dbPath);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(reason('restore.alreadySetUp'));
        throw e;
      }
      writeKeyFile(dbPath, kf, { mustNotExist: true });
    } finally {
      removeDatabaseFiles(staging);
    }
    await this.unlock([key]);
    const db = this.requireDb();
    this.putSetting(SETTING_HEAD_ANCHORED, '1');
    const u = getUserByName(db, username)!;
    appendAudit(db, { actorId: u.id, action: 'recovery.used', details: { use: 'backup.restore' } }, this.now());
    await setPassword(this.desk(), u, newPassword, u.id, 'recovery', passphrase);
    appendAudit(db, {
      actorId: u.id, action: 'backup.restore',
      details: { sha256: createHash('sha256').update(content).digest('hex'), auditHeadSeq: header.auditHead.seq, createdAt: header.createdAt },
    }, this.now());
    this.syncHead();
    return this.newSession({ id: u.id, username: u.username, roles: rolesOf(u) });
  }

  signOut(token: string | null | undefined): void {
    const s = token ? this.sessions.get(token) : undefined;
    if (s) this.batches.forgetUser(s.user.id);
    if (s) this.exports.forgetUser(s.user.id);
    if (token) this.sessions.delete(token);
  }

  private newSession(user: UserView): Session {
    const s = { token: randomBytes(32).toString('base64url'), user, lastSeen: this.now().getTime() };
    this.sessions.set(s.token, s);
    return s;
  }

  /**
   * The one entry point of every transport. Never throws; errors become envelopes. Order: known
   * method, session (idle expiry), role (deny by default, denials audited), payload validation,
   * handler; then the audit head outside the database is brought up to date.
   */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    const method = typeof req?.method === 'string' ? req.method : '';
    if (!Object.hasOwn(requestSchemas, method)) {
      // invalid_request has no error class: it is decided here and in validation.ts, before any handler.
      return fail({ code: 'invalid_request', ...reasonView(reason('request.unknownMethod', { method: method.slice(0, 60) })) });
    }
    const m = method as ApiMethod;
    let session = req.token ? this.sessions.get(req.token) ?? null : null;
    if (session) {
      const now = this.now().getTime();
      if (now - session.lastSeen > this.idleTimeoutMs()) {
        this.sessions.delete(session.token);
        session = null;
        if (!PUBLIC_METHODS.has(m)) return fail(errorEnvelope(new AuthError(reason('auth.sessionExpired'))));
      } else if (!BACKGROUND_METHODS.has(m)) session.lastSeen = now;
    }
    if (!PUBLIC_METHODS.has(m)) {
      if (!session || !this.db) return fail(errorEnvelope(new AuthError(reason('auth.signInFirst'))));
      if (!isAllowed(m, session.user.roles)) {
        appendAudit(this.db, { actorId: session.user.id, action: 'denied', details: { method: m } }, this.now());
        this.syncHead();
        return fail(errorEnvelope(new ForbiddenError(reason('auth.forbidden', { method: m }))));
      }
    }
    // Validated after the session and role checks: a caller who may not call a method learns nothing about its payload.
    const parsed = requestSchemas[m].safeParse(req.payload ?? {});
    // Schema limits only (never the values given), so this is safe to show.
    if (!parsed.success) return fail(malformedRequest(m, parsed.error, req.payload ?? {}));
    try {
      const handler = HANDLERS[m] as (ctx: HandlerContext, p: unknown) => unknown;
      const result = await handler({ engine: this, session, token: req.token ?? null }, parsed.data);
      return { ok: true, result };
    } catch (e) {
      return fail(this.toApiError(m, e));
    } finally {
      try {
        this.syncHead();
      } catch (e) {
        this.opts.log?.(`could not write the audit head: ${e instanceof Error ? e.name : typeof e}`);
      }
    }
  }

  private toApiError(method: string, e: unknown): ApiError {
    if (e instanceof WatchdeskError) return errorEnvelope(e);
    // A damaged database or a full disk found by any call: its clear error, not "internal error".
    const storage = storageError(e, this.opts.dbPath);
    if (storage) return errorEnvelope(storage);
    this.opts.log?.(`internal error in ${method}: ${e instanceof Error ? e.name : typeof e}`);
    return errorEnvelope(new InternalError(reason('internal.error')));
  }

  /**
   * Refuses (ConflictError naming the job and its list) while an import job runs: the action
   * would close the connection the job stages into.
   */
  private refuseWhileImporting(): void {
    const job = this.jobs.running()[0];
    if (!job) return;
    throw new ConflictError(reason('keys.importRunning', { jobId: job.id, list: job.listName }));
  }

  /**
   * Shuts the engine down: running imports are cancelled and waited for (their staging deleted,
   * every list keeps its active version), running batch screenings cancelled (each audited), the
   * index workers stopped, then the database closed.
   */
  async shutdown(): Promise<void> {
    await this.jobs.cancelAll();
    await this.batches.cancelAll();
    // A sync in flight finishes its batch (or fails) before the database closes under it.
    await syncSettled(this.opts.dbPath);
    await this.index?.close();
    this.close();
  }

  /** Closes the database and forgets every session. */
  close(): void {
    this.sessions.clear();
    // Export workers stopped, their files dropped unhanded (nothing audited).
    this.exports.cancelAll();
    this.screener = null;
    void this.index?.close();
    this.index = null;
    this.withdrawn.clear();
    this.db?.close();
    this.db = null;
    this.key?.fill(0);
    this.key = null;
    this.syncedHead = null;
    forgetSigners(this.opts.dbPath);
  }
}

export interface HandlerContext {
  engine: Engine;
  session: Session | null;
  token: string | null;
}

function recoveryLockedError(until: string, now: Date): LockedError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
  return new LockedError(reason('recovery.locked', { minutes }));
}

function lockedError(until: string, now: Date): LockedError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
  return new LockedError(reason('auth.locked', { minutes }));
}

function fail(error: ApiError): ApiResponse {
  return { ok: false, error };
}
