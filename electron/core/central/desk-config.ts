/**
 * Where a desk that joined a centre keeps what it needs to reach it: rows of the desk's own
 * `settings` table (inside the encrypted database, so the desk's PostgreSQL password may be kept in
 * the URL there and nowhere else). A desk with none of these rows has not joined and works alone,
 * exactly as before (issue 16).
 *
 * Keys: `central.url` (postgres:// with the desk's own login and password), `central.ca` (the
 * centre's certificate, PEM), `central.deskId`, `central.deskName`, `central.checkpointId`,
 * `central.checkpointName`, `central.rootKey` (the department root public key, base64 raw 32
 * bytes), `central.publisher` ('1'/'0'), `central.auditor` ('1'/'0'), `central.joinedAt`; sync.ts keeps `central.lastPullAt`,
 * `central.lastPushAt`, `central.lastError` and `central.offlineLimitHours` beside them. The
 * outbox triggers (migration 0008) fire only while `central.deskId` exists.
 */
import type { DB } from '../db/database';
import type { CentralTarget } from './connect';
import { appendAudit } from '../audit';
import type { RegisteredDesk } from './admin';
import { enqueueBackfill, type BackfillResult } from './outbox';

/** The settings keys of a joined desk, by meaning. */
export const CENTRAL_SETTINGS = {
  url: 'central.url',
  ca: 'central.ca',
  deskId: 'central.deskId',
  deskName: 'central.deskName',
  checkpointId: 'central.checkpointId',
  checkpointName: 'central.checkpointName',
  rootKey: 'central.rootKey',
  publisher: 'central.publisher',
  auditor: 'central.auditor',
  joinedAt: 'central.joinedAt',
  lastPullAt: 'central.lastPullAt',
  lastPushAt: 'central.lastPushAt',
  lastError: 'central.lastError',
  offlineLimitHours: 'central.offlineLimitHours',
} as const;

/** A joined desk's link to its centre. */
export interface DeskCentral {
  /** The desk's own login URL and the pinned certificate. */
  target: CentralTarget;
  deskId: string;
  deskName: string;
  checkpointId: string;
  checkpointName: string;
  /** The department root public key (base64 raw 32 bytes) every publication's signer must be certified by. */
  rootKey: string;
  /** Whether the desk's login may publish lists (member of `wd_publisher`). */
  publisher: boolean;
  /** Whether the desk's login reads every checkpoint's crossings (member of `wd_auditor`; browse.ts). */
  auditor: boolean;
  /** When the desk joined (ISO), or null when not recorded. */
  joinedAt: string | null;
}

function read(db: DB, keys: readonly string[]): Map<string, string> {
  const rows = db.prepare(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => '?').join(',')})`).all(...keys) as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}

/**
 * The desk's link to its centre, or null when it has not joined (no `central.deskId`) or the rows
 * are incomplete (url, certificate, checkpoint or root key missing): such a desk works alone.
 */
export function deskCentral(db: DB): DeskCentral | null {
  const k = CENTRAL_SETTINGS;
  const s = read(db, [k.url, k.ca, k.deskId, k.deskName, k.checkpointId, k.checkpointName, k.rootKey, k.publisher, k.auditor, k.joinedAt]);
  const url = s.get(k.url);
  const ca = s.get(k.ca);
  const deskId = s.get(k.deskId);
  const checkpointId = s.get(k.checkpointId);
  const rootKey = s.get(k.rootKey);
  if (!url || !ca || !deskId || !checkpointId || !rootKey) return null;
  return {
    target: { url, ca },
    deskId,
    deskName: s.get(k.deskName) ?? '',
    checkpointId,
    checkpointName: s.get(k.checkpointName) ?? '',
    rootKey,
    publisher: s.get(k.publisher) === '1',
    auditor: s.get(k.auditor) === '1',
    joinedAt: s.get(k.joinedAt) ?? null,
  };
}

/** What saveDeskCentral records when a desk joins (registerDesk's result with the certificate). */
export interface DeskCentralInput {
  url: string;
  ca: string;
  deskId: string;
  deskName: string;
  checkpointId: string;
  checkpointName: string;
  rootKey: string;
  publisher: boolean;
  /** An auditing desk (registerDesk's `auditor`; default false). */
  auditor?: boolean;
  /** When it joined (default now). */
  joinedAt?: Date;
}

/**
 * Records the desk's link to its centre, replacing any earlier one, in one transaction (or inside
 * the caller's: the join and the outbox backfill belong together). Clears the last error.
 */
export function saveDeskCentral(db: DB, c: DeskCentralInput): void {
  const k = CENTRAL_SETTINGS;
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    put.run(k.url, c.url);
    put.run(k.ca, c.ca);
    put.run(k.deskName, c.deskName);
    put.run(k.checkpointId, c.checkpointId);
    put.run(k.checkpointName, c.checkpointName);
    put.run(k.rootKey, c.rootKey);
    put.run(k.publisher, c.publisher ? '1' : '0');
    put.run(k.auditor, c.auditor ? '1' : '0');
    put.run(k.joinedAt, (c.joinedAt ?? new Date()).toISOString());
    db.prepare('DELETE FROM settings WHERE key = ?').run(k.lastError);
    // Last: the outbox triggers start filling once this row exists.
    put.run(k.deskId, c.deskId);
  })();
}

/** Forgets the desk's link to its centre (every `central.*` setting); the desk works alone again. */
export function forgetDeskCentral(db: DB): void {
  db.prepare("DELETE FROM settings WHERE key LIKE 'central.%'").run();
}

/**
 * Joins the desk to its centre in one local transaction, as `watchdesk desk register` does after
 * registerDesk: the link saved (saveDeskCentral), one `central.join` audit row by `actorId` (ids and
 * the root fingerprint only), and what the desk held before queued once in the outbox
 * (outbox.ts enqueueBackfill). Returns the backfill's counts.
 */
export function joinCentre(db: DB, actorId: string, reg: RegisteredDesk, ca: string, now = new Date()): BackfillResult {
  return db.transaction(() => {
    saveDeskCentral(db, {
      url: reg.url, ca, deskId: reg.deskId, deskName: reg.deskName, checkpointId: reg.checkpointId,
      checkpointName: reg.checkpoint, rootKey: reg.rootKey, publisher: reg.publisher, auditor: reg.auditor, joinedAt: now,
    });
    appendAudit(db, {
      actorId, action: 'central.join', subject: reg.deskId,
      details: { checkpointId: reg.checkpointId, publisher: reg.publisher, auditor: reg.auditor, rootFingerprint: reg.rootFingerprint },
    }, now);
    return enqueueBackfill(db, now);
  })();
}
