/**
 * Key rotation and backups: both copy the open database under a new key (`copyDatabaseUnderKey`),
 * verify the copy, and only then put it where it belongs.
 *
 * A backup is one file: a magic line, a JSON header line (format, time, the audit chain head, the
 * SHA-256 of the database image and a recovery slot wrapping the backup's own random key with the
 * recovery passphrase), then the database image encrypted under that key. Without the recovery
 * passphrase it reveals nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { auditHead, verifyAudit, type ExternalHead } from '../audit';
import { removeLeftovers, removeStaleTemps, writeFileSafe } from '../files';
import { copyDatabaseUnderKey, openReader, openVerified, removeDatabaseFiles, type DB } from './database';
import { unwrapRecoverySlot, type KeySlot } from './keyslots';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';

export const BACKUP_MAGIC = 'WATCHDESK-BACKUP 1\n';

export interface BackupHeader {
  format: 'watchdesk-backup';
  version: 1;
  createdAt: string;
  auditHead: ExternalHead;
  dbSha256: string;
  dbBytes: number;
  slot: KeySlot;
}


/** Joins header and database image into the backup file's bytes. */
export function packBackup(header: Omit<BackupHeader, 'format' | 'version' | 'dbSha256' | 'dbBytes'>, image: Buffer): Buffer {
  const full: BackupHeader = {
    format: 'watchdesk-backup', version: 1, ...header,
    dbSha256: createHash('sha256').update(image).digest('hex'), dbBytes: image.length,
  };
  return Buffer.concat([Buffer.from(BACKUP_MAGIC, 'utf8'), Buffer.from(`${JSON.stringify(full)}\n`, 'utf8'), image]);
}

/** Splits a backup file into header and database image, checking the image's SHA-256. */
export function unpackBackup(file: Buffer): { header: BackupHeader; image: Buffer } {
  const magic = Buffer.from(BACKUP_MAGIC, 'utf8');
  if (file.length < magic.length || !file.subarray(0, magic.length).equals(magic)) throw new BadInputError(reason('backup.notBackup'));
  const nl = file.indexOf(0x0a, magic.length);
  if (nl < 0) throw new BadInputError(reason('backup.damaged'));
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(magic.length, nl).toString('utf8')) as BackupHeader;
  } catch {
    throw new BadInputError(reason('backup.damaged'));
  }
  if (header?.format !== 'watchdesk-backup' || header.version !== 1 || !header.slot || !header.auditHead) {
    throw new BadInputError(reason('backup.damaged'));
  }
  const image = file.subarray(nl + 1);
  if (image.length !== header.dbBytes || createHash('sha256').update(image).digest('hex') !== header.dbSha256) {
    throw new BadInputError(reason('backup.damaged'));
  }
  return { header, image };
}

/** The steps of a key rotation, in order; a test can kill the process at any of them. */
export const ROTATION_STEPS = ['copied', 'verified', 'keys-both', 'closed', 'swapped', 'keys-new'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/**
 * Test-only crash hook: when `WATCHDESK_TEST_CRASH_AT` names this step, the process kills itself
 * with SIGKILL right there, so tests can prove every step is crash-safe. Does nothing otherwise.
 */
export function crashPoint(step: RotationStep): void {
  if (process.env.WATCHDESK_TEST_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}

export { fsyncDir } from '../files';

/** The staging copies of the database: a key rotation's copy, a backup's copy and its read-back check, a restore's image. */
export type StagingKind = 'rotating' | 'backup-tmp' | 'backup-check' | 'restoring';
const STAGING_KINDS = 'rotating|backup-tmp|backup-check|restoring';
const SQLITE_COMPANIONS = '(?:-journal|-wal|-shm)?';

/**
 * A new staging path beside the database: `<db>.<kind>-<pid>-<8 hex>`, unique to this process and
 * call, so that two processes on one database (the app and the CLI) never share or remove each
 * other's staging; the pid lets `removeStaleStaging` tell a dead process's leftovers.
 */
export function stagingPath(dbPath: string, kind: StagingKind): string {
  return `${dbPath}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes what interrupted work left beside the database at `dbPath` (a backup or rotation killed
 * midway leaves up to a full encrypted copy of the database) and returns the names removed. Only
 * our own files, by their exact names: staging copies `<db>.<kind>-<pid>-<hex>` and their
 * `-journal`, `-wal` and `-shm`, and temporary files of the key, head and lockout files
 * (`<db>.keys.<pid>-<hex>.tmp`, and the `.tmp-<pid>` names of earlier versions), each only when the
 * process that made it is gone (not this process, not a live one: another process may be at work
 * on the same database); also the fixed staging names earlier versions used (`<db>.rotating`,
 * `<db>.backup-tmp`, `<db>.backup-check`, `<db>.restoring`). Called by the engine each time it
 * opens the database.
 */
export function removeStaleStaging(dbPath: string): string[] {
  const base = escapeRegExp(basename(dbPath));
  const withPid = new RegExp(`^${base}\\.(?:${STAGING_KINDS})-(\\d+)-[0-9a-f]{8}${SQLITE_COMPANIONS}$`);
  const legacyTemp = new RegExp(`^${base}\\.(?:keys|head|lockout)\\.tmp-(\\d+)$`);
  const legacyStaging = new RegExp(`^${base}\\.(?:${STAGING_KINDS})${SQLITE_COMPANIONS}$`);
  const removed = removeLeftovers(dbPath, (name) => {
    const m = withPid.exec(name) ?? legacyTemp.exec(name);
    return m ? Number(m[1]) : legacyStaging.test(name);
  });
  for (const f of ['keys', 'head', 'lockout']) removed.push(...removeStaleTemps(`${dbPath}.${f}`));
  return removed;
}

/**
 * Checks a database copy before it is trusted (a re-keyed copy, a backup read back, a backup to
 * restore): `key` opens it, SQLite's integrity check passes, its audit chain verifies and ends at
 * `head`; `inspect` may check more while it is open. Throws what `mismatch` makes otherwise; the
 * copy is closed either way.
 */
export function verifyCopy(path: string, key: Buffer, head: ExternalHead, mismatch: () => Error, inspect?: (copy: DB) => void): void {
  const copy = openVerified(path, key);
  try {
    const h = auditHead(copy);
    if (h.seq !== head.seq || h.hash !== head.hash || !verifyAudit(copy).ok) throw mismatch();
    inspect?.(copy);
  } finally {
    copy.close();
  }
}

/** What a backup needs besides the database: its fresh key, that key's recovery slot, the passphrase to read it back, and where to stage. */
export interface BackupJob {
  backupKey: Uint8Array;
  slot: KeySlot;
  passphrase: string;
  createdAt: string;
  /** Staging and check copies (encrypted, 0600, removed afterwards): new paths from `stagingPath`. */
  staging: string;
  check: string;
}

/**
 * Builds a backup file from `db` (opened with `key`): the database copied under the job's fresh
 * key, packed with the audit head that copy holds, then read back as a restore would (the
 * passphrase unwraps it, integrity, audit chain and head). Staging copies are encrypted and removed.
 */
export async function buildBackup(db: DB, key: Buffer, job: BackupJob): Promise<{ file: Buffer; head: ExternalHead }> {
  const backupKey = Buffer.from(job.backupKey);
  let file: Buffer;
  let head: ExternalHead;
  try {
    copyDatabaseUnderKey(db, job.staging, key, backupKey);
    const copy = openReader(job.staging, backupKey);
    try {
      head = auditHead(copy);
    } finally {
      copy.close();
    }
    file = packBackup({ createdAt: job.createdAt, auditHead: head, slot: job.slot }, readFileSync(job.staging));
  } finally {
    removeDatabaseFiles(job.staging);
    backupKey.fill(0);
  }
  const { header, image } = unpackBackup(file);
  const readBack = await unwrapRecoverySlot(header.slot, job.passphrase);
  try {
    writeFileSafe(job.check, image);
    verifyCopy(job.check, readBack, head, () => new Error('the backup does not match the database'));
  } finally {
    removeDatabaseFiles(job.check);
  }
  return { file, head };
}
