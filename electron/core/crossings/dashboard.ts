/**
 * The supervisors' dashboard (issue 14, `dashboard.get` / `dashboard.export`): counts over a range
 * of LOCAL days in the checkpoint's time zone, from the desk's screenings (`screened_at`), hits (their
 * screening's day; the list through entries -> list_versions -> watchlists; the decision is
 * `hits.decision`, the current one after any correction) and crossings (`occurred_at`, direction,
 * outcome, checkpoint as recorded, flagged).
 *
 * How days are counted: each local day's bounds are computed in JS (time.ts localDayBoundaryUtc, so a
 * DST change or a half-hour zone is exact), and each day is a few aggregate queries over an index
 * range (`screenings_time`, `crossings_time`: [start of the day, start of the next day) as ISO UTC
 * text, which compares as time), so no grouping by a computed day. Each screening, hit and crossing
 * of the range is read once; the hits are grouped by entry row, band and decision, and only the
 * distinct entry rows are then joined to their lists. The cost grows with the rows in the range,
 * not the desk (EXPLAIN QUERY PLAN: dashboard.test.ts checks the plans use those indexes). Each
 * hit and crossing is a lookup of its table row: covering indexes would save that (see the issue
 * 14 report).
 *
 * Not audited when viewed (counts, list names and listed entries, no traveler data); the export is
 * (`export.dashboard`, by the handler through Engine.deliver).
 */
import ExcelJS from 'exceljs';
import type { AuditAnchorView, DashboardView, UiLang } from '../../../shared/contract';
import { BANDS, DIRECTIONS, OUTCOMES, type Band, type Decision, type ListKind, type Outcome } from '../../../shared/domain';
import { exportLabel, valueWord, type ExportLabelKey } from '../../../shared/export-labels';
import { reason } from '../../../shared/reasons';
import { ANCHOR_SHEET, anchorRows } from '../anchor';
import type { DB } from '../db/database';
import { BadInputError } from '../errors';
import { legalSheetName, neutralizeFormula } from '../spreadsheet/write';
import { localDateTime, localDayBoundaryUtc } from '../time';

/** Days in the default range (the last 30 local days up to today, today included). */
export const DEFAULT_DASHBOARD_DAYS = 30;
/** The longest range shown at once, in days (a leap year): BadInputError `dashboard.rangeTooLong` beyond. */
export const MAX_DASHBOARD_DAYS = 366;
/** How many of the entries hit most often are shown. */
export const TOP_ENTRIES = 20;

/** Inclusive local days `YYYY-MM-DD`; either may be absent. */
export interface DashboardRange {
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;

/** Code-unit order: a stable tie-break (localeCompare is slow over many thousand entries). */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Hits counted by their decision, as the dashboard's tables show them (the desk's and the centre's, central/dashboard.ts). */
export interface HitTally {
  hits: number;
  confirmed: number;
  notSame: number;
  undecided: number;
}

/** A tally of no hits. */
export const emptyTally = (): HitTally => ({ hits: 0, confirmed: 0, notSame: 0, undecided: 0 });

/** Adds `n` hits with `decision` to `t` (in place). */
export function tally(t: HitTally, decision: Decision, n: number): void {
  t.hits += n;
  if (decision === 'confirmed') t.confirmed += n;
  else if (decision === 'not-same-person') t.notSame += n;
  else t.undecided += n;
}

/**
 * The "decisions per list and band" rows: for each list with hits, in the order of `lists`, one
 * row per band with its tally from `byBand` (keyed `listId \u0000 band`; a band with none is zeros).
 */
export function decisionRows(lists: readonly { listId: string; list: string; hits: number }[], byBand: ReadonlyMap<string, HitTally>): DashboardView['decisions'] {
  const rows: DashboardView['decisions'] = [];
  for (const l of lists) {
    if (!l.hits) continue;
    for (const band of BANDS) {
      const { confirmed, notSame, undecided } = byBand.get(`${l.listId}\u0000${band}`) ?? emptyTally();
      rows.push({ listId: l.listId, list: l.list, band, confirmed, notSame, undecided });
    }
  }
  return rows;
}

/** Years a dashboard day may fall in (time.ts reads two-digit years as 19xx; the day after 9999-12-31 is no ISO day). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9998;

/** Epoch ms of an ISO day's UTC midnight. */
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** The day `n` days after the ISO day `day` (calendar arithmetic, no time zone). */
function addDays(day: string, n: number): string {
  return new Date(dayMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Today as a local day in `timeZone`. */
export function localToday(now: Date, timeZone: string): string {
  return localDateTime(now.toISOString(), timeZone).slice(0, 10);
}

/**
 * The range a request means: both days given, or the missing end filled in (`to`: today in
 * `timeZone`; `from`: `to` - 29 days; so no day given means the last 30 days). Throws
 * BadInputError `field.rangeReversed` when `from` is after `to`, `dashboard.rangeTooLong` beyond
 * MAX_DASHBOARD_DAYS days, `date.yearOutOfRange` for a day before 1900 or after 9998.
 */
export function dashboardRange(range: DashboardRange, timeZone: string, now: Date): { from: string; to: string; days: string[] } {
  const span = DEFAULT_DASHBOARD_DAYS - 1;
  const to = range.to ?? localToday(now, timeZone);
  const from = range.from ?? addDays(to, -span);
  for (const d of [from, to]) {
    const year = Number(d.slice(0, 4));
    if (!/^\d{4}-/.test(d) || year < FIRST_YEAR || year > LAST_YEAR) throw new BadInputError(reason('date.yearOutOfRange', { year: d.slice(0, 4) }));
  }
  const n = Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
  if (n < 1) throw new BadInputError(reason('field.rangeReversed'));
  if (n > MAX_DASHBOARD_DAYS) throw new BadInputError(reason('dashboard.rangeTooLong', { max: MAX_DASHBOARD_DAYS }));
  return { from, to, days: Array.from({ length: n }, (_, i) => addDays(from, i)) };
}

interface CrossingGroup {
  checkpoint: string; crossings: number; flagged: number; entries: number; entriesFlagged: number;
  passed: number; refused: number; held: number; referred: number;
}
interface EntryRow {
  entry_row: string; external_id: string; number: number; list_id: string; list: string; kind: ListKind;
}

/**
 * The dashboard's queries (exported for the query-plan test). `screenings`, `crossings` and `hits`
 * run once per local day with its bounds [start, next start); `entries` once, with the distinct
 * entry rows hit (a JSON array of ids).
 */
export const DASHBOARD_SQL = {
  // The day's screenings: the time index alone.
  screenings: 'SELECT count(*) AS n FROM screenings WHERE screened_at >= ? AND screened_at < ?',
  // The day's crossings by checkpoint (usually one), with directions, outcomes and flags summed.
  crossings: `SELECT checkpoint, count(*) AS crossings, sum(flagged) AS flagged,
      sum(direction = 'entry') AS entries, sum(direction = 'entry' AND flagged = 1) AS entriesFlagged,
      sum(outcome = 'passed') AS passed, sum(outcome = 'refused-entry') AS refused, sum(outcome = 'held') AS held, sum(outcome = 'referred') AS referred
    FROM crossings WHERE occurred_at >= ? AND occurred_at < ? GROUP BY checkpoint`,
  // The hits of the day's screenings, by entry row, band and (current) decision.
  hits: `SELECT h.entry_id, h.band, h.decision, count(*) AS n
    FROM screenings s JOIN hits h ON h.screening_id = s.id
    WHERE s.screened_at >= ? AND s.screened_at < ?
    GROUP BY h.entry_id, h.band, h.decision`,
  // The entry rows hit, with their list, list version and own id (the same for every version of an entry).
  entries: `SELECT e.id AS entry_row, e.external_id, v.number, v.list_id, w.name AS list, w.kind
    FROM json_each(?) j JOIN entries e ON e.id = j.value JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id`,
  // Lists shown with no hits too: those with an active version, not retired.
  lists: 'SELECT id, name, kind FROM watchlists WHERE active_version_id IS NOT NULL AND retired_at IS NULL',
  entry: 'SELECT names, reference FROM entries WHERE id = ?',
} as const;

/** Statements of one connection, prepared once. */
const statements = new WeakMap<DB, ReturnType<typeof prepare>>();
function prepare(db: DB) {
  return {
    screenings: db.prepare(DASHBOARD_SQL.screenings),
    crossings: db.prepare(DASHBOARD_SQL.crossings),
    hits: db.prepare(DASHBOARD_SQL.hits),
    entries: db.prepare(DASHBOARD_SQL.entries),
    lists: db.prepare(DASHBOARD_SQL.lists),
    entry: db.prepare(DASHBOARD_SQL.entry),
  };
}

/**
 * The dashboard over `range` (inclusive local days in `timeZone`; default: the last 30 days up to
 * today as of `now`). Every day of the range appears, with zeros. Lists: every list with an active
 * version or with hits in the range, most hits first; decisions per list and band for the lists
 * with hits (all three bands); the entries hit most often across list versions (an entry is its
 * list and its own id; the listed name and reference of its newest version hit), at most
 * TOP_ENTRIES. Throws as dashboardRange, and RangeError for an unknown time zone.
 */
export function dashboard(db: DB, range: DashboardRange, timeZone: string, now: Date): DashboardView {
  const { from, to, days } = dashboardRange(range, timeZone, now);
  let st = statements.get(db);
  if (!st) statements.set(db, (st = prepare(db)));
  // Bounds: day i is [bounds[i], bounds[i + 1]).
  const bounds = [...days, addDays(to, 1)].map((d) => localDayBoundaryUtc(d, timeZone));

  const perDay: DashboardView['perDay'] = [];
  const outcomes: DashboardView['outcomes'] = [];
  const checkpoints = new Map<string, { crossings: number; flagged: number }>();
  const direction = { entry: { crossings: 0, flagged: 0 }, exit: { crossings: 0, flagged: 0 } };
  /** Hits of the range by entry row, band and decision: `entry\0band\0decision` -> count. */
  const hitGroups = new Map<string, number>();
  const read = db.transaction(() => {
    days.forEach((day, i) => {
      const lo = bounds[i]!;
      const hi = bounds[i + 1]!;
      const row = { day, screenings: (st.screenings.get(lo, hi) as { n: number }).n, hits: 0, crossings: 0, flagged: 0 };
      for (const h of st.hits.all(lo, hi) as { entry_id: string; band: Band; decision: Decision; n: number }[]) {
        row.hits += h.n;
        const k = `${h.entry_id}\u0000${h.band}\u0000${h.decision}`;
        hitGroups.set(k, (hitGroups.get(k) ?? 0) + h.n);
      }
      const out: Record<Outcome, number> = { passed: 0, 'refused-entry': 0, held: 0, referred: 0 };
      for (const c of st.crossings.all(lo, hi) as CrossingGroup[]) {
        row.crossings += c.crossings;
        row.flagged += c.flagged;
        direction.entry.crossings += c.entries;
        direction.entry.flagged += c.entriesFlagged;
        direction.exit.crossings += c.crossings - c.entries;
        direction.exit.flagged += c.flagged - c.entriesFlagged;
        out.passed += c.passed;
        out['refused-entry'] += c.refused;
        out.held += c.held;
        out.referred += c.referred;
        const k = checkpoints.get(c.checkpoint) ?? { crossings: 0, flagged: 0 };
        k.crossings += c.crossings;
        k.flagged += c.flagged;
        checkpoints.set(c.checkpoint, k);
      }
      perDay.push(row);
      outcomes.push({ day, ...out });
    });
    const rows = new Set([...hitGroups.keys()].map((k) => k.slice(0, k.indexOf('\u0000'))));
    return {
      entries: rows.size ? (st.entries.all(JSON.stringify([...rows])) as EntryRow[]) : [],
      lists: st.lists.all() as { id: string; name: string; kind: ListKind }[],
    };
  });
  // One read transaction: the days, the entries and the lists are one snapshot.
  const { entries, lists } = read.deferred();
  const entryOf = new Map(entries.map((e) => [e.entry_row, e]));

  const byList = new Map<string, { listId: string; list: string; kind: ListKind } & HitTally>();
  for (const l of lists) byList.set(l.id, { listId: l.id, list: l.name, kind: l.kind, ...emptyTally() });
  const byBand = new Map<string, HitTally>();
  const byEntry = new Map<string, { listId: string; list: string; entryId: string; newestRow: string; newest: number } & HitTally>();
  for (const [key, n] of hitGroups) {
    const [row, band, decision] = key.split('\u0000') as [string, Band, Decision];
    const g = entryOf.get(row);
    if (!g) continue; // entries are never deleted (foreign key): not reached
    let l = byList.get(g.list_id);
    if (!l) byList.set(g.list_id, (l = { listId: g.list_id, list: g.list, kind: g.kind, ...emptyTally() }));
    tally(l, decision, n);
    const bk = `${g.list_id}\u0000${band}`;
    const b = byBand.get(bk) ?? emptyTally();
    tally(b, decision, n);
    byBand.set(bk, b);
    const ek = `${g.list_id}\u0000${g.external_id}`;
    let e = byEntry.get(ek);
    if (!e) byEntry.set(ek, (e = { listId: g.list_id, list: g.list, entryId: g.external_id, newestRow: g.entry_row, newest: g.number, ...emptyTally() }));
    tally(e, decision, n);
    if (g.number > e.newest) {
      e.newest = g.number;
      e.newestRow = g.entry_row;
    }
  }
  const listOrder = [...byList.values()].sort((a, b) => b.hits - a.hits || cmp(a.list, b.list) || cmp(a.listId, b.listId));
  const decisions = decisionRows(listOrder, byBand);
  const topEntries = [...byEntry.values()]
    .sort((a, b) => b.hits - a.hits || b.confirmed - a.confirmed || cmp(a.list, b.list) || cmp(a.entryId, b.entryId))
    .slice(0, TOP_ENTRIES)
    .map((e) => {
      const row = st.entry.get(e.newestRow) as { names: string; reference: string | null } | undefined;
      const names = row ? (JSON.parse(row.names) as { name: string }[]) : [];
      return { listId: e.listId, list: e.list, entryId: e.entryId, listedName: names[0]?.name ?? '', reference: row?.reference ?? null, hits: e.hits, confirmed: e.confirmed };
    });

  return {
    from, to, timeZone,
    perDay,
    byList: listOrder.map(({ listId, list, kind, hits: n, confirmed, notSame, undecided }) => ({ listId, list, kind, hits: n, confirmed, notSame, undecided })),
    byCheckpoint: [...checkpoints].map(([checkpoint, c]) => ({ checkpoint, ...c })).sort((a, b) => b.crossings - a.crossings || cmp(a.checkpoint, b.checkpoint)),
    byDirection: DIRECTIONS.map((d) => ({ direction: d, ...direction[d] })),
    decisions,
    topEntries,
    outcomes,
  };
}

// ---------------------------------------------------------------------------------------------
// The export (`dashboard.export`)

type Cell = string | number | Date | null;
type Column = { header: string; width: number; kind?: 'day' | 'count' | 'text' };

/** The file name of a dashboard export: `watchdesk-dashboard-<from>-<to>.xlsx` (local days). */
export function dashboardFileName(view: Pick<DashboardView, 'from' | 'to'>): string {
  return `watchdesk-dashboard-${view.from}-${view.to}.xlsx`;
}

/** A local day as an Excel date cell (the day's UTC midnight: Excel dates carry no zone). */
function dayCell(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/**
 * The dashboard's tables as one xlsx (exceljs, in memory): a first sheet saying the range, time
 * zone and when it was made, then one sheet per table (DashboardView's order) with headers and
 * value words in `lang` (shared/export-labels.ts), counts as number cells, days as date cells (`yyyy-mm-dd`), a frozen header row, an
 * autofilter and column widths; every text cell formula-neutralized (write.ts neutralizeFormula:
 * list names, listed names, references and checkpoints come from outside); the audit anchor sheet
 * last (anchor.ts). Returns the file and its data rows (all tables).
 */
export async function dashboardWorkbook(view: DashboardView, lang: UiLang, anchor: AuditAnchorView): Promise<{ content: Buffer; rows: number }> {
  const w = (key: ExportLabelKey) => exportLabel(lang, key);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Watchdesk';
  wb.created = new Date(anchor.at);
  const text = (v: string | null): Cell => (v === null ? null : (neutralizeFormula(v) as string));
  let rows = 0;

  const about = wb.addWorksheet(legalSheetName(w('dashboard.sheet.about')));
  about.columns = [{ width: 28 }, { width: 60 }];
  // Counted at the centre (central/dashboard.ts, `view.scope`): the scope in the title, each checkpoint's own days.
  const title = view.scope === 'department' ? 'dashboard.about.titleDepartment' : view.scope === 'checkpoint' ? 'dashboard.about.titleCheckpoint' : 'dashboard.about.title';
  about.addRow([text(w(title))]).font = { bold: true };
  about.addRow([text(w('dashboard.about.from')), dayCell(view.from)]);
  about.addRow([text(w('dashboard.about.to')), dayCell(view.to)]);
  about.addRow([text(w('col.timeZone')), text(view.scope ? w('dashboard.about.eachZone') : view.timeZone)]);
  about.addRow([text(w('dashboard.about.madeAt')), text(localDateTime(anchor.at, view.timeZone))]);
  about.addRow([text(w(view.scope ? 'dashboard.about.noteCentre' : 'dashboard.about.note'))]);
  for (const r of [2, 3]) about.getCell(r, 2).numFmt = 'yyyy-mm-dd';

  const sheet = (name: string, columns: Column[], data: Cell[][]) => {
    const ws = wb.addWorksheet(legalSheetName(name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ width: c.width }));
    ws.addRow(columns.map((c) => text(c.header))).font = { bold: true };
    // Formats on the data cells only (a column's style would reach the header too).
    const formats = columns.map((c) => (c.kind === 'day' ? 'yyyy-mm-dd' : c.kind === 'count' ? '#,##0' : null));
    for (const r of data) {
      const row = ws.addRow(r.map((v) => (typeof v === 'string' ? text(v) : v)));
      formats.forEach((f, i) => {
        if (f) row.getCell(i + 1).numFmt = f;
      });
    }
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, data.length + 1), column: columns.length } };
    rows += data.length;
  };
  const count = (header: string): Column => ({ header, width: Math.max(12, header.length + 4), kind: 'count' });
  const textCol = (header: string, width: number): Column => ({ header, width });
  const day: Column = { header: w('dashboard.col.day'), width: 12, kind: 'day' };
  const list = textCol(w('col.list'), 28);
  const decided = [count(valueWord.decision(lang, 'confirmed')), count(valueWord.decision(lang, 'not-same-person')), count(valueWord.decision(lang, 'undecided'))];
  const crossings = [count(w('dashboard.col.crossings')), count(w('dashboard.col.flagged'))];

  sheet(w('dashboard.sheet.perDay'), [day, count(w('dashboard.col.screenings')), count(w('col.hits')), ...crossings],
    view.perDay.map((d) => [dayCell(d.day), d.screenings, d.hits, d.crossings, d.flagged]));
  sheet(w('dashboard.sheet.byList'), [list, textCol(w('col.listKind'), 14), count(w('col.hits')), ...decided],
    view.byList.map((l) => [l.list, valueWord.kind(lang, l.kind), l.hits, l.confirmed, l.notSame, l.undecided]));
  sheet(w('dashboard.sheet.byCheckpoint'), [textCol(w('col.checkpoint'), 32), ...crossings],
    view.byCheckpoint.map((c) => [c.checkpoint, c.crossings, c.flagged]));
  sheet(w('dashboard.sheet.byDirection'), [textCol(w('col.direction'), 14), ...crossings],
    view.byDirection.map((d) => [valueWord.direction(lang, d.direction), d.crossings, d.flagged]));
  sheet(w('dashboard.sheet.decisions'), [list, textCol(w('col.band'), 14), ...decided],
    view.decisions.map((d) => [d.list, valueWord.band(lang, d.band), d.confirmed, d.notSame, d.undecided]));
  sheet(w('dashboard.sheet.topEntries'),
    [list, textCol(w('col.entryId'), 16), textCol(w('col.listedName'), 32), textCol(w('col.reference'), 24), count(w('col.hits')), decided[0]!],
    view.topEntries.map((e) => [e.list, e.entryId, e.listedName, e.reference, e.hits, e.confirmed]));
  sheet(w('dashboard.sheet.outcomes'), [day, ...OUTCOMES.map((o) => count(valueWord.outcome(lang, o)))],
    view.outcomes.map((o) => [dayCell(o.day), ...OUTCOMES.map((k) => o[k])]));

  const a = wb.addWorksheet(ANCHOR_SHEET);
  a.columns = [{ width: 28 }, { width: 72 }];
  for (const r of anchorRows(anchor)) a.addRow(r.map((v) => (typeof v === 'string' ? neutralizeFormula(v) : v)));
  const content = Buffer.from(await wb.xlsx.writeBuffer());
  return { content, rows };
}
