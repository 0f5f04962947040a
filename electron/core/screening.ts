/**
 * Screening a traveler against the active list versions and recording the crossing, with the
 * rules of the desk (DESIGN.md section 2); decisions on hits are in decisions.ts.
 */
import { randomUUID } from 'node:crypto';
import type {
  BatchResult, CrossingView, HitView, MrzView, ScreenedList, ScreeningResult, Traveler,
} from '../../shared/contract';
import { MrzError, mrzTravelerFields, readMrz, type MrzReading } from '../../shared/mrz';
import { BANDS, bandOf, needsDecision, type Band, type Decision, type Direction, type ListKind, type Outcome } from '../../shared/domain';
import { appendAudit } from './audit';
import { describeStoredHits, hitView } from './decisions';
import { crossingsByIds } from './crossings/query';
import { crossingSearchKeys, storeCrossingSearchKeys } from './crossings/search-keys';
import type { DB } from './db/database';
import { IndexBuildingError, type IndexSource } from './index-host/host';
import type { MatchQuery } from './matching/matcher';
import { readManifest } from './manifest';
import { entryView, listLists } from './watchlists/store';
import { listAge } from '../../shared/list-age';
import { toAlpha3 } from './watchlists/values';
import { BadInputError, ConflictError } from './errors';
import { reason, reasonView, type Reason } from '../../shared/reasons';


interface ListInfo {
  id: string;
  name: string;
  kind: ListKind;
  action: string;
  thresholds: { strong: number; review: number; weak: number };
}

/** Which indexed list versions answer now, for which list, and what each list shows the officer. */
export interface ScreeningPlan {
  /** List of each indexed version that answers. */
  byVersion: Map<string, ListInfo>;
  /** Indexed versions left out at query time (rolled back, retired). */
  exclude: Set<string>;
  lists: ScreenedList[];
  /** Lowest review threshold of the lists that answer (1 when none). */
  minReview: number;
}

/**
 * Screening over an index (a worker's, or one built in place). Each call looks at the lists as
 * they are now: an indexed version answers for its list while it is the active one, or while a
 * newer published version is still being indexed ("version N loading"); a version rolled back
 * from (`withdrawn`) or of a list with no active version is left out at once, without a rebuild.
 */
export class Screener {
  /** Statements prepared on each connection (a key rotation reopens the database while a screening awaits the index). */
  private readonly statements = new WeakMap<DB, { getEntry: ReturnType<DB['prepare']>; versionRows: ReturnType<DB['prepare']> }>();

  /** `db` gives the engine's open connection at the moment of each use. */
  constructor(private readonly db: () => DB, private readonly index: IndexSource, private readonly withdrawn: ReadonlySet<string> = new Set()) {}

  private prepared() {
    const db = this.db();
    let s = this.statements.get(db);
    if (!s) {
      s = { getEntry: db.prepare('SELECT * FROM entries WHERE id = ?'), versionRows: db.prepare('SELECT id, list_id, number FROM list_versions WHERE id = ?') };
      this.statements.set(db, s);
    }
    return s;
  }

  /** The lists and versions that answer a screening now. */
  plan(now = new Date()): ScreeningPlan {
    const lists = listLists(this.db(), now);
    const { versionRows } = this.prepared();
    const byList = new Map(lists.map((l) => [l.id, l]));
    const byVersion = new Map<string, ListInfo>();
    const exclude = new Set<string>();
    const screened = new Map<string, number>();
    for (const vid of this.index.versions()) {
      const v = versionRows.get(vid) as { id: string; list_id: string; number: number } | undefined;
      const l = v && byList.get(v.list_id);
      if (!v || !l?.activeVersion || (this.withdrawn.has(vid) && l.activeVersion.id !== vid)) {
        exclude.add(vid);
        continue;
      }
      byVersion.set(vid, { id: l.id, name: l.name, kind: l.kind, action: l.actionText, thresholds: l.thresholds });
      screened.set(l.id, v.number);
    }
    const answering = lists.filter((l) => screened.has(l.id));
    return {
      byVersion,
      exclude,
      lists: lists
        .filter((l) => l.activeVersion)
        .map((l) => ({
          listId: l.id, name: l.name, versionNumber: l.activeVersion!.number, ...listAge(l),
          screenedVersion: screened.get(l.id) ?? null, loading: screened.get(l.id) !== l.activeVersion!.number,
        })),
      minReview: Math.min(1, ...answering.map((l) => l.thresholds.review)),
    };
  }

  /**
   * Ranked hits (band weak or better) for one traveler, strongest band first, then by score;
   * entries loaded from the database. Each list's own bands apply before the cut to `top`: lists
   * with the same thresholds are asked together (one query in the common case), each such set
   * with its own weak threshold as the floor, so that entries of a list with strict bands never
   * take the places of another list's hits.
   */
  async hits(query: MatchQuery, top: number, warnings: Reason[], minScore?: number, plan = this.plan()): Promise<HitView[]> {
    // A list with no version in the index would be a silent miss: answer "index building" instead.
    if (plan.lists.some((l) => l.screenedVersion === null)) throw new IndexBuildingError(this.index.buildProgress());
    if (!plan.byVersion.size) return [];
    // The answering versions by their lists' thresholds.
    const sets = new Map<string, { thresholds: ListInfo['thresholds']; versions: Set<string> }>();
    for (const [vid, l] of plan.byVersion) {
      const key = `${l.thresholds.strong}/${l.thresholds.review}/${l.thresholds.weak}`;
      let set = sets.get(key);
      if (!set) sets.set(key, (set = { thresholds: l.thresholds, versions: new Set() }));
      set.versions.add(vid);
    }
    const answers = await Promise.all([...sets.values()].map(({ thresholds, versions }, i) => {
      // The other sets' versions are left out of this query, as rolled-back ones are.
      const others = [...plan.byVersion.keys()].filter((v) => !versions.has(v));
      const exclude = others.length ? new Set([...plan.exclude, ...others]) : plan.exclude;
      // Weak hits are shown when found, but retrieval only guarantees what could reach review (of
      // any list: the same retrieval for every query).
      return this.index.match(query, {
        top, minScore: Math.max(minScore ?? 0, thresholds.weak), retrieveAbove: Math.max(minScore ?? 0, plan.minReview),
        // Every query finds the same problems with the traveler's fields: collected once.
        ...(i === 0 && { warnings }),
      }, exclude);
    }));
    const out: HitView[] = [];
    const { getEntry } = this.prepared();
    for (const r of answers.flat()) {
      const row = getEntry.get(r.entryId) as Parameters<typeof entryView>[0] | undefined;
      const list = row && plan.byVersion.get(row.version_id);
      if (!row || !list) continue;
      const band = bandOf(r.score, list.thresholds);
      if (!band) continue;
      const entry = entryView(row);
      r.explanation.matchedName ||= entry.names[r.nameIndex]?.name ?? '';
      out.push({
        hitId: null, list: list.name, listId: list.id, listKind: list.kind, versionId: row.version_id,
        entryId: entry.entryId, sourceRow: entry.sourceRow, score: r.score, band, explanation: r.explanation,
        entry, action: list.action, decision: 'undecided', note: null,
      });
    }
    // One list's weak hits never push out another's hits that need a decision.
    const rank = (h: HitView): number => BANDS.indexOf(h.band);
    return out.sort((a, b) => rank(a) - rank(b) || b.score - a.score || b.explanation.nameScore - a.explanation.nameScore).slice(0, top);
  }
}

/**
 * Turns a traveler into a matcher query; nationality is read as a code or a country name. An MRZ
 * (shared/mrz.ts) fills the fields not typed beside it; `traveler` is the traveler as screened
 * (typed fields and what the MRZ added), `mrz` what the MRZ said. Throws BadInputError when the
 * MRZ is not one (`mrz.unreadable`, `mrz.badCharacters`).
 */
export function travelerQuery(t: Traveler, now = new Date()): { query: MatchQuery; warnings: Reason[]; traveler: Traveler; mrz: MrzView | null } {
  const warnings: Reason[] = [];
  let reading: MrzReading | null = null;
  if (t.mrz) {
    try {
      reading = readMrz(t.mrz, now);
    } catch (e) {
      if (e instanceof MrzError) throw new BadInputError(e.problem);
      throw e;
    }
    t = { ...mrzTravelerFields(reading), ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined && v !== '')) };
  }
  // The MRZ's name may be cut at the field's end: its last part (of the given names, or of the
  // surname when there are none) is a prefix, so the query puts it last.
  const nameCut = Boolean(reading?.nameCut && t.surname === reading.surname && (t.givenNames ?? '') === reading.givenNames && !t.fullName);
  const names: string[] = [];
  if (t.fullName) names.push(t.fullName);
  const split = (nameCut ? [t.surname, t.givenNames] : [t.givenNames, t.surname]).filter(Boolean).join(' ');
  if (split) names.push(split);
  let nationality: string | null = null;
  if (t.nationality) {
    nationality = toAlpha3(t.nationality);
    if (!nationality) warnings.push(reason('traveler.nationalityNotUsed'));
  }
  return {
    query: {
      names, dateOfBirth: t.dateOfBirth ?? null, sex: t.sex ?? null, nationality, documentNumber: t.documentNumber ?? null,
      nationalId: t.nationalId ?? null, nameCut,
    },
    warnings,
    traveler: t,
    mrz: reading && mrzView(reading),
  };
}

function mrzView(r: MrzReading): MrzView {
  const { lines: _lines, failed: _failed, warnings, ...rest } = r;
  return { ...rest, warnings: warnings.map((w) => reasonView(w)) };
}

/**
 * Screens one traveler, stores the screening and its hits, and audits it. The screening records
 * the list versions its index actually used (during a rebuild, a list's previous version).
 */
export async function screenTraveler(dbOf: () => DB, screener: Screener, officerId: string, typed: Traveler, top = 10, now = new Date()): Promise<ScreeningResult> {
  const { query, warnings, traveler: t, mrz } = travelerQuery(typed, now);
  const plan = screener.plan(now);
  const hits = await screener.hits(query, top, warnings, undefined, plan);
  // The connection as it is after the wait (a key rotation may have reopened it).
  const db = dbOf();
  const screeningId = randomUUID();
  db.transaction(() => {
    db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?,?,?,?,?)').run(
      screeningId, now.toISOString(), officerId, JSON.stringify(t), JSON.stringify([...plan.byVersion.keys()]),
    );
    const ins = db.prepare('INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES (?,?,?,?,?,?,?)');
    for (const h of hits) {
      h.hitId = randomUUID();
      ins.run(h.hitId, screeningId, h.entry.id, h.score, h.band, JSON.stringify(h.explanation), h.action);
    }
    describeStoredHits(db, hits);
    appendAudit(db, {
      actorId: officerId, action: 'screening', subject: screeningId,
      details: { hits: hits.length, topBand: hits[0]?.band ?? null, hitIds: hits.map((h) => h.hitId!) },
    }, now);
  })();
  return { screeningId, screenedAt: now.toISOString(), hits, warnings: warnings.map((w) => reasonView(w)), lists: plan.lists, mrz };
}

/** A stored hit as the desk shows it (decisions.ts hitView), or undefined when there is no such hit. */
export function getHit(db: DB, hitId: string): HitView | undefined {
  return db.prepare('SELECT 1 FROM hits WHERE id = ?').get(hitId) ? hitView(db, hitId) : undefined;
}

interface HitRow {
  id: string; screening_id: string; entry_id: string; score: number; band: Band; explanation: string; action: string;
  decision: Decision; note: string | null; list_id: string; list_name: string; list_kind: ListKind; version_id: string;
}
const HIT_SELECT = `SELECT h.*, w.id AS list_id, w.name AS list_name, w.kind AS list_kind, e.version_id AS version_id
  FROM hits h JOIN entries e ON e.id = h.entry_id JOIN list_versions v ON v.id = e.version_id JOIN watchlists w ON w.id = v.list_id`;

/**
 * Records the crossing of a screened traveler, with its search keys for the crossings browser
 * (crossings/search-keys.ts), and returns it as the browser shows it. Refused while a hit at or
 * above review is undecided, and when a confirmed hit on a `wanted` list would end as passed.
 */
export function recordCrossing(
  db: DB, officerId: string, screeningId: string, direction: Direction, outcome: Outcome, note: string | undefined,
  checkpoint: { name: string; timeZone: string }, now = new Date(),
): CrossingView {
  const id = randomUUID();
  db.transaction(() => {
    const s = db.prepare('SELECT crossing_id FROM screenings WHERE id = ?').get(screeningId) as { crossing_id: string | null } | undefined;
    if (!s) throw new BadInputError(reason('screening.notFound'));
    if (s.crossing_id) throw new ConflictError(reason('crossing.alreadyRecorded'));
    const hits = db.prepare(`${HIT_SELECT} WHERE h.screening_id = ?`).all(screeningId) as HitRow[];
    const undecided = hits.filter((h) => needsDecision(h.band) && h.decision === 'undecided').length;
    if (undecided) throw new ConflictError(reason('crossing.undecidedHits', { count: undecided }));
    if (outcome === 'passed' && hits.some((h) => h.decision === 'confirmed' && h.list_kind === 'wanted')) {
      throw new ConflictError(reason('crossing.wantedPassed'));
    }
    const flagged = hits.some((h) => needsDecision(h.band)) ? 1 : 0;
    db.prepare(
      `INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged, note)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    ).run(id, screeningId, now.toISOString(), checkpoint.timeZone, checkpoint.name, direction, outcome, officerId, flagged, note ?? null);
    db.prepare('UPDATE screenings SET crossing_id = ? WHERE id = ?').run(id, screeningId);
    // The browser's search keys (crossings/search-keys.ts); seq, top score and band are set by migration 0010's trigger.
    const { seq, traveler } = db.prepare('SELECT c.seq, s.traveler FROM crossings c JOIN screenings s ON s.id = c.screening_id WHERE c.id = ?').get(id) as { seq: number; traveler: string };
    storeCrossingSearchKeys(db, id, seq, crossingSearchKeys(JSON.parse(traveler) as Traveler));
    appendAudit(db, { actorId: officerId, action: 'crossing.record', subject: id, details: { screeningId, direction, outcome, flagged: Boolean(flagged) } }, now);
  })();
  return crossingsByIds(db, [id])[0]!;
}

/**
 * Screens every traveler in a manifest (csv/xlsx with name columns and optionally id, date of
 * birth, sex, nationality, passport; or an `mrz` column, or one column per MRZ line, which a row
 * is then screened from). The file is read in the parse worker under the watchdog (manifest.ts
 * readManifest); the matching runs here. Not stored per traveler; audited once by the caller. A
 * row whose MRZ cannot be read is reported with its row number; the other rows are screened.
 * Throws BadInputError for a manifest that cannot be read (`manifest.noHeader`, the reader's
 * reasons, `file.parseStalled`, `file.parseTooLarge`).
 */
export async function screenManifest(
  screener: Screener, content: Buffer, fileName: string, top: number, minScore?: number, now = new Date(), progress: ManifestProgress = {},
): Promise<BatchResult> {
  const manifest = await readManifest(content, fileName, progress.signal);
  // Cancelled while the file was being read: nothing screened.
  if (!manifest) return { travelers: 0, rows: [], problems: [] };
  const problems = manifest.problems;
  const rows: BatchResult['rows'] = [];
  const total = manifest.travelers.length;
  let done = 0;
  let stoppedAt = Infinity;
  // One traveler at a time, each with the lists as they are then: other calls are answered in
  // between, and an index swapped or a list rolled back during the batch applies from that traveler on.
  for (const t of manifest.travelers) {
    await progress.onProgress?.(done, total);
    if (progress.signal?.aborted) {
      stoppedAt = t.row;
      break;
    }
    done++;
    if (t.mrz !== null) {
      let q: ReturnType<typeof travelerQuery>;
      try {
        q = travelerQuery({ mrz: t.mrz }, now);
      } catch (e) {
        if (!(e instanceof BadInputError)) throw e;
        problems.push({ ...reasonView(e.reason), severity: 'error', sheet: manifest.sheet, row: t.row, column: manifest.mrzHeader });
        continue;
      }
      const name = [q.traveler.givenNames, q.traveler.surname].filter(Boolean).join(' ');
      rows.push({ row: t.row, id: t.id, name, hits: await screener.hits(q.query, top, q.warnings, minScore), mrz: q.mrz });
      continue;
    }
    rows.push({ row: t.row, id: t.id, name: t.name, hits: await screener.hits(t.query!, top, [], minScore), mrz: null });
  }
  await progress.onProgress?.(done, total);
  // Stopped early: the rows never reached are not reported.
  return { travelers: rows.length, rows, problems: problems.filter((p) => p.row < stoppedAt) };
}

/** How a caller follows and stops a manifest screening (batch.ts). */
export interface ManifestProgress {
  /** Called (and awaited) before each traveler and at the end, with the travelers done and in all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Aborted: stops before the next traveler; the result holds the travelers screened until then. */
  signal?: AbortSignal;
}
