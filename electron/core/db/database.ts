/**
 * The encrypted SQLite database (better-sqlite3-multiple-ciphers, default cipher ChaCha20-Poly1305).
 *
 * Opening never creates a file over an existing one and never writes anything before the key has
 * been proven right; temporary tables and sorts stay in memory so nothing spills unencrypted.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { MIGRATIONS } from './migrations';
import { AuthError } from '../errors';
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
}

/** Thrown when the key does not open the database; no file was changed. */
export class WrongKeyError extends AuthError {
  constructor() {
    super(reason('auth.wrongKey'));
  }
}

/**
 * Opens an existing encrypted database with its 32-byte key and brings its schema up to date.
 * Throws WrongKeyError (and leaves every file untouched) when the key is wrong, and an Error when
 * the file does not exist.
 */
export function openDatabase(path: string, key: Buffer): DB {
  if (!existsSync(path)) throw new Error('the database file does not exist');
  // Prove the key on a read-only handle first, so that a wrong key cannot touch the files.
  const probe = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
  try {
    applyKey(probe, key);
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    throw new WrongKeyError();
  } finally {
    probe.close();
  }
  const db = new Database(path, { fileMustExist: true, nativeBinding });
  applyKey(db, key);
  configure(db);
  migrate(db);
  return db;
}

/** Creates a new encrypted database; refuses when any file is already at `path`. */
export function createDatabase(path: string, key: Buffer): DB {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(p)) throw new Error('a database already exists there; refusing to overwrite it');
  }
  const db = new Database(path, { nativeBinding });
  // Owner only; SQLite gives the WAL and SHM files the database file's mode.
  chmodSync(path, 0o600);
  applyKey(db, key);
  configure(db);
  migrate(db);
  return db;
}

/** Applies the numbered migrations past `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
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
 * safe on a WAL database). Any file already at `dest` is replaced.
 */
export function copyDatabaseUnderKey(db: DB, dest: string, currentKey: Buffer, newKey: Buffer): void {
  if (newKey.length !== 32) throw new Error('database key must be 32 bytes');
  removeDatabaseFiles(dest);
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
