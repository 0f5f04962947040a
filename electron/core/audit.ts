/**
 * The audit trail: append-only rows chained by SHA-256 over the previous row's hash and this row's
 * content. Rows hold ids, counts and hashes, never names (DESIGN.md section 4), so personal data can
 * be purged later without breaking the chain.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DB } from './db/database';
import type { AuditEntryView, AuditVerifyResult } from '../../shared/contract';

export const GENESIS_HASH = '0'.repeat(64);

type AuditValue = string | number | boolean | null | string[];

export interface AuditEvent {
  actorId: string | null;
  action: string;
  /** Id of the thing acted on (list, version, screening, crossing...), never a name. */
  subject?: string | null;
  /** Ids, counts, hashes and settings only; one level of nesting (e.g. a setting's `from` and `to`). */
  details?: Record<string, AuditValue | Record<string, AuditValue>>;
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

/** The chain head as kept outside the database. */
export interface ExternalHead {
  seq: number;
  hash: string;
}

/** Where the chain head is kept outside the database: `<db>.head`. */
export function headFilePath(dbPath: string): string {
  return `${dbPath}.head`;
}

/** Reads `<db>.head`; null when it is missing, 'damaged' when it cannot be read. */
export function readHeadFile(dbPath: string): ExternalHead | null | 'damaged' {
  const p = headFilePath(dbPath);
  if (!existsSync(p)) return null;
  try {
    const h = JSON.parse(readFileSync(p, 'utf8')) as { format?: string; seq?: unknown; hash?: unknown };
    if (h.format !== 'watchdesk-audit-head' || typeof h.seq !== 'number' || typeof h.hash !== 'string') return 'damaged';
    return { seq: h.seq, hash: h.hash };
  } catch {
    return 'damaged';
  }
}

/** Writes `<db>.head` atomically (temp file, fsync, rename). It holds a sequence number and a hash only. */
export function writeHeadFile(dbPath: string, head: ExternalHead): void {
  const p = headFilePath(dbPath);
  const tmp = `${p}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ format: 'watchdesk-audit-head', seq: head.seq, hash: head.hash }), { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, p);
}

/**
 * Compares the trail with the head kept outside the database when the database is opened. When the
 * database no longer holds that head (its tail was cut or rewritten while it was closed), a row
 * `audit.tailMissing` records where the trail ended and where it should have, once per such head,
 * before anything else is appended, so that later rows cannot hide the gap. Returns true if it did.
 */
export function noteMissingTail(db: DB, external: ExternalHead | null | 'damaged', now = new Date()): boolean {
  if (!external || external === 'damaged' || headConsistent(db, external)) return false;
  const seen = db
    .prepare("SELECT 1 FROM audit WHERE action = 'audit.tailMissing' AND json_extract(details, '$.externalSeq') = ? AND json_extract(details, '$.externalHash') = ?")
    .get(external.seq, external.hash);
  if (seen) return false;
  const found = auditHead(db);
  appendAudit(db, { actorId: null, action: 'audit.tailMissing', details: { externalSeq: external.seq, externalHash: external.hash, foundSeq: found.seq } }, now);
  return true;
}

/** True when the database's chain still holds the row the external head names (the head may lag, never lead). */
export function headConsistent(db: DB, head: ExternalHead): boolean {
  if (head.seq === 0) return head.hash === GENESIS_HASH;
  const r = db.prepare('SELECT hash FROM audit WHERE seq = ?').get(head.seq) as { hash: string } | undefined;
  return r?.hash === head.hash;
}

/**
 * Walks the whole chain and names the first row that is edited, inserted, deleted or out of order;
 * then compares the end of the chain with the head kept outside the database (`external`), so that
 * a truncated tail is found. `external` undefined skips that check; null means the file is missing.
 */
export function verifyAudit(db: DB, external?: ExternalHead | null | 'damaged'): AuditVerifyResult {
  const inner = verifyChain(db);
  const ext = external === undefined ? undefined : external === null || external === 'damaged' ? null : external;
  const withExt = { ...inner, externalHeadSeq: ext?.seq ?? null, externalHeadHash: ext?.hash ?? null, missingFrom: null as number | null };
  if (!inner.ok || external === undefined) return withExt;
  const noted = db.prepare("SELECT seq, details FROM audit WHERE action = 'audit.tailMissing' ORDER BY seq LIMIT 1").get() as
    | { seq: number; details: string }
    | undefined;
  if (noted) {
    const d = JSON.parse(noted.details) as { externalSeq: number; foundSeq: number };
    return {
      ...withExt, ok: false, firstBrokenSeq: d.foundSeq + 1, missingFrom: d.foundSeq + 1,
      message: `audit rows ${d.foundSeq + 1} to ${d.externalSeq} are missing: when the database was opened (row ${noted.seq}) the trail ended at row ${d.foundSeq} but its head outside the database was row ${d.externalSeq} (truncated)`,
    };
  }
  if (external === null || external === 'damaged') {
    return {
      ...withExt, ok: false,
      message: `the chain head kept outside the database is ${external === null ? 'missing' : 'damaged'}: a truncated tail cannot be ruled out (${inner.rows} rows intact)`,
    };
  }
  if (external.seq > inner.headSeq) {
    return {
      ...withExt, ok: false, firstBrokenSeq: inner.headSeq + 1, missingFrom: inner.headSeq + 1,
      message: `audit rows ${inner.headSeq + 1} to ${external.seq} are missing: the trail ends at row ${inner.headSeq} but its head outside the database is row ${external.seq} (truncated)`,
    };
  }
  if (!headConsistent(db, external)) {
    return {
      ...withExt, ok: false, firstBrokenSeq: external.seq,
      message: `audit row ${external.seq}: it differs from the head kept outside the database (the tail was rewritten)`,
    };
  }
  return withExt;
}

function verifyChain(db: DB): AuditVerifyResult {
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  let rows = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    rows++;
    const broken = (why: string): AuditVerifyResult => ({
      ok: false,
      externalHeadSeq: null,
      externalHeadHash: null,
      missingFrom: null,
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
    externalHeadSeq: null,
    externalHeadHash: null,
    missingFrom: null,
    rows,
    headSeq: expectSeq - 1,
    headHash: prevHash,
    firstBrokenSeq: null,
    message: `audit trail intact: ${rows} rows`,
  };
}

/** Filters for browsing the trail. `from`/`to` are ISO instants, both inclusive. */
export interface AuditQuery {
  action?: string;
  actorId?: string;
  subject?: string;
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

/** One page of the trail, newest first, with the acting user's current username resolved for display. */
export function listAudit(db: DB, q: AuditQuery): { total: number; entries: AuditEntryView[]; actions: string[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.action) {
    where.push('(a.action = ? OR a.action LIKE ?)');
    args.push(q.action, `${q.action}.%`);
  }
  if (q.actorId) {
    where.push('a.actor_id = ?');
    args.push(q.actorId);
  }
  if (q.subject) {
    where.push('a.subject = ?');
    args.push(q.subject);
  }
  if (q.from) {
    where.push('a.at >= ?');
    args.push(q.from);
  }
  if (q.to) {
    where.push('a.at <= ?');
    args.push(q.to);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit a ${w}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT a.*, u.username, su.username AS subject_name FROM audit a LEFT JOIN users u ON u.id = a.actor_id
       LEFT JOIN users su ON su.id = a.subject ${w} ORDER BY a.seq DESC LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit, q.offset) as (AuditRow & { username: string | null; subject_name: string | null })[];
  const actions = (db.prepare('SELECT DISTINCT action FROM audit ORDER BY action').all() as { action: string }[]).map((r) => r.action);
  return {
    total,
    actions,
    entries: rows.map((r) => ({
      seq: r.seq, at: r.at, actorId: r.actor_id, actorName: r.username, action: r.action, subject: r.subject, subjectName: r.subject_name,
      details: safeJson(r.details), hash: r.hash, prevHash: r.prev_hash,
    })),
  };
}

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { unreadable: true };
  }
}
