/**
 * The engine: owns the database, the sessions and the match index, and dispatches every API call
 * through one place (`handle`), where the request is validated, the session found and the role
 * checked. Transports (IPC, harness HTTP, direct calls) only pass envelopes in and out.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { z } from 'zod';
import {
  PUBLIC_METHODS, requestSchemas, type ApiError, type ApiMethod, type ApiRequest, type ApiResponse, type UserView,
} from '../../../shared/contract';
import { appendAudit } from '../audit';
import { createDatabase, openDatabase, WrongKeyError, type DB } from '../db/database';
import {
  ARGON2_PARAMS, createKeyFile, readKeyFile, unlockWithKeychain, unlockWithPassword, withKeychainSlot, WrongSecretError,
  writeKeyFile, type Keychain,
} from '../db/keyslots';
import { ConflictError, Screener } from '../screening';
import { BadInputError } from '../watchlists/store';
import { HANDLERS } from './handlers';
import { isAllowed, ROLES } from './permissions';

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
}

export interface Session {
  token: string;
  user: UserView;
  /** Epoch ms of the session's last call. */
  lastSeen: number;
}

/** Default idle time after which a session expires, in ms. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60 * 1000;

/** Thrown by handlers for a missing record; the message is safe to show. */
export class NotFoundError extends Error {}
/** Thrown when the caller is not signed in or the credentials are wrong. */
export class AuthError extends Error {}

export class Engine {
  readonly opts: EngineOptions;
  private db: DB | null = null;
  private sessions = new Map<string, Session>();
  private screener: Screener | null = null;

  constructor(opts: EngineOptions) {
    this.opts = opts;
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
    const key = await unlockWithKeychain(readKeyFile(this.opts.dbPath), this.opts.keychain);
    if (key) this.db = openDatabase(this.opts.dbPath, key);
  }

  /** The open database; throws AuthError while it is locked. */
  requireDb(): DB {
    if (!this.db) throw new AuthError('sign in first');
    return this.db;
  }

  /** The screener over the current active list versions, built on first use after a change. */
  getScreener(): Screener {
    this.screener ??= new Screener(this.requireDb());
    return this.screener;
  }

  /** Drops the match index; the next screening rebuilds it (after a publication). */
  invalidateIndex(): void {
    this.screener = null;
  }

  setting(key: string): string | null {
    const r = this.requireDb().prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  /** Creates the database, its key slots and the setup account (holding every role). */
  async setup(p: { adminUsername: string; password: string; recoveryPassphrase: string; checkpointName: string; timeZone: string }): Promise<Session> {
    if (this.initialized) throw new ConflictError('Watchdesk is already set up here; refusing to create a new database over it');
    try {
      new Intl.DateTimeFormat('en', { timeZone: p.timeZone });
    } catch {
      throw new BadInputError('unknown time zone (use an IANA name such as Asia/Bangkok)');
    }
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
    const passwordHash = await argonHash(p.password, { algorithm: 2, ...ARGON2_PARAMS });
    db.transaction(() => {
      db.prepare('INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?,?,?,?,?)').run(
        userId, p.adminUsername, passwordHash, JSON.stringify(ROLES), now,
      );
      const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
      set.run('checkpoint.name', p.checkpointName);
      set.run('checkpoint.timeZone', p.timeZone);
      appendAudit(db, { actorId: userId, action: 'setup', subject: userId, details: {} }, this.now());
    })();
    this.db = db;
    return this.newSession({ id: userId, username: p.adminUsername, roles: [...ROLES] });
  }

  /** Signs a user in, unlocking the database with their key slot if it is still locked. */
  async signIn(username: string, password: string): Promise<Session> {
    if (!this.initialized) throw new ConflictError('Watchdesk is not set up yet');
    if (!this.db) {
      let key: Buffer;
      try {
        key = await unlockWithPassword(readKeyFile(this.opts.dbPath), username, password);
      } catch (e) {
        if (e instanceof WrongSecretError) throw new AuthError('wrong username or password');
        throw e;
      }
      this.db = openDatabase(this.opts.dbPath, key);
      if (this.opts.keychain) {
        const kf = readKeyFile(this.opts.dbPath);
        if (!kf.slots.some((s) => s.type === 'keychain')) writeKeyFile(this.opts.dbPath, await withKeychainSlot(kf, key, this.opts.keychain));
      }
    }
    const db = this.db;
    const u = db.prepare('SELECT id, username, password_hash, roles, disabled FROM users WHERE username = ?').get(username) as
      | { id: string; username: string; password_hash: string; roles: string; disabled: number }
      | undefined;
    const ok = u && !u.disabled && (await argonVerify(u.password_hash, password));
    if (!u || !ok) {
      appendAudit(db, { actorId: u?.id ?? null, action: 'auth.fail', details: {} }, this.now());
      throw new AuthError('wrong username or password');
    }
    appendAudit(db, { actorId: u.id, action: 'auth.signIn', subject: u.id, details: {} }, this.now());
    return this.newSession({ id: u.id, username: u.username, roles: JSON.parse(u.roles) });
  }

  signOut(token: string | null | undefined): void {
    if (token) this.sessions.delete(token);
  }

  private newSession(user: UserView): Session {
    const s = { token: randomBytes(32).toString('base64url'), user, lastSeen: this.now().getTime() };
    this.sessions.set(s.token, s);
    return s;
  }

  /** The one entry point of every transport. Never throws; errors become envelopes. */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    const method = typeof req?.method === 'string' ? req.method : '';
    if (!Object.hasOwn(requestSchemas, method)) {
      return fail({ code: 'invalid_request', message: `unknown method "${method.slice(0, 60)}"` });
    }
    const m = method as ApiMethod;
    const parsed = requestSchemas[m].safeParse(req.payload ?? {});
    if (!parsed.success) {
      return fail({
        code: 'invalid_request',
        message: `malformed request for ${m}`,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    let session = req.token ? this.sessions.get(req.token) ?? null : null;
    if (session) {
      const now = this.now().getTime();
      if (now - session.lastSeen > (this.opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS)) {
        this.sessions.delete(session.token);
        session = null;
        if (!PUBLIC_METHODS.has(m)) return fail({ code: 'unauthenticated', message: 'the session expired after inactivity: sign in again' });
      } else session.lastSeen = now;
    }
    if (!PUBLIC_METHODS.has(m)) {
      if (!session || !this.db) return fail({ code: 'unauthenticated', message: 'sign in first' });
      if (!isAllowed(m, session.user.roles)) {
        appendAudit(this.db, { actorId: session.user.id, action: 'denied', details: { method: m } }, this.now());
        return fail({ code: 'forbidden', message: `your role may not call ${m}` });
      }
    }
    try {
      const handler = HANDLERS[m] as (ctx: HandlerContext, p: unknown) => unknown;
      const result = await handler({ engine: this, session, token: req.token ?? null }, parsed.data);
      return { ok: true, result };
    } catch (e) {
      return fail(this.toApiError(m, e));
    }
  }

  private toApiError(method: string, e: unknown): ApiError {
    if (e instanceof BadInputError) return { code: 'bad_input', message: e.message };
    if (e instanceof ConflictError) return { code: 'conflict', message: e.message };
    if (e instanceof NotFoundError) return { code: 'not_found', message: e.message };
    if (e instanceof AuthError) return { code: 'unauthenticated', message: e.message };
    if (e instanceof WrongKeyError) return { code: 'unauthenticated', message: e.message };
    if (e instanceof z.ZodError) return { code: 'invalid_request', message: 'malformed request' };
    this.opts.log?.(`internal error in ${method}: ${e instanceof Error ? e.name : typeof e}`);
    return { code: 'internal', message: 'internal error: the action was not completed' };
  }

  /** Closes the database and forgets every session. */
  close(): void {
    this.sessions.clear();
    this.screener = null;
    this.db?.close();
    this.db = null;
  }
}

export interface HandlerContext {
  engine: Engine;
  session: Session | null;
  token: string | null;
}

function fail(error: ApiError): ApiResponse {
  return { ok: false, error };
}
