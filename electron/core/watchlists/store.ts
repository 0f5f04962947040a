/**
 * Watchlists, their versions and entries in the database. A version is published whole in one
 * transaction or not at all; the previous version stays for rollback.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntryView, ImportReport, ListView } from '../../../shared/contract';
import { DEFAULT_ACTIONS, DEFAULT_STALE_DAYS, DEFAULT_THRESHOLDS, type ListKind, type Thresholds } from '../../../shared/domain';
import { appendAudit } from '../audit';
import type { DB } from '../db/database';
import { readSpreadsheet, UnreadableFileError } from '../spreadsheet/read';
import { guessHeader, rowsToEntries, FIELDS, type ColumnMapping, type Field } from './mapping';

/** Thrown for input that is wrong in a way the user can fix; the message is safe to show. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

interface ListRow {
  id: string;
  name: string;
  kind: ListKind;
  action_text: string | null;
  strong_threshold: number | null;
  review_threshold: number | null;
  weak_threshold: number | null;
  active_version_id: string | null;
}
interface VersionRow {
  id: string;
  number: number;
  file_name: string;
  sha256: string;
  created_at: string;
  imported: number;
}
interface EntryRow {
  id: string;
  version_id: string;
  external_id: string;
  source_row: number;
  names: string;
  date_of_birth: string | null;
  sex: string | null;
  nationalities: string;
  documents: string;
  reference: string | null;
  reason: string | null;
  remarks: string | null;
}

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
    names: JSON.parse(r.names),
    dateOfBirth: r.date_of_birth,
    sex: r.sex as EntryView['sex'],
    nationalities: JSON.parse(r.nationalities),
    documents: JSON.parse(r.documents),
    reference: r.reference,
    reason: r.reason,
    remarks: r.remarks,
  };
}

/** All lists with their active version and its age in days at `now`. */
export function listLists(db: DB, now = new Date(), staleDays = DEFAULT_STALE_DAYS): ListView[] {
  const lists = db.prepare('SELECT * FROM watchlists ORDER BY name').all() as ListRow[];
  const version = db.prepare('SELECT id, number, file_name, sha256, created_at, imported FROM list_versions WHERE id = ?');
  return lists.map((l) => {
    const v = l.active_version_id ? (version.get(l.active_version_id) as VersionRow | undefined) : undefined;
    const ageDays = v ? Math.floor((now.getTime() - Date.parse(v.created_at)) / 86400000) : null;
    return {
      id: l.id,
      name: l.name,
      kind: l.kind,
      actionText: l.action_text ?? DEFAULT_ACTIONS[l.kind],
      thresholds: thresholdsOf(l),
      activeVersion: v
        ? { id: v.id, number: v.number, fileName: v.file_name, sha256: v.sha256, createdAt: v.created_at, entryCount: v.imported }
        : null,
      ageDays,
      stale: ageDays !== null && ageDays > staleDays,
    };
  });
}

/** Entries of a list's active version, in source order. */
export function listEntries(db: DB, listId: string, offset: number, limit: number): { total: number; entries: EntryView[] } {
  const l = db.prepare('SELECT active_version_id FROM watchlists WHERE id = ?').get(listId) as { active_version_id: string | null } | undefined;
  if (!l) throw new BadInputError('no such list');
  if (!l.active_version_id) return { total: 0, entries: [] };
  const total = (db.prepare('SELECT count(*) AS n FROM entries WHERE version_id = ?').get(l.active_version_id) as { n: number }).n;
  const rows = db
    .prepare('SELECT * FROM entries WHERE version_id = ? ORDER BY source_row LIMIT ? OFFSET ?')
    .all(l.active_version_id, limit, offset) as EntryRow[];
  return { total, entries: rows.map(entryView) };
}

/** Every entry of every active list version, for the match index. */
export function activeEntries(db: DB): Iterable<EntryRow & { list_id: string }> {
  return db
    .prepare(
      `SELECT e.*, w.id AS list_id FROM entries e
       JOIN watchlists w ON w.active_version_id = e.version_id`,
    )
    .iterate() as Iterable<EntryRow & { list_id: string }>;
}

export interface ImportInput {
  listName: string;
  kind?: ListKind;
  fileName: string;
  content: Buffer;
  sheet?: string;
  /** Field -> zero-based column index, overriding the suggestion. */
  mapping?: Record<string, number>;
  dryRun?: boolean;
}

/**
 * Reads, maps and validates a spreadsheet and, unless it is a dry run or nothing could be
 * imported, publishes it as the list's next version in one transaction (audited). Throws
 * BadInputError when the file cannot be used at all.
 */
export function importList(db: DB, actorId: string, input: ImportInput, now = new Date()): ImportReport {
  let sheets;
  try {
    sheets = readSpreadsheet(input.content, input.fileName);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw new BadInputError(e.message);
    throw e;
  }
  const sheet = input.sheet ? sheets.find((s) => s.name === input.sheet) : sheets.find((s) => guessHeader(s)) ?? sheets[0];
  if (!sheet) throw new BadInputError(`the workbook has no sheet named "${input.sheet}"`);
  const guess = guessHeader(sheet);
  if (!guess && !input.mapping) {
    throw new BadInputError(`no header row with a name column was found in the first 30 rows of sheet "${sheet.name}"`);
  }
  const headerIndex = guess?.headerIndex ?? 0;
  const headers = guess?.headers ?? (sheet.rows[0] ?? []).map(() => '');
  let mapping: ColumnMapping = guess?.mapping ?? {};
  if (input.mapping) {
    mapping = {};
    for (const [k, v] of Object.entries(input.mapping)) {
      if (!(FIELDS as readonly string[]).includes(k)) throw new BadInputError(`the mapping names an unknown field "${k}"`);
      mapping[k as Field] = v;
    }
  }
  const res = rowsToEntries(sheet, headerIndex, headers, mapping);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const mappingView = Object.fromEntries(
    Object.entries(mapping).map(([f, j]) => [f, headers[j as number] || `column ${(j as number) + 1}`]),
  );
  const report: ImportReport = {
    listId: null,
    versionId: null,
    versionNumber: null,
    fileName: input.fileName,
    sha256,
    sheet: sheet.name,
    headerRow: sheet.rowNumbers[headerIndex] ?? 1,
    mapping: mappingView,
    rowsRead: res.rowsRead,
    imported: res.entries.length,
    rejected: res.rejected,
    problems: res.problems,
    published: false,
    dryRun: Boolean(input.dryRun),
  };
  if (input.dryRun || res.entries.length === 0) return report;

  const publish = db.transaction(() => {
    let list = db.prepare('SELECT * FROM watchlists WHERE name = ?').get(input.listName) as ListRow | undefined;
    if (!list) {
      const id = randomUUID();
      db.prepare('INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?,?,?,?,?)').run(
        id, input.listName, input.kind ?? 'wanted', now.toISOString(), actorId,
      );
      list = db.prepare('SELECT * FROM watchlists WHERE id = ?').get(id) as ListRow;
      appendAudit(db, { actorId, action: 'list.create', subject: id, details: { kind: list.kind } }, now);
    } else if (input.kind && input.kind !== list.kind) {
      throw new BadInputError(`list "${input.listName}" is a ${list.kind} list, not ${input.kind}`);
    }
    const number = ((db.prepare('SELECT max(number) AS n FROM list_versions WHERE list_id = ?').get(list.id) as { n: number | null }).n ?? 0) + 1;
    const versionId = randomUUID();
    db.prepare(
      `INSERT INTO list_versions (id, list_id, number, file_name, sha256, sheet, mapping, rows_read, imported, rejected, status, created_at, created_by)
       VALUES (?,?,?,?,?,?,?,?,?,?, 'published', ?, ?)`,
    ).run(versionId, list.id, number, input.fileName, sha256, sheet.name, JSON.stringify(mapping), res.rowsRead, res.entries.length, res.rejected, now.toISOString(), actorId);
    const insert = db.prepare(
      `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, date_of_birth, sex, nationalities, documents, reference, reason, remarks)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const e of res.entries) {
      insert.run(randomUUID(), versionId, e.entryId, e.sourceRow, e.contentHash, JSON.stringify(e.names), e.dateOfBirth, e.sex,
        JSON.stringify(e.nationalities), JSON.stringify(e.documents), e.reference, e.reason, e.remarks);
    }
    if (list.active_version_id) db.prepare("UPDATE list_versions SET status = 'superseded' WHERE id = ?").run(list.active_version_id);
    db.prepare('UPDATE watchlists SET active_version_id = ? WHERE id = ?').run(versionId, list.id);
    appendAudit(db, {
      actorId,
      action: 'list.import',
      subject: versionId,
      details: { listId: list.id, number, sha256, rowsRead: res.rowsRead, imported: res.entries.length, rejected: res.rejected },
    }, now);
    return { listId: list.id, versionId, number };
  });
  const v = publish();
  return { ...report, listId: v.listId, versionId: v.versionId, versionNumber: v.number, published: true };
}
