/**
 * Key rotation and backups: both copy the open database under a new key (`copyDatabaseUnderKey`),
 * verify the copy, and only then put it where it belongs.
 *
 * A backup is one file: a magic line, a JSON header line (format, time, the audit chain head, the
 * SHA-256 of the database image and a recovery slot wrapping the backup's own random key with the
 * recovery passphrase), then the database image encrypted under that key. Without the recovery
 * passphrase it reveals nothing.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { auditHead, verifyAudit, type ExternalHead } from '../audit';
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

/** The staging file of a key rotation: `<db>.rotating`. */
export function rotationStagingPath(dbPath: string): string {
  return `${dbPath}.rotating`;
}

/** Flushes a folder's entries (a rename) to disk, where the platform allows it. */
export function fsyncDir(path: string): void {
  try {
    const fd = openSync(dirname(path), 'r');
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
  /** Staging and check copies (encrypted, removed afterwards). */
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
    writeFileSync(job.check, image, { mode: 0o600 });
    verifyCopy(job.check, readBack, head, () => new Error('the backup does not match the database'));
  } finally {
    removeDatabaseFiles(job.check);
  }
  return { file, head };
}
