/**
 * The audit trail: append-only rows chained by SHA-256 over the previous row's hash and this row's
 * content. Rows hold ids, counts and hashes, never names (DESIGN.md section 4), so personal data can
 * be purged later without breaking the chain.
 */
import { createHash } from 'node:crypto';
import type { DB } from './db/database';
import type { AuditVerifyResult } from '../../shared/contract';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  actorId: string | null;
  action: string;
  /** Id of the thing acted on (list, version, screening, crossing...), never a name. */
  subject?: string | null;
  /** Ids, counts and hashes only. */
  details?: Record<string, string | number | boolean | null | string[]>;
}

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([r.seq, r.at, r.actor_id, r.action, r.subject, r.details, r.prev_hash]);
  return createHash('sha256').update(content).digest('hex');
}

/** Appends one event; call inside the transaction of the change it records. Returns its seq. */
export function appendAudit(db: DB, ev: AuditEvent, now = new Date()): number {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor_id: ev.actorId,
    action: ev.action,
    subject: ev.subject ?? null,
    details: JSON.stringify(ev.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = rowHash(row);
  db.prepare(
    'INSERT INTO audit (seq, at, actor_id, action, subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)',
  ).run(row.seq, row.at, row.actor_id, row.action, row.subject, row.details, row.prev_hash, hash);
  return row.seq;
}

/** The current chain head (last seq and hash). */
export function auditHead(db: DB): { seq: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

/** Walks the whole chain and names the first row that is edited, inserted, deleted or out of order. */
export function verifyAudit(db: DB): AuditVerifyResult {
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  let rows = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    rows++;
    const broken = (why: string): AuditVerifyResult => ({
      ok: false,
      rows,
      headSeq: r.seq,
      headHash: r.hash,
      firstBrokenSeq: r.seq,
      message: `audit row ${r.seq}: ${why}`,
    });
    if (r.seq !== expectSeq) return broken(`expected row ${expectSeq} here (a row was deleted or inserted)`);
    if (r.prev_hash !== prevHash) return broken('its link to the previous row is broken');
    if (rowHash(r) !== r.hash) return broken('its content does not match its hash (edited)');
    prevHash = r.hash;
    expectSeq++;
  }
  return {
    ok: true,
    rows,
    headSeq: expectSeq - 1,
    headHash: prevHash,
    firstBrokenSeq: null,
    message: `audit trail intact: ${rows} rows`,
  };
}
