/**
 * A list's life after its first import (issue 13, "lists are forever"): renamed, its kind
 * corrected, retired, and reactivated. Supervisors only (api/permissions.ts).
 *
 * Rules, stated once:
 * - Four eyes: on a list whose new versions need a second supervisor (`requireApproval`,
 *   four-eyes.ts LIST_SAFEGUARDS), each of these changes needs one too, given as `approval` and
 *   checked as four-eyes.ts secondSupervisor says (refused with ConflictError
 *   `list.changeNeedsApproval` without it). The same safeguard as publishing and rollback: a list
 *   whose content needs two people needs two to change what it is called, what kind it is and
 *   whether it is screened.
 * - Audit: one row per change in the change's own transaction, `list.rename` `{ listId, from, to,
 *   approvedBy }` (list names: a list's name is the department's label, not personal data),
 *   `list.kind` `{ listId, from, to, approvedBy }`, `list.retire` / `list.reactivate`
 *   `{ listId, versionId, number, approvedBy }` (the version that stops / starts answering, or
 *   null where the list has none). `approvedBy` is the second supervisor's id, or null.
 * - Retired: `watchlists.retired_at` set (the column the centre's retirement uses, migration 8).
 *   The list answers no screening from that moment: store.ts listLists shows it with no active
 *   version, so the screener's plan (screening.ts) leaves its version out of the index answering
 *   at the next query, without a restart; the caller rebuilds the index without it. It stays
 *   readable: its versions, its entries (listEntries), past hits and crossings still show it by
 *   name. It takes no new version until reactivated: an import is refused with ConflictError
 *   `list.retired` (a dry run, which publishes nothing, is allowed), and so is approving a
 *   pending version or rolling back (versions.ts activateVersion refuses to activate a version of a
 *   retired list).
 * - Reactivated: `retired_at` cleared; the version that was active when it was retired answers
 *   again once the caller's index rebuild holds it (until then screening says the index is building,
 *   never a silent miss). A new import does not reactivate a retired list: reactivation is this
 *   explicit, audited step.
 * - Renamed: names stay unique, case-insensitively (`list.nameTaken`); the saved column mappings
 *   of the list's source (import_mappings, keyed by list name) follow the new name. An import under
 *   the old name afterwards makes a new list.
 * - Kind corrected: the action text shown with a hit follows the new kind's default unless the
 *   list sets its own; past hits show the list's kind as it is now (the audit row keeps the old one).
 * - A list the centre publishes (origin 'central'): renaming and correcting the kind pass only on
 *   a publishing desk, like every other change (store.ts assertManagedHere, ConflictError
 *   `central.listManagedCentrally`; the next "Publish to centre" carries them to every desk).
 *   Retiring and reactivating it are refused on every desk with ConflictError
 *   `list.retireAtCentre`: that is the centre's retirement (central.retire) and its publication.
 */
import type { ListKind } from '../../../shared/domain';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { BadInputError, ConflictError } from '../errors';
import { reason } from '../../../shared/reasons';
import { approvalFor, assertApproved, type ApprovalDesk, type SecondApproval } from './four-eyes';
import { assertManagedHere, type ListRow } from './store';

/** One change of a list's lifecycle. `name` is trimmed; at most 120 characters (the contract). */
export type ListChange =
  | { action: 'rename'; name: string }
  | { action: 'kind'; kind: ListKind }
  | { action: 'retire' }
  | { action: 'reactivate' };

/** What a change did: the list, and the version that stopped or started answering (retire, reactivate), else null. */
export interface ListChangeResult {
  listId: string;
  /** The list's active version at the change (retire/reactivate only); null for rename and kind, or a list with none. */
  versionId: string | null;
}

/** The audit action of each change. */
const AUDIT_ACTION = { rename: 'list.rename', kind: 'list.kind', retire: 'list.retire', reactivate: 'list.reactivate' } as const;

type LifecycleRow = ListRow & { origin: 'local' | 'central'; retired_at: string | null };

/**
 * Throws unless `change` can be made to the list as it is now (called before the approval's
 * password check and again inside the change's transaction): BadInputError `list.notFound`;
 * ConflictError `central.listManagedCentrally` / `list.retireAtCentre` (a list of the centre),
 * `list.sameName`, `list.nameTaken`, `list.sameKind`, `list.alreadyRetired`, `list.notRetired`.
 */
function checkChange(db: DB, listId: string, change: ListChange): LifecycleRow {
  const list = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(listId) as LifecycleRow | undefined;
  if (!list) throw new BadInputError(reason('list.notFound'));
  switch (change.action) {
    case 'rename': {
      assertManagedHere(db, listId);
      if (change.name === list.name) throw new ConflictError(reason('list.sameName'));
      // Unique case-insensitively (the column's NOCASE); a change of case alone is a rename of the same list.
      if (db.prepare('SELECT 1 FROM watchlists WHERE name = ? COLLATE NOCASE AND id != ?').get(change.name, listId)) {
        throw new ConflictError(reason('list.nameTaken', { name: change.name }));
      }
      break;
    }
    case 'kind':
      assertManagedHere(db, listId);
      if (change.kind === list.kind) throw new ConflictError(reason('list.sameKind'));
      break;
    case 'retire':
    case 'reactivate':
      if (list.origin === 'central') throw new ConflictError(reason('list.retireAtCentre'));
      if (change.action === 'retire' && list.retired_at) throw new ConflictError(reason('list.alreadyRetired'));
      if (change.action === 'reactivate' && !list.retired_at) throw new ConflictError(reason('list.notRetired'));
      break;
  }
  return list;
}

/**
 * Renames, re-kinds, retires or reactivates list `listId` as `actorId` (a supervisor), with
 * `approval` (a second supervisor's) where the list's `requireApproval` is on; the rules are in this
 * file's header. A change that cannot be made is refused before anybody's password is checked.
 * One transaction with its audit row; nothing changes when refused. The caller rebuilds the match
 * index after a retirement or reactivation (Engine.invalidateIndex); renames and kinds are read
 * at every screening.
 * Throws as checkChange, four-eyes.ts approvalFor/secondSupervisor, and BadInputError
 * `field.required` for an empty name.
 */
export async function changeList(
  desk: ApprovalDesk, actorId: string, listId: string, change: ListChange, approval?: SecondApproval,
): Promise<ListChangeResult> {
  const { db } = desk;
  const c: ListChange = change.action === 'rename' ? { action: 'rename', name: change.name.trim() } : change;
  if (c.action === 'rename' && !c.name) throw new BadInputError(reason('field.required'));
  const refusal = reason('list.changeNeedsApproval');
  checkChange(db, listId, c);
  const approverId = await approvalFor(desk, actorId, listId, 'requireApproval', approval, refusal);
  const now = desk.now();
  return db.transaction((): ListChangeResult => {
    // Read again: the approval's password check yielded to other calls.
    const list = checkChange(db, listId, c);
    assertApproved(db, listId, 'requireApproval', approverId, refusal);
    const base = { listId, approvedBy: approverId };
    let details: Record<string, string | number | null>;
    let versionId: string | null = null;
    switch (c.action) {
      case 'rename':
        db.prepare('UPDATE watchlists SET name = ? WHERE id = ?').run(c.name, listId);
        // The saved column mappings follow the list (rows left under the new name by no list are stale).
        db.prepare('DELETE FROM import_mappings WHERE list_name = ? AND list_name != ?').run(c.name, list.name);
        db.prepare('UPDATE OR REPLACE import_mappings SET list_name = ? WHERE list_name = ?').run(c.name, list.name);
        details = { ...base, from: list.name, to: c.name };
        break;
      case 'kind':
        db.prepare('UPDATE watchlists SET kind = ? WHERE id = ?').run(c.kind, listId);
        details = { ...base, from: list.kind, to: c.kind };
        break;
      case 'retire':
      case 'reactivate': {
        db.prepare('UPDATE watchlists SET retired_at = ? WHERE id = ?').run(c.action === 'retire' ? now.toISOString() : null, listId);
        versionId = list.active_version_id;
        const v = versionId ? (db.prepare('SELECT number FROM list_versions WHERE id = ?').get(versionId) as { number: number } | undefined) : undefined;
        details = { ...base, versionId, number: v?.number ?? null };
        break;
      }
    }
    appendAudit(db, { actorId, action: AUDIT_ACTION[c.action], subject: listId, details }, now);
    return { listId, versionId };
  })();
}

