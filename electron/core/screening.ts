/**
 * Screening a traveler against the active list versions, adjudicating hits and recording the
 * crossing, with the rules of the desk (DESIGN.md section 2).
 */
import { randomUUID } from 'node:crypto';
import type {
  BatchResult, CrossingView, EntryView, HitView, ScreeningResult, Traveler,
} from '../../shared/contract';
import { bandOf, DEFAULT_ACTIONS, needsDecision, type Band, type Decision, type Direction, type ListKind, type Outcome } from '../../shared/domain';
import { appendAudit } from './audit';
import { localDayBoundaryUtc } from './time';
import type { DB } from './db/database';
import { keysCurrent } from './matching/keys';
import { MatchIndex, type MatchQuery } from './matching/matcher';
import { readSpreadsheet, UnreadableFileError } from './spreadsheet/read';
import { guessHeader, rowsToEntries } from './watchlists/mapping';
import { activeEntries, BadInputError, entryView, listLists, thresholdsOf } from './watchlists/store';
import { toAlpha3 } from './watchlists/values';

/** Thrown when a desk rule forbids the action; the message is safe to show. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

interface ListInfo {
  id: string;
  name: string;
  kind: ListKind;
  action: string;
  thresholds: { strong: number; review: number; weak: number };
  versionId: string;
}

/** The match index over all active versions plus what hits need to know of each entry's list. */
export class Screener {
  readonly index: MatchIndex;
  /** The lists with an active version, by the id of that version. */
  private lists = new Map<string, ListInfo>();
  private minWeak: number;
  /** The lowest review threshold of any list: retrieval keeps every entry that could reach it. */
  private minReview: number;
  /** Prepared once: batch screening looks up entries for every traveler. */
  private getEntry: ReturnType<DB['prepare']>;

  constructor(db: DB) {
    this.getEntry = db.prepare('SELECT * FROM entries WHERE id = ?');
    const trustKeys = storedKeysCurrent(db);
    const namesById = db.prepare('SELECT names FROM entries WHERE id = ?').pluck();
    // One function for every entry (a million closures would slow the start).
    function loadNames(this: { id: string }): string[] {
      return namesOf(namesById.get(this.id) as string);
    }
    this.index = new MatchIndex(
      (function* () {
        for (const [id, names, dateOfBirth, sex, nationalities, documents, matchKeys] of activeEntries(db, !trustKeys)) {
          yield {
            id,
            // With trusted keys the names are not even read, unless the keys prove unusable; the
            // matched name of a hit is read from its row (hits()).
            names: names === null ? [] : namesOf(names),
            loadNames,
            dateOfBirth,
            sex,
            nationalities: nationalities === '[]' ? NONE : (JSON.parse(nationalities) as string[]),
            documents: documents === '[]' ? NONE : (JSON.parse(documents) as EntryView['documents']).map((d) => d.number),
            matchKeys: trustKeys ? matchKeys : null,
          };
        }
      })(),
    );
    this.minWeak = this.minReview = 1;
    this.refreshLists(db);
  }

  /** Reloads each list's name, bands and action text (after a settings change; no rebuild). */
  refreshLists(db: DB): void {
    this.lists.clear();
    for (const l of db.prepare('SELECT * FROM watchlists WHERE active_version_id IS NOT NULL').all() as {
      id: string; name: string; kind: ListKind; action_text: string | null; active_version_id: string;
      strong_threshold: number | null; review_threshold: number | null; weak_threshold: number | null;
    }[]) {
      this.lists.set(l.active_version_id, {
        id: l.id, name: l.name, kind: l.kind, action: l.action_text ?? DEFAULT_ACTIONS[l.kind],
        thresholds: thresholdsOf(l), versionId: l.active_version_id,
      });
    }
    this.minWeak = Math.min(1, ...[...this.lists.values()].map((l) => l.thresholds.weak));
    this.minReview = Math.min(1, ...[...this.lists.values()].map((l) => l.thresholds.review));
  }

  /** Ranked hits (band weak or better) for one traveler; entries loaded from the database. */
  hits(query: MatchQuery, top: number, warnings: string[], minScore?: number): HitView[] {
    // Weak hits are shown when found, but retrieval only guarantees what could reach review.
    const results = this.index.match(query, {
      top: top * 3, minScore: Math.max(minScore ?? 0, this.minWeak), retrieveAbove: Math.max(minScore ?? 0, this.minReview), warnings,
    });
    const getEntry = this.getEntry;
    const out: HitView[] = [];
    for (const r of results) {
      const row = getEntry.get(r.entryId) as Parameters<typeof entryView>[0];
      const list = this.lists.get(row.version_id)!;
      const band = bandOf(r.score, list.thresholds);
      if (!band) continue;
      const entry = entryView(row);
      r.explanation.matchedName ||= entry.names[r.nameIndex]?.name ?? '';
      out.push({
        hitId: null, list: list.name, listId: list.id, listKind: list.kind, versionId: list.versionId,
        entryId: entry.entryId, sourceRow: entry.sourceRow, score: r.score, band, explanation: r.explanation,
        entry, action: list.action, decision: 'undecided', note: null,
      });
      if (out.length >= top) break;
    }
    return out;
  }
}

const NONE: readonly string[] = Object.freeze([]);

function namesOf(json: string): string[] {
  return (JSON.parse(json) as EntryView['names']).map((n) => n.name);
}

/** Entries sampled to check stored match keys against the current normalization. */
const KEY_SAMPLE = 500;

/**
 * True when a sample of active entries (about KEY_SAMPLE, spread over the table) has stored match
 * keys equal to what normalization makes of their names now; false sends the index back to the
 * names (slower start, same answers).
 */
export function storedKeysCurrent(db: DB): boolean {
  const { lo, hi } = db.prepare('SELECT min(rowid) AS lo, max(rowid) AS hi FROM entries').get() as { lo: number | null; hi: number | null };
  if (lo === null || hi === null) return true;
  const at = db.prepare(
    `SELECT e.names, e.match_keys FROM entries e JOIN watchlists w ON w.active_version_id = e.version_id WHERE e.rowid >= ? LIMIT 1`,
  ).raw();
  for (let k = 0; k < KEY_SAMPLE; k++) {
    const row = at.get(Math.floor(lo + ((hi - lo) * k) / KEY_SAMPLE)) as [string, string | null] | undefined;
    if (row && row[1] !== null && !keysCurrent((JSON.parse(row[0]) as EntryView['names']).map((x) => x.name), row[1])) return false;
  }
  return true;
}

/** Turns a traveler into a matcher query; nationality is read as a code or a country name. */
export function travelerQuery(t: Traveler): { query: MatchQuery; warnings: string[] } {
  const warnings: string[] = [];
  const names: string[] = [];
  if (t.fullName) names.push(t.fullName);
  const split = [t.givenNames, t.surname].filter(Boolean).join(' ');
  if (split) names.push(split);
  let nationality: string | null = null;
  if (t.nationality) {
    nationality = toAlpha3(t.nationality);
    if (!nationality) warnings.push('nationality not recognised; screened without it');
  }
  return {
    query: { names, dateOfBirth: t.dateOfBirth ?? null, sex: t.sex ?? null, nationality, documentNumber: t.documentNumber ?? null },
    warnings,
  };
}

/** Screens one traveler, stores the screening and its hits, and audits it. */
export function screenTraveler(db: DB, screener: Screener, officerId: string, t: Traveler, top = 10, now = new Date()): ScreeningResult {
  const { query, warnings } = travelerQuery(t);
  const hits = screener.hits(query, top, warnings);
  const screeningId = randomUUID();
  const lists = listLists(db, now).filter((l) => l.activeVersion);
  db.transaction(() => {
    db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?,?,?,?,?)').run(
      screeningId, now.toISOString(), officerId, JSON.stringify(t), JSON.stringify(lists.map((l) => l.activeVersion!.id)),
    );
    const ins = db.prepare('INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES (?,?,?,?,?,?,?)');
    for (const h of hits) {
      h.hitId = randomUUID();
      ins.run(h.hitId, screeningId, h.entry.id, h.score, h.band, JSON.stringify(h.explanation), h.action);
    }
    appendAudit(db, {
      actorId: officerId, action: 'screening', subject: screeningId,
      details: { hits: hits.length, topBand: hits[0]?.band ?? null, hitIds: hits.map((h) => h.hitId!) },
    }, now);
  })();
  return {
    screeningId,
    screenedAt: now.toISOString(),
    hits,
    warnings,
    lists: lists.map((l) => ({ listId: l.id, name: l.name, versionNumber: l.activeVersion!.number, ageDays: l.ageDays ?? 0, stale: l.stale })),
  };
}

interface HitRow {
  id: string; screening_id: string; entry_id: string; score: number; band: Band; explanation: string; action: string;
  decision: Decision; note: string | null; list_id: string; list_name: string; list_kind: ListKind; version_id: string;
}
const HIT_SELECT = `SELECT h.*, w.id AS list_id, w.name AS list_name, w.kind AS list_kind, e.version_id AS version_id
  FROM hits h JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id`;

function hitView(db: DB, r: HitRow): HitView {
  const entry: EntryView = entryView(db.prepare('SELECT * FROM entries WHERE id = ?').get(r.entry_id) as Parameters<typeof entryView>[0]);
  return {
    hitId: r.id, list: r.list_name, listId: r.list_id, listKind: r.list_kind, versionId: r.version_id, entryId: entry.entryId,
    sourceRow: entry.sourceRow, score: r.score, band: r.band, explanation: JSON.parse(r.explanation), entry,
    action: r.action, decision: r.decision, note: r.note,
  };
}

/** Records an officer's decision on a hit. Refused once the crossing is recorded. */
export function decideHit(db: DB, officerId: string, hitId: string, decision: Exclude<Decision, 'undecided'>, note: string | undefined, now = new Date()): HitView {
  return db.transaction(() => {
    const h = db.prepare(`${HIT_SELECT} WHERE h.id = ?`).get(hitId) as HitRow | undefined;
    if (!h) throw new BadInputError('no such hit');
    const s = db.prepare('SELECT crossing_id FROM screenings WHERE id = ?').get(h.screening_id) as { crossing_id: string | null };
    if (s.crossing_id) throw new ConflictError('the crossing is already recorded; its hits can no longer be changed');
    db.prepare('UPDATE hits SET decision = ?, note = ?, decided_by = ?, decided_at = ? WHERE id = ?').run(decision, note ?? null, officerId, now.toISOString(), hitId);
    appendAudit(db, { actorId: officerId, action: 'hit.decide', subject: hitId, details: { decision, screeningId: h.screening_id } }, now);
    return hitView(db, { ...h, decision, note: note ?? null });
  })();
}

/**
 * Records the crossing of a screened traveler. Refused while a hit at or above review is
 * undecided, and when a confirmed hit on a `wanted` list would end as passed.
 */
export function recordCrossing(
  db: DB, officerId: string, screeningId: string, direction: Direction, outcome: Outcome, note: string | undefined,
  checkpoint: { name: string; timeZone: string }, now = new Date(),
): CrossingView {
  const id = randomUUID();
  db.transaction(() => {
    const s = db.prepare('SELECT crossing_id FROM screenings WHERE id = ?').get(screeningId) as { crossing_id: string | null } | undefined;
    if (!s) throw new BadInputError('no such screening');
    if (s.crossing_id) throw new ConflictError('this crossing is already recorded');
    const hits = db.prepare(`${HIT_SELECT} WHERE h.screening_id = ?`).all(screeningId) as HitRow[];
    const undecided = hits.filter((h) => needsDecision(h.band) && h.decision === 'undecided').length;
    if (undecided) throw new ConflictError(`${undecided} hit(s) at or above review are undecided: decide each before recording the crossing`);
    if (outcome === 'passed' && hits.some((h) => h.decision === 'confirmed' && h.list_kind === 'wanted')) {
      throw new ConflictError('a confirmed hit on a wanted list cannot end as passed');
    }
    const flagged = hits.some((h) => needsDecision(h.band)) ? 1 : 0;
    db.prepare(
      `INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged, note)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    ).run(id, screeningId, now.toISOString(), checkpoint.timeZone, checkpoint.name, direction, outcome, officerId, flagged, note ?? null);
    db.prepare('UPDATE screenings SET crossing_id = ? WHERE id = ?').run(id, screeningId);
    appendAudit(db, { actorId: officerId, action: 'crossing.record', subject: id, details: { screeningId, direction, outcome, flagged: Boolean(flagged) } }, now);
  })();
  return getCrossings(db, { ids: [id] }).crossings[0]!;
}

interface CrossingRow {
  id: string; screening_id: string; occurred_at: string; time_zone: string; checkpoint: string; direction: Direction;
  outcome: Outcome; flagged: number; note: string | null; username: string; traveler: string;
}

export interface CrossingFilter {
  ids?: string[];
  flaggedOnly?: boolean;
  /** Inclusive days, YYYY-MM-DD, in the time zone `timeZone` (default UTC). */
  from?: string;
  to?: string;
  timeZone?: string;
  offset?: number;
  limit?: number;
}

/** Crossings newest first with their hits. `flaggedOnly`: any hit at or above review, whatever the decision. */
export function getCrossings(db: DB, f: CrossingFilter): { total: number; crossings: CrossingView[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.ids) {
    where.push(`c.id IN (${f.ids.map(() => '?').join(',')})`);
    args.push(...f.ids);
  }
  if (f.flaggedOnly) where.push('c.flagged = 1');
  if (f.from) {
    where.push('c.occurred_at >= ?');
    args.push(localDayBoundaryUtc(f.from, f.timeZone ?? 'UTC'));
  }
  if (f.to) {
    where.push('c.occurred_at <= ?');
    args.push(localDayBoundaryUtc(f.to, f.timeZone ?? 'UTC', true));
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM crossings c ${w}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT c.*, u.username, s.traveler FROM crossings c JOIN users u ON u.id = c.officer_id JOIN screenings s ON s.id = c.screening_id
       ${w} ORDER BY c.occurred_at DESC LIMIT ? OFFSET ?`,
    )
    .all(...args, f.limit ?? 200, f.offset ?? 0) as CrossingRow[];
  const hitsOf = db.prepare(
    `SELECT h.score, h.band, h.decision, h.note, w.name AS list, e.external_id AS entry_id FROM hits h
     JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id
     WHERE h.screening_id = ? ORDER BY h.score DESC`,
  );
  return {
    total,
    crossings: rows.map((r) => {
      const traveler = JSON.parse(r.traveler) as Traveler;
      const hits = (hitsOf.all(r.screening_id) as { score: number; band: Band; decision: Decision; note: string | null; list: string; entry_id: string }[]).map(
        (h) => ({ list: h.list, entryId: h.entry_id, score: h.score, band: h.band, decision: h.decision, note: h.note }),
      );
      return {
        id: r.id, occurredAt: r.occurred_at, timeZone: r.time_zone, checkpoint: r.checkpoint, direction: r.direction,
        outcome: r.outcome, officer: r.username, traveler,
        travelerName: traveler.fullName || [traveler.givenNames, traveler.surname].filter(Boolean).join(' '),
        flagged: r.flagged === 1, hits, note: r.note,
      };
    }),
  };
}

/**
 * Screens every traveler in a manifest (csv/xlsx with name columns and optionally id, date of
 * birth, sex, nationality, passport). Not stored per traveler; audited once by the caller.
 */
export function screenManifest(screener: Screener, content: Buffer, fileName: string, top: number, minScore?: number): BatchResult {
  let sheets;
  try {
    sheets = readSpreadsheet(content, fileName);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw new BadInputError(e.message);
    throw e;
  }
  const sheet = sheets.find((s) => guessHeader(s));
  const guess = sheet && guessHeader(sheet);
  if (!sheet || !guess) throw new BadInputError('no header row with a name column was found in the manifest');
  const parsed = rowsToEntries(sheet, guess.headerIndex, guess.headers, guess.mapping);
  const hasId = guess.mapping.externalId !== undefined;
  const rows = parsed.entries.map((e) => {
    const warnings: string[] = [];
    const query: MatchQuery = {
      names: e.names.map((n) => n.name),
      dateOfBirth: e.dateOfBirth,
      sex: e.sex,
      nationality: e.nationalities[0] ?? null,
      documentNumber: e.documents[0]?.number ?? null,
    };
    return { row: e.sourceRow, id: hasId ? e.entryId : null, name: e.names[0]!.name, hits: screener.hits(query, top, warnings, minScore) };
  });
  return { travelers: rows.length, rows, problems: parsed.problems };
}
