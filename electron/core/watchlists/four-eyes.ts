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
 * A new safeguard is one more entry, and its action calls approvalFor: both rules then hold for it
 * with no further code. (Renaming, retiring and re-kinding a list, issue 13, come under
 * `requireApproval`: lifecycle.ts.)
 */
import { getUserByName, passwordMatches, rolesOf } from '../accounts';
import { departmentAccountHere } from '../api/users';
import { isAccountRevoked } from '../central/accounts';
import { appendAudit, signedAccounts } from '../audit';
import type { DB } from '../db/database';
import { ownerId, readKeyFile } from '../db/keyslots';
import { BadInputError, ConflictError, LockedError } from '../errors';
import type { LockoutStore } from '../lockout';
import { fingerprint, publicKeyOf, unwrapSigningKey } from '../signing';
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
 * - `requireApproval`: publishing a new version, and rolling back to an earlier one (versions.ts);
 *   renaming the list, correcting its kind, retiring and reactivating it (lifecycle.ts).
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
 * Checks a second supervisor's approval for a list safeguard (checkApproval, refusing the
 * requester's own account with `approval.sameAsRequester`; audit rows name the requester as
 * `requestedBy`, subject `subject`). Returns the approving supervisor's id.
 */
export function secondSupervisor(desk: ApprovalDesk, requesterId: string, a: SecondApproval, subject: string): Promise<string> {
  return checkApproval(desk, a, { requesterId, sameAccount: 'approval.sameAsRequester', subject, details: { requestedBy: requesterId } });
}

/** Who asks for an approval, and how the refusal of their own account and the audit rows name them. */
export interface ApprovalRequest {
  requesterId: string;
  /** The refusal when the approver is the requester: the officer at the desk, the supervisor who asks for a list change. */
  sameAccount: 'approval.sameAsOfficer' | 'approval.sameAsRequester';
  /** The audit rows' subject (the hit, the list). */
  subject: string;
  /** The requester in the audit rows' details (ids only): `{ officerId }` at the desk, `{ requestedBy }` for a list. */
  details: Record<string, string>;
}

/**
 * Checks an approval credential (a supervisor's username and password typed on another person's
 * desk), the one check behind every four-eyes approval: the desk's clearance of a strong hit
 * (decisions.ts) and a list safeguard (secondSupervisor).
 *
 * The password is checked as sign-in checks it: a wrong one counts toward that account's lockout
 * and is audited (`approval.fail`); a locked account is refused (LockedError `approval.locked`,
 * audited as `approval.refusedLocked`). Refuses (BadInputError) the requester's own account
 * (`req.sameAccount`) and wrong credentials (`approval.wrongCredentials`).
 *
 * The supervisor role is taken as sign-in takes roles (api/users.ts signInSigning): from the
 * signed grant rows of the trail (audit.ts signedAccounts), never from the `users` table, which
 * anyone holding the database file can edit. On a desk that signs, an account that no signed admin
 * row made a supervisor, or that the signed rows disabled, is refused (`approval.notSupervisor`),
 * and the password must also unwrap the account's signing key that the trail enrolled, so a
 * password hash written into the table does not pass either (BadInputError `signing.keyMismatch`,
 * audited unsigned as `approval.refusedUntrusted`). An account the department revoked
 * (BadInputError `central.accountRevoked`) or provisioned for other checkpoints only
 * (`central.accountNotHere`) is refused as sign-in refuses it, counted and audited (`approval.fail`)
 * as a wrong password is. On a desk that does not sign yet (migrated,
 * no admin signed in since) the table's roles are all there is, as at sign-in.
 * Returns the approving supervisor's id.
 */
export async function checkApproval(desk: ApprovalDesk, a: SecondApproval, req: ApprovalRequest): Promise<string> {
  const { db, now } = desk;
  const u = getUserByName(db, a.username);
  if (u?.id === req.requesterId) throw new BadInputError(reason(req.sameAccount));
  const owner = ownerId(readKeyFile(desk.dbPath).fileId, a.username);
  const lockedUntil = desk.lockout.lockedUntil(owner, now());
  if (lockedUntil) {
    appendAudit(db, { actorId: u?.id ?? null, action: 'approval.refusedLocked', subject: req.subject, details: { ...req.details, lockedUntil } }, now());
    throw approvalLocked(lockedUntil, now());
  }
  // An account the department revoked (central/accounts.ts) is refused before its password is checked, counted
  // and audited as a disabled account is: as Engine.signIn refuses it.
  if (isAccountRevoked(db, a.username)) failApproval(desk, owner, u?.id ?? null, req, false, reason('central.accountRevoked'));
  const known = Boolean(u && !u.disabled);
  if (!u || !known || !(await passwordMatches(u.password_hash, a.password))) {
    const { failures, locked } = desk.lockout.recordFailure(owner, now(), { known, pending: false });
    appendAudit(db, { actorId: u?.id ?? null, action: 'approval.fail', subject: req.subject, details: { ...req.details, failures } }, now());
    if (locked && u) {
      appendAudit(db, { actorId: u.id, action: 'auth.lockout', subject: u.id, details: { approval: true } }, now());
      throw approvalLocked(desk.lockout.lockedUntil(owner, now())!, now());
    }
    throw new BadInputError(reason('approval.wrongCredentials'));
  }
  const walk = signedAccounts(db);
  // An account the department provisioned approves only at the desks of its checkpoints, as it signs in only there.
  if (!departmentAccountHere(db, walk, u.id)) failApproval(desk, owner, u.id, req, true, reason('central.accountNotHere'));
  if (walk.startSeq === null) {
    if (!rolesOf(u).includes('supervisor')) throw new BadInputError(reason('approval.notSupervisor'));
  } else {
    const signed = walk.accounts.get(u.id);
    if (!signed || signed.disabled || !signed.roles.includes('supervisor')) throw new BadInputError(reason('approval.notSupervisor'));
    if (signed.key !== null) {
      const key = u.signing_wrapped ? await unwrapSigningKey(u.signing_wrapped, a.password) : null;
      if (!key || fingerprint(publicKeyOf(key)) !== signed.key) {
        appendAudit(db, { actorId: null, action: 'approval.refusedUntrusted', subject: req.subject, details: { ...req.details, approverId: u.id } }, now());
        throw new BadInputError(reason('signing.keyMismatch'));
      }
    }
  }
  desk.lockout.clear(owner);
  return u.id;
}
/**
 * Counts a refused approval toward the account's lockout (`known`: an enabled account of this desk),
 * audits it (`approval.fail`, and `auth.lockout` when it locks the account) and throws BadInputError
 * `refusal`, or LockedError `approval.locked` when this failure locked the account.
 */
function failApproval(desk: ApprovalDesk, owner: string, userId: string | null, req: ApprovalRequest, known: boolean, refusal: Reason): never {
  const { db, now } = desk;
  const { failures, locked } = desk.lockout.recordFailure(owner, now(), { known, pending: false });
  appendAudit(db, { actorId: userId, action: 'approval.fail', subject: req.subject, details: { ...req.details, failures } }, now());
  if (locked && userId) {
    appendAudit(db, { actorId: userId, action: 'auth.lockout', subject: userId, details: { approval: true } }, now());
    throw approvalLocked(desk.lockout.lockedUntil(owner, now())!, now());
  }
  throw new BadInputError(refusal);
}
function approvalLocked(until: string, now: Date): LockedError {
  return new LockedError(reason('approval.locked', { minutes: Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000)) }));
}
