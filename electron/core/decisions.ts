/**
 * Decisions on hits (DESIGN.md section 2, rules of the desk): the officer's adjudication, the
 * desk's memory of earlier clearances (the same document cleared against the same, unchanged
 * entry), a supervisor's correction of a decision, and four eyes at the desk (clearing a strong hit
 * on a list that asks for it needs a supervisor's approval, given with their own password).
 * Every change is one transaction with its audit row (ids only).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { CorrectionView, HitCorrectionResult, HitView, PreviousClearance, Traveler } from '../../shared/contract';
import type { Band, Decision, ListKind } from '../../shared/domain';
import { reason, reasonView, type Reason } from '../../shared/reasons';
import { appendAudit } from './audit';
import type { DB } from './db/database';
import { BadInputError, ConflictError } from './errors';
import { checkApproval, type ApprovalDesk, type SecondApproval } from './watchlists/four-eyes';
import { entryView, type EntryRow } from './watchlists/store';
import { normalizeDocumentNumber, toAlpha3 } from './watchlists/values';

/** A decision an officer or supervisor can make. */
export type Adjudication = Exclude<Decision, 'undecided'>;

/** A supervisor's approval typed on the officer's desk (checked by four-eyes.ts checkApproval). */
export type Approval = SecondApproval;

/** What a decision needs of the open desk (Engine.desk()): the approving supervisor's password check and lockout. */
export type DecisionDesk = ApprovalDesk;

/** A stored hit with its list, entry and screening. */
interface HitRow {
  id: string; screening_id: string; entry_id: string; score: number; band: Band; explanation: string; action: string;
  decision: Decision; note: string | null; decided_by: string | null; decided_at: string | null; approved_by: string | null;
  repeats_hit_id: string | null; list_id: string; list_name: string; list_kind: ListKind; clearance_approval: number;
  version_id: string; external_id: string; traveler: string; officer_id: string; crossing_id: string | null;
}
const HIT_SELECT = `SELECT h.*, w.id AS list_id, w.name AS list_name, w.kind AS list_kind, w.clearance_approval,
  e.version_id, e.external_id, s.traveler, s.officer_id, s.crossing_id
  FROM hits h JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id
  JOIN screenings s ON s.id = h.screening_id WHERE h.id = ?`;

function loadHit(db: DB, hitId: string): HitRow {
  const h = db.prepare(HIT_SELECT).get(hitId) as HitRow | undefined;
  if (!h) throw new BadInputError(reason('hit.notFound'));
  return h;
}

function entryRow(db: DB, id: string): EntryRow {
  return db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow;
}

function username(db: DB, id: string | null): string | null {
  if (!id) return null;
  return (db.prepare('SELECT username FROM users WHERE id = ?').get(id) as { username: string } | undefined)?.username ?? null;
}

/**
 * What makes an entry "the same" across list versions besides its list and external id: a hash of
 * its names, date of birth, sex, nationalities and documents as stored. A new version that changes
 * any of them gives another hash, and the earlier clearances against the entry lapse.
 */
export function entryIdentity(e: Pick<EntryRow, 'names' | 'date_of_birth' | 'sex' | 'nationalities' | 'documents'>): string {
  const content = [JSON.parse(e.names), e.date_of_birth, e.sex, JSON.parse(e.nationalities), JSON.parse(e.documents)];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The traveler's document as the memory keys it (issuing state alpha-3 + number), or null without both. */
export function documentKey(t: Pick<Traveler, 'documentNumber' | 'documentIssuer'>): string | null {
  const number = t.documentNumber ? normalizeDocumentNumber(t.documentNumber) : '';
  const issuer = t.documentIssuer?.trim() ?? '';
  if (!number || !issuer) return null;
  return `${toAlpha3(issuer) ?? issuer.toUpperCase()}:${number}`;
}

/** The latest clearance of the hit's document against the same entry (same list, external id and identity), other than the hit itself. */
function previousClearance(db: DB, h: HitRow, entry: EntryRow): PreviousClearance | null {
  const doc = documentKey(JSON.parse(h.traveler) as Traveler);
  if (!doc) return null;
  const r = db.prepare(
    `SELECT h.id, h.decision, h.note, h.decided_at, u.username FROM clearances c JOIN hits h ON h.id = c.hit_id JOIN users u ON u.id = h.decided_by
     WHERE c.list_id = ? AND c.external_id = ? AND c.document = ? AND c.entry_hash = ? AND c.hit_id <> ? AND h.decision = 'not-same-person'
     ORDER BY h.decided_at DESC LIMIT 1`,
  ).get(h.list_id, h.external_id, doc, entryIdentity(entry), h.id) as
    | { id: string; decision: Decision; note: string | null; decided_at: string; username: string }
    | undefined;
  return r ? { hitId: r.id, decision: r.decision, decidedBy: r.username, decidedAt: r.decided_at, note: r.note } : null;
}

/** Remembers a hit cleared now, with its traveler's document and its entry's identity (nothing without a document). */
function rememberClearance(db: DB, h: HitRow): void {
  const doc = documentKey(JSON.parse(h.traveler) as Traveler);
  if (!doc) return;
  db.prepare('INSERT OR IGNORE INTO clearances (hit_id, list_id, external_id, entry_hash, document) VALUES (?,?,?,?,?)').run(
    h.id, h.list_id, h.external_id, entryIdentity(entryRow(db, h.entry_id)), doc,
  );
}

/** A hit's corrections: the latest, how many, and the decision first made; null when never corrected. */
export function correctionOf(db: DB, hitId: string): CorrectionView | null {
  const rows = db.prepare(
    `SELECT c.*, u.username AS corrected_by_name, p.username AS previous_by_name FROM hit_corrections c
     JOIN users u ON u.id = c.corrected_by LEFT JOIN users p ON p.id = c.previous_by WHERE c.hit_id = ? ORDER BY c.corrected_at, c.rowid`,
  ).all(hitId) as {
    corrected_at: string; reason: string; previous_decision: Decision; previous_note: string | null; previous_at: string | null;
    corrected_by_name: string; previous_by_name: string | null;
  }[];
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return null;
  return {
    correctedBy: last.corrected_by_name, correctedAt: last.corrected_at, reason: last.reason, count: rows.length,
    original: { decision: first.previous_decision, note: first.previous_note, decidedBy: first.previous_by_name, decidedAt: first.previous_at },
  };
}

/** True when clearing this hit needs a supervisor's approval: a strong hit on a list that asks for it. */
function clearanceNeedsApproval(h: Pick<HitRow, 'band' | 'clearance_approval'>): boolean {
  return h.band === 'strong' && h.clearance_approval === 1;
}

/** The desk's side of a stored hit: who decided, approval, the earlier clearance, the correction. */
function deskFields(db: DB, h: HitRow, entry: EntryRow): Required<Pick<HitView,
  'decidedBy' | 'decidedAt' | 'approvedBy' | 'repeatsHitId' | 'previousClearance' | 'clearanceNeedsApproval' | 'correction'>> {
  return {
    decidedBy: username(db, h.decided_by), decidedAt: h.decided_at, approvedBy: username(db, h.approved_by), repeatsHitId: h.repeats_hit_id,
    previousClearance: previousClearance(db, h, entry), clearanceNeedsApproval: clearanceNeedsApproval(h), correction: correctionOf(db, h.id),
  };
}

/** A stored hit as the desk shows it. */
export function hitView(db: DB, hitId: string): HitView {
  const h = loadHit(db, hitId);
  const row = entryRow(db, h.entry_id);
  const entry = entryView(row);
  return {
    hitId: h.id, list: h.list_name, listId: h.list_id, listKind: h.list_kind, versionId: h.version_id, entryId: entry.entryId,
    sourceRow: entry.sourceRow, score: h.score, band: h.band, explanation: JSON.parse(h.explanation) as HitView['explanation'], entry,
    action: h.action, decision: h.decision, note: h.note, ...deskFields(db, h, row),
  };
}

/** Adds the desk's side (earlier clearance, four eyes) to hits just stored by a screening. */
export function describeStoredHits(db: DB, hits: HitView[]): void {
  for (const hit of hits) {
    if (!hit.hitId) continue;
    const h = loadHit(db, hit.hitId);
    Object.assign(hit, deskFields(db, h, entryRow(db, h.entry_id)));
  }
}

/** Refuses a change to a hit whose crossing is recorded, or whose decision a supervisor corrected. */
function assertOpen(db: DB, h: HitRow): void {
  if (h.crossing_id) throw new ConflictError(reason('hit.crossingRecorded'));
  if (db.prepare('SELECT 1 FROM hit_corrections WHERE hit_id = ? LIMIT 1').get(h.id)) throw new ConflictError(reason('hit.correctedBySupervisor'));
}

/**
 * Records a decision on a hit (refused once the crossing is recorded). Clearing a strong hit on a
 * list with clearance approval needs `approval` (refused with `hit.approvalRequired` without it);
 * an approval given is checked and recorded whatever the list. `repeats` names the earlier
 * clearance this decision applies (screening.applyPrevious). Audited as `hit.decide`.
 */
export async function decideHit(
  desk: DecisionDesk, officerId: string, hitId: string, decision: Adjudication, note: string | undefined, approval?: Approval,
  repeats?: PreviousClearance,
): Promise<HitView> {
  const { db } = desk;
  const before = loadHit(db, hitId);
  assertOpen(db, before);
  if (decision === 'not-same-person' && clearanceNeedsApproval(before) && !approval) throw new ConflictError(reason('hit.approvalRequired'));
  const approverId = approval ? await checkApproval(desk, approval, { requesterId: officerId, sameAccount: 'approval.sameAsOfficer', subject: hitId, details: { officerId } }) : null;
  const now = desk.now();
  return db.transaction(() => {
    // Read again: the approval's password check yielded to other calls.
    const h = loadHit(db, hitId);
    assertOpen(db, h);
    if (repeats && previousClearance(db, h, entryRow(db, h.entry_id))?.hitId !== repeats.hitId) throw new ConflictError(reason('hit.noPreviousClearance'));
    db.prepare('UPDATE hits SET decision = ?, note = ?, decided_by = ?, decided_at = ?, approved_by = ?, repeats_hit_id = ? WHERE id = ?').run(
      decision, note ?? null, officerId, now.toISOString(), approverId, repeats?.hitId ?? null, hitId,
    );
    if (decision === 'not-same-person') rememberClearance(db, h);
    appendAudit(db, {
      actorId: officerId, action: 'hit.decide', subject: hitId,
      details: {
        decision, screeningId: h.screening_id,
        ...(approverId ? { approvedBy: approverId } : {}),
        ...(repeats ? { repeatsHitId: repeats.hitId, repeatsDecision: repeats.decision } : {}),
      },
    }, now);
    return hitView(db, hitId);
  })();
}

/**
 * Applies the earlier clearance shown with the hit as a fresh decision of this officer (its note
 * carried over), under the same rules as deciding, and audited as repeating it. Refused with
 * `hit.noPreviousClearance` when there is none (the entry changed, the clearance was corrected).
 */
export async function applyPreviousDecision(desk: DecisionDesk, officerId: string, hitId: string, approval?: Approval): Promise<HitView> {
  const h = loadHit(desk.db, hitId);
  const prev = previousClearance(desk.db, h, entryRow(desk.db, h.entry_id));
  if (!prev) throw new ConflictError(reason('hit.noPreviousClearance'));
  return decideHit(desk, officerId, hitId, 'not-same-person', prev.note ?? undefined, approval, prev);
}

/**
 * A supervisor corrects a hit's decision, also after the crossing is recorded. The reason is
 * mandatory; the replaced decision, note, officer and time are kept in `hit_corrections`, the hit
 * holds the new one. The recorded crossing is never altered: a correction to confirmed on a wanted
 * list whose crossing ended as passed is recorded and answered with `hit.correctionContradictsCrossing`.
 * Clearing a strong hit on a list with clearance approval is refused to the officer who screened it
 * (four eyes). Audited as `hit.correct`.
 */
export function correctHit(db: DB, supervisorId: string, hitId: string, decision: Adjudication, why: string, now = new Date()): HitCorrectionResult {
  const text = why.trim();
  if (!text) throw new BadInputError(reason('hit.correctionNeedsReason'));
  return db.transaction(() => {
    const h = loadHit(db, hitId);
    if (h.decision === 'undecided') throw new ConflictError(reason('hit.notDecided'));
    if (h.decision === decision) throw new ConflictError(reason('hit.correctionSame'));
    if (decision === 'not-same-person' && clearanceNeedsApproval(h) && h.officer_id === supervisorId) throw new ConflictError(reason('approval.sameAsOfficer'));
    const id = randomUUID();
    db.prepare(
      `INSERT INTO hit_corrections (id, hit_id, corrected_at, corrected_by, reason, decision, previous_decision, previous_note, previous_by, previous_at, previous_approved_by)
       VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    ).run(id, hitId, now.toISOString(), supervisorId, text, decision, h.decision, h.note, h.decided_by, h.decided_at, h.approved_by);
    db.prepare('UPDATE hits SET decision = ?, note = ?, decided_by = ?, decided_at = ?, approved_by = NULL, repeats_hit_id = NULL WHERE id = ?').run(
      decision, text, supervisorId, now.toISOString(), hitId,
    );
    if (decision === 'not-same-person') rememberClearance(db, h);
    const warnings: Reason[] = [];
    const outcome = h.crossing_id ? (db.prepare('SELECT outcome FROM crossings WHERE id = ?').get(h.crossing_id) as { outcome: string }).outcome : null;
    if (decision === 'confirmed' && h.list_kind === 'wanted' && outcome === 'passed') warnings.push(reason('hit.correctionContradictsCrossing'));
    appendAudit(db, {
      actorId: supervisorId, action: 'hit.correct', subject: hitId,
      details: {
        correctionId: id, from: h.decision, to: decision, screeningId: h.screening_id, crossingId: h.crossing_id,
        previousBy: h.decided_by, contradictsCrossing: warnings.length > 0,
      },
    }, now);
    return { hit: hitView(db, hitId), warnings: warnings.map((w) => reasonView(w)) };
  })();
}
