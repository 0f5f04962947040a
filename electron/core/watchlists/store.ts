/**
 * Watchlists, their versions and entries in the database. A version is published whole in one
 * transaction or not at all; the previous version stays for rollback.
 */
import type { EntryView, ListVersionView, ListView } from '../../../shared/contract';
import { DEFAULT_ACTIONS, DEFAULT_STALE_DAYS, DEFAULT_THRESHOLDS, type ListKind, type Thresholds } from '../../../shared/domain';
import type { DB } from '../db/database';
import { appendAudit } from '../audit';
import { BadInputError, ConflictError } from '../errors';
import { reason } from '../../../shared/reasons';
import { daysSince } from '../../../shared/list-age';


/**
 * Lists the centre publishes (origin 'central', central/pull.ts) change only where they are
 * published: on a desk that is not a publishing desk (setting `central.publisher`), a local import,
 * approval, rollback or settings change of such a list would fork it from the department's signed
 * version, so it is refused with ConflictError `central.listManagedCentrally`. Local lists, and every
 * list on a publishing desk, pass.
 */
export function assertManagedHere(db: DB, listId: string): void {
  const row = db.prepare('SELECT origin FROM watchlists WHERE id = ?').get(listId) as { origin?: string } | undefined;
  if (row?.origin !== 'central') return;
  const publisher = db.prepare("SELECT value FROM settings WHERE key = 'central.publisher'").get() as { value: string } | undefined;
  if (publisher?.value !== '1') throw new ConflictError(reason('central.listManagedCentrally'));
}

/**
 * Throws ConflictError `list.retired` when list `listId` was retired at this desk (lifecycle.ts);
 * a list the centre retired (origin 'central') is left to the centre's rules: its next
 * publication brings it back. Called before an import (jobs.ts) and by versions.ts
 * activateVersion, so that a retired list takes no new version until it is reactivated.
 */
export function assertNotRetired(db: DB, listId: string): void {
  const row = db.prepare('SELECT retired_at, origin FROM watchlists WHERE id = ?').get(listId) as { retired_at: string | null; origin: string | null } | undefined;
  if (row?.retired_at && row.origin !== 'central') throw new ConflictError(reason('list.retired'));
}

export interface ListRow {
  id: string;
  name: string;
  kind: ListKind;
  action_text: string | null;
  strong_threshold: number | null;
  review_threshold: number | null;
  weak_threshold: number | null;
  active_version_id: string | null;
  require_approval: number;
  /** Clearing a strong hit needs a supervisor's approval at the desk (migration 5). */
  clearance_approval: number;
  /** The list's own stale limit in days (migration 6), null: the checkpoint's. */
  stale_days: number | null;
  /** 'local': imported at this desk; 'central': applied from the centre's signed publications (migration 8, central/pull.ts). */
  origin?: 'local' | 'central';
  /** When the list was retired, by the centre (migration 8) or at this desk (lifecycle.ts): no longer screened, still readable. Null otherwise. */
  retired_at?: string | null;
}
interface VersionRow {
  id: string;
  number: number;
  file_name: string;
  sha256: string;
  created_at: string;
  imported: number;
  source_date: string | null;
}
export interface EntryRow {
  id: string;
  version_id: string;
  external_id: string;
  source_row: number;
  names: string;
  /** Stored match keys (matching/keys.ts); null for entries imported before migration 4. */
  match_keys?: string | null;
  date_of_birth: string | null;
  sex: string | null;
  nationalities: string;
  documents: string;
  reference: string | null;
  reason: string | null;
  remarks: string | null;
}

/** The band thresholds in force for a list row (0..1 scores): its own values, else the defaults. */
export function thresholdsOf(l: Pick<ListRow, 'strong_threshold' | 'review_threshold' | 'weak_threshold'>): Thresholds {
  return {
    strong: l.strong_threshold ?? DEFAULT_THRESHOLDS.strong,
    review: l.review_threshold ?? DEFAULT_THRESHOLDS.review,
    weak: l.weak_threshold ?? DEFAULT_THRESHOLDS.weak,
  };
}

export function entryView(r: EntryRow): EntryView {
  return {
    id: r.id,
    entryId: r.external_id,
    sourceRow: r.source_row,
    names: JSON.parse(r.names) as EntryView['names'],
    dateOfBirth: r.date_of_birth,
    sex: r.sex as EntryView['sex'],
    nationalities: JSON.parse(r.nationalities) as string[],
    documents: JSON.parse(r.documents) as EntryView['documents'],
    reference: r.reference,
    reason: r.reason,
    remarks: r.remarks,
  };
}

/** The checkpoint's setting: days after which a list is stale unless it sets its own. */
const SETTING_STALE_DAYS = 'lists.staleDays';

/** The checkpoint's stale limit in days (the setting, else DEFAULT_STALE_DAYS). */
export function checkpointStaleDays(db: DB): number {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING_STALE_DAYS) as { value: string } | undefined;
  const n = Number(r?.value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_STALE_DAYS;
}

/** Sets the checkpoint's stale limit; audited as `settings.staleLimit` with the old and new values. */
export function setCheckpointStaleDays(db: DB, actorId: string, days: number, now = new Date()): void {
  db.transaction(() => {
    const from = checkpointStaleDays(db);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(SETTING_STALE_DAYS, String(days));
    appendAudit(db, { actorId, action: 'settings.staleLimit', details: { from, to: days } }, now);
  })();
}

/**
 * All lists with their active version and its age in whole days at `now`: counted from the date
 * the file gives for itself where it has one, else from the import; stale past the list's own
 * limit, else the checkpoint's.
 */
export function listLists(db: DB, now = new Date()): ListView[] {
  const lists = db.prepare('SELECT * FROM watchlists ORDER BY name').all() as ListRow[];
  const checkpointLimit = checkpointStaleDays(db);
  const version = db.prepare('SELECT id, number, file_name, sha256, created_at, imported, source_date FROM list_versions WHERE id = ?');
  const pendingRows = db.prepare("SELECT list_id, number FROM list_versions WHERE state = 'pending'").all() as { list_id: string; number: number }[];
  const pending = new Map(pendingRows.map((r) => [r.list_id, r]));
  return lists.map((l) => {
    // A retired list (by the centre or at this desk) answers no screening (its version is shown as none); it stays readable (listEntries, versions).
    const v = l.active_version_id && !l.retired_at ? (version.get(l.active_version_id) as VersionRow | undefined) : undefined;
    const kept = l.active_version_id && l.retired_at ? (version.get(l.active_version_id) as VersionRow | undefined) : undefined;
    const ageSince = v ? v.source_date ?? v.created_at : null;
    const ageDays = ageSince ? daysSince(ageSince, now) : null;
    const staleAfterDays = l.stale_days ?? checkpointLimit;
    return {
      id: l.id,
      name: l.name,
      kind: l.kind,
      actionText: l.action_text ?? DEFAULT_ACTIONS[l.kind],
      thresholds: thresholdsOf(l),
      overrides: { strong: l.strong_threshold, review: l.review_threshold, weak: l.weak_threshold, actionText: l.action_text, staleDays: l.stale_days },
      activeVersion: v ? versionView(v) : null,
      ageDays,
      ageBasis: v ? (v.source_date ? 'source' : 'import') : null,
      ageSince,
      staleAfterDays,
      stale: ageDays !== null && ageDays > staleAfterDays,
      requireApproval: Boolean(l.require_approval),
      clearanceApproval: Boolean(l.clearance_approval),
      pendingVersion: pending.get(l.id)?.number ?? null,
      origin: l.origin ?? 'local',
      retiredAt: l.retired_at ?? null,
      retiredVersion: kept ? versionView(kept) : null,
    };
  });
}

function versionView(v: VersionRow): ListVersionView {
  return { id: v.id, number: v.number, fileName: v.file_name, sha256: v.sha256, createdAt: v.created_at, entryCount: v.imported, sourceDate: v.source_date };
}

/** Entries of a list's active version (for a retired list: the version it answered with when retired), in source order. */
export function listEntries(db: DB, listId: string, offset: number, limit: number): { total: number; entries: EntryView[] } {
  const l = db.prepare('SELECT active_version_id FROM watchlists WHERE id = ?').get(listId) as { active_version_id: string | null } | undefined;
  if (!l) throw new BadInputError(reason('list.notFound'));
  if (!l.active_version_id) return { total: 0, entries: [] };
  const total = (db.prepare('SELECT count(*) AS n FROM entries WHERE version_id = ?').get(l.active_version_id) as { n: number }).n;
  const rows = db
    .prepare('SELECT * FROM entries WHERE version_id = ? ORDER BY source_row LIMIT ? OFFSET ?')
    .all(l.active_version_id, limit, offset) as EntryRow[];
  return { total, entries: rows.map(entryView) };
}

/**
 * Every entry of every active list version (lists the centre retired left out), with only what the match index reads, as raw rows:
 * [id, names JSON (null unless `withNames`), date of birth, sex, nationalities JSON, documents
 * JSON, match keys]. Without names the read is about a fifth faster (they are the longest column).
 */
export function activeEntries(db: DB, withNames: boolean): Iterable<ActiveEntryRow> {
  return db
    .prepare(
      `SELECT e.id, ${withNames ? 'e.names' : 'NULL'}, e.date_of_birth, e.sex, e.nationalities, e.documents, e.match_keys, e.version_id FROM entries e
       JOIN watchlists w ON w.active_version_id = e.version_id WHERE w.retired_at IS NULL`,
    )
    .raw()
    .iterate() as Iterable<ActiveEntryRow>;
}

/** A row of activeEntries: id, names JSON (null unless asked), date of birth, sex, nationalities JSON, documents JSON, match keys, version id. */
export type ActiveEntryRow = [string, string | null, string | null, string | null, string, string, string | null, string];

