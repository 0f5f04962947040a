/**
 * Lockout after repeated failed sign-ins (DESIGN.md section 4), and the limit on recovery-passphrase
 * guesses (issue 15 item 10). Failures are counted per account in `<db>.lockout` beside the
 * database, because most happen while the database is still locked; the recovery passphrase has
 * its own entry (`recovery`). The file names nobody: accounts appear as their key-slot owner hash.
 * Failures seen while the database was locked are kept as pending events and written to the audit
 * trail when it next opens.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSafe } from './files';

/** Failed sign-ins in a row that lock an account. */
export const LOCKOUT_THRESHOLD = 5;
/** How long a locked account stays locked, in ms. */
export const LOCKOUT_MS = 15 * 60 * 1000;
const MAX_PENDING = 1000;

/** Wrong recovery passphrases in a row that lock recovery (the first lock; each further one locks it longer). */
export const RECOVERY_LOCK_THRESHOLD = 5;
/** The first recovery lock, in ms; each further wrong passphrase in a row doubles it. */
export const RECOVERY_BASE_LOCK_MS = 60 * 1000;
/** The longest recovery lock, in ms. */
export const RECOVERY_MAX_LOCK_MS = 24 * 60 * 60 * 1000;
/** The key of the recovery passphrase in the file (owner hashes are hex, so it cannot collide with one). */
const RECOVERY = 'recovery';

/** The API calls that take the recovery passphrase: one counter for all, since it is one secret. */
export type RecoveryUse = 'auth.recover' | 'keys.rotate' | 'backup.create' | 'backup.restore';

/**
 * How long recovery locks after `failures` wrong passphrases in a row, in ms: none below
 * RECOVERY_LOCK_THRESHOLD, 1 minute at it, doubling with each further failure, at most 24 hours.
 * The passphrase has at least 16 characters and each guess costs an Argon2id derivation; the
 * doubling holds an online guesser to about a dozen guesses a day.
 */
export function recoveryLockMs(failures: number): number {
  if (failures < RECOVERY_LOCK_THRESHOLD) return 0;
  return Math.min(RECOVERY_MAX_LOCK_MS, RECOVERY_BASE_LOCK_MS * 2 ** Math.min(30, failures - RECOVERY_LOCK_THRESHOLD));
}

interface OwnerState {
  failures: number;
  lockedUntil: string | null;
}

/** A failure to write to the audit trail once the database is open. */
export interface PendingEvent {
  owner: string | null;
  at: string;
  action: 'auth.fail' | 'auth.lockout' | 'recovery.failed' | 'recovery.locked' | 'recovery.refusedLocked';
  failures: number;
  /** For recovery events: the call that took the passphrase. */
  use?: RecoveryUse;
  /** For recovery locks: until when (ISO). */
  lockedUntil?: string;
}

interface LockoutFile {
  format: 'watchdesk-lockout';
  owners: Record<string, OwnerState>;
  pending: PendingEvent[];
}

/** Reads and writes the lockout file of one database. */
export class LockoutStore {
  constructor(private readonly dbPath: string) {}

  private get path(): string {
    return `${this.dbPath}.lockout`;
  }

  private read(): LockoutFile {
    const empty: LockoutFile = { format: 'watchdesk-lockout', owners: {}, pending: [] };
    if (!existsSync(this.path)) return empty;
    try {
      const f = JSON.parse(readFileSync(this.path, 'utf8')) as LockoutFile;
      return f?.format === 'watchdesk-lockout' && f.owners && Array.isArray(f.pending) ? f : empty;
    } catch {
      return empty;
    }
  }

  /** Replaces the file with the safe writer (files.ts: 0600 temporary file, fsync, atomic rename). */
  private write(f: LockoutFile): void {
    writeFileSafe(this.path, JSON.stringify(f), { overwrite: true, sweep: false });
  }

  /** Writes `f`, or removes the file when it holds nothing (no count, no pending event). */
  private save(f: LockoutFile): void {
    if (!Object.keys(f.owners).length && !f.pending.length) rmSync(this.path, { force: true });
    else this.write(f);
  }

  /** Until when the account is locked (ISO), or null when it is not locked at `now`. */
  lockedUntil(owner: string, now: Date): string | null {
    const s = this.read().owners[owner];
    return s?.lockedUntil && Date.parse(s.lockedUntil) > now.getTime() ? s.lockedUntil : null;
  }

  /**
   * Counts one failed sign-in. `known` says whether the account exists (unknown names are not
   * counted, so the file cannot be filled with guesses). `pending` keeps the event for the audit
   * trail when the database is locked. Returns the failures so far and whether the account is now locked.
   */
  recordFailure(owner: string | null, now: Date, opts: { known: boolean; pending: boolean }): { failures: number; locked: boolean } {
    const f = this.read();
    let failures = 0;
    let locked = false;
    if (owner && opts.known) {
      const s = f.owners[owner] ?? { failures: 0, lockedUntil: null };
      s.failures += 1;
      failures = s.failures;
      if (s.failures >= LOCKOUT_THRESHOLD) {
        s.lockedUntil = new Date(now.getTime() + LOCKOUT_MS).toISOString();
        s.failures = 0;
        locked = true;
      }
      f.owners[owner] = s;
    }
    if (opts.pending) {
      f.pending.push({ owner: opts.known ? owner : null, at: now.toISOString(), action: 'auth.fail', failures });
      if (locked) f.pending.push({ owner, at: now.toISOString(), action: 'auth.lockout', failures });
      f.pending = f.pending.slice(-MAX_PENDING);
    }
    if ((owner && opts.known) || opts.pending) this.write(f);
    return { failures, locked };
  }

  /** Forgets the account's failures and lock (after a good sign-in or a password reset). */
  clear(owner: string): void {
    const f = this.read();
    if (!f.owners[owner]) return;
    delete f.owners[owner];
    this.save(f);
  }

  /** Until when recovery with the passphrase is locked (ISO), or null when it is not locked at `now`. */
  recoveryLockedUntil(now: Date): string | null {
    return this.lockedUntil(RECOVERY, now);
  }

  /**
   * Counts one wrong recovery passphrase and locks recovery for recoveryLockMs(failures in a row).
   * The count survives restarts and is cleared only by a right passphrase (clearRecovery). `owner`
   * (a known account's owner hash, or null) and `use` go with the pending events kept for the audit
   * trail when `pending` (the database is locked). Returns the failures in a row and the lock's end.
   */
  recordRecoveryFailure(now: Date, opts: { use: RecoveryUse; owner: string | null; pending: boolean }): { failures: number; lockedUntil: string | null } {
    const f = this.read();
    const s = f.owners[RECOVERY] ?? { failures: 0, lockedUntil: null };
    s.failures += 1;
    const ms = recoveryLockMs(s.failures);
    s.lockedUntil = ms > 0 ? new Date(now.getTime() + ms).toISOString() : null;
    f.owners[RECOVERY] = s;
    if (opts.pending) {
      const at = now.toISOString();
      f.pending.push({ owner: opts.owner, at, action: 'recovery.failed', failures: s.failures, use: opts.use });
      if (s.lockedUntil) f.pending.push({ owner: opts.owner, at, action: 'recovery.locked', failures: s.failures, use: opts.use, lockedUntil: s.lockedUntil });
      f.pending = f.pending.slice(-MAX_PENDING);
    }
    this.write(f);
    return { failures: s.failures, lockedUntil: s.lockedUntil };
  }

  /** Forgets the wrong recovery passphrases (after a right one). */
  clearRecovery(): void {
    this.clear(RECOVERY);
  }

  /** Keeps one event for the audit trail until the database next opens (a use refused while recovery was locked). */
  addPending(event: PendingEvent): void {
    const f = this.read();
    f.pending.push(event);
    f.pending = f.pending.slice(-MAX_PENDING);
    this.write(f);
  }

  /** Returns and removes the events recorded while the database was locked. */
  takePending(): PendingEvent[] {
    const f = this.read();
    if (!f.pending.length) return [];
    const pending = f.pending;
    f.pending = [];
    this.save(f);
    return pending;
  }
}
