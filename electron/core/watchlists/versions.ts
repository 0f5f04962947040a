/**
 * List versions: activation (publish), four-eyes approval, rejection, rollback (with a second
 * supervisor where the list asks for one), version history, saved column mappings and the clean-up
 * of staging versions left by an interrupted import. Every change is one transaction with its audit
 * row (ids and counts only; DESIGN.md section 4). The approval setting itself: settings.ts
 * setListSafeguard.
 */
import type { DiffCounts, ListVersionDetail, VersionState } from '../../../shared/contract';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import type { ColumnMapping } from './mapping';
import { assertManagedHere, assertNotRetired, type ListRow } from './store';
import { approvalFor, assertApproved, type ApprovalDesk, type SecondApproval } from './four-eyes';
import { BadInputError, ConflictError } from '../errors';
import { reason } from '../../../shared/reasons';

interface VersionFull {
  id: string;
  list_id: string;
  number: number;
  file_name: string;
  sha256: string;
  created_at: string;
  created_by: string;
  state: VersionState;
  rows_read: number;
  imported: number;
  rejected: number;
  diff: string | null;
  approved_by: string | null;
  approved_at: string | null;
}

/** Test-only pause inside the publication transaction (WATCHDESK_TEST_PAUSE_PUBLISH_MS), to prove atomicity under SIGKILL. */
function testPause(): void {
  const ms = Number(process.env.WATCHDESK_TEST_PAUSE_PUBLISH_MS ?? 0);
  if (!(ms > 0)) return;
  process.stderr.write('WATCHDESK_PAUSED_IN_PUBLISH\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Makes `versionId` the active version of its list (call inside a transaction): the old active
 * one becomes superseded. `list_versions.status` follows (published only when active).
 * A list retired at this desk takes no new version (ConflictError `list.retired`, store.ts assertNotRetired).
 */
export function activateVersion(db: DB, listId: string, versionId: string, now: Date): void {
  assertNotRetired(db, listId);
  const list = db.prepare('SELECT active_version_id FROM watchlists WHERE id = ?').get(listId) as { active_version_id: string | null };
  if (list.active_version_id && list.active_version_id !== versionId) {
    db.prepare("UPDATE list_versions SET state = 'superseded', status = 'superseded' WHERE id = ?").run(list.active_version_id);
  }
  db.prepare("UPDATE list_versions SET state = 'published', status = 'published', activated_at = ? WHERE id = ?").run(now.toISOString(), versionId);
  db.prepare('UPDATE watchlists SET active_version_id = ? WHERE id = ?').run(versionId, listId);
  testPause();
}

function getVersion(db: DB, versionId: string): VersionFull {
  const v = db.prepare('SELECT * FROM list_versions WHERE id = ?').get(versionId) as VersionFull | undefined;
  if (!v) throw new BadInputError(reason('list.versionNotFound'));
  return v;
}

/** Approves a version waiting for a second supervisor and publishes it. The approver must not be its importer. */
export function approveVersion(db: DB, actorId: string, versionId: string, now = new Date()): string {
  db.transaction(() => {
    const v = getVersion(db, versionId);
    if (v.state !== 'pending') throw new ConflictError(reason('list.notPending', { number: v.number, state: v.state }));
    if (v.created_by === actorId) throw new ConflictError(reason('list.fourEyes'));
    db.prepare('UPDATE list_versions SET approved_by = ?, approved_at = ? WHERE id = ?').run(actorId, now.toISOString(), versionId);
    activateVersion(db, v.list_id, versionId, now);
    appendAudit(db, { actorId, action: 'list.approve', subject: versionId, details: { listId: v.list_id, number: v.number, sha256: v.sha256, importedBy: v.created_by } }, now);
  })();
  return getVersion(db, versionId).list_id;
}

/** Rejects a version waiting for approval; the active version stays. */
export function rejectVersion(db: DB, actorId: string, versionId: string, now = new Date()): void {
  db.transaction(() => {
    const v = getVersion(db, versionId);
    if (v.state !== 'pending') throw new ConflictError(reason('list.notPending', { number: v.number, state: v.state }));
    db.prepare("UPDATE list_versions SET state = 'rejected' WHERE id = ?").run(versionId);
    appendAudit(db, { actorId, action: 'list.reject', subject: versionId, details: { listId: v.list_id, number: v.number } }, now);
  })();
}

/**
 * Makes an earlier (published or superseded) version active again; the caller invalidates the index.
 * On a list that needs a second supervisor for new versions (requireApproval) a rollback needs one
 * too: `approval`, checked as four-eyes.ts secondSupervisor says (ConflictError
 * `list.rollbackNeedsApproval` without it). Audited as `list.rollback` with `{ listId, from, to,
 * approvedBy }` (version numbers; the approver's id, or null where none was needed).
 */
export async function rollbackVersion(desk: ApprovalDesk, actorId: string, listId: string, versionId: string, approval?: SecondApproval): Promise<void> {
  const { db } = desk;
  const refusal = reason('list.rollbackNeedsApproval');
  // A rollback that cannot be done is refused before anybody's password is checked.
  rollbackTarget(db, listId, versionId);
  const approverId = await approvalFor(desk, actorId, listId, 'requireApproval', approval, refusal);
  const now = desk.now();
  db.transaction(() => {
    // Read again: the approval's password check yielded to other calls (the setting may be on now).
    const { list, v } = rollbackTarget(db, listId, versionId);
    assertApproved(db, listId, 'requireApproval', approverId, refusal);
    const from = list.active_version_id ? getVersion(db, list.active_version_id).number : null;
    activateVersion(db, listId, versionId, now);
    appendAudit(db, { actorId, action: 'list.rollback', subject: versionId, details: { listId, from, to: v.number, approvedBy: approverId } }, now);
  })();
}

/** The list and the version a rollback would activate; throws when it cannot (no such list or version, another list's, active, never published). */
function rollbackTarget(db: DB, listId: string, versionId: string): { list: ListRow; v: VersionFull } {
  const list = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(listId) as ListRow | undefined;
  if (!list) throw new BadInputError(reason('list.notFound'));
  assertManagedHere(db, listId);
  assertNotRetired(db, listId);
  const v = getVersion(db, versionId);
  if (v.list_id !== listId) throw new BadInputError(reason('list.versionOtherList'));
  if (list.active_version_id === versionId) throw new ConflictError(reason('list.alreadyActive', { number: v.number }));
  if (v.state !== 'superseded' && v.state !== 'published') throw new ConflictError(reason('list.neverPublished', { number: v.number, state: v.state }));
  return { list, v };
}

/** A list's versions, newest first, with who imported and approved them (usernames). */
export function listVersions(db: DB, listId: string): ListVersionDetail[] {
  const list = db.prepare('SELECT active_version_id FROM watchlists WHERE id = ?').get(listId) as { active_version_id: string | null } | undefined;
  if (!list) throw new BadInputError(reason('list.notFound'));
  const rows = db
    .prepare(
      `SELECT v.*, u.username AS creator, a.username AS approver FROM list_versions v
       LEFT JOIN users u ON u.id = v.created_by LEFT JOIN users a ON a.id = v.approved_by
       WHERE v.list_id = ? AND v.state != 'staging' ORDER BY v.number DESC`,
    )
    .all(listId) as (VersionFull & { creator: string | null; approver: string | null })[];
  return rows.map((v) => ({
    id: v.id, number: v.number, fileName: v.file_name, sha256: v.sha256, createdAt: v.created_at, createdBy: v.creator ?? '',
    state: v.state, active: v.id === list.active_version_id, rowsRead: v.rows_read, imported: v.imported, rejected: v.rejected,
    diff: v.diff ? (JSON.parse(v.diff) as DiffCounts) : null, approvedBy: v.approver, approvedAt: v.approved_at,
  }));
}

/** Saved mappings of a list (by header signature). */
export function savedMappings(db: DB, listName: string): Record<string, ColumnMapping> {
  const rows = db.prepare('SELECT signature, mapping FROM import_mappings WHERE list_name = ?').all(listName) as { signature: string; mapping: string }[];
  const out: Record<string, ColumnMapping> = Object.create(null) as Record<string, ColumnMapping>;
  for (const r of rows) out[r.signature] = JSON.parse(r.mapping) as ColumnMapping;
  return out;
}

/** Saves the mapping used for files with this header signature (call inside the publication transaction). */
export function saveMapping(db: DB, actorId: string, listName: string, signature: string, mapping: ColumnMapping, now: Date): void {
  db.prepare(
    `INSERT INTO import_mappings (list_name, signature, mapping, updated_at, updated_by) VALUES (?,?,?,?,?)
     ON CONFLICT (list_name, signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(listName, signature, JSON.stringify(mapping), now.toISOString(), actorId);
}

/**
 * Deletes staging versions (an import interrupted by a crash or cancel) except `keep`, in chunks so
 * the main thread stays responsive, and lists left with no version at all.
 */
export async function cleanupStaging(db: DB, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const staging = (db.prepare("SELECT id FROM list_versions WHERE state = 'staging'").all() as { id: string }[]).filter((v) => !keep.has(v.id));
  const chunk = db.prepare('DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries WHERE version_id = ? LIMIT 5000)');
  for (const v of staging) {
    while (chunk.run(v.id).changes > 0) await new Promise((r) => setImmediate(r));
    db.prepare("DELETE FROM list_versions WHERE id = ? AND state = 'staging'").run(v.id);
  }
  if (staging.length) {
    db.prepare('DELETE FROM watchlists WHERE active_version_id IS NULL AND NOT EXISTS (SELECT 1 FROM list_versions v WHERE v.list_id = watchlists.id)').run();
  }
}
