/**
 * A desk and its centre (DESIGN.md section 10, issue 16): one sync (pull the signed list
 * publications, then push the outbox), where the desk stands (`centralStatus`), and publishing or
 * retiring a list at the centre from a publishing desk. The engine's handlers (central.status,
 * central.sync, central.publish, central.retire) and the `watchdesk sync` command call these.
 *
 * A desk works on its own copy whatever the link does: a sync that cannot reach the centre, or is
 * refused by it, records why as a reason code (`central.lastError`, never the driver's message,
 * which may name the server, a role or a URL) and throws a ConflictError with that reason; what
 * waits in the outbox stays there for the next sync. Nothing here ever prints or stores a password.
 */
import type pg from 'pg';
import type {
  CentralStatusView, PublicationResultView, SyncResultView,
} from '../../../shared/contract';
import { isReasonCode, reason, reasonView, type Reason } from '../../../shared/reasons';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { BadInputError, ConflictError, WatchdeskError } from '../errors';
import { fingerprint, signerOf } from '../signing';
import { connectCentral, redactUrl, withCredentials, type CentralTarget } from './connect';
import { CENTRAL_SETTINGS, deskCentral, type DeskCentral } from './desk-config';
import { pullPublications, type AppliedPublication } from './pull';
import {
  applyAccountRecords, pullAccountRecords, pullAccountRevocations, releaseAccount, type AccountPullOptions, type AccountRecordOptions,
} from './accounts';
import { outboxSummary } from './outbox';
import { pushOutbox, type PushResult } from './push';
import { publishList, retireList } from './publish';

/** Hours without a completed sync after which a desk warns, unless `central.offlineLimitHours` says otherwise. */
export const DEFAULT_OFFLINE_LIMIT_HOURS = 24;

/** Settings a sync keeps beside the desk's link (desk-config.ts; the desk's encrypted `settings` table). */
const SYNC_SETTINGS = CENTRAL_SETTINGS;

/** What a sync needs of the open desk. */
export interface SyncDeps {
  db: DB;
  /** The desk's database path (the signers in memory are kept by it; one sync at a time per desk). */
  dbPath: string;
  /** The account the sync is done for (audited; the publications applied are audited under it). */
  actorId: string;
  now: () => Date;
  /**
   * Called once when the pull applied at least one list: the engine rebuilds its match index beside
   * the one answering. `withdrawn`: versions rolled back from by the centre (a publication of an
   * older version), which stop answering at once as after a rollback at the desk.
   */
  onPublished: (withdrawn: string[]) => void;
  /** Another address of the same centre for this sync only (`central.sync`'s `url`); see targetFor. */
  url?: string;
  /** Where a failure of no known kind is reported (error class and SQLSTATE/errno only, never a message). */
  log?: (line: string) => void;
  /** Ends the open sessions of a local account the department revoked (accounts.ts; the engine's sessions). */
  onAccountRevoked?: (userId: string) => void;
}

const inFlight = new Map<string, Promise<SyncResultView>>();

/**
 * One sync of the desk: connects (TLS, the pinned certificate, the desk's own credentials), pulls
 * the publications newer than what the desk holds (pull.ts: each verified, applied whole in one
 * local transaction, or refused with its reason), applies the accounts the department revoked
 * (accounts.ts: root-signed, refused at sign-in from then on, their sessions ended through
 * `onAccountRevoked`), applies the accounts the department provisioned or changed (accounts.ts
 * pullAccountRecords: root-signed records newer than the desk's; the sessions of a changed account
 * end through `onAccountRevoked` too; a record revoking the key of the sync's own account is applied
 * after the sync's audit row, and the account released in the same tick), pushes the outbox (push.ts: batches, each
 * committed at the centre before its rows leave the outbox), and records `central.lastPullAt`,
 * `central.lastPushAt` and clears `central.lastError`. When anything moved, one audit row
 * `central.sync` (counts only) is appended and pushed in the same sync, so that an idle desk's
 * sync every few minutes writes nothing and leaves nothing waiting.
 *
 * A second call while one runs for the same desk gets the running one's result. Throws
 * ConflictError `central.notJoined` on a desk that never joined, BadInputError `central.badUrl`
 * for a bad `url`, and ConflictError with `central.unreachable`, `central.credentialsRefused`,
 * `central.certificateRefused`, `central.refused` or `central.syncFailed` (also stored in
 * `central.lastError`) when the centre cannot be reached or refuses; errors of the pull and push
 * with their own reason are thrown as they are.
 */
export function syncDesk(deps: SyncDeps): Promise<SyncResultView> {
  const running = inFlight.get(deps.dbPath);
  if (running) return running;
  const p = runSync(deps).finally(() => inFlight.delete(deps.dbPath));
  inFlight.set(deps.dbPath, p);
  return p;
}

/** Resolves once no sync runs for the desk at `dbPath` (the engine waits for it before closing the database). */
export async function syncSettled(dbPath: string): Promise<void> {
  await inFlight.get(dbPath)?.catch(() => undefined);
}

function requireJoined(db: DB): DeskCentral {
  const desk = deskCentral(db);
  if (!desk) throw new ConflictError(reason('central.notJoined'));
  return desk;
}

/**
 * The target a sync connects to: the desk's own, or with `url` (postgres:// with neither user nor
 * password, else BadInputError `central.badUrl`) its host, port and database with the desk's own
 * credentials and pinned certificate.
 */
export function targetFor(desk: DeskCentral, url?: string): CentralTarget {
  if (url === undefined || url === '') return desk.target;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BadInputError(reason('central.badUrl'));
  }
  if (!/^postgres(ql)?:$/.test(u.protocol) || u.username || u.password || !u.hostname) throw new BadInputError(reason('central.badUrl'));
  const own = new URL(desk.target.url);
  const database = u.pathname.replace(/^\//, '') ? undefined : decodeURIComponent(own.pathname.replace(/^\//, ''));
  return {
    ...desk.target,
    url: withCredentials(url, { user: decodeURIComponent(own.username), password: decodeURIComponent(own.password), ...(database ? { database } : {}) }),
  };
}

async function runSync(deps: SyncDeps): Promise<SyncResultView> {
  const { db } = deps;
  const desk = requireJoined(db);
  const target = targetFor(desk, deps.url);
  let client: pg.Client | null = null;
  const listsBefore = listsState(db);
  let published = false;
  const accountOpts: AccountPullOptions = { dbPath: deps.dbPath, endSessions: deps.onAccountRevoked };
  // What the end of the sync does to its own account: forget its key and end its sessions (`release`),
  // end its sessions only (`end`: its roles changed, its key still holds), or nothing.
  let actorAfter: 'release' | 'end' | null = null;
  const settle = (r: { actorChanged: boolean; actorKeyRevoked: boolean }): void => {
    if (r.actorKeyRevoked) actorAfter = 'release';
    else if (r.actorChanged && actorAfter === null) actorAfter = 'end';
  };
  try {
    client = await connectCentral(target);
    const pull = await pullPublications(db, client, { rootKey: desk.rootKey }, deps.actorId, deps.now());
    if (pull.applied.length) {
      published = true;
      deps.onPublished(rolledBackFrom(db, pull.applied));
    }
    // Accounts the department revoked (root-signed): refused at sign-in here from now on, sessions ended.
    const accounts = await pullAccountRevocations(db, client, desk.rootKey, deps.actorId, deps.now(), accountOpts);
    if (accounts.actorRevoked) actorAfter = 'release';
    // Accounts the department provisioned (root-signed records): created or changed here, signing in at their checkpoints.
    const recordOpts: AccountRecordOptions = { ...accountOpts, actorId: deps.actorId, checkpointId: desk.checkpointId, now: deps.now() };
    const records = await pullAccountRecords(db, client, desk.rootKey, recordOpts);
    settle(records);
    let provisioned = records.provisioned;
    putSetting(db, SYNC_SETTINGS.lastPullAt, deps.now().toISOString());
    const desk2 = { deskId: desk.deskId, checkpointId: desk.checkpointId };
    const sent = addPushes(zeroPush(), await pushOutbox(db, client, desk2));
    const pushed = pushedRows(sent);
    let waiting = outboxSummary(db).waiting;
    // A refusal repeated from the last sync (the same publication, refused again) is news to nobody.
    const newRefusals = pull.refused.filter((r) => !r.repeated).length;
    // Only a conflict seen for the first time is news: a standing one would write a row every sync.
    const accountsIgnored = accounts.ignored + records.ignored;
    if (pull.applied.length || newRefusals || pushed || accounts.applied.length || provisioned || records.newConflicts || records.deferred.length) {
      appendAudit(db, {
        actorId: deps.actorId, action: 'central.sync',
        details: {
          pulled: pull.applied.length, refused: newRefusals, pushed, accountsRevoked: accounts.applied.length,
          accountsProvisioned: provisioned + records.deferred.length, accountsConflicting: records.conflicting, accountsIgnored,
          crossings: sent.crossings, hits: sent.hits, hitEvents: sent.hitEvents, audit: sent.audit, users: sent.users, waiting,
        },
      }, deps.now());
      // The sync's own account's record that revokes the key signing this sync's rows: applied last, and the
      // account released in the same tick (no await in between), so that no row is signed by the revoked key.
      if (records.deferred.length) {
        const late = applyAccountRecords(db, records.deferred, recordOpts);
        provisioned += late.provisioned;
        settle(late);
        if (actorAfter === 'release') {
          releaseAccount(deps.actorId, accountOpts);
          actorAfter = null;
        }
      }
      // The row just written (and whatever was recorded meanwhile) goes in this sync too.
      addPushes(sent, await pushOutbox(db, client, desk2));
      waiting = outboxSummary(db).waiting;
    }
    const at = deps.now().toISOString();
    putSetting(db, SYNC_SETTINGS.lastPushAt, at);
    db.prepare('DELETE FROM settings WHERE key = ?').run(SYNC_SETTINGS.lastError);
    return {
      at, pulled: pull.applied.length, refused: pull.refused.length, pushed: pushedRows(sent), waiting, accountsRevoked: accounts.applied.length,
      accountsProvisioned: provisioned, accountsConflicting: records.conflicting, accountsIgnored,
      lists: pull.applied.map((a) => ({ listId: a.listId, listName: a.listName, seq: a.seq, versionId: a.versionId ?? null, entries: a.entries })),
      refusals: pull.refused.map((r) => ({ listId: r.listId, seq: r.seq, reason: reasonView(asReason(r.reason)) })),
      sent,
    };
  } catch (e) {
    const failure = centralFailure(e);
    const code = failure instanceof WatchdeskError ? failure.reason.code : 'central.syncFailed';
    // A failure of a kind not recognised is logged for whoever looks after the desk (class and code only).
    if (code === 'central.syncFailed') deps.log?.(`central sync failed: ${describeFailure(e)}`);
    try {
      putSetting(db, SYNC_SETTINGS.lastError, code);
      // A pull cut short keeps the lists it applied before the cut: the index must take them in too.
      if (!published && listsState(db) !== listsBefore) deps.onPublished([]);
    } catch {
      /* the database itself failed: its error is the one to report */
    }
    throw failure;
  } finally {
    // The sync's own account, revoked or changed by this pull: its key signed this sync's rows; now it goes
    // (a role-only change keeps the key, and ends the sessions so that the new roles are taken up).
    const after = actorAfter as 'release' | 'end' | null;
    if (after === 'release') releaseAccount(deps.actorId, accountOpts);
    else if (after === 'end') accountOpts.endSessions?.(deps.actorId);
    await client?.end().catch(() => undefined);
  }
}

/** Which version each list answers with and whether it is retired, as one text (to tell whether a pull changed any). */
function listsState(db: DB): string {
  const rows = db.prepare('SELECT id, active_version_id AS v, retired_at AS r FROM watchlists ORDER BY id').all() as { id: string; v: string | null; r: string | null }[];
  return rows.map((x) => `${x.id}:${x.v ?? ''}:${x.r ?? ''}`).join(',');
}

/** The versions a pull rolled back from: the previous version of each list now answered by an older-numbered one. */
function rolledBackFrom(db: DB, applied: readonly AppliedPublication[]): string[] {
  const numberOf = db.prepare('SELECT number FROM list_versions WHERE id = ?');
  return applied.flatMap((a) => {
    if (a.action !== 'publish' || !a.previousVersionId) return [];
    const before = numberOf.get(a.previousVersionId) as { number: number } | undefined;
    return before && before.number > a.versionNumber ? [a.previousVersionId] : [];
  });
}

function zeroPush(): SyncResultView['sent'] {
  return { crossings: 0, hits: 0, hitEvents: 0, audit: 0, users: 0 };
}

function addPushes(into: SyncResultView['sent'], r: PushResult): SyncResultView['sent'] {
  into.crossings += r.crossings;
  into.hits += r.hits;
  into.hitEvents += r.hitEvents;
  into.audit += r.audit;
  into.users += r.users;
  return into;
}

function pushedRows(s: SyncResultView['sent']): number {
  return s.crossings + s.hits + s.hitEvents + s.audit + s.users;
}

/** A refusal's reason as pull.ts gives it (a code, or a Reason) as a Reason. */
function asReason(r: unknown): Reason {
  if (typeof r === 'string' && isReasonCode(r)) return { code: r };
  if (r && typeof r === 'object' && isReasonCode((r as Reason).code)) return r as Reason;
  return reason('central.refused');
}

/** Driver error codes (errno) that mean the link, not the centre's answer. */
const LINK_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);

/**
 * The error a failure talking to the centre becomes: a WatchdeskError, or an error of the desk's own
 * database (SQLITE_*), as it is; otherwise
 * a ConflictError whose reason says what kind of failure it was (the link, the desk's credentials,
 * the centre's certificate, the centre's rules), never the driver's message.
 */
export function centralFailure(e: unknown): unknown {
  if (e instanceof WatchdeskError) return e;
  // The desk's own database failing (a full disk, damage): the engine reports it as such (storageError).
  if (typeof (e as { code?: unknown } | null)?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_')) return e;
  return new ConflictError(reason(failureKind(e)));
}

/**
 * What kind of failure talking to the centre `e` is, from its SQLSTATE, errno or TLS code (and, for
 * the driver's own link errors, which carry none, its fixed wording): the link, the login, the
 * certificate, the centre's rules, or anything else (`central.syncFailed`).
 */
export function failureKind(e: unknown): 'central.unreachable' | 'central.credentialsRefused' | 'central.certificateRefused' | 'central.refused' | 'central.syncFailed' {
  const err = (e ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  // SQLSTATEs: 28xxx authorization (wrong password, NOLOGIN after revocation); 08xxx connection;
  // 57P0x the server shutting down or starting; 53300 too many connections; 42501 privilege; 23xxx integrity; P0001 a trigger.
  if (/^28/.test(code)) return 'central.credentialsRefused';
  if (/^08|^57P0[1-4]$|^53300$/.test(code)) return 'central.unreachable';
  if (/^42|^23|^P0001$/.test(code)) return 'central.refused';
  if (LINK_ERRNOS.has(code)) return 'central.unreachable';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code) || /certificate|self[- ]signed|does not support SSL/i.test(message)) return 'central.certificateRefused';
  if (/Connection terminated|connection (timeout|ended|closed)|timeout expired|Client has encountered a connection error|not queryable/i.test(message)) return 'central.unreachable';
  return 'central.syncFailed';
}

/** A failure's kind for the log: error class and code only (pg's messages can name servers and roles). */
function describeFailure(e: unknown): string {
  const err = (e ?? {}) as { name?: unknown; code?: unknown };
  return `${typeof err.name === 'string' ? err.name : typeof e}${typeof err.code === 'string' ? ` ${err.code}` : ''}`;
}

function putSetting(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

function setting(db: DB, key: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

/** The offline limit in hours (`central.offlineLimitHours`, a positive number; else the default). */
export function offlineLimitHours(db: DB): number {
  const n = Number(setting(db, SYNC_SETTINGS.offlineLimitHours));
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_OFFLINE_LIMIT_HOURS;
}

/**
 * Where the desk stands with the centre, for the header and the Settings panel. On a desk that
 * never joined: `joined: false` and nothing else. `lastSyncAt` is the older of the last pull and
 * the last push (a sync completes both); `offline` is true when that (or, never synced, the
 * joining) is older than the offline limit. The URL is shown without its password.
 */
export function centralStatus(db: DB, now: Date): CentralStatusView {
  const desk = deskCentral(db);
  const limit = offlineLimitHours(db);
  if (!desk) {
    return {
      joined: false, deskName: null, checkpoint: null, publisher: false, auditor: false, url: null, rootFingerprint: null,
      lastSyncAt: null, lastPullAt: null, lastPushAt: null, lastError: null, waiting: 0, oldestWaiting: null, offlineLimitHours: limit, offline: false,
    };
  }
  const lastPullAt = setting(db, SYNC_SETTINGS.lastPullAt);
  const lastPushAt = setting(db, SYNC_SETTINGS.lastPushAt);
  const lastSyncAt = lastPullAt && lastPushAt ? (lastPullAt < lastPushAt ? lastPullAt : lastPushAt) : null;
  const since = lastSyncAt ?? desk.joinedAt;
  const offline = since !== null && now.getTime() - Date.parse(since) > limit * 3_600_000;
  const err = setting(db, SYNC_SETTINGS.lastError);
  const box = outboxSummary(db);
  return {
    joined: true,
    deskName: desk.deskName || null,
    checkpoint: desk.checkpointName || null,
    publisher: desk.publisher,
    auditor: desk.auditor,
    url: safeUrl(desk.target.url),
    rootFingerprint: rootFingerprint(desk.rootKey),
    lastSyncAt, lastPullAt, lastPushAt,
    lastError: err && isReasonCode(err) ? reasonView({ code: err }) : null,
    waiting: box.waiting, oldestWaiting: box.oldest,
    offlineLimitHours: limit, offline,
  };
}

/** The URL without its password, or null when it cannot be read. */
function safeUrl(url: string): string | null {
  try {
    return redactUrl(url);
  } catch {
    return null;
  }
}

/** The fingerprint (signing.ts) of the department's root key (base64 raw 32 bytes), or null when unreadable. */
export function rootFingerprint(rootKey: string): string | null {
  try {
    return rootKey ? fingerprint(rootKey) : null;
  } catch {
    return null;
  }
}

/** What publishing at the centre needs of the open desk. */
export interface PublishDeps {
  db: DB;
  dbPath: string;
  /** The supervisor publishing: their signing key (held since sign-in) signs the publication. */
  actorId: string;
  now: () => Date;
}

/**
 * Publishes (or retires) a list at the centre from this desk: the list's active version, entries and
 * settings, signed by the caller's own key (publish.ts). Throws ConflictError `central.notJoined`,
 * `central.notPublisher` (a desk not registered as publishing), `central.noSigningKey` (the caller's
 * key is not held: sign in again), and the failures of centralFailure; publish.ts's own errors
 * (a list with no active version, a key the department did not certify) as they are.
 */
export async function publishAtCentre(deps: PublishDeps, listId: string, action: 'publish' | 'retire'): Promise<PublicationResultView> {
  const desk = requireJoined(deps.db);
  if (!desk.publisher) throw new ConflictError(reason('central.notPublisher'));
  const signer = signerOf(deps.dbPath, deps.actorId);
  if (!signer) throw new ConflictError(reason('central.noSigningKey'));
  let client: pg.Client | null = null;
  try {
    client = await connectCentral(desk.target);
    const r = action === 'publish'
      ? await publishList(deps.db, deps.dbPath, client, signer, listId, deps.now())
      : await retireList(deps.db, deps.dbPath, client, signer, listId, deps.now());
    return {
      listId, listName: r.listName, action, seq: r.seq, versionId: r.versionId ?? null, versionNumber: r.versionNumber ?? null,
      entries: r.entries ?? 0, signer: signer.fingerprint,
    };
  } catch (e) {
    throw centralFailure(e);
  } finally {
    await client?.end().catch(() => undefined);
  }
}
