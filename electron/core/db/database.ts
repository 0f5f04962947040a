/**
 * The encrypted SQLite database (better-sqlite3-multiple-ciphers, default cipher ChaCha20-Poly1305).
 *
 * Opening never creates a file over an existing one (an empty file, a folder, a damaged file at the
 * database path is refused with a clear error naming it, never replaced) and never writes anything
 * before the key has been proven right; temporary tables and sorts stay in memory so nothing spills
 * unencrypted. Every database file, and every copy, starts as an empty 0600 file made here
 * (files.ts `createPrivateFile`): SQLite keeps that mode and gives it to the journal, WAL and
 * shared-memory files, whatever the process umask.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { MIGRATIONS } from './migrations';
import { AuthError, BadInputError, ConflictError, InternalError, type WatchdeskError } from '../errors';
import { createPrivateFile } from '../files';
import { reason } from '../../../shared/reasons';

export type DB = Database.Database;

/** Where the Electron shell keeps a copy of the native addon rebuilt for Electron's ABI. */
let nativeBinding: string | undefined;
/** Set by the Electron shell before any database is opened; plain Node uses the default build. */
export function setNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}
/** The native addon path set by setNativeBinding (worker threads are handed it). */
export function getNativeBinding(): string | undefined {
  return nativeBinding;
}

function applyKey(db: DB, key: Buffer): void {
  if (key.length !== 32) throw new Error('database key must be 32 bytes');
  db.pragma(`hexkey='${key.toString('hex')}'`);
}

function configure(db: DB): void {
  db.pragma('temp_store = MEMORY');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  // 32 MiB of page cache (SQLite's default is 2 MiB): every page read from the file is decrypted,
  // and the crossings browser's indexes and counts (issue 14) are read again on each filter change.
  db.pragma('cache_size = -32768');
}

/** Thrown when the key does not open the database; no file was changed. */
export class WrongKeyError extends AuthError {
  constructor() {
    super(reason('auth.wrongKey'));
  }
}

/**
 * The database file is damaged (SQLite reports corruption, or no key of an authentic key slot opens
 * it): InternalError `files.dbDamaged` naming the file and the way back (restore the latest backup).
 */
export class DatabaseDamagedError extends InternalError {
  constructor(path: string) {
    super(reason('files.dbDamaged', { file: basename(path) }));
  }
}

/** True for SQLite's "the file is damaged" errors (SQLITE_CORRUPT and its extended codes, SQLITE_NOTADB). */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * The clear error for a storage failure of the database at `dbPath` that reached a caller as a
 * plain error, or null for any other error: DatabaseDamagedError for corruption, BadInputError
 * `files.noSpace` for a full disk (SQLITE_FULL, ENOSPC, EDQUOT), `files.cannotWrite` for a
 * read-only or inaccessible database (SQLITE_READONLY*, SQLITE_CANTOPEN*, SQLITE_PERM).
 */
export function storageError(e: unknown, dbPath: string): WatchdeskError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (isCorruptionError(e)) return new DatabaseDamagedError(dbPath);
  const errPath = (e as { path?: unknown }).path;
  const file = basename(typeof errPath === 'string' ? errPath : dbPath);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT') return new BadInputError(reason('files.noSpace', { file }));
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') return new BadInputError(reason('files.cannotWrite', { file }));
  return null;
}

/**
 * Refuses what cannot be an existing database at `path`, before SQLite sees it: InternalError
 * `files.dbMissing` when nothing is there, `files.dbNotFile` for a folder or a device, and
 * `files.dbEmpty` for an empty file (SQLite would take an empty file for a new database and the
 * migrations would fill it: "nothing creates a new database over an existing one").
 */
export function assertDatabaseFile(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InternalError(reason('files.dbMissing', { file: basename(path) }));
  }
  if (!st.isFile()) throw new InternalError(reason('files.dbNotFile', { file: basename(path) }));
  if (st.size === 0) throw new InternalError(reason('files.dbEmpty', { file: basename(path) }));
}

/**
 * Opens an existing encrypted database with its 32-byte key and brings its schema up to date.
 * Throws (and leaves every file untouched) WrongKeyError when the key does not open it,
 * DatabaseDamagedError when SQLite finds it damaged, and InternalError `files.dbMissing`,
 * `files.dbNotFile` or `files.dbEmpty` (assertDatabaseFile) when there is no database to open.
 */
export function openDatabase(path: string, key: Buffer): DB {
  assertDatabaseFile(path);
  // Prove the key on a read-only handle first, so that a wrong key cannot touch the files.
  const probe = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
  try {
    applyKey(probe, key);
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    // A wrong key cannot be told from random bytes (SQLITE_NOTADB); a right key on a cut or
    // damaged file reads page 1 and then finds the damage (SQLITE_CORRUPT).
    if (isCorruptionError(e) && (e as { code: string }).code !== 'SQLITE_NOTADB') throw new DatabaseDamagedError(path);
    throw new WrongKeyError();
  } finally {
    probe.close();
  }
  tightenModes(path);
  const db = new Database(path, { fileMustExist: true, nativeBinding });
  try {
    applyKey(db, key);
    configure(db);
    migrate(db);
  } catch (e) {
    db.close();
    if (isCorruptionError(e)) throw new DatabaseDamagedError(path);
    throw e;
  }
  return db;
}

/**
 * Makes a database file and its journal, WAL and shared-memory files owner-only (0600) where
 * they are not: databases written by earlier versions (a key rotation made them 0644).
 */
function tightenModes(path: string): void {
  if (process.platform === 'win32') return;
  for (const f of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) {
    try {
      if (statSync(f).mode & 0o077) chmodSync(f, 0o600);
    } catch {
      /* absent */
    }
  }
}

/**
 * Creates a new encrypted database, its file made 0600 with O_EXCL first (so its WAL and SHM are
 * 0600 too). Refuses with ConflictError `setup.alreadySetUp` when anything is already at `path`
 * or its WAL, SHM or journal path.
 */
export function createDatabase(path: string, key: Buffer): DB {
  for (const p of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(p)) throw new ConflictError(reason('setup.alreadySetUp'));
  }
  try {
    createPrivateFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(reason('setup.alreadySetUp'));
    throw e;
  }
  const db = new Database(path, { fileMustExist: true, nativeBinding });
  applyKey(db, key);
  configure(db);
  migrate(db);
  return db;
}

/** Applies the numbered migrations past `PRAGMA user_version`, each (its SQL, then its backfill) in its own transaction. */
export function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.backfill?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Removes a database file and its journal, WAL and shared-memory companions, where they exist. */
export function removeDatabaseFiles(path: string): void {
  for (const f of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
}

/**
 * Copies the open database into a new file at `dest` encrypted under `newKey`, never in the clear:
 * `VACUUM INTO` writes the copy under the current key (SQLite3MultipleCiphers gives the target the
 * main database's cipher and key), then the copy, which is not in WAL mode and not in use, is
 * re-keyed in place with `hexrekey`. The live database is never re-keyed (`PRAGMA rekey` is not
 * safe on a WAL database). `dest` is made first as an empty 0600 file with O_EXCL (VACUUM INTO
 * would create it with the umask's mode, 0644), so the copy and its journal are 0600; a file
 * already at `dest` is an error (EEXIST), never replaced: staging names are unique (backup.ts).
 */
export function copyDatabaseUnderKey(db: DB, dest: string, currentKey: Buffer, newKey: Buffer): void {
  if (newKey.length !== 32) throw new Error('database key must be 32 bytes');
  createPrivateFile(dest);
  db.prepare('VACUUM INTO ?').run(dest);
  const copy = new Database(dest, { fileMustExist: true, nativeBinding });
  try {
    applyKey(copy, currentKey);
    copy.pragma('temp_store = MEMORY');
    if (String(copy.pragma('journal_mode = DELETE', { simple: true })).toLowerCase() !== 'delete') {
      throw new Error('the copy could not leave WAL mode');
    }
    copy.pragma(`hexrekey='${newKey.toString('hex')}'`);
  } finally {
    copy.close();
  }
}

/**
 * Opens an existing database read-only with `key` (a second connection beside the engine's, for
 * the match-index builder). Throws WrongKeyError when the key does not open it.
 */
export function openReader(path: string, key: Buffer): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
  try {
    applyKey(db, key);
    db.pragma('temp_store = MEMORY');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    db.close();
    throw new WrongKeyError();
  }
  return db;
}

/**
 * Opens a database file read-only with `key` and checks it: the key opens it and SQLite's
 * integrity check passes. Returns the open read-only handle (the caller closes it); throws
 * WrongKeyError or an Error naming what failed.
 */
export function openVerified(path: string, key: Buffer): DB {
  const probe = openReader(path, key);
  const check = probe.pragma('integrity_check', { simple: true });
  if (check !== 'ok') {
    probe.close();
    throw new Error('the database copy failed its integrity check');
  }
  return probe;
}

/**
 * Takes the database for this connection alone, for a swap of the file (key rotation): leaves WAL
 * mode, which SQLite allows only while no other connection, in any process, has the file open,
 * and keeps an exclusive lock from the next write on, so that nobody opens it until this
 * connection closes. Throws ConflictError `db.inUseElsewhere` when another process (the app and
 * the CLI on one database) has it open: it would go on writing to the old file after the swap.
 * `releaseExclusive` undoes it when the swap is abandoned.
 */
export function takeExclusive(db: DB): void {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 250');
  try {
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw new ConflictError(reason('db.inUseElsewhere'));
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new ConflictError(reason('db.inUseElsewhere'));
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  db.pragma('locking_mode = EXCLUSIVE');
}

/** Gives the database back to shared use in WAL mode after `takeExclusive` (the swap did not happen). */
export function releaseExclusive(db: DB): void {
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = WAL');
}
