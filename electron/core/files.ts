/**
 * The one way the app writes a file (DESIGN.md section 3: "Every file the app writes ... goes to a
 * temporary name in the same folder, is fsynced and renamed into place, is created 0600, never
 * overwrites without being asked"): exports, reports, backups, the key, head and lockout files
 * beside the database, printed PDFs. Database files themselves are written by SQLite; their empty
 * 0600 starting file comes from `createPrivateFile` here.
 *
 * How a write goes: a temporary file `<name>.<pid>-<random>.tmp` is created beside the target
 * with O_CREAT|O_EXCL and mode 0600, written in full, fsynced, (optionally) read back, then given
 * its final name and the folder fsynced. Without `overwrite` the final step is `link(tmp, name)`,
 * which fails when the name exists, so two writers can never both win and nothing existing is
 * replaced; with `overwrite` it is `rename(tmp, name)`, an atomic replacement. A file with the
 * final name is therefore always complete: a failure (disk full, no permission) removes the
 * temporary file, and a kill leaves at most a `.tmp` file, which the next write of the same name
 * (and, beside the database, the next open: db/backup.ts `removeStaleStaging`) removes once the
 * process that made it is gone.
 *
 * Errors are clear and carry the file's base name only (never its folder, never its content):
 * ConflictError `files.exists`, BadInputError `files.noSpace`, `files.cannotWrite` or
 * `files.writeFailed`.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { reason } from '../../shared/reasons';
import { BadInputError, ConflictError, WatchdeskError } from './errors';

/** How `writeFileSafe` may write. */
export interface WriteOptions {
  /** Replace a file already at the path (atomically). Default false: an existing file is refused with `files.exists`. */
  overwrite?: boolean;
  /** Read the temporary file back and compare it with `data` before it gets its final name. */
  verify?: boolean;
  /** Create missing parent folders (mode 0700). Default false: a missing folder is `files.cannotWrite`. */
  makeDirs?: boolean;
  /**
   * Remove the temporary files a dead writer of this path left (a folder read). Default true; the
   * desk's own files (key, head, lockout), written on every call, pass false: `removeStaleStaging`
   * (db/backup.ts) sweeps theirs once when the database is opened.
   */
  sweep?: boolean;
}

/** What `writeFileSafe` wrote: the absolute path, the size in bytes and the SHA-256 (hex) of the content. */
export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Permission bits of every file the app creates: owner read and write only. */
export const PRIVATE_MODE = 0o600;

const TEMP_SUFFIX = /^\.(\d+)-[0-9a-f]{8}\.tmp$/;
/** link() errors that mean the file system has no hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** The temporary name a write of `path` uses: `<path>.<pid>-<8 hex>.tmp`, in the same folder. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * True while process `pid` exists (or may exist: another user's process). The current process
 * counts as alive. Used to leave alone the staging files of a process still at work.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files an interrupted write of `path` left beside it (`<path>.<pid>-<hex>.tmp`
 * whose process is gone); returns their names. Never touches anything else.
 */
export function removeStaleTemps(path: string): string[] {
  const base = basename(path);
  return removeLeftovers(path, (name) => {
    const m = name.startsWith(base) ? TEMP_SUFFIX.exec(name.slice(base.length)) : null;
    return m ? Number(m[1]) : false;
  });
}

/**
 * Removes files that interrupted work left in the folder of `path` and returns their names. For
 * each name in the folder, `owner` says whose it is: the id of the process that made it (removed
 * only when that process is gone: see processAlive), `true` for a leftover of no live process (a
 * fixed staging name of an earlier version), `false` for a file that is not ours to touch. A folder
 * that cannot be read removes nothing.
 */
export function removeLeftovers(path: string, owner: (name: string) => number | boolean): string[] {
  const dir = dirname(resolve(path));
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const o = owner(name);
    if (o === false || (o !== true && processAlive(o))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Flushes a folder's entries (a new name, a rename) to disk, where the platform allows it (not on Windows). */
export function fsyncDir(path: string): void {
  try {
    const fd = openSync(dirname(resolve(path)), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on this platform (Windows) */
  }
}

/**
 * The clear error for a failed file operation on `path` (naming its base name only):
 * `files.exists` (ConflictError) for EEXIST, `files.noSpace` for ENOSPC and EDQUOT,
 * `files.cannotWrite` for permission, read-only, missing-folder and not-a-file errors,
 * `files.writeFailed` with the system code otherwise. A WatchdeskError is returned as it is.
 */
export function fileError(e: unknown, path: string): WatchdeskError {
  if (e instanceof WatchdeskError) return e;
  const file = basename(path);
  const code = (e as NodeJS.ErrnoException | null)?.code ?? '';
  if (code === 'EEXIST') return new ConflictError(reason('files.exists', { file }));
  if (code === 'ENOSPC' || code === 'EDQUOT') return new BadInputError(reason('files.noSpace', { file }));
  if (['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EBUSY', 'ETXTBSY'].includes(code)) {
    return new BadInputError(reason('files.cannotWrite', { file }));
  }
  return new BadInputError(reason('files.writeFailed', { file, code: /^E[A-Z0-9]+$/.test(code) ? code : 'unknown' }));
}

/**
 * Refuses early (ConflictError `files.exists`) when something is already at `path` and
 * `overwrite` is not set, before slow work whose result would then be thrown away. Only a
 * courtesy: `writeFileSafe` itself is what makes the refusal certain.
 */
export function assertWritable(path: string, overwrite = false): void {
  if (overwrite) return;
  let exists: boolean;
  try {
    lstatSync(path);
    exists = true;
  } catch {
    exists = false;
  }
  if (exists) throw new ConflictError(reason('files.exists', { file: basename(path) }));
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

function readBackEquals(path: string, data: Uint8Array): boolean {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, data.length)));
    let off = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, off);
      if (n === 0) return off === data.length;
      if (off + n > data.length || !chunk.subarray(0, n).equals(data.subarray(off, off + n))) return false;
      off += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Gives the complete temporary file its final name without replacing anything (see the module docstring). */
function commitNew(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    if (!NO_HARD_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    // No hard links here: reserve the name with O_EXCL (refused when it exists), then rename the
    // complete file over the empty reservation. A kill in between leaves an empty file, never a
    // partial one.
    closeSync(openSync(path, 'wx', PRIVATE_MODE));
    renameSync(tmp, path);
    return;
  }
  unlinkSync(tmp);
}

/**
 * Gives a complete, fsynced file `tmp` the name `path` in the same folder and fsyncs the folder:
 * without `overwrite` atomically refused when anything is at `path` (Node error EEXIST; `tmp`
 * stays), with it an atomic replacement. For files made by other means than `writeFileSafe` (a
 * database image staged and verified before it is put in place).
 */
export function moveIntoPlace(tmp: string, path: string, opts: { overwrite?: boolean } = {}): void {
  if (opts.overwrite) renameSync(tmp, path);
  else commitNew(tmp, path);
  fsyncDir(path);
}

/**
 * Writes `data` at `path` safely (see the module docstring): a 0600 temporary file beside it,
 * fsynced, then linked (no `overwrite`) or renamed (`overwrite`) into place and the folder fsynced.
 * Returns the absolute path, size and SHA-256. Throws ConflictError `files.exists` when a file is
 * at `path` and `overwrite` is not set, BadInputError `files.noSpace`, `files.cannotWrite` or
 * `files.writeFailed` otherwise; after any failure no file with the final name was made or changed
 * and the temporary file is gone.
 */
export function writeFileSafe(path: string, data: Uint8Array | string, opts: WriteOptions = {}): WrittenFile {
  const target = resolve(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const tmp = tempPathFor(target);
  let created = false;
  try {
    if (opts.makeDirs) mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    if (opts.sweep !== false) removeStaleTemps(target);
    if (!opts.overwrite) assertWritable(target);
    const fd = openSync(tmp, 'wx', PRIVATE_MODE);
    created = true;
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (opts.verify && !readBackEquals(tmp, bytes)) throw Object.assign(new Error('read back differs'), { code: 'EIO' });
    if (opts.overwrite) renameSync(tmp, target);
    else commitNew(tmp, target);
    created = false;
    fsyncDir(target);
  } catch (e) {
    if (created) rmSync(tmp, { force: true });
    throw fileError(e, target);
  }
  return { path: target, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Creates an empty file at `path` with mode 0600, refusing (EEXIST, as a Node error) when anything
 * is there. SQLite keeps the mode of a database file that exists and gives its journal, WAL and
 * shared-memory files the database file's mode, so a database started this way, and everything
 * SQLite makes beside it, is 0600 whatever the umask (`VACUUM INTO` accepts an empty target).
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', PRIVATE_MODE));
}
