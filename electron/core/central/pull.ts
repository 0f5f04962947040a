/**
 * A desk pulling the lists the centre publishes (DESIGN.md section 10, issue 16). For each list,
 * the newest publication whose sequence number is above the one the desk applied last is checked
 * (publication.ts verifyPublication: a key the department's root certified and did not revoke,
 * its signature, the list and sequence number it signed) and, for a publication of a version the
 * desk does not hold, the version's entries are fetched from the centre by keyset pages of `ord`
 * and their digest recomputed as they arrive: a single changed cell, a missing or extra entry is
 * refused (`central.entriesMismatch`). A refusal leaves the list exactly as it was, with an audit
 * row `central.refuse` (list id, seq, reason; once per publication and reason: the desk setting
 * `central.refused.<list id>` remembers the last one, and later pulls report it as `repeated`).
 *
 * Applying is atomic: the fetched entries are written as a `staging` version (in short
 * transactions, one per page: a transaction held open across the network would take in, and on a
 * refusal throw away, the crossings the officer records meanwhile on the same connection), which
 * no screening sees; once the digest holds, ONE transaction makes the version active, applies the
 * signed name, kind and settings, records the sequence number and appends the audit row
 * `central.apply`. A retirement sets `retired_at` (store.ts then leaves the list out of screening
 * at once; it stays readable). The caller then rebuilds the match index (Engine.invalidateIndex:
 * built beside the one answering, then swapped).
 *
 * Lists the desk imported itself (`origin` 'local') are never touched (`central.localList`). A
 * central list whose name a local list already has is not applied (`central.nameTaken`): nothing
 * is renamed silently; the desk renames its own list, or the publisher renames the central one.
 */
import type pg from 'pg';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import type { ReasonCode } from '../../../shared/reasons';
import { activateVersion } from '../watchlists/versions';
import { EntriesDigest, verifyPublication, type CentralEntry, type Envelope, type PublicationRow } from './publication';
import { trustedPublishers, type TrustedKeyRow, type TrustedPublisher } from './trust';

/** Entries fetched from the centre per page. */
export const PULL_PAGE = 5000;

/** A publication applied. */
export interface AppliedPublication {
  listId: string;
  listName: string;
  action: 'publish' | 'retire';
  seq: number;
  versionId: string;
  versionNumber: number;
  /** Entries of the version (0 for a retirement: nothing was fetched). */
  entries: number;
  /** Entries fetched from the centre now (0 when the desk already held the version). */
  fetched: number;
  /**
   * The version that answered for the list before (null: none, or the same one): on a rollback the
   * caller passes it to Engine.invalidateIndex as withdrawn, so that it stops answering at once.
   */
  previousVersionId: string | null;
}

/** A publication refused; the list stays as it was. */
export interface RefusedPublication {
  listId: string;
  seq: number;
  reason: ReasonCode;
  /** True when the last pull refused the same publication for the same reason (audited then, not again). */
  repeated: boolean;
}

/** What one pull did. */
export interface PullResult {
  applied: AppliedPublication[];
  refused: RefusedPublication[];
}

/** Progress of fetching one version's entries. */
export interface PullProgress {
  listId: string;
  fetched: number;
  total: number;
}

interface LocalListState {
  id: string;
  origin: 'local' | 'central';
  central_seq: number | null;
}

/**
 * One server-side cursor over the whole version, in `ord` order, fetched PULL_PAGE rows at a time:
 * one scan at the centre whatever the plan (keyset pages, `ord > $2 ... LIMIT`, were sorted anew for
 * each page while the centre had no statistics yet for a freshly uploaded version, quadratic in the
 * version's size), from one REPEATABLE READ snapshot.
 */
const ENTRY_CURSOR = `DECLARE wd_pull_entries NO SCROLL CURSOR FOR
  SELECT ord, id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference, reason, remarks
  FROM wd.entries WHERE version_id = $1 ORDER BY ord`;

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Pulls and applies the newest publication of every list published at the centre that is newer
 * than what the desk holds. `client`: a connection of the desk's own role; `trust.rootKey`: the
 * department's root public key the desk pinned at registration (base64 raw 32 bytes); `actorId`:
 * the local account the sync runs for (audited; owner of rows it creates). Each list is applied
 * or refused on its own; returns both lists (refusal reasons: central.malformed, untrustedKey,
 * revokedKey, badSignature, replayed, entriesMismatch, nameTaken, localList,
 * versionNumberTaken, syncFailed when a staged version vanished before activation). Throws pg's
 * errors when the link fails (what was applied before stays applied; the rest is retried at the
 * next sync), and the desk database's errors.
 */
export async function pullPublications(
  db: DB, client: pg.ClientBase, trust: { rootKey: string }, actorId: string, now = new Date(), onProgress?: (p: PullProgress) => void,
): Promise<PullResult> {
  const keys = await client.query<TrustedKeyRow>(
    'SELECT fingerprint, public_key, username, role, certified_at, cert_sig, revoked_at, revocation_sig FROM wd.trusted_keys',
  );
  const trusted = rememberRevocations(db, trustedPublishers(keys.rows, trust.rootKey));
  const newest = await client.query<PublicationRow>(
    `SELECT DISTINCT ON (list_id) list_id::text AS list_id, seq::text AS seq, envelope, signer, sig
     FROM wd.publications ORDER BY list_id, seq DESC`,
  );
  const local = new Map((db.prepare('SELECT id, origin, central_seq FROM watchlists').all() as LocalListState[]).map((l) => [l.id, l]));
  const result: PullResult = { applied: [], refused: [] };
  for (const row of newest.rows) {
    const mine = local.get(row.list_id);
    const seq = Number(row.seq);
    if (mine?.central_seq != null && seq <= mine.central_seq) continue;
    const refuse = (why: ReasonCode) => {
      // The same refusal at every sync is audited once (the centre keeps showing it until a newer publication).
      const key = refusedKey(row.list_id);
      const repeated = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) === `${seq}:${why}`;
      result.refused.push({ listId: row.list_id, seq, reason: why, repeated });
      if (repeated) return;
      db.transaction(() => {
        db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, `${seq}:${why}`);
        appendAudit(db, { actorId, action: 'central.refuse', subject: row.list_id, details: { listId: row.list_id, seq, reason: why } }, now);
      })();
    };
    if (mine?.origin === 'local') {
      refuse('central.localList');
      continue;
    }
    const verdict = verifyPublication(row, trusted, mine?.central_seq ?? null);
    if (!verdict.ok) {
      refuse(verdict.reason);
      continue;
    }
    const e = verdict.envelope;
    if (e.action === 'retire' && !mine) continue; // never held here: nothing to stop screening
    if (nameTaken(db, e)) {
      refuse('central.nameTaken');
      continue;
    }
    const outcome = e.action === 'retire' ? applyRetire(db, e, actorId, now) : await applyPublish(db, client, e, actorId, now, onProgress);
    if (typeof outcome === 'string') refuse(outcome);
    else result.applied.push(outcome);
  }
  return result;
}

/** Setting holding the root-signed revocations this desk has seen: fingerprint -> revokedAt (JSON). */
const REVOKED_SETTING = 'central.revokedKeys';

/**
 * Keeps every revocation the desk has seen, and applies the remembered ones to `trusted`: a centre
 * whose database was altered could blank a revocation row (its signature is then simply absent),
 * but a key once seen revoked by the root stays revoked here. Returns `trusted`, amended.
 */
function rememberRevocations(db: DB, trusted: Map<string, TrustedPublisher>): Map<string, TrustedPublisher> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(REVOKED_SETTING) as { value: string } | undefined;
  let seen: Record<string, string>;
  try {
    seen = row ? (JSON.parse(row.value) as Record<string, string>) : {};
  } catch {
    seen = {};
  }
  let changed = false;
  for (const [fp, k] of trusted) {
    if (k.revokedAt !== null && seen[fp] === undefined) {
      seen[fp] = k.revokedAt;
      changed = true;
    } else if (k.revokedAt === null && seen[fp] !== undefined) {
      trusted.set(fp, { ...k, revokedAt: seen[fp] });
    }
  }
  if (changed) {
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(REVOKED_SETTING, JSON.stringify(seen));
  }
  return trusted;
}

/** True when another list of this desk has the envelope's list name (names are unique, case-insensitively). */
function nameTaken(db: DB, e: Envelope): boolean {
  return Boolean(db.prepare('SELECT 1 FROM watchlists WHERE name = ? COLLATE NOCASE AND id != ?').get(e.listName, e.listId));
}

/** Name, kind, settings and sequence number of the envelope on the list row (inside the applying transaction). */
function applyListRow(db: DB, e: Envelope, retiredAt: string | null): void {
  const s = e.settings;
  db.prepare(
    `UPDATE watchlists SET name = ?, kind = ?, strong_threshold = ?, review_threshold = ?, weak_threshold = ?, action_text = ?,
       require_approval = ?, clearance_approval = ?, stale_days = ?, origin = 'central', central_seq = ?, retired_at = ? WHERE id = ?`,
  ).run(e.listName, e.kind, s.strongThreshold, s.reviewThreshold, s.weakThreshold, s.actionText, s.requireApproval ? 1 : 0,
    s.clearanceApproval ? 1 : 0, s.staleDays, e.seq, retiredAt, e.listId);
}

function applied(e: Envelope, fetched: number, previous: string | null): AppliedPublication {
  return {
    listId: e.listId, listName: e.listName, action: e.action, seq: e.seq, versionId: e.versionId, versionNumber: e.versionNumber,
    entries: e.action === 'retire' ? 0 : e.entries, fetched, previousVersionId: previous === e.versionId ? null : previous,
  };
}

/** The list's active version here, or null. */
function activeVersionOf(db: DB, listId: string): string | null {
  const r = db.prepare('SELECT active_version_id FROM watchlists WHERE id = ?').get(listId) as { active_version_id: string | null } | undefined;
  return r?.active_version_id ?? null;
}

/** The desk setting that remembers the last refusal of a list's publication (`seq:reason`), so that it is audited once. */
function refusedKey(listId: string): string {
  return `central.refused.${listId}`;
}

/** Audits an applied publication (inside the applying transaction) and forgets the list's last refusal. */
function audit(db: DB, e: Envelope, actorId: string, now: Date, fetched: number): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(refusedKey(e.listId));
  appendAudit(db, {
    actorId, action: 'central.apply', subject: e.listId,
    details: { listId: e.listId, seq: e.seq, action: e.action, versionId: e.versionId, number: e.versionNumber, entries: e.entries, fetched, publisher: e.publisher },
  }, now);
}

function applyRetire(db: DB, e: Envelope, actorId: string, now: Date): AppliedPublication {
  db.transaction(() => {
    applyListRow(db, e, e.publishedAt);
    audit(db, e, actorId, now, 0);
  })();
  return applied(e, 0, null);
}

/**
 * Applies a publication of a version: the version held already (a rollback, a settings change,
 * the publishing desk itself) is activated as it is; otherwise it is fetched, checked and staged
 * first. Returns a refusal code instead when it cannot be applied.
 */
async function applyPublish(
  db: DB, client: pg.ClientBase, e: Envelope, actorId: string, now: Date, onProgress?: (p: PullProgress) => void,
): Promise<AppliedPublication | ReasonCode> {
  const held = db.prepare('SELECT list_id, state FROM list_versions WHERE id = ?').get(e.versionId) as { list_id: string; state: string } | undefined;
  let fetched = 0;
  let createdList = false;
  if (held && held.state === 'staging') await deleteVersion(db, e.versionId); // left by an interrupted pull
  if (held && held.state !== 'staging') {
    // Held here: pulled (and checked) before, or imported here by the publishing desk. Its entries never change.
    if (held.list_id !== e.listId || countEntries(db, e.versionId) !== e.entries) return 'central.entriesMismatch';
  } else {
    createdList = !db.prepare('SELECT 1 FROM watchlists WHERE id = ?').get(e.listId);
    const staged = stageVersion(db, e, actorId, now, createdList);
    if (staged) return staged;
    const ok = await fetchEntries(db, client, e, onProgress).catch(async (err: unknown) => {
      await discard(db, e, createdList);
      throw err;
    });
    if (!ok) {
      await discard(db, e, createdList);
      return 'central.entriesMismatch';
    }
    fetched = e.entries;
  }
  const previous = activeVersionOf(db, e.listId);
  const done = db.transaction((): boolean => {
    // The staged version must still be whole (an import's clean-up of staging versions could have removed it).
    const v = db.prepare('SELECT list_id FROM list_versions WHERE id = ?').get(e.versionId) as { list_id: string } | undefined;
    if (!v || countEntries(db, e.versionId) !== e.entries) return false;
    applyListRow(db, e, null);
    activateVersion(db, e.listId, e.versionId, now);
    audit(db, e, actorId, now, fetched);
    return true;
  })();
  if (!done) {
    await discard(db, e, createdList);
    return 'central.syncFailed';
  }
  return applied(e, fetched, previous);
}

function countEntries(db: DB, versionId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM entries WHERE version_id = ?').get(versionId) as { n: number }).n;
}

/**
 * Creates the list row (first pull of the list: origin 'central', no active version, not yet
 * screened) and the staging version row. Returns a refusal code when the version's number is
 * taken here by another version of the list.
 */
function stageVersion(db: DB, e: Envelope, actorId: string, now: Date, createList: boolean): ReasonCode | null {
  return db.transaction((): ReasonCode | null => {
    if (createList) {
      db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by, origin) VALUES (?, ?, ?, ?, ?, 'central')").run(
        e.listId, e.listName, e.kind, now.toISOString(), actorId,
      );
    }
    if (db.prepare('SELECT 1 FROM list_versions WHERE list_id = ? AND number = ?').get(e.listId, e.versionNumber)) return 'central.versionNumberTaken';
    db.prepare(
      `INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, state, created_at, created_by, source_date)
       VALUES (?, ?, ?, ?, ?, '{}', ?, ?, 0, 'superseded', 'staging', ?, ?, ?)`,
    ).run(e.versionId, e.listId, e.versionNumber, e.fileName, e.sourceSha256, e.entries, e.entries, now.toISOString(), actorId, e.sourceDate);
    return null;
  })();
}

/**
 * Fetches the version's entries page by page from one cursor (the next page is asked for while
 * this one is written), writes each page into the staging version in one short transaction, and feeds the
 * digest. True when the count and digest are the signed ones. Bounded memory: two pages at most.
 */
async function fetchEntries(db: DB, client: pg.ClientBase, e: Envelope, onProgress?: (p: PullProgress) => void): Promise<boolean> {
  const insert = db.prepare(
    `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference, reason, remarks)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const writePage = db.transaction((rows: CentralEntry[]) => {
    for (const r of rows) {
      insert.run(r.id, e.versionId, r.external_id, r.source_row, r.content_hash, r.name_key, r.names, r.match_keys, r.date_of_birth, r.sex,
        r.nationalities, r.documents, r.reference, r.reason, r.remarks);
    }
  });
  const page = () => client.query<CentralEntry>(`FETCH ${PULL_PAGE} FROM wd_pull_entries`);
  const digest = new EntriesDigest();
  // Staged rows need no fsync per page (a crash leaves a staging version, deleted at the next pull or import).
  const syncBefore = db.pragma('synchronous', { simple: true }) as number;
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  // A larger page cache while a whole version is written (SQLite's default is 2 MB): 64 MB.
  db.pragma('cache_size = -65536');
  let pending: Promise<pg.QueryResult<CentralEntry>> | null = null;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(ENTRY_CURSOR, [e.versionId]);
    pending = page();
    while (pending) {
      const rows: CentralEntry[] = (await pending).rows;
      pending = rows.length === PULL_PAGE && digest.count + rows.length < e.entries + 1 ? page() : null;
      for (const r of rows) digest.add(r);
      if (digest.count > e.entries) break;
      try {
        writePage(rows);
      } catch (err) {
        await pending?.catch(() => undefined);
        throw err;
      }
      onProgress?.({ listId: e.listId, fetched: digest.count, total: e.entries });
      await tick();
    }
  } finally {
    db.pragma(`synchronous = ${Number(syncBefore)}`);
    db.pragma(`cache_size = ${Number(cacheBefore)}`);
    await pending?.catch(() => undefined);
    // Ends the snapshot and closes the cursor; on a dead link this fails too, and the session is gone anyway.
    await client.query('COMMIT').catch(() => undefined);
  }
  const d = digest.finish();
  return d.count === e.entries && d.sha256 === e.entriesSha256;
}

/** Deletes a staged version (in chunks, so the desk stays responsive) and the list row this pull created. */
async function discard(db: DB, e: Envelope, createdList: boolean): Promise<void> {
  await deleteVersion(db, e.versionId);
  if (createdList) {
    db.prepare('DELETE FROM watchlists WHERE id = ? AND active_version_id IS NULL AND NOT EXISTS (SELECT 1 FROM list_versions WHERE list_id = ?)').run(e.listId, e.listId);
  }
}

/** Deletes a version that is still staging and its entries (a version in any other state is never deleted here). */
async function deleteVersion(db: DB, versionId: string): Promise<void> {
  if (!db.prepare("SELECT 1 FROM list_versions WHERE id = ? AND state = 'staging'").get(versionId)) return;
  const chunk = db.prepare('DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries WHERE version_id = ? LIMIT 5000)');
  while (chunk.run(versionId).changes > 0) await tick();
  db.prepare("DELETE FROM list_versions WHERE id = ? AND state = 'staging'").run(versionId);
}
