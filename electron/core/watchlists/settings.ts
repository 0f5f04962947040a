/**
 * A list's own score bands and action text (DESIGN.md section 5.7): supervisors and admins set
 * them; every change is one transaction with its audit row, old and new values side by side.
 * A value left null follows the default (DEFAULT_THRESHOLDS, DEFAULT_ACTIONS of the list's kind).
 * Also the settings that ask for a second person (four-eyes.ts): on by one supervisor, off only
 * with a second one's approval.
 */
import { DEFAULT_ACTIONS, type Thresholds } from '../../../shared/domain';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { assertManagedHere, thresholdsOf, type ListRow } from './store';
import { approvalFor, assertApproved, LIST_SAFEGUARDS, safeguardOn, type ApprovalDesk, type ListSafeguard, type SecondApproval } from './four-eyes';
import { BadInputError } from '../errors';
import { reason } from '../../../shared/reasons';

type Level = keyof Thresholds;
const LEVELS: readonly Level[] = ['strong', 'review', 'weak'];

/**
 * What to change. Each threshold is a 0..1 score: a number sets it, null restores the default,
 * absent leaves it as it is; `thresholds: null` restores all three. `actionText`: text sets it,
 * null or empty restores the kind's default, absent leaves it.
 */
export interface ListSettingsChange {
  thresholds?: Partial<Record<Level, number | null>> | null;
  actionText?: string | null;
  /** Days after which the list is stale; null follows the checkpoint's limit, absent leaves it. */
  staleDays?: number | null;
}

/** A list's settings as the audit trail records them: the values in force, and which follow the default. */
type SettingsSnapshot = {
  strong: number;
  review: number;
  weak: number;
  actionText: string;
  defaults: string[];
};

interface Stored {
  strong: number | null;
  review: number | null;
  weak: number | null;
  actionText: string | null;
  staleDays: number | null;
}

/** A 0..1 score for a message: at least two decimals, more only when they matter (0.80, 0.755). */
export function formatScore(n: number): string {
  let s = n.toFixed(4);
  while (s.endsWith('0') && s.length > s.indexOf('.') + 3) s = s.slice(0, -1);
  return s;
}

/**
 * Throws BadInputError unless weak < review <= strong (0..1 scores, defaults already applied).
 * The message names the field, e.g. "thresholds: weak (0.80) must be below review (0.75)".
 */
export function checkThresholdOrder(t: Thresholds): void {
  if (!(t.weak < t.review)) {
    throw new BadInputError(reason('list.weakAboveReview', { weak: formatScore(t.weak), review: formatScore(t.review) }));
  }
  if (!(t.review <= t.strong)) {
    throw new BadInputError(reason('list.reviewAboveStrong', { review: formatScore(t.review), strong: formatScore(t.strong) }));
  }
}

function snapshot(row: ListRow, s: Stored): SettingsSnapshot {
  const t = thresholdsOf({ strong_threshold: s.strong, review_threshold: s.review, weak_threshold: s.weak });
  return {
    ...t,
    actionText: s.actionText ?? DEFAULT_ACTIONS[row.kind],
    defaults: [...LEVELS.filter((l) => s[l] === null), ...(s.actionText === null ? ['actionText'] : [])],
  };
}

/**
 * Sets a list's score-band thresholds (0..1), its action text and/or its stale limit (days),
 * refusing an order other than weak < review <= strong once defaults are applied; nothing changes
 * when refused. Audited as `list.setSettings` with `{ listId, from, to }`, a changed stale limit as
 * `list.setStaleLimit`. The caller drops the match index so that the
 * next screening bands hits with the new values.
 */
export function setListSettings(db: DB, actorId: string, listId: string, change: ListSettingsChange, now = new Date()): void {
  db.transaction(() => {
    const row = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(listId) as ListRow | undefined;
    if (!row) throw new BadInputError(reason('list.notFound'));
    assertManagedHere(db, listId);
    const before: Stored = { strong: row.strong_threshold, review: row.review_threshold, weak: row.weak_threshold, actionText: row.action_text, staleDays: row.stale_days };
    const after: Stored = { ...before };
    if (change.thresholds === null) for (const l of LEVELS) after[l] = null;
    else if (change.thresholds) for (const l of LEVELS) if (change.thresholds[l] !== undefined) after[l] = change.thresholds[l]!;
    if (change.actionText !== undefined) after.actionText = change.actionText?.trim() ? change.actionText.trim() : null;
    if (change.staleDays !== undefined) after.staleDays = change.staleDays;
    checkThresholdOrder(thresholdsOf({ strong_threshold: after.strong, review_threshold: after.review, weak_threshold: after.weak }));
    db.prepare('UPDATE watchlists SET strong_threshold = ?, review_threshold = ?, weak_threshold = ?, action_text = ?, stale_days = ? WHERE id = ?').run(
      after.strong, after.review, after.weak, after.actionText, after.staleDays, listId,
    );
    if (change.thresholds !== undefined || change.actionText !== undefined || change.staleDays === undefined) {
      appendAudit(db, { actorId, action: 'list.setSettings', subject: listId, details: { listId, from: snapshot(row, before), to: snapshot(row, after) } }, now);
    }
    // The list's own stale limit (issue 11) has its own row: null means the checkpoint's limit.
    if (after.staleDays !== before.staleDays) {
      appendAudit(db, { actorId, action: 'list.setStaleLimit', subject: listId, details: { listId, from: before.staleDays, to: after.staleDays } }, now);
    }
  })();
}

/**
 * Turns a list's setting that asks for a second person (four-eyes.ts LIST_SAFEGUARDS: publishing
 * approval, desk clearance approval) on or off. Turning it on needs nobody; turning it off from on
 * needs `approval`, a second supervisor's (refused with ConflictError `list.turnOffNeedsApproval`
 * without it; secondSupervisor says how a wrong one is refused). One transaction with its audit
 * row, the safeguard's action with `{ listId, from, to, approvedBy }` (ids; `approvedBy` null when
 * no approval was needed); `list.setApproval` also keeps its `requireApproval`.
 */
export async function setListSafeguard(
  desk: ApprovalDesk, actorId: string, listId: string, safeguard: ListSafeguard, on: boolean, approval?: SecondApproval,
): Promise<void> {
  const refusal = reason('list.turnOffNeedsApproval');
  assertManagedHere(desk.db, listId);
  const approverId = on ? null : await approvalFor(desk, actorId, listId, safeguard, approval, refusal);
  const { db } = desk;
  const { column, action } = LIST_SAFEGUARDS[safeguard];
  db.transaction(() => {
    // Read again: the approval's password check yielded to other calls.
    const from = safeguardOn(db, listId, safeguard);
    if (!on) assertApproved(db, listId, safeguard, approverId, refusal);
    db.prepare(`UPDATE watchlists SET ${column} = ? WHERE id = ?`).run(on ? 1 : 0, listId);
    const details = { listId, from, to: on, approvedBy: approverId, ...(safeguard === 'requireApproval' ? { requireApproval: on } : {}) };
    appendAudit(db, { actorId, action, subject: listId, details }, desk.now());
  })();
}
