/**
 * The reading side of an export (issue 14): in ONE read transaction (one snapshot of the
 * database) it takes the audit anchor (anchor.ts: the head of that snapshot), counts what is to
 * be exported, and reads it in batches, turning each batch into rows (export.ts) and handing them
 * to `send` as ExportMessages. It never holds more than a batch. Runs in the reader worker over its
 * own read-only connection (reader.ts), where `send` blocks while the writer is behind.
 *
 * - Crossings (query.ts forEachCrossingId / countCrossings, so the filters and who sees what are
 *   the browser's; each batch read here in two statements, eachCrossingBatch and batchViews): csv in one pass (a row per hit); xlsx in two passes over the same snapshot,
 *   the crossings sheet and then the hits sheet (a zip takes its entries one after the other, so
 *   the hits sheet cannot be written beside the crossings sheet without holding it in memory).
 * - Audit trail: every row in the range (days in the checkpoint's time zone) and, optionally, of
 *   one action (`action` or `action.*`, as audit.list), in chain order.
 */
import type { CrossingsFilter, CrossingView, Traveler, UiLang } from '../../../shared/contract';
import type { Band, Decision, Direction, ListKind, Outcome } from '../../../shared/domain';
import { auditAnchor } from '../anchor';
import type { DB } from '../db/database';
import { correctionOf } from '../decisions';
import { localDayBoundaryUtc } from '../time';
import {
  auditRow, auditTables, crossingRow, crossingsTables, csvRows, hitSheetRows, type AuditExportRow, type ExportMessage, type HitVersions,
} from './export';
import { crossingsWhere, onHits } from './plan';
import { countCrossings, forEachCrossingId, planFor, SCREENING_ROWID, type CrossingsContext } from './query';
import { travelerDisplayName } from './search-keys';

/** Crossings read per batch. */
export const EXPORT_BATCH = 500;

/**
 * The page cache of an export's connection while it reads (KiB; SQLite's default is 2 MB): each
 * crossing's screening is found through the screenings' id index, in no order that follows the
 * time, so with the default cache nearly every lookup read and decrypted an index page again
 * (most of a 1,000,000-crossing export's time). Bounded; freed when the export's connection closes.
 */
export const EXPORT_CACHE_KIB = 128 * 1024;

/** The audit-trail export's filter: inclusive local days and an action (itself or `action.*`). */
export interface AuditExportFilter {
  from?: string;
  to?: string;
  action?: string;
}

/** What an export job reads: its kind, format and language, its filter and context, and the anchor's time (ISO). */
export type ExportSpec =
  | { kind: 'crossings'; format: 'xlsx' | 'csv'; lang: UiLang; filter: CrossingsFilter; ctx: CrossingsContext; at: string }
  | { kind: 'audit'; format: 'xlsx' | 'csv'; lang: UiLang; filter: AuditExportFilter; timeZone: string; at: string };

/** A crossing as export reads it (better-sqlite3 raw row): the columns of crossingColumns, in order. */
type CrossingRaw = [
  id: string, screeningId: string, occurredAt: string, timeZone: string, checkpoint: string, direction: Direction, outcome: Outcome,
  flagged: number, note: string | null, officer: string, traveler: string | null, purgedAt: string | null, topBand: string | null,
];

/**
 * The columns of CrossingRaw over `crossings c` joined to `users u` and `screenings s`. With
 * `hitsOnly` (the hits sheet, which shows no crossing without hits) the screening is not joined
 * and its traveler is looked up only for a crossing that had hits (`top_band`, migration 0010:
 * set when the crossing is recorded with at least one hit); its purge time is then not read.
 */
function crossingColumns(hitsOnly: boolean): { cols: string; join: string } {
  const cols = `c.id, c.screening_id, c.occurred_at, c.time_zone, c.checkpoint, c.direction, c.outcome, c.flagged, c.note, u.username`;
  if (hitsOnly) {
    return { cols: `${cols}, CASE WHEN c.top_band IS NOT NULL THEN (SELECT s.traveler FROM screenings s WHERE s.rowid = ${SCREENING_ROWID}) END, NULL, c.top_band`, join: '' };
  }
  return { cols: `${cols}, s.traveler, s.purged_at, c.top_band`, join: `JOIN screenings s ON s.rowid = ${SCREENING_ROWID}` };
}

/**
 * Every crossing that matches, newest first, in batches of raw rows; returns how many. The
 * filters and who sees what are query.ts's (planFor, and plan.ts crossingsWhere): without a name
 * or hit filter the rows are read by ONE keyset statement per batch on (occurred_at, id) over the
 * time index (as plan.ts eachIdBatch walks it), with every column at once; with a name or a hit
 * filter the ids come from query.ts forEachCrossingId and the rows are read by id.
 */
function eachCrossingBatch(db: DB, filter: CrossingsFilter, ctx: CrossingsContext, hitsOnly: boolean, batchSize: number, fn: (rows: CrossingRaw[]) => void): number {
  const { cols, join } = crossingColumns(hitsOnly);
  const p = planFor(db, filter, ctx);
  if (!p) return 0;
  if (p.name || onHits(p)) {
    const byIds = db.prepare(
      `SELECT ${cols} FROM json_each(?) j CROSS JOIN crossings c ON c.id = j.value JOIN users u ON u.id = c.officer_id ${join} ORDER BY j.key`,
    ).raw(true);
    return forEachCrossingId(db, filter, ctx, (ids) => fn(byIds.all(JSON.stringify(ids)) as CrossingRaw[]), batchSize);
  }
  const w = crossingsWhere(p);
  const next = db.prepare(
    `SELECT ${cols} FROM crossings c ${p.document ? '' : 'INDEXED BY crossings_time'} JOIN users u ON u.id = c.officer_id ${join}
     ${w.sql ? `${w.sql} AND` : 'WHERE'} (c.occurred_at, c.id) < (?, ?) ORDER BY c.occurred_at DESC, c.id DESC LIMIT ?`,
  ).raw(true);
  let at = '\uffff';
  let id = '';
  let n = 0;
  for (;;) {
    const rows = next.all(...w.args, at, id, batchSize) as CrossingRaw[];
    if (rows.length) fn(rows);
    n += rows.length;
    if (rows.length < batchSize) return n;
    const last = rows[rows.length - 1]!;
    at = last[2];
    id = last[0];
  }
}

type HitRaw = [
  screeningId: string, id: string, score: number, band: Band, decision: Decision, note: string | null, decidedAt: string | null,
  decidedBy: string | null, list: string, listKind: ListKind, entryId: string, listedName: string | null, reference: string | null,
  version: number, corrected: number,
];

/**
 * Batches of raw crossing rows as the browser shows them (CrossingView, hits included) and the
 * list version of each hit: every hit of the batch's crossings that had hits (`top_band`) in one
 * statement, with its list, entry, version number and decider (a correction, rare, per corrected hit).
 */
function batchViews(db: DB): (rows: CrossingRaw[]) => { crossings: CrossingView[]; versions: HitVersions } {
  const hits = db.prepare(
    `SELECT h.screening_id, h.id, h.score, h.band, h.decision, h.note, h.decided_at, d.username, w.name, w.kind, e.external_id,
       json_extract(e.names, '$[0].name'), e.reference, v.number, EXISTS (SELECT 1 FROM hit_corrections k WHERE k.hit_id = h.id)
     FROM hits h JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id
     LEFT JOIN users d ON d.id = h.decided_by
     WHERE h.screening_id IN (SELECT value FROM json_each(?)) ORDER BY h.score DESC, h.id`,
  ).raw(true);
  return (rows) => {
    const hitsOf = new Map<string, CrossingView['hits']>();
    const versions = new Map<string, number>();
    const withHits = rows.filter((r) => r[12] !== null).map((r) => r[1]);
    if (withHits.length) {
      for (const h of hits.all(JSON.stringify(withHits)) as HitRaw[]) {
        let list = hitsOf.get(h[0]);
        if (!list) hitsOf.set(h[0], (list = []));
        const undecided = h[4] === 'undecided';
        list.push({
          hitId: h[1], list: h[8], listKind: h[9], entryId: h[10], score: h[2], band: h[3], decision: h[4], note: h[5],
          correction: h[14] ? correctionOf(db, h[1]) : null, listedName: h[11] ?? '', reference: h[12],
          decidedBy: undecided ? null : h[7], decidedAt: undecided ? null : h[6],
        });
        versions.set(h[1], h[13]);
      }
    }
    const crossings: CrossingView[] = rows.map((r) => {
      let traveler: Traveler;
      try {
        traveler = r[10] === null ? {} : JSON.parse(r[10]) as Traveler;
      } catch {
        traveler = {};
      }
      return {
        id: r[0], occurredAt: r[2], timeZone: r[3], checkpoint: r[4], direction: r[5], outcome: r[6], officer: r[9], traveler,
        travelerName: travelerDisplayName(traveler), flagged: r[7] === 1, hits: hitsOf.get(r[1]) ?? [], note: r[8], purged: r[11] !== null, match: null,
      };
    });
    return { crossings, versions };
  };
}

function readCrossings(db: DB, spec: Extract<ExportSpec, { kind: 'crossings' }>, send: (m: ExportMessage) => void, batchSize: number): number {
  const { filter, ctx, lang, format } = spec;
  const anchor = auditAnchor(db, spec.at);
  const total = countCrossings(db, filter, ctx);
  const tables = crossingsTables(lang, format, filter.flaggedOnly);
  send({ type: 'begin', tables, total, passes: tables.length, anchor });
  const views = batchViews(db);
  let items: number;
  if (format === 'csv') {
    items = eachCrossingBatch(db, filter, ctx, false, batchSize, (rows) => {
      const { crossings, versions } = views(rows);
      send({ type: 'rows', table: 0, rows: crossings.flatMap((c) => csvRows(c, versions, lang)), advance: rows.length });
    });
  } else {
    items = eachCrossingBatch(db, filter, ctx, false, batchSize, (rows) => {
      send({ type: 'rows', table: 0, rows: views(rows).crossings.map((c) => crossingRow(c, lang)), advance: rows.length });
    });
    eachCrossingBatch(db, filter, ctx, true, batchSize, (rows) => {
      const { crossings, versions } = views(rows);
      send({ type: 'rows', table: 1, rows: crossings.flatMap((c) => hitSheetRows(c, versions, lang)), advance: rows.length });
    });
  }
  return items;
}

function readAudit(db: DB, spec: Extract<ExportSpec, { kind: 'audit' }>, send: (m: ExportMessage) => void, batchSize: number): number {
  const { filter, timeZone } = spec;
  const where: string[] = [];
  const args: string[] = [];
  if (filter.action) {
    where.push('(a.action = ? OR a.action LIKE ?)');
    args.push(filter.action, `${filter.action}.%`);
  }
  if (filter.from) {
    where.push('a.at >= ?');
    args.push(localDayBoundaryUtc(filter.from, timeZone));
  }
  if (filter.to) {
    where.push('a.at <= ?');
    args.push(localDayBoundaryUtc(filter.to, timeZone, true));
  }
  const anchor = auditAnchor(db, spec.at);
  const cond = where.length ? `AND ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit a WHERE 1 = 1 ${cond}`).get(...args) as { n: number }).n;
  send({ type: 'begin', tables: auditTables(spec.lang), total, passes: 1, anchor });
  const page = db.prepare(
    `SELECT a.seq, a.at, u.username AS actor, a.action, a.subject, a.details, a.hash, a.prev_hash AS prevHash
     FROM audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.seq > ? ${cond} ORDER BY a.seq LIMIT ?`,
  );
  let after = 0;
  let items = 0;
  for (;;) {
    const rows = page.all(after, ...args, batchSize) as AuditExportRow[];
    if (!rows.length) break;
    send({ type: 'rows', table: 0, rows: rows.map((r) => auditRow(r, timeZone)), advance: rows.length });
    items += rows.length;
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batchSize) break;
  }
  return items;
}

/**
 * Reads the export `spec` from `db` in one read transaction and sends it as messages: `begin`
 * (tables, total, anchor), `rows` per batch, `end` (items read: crossings, or audit rows). Returns
 * the items read. Throws what the queries throw (RangeError for an unknown time zone).
 */
export function readExport(db: DB, spec: ExportSpec, send: (m: ExportMessage) => void, batchSize = EXPORT_BATCH): number {
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  try {
    return db.transaction(() => {
      const items = spec.kind === 'crossings' ? readCrossings(db, spec, send, batchSize) : readAudit(db, spec, send, batchSize);
      send({ type: 'end', items });
      return items;
    })();
  } finally {
    db.pragma(`cache_size = ${Number(cacheBefore)}`);
  }
}
