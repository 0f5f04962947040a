/**
 * Lockout after repeated failed sign-ins (DESIGN.md section 4). Failures are counted per account in
 * `<db>.lockout` beside the database, because most happen while the database is still locked. The
 * file names nobody: accounts appear as their key-slot owner hash. Failures seen while the database
 * was locked are kept as pending events and written to the audit trail when it next opens.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Failed sign-ins in a row that lock an account. */
export const LOCKOUT_THRESHOLD = 5;
/** How long a locked account stays locked, in ms. */
export const LOCKOUT_MS = 15 * 60 * 1000;
const MAX_PENDING = 1000;

interface OwnerState {
  failures: number;
  lockedUntil: string | null;
}

/** A failure to write to the audit trail once the database is open. */
export interface PendingEvent {
  owner: string | null;
  at: string;
  action: 'auth.fail' | 'auth.lockout';
  failures: number;
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

  private write(f: LockoutFile): void {
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(f), { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
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
    this.write(f);
  }

  /** Returns and removes the events recorded while the database was locked. */
  takePending(): PendingEvent[] {
    const f = this.read();
    if (!f.pending.length) return [];
    const pending = f.pending;
    f.pending = [];
    this.write(f);
    return pending;
  }
}
