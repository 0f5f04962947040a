/**
 * The audit trail: append-only rows chained by SHA-256 over the previous row's hash and this row's
 * content. Rows hold ids, counts and hashes, never names (DESIGN.md section 4), so personal data can
 * be purged later without breaking the chain.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileSafe } from './files';
import type { DB } from './db/database';
import type { AuditEntryView, AuditVerifyResult, SigningKeysView } from '../../shared/contract';
import { fingerprint, GRANT_ACTIONS, headMessage, rowMessage, signersOf, signerOf, signText, TrustWalk, verifyText, type KeyRecord, type SignedAccount } from './signing';

export const GENESIS_HASH = '0'.repeat(64);

type AuditValue = string | number | boolean | null | string[];

export interface AuditEvent {
  actorId: string | null;
  action: string;
  /** Id of the thing acted on (list, version, screening, crossing...), never a name. */
  subject?: string | null;
  /**
   * Ids, counts, hashes and settings only; one level of nesting (e.g. a setting's `from` and `to`,
   * or the roster of accounts, ids and roles only, in `signing.started`).
   */
  details?: Record<string, AuditValue | Record<string, AuditValue> | Record<string, AuditValue>[]>;
}

/** An audit row as stored (table `audit`). */
export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  /** Fingerprint of the key that signed the row (signing.ts), null for an unsigned row. */
  signer: string | null;
  /** Ed25519 signature (base64) of `rowMessage(hash)`, null for an unsigned row. */
  sig: string | null;
}

/**
 * An audit row's hash: SHA-256 (hex) over the JSON array of its seq, at, actor, action, subject,
 * details text and the previous row's hash. Pure; the centre recomputes desks' chains with it.
 */
export function rowHash(r: Omit<AuditRow, 'hash' | 'signer' | 'sig'>): string {
  const content = JSON.stringify([r.seq, r.at, r.actor_id, r.action, r.subject, r.details, r.prev_hash]);
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Appends one event and returns its seq. The head is read and the row inserted under the
 * database's write lock, so that two processes on one database (the app and the CLI) never take
 * the same seq (issue 15 item 7): outside a transaction it runs in its own `BEGIN IMMEDIATE`
 * transaction (waiting up to the connection's busy timeout for the other writer); inside the
 * caller's transaction (the usual case: call it inside the transaction of the change it records)
 * it first takes the write lock with a write that changes nothing, then reads the head.
 *
 * The row is signed with the key held in memory for `ev.actorId` (signing.ts registerSigner) when
 * there is one; otherwise it is unsigned (legacy desks, and the rows signing.ts UNSIGNED_ACTIONS
 * lists: the desk writes them for an account that is not signed in).
 */
export function appendAudit(db: DB, ev: AuditEvent, now = new Date()): number {
  if (db.inTransaction) {
    db.prepare('UPDATE audit SET seq = seq WHERE seq < 0').run();
    return appendRow(db, ev, now);
  }
  return db.transaction(() => appendRow(db, ev, now)).immediate();
}

function appendRow(db: DB, ev: AuditEvent, now: Date): number {
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
  const signer = ev.actorId ? signerOf(db.name, ev.actorId) : undefined;
  const sig = signer ? signText(signer.key, rowMessage(hash)) : null;
  db.prepare(
    'INSERT INTO audit (seq, at, actor_id, action, subject, details, prev_hash, hash, signer, sig) VALUES (?,?,?,?,?,?,?,?,?,?)',
  ).run(row.seq, row.at, row.actor_id, row.action, row.subject, row.details, row.prev_hash, hash, signer?.fingerprint ?? null, sig);
  return row.seq;
}

/** The current chain head (last seq and hash). */
export function auditHead(db: DB): { seq: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * One account's attestation in the head file: "when I last wrote, the chain head was (seq, hash)",
 * signed with that account's key (signing.ts headMessage). Nobody without the account's password
 * can make one, so an insider who cuts rows another account has attested cannot hide it by
 * rewriting the head file: they can only drop the attestation (detected) or put back an older one
 * they kept a copy of (a rollback to that moment, found only by the anchors outside the desk).
 */
export interface HeadAttestation {
  seq: number;
  hash: string;
  /** Fingerprint of the signing key. */
  key: string;
  sig: string;
}

/** The chain head as kept outside the database. */
export interface ExternalHead {
  seq: number;
  hash: string;
  /** Fingerprint of the desk's root key (the setup admin's); absent in head files from before signing. */
  root?: string | null;
  /**
   * The head the file was (re)started from without attestations (a restore, a re-anchoring, a desk
   * from before signing); attestations are required for rows after it. A re-start over signed rows
   * must match an admin-signed `backup.restore` or `audit.headReanchored` row. Absent: 0.
   */
  anchoredAt?: number;
  /** Attestations by account id (ids only, never names). Absent in head files from before signing. */
  attest?: Record<string, HeadAttestation>;
}

/** The parts of a head file beyond seq and hash, kept only when well formed. */
function headExtras(h: Record<string, unknown>): Omit<ExternalHead, 'seq' | 'hash'> {
  const out: Omit<ExternalHead, 'seq' | 'hash'> = {};
  if (typeof h.root === 'string' || h.root === null) out.root = h.root;
  if (typeof h.anchoredAt === 'number') out.anchoredAt = h.anchoredAt;
  if (h.attest && typeof h.attest === 'object') {
    const attest: Record<string, HeadAttestation> = {};
    for (const [id, a] of Object.entries(h.attest as Record<string, Partial<HeadAttestation>>)) {
      if (typeof a?.seq === 'number' && typeof a.hash === 'string' && typeof a.key === 'string' && typeof a.sig === 'string') {
        attest[id] = { seq: a.seq, hash: a.hash, key: a.key, sig: a.sig };
      }
    }
    out.attest = attest;
  }
  return out;
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
    return { ...headExtras(h), seq: h.seq, hash: h.hash };
  } catch {
    return 'damaged';
  }
}

/**
 * Writes `<db>.head` with the safe writer (files.ts: 0600 temporary file, fsync, atomic rename,
 * folder fsync), replacing the previous head. It holds a sequence number and a hash, the root key's
 * fingerprint and the accounts' attestations (ids, fingerprints, signatures: never names).
 */
export function writeHeadFile(dbPath: string, head: ExternalHead): void {
  writeFileSafe(headFilePath(dbPath), JSON.stringify({ format: 'watchdesk-audit-head', ...head, seq: head.seq, hash: head.hash }), { overwrite: true, sweep: false });
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
 * Walks the whole chain and names the first row that is edited, inserted, deleted or out of order,
 * or whose signature the desk does not trust at that row (signing.ts TrustWalk: signed by the
 * account that acted, with a key enrolled and not revoked; grants signed by an admin); then checks
 * that the `users` table says what the signed rows say (roles, disabled, key); then compares the
 * end of the chain with the head kept outside the database (`external`), so that a truncated tail
 * is found, and checks the accounts' signed attestations in it. `external` undefined skips the
 * outside checks; null means the file is missing. `expectedRoot`, a root key fingerprint known
 * from outside (an export, paper, the department), must then be the trail's root.
 */
export function verifyAudit(db: DB, external?: ExternalHead | null | 'damaged', expectedRoot?: string): AuditVerifyResult {
  const { result: inner, walk } = verifyChain(db);
  const ext = external === undefined ? undefined : external === null || external === 'damaged' ? null : external;
  const withExt = { ...inner, externalHeadSeq: ext?.seq ?? null, externalHeadHash: ext?.hash ?? null, missingFrom: null as number | null };
  if (!inner.ok) return withExt;
  if (expectedRoot !== undefined && expectedRoot.replace(/\s+/g, '').toLowerCase() !== walk.root) {
    return { ...withExt, ok: false, message: `the trail's root key ${walk.root ?? '(none)'} is not the expected root key ${expectedRoot} (the whole trail was re-signed, or this is another desk)` };
  }
  const outside = external === undefined ? null : outsideFinding(db, walk, external, withExt);
  if (outside) return outside;
  const table = usersTableFinding(db, walk);
  return table ? { ...withExt, ok: false, message: table } : withExt;
}

/** The checks of verifyAudit against the head kept outside the database: a failed result, or null. */
function outsideFinding(db: DB, walk: TrustWalk, external: ExternalHead | null | 'damaged', withExt: AuditVerifyResult): AuditVerifyResult | null {
  const inner = withExt;
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
  const attested = checkAttestations(db, walk, external, inner.headSeq);
  return attested ? { ...withExt, ok: false, ...attested } : null;
}

/** The attestation checks of verifyAudit: a finding (message, rows) or null. */
function checkAttestations(db: DB, walk: TrustWalk, external: ExternalHead, headSeq: number): Pick<AuditVerifyResult, 'message' | 'firstBrokenSeq' | 'missingFrom'> | null {
  if (walk.startSeq === null) return null;
  if (external.root !== undefined && external.root !== null && external.root !== walk.root) {
    return { firstBrokenSeq: null, missingFrom: null, message: `the head kept outside the database names root key ${external.root}, the trail ${walk.root ?? '(none)'} (one of them was replaced)` };
  }
  const attest = external.attest ?? {};
  for (const [userId, a] of Object.entries(attest)) {
    const k = walk.keys.get(a.key);
    if (!k || k.userId !== userId || !verifyText(k.publicKey, headMessage(a.seq, a.hash), a.sig)) {
      return { firstBrokenSeq: null, missingFrom: null, message: `the head kept outside the database holds an attestation of account ${userId} that its key did not sign (the head file was forged)` };
    }
    if (a.seq > headSeq) {
      return {
        firstBrokenSeq: headSeq + 1, missingFrom: headSeq + 1,
        message: `audit rows ${headSeq + 1} to ${a.seq} are missing: account ${userId} attested the trail up to row ${a.seq} but it ends at row ${headSeq} (truncated)`,
      };
    }
    if (!headConsistent(db, a)) {
      return { firstBrokenSeq: a.seq, missingFrom: null, message: `audit row ${a.seq}: it differs from the head account ${userId} attested (the tail was rewritten)` };
    }
  }
  const anchoredAt = external.anchoredAt ?? 0;
  if (anchoredAt > 0 && db.prepare('SELECT 1 FROM audit WHERE sig IS NOT NULL AND seq <= ? LIMIT 1').get(anchoredAt)) {
    const justified = db.prepare(
      `SELECT 1 FROM audit WHERE sig IS NOT NULL AND ((action = 'audit.headReanchored' AND seq = ?) OR (action = 'backup.restore' AND json_extract(details, '$.auditHeadSeq') = ?)) LIMIT 1`,
    ).get(anchoredAt, anchoredAt);
    if (!justified) {
      return { firstBrokenSeq: null, missingFrom: null, message: `the head kept outside the database was re-started at row ${anchoredAt} without a signed restore or re-anchoring there (the head file was rewritten)` };
    }
  }
  const signers = db.prepare('SELECT DISTINCT actor_id FROM audit WHERE sig IS NOT NULL AND seq > ? AND actor_id IS NOT NULL').all(anchoredAt) as { actor_id: string }[];
  const unattested = signers.find((s) => !attest[s.actor_id]);
  if (unattested) {
    return {
      firstBrokenSeq: null, missingFrom: null,
      message: `account ${unattested.actor_id} signed rows of the trail but the head kept outside the database holds no attestation of theirs (the head file was rewritten; rows of theirs may have been cut)`,
    };
  }
  return null;
}

function verifyChain(db: DB): { result: AuditVerifyResult; walk: TrustWalk } {
  const walk = new TrustWalk();
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  let rows = 0;
  const counts = () => ({
    signedRows: walk.signedRows, unsignedLegacyRows: walk.legacyRows, unsignedSystemRows: walk.unsignedRows, rootKey: walk.root, warnings: walk.warnings,
  });
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    rows++;
    const broken = (why: string): { result: AuditVerifyResult; walk: TrustWalk } => ({
      walk,
      result: {
        ok: false,
        externalHeadSeq: null,
        externalHeadHash: null,
        missingFrom: null,
        rows,
        headSeq: r.seq,
        headHash: r.hash,
        firstBrokenSeq: r.seq,
        message: `audit row ${r.seq}: ${why}`,
        ...counts(),
      },
    });
    if (r.seq !== expectSeq) return broken(`expected row ${expectSeq} here (a row was deleted or inserted)`);
    if (r.prev_hash !== prevHash) return broken('its link to the previous row is broken');
    if (rowHash(r) !== r.hash) return broken('its content does not match its hash (edited)');
    const untrusted = walk.step(r);
    if (untrusted) return broken(`${untrusted} (forged or rewritten)`);
    prevHash = r.hash;
    expectSeq++;
  }
  const result: AuditVerifyResult = {
    ok: true,
    externalHeadSeq: null,
    externalHeadHash: null,
    missingFrom: null,
    rows,
    headSeq: expectSeq - 1,
    headHash: prevHash,
    firstBrokenSeq: null,
    message: `audit trail intact: ${rows} rows`,
    ...counts(),
  };
  return { walk, result };
}

/** Where the `users` table says other than the signed rows (roles, disabled, key), or null. */
function usersTableFinding(db: DB, walk: TrustWalk): string | null {
  if (walk.startSeq === null) return null;
  const users = db.prepare('SELECT id, roles, disabled, signing_key FROM users ORDER BY created_at, id').all() as {
    id: string; roles: string; disabled: number; signing_key: string | null;
  }[];
  for (const u of users) {
    const a = walk.accounts.get(u.id);
    if (!a) return `account ${u.id} is in the users table but no signed row created it (edited outside Watchdesk)`;
    let roles: string[];
    try {
      roles = JSON.parse(u.roles) as string[];
    } catch {
      roles = [];
    }
    if ([...roles].sort().join(',') !== [...a.roles].sort().join(',')) {
      return `account ${u.id}: the users table gives it roles ${roles.join(', ') || '(none)'} but the signed rows ${a.roles.join(', ') || '(none)'} (edited outside Watchdesk)`;
    }
    if (Boolean(u.disabled) !== a.disabled) return `account ${u.id}: the users table says it is ${u.disabled ? 'disabled' : 'enabled'}, the signed rows the opposite (edited outside Watchdesk)`;
    if (u.signing_key && a.key && fingerprint(u.signing_key) !== a.key) return `account ${u.id}: its signing key in the users table is not the one the signed rows enrolled (edited outside Watchdesk)`;
  }
  return null;
}

/**
 * The accounts, keys and root as the signed grant rows define them (setup, signing.started,
 * user.create / update / password / keyEnrolled), each row's hash and signature checked; rows that
 * fail are ignored (a forged grant grants nothing). Cheap (grant rows only): used at sign-in. The
 * chain between those rows is `verifyAudit`'s to check.
 */
export function signedAccounts(db: DB): TrustWalk {
  const walk = new TrustWalk();
  const rows = db.prepare(`SELECT * FROM audit WHERE action IN (${GRANT_ACTIONS.map(() => '?').join(',')}) ORDER BY seq`).all(...GRANT_ACTIONS) as AuditRow[];
  for (const r of rows) if (rowHash(r) === r.hash) walk.step(r);
  return walk;
}

/** The signing keys the trail has enrolled, oldest first (for `keys list` and handing to another desk). */
export function signingKeys(db: DB): { root: string | null; keys: KeyRecord[]; accounts: Map<string, SignedAccount> } {
  const walk = signedAccounts(db);
  return { root: walk.root, keys: [...walk.keys.values()].sort((a, b) => a.enrolledAt - b.enrolledAt), accounts: walk.accounts };
}

/** The trusted signing keys as `audit.keys` shows them, with each holder's current username. */
export function signingKeysView(db: DB): SigningKeysView {
  const { root, keys } = signingKeys(db);
  const names = new Map((db.prepare('SELECT id, username FROM users').all() as { id: string; username: string }[]).map((u) => [u.id, u.username]));
  return {
    root,
    keys: keys.map((k) => ({
      userId: k.userId, username: names.get(k.userId) ?? null, fingerprint: k.fingerprint, publicKey: k.publicKey,
      enrolledAt: k.enrolledAt, revokedFrom: k.until, how: k.how,
    })),
  };
}

/**
 * The head to write to `<db>.head`: `head`, the root key's fingerprint, and the attestations of
 * `previous` (the file as it is) updated by every account whose key is held in memory for the desk
 * at `dbPath`, each signing `head`. `anchoredAt` when re-anchoring; otherwise kept from `previous`,
 * or `previous.seq` when `previous` has no attestations (a restore, a desk from before signing).
 */
export function attestedHead(db: DB, dbPath: string, head: { seq: number; hash: string }, previous: ExternalHead | null, anchoredAt?: number): ExternalHead {
  const attest: Record<string, HeadAttestation> = { ...(previous?.attest ?? {}) };
  for (const s of signersOf(dbPath)) {
    attest[s.userId] = { seq: head.seq, hash: head.hash, key: s.fingerprint, sig: signText(s.key, headMessage(head.seq, head.hash)) };
  }
  const at = anchoredAt ?? (previous ? (previous.attest ? previous.anchoredAt ?? 0 : previous.seq) : 0);
  return { seq: head.seq, hash: head.hash, root: signingRoot(db), anchoredAt: at, attest };
}

/** Fingerprint of the desk's root key as its first signed row names it (not checked here: verifyAudit does), or null. */
export function signingRoot(db: DB): string | null {
  const r = db.prepare(
    "SELECT json_extract(details, '$.signingKey') AS k FROM audit WHERE action IN ('setup', 'signing.started') AND sig IS NOT NULL ORDER BY seq LIMIT 1",
  ).get() as { k: string | null } | undefined;
  return r?.k ? fingerprint(r.k) : null;
}

/** True once the desk signs its trail (a setup row with a key, or `signing.started`). */
export function signingStarted(db: DB): boolean {
  return signingRoot(db) !== null;
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
