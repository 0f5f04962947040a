/**
 * The printed hit report (issue 11): what the desk hands to the police with a traveler, made
 * from one decided hit: the traveler as screened, the list entry and why it matched, the decision
 * and its officer, the list version, and the hash of the audit row that recorded the decision, so
 * that the paper can be checked against the trail. Times in the checkpoint's time zone. Audited
 * as `report.print` (ids only). The paper also carries the audit anchor (anchor.ts) as of its own
 * `report.print` row: the head kept where an insider who rewrites the trail cannot reach it.
 */
import type { Direction, Outcome } from '../../shared/domain';
import type { HitReport, LocalTime, Traveler } from '../../shared/contract';
import { auditAnchor } from './anchor';
import { appendAudit } from './audit';
import type { DB } from './db/database';
import { ConflictError, NotFoundError } from './errors';
import { hitView } from './decisions';
import { localDateTime } from './time';
import { reason } from '../../shared/reasons';

/**
 * The report of a decided hit, audited as `report.print`. Throws NotFoundError for no such hit,
 * ConflictError while it is undecided or when the audit row of its decision is missing.
 */
export function hitReport(db: DB, actorId: string, hitId: string, checkpoint: { name: string; timeZone: string }, now = new Date()): HitReport {
  const at = (iso: string): LocalTime => ({ utc: iso, local: localDateTime(iso, checkpoint.timeZone) });
  const username = (id: string | null) => (id ? (db.prepare('SELECT username FROM users WHERE id = ?').get(id) as { username: string } | undefined)?.username : undefined) ?? '';
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM hits WHERE id = ?').get(hitId)) throw new NotFoundError(reason('hit.notFound'));
    const hit = hitView(db, hitId);
    if (hit.decision === 'undecided') throw new ConflictError(reason('report.notDecided'));
    const s = db
      .prepare(`SELECT h.decided_by, h.decided_at, s.id AS screening_id, s.screened_at, s.traveler, s.purged_at, s.crossing_id
        FROM hits h JOIN screenings s ON s.id = h.screening_id WHERE h.id = ?`)
      .get(hitId) as { decided_by: string | null; decided_at: string | null; screening_id: string; screened_at: string; traveler: string; purged_at: string | null; crossing_id: string | null };
    const v = db.prepare('SELECT number, sha256, created_at, source_date FROM list_versions WHERE id = ?').get(hit.versionId) as
      { number: number; sha256: string; created_at: string; source_date: string | null };
    // The decision in force: the hit's latest decision or supervisor's correction (decisions.ts).
    const row = db.prepare("SELECT seq, hash FROM audit WHERE subject = ? AND action IN ('hit.decide', 'hit.correct') ORDER BY seq DESC LIMIT 1").get(hitId) as
      { seq: number; hash: string } | undefined;
    if (!row) throw new ConflictError(reason('report.noAuditRow'));
    const c = s.crossing_id
      ? (db.prepare('SELECT id, direction, outcome, occurred_at, officer_id FROM crossings WHERE id = ?').get(s.crossing_id) as
        { id: string; direction: Direction; outcome: Outcome; occurred_at: string; officer_id: string })
      : null;
    appendAudit(db, { actorId, action: 'report.print', subject: hitId, details: { screeningId: s.screening_id, decisionSeq: row.seq } }, now);
    // After the print row, in the same transaction: the anchor covers the report's own row.
    const anchor = auditAnchor(db, now);
    return {
      checkpoint: checkpoint.name, timeZone: checkpoint.timeZone, screeningId: s.screening_id, screenedAt: at(s.screened_at),
      traveler: s.purged_at ? null : (JSON.parse(s.traveler) as Traveler),
      hit,
      list: {
        id: hit.listId, name: hit.list, kind: hit.listKind, versionId: hit.versionId, versionNumber: v.number, fileSha256: v.sha256,
        importedAt: at(v.created_at), sourceDate: v.source_date,
      },
      decision: { decision: hit.decision, note: hit.note, officer: hit.decidedBy ?? username(s.decided_by), decidedAt: at(hit.decidedAt ?? s.decided_at ?? s.screened_at) },
      audit: { seq: row.seq, hash: row.hash },
      anchor,
      crossing: c && { id: c.id, direction: c.direction, outcome: c.outcome, officer: username(c.officer_id), occurredAt: at(c.occurred_at) },
      printedBy: username(actorId), printedAt: at(now.toISOString()),
    };
  })();
}
