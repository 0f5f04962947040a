/**
 * The crossings browser's fast paths (electron/core/crossings/plan.ts; issue 14's 200 ms at a
 * million crossings): pages sorted by direction, outcome or officer read group by group (whole
 * groups skipped by their counts), top-score pages whose filters depend on the score (flagged:
 * no crossing without hits; the score index is read only so far), and partial days counted with
 * one lower and one upper time bound. Checked against a plain in-memory reference. Made-up data.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../electron/core/db/database';
import { createDatabase, migrate } from '../../electron/core/db/database';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statements } from './helpers';
import { countCrossings, listCrossings, type CrossingsContext, type CrossingsPage } from '../../electron/core/crossings/query';
import { CrossingsFilterSchema, type CrossingsFilterInput } from '../../shared/contract';
import type { Direction, Outcome } from '../../shared/domain';

interface Row { id: string; at: string; officer: string; direction: Direction; outcome: Outcome; flagged: number; top: number }

const USERS = [{ id: 'u0', username: 'off.c' }, { id: 'u1', username: 'OFF.a' }, { id: 'u2', username: 'off.B' }, { id: 'u3', username: 'off.d' }];

/** A desk of 4,000 crossings over 60 days; one in four has hits (flagged when the top score is at least 0.75), so most scores are 0. */
function desk(): { db: DB; rows: Row[] } {
  const db = new Database(':memory:');
  migrate(db);
  const at0 = '2026-01-01T00:00:00.000Z';
  for (const u of USERS) db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', '[\"officer\"]', ?)").run(u.id, u.username, at0);
  db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES ('l1', 'List', 'wanted', ?, 'u0')").run(at0);
  db.prepare("INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by) VALUES ('v1', 'l1', 1, 'f', 'x', '{}', 1, 1, 0, 'published', ?, 'u0')").run(at0);
  db.prepare("INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents) VALUES ('e1', 'v1', 'E', 2, 'h', '[{\"name\":\"X Y\",\"kind\":\"primary\"}]', '[]', '[]')").run();
  let seed = 11;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const insS = db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, '{}', '[]')");
  const insH = db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action, decision) VALUES (?, ?, 'e1', ?, ?, '{}', 'a', 'undecided')");
  const insC = db.prepare("INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged) VALUES (?, ?, ?, 'Asia/Bangkok', 'Mae Sai', ?, ?, ?, ?)");
  const rows: Row[] = [];
  const base = Date.parse('2026-02-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < 4000; i++) {
      const at = new Date(base + Math.floor(rand() * 60 * 96) * 900_000).toISOString();
      const id = `c${String(i).padStart(5, '0')}-${Math.floor(rand() * 1e6)}`;
      const top = rand() < 0.25 ? Math.round((0.5 + rand() / 2) * 100) / 100 : 0;
      insS.run(`s${i}`, at, 'u0');
      if (top) insH.run(`h${i}`, `s${i}`, top, top >= 0.75 ? 'review' : 'weak');
      const r: Row = {
        id, at, officer: pick(USERS).id, direction: pick(['entry', 'exit'] as const),
        outcome: pick(['passed', 'passed', 'passed', 'held', 'refused-entry', 'referred'] as const), flagged: top >= 0.75 ? 1 : 0, top,
      };
      insC.run(id, `s${i}`, at, r.direction, r.outcome, r.officer, r.flagged);
      rows.push(r);
    }
  })();
  return { db, rows };
}

const CTX: CrossingsContext = { viewer: { userId: 'x', roles: ['auditor'] }, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now: new Date('2026-04-05T12:00:00Z') };

describe('crossings browser fast paths against a plain reference', () => {
  const { db, rows } = desk();
  const bound = (day: string, end = false): string => new Date(Date.parse(`${day}T00:00:00+07:00`) + (end ? 86_400_000 - 1 : 0)).toISOString();
  const username = (id: string): string => USERS.find((u) => u.id === id)!.username.toLowerCase();
  const reference = (f: CrossingsFilterInput): Row[] => rows.filter((r) => (!f.from || r.at >= bound(f.from)) && (!f.to || r.at <= bound(f.to, true))
    && (!f.officer || username(r.officer) === f.officer.toLowerCase()) && (!f.direction || r.direction === f.direction)
    && (!f.outcome || r.outcome === f.outcome) && (!f.flaggedOnly || r.flagged === 1));
  const key = (r: Row, sort: string): string | number => sort === 'topScore' ? r.top : sort === 'officer' ? username(r.officer)
    : sort === 'direction' ? r.direction : sort === 'outcome' ? r.outcome : '';
  const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);

  it('pages sorted by direction, outcome, officer and top score, deep and across groups, as the reference', () => {
    const filters: CrossingsFilterInput[] = [
      {}, { from: '2026-02-10', to: '2026-03-20' }, { from: '2026-02-07', to: '2026-02-07' }, { to: '2026-02-15' }, { from: '2026-03-25' },
      { flaggedOnly: true }, { flaggedOnly: true, from: '2026-02-05', to: '2026-03-01' }, { direction: 'exit', outcome: 'held', from: '2026-02-12' },
      { officer: 'off.b', from: '2026-02-03', to: '2026-03-10' }, { outcome: 'referred', flaggedOnly: true },
    ];
    const pages: CrossingsPage[] = [];
    for (const sort of ['direction', 'outcome', 'officer', 'topScore'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        for (const [offset, limit] of [[0, 30], [7, 50], [950, 100], [2100, 40], [3990, 40]] as const) pages.push({ sort, order, offset, limit });
      }
    }
    let compared = 0;
    for (const fi of filters) {
      const f = CrossingsFilterSchema.parse(fi);
      const want = reference(fi);
      expect(countCrossings(db, f, CTX), JSON.stringify(fi)).toBe(want.length);
      for (const pg of pages) {
        const sign = pg.order === 'asc' ? 1 : -1;
        const sorted = [...want].sort((a, b) => sign * (cmp(key(a, pg.sort), key(b, pg.sort)) || cmp(a.at, b.at) || cmp(a.id, b.id)));
        const got = listCrossings(db, f, pg, CTX);
        expect(got.total).toBe(want.length);
        expect(got.crossings.map((c) => c.id), JSON.stringify({ fi, pg })).toEqual(sorted.slice(pg.offset, pg.offset + pg.limit).map((r) => r.id));
        compared += got.crossings.length;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  });

  it('reads a page by outcome within a range through the outcome index, one outcome at a time', () => {
    const f = CrossingsFilterSchema.parse({ from: '2026-02-10', to: '2026-03-20' });
    const seen = statements(db, () => listCrossings(db, f, { sort: 'outcome', order: 'desc', offset: 0, limit: 30 }, CTX));
    const pages = seen.filter((s) => /^SELECT c\.id FROM crossings c/.test(s.sql.trim()));
    expect(pages.length).toBeGreaterThan(0);
    for (const s of pages) {
      expect(s.sql).toMatch(/c\.outcome = \?/);
      expect(s.sql).not.toMatch(/ORDER BY c\.outcome/);
    }
  });

  it('gives up the score index for flagged crossings by lowest score (none of score 0 is flagged) within a bounded read', () => {
    const f = CrossingsFilterSchema.parse({ flaggedOnly: true });
    const seen = statements(db, () => listCrossings(db, f, { sort: 'topScore', order: 'asc', offset: 0, limit: 20 }, CTX));
    // The score index was tried (its estimate, as if flagged did not depend on the score, is the lowest), then the flagged index.
    expect(seen.some((s) => s.sql.includes('INDEXED BY crossings_flagged'))).toBe(true);
    const bounded = seen.find((s) => s.sql.includes('INDEXED BY crossings_score'));
    expect(bounded, seen.map((s) => s.sql).join('\n')).toBeDefined();
    // Its first parameter bounds the entries read: far fewer than the crossings.
    expect(bounded!.args[0] as number).toBeLessThan(rows.length / 2);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${bounded!.sql}`).all(...bounded!.args) as { detail: string }[]).map((r) => r.detail);
    expect(plan.filter((d) => /^SCAN x\b/.test(d)).every((d) => d.includes('COVERING INDEX crossings_score')), plan.join('\n')).toBe(true);
  });

  it('counts and pages a band + decision filter in the hit index\'s order, without a temporary b-tree of every match', () => {
    const f = CrossingsFilterSchema.parse({ band: 'review', decision: 'undecided' });
    const want = rows.filter((r) => r.flagged === 1).sort((a, b) => -(cmp(a.at, b.at) || cmp(a.id, b.id)));
    let got: string[] = [];
    let total = 0;
    const seen = statements(db, () => {
      const r = listCrossings(db, f, { sort: 'time', order: 'desc', offset: 40, limit: 30 }, CTX);
      got = r.crossings.map((c) => c.id);
      total = r.total;
    });
    expect(total).toBe(want.length);
    expect(got).toEqual(want.slice(40, 70).map((r) => r.id));
    // The total from the counts (migration 0012), the page from the hits.
    expect(seen.some((s) => /FROM hit_days c/.test(s.sql))).toBe(true);
    const reads = seen.filter((s) => /FROM hits h\s+(INDEXED BY \w+\s+)?WHERE/.test(s.sql) && !s.sql.includes('json_each'));
    expect(reads.length).toBe(1);
    for (const s of reads) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.args) as { detail: string }[]).map((r) => r.detail);
      expect(plan.join('\n'), s.sql).not.toMatch(/TEMP B-TREE/);
      expect(plan.join('\n'), s.sql).toMatch(/COVERING INDEX hits_band/);
    }
  });

  it('pages a list + decision filter (any band) from a covering index of hits (hits_list band by band, or hits_time), never through the decision\'s index and the table', () => {
    const f = CrossingsFilterSchema.parse({ list: 'List', decision: 'undecided' });
    const want = rows.filter((r) => r.top > 0).sort((a, b) => -(cmp(a.at, b.at) || cmp(a.id, b.id)));
    let got: string[] = [];
    const seen = statements(db, () => {
      const r = listCrossings(db, f, { sort: 'time', order: 'desc', offset: 5, limit: 30 }, CTX);
      expect(r.total).toBe(want.length);
      got = r.crossings.map((c) => c.id);
    });
    expect(got).toEqual(want.slice(5, 35).map((r) => r.id));
    // The total from the counts (migration 0012); the page from a covering index of hits: hits_list band
    // by band, or (as here, where every hit matches) hits_time in time order (plan.ts hitPageIndex).
    expect(seen.some((s) => /FROM hit_days c/.test(s.sql))).toBe(true);
    const reads = seen.filter((s) => /FROM hits h\s+(INDEXED BY \w+\s+)?WHERE/.test(s.sql) && !s.sql.includes('json_each'));
    expect(reads.length).toBe(1);
    for (const s of reads) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.args) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, s.sql).toMatch(/COVERING INDEX (hits_list \(list_id=\? AND band=\? AND decision=\?\)|hits_time)/);
      expect(plan, s.sql).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });

  it('bounds the time of every statement once from below and once from above (a partial day never reads the whole range)', () => {
    const seen = statements(db, () => {
      for (const fi of [{ from: '2026-02-03', to: '2026-03-20' }, { direction: 'exit' as const, from: '2026-02-03', to: '2026-03-20' }]) {
        const f = CrossingsFilterSchema.parse(fi);
        countCrossings(db, f, CTX);
        listCrossings(db, f, { sort: 'time', order: 'desc', offset: 2500, limit: 40 }, CTX);
        listCrossings(db, f, { sort: 'outcome', order: 'asc', offset: 0, limit: 40 }, CTX);
      }
    });
    const timed = seen.filter((s) => /FROM crossings c/.test(s.sql));
    expect(timed.length).toBeGreaterThan(5);
    for (const s of timed) {
      expect((s.sql.match(/c\.occurred_at >=? \?/g) ?? []).length, s.sql).toBeLessThanOrEqual(1);
      expect((s.sql.match(/c\.occurred_at <=? \?/g) ?? []).length, s.sql).toBeLessThanOrEqual(1);
    }
  });
});

describe('the desk database connection', () => {
  it('keeps 32 MiB of decrypted pages in its cache (SQLite\'s default is 2 MiB)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-cache-'));
    try {
      const db = createDatabase(join(dir, 'desk.db'), randomBytes(32));
      expect(db.pragma('cache_size', { simple: true })).toBe(-32768);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
