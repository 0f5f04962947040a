/**
 * Publishing a list at the centre from a publishing desk (DESIGN.md section 10, issue 16): the
 * list's active version is uploaded whole if the centre lacks it (one PostgreSQL transaction:
 * the `wd.list_versions` row, then the entries in batches of multi-row INSERTs over `unnest`),
 * then a publication signed by the supervisor's own key is added with the next sequence number
 * of the list (the centre's trigger refuses a number that is not above the last, so two
 * publishers racing cannot both take one; the loser tries again with the next).
 *
 * The entries keep this desk's ids and match keys; their order (`ord`) is their order in this
 * desk's table (rowid), read by keyset pages so that a list of any size is read in bounded memory.
 * Rollback is publishing again after a local rollback (the older version becomes the active one);
 * a settings change is publishing again (same version, new settings); retirement is `retireList`.
 *
 * After the centre committed, the list is marked here as the centre's (`origin` 'central', the
 * sequence number published; `retired_at` set by a retirement, cleared by a publication) with an
 * audit row `central.publish` / `central.retire` (ids, seq, counts).
 */
import type pg from 'pg';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { BadInputError, ConflictError } from '../errors';
import { reason } from '../../../shared/reasons';
import type { Signer } from '../signing';
import { assertNotRetired, type ListRow } from '../watchlists/store';
import { ENTRY_COLUMNS, EntriesDigest, signPublication, type CentralEntry, type Envelope } from './publication';

/** Entries read from the desk and sent to the centre per statement. */
export const UPLOAD_BATCH = 5000;
/** Tries of the publication insert when another publisher took the sequence number. */
const SEQ_TRIES = 4;

/** What a publication did. */
export interface PublishResult {
  listId: string;
  listName: string;
  action: 'publish' | 'retire';
  /** The sequence number the publication took. */
  seq: number;
  versionId: string;
  versionNumber: number;
  entries: number;
  /** True when the version's entries were uploaded now (false: the centre had them). */
  uploaded: boolean;
}

interface LocalVersion {
  id: string;
  list_id: string;
  number: number;
  file_name: string;
  sha256: string;
  source_date: string | null;
}

type LocalList = ListRow & { origin: 'local' | 'central'; central_seq: number | null; retired_at: string | null };

/**
 * Publishes list `listId`'s active version and settings at the centre, signed by `signer` (the
 * supervisor signed in; its key must be certified by the department's root for desks to accept
 * it). `client` is a connection of this desk's own role (a member of `wd_publisher`); `_dbPath`
 * is kept for the callers' symmetry (the signer is already resolved).
 *
 * Throws BadInputError `list.notFound`; ConflictError `central.noActiveVersion`,
 * `central.versionNumberTaken` (the centre has another version of that number for the list),
 * `central.entriesMismatch` (the centre holds this version id with other entries),
 * `central.publishConflict` (the sequence number was taken SEQ_TRIES times); pg's errors as they
 * are (permission denied for a desk that is not a publisher: sync.ts centralFailure maps them).
 */
export async function publishList(db: DB, _dbPath: string, client: pg.ClientBase, signer: Signer, listId: string, now = new Date()): Promise<PublishResult> {
  return publishAction(db, client, signer, listId, now, 'publish');
}

/**
 * Retires list `listId` at the centre: a signed publication with action 'retire' (naming the
 * version in force); desks stop screening it at their next sync and keep it readable. Locally the
 * list is retired at once. Throws as publishList.
 */
export async function retireList(db: DB, _dbPath: string, client: pg.ClientBase, signer: Signer, listId: string, now = new Date()): Promise<PublishResult> {
  return publishAction(db, client, signer, listId, now, 'retire');
}

async function publishAction(db: DB, client: pg.ClientBase, signer: Signer, listId: string, now: Date, action: 'publish' | 'retire'): Promise<PublishResult> {
  const list = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(listId) as LocalList | undefined;
  if (!list) throw new BadInputError(reason('list.notFound'));
  // A list retired at this desk (watchlists/lifecycle.ts) is reactivated here first, not by a publication.
  assertNotRetired(db, listId);
  if (!list.active_version_id) throw new ConflictError(reason('central.noActiveVersion'));
  const v = db.prepare('SELECT id, list_id, number, file_name, sha256, source_date FROM list_versions WHERE id = ?').get(list.active_version_id) as LocalVersion;
  const digest = await localDigest(db, v.id);

  let uploaded = false;
  const have = await client.query<{ entries: number; entries_sha256: string; list_id: string }>(
    'SELECT entries, entries_sha256, list_id::text AS list_id FROM wd.list_versions WHERE id = $1', [v.id],
  );
  const at = have.rows[0];
  if (at) {
    if (at.list_id !== listId || at.entries !== digest.count || at.entries_sha256 !== digest.sha256) throw new ConflictError(reason('central.entriesMismatch'));
  } else if (action === 'publish') {
    await uploadVersion(db, client, v, digest);
    uploaded = true;
  }

  let seq = 0;
  for (let attempt = 1; ; attempt++) {
    const r = await client.query<{ seq: string }>('SELECT (coalesce(max(seq), 0) + 1)::text AS seq FROM wd.publications WHERE list_id = $1', [listId]);
    seq = Number(r.rows[0]!.seq);
    const envelope: Envelope = {
      v: 1, action, listId, listName: list.name, kind: list.kind, seq,
      versionId: v.id, versionNumber: v.number, fileName: v.file_name, sourceSha256: v.sha256, sourceDate: v.source_date,
      entries: digest.count, entriesSha256: digest.sha256,
      settings: {
        strongThreshold: list.strong_threshold, reviewThreshold: list.review_threshold, weakThreshold: list.weak_threshold,
        actionText: list.action_text, requireApproval: Boolean(list.require_approval), clearanceApproval: Boolean(list.clearance_approval),
        staleDays: list.stale_days,
      },
      publishedAt: now.toISOString(), publisher: signer.fingerprint,
    };
    const signed = signPublication(envelope, signer);
    try {
      await client.query(
        'INSERT INTO wd.publications (list_id, seq, envelope, signer, sig, desk_id) VALUES ($1, $2, $3, $4, $5, wd.my_desk())',
        [listId, seq, signed.envelope, signed.signer, signed.sig],
      );
      break;
    } catch (e) {
      if (sqlState(e) !== '23505') throw e;
      if (attempt >= SEQ_TRIES) throw new ConflictError(reason('central.publishConflict'));
    }
  }

  db.transaction(() => {
    db.prepare("UPDATE watchlists SET origin = 'central', central_seq = ?, retired_at = ? WHERE id = ?").run(
      seq, action === 'retire' ? now.toISOString() : null, listId,
    );
    appendAudit(db, {
      actorId: signer.userId, action: action === 'publish' ? 'central.publish' : 'central.retire', subject: listId,
      details: { listId, seq, versionId: v.id, number: v.number, entries: digest.count, uploaded },
    }, now);
  })();
  return { listId, listName: list.name, action, seq, versionId: v.id, versionNumber: v.number, entries: digest.count, uploaded };
}

/** The SQLSTATE of a pg error, or ''. */
function sqlState(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * The version's entries as the centre will hold them, a page at a time (keyset on rowid, the
 * order they were written in here), with `ord` numbering them from 0. Bounded memory.
 */
export async function* localEntryPages(db: DB, versionId: string, pageSize = UPLOAD_BATCH): AsyncGenerator<CentralEntry[]> {
  const page = db.prepare(
    `SELECT rowid AS r, id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference, reason, remarks
     FROM entries WHERE version_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
  );
  let after = 0;
  let ord = 0;
  for (;;) {
    const rows = page.all(versionId, after, pageSize) as (Omit<CentralEntry, 'ord'> & { r: number })[];
    if (!rows.length) return;
    after = rows[rows.length - 1]!.r;
    yield rows.map(({ r: _r, ...e }) => ({ ord: ord++, ...e, match_keys: e.match_keys ?? null, name_key: e.name_key ?? null }));
    await tick();
  }
}

/** The entries digest (publication.ts) of a version held here. */
export async function localDigest(db: DB, versionId: string): Promise<{ count: number; sha256: string }> {
  const d = new EntriesDigest();
  for await (const page of localEntryPages(db, versionId)) for (const e of page) d.add(e);
  return d.finish();
}

const ARRAY_TYPES: Record<(typeof ENTRY_COLUMNS)[number], string> = {
  ord: 'int4[]', id: 'text[]', external_id: 'text[]', source_row: 'int4[]', content_hash: 'text[]', name_key: 'text[]', names: 'text[]',
  match_keys: 'text[]', date_of_birth: 'text[]', sex: 'text[]', nationalities: 'text[]', documents: 'text[]', reference: 'text[]',
  reason: 'text[]', remarks: 'text[]',
};

/** One INSERT of a page of entries: every column as an array, unnested. */
const INSERT_ENTRIES = `INSERT INTO wd.entries (version_id, ${ENTRY_COLUMNS.join(', ')})
  SELECT $1::uuid, * FROM unnest(${ENTRY_COLUMNS.map((c, i) => `$${i + 2}::${ARRAY_TYPES[c]}`).join(', ')})`;

/**
 * Uploads a version and its entries in one transaction (a version at the centre is whole or
 * absent). The digest is recomputed while sending and must equal the one the publication signs.
 */
async function uploadVersion(db: DB, client: pg.ClientBase, v: LocalVersion, digest: { count: number; sha256: string }): Promise<void> {
  await client.query('BEGIN');
  try {
    try {
      await client.query(
        `INSERT INTO wd.list_versions (id, list_id, number, file_name, source_sha256, entries, entries_sha256, desk_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, wd.my_desk())`,
        [v.id, v.list_id, v.number, v.file_name, v.sha256, digest.count, digest.sha256],
      );
    } catch (e) {
      if (sqlState(e) === '23505') throw new ConflictError(reason('central.versionNumberTaken', { number: v.number }));
      throw e;
    }
    const sent = new EntriesDigest();
    for await (const page of localEntryPages(db, v.id)) {
      for (const e of page) sent.add(e);
      await client.query(INSERT_ENTRIES, [v.id, ...ENTRY_COLUMNS.map((c) => page.map((e) => e[c]))]);
    }
    const check = sent.finish();
    if (check.count !== digest.count || check.sha256 !== digest.sha256) throw new ConflictError(reason('central.entriesMismatch'));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
