/**
 * Four eyes that holds (issue 15, item 11): the list settings that ask for a second person, and
 * the second supervisor's approval that an action governed by one of them needs.
 *
 * The approval is the one the desk already knows (shared/contract.ts ApprovalSchema, decisions.ts):
 * a second supervisor types their own username and password on the asking supervisor's desk; the
 * password is checked as sign-in checks it (Argon2id, the same per-account lockout, failures
 * audited) and the action's own audit row names both: `actorId` the supervisor who asked,
 * `details.approvedBy` the one who approved (ids only).
 *
 * Each safeguard is one entry of LIST_SAFEGUARDS. Turning one on needs nobody; turning it off, and
 * every action it governs, needs a second supervisor (settings.ts setListSafeguard, approvalFor).
 * A new safeguard (renaming, retiring or re-kinding a list, once those calls exist) is one more
 * entry, and its action calls approvalFor: both rules then hold for it with no further code.
 */
import { getUserByName, passwordMatches, rolesOf } from '../accounts';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { ownerId, readKeyFile } from '../db/keyslots';
import { BadInputError, ConflictError, LockedError } from '../errors';
import type { LockoutStore } from '../lockout';
import { reason, type Reason } from '../../../shared/reasons';

/** A second supervisor's approval, typed on the asking supervisor's desk (their own username and password). */
export interface SecondApproval {
  username: string;
  password: string;
}

/** What a second supervisor's approval needs of the open desk (Engine.desk()): the password check and its lockout. */
export interface ApprovalDesk {
  db: DB;
  dbPath: string;
  lockout: LockoutStore;
  now: () => Date;
}

/**
 * The list settings that ask for a second person: the `watchlists` column holding each (1 on,
 * 0 off) and the audit action of a change to it.
 * - `requireApproval`: publishing a new version, and rolling back to an earlier one (versions.ts).
 * - `clearanceApproval`: clearing a strong hit at the desk (decisions.ts).
 */
export const LIST_SAFEGUARDS = {
  requireApproval: { column: 'require_approval', action: 'list.setApproval' },
  clearanceApproval: { column: 'clearance_approval', action: 'list.setClearanceApproval' },
} as const;

/** The name of a list setting that asks for a second person. */
export type ListSafeguard = keyof typeof LIST_SAFEGUARDS;

/** Whether the list's safeguard is on; throws BadInputError `list.notFound`. */
export function safeguardOn(db: DB, listId: string, safeguard: ListSafeguard): boolean {
  const row = db.prepare(`SELECT ${LIST_SAFEGUARDS[safeguard].column} AS value FROM watchlists WHERE id = ?`).get(listId) as { value: number } | undefined;
  if (!row) throw new BadInputError(reason('list.notFound'));
  return row.value === 1;
}

/**
 * The approver's id when the list's `safeguard` is on (checked with secondSupervisor), null when it
 * is off (an approval given then is neither checked nor recorded). Throws ConflictError `refusal`
 * when it is on and no approval is given. The caller re-reads the setting inside its transaction
 * (assertApproved): the password check yields to other calls.
 */
export async function approvalFor(
  desk: ApprovalDesk, requesterId: string, listId: string, safeguard: ListSafeguard, approval: SecondApproval | undefined, refusal: Reason,
): Promise<string | null> {
  if (!safeguardOn(desk.db, listId, safeguard)) return null;
  if (!approval) throw new ConflictError(refusal);
  return secondSupervisor(desk, requesterId, approval, listId);
}

/** Inside the action's transaction: refuses (ConflictError `refusal`) when the safeguard is on now but no approver was checked. */
export function assertApproved(db: DB, listId: string, safeguard: ListSafeguard, approverId: string | null, refusal: Reason): void {
  if (approverId === null && safeguardOn(db, listId, safeguard)) throw new ConflictError(refusal);
}

/**
 * Checks a second supervisor's approval as sign-in checks a password: a wrong password counts
 * toward that account's lockout and is audited (`approval.fail`, subject `subject`, with the
 * requester's id); a locked account is refused (LockedError `approval.locked`, audited as
 * `approval.refusedLocked`). Refuses (BadInputError) the requester's own account
 * (`approval.sameAsRequester`), wrong credentials, an account without the supervisor role.
 * Returns the approving supervisor's id.
 */
export async function secondSupervisor(desk: ApprovalDesk, requesterId: string, a: SecondApproval, subject: string): Promise<string> {
  const { db } = desk;
  const u = getUserByName(db, a.username);
  if (u?.id === requesterId) throw new BadInputError(reason('approval.sameAsRequester'));
  const owner = ownerId(readKeyFile(desk.dbPath).fileId, a.username);
  const lockedUntil = desk.lockout.lockedUntil(owner, desk.now());
  if (lockedUntil) {
    appendAudit(db, { actorId: u?.id ?? null, action: 'approval.refusedLocked', subject, details: { requestedBy: requesterId, lockedUntil } }, desk.now());
    throw approvalLocked(lockedUntil, desk.now());
  }
  const known = Boolean(u && !u.disabled);
  if (!u || !known || !(await passwordMatches(u.password_hash, a.password))) {
    const { failures, locked } = desk.lockout.recordFailure(owner, desk.now(), { known, pending: false });
    appendAudit(db, { actorId: u?.id ?? null, action: 'approval.fail', subject, details: { requestedBy: requesterId, failures } }, desk.now());
    if (locked && u) {
      appendAudit(db, { actorId: u.id, action: 'auth.lockout', subject: u.id, details: { approval: true } }, desk.now());
      throw approvalLocked(desk.lockout.lockedUntil(owner, desk.now())!, desk.now());
    }
    throw new BadInputError(reason('approval.wrongCredentials'));
  }
  if (!rolesOf(u).includes('supervisor')) throw new BadInputError(reason('approval.notSupervisor'));
  desk.lockout.clear(owner);
  return u.id;
}

function approvalLocked(until: string, now: Date): LockedError {
  return new LockedError(reason('approval.locked', { minutes: Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000)) }));
}
