/**
 * The crossings browser's totals of hit filters from counts (issue 14; migration 0012, plan.ts
 * hitCount) and their pages (plan.ts hitPageIndex), as a property: random crossings with random
 * hits (several per crossing, the same list and band twice, a filter naming two lists),
 * decisions changed before recording and corrected after, random filters (list, band, decision,
 * the crossing's columns, local days in zones that cut UTC days, an officer's scope). The total
 * must equal the plain DISTINCT count over hits (the query countOf ran before the counts) and the
 * crossings-side IN query; pages and batches must equal the straightforward ORDER BY; the count
 * tables must equal a recount from scratch (the migration's backfill). Also: a correction made
 * through decisions.ts correctHit, and the count tables read by a seek of their key (an
 * officer's rows through their index). FUZZ_RUNS and FUZZ_SEED as in the fuzz tests. Made-up data only.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate, type DB } from '../../electron/core/db/database';
import { crossingsWhere } from '../../electron/core/crossings/plan';
import { correctHit } from '../../electron/core/decisions';
import { countCrossings, forEachCrossing, listCrossings, planFor, type CrossingsContext, type CrossingsPage } from '../../electron/core/crossings/query';
import { CrossingsFilterSchema, type CrossingsFilterInput } from '../../shared/contract';
import { BANDS, DECISIONS, type Decision } from '../../shared/domain';
import { statements } from './helpers';

const USERS = [{ id: 'u0', username: 'off.a' }, { id: 'u1', username: 'OFF.b' }, { id: 'u2', username: 'off.c' }];
/** l3's name is l1's id: a filter by it names two lists (list names are unique, but a list is found by id or name). */
const LISTS = [{ id: 'l1', name: 'List one' }, { id: 'l2', name: 'List two' }, { id: 'l3', name: 'L1' }];
const CHECKPOINTS = ['Mae Sai', 'mae sai', 'Nong Khai'];
const DAY0 = Date.parse('2026-03-01T00:00:00Z');
const DAYS = 5;
const HOUR = 3_600_000;

/** A desk with users and lists, migrated once; each case starts from a copy. */
function template(): Buffer {
  const db = new Database(':memory:');
  migrate(db);
  const at = '2026-01-01T00:00:00.000Z';
  for (const u of USERS) db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', '[\"officer\"]', ?)").run(u.id, u.username, at);
  for (const l of LISTS) {
    db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, ?, 'wanted', ?, 'u0')").run(l.id, l.name, at);
    db.prepare("INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by) VALUES (?, ?, 1, 'f', 'x', '{}', 1, 1, 0, 'published', ?, 'u0')").run(`v${l.id}`, l.id, at);
    db.prepare("INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents) VALUES (?, ?, 'E', 2, 'h', '[{\"name\":\"X Y\",\"kind\":\"primary\"}]', '[]', '[]')").run(`e${l.id}`, `v${l.id}`);
  }
  const out = db.serialize();
  db.close();
  return out;
}

interface HitSpec { list: number; band: number; decision: number; before: number | null }
interface CrossingSpec { minute: number; officer: number; checkpoint: number; direction: number; outcome: number; flagged: boolean; hits: HitSpec[] }
interface Correction { crossing: number; hit: number; decision: number }

const hitArb: fc.Arbitrary<HitSpec> = fc.record({
  list: fc.nat(2), band: fc.nat(2), decision: fc.nat(2),
  // A decision taken at the desk before the crossing is recorded (the hit is stored undecided first).
  before: fc.option(fc.nat(2)),
});
const crossingArb: fc.Arbitrary<CrossingSpec> = fc.record({
  minute: fc.nat(DAYS * 24 * 60 - 1), officer: fc.nat(2), checkpoint: fc.nat(2), direction: fc.nat(1), outcome: fc.nat(3), flagged: fc.boolean(),
  hits: fc.oneof(fc.constant<HitSpec[]>([]), fc.array(hitArb, { minLength: 1, maxLength: 4 })),
});
const correctionArb: fc.Arbitrary<Correction> = fc.record({ crossing: fc.nat(), hit: fc.nat(), decision: fc.nat(2) });

const localDay = fc.nat(DAYS + 1).map((d) => new Date(DAY0 + (d - 1) * 24 * HOUR).toISOString().slice(0, 10));
/** Set in `percent` of the cases, else left out (filters of many conditions match nothing). */
const maybe = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - percent }, { arbitrary: arb, weight: percent });
const filterArb: fc.Arbitrary<CrossingsFilterInput> = fc.record({
  list: maybe(fc.constantFrom('List one', 'List two', 'l1', 'l2', 'l3'), 50),
  band: maybe(fc.constantFrom(...BANDS), 50),
  decision: maybe(fc.constantFrom(...DECISIONS), 50),
  from: maybe(localDay, 40),
  to: maybe(localDay, 40),
  checkpoint: maybe(fc.constantFrom('MAE SAI', 'Nong Khai'), 20),
  officer: maybe(fc.constantFrom('off.a', 'off.b'), 20),
  direction: maybe(fc.constantFrom('entry' as const, 'exit' as const), 20),
  outcome: maybe(fc.constantFrom('passed' as const, 'held' as const), 20),
  flaggedOnly: maybe(fc.constant(true), 20),
}, { requiredKeys: [] }).filter((f) => Boolean(f.list ?? f.band ?? f.decision));
const pageArb: fc.Arbitrary<CrossingsPage> = fc.record({
  sort: fc.constantFrom('time' as const, 'time' as const, 'topScore' as const, 'officer' as const, 'direction' as const, 'outcome' as const),
  order: fc.constantFrom('asc' as const, 'desc' as const),
  offset: fc.nat(12),
  limit: fc.integer({ min: 1, max: 8 }),
});
const contextArb: fc.Arbitrary<CrossingsContext> = fc.record({
  viewer: fc.constantFrom({ userId: 'x', roles: ['supervisor'] }, { userId: 'u0', roles: ['officer'] }, { userId: 'u1', roles: ['officer'] }),
  timeZone: fc.constantFrom('Asia/Bangkok', 'UTC', 'America/St_Johns'),
  checkpoint: fc.constant('Mae Sai'),
  now: fc.nat(DAYS * 24).map((h) => new Date(DAY0 + h * HOUR)),
});

/** Records the crossings (hits stored first, some decided before), then applies the corrections. */
function record(db: DB, crossings: CrossingSpec[], corrections: Correction[]): void {
  const insS = db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, '{}', '[]')");
  const insH = db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES (?, ?, ?, ?, ?, '{}', 'a')");
  const decide = db.prepare('UPDATE hits SET decision = ? WHERE id = ?');
  const insC = db.prepare('INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  crossings.forEach((c, i) => {
    const at = new Date(DAY0 + c.minute * 60_000).toISOString();
    insS.run(`s${i}`, at, 'u0');
    c.hits.forEach((h, k) => {
      insH.run(`h${i}-${k}`, `s${i}`, `e${LISTS[h.list]!.id}`, (h.band + 1) / 4 + k / 100, BANDS[h.band]!);
      decide.run(DECISIONS[h.before ?? h.decision]!, `h${i}-${k}`);
    });
    // Ids not in time order, and some crossings at the same minute: ties broken by id.
    insC.run(`c${(i * 7919) % 1000}-${i}`, `s${i}`, at, 'Asia/Bangkok', CHECKPOINTS[c.checkpoint]!, ['entry', 'exit'][c.direction]!,
      ['passed', 'held', 'refused-entry', 'referred'][c.outcome]!, USERS[c.officer]!.id, c.flagged ? 1 : 0);
    // A decision changed after recording (decisions.ts correctHit), when it was taken before.
    c.hits.forEach((h, k) => {
      if (h.before !== null) decide.run(DECISIONS[h.decision]!, `h${i}-${k}`);
    });
  });
  const withHits = crossings.map((c, i) => ({ c, i })).filter((x) => x.c.hits.length);
  for (const k of corrections) {
    if (!withHits.length) break;
    const { c, i } = withHits[k.crossing % withHits.length]!;
    decide.run(DECISIONS[k.decision]!, `h${i}-${k.hit % c.hits.length}`);
  }
}

/** Checks the count tables against a recount from the hits by migration 0012's backfill rule (rows of 0 left out). */
function recount(db: DB): void {
  for (const [table, cols] of [['hit_days', []], ['hit_day_cols', ['checkpoint', 'officer_id', 'direction', 'outcome', 'flagged']]] as const) {
    const key = ['list_id', 'band', 'decision', 'day', ...cols].join(', ');
    const stored = db.prepare(`SELECT ${key}, n FROM ${table} WHERE n <> 0 ORDER BY ${key}`).all();
    const fresh = db.prepare(
      `SELECT ${key}, count(*) AS n FROM (
         SELECT DISTINCT h.crossing_id, CASE WHEN s.column1 THEN h.list_id ELSE '' END AS list_id, CASE WHEN s.column2 THEN h.band ELSE '' END AS band,
           CASE WHEN s.column3 THEN h.decision ELSE '' END AS decision, substr(h.crossing_at, 1, 10) AS day, h.checkpoint, h.officer_id, h.direction, h.outcome, h.flagged
         FROM hits h, (VALUES (1,0,0),(0,1,0),(0,0,1),(1,1,0),(1,0,1),(0,1,1),(1,1,1)) s WHERE h.crossing_id IS NOT NULL)
       GROUP BY ${key} ORDER BY ${key}`,
    ).all();
    expect(stored, table).toEqual(fresh);
  }
}

/** The plain DISTINCT count over hits (countOf before migration 0012), and the crossings-side IN query. */
function oracleCounts(db: DB, f: CrossingsFilterInput, ctx: CrossingsContext): [number, number] {
  const p = planFor(db, CrossingsFilterSchema.parse(f), ctx);
  if (!p) return [0, 0];
  const conds = [`${p.hit.join(' AND ')} AND h.crossing_id IS NOT NULL`, ...p.cols.map((c) => c.sql('h'))];
  const args: unknown[] = [...p.hitArgs, ...p.cols.flatMap((c) => c.args)];
  const add = (sql: string, ...xs: unknown[]): void => {
    conds.push(sql);
    args.push(...xs);
  };
  if (p.from) add('h.crossing_at >= ?', p.from);
  if (p.to) add('h.crossing_at <= ?', p.to);
  if (p.scope) add('(h.officer_id = ? OR (h.checkpoint = ? COLLATE NOCASE AND h.crossing_at >= ?))', p.scope.me, p.scope.checkpoint, p.scope.since);
  const distinct = db.prepare(`SELECT count(*) FROM (SELECT DISTINCT h.crossing_at, h.crossing_id FROM hits h WHERE ${conds.join(' AND ')})`).pluck().get(...args) as number;
  const w = crossingsWhere(p);
  return [distinct, db.prepare(`SELECT count(*) FROM crossings c ${w.sql}`).pluck().get(...w.args) as number];
}

/** The straightforward page: every match sorted (ties by time, then id, in the same order). */
function oraclePage(db: DB, f: CrossingsFilterInput, ctx: CrossingsContext, page: CrossingsPage): string[] {
  const p = planFor(db, CrossingsFilterSchema.parse(f), ctx);
  if (!p) return [];
  const w = crossingsWhere(p);
  const o = page.order === 'asc' ? 'ASC' : 'DESC';
  const key = { time: '', match: '', topScore: `c.top_score ${o},`, officer: `u.username COLLATE NOCASE ${o},`, direction: `c.direction ${o},`, outcome: `c.outcome ${o},` }[page.sort];
  return db.prepare(`SELECT c.id FROM crossings c JOIN users u ON u.id = c.officer_id ${w.sql} ORDER BY ${key} c.occurred_at ${o}, c.id ${o} LIMIT ? OFFSET ?`)
    .pluck().all(...w.args, page.limit, page.offset) as string[];
}

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 1414;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('hit filters answered from counts (migration 0012)', () => {
  const blank = template();

  it('totals, pages and batches equal the plain queries; the counts equal a recount, through recording and corrections', () => {
    // How many asks matched some crossing, and how many of those had a range cutting a day (the
    // cases were generated well enough to test something).
    let matched = 0;
    let cut = 0;
    fc.assert(fc.property(
      fc.array(crossingArb, { minLength: 5, maxLength: 60, size: 'max' }), fc.array(correctionArb, { maxLength: 15 }),
      fc.array(fc.tuple(filterArb, contextArb, pageArb), { minLength: 1, maxLength: 6 }),
      (crossings, corrections, asks) => {
        const db = new Database(blank);
        try {
          record(db, crossings, corrections);
          recount(db);
          for (const [fi, ctx, page] of asks) {
            const f = CrossingsFilterSchema.parse(fi);
            const label = JSON.stringify({ fi, ctx, page });
            const [distinct, viaCrossings] = oracleCounts(db, fi, ctx);
            expect(viaCrossings, label).toBe(distinct);
            expect(countCrossings(db, f, ctx), label).toBe(distinct);
            if (distinct > 0) matched++;
            if (distinct > 0 && (fi.from || fi.to) && ctx.timeZone !== 'UTC') cut++;
            const got = listCrossings(db, f, page, ctx);
            expect(got.total, label).toBe(distinct);
            expect(got.crossings.map((c) => c.id), label).toEqual(oraclePage(db, fi, ctx, page));
            const batches: string[] = [];
            forEachCrossing(db, f, ctx, (b) => batches.push(...b.map((c) => c.id)), page.limit);
            expect(batches, label).toEqual(oraclePage(db, fi, ctx, { sort: 'time', order: 'desc', offset: 0, limit: 1000 }));
          }
        } finally {
          db.close();
        }
      },
    ), { numRuns: RUNS, seed: SEED });
    expect(matched).toBeGreaterThan(RUNS / 2);
    expect(cut).toBeGreaterThan(RUNS / 10);
  }, 120_000);

  it('counts a crossing once however many of its hits share the filtered values, and moves it when a correction changes the last one', () => {
    const db = new Database(blank);
    // Two strong hits on list one, both undecided; one weak hit on list two, confirmed.
    record(db, [{ minute: 600, officer: 0, checkpoint: 0, direction: 0, outcome: 1, flagged: true, hits: [
      { list: 0, band: 0, decision: 0, before: null }, { list: 0, band: 0, decision: 0, before: null }, { list: 1, band: 2, decision: 2, before: null },
    ] }], []);
    const ctx: CrossingsContext = { viewer: { userId: 'x', roles: ['supervisor'] }, timeZone: 'UTC', checkpoint: 'Mae Sai', now: new Date(DAY0) };
    const count = (fi: CrossingsFilterInput): number => countCrossings(db, CrossingsFilterSchema.parse(fi), ctx);
    expect(count({ list: 'l1', band: 'strong' })).toBe(1);
    expect(count({ list: 'l1', decision: 'undecided' })).toBe(1);
    expect(count({ band: 'weak', decision: 'confirmed' })).toBe(1);
    expect(count({ list: 'l1', decision: 'confirmed' })).toBe(0);
    const decide = (hit: string, d: Decision) => db.prepare('UPDATE hits SET decision = ? WHERE id = ?').run(d, hit);
    decide('h0-0', 'confirmed');
    expect(count({ list: 'l1', decision: 'undecided' })).toBe(1);
    expect(count({ list: 'l1', decision: 'confirmed' })).toBe(1);
    expect(count({ decision: 'confirmed' })).toBe(1);
    decide('h0-1', 'confirmed');
    expect(count({ list: 'l1', decision: 'undecided' })).toBe(0);
    expect(count({ decision: 'undecided' })).toBe(0);
    expect(count({ decision: 'confirmed' })).toBe(1);
    // The same decision again changes nothing.
    decide('h0-1', 'confirmed');
    expect(count({ list: 'l1', band: 'strong', decision: 'confirmed' })).toBe(1);
    recount(db);
    db.close();
  });

  it('sums the count tables by their key (a seek, never a scan), an officer\'s rows through hit_day_cols_officer', () => {
    const db = new Database(blank);
    const now = new Date(DAY0 + 50 * HOUR);
    const filters: CrossingsFilterInput[] = [
      { list: 'l1' }, { band: 'weak', from: '2026-03-02', to: '2026-03-03' }, { list: 'l2', decision: 'confirmed', flaggedOnly: true },
      { decision: 'undecided', officer: 'off.b', to: '2026-03-04' }, { band: 'strong', direction: 'exit', outcome: 'held' },
    ];
    const seen = statements(db, () => {
      for (const viewer of [{ userId: 'x', roles: ['supervisor'] }, { userId: 'u1', roles: ['officer'] }]) {
        for (const fi of filters) {
          for (const sort of ['time', 'officer', 'outcome'] as const) {
            listCrossings(db, CrossingsFilterSchema.parse(fi), { sort, order: 'desc', offset: 0, limit: 10 }, { viewer, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now });
          }
        }
      }
    });
    const sums = seen.filter((x) => /FROM hit_day(s|_cols) c/.test(x.sql));
    expect(sums.length).toBeGreaterThan(20);
    let byOfficer = 0;
    for (const x of sums) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${x.sql}`).all(...x.args) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, x.sql).toMatch(/^SEARCH c USING (PRIMARY KEY|COVERING INDEX hit_day_cols_officer) \((list_id|officer_id)=\?/);
      if (/officer_id = \?/.test(x.sql)) {
        expect(plan, x.sql).toContain('hit_day_cols_officer');
        byOfficer++;
      }
    }
    expect(byOfficer).toBeGreaterThan(5);
    db.close();
  });

  it('follows a supervisor\'s correction made through decisions.ts correctHit (totals and pages)', () => {
    const db = new Database(blank);
    record(db, [
      { minute: 60, officer: 0, checkpoint: 0, direction: 0, outcome: 1, flagged: true, hits: [{ list: 0, band: 1, decision: 2, before: null }] },
      { minute: 120, officer: 1, checkpoint: 0, direction: 1, outcome: 0, flagged: false, hits: [{ list: 1, band: 2, decision: 1, before: null }] },
    ], []);
    const ctx: CrossingsContext = { viewer: { userId: 'x', roles: ['supervisor'] }, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now: new Date(DAY0) };
    const page: CrossingsPage = { sort: 'time', order: 'desc', offset: 0, limit: 10 };
    const shown = (fi: CrossingsFilterInput) => {
      const r = listCrossings(db, CrossingsFilterSchema.parse(fi), page, ctx);
      return { total: r.total, ids: r.crossings.map((c) => c.id) };
    };
    const confirmed = { total: 1, ids: [db.prepare("SELECT crossing_id FROM hits WHERE id = 'h0-0'").pluck().get()] };
    expect(shown({ decision: 'confirmed' })).toEqual(confirmed);
    correctHit(db, 'u2', 'h1-0', 'confirmed', 'the police confirmed the match', new Date(DAY0 + 10 * HOUR));
    expect(shown({ decision: 'confirmed' }).total).toBe(2);
    expect(shown({ decision: 'not-same-person' })).toEqual({ total: 0, ids: [] });
    correctHit(db, 'u2', 'h1-0', 'not-same-person', 'back as it was', new Date(DAY0 + 11 * HOUR));
    expect(shown({ decision: 'confirmed' })).toEqual(confirmed);
    expect(shown({ decision: 'not-same-person', band: 'weak' }).total).toBe(1);
    recount(db);
    db.close();
  });
});
