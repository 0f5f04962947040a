/**
 * The crossings browser in the engine (issue 14; electron/core/crossings/query.ts): every filter
 * (local days, checkpoint, officer, direction, outcome, list, band, decision after a correction,
 * flagged, document, name), the sorts and paging, the detail view, the audit of views and
 * searches (ids and hashes only), forEachCrossing's batches, the retention purge of the search
 * keys, and migration 0010's backfill of a desk's existing crossings. Made-up people only.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { AuditEntryView, CrossingsFilterInput, CrossingView, Traveler } from '../../shared/contract';
import type { Direction, Outcome } from '../../shared/domain';
import {
  countCrossings, crossingsByIds, forEachCrossing, listCrossings, searchAudit, type CrossingsContext, type CrossingsPage,
} from '../../electron/core/crossings/query';
import { NameScorer, NAME_FLOOR } from '../../electron/core/crossings/name-search';
import { entryVariants } from '../../electron/core/matching/keys';
import { migrate } from '../../electron/core/db/database';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { CrossingsFilterSchema } from '../../shared/contract';
import { setUpEngine, settledClient, statements } from './helpers';

const OFFICER = { username: 'off.niran', password: 'border desk shift 2' };
const OFFICER2 = { username: 'off.anong', password: 'border desk shift 3' };
const SUPERVISOR = { username: 'sup.malee', password: 'lists and versions 1' };
const AUDITOR = { username: 'aud.ploy', password: 'verify the chain 3' };

const WARRANTS = [
  'ID,Name,Date of birth,Nationality,Passport,Warrant',
  'W-1,Somchai Jaidee,1980-01-01,THA,AA1111111,จ.1234/2567',
  'W-2,Malee Examplename,1985-05-05,THA,AB2222222,จ.5678/2567',
].join('\n');
const WATCH = ['ID,Name,Date of birth,Nationality,Passport', 'M-1,Somchai Jaidee,1980-01-01,THA,AA1111111'].join('\n');

/** 1 March 2026, 10:00 in Bangkok (03:00 UTC). */
const T0 = Date.parse('2026-03-01T03:00:00Z');
const HOUR = 3_600_000;

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

/**
 * A desk (checkpoint Mae Sai, Asia/Bangkok) with a wanted list and a monitor list, two officers,
 * a supervisor and an auditor, on a clock the test moves.
 */
async function desk() {
  const clock = { now: T0 };
  const { engine, api: admin, dbPath } = await setUpEngine({ now: () => new Date(clock.now), idleTimeoutMs: 10 * 365 * 24 * HOUR });
  for (const [p, role] of [[OFFICER, 'officer'], [OFFICER2, 'officer'], [SUPERVISOR, 'supervisor'], [AUDITOR, 'auditor']] as const) {
    await admin.call('users.create', { ...p, roles: [role] });
  }
  const signedIn = async (p: { username: string; password: string }): Promise<ApiClient> => {
    const c = settledClient(engine);
    await c.call('auth.signIn', p);
    return c;
  };
  const niran = await signedIn(OFFICER);
  const anong = await signedIn(OFFICER2);
  const supervisor = await signedIn(SUPERVISOR);
  const auditor = await signedIn(AUDITOR);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  await supervisor.call('watchlists.import', { listName: 'Police warrants', kind: 'wanted', fileName: 'w.csv', contentBase64: b64(WARRANTS) });
  await supervisor.call('watchlists.import', { listName: 'Border watch', kind: 'monitor', fileName: 'm.csv', contentBase64: b64(WATCH) });
  const lists = await supervisor.call('watchlists.list');
  const listId = (name: string) => lists.find((l) => l.name === name)!.id;

  /**
   * Screens a traveler as `officer` at `at`, decides each hit that needs it (`decide` by entry id,
   * else not the same person) and records the crossing.
   */
  const cross = async (
    officer: ApiClient, at: number, t: Traveler, direction: Direction, outcome: Outcome,
    decide: Record<string, 'confirmed' | 'not-same-person'> = {}, note?: string,
  ): Promise<CrossingView> => {
    clock.now = at;
    const s = await officer.call('screening.screen', { traveler: t });
    for (const h of s.hits) {
      const d = decide[`${h.list}/${h.entryId}`];
      if (d || h.band !== 'weak') await officer.call('screening.decide', { hitId: h.hitId!, decision: d ?? 'not-same-person', note: `checked ${h.entryId}` });
    }
    return officer.call('crossings.record', { screeningId: s.screeningId, direction, outcome, note });
  };
  const audit = async (action: string): Promise<AuditEntryView[]> => (await admin.call('audit.list', { action, limit: 1000 })).entries;
  return { engine, dbPath, clock, admin, niran, anong, supervisor, auditor, listId, cross, audit };
}

type Desk = Awaited<ReturnType<typeof desk>>;

/** Ids of a crossings.list answer. */
const ids = (r: { crossings: CrossingView[] }): string[] => r.crossings.map((c) => c.id);

describe('crossings browser: filters, sorts, paging, detail and audit', () => {
  let d: Desk;
  /** The crossings recorded, by name. */
  const c: Record<string, CrossingView> = {};

  beforeAll(async () => {
    d = await desk();
    // A: both lists hit; confirmed on the warrants, not the same person on the watch list; held.
    c.somchai = await d.cross(d.niran, T0, { fullName: 'Somchai Jaidee', dateOfBirth: '1980-01-01', nationality: 'THA', documentNumber: 'AA1111111', documentIssuer: 'THA' }, 'entry', 'held', {
      'Police warrants/W-1': 'confirmed', 'Border watch/M-1': 'not-same-person',
    }, 'taken to the police post');
    // B: Thai script with a national ID, no hit.
    c.somying = await d.cross(d.anong, T0 + HOUR, { fullName: 'นางสาวสมหญิง รักไทย', nationalId: '1-1001-00001-00-1' }, 'exit', 'passed');
    // C: 1 March 19:30 UTC is 2 March 02:30 in Bangkok.
    c.john = await d.cross(d.niran, Date.parse('2026-03-01T19:30:00Z'), { givenNames: 'John', surname: 'Smith', documentNumber: 'x-123 456' }, 'exit', 'refused-entry');
    // D: a hit cleared (not the same person), recorded at another checkpoint name.
    d.engine.requireDb().prepare("UPDATE settings SET value = 'Chiang Khong' WHERE key = 'checkpoint.name'").run();
    c.malee = await d.cross(d.anong, T0 + 48 * HOUR, { fullName: 'Malee Examplename', dateOfBirth: '1985-05-05', nationality: 'THA', documentNumber: 'CC3333333' }, 'entry', 'passed');
    d.engine.requireDb().prepare("UPDATE settings SET value = 'Mae Sai' WHERE key = 'checkpoint.name'").run();
    d.clock.now = T0 + 72 * HOUR;
  }, 120_000);

  const list = (f: CrossingsFilterInput & { sort?: CrossingsPage['sort'] extends infer S ? Exclude<S, 'match'> : never; order?: 'asc' | 'desc'; offset?: number; limit?: number } = {}) =>
    d.supervisor.call('crossings.list', f);

  it('records each crossing with its hits: listed name, reference, decision, who decided and when', () => {
    expect(c.somchai!.hits.map((h) => [h.list, h.entryId, h.listedName, h.reference, h.decision, h.decidedBy]).sort()).toEqual([
      ['Border watch', 'M-1', 'Somchai Jaidee', null, 'not-same-person', OFFICER.username],
      ['Police warrants', 'W-1', 'Somchai Jaidee', 'จ.1234/2567', 'confirmed', OFFICER.username],
    ]);
    expect(c.somchai!.hits.every((h) => h.decidedAt === new Date(T0).toISOString())).toBe(true);
    expect(c.somchai!).toMatchObject({ flagged: true, purged: false, match: null, note: 'taken to the police post', officer: OFFICER.username });
    expect(c.somying!.hits).toEqual([]);
  });

  it('lists newest first with the total; pages by offset and limit', async () => {
    const all = await list();
    expect(all.total).toBe(4);
    expect(ids(all)).toEqual([c.malee!.id, c.john!.id, c.somying!.id, c.somchai!.id]);
    const page = await list({ offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(ids(page)).toEqual([c.john!.id, c.somying!.id]);
    expect(ids(await list({ order: 'asc' }))).toEqual([c.somchai!.id, c.somying!.id, c.john!.id, c.malee!.id]);
  });

  it('filters by local days in the checkpoint time zone', async () => {
    // 19:30 UTC on 1 March is 2 March in Bangkok.
    expect(ids(await list({ from: '2026-03-01', to: '2026-03-01' }))).toEqual([c.somying!.id, c.somchai!.id]);
    expect(ids(await list({ from: '2026-03-02', to: '2026-03-02' }))).toEqual([c.john!.id]);
    expect(ids(await list({ from: '2026-03-03' }))).toEqual([c.malee!.id]);
    expect((await list({ to: '2026-02-28' })).total).toBe(0);
  });

  it('filters by checkpoint and officer without regard to case, by direction, outcome and flagged', async () => {
    expect(ids(await list({ checkpoint: 'chiang KHONG' }))).toEqual([c.malee!.id]);
    expect((await list({ checkpoint: 'mae sai' })).total).toBe(3);
    expect(ids(await list({ officer: 'OFF.NIRAN' }))).toEqual([c.john!.id, c.somchai!.id]);
    expect((await list({ officer: 'nobody' })).total).toBe(0);
    expect(ids(await list({ direction: 'exit' }))).toEqual([c.john!.id, c.somying!.id]);
    expect(ids(await list({ outcome: 'refused-entry' }))).toEqual([c.john!.id]);
    expect(ids(await list({ direction: 'exit', outcome: 'passed' }))).toEqual([c.somying!.id]);
    expect(ids(await list({ flaggedOnly: true }))).toEqual(
      [c.malee!, c.somchai!].filter((x) => x.flagged).map((x) => x.id),
    );
    expect(ids(await list({ flaggedOnly: true, officer: 'off.niran', direction: 'entry', checkpoint: 'Mae Sai' }))).toEqual([c.somchai!.id]);
  });

  it('filters by list (id or name), band and decision: one hit must meet all three', async () => {
    const warrants = d.listId('Police warrants');
    expect(ids(await list({ list: warrants }))).toEqual([c.malee!.id, c.somchai!.id]);
    expect(ids(await list({ list: 'police WARRANTS', decision: 'confirmed' }))).toEqual([c.somchai!.id]);
    expect(ids(await list({ list: 'Border watch', decision: 'not-same-person' }))).toEqual([c.somchai!.id]);
    // Somchai's not-same-person hit is on the watch list, not on the warrants.
    expect(ids(await list({ list: 'Police warrants', decision: 'not-same-person' }))).toEqual([c.malee!.id]);
    const band = c.somchai!.hits.find((h) => h.list === 'Border watch')!.band;
    expect(ids(await list({ list: 'Border watch', band, decision: 'confirmed' }))).toEqual([]);
    expect(ids(await list({ band, decision: 'confirmed' }))).toEqual(c.somchai!.hits.some((h) => h.band === band && h.decision === 'confirmed') ? [c.somchai!.id] : []);
    expect((await list({ list: 'no such list' })).total).toBe(0);
    // With a crossing filter beside it, and paged.
    expect(ids(await list({ list: 'Police warrants', direction: 'entry', officer: 'off.anong' }))).toEqual([c.malee!.id]);
    expect(await list({ list: 'Police warrants', limit: 1, offset: 1 })).toMatchObject({ total: 2, crossings: [{ id: c.somchai!.id }] });
  });

  it('filters by the current decision after a supervisor correction', async () => {
    const hit = c.malee!.hits[0]!;
    await d.supervisor.call('screening.correct', { hitId: hit.hitId, decision: 'confirmed', reason: 'the police confirmed the match' });
    try {
      expect(ids(await list({ decision: 'confirmed' }))).toEqual([c.malee!.id, c.somchai!.id]);
      const after = (await list({ decision: 'confirmed', list: 'Police warrants', officer: 'off.anong' })).crossings[0]!;
      expect(after.hits[0]).toMatchObject({ decision: 'confirmed', decidedBy: SUPERVISOR.username, correction: { correctedBy: SUPERVISOR.username, count: 1 } });
    } finally {
      await d.supervisor.call('screening.correct', { hitId: hit.hitId, decision: 'not-same-person', reason: 'back as it was' });
    }
    expect(ids(await list({ decision: 'confirmed' }))).toEqual([c.somchai!.id]);
  });

  it('sorts by top score, officer, direction and outcome, ties by time then id', async () => {
    const byScore = (await list({ sort: 'topScore' })).crossings;
    const top = (x: CrossingView) => Math.max(0, ...x.hits.map((h) => h.score));
    expect(byScore.map(top)).toEqual(byScore.map(top).sort((a, b) => b - a));
    // No hits: 0, newest first among them.
    expect(ids({ crossings: byScore.slice(2) })).toEqual([c.john!.id, c.somying!.id]);
    expect(ids(await list({ sort: 'officer', order: 'asc' }))).toEqual([c.somying!.id, c.malee!.id, c.somchai!.id, c.john!.id]);
    expect(ids(await list({ sort: 'officer', order: 'desc' }))).toEqual([c.john!.id, c.somchai!.id, c.malee!.id, c.somying!.id]);
    expect(ids(await list({ sort: 'direction', order: 'asc' }))).toEqual([c.somchai!.id, c.malee!.id, c.somying!.id, c.john!.id]);
    expect(ids(await list({ sort: 'outcome', order: 'asc' }))).toEqual([c.somchai!.id, c.somying!.id, c.malee!.id, c.john!.id]);
    expect(ids(await list({ sort: 'outcome', order: 'asc', limit: 2, offset: 1 }))).toEqual([c.somying!.id, c.malee!.id]);
  });

  it('finds by passport number or national ID, exact after removing spaces and dashes, in any case; audited with a hash', async () => {
    expect(ids(await list({ document: 'X 123-456' }))).toEqual([c.john!.id]);
    expect(ids(await list({ document: 'aa1111111' }))).toEqual([c.somchai!.id]);
    expect(ids(await list({ document: '1100100001001' }))).toEqual([c.somying!.id]);
    expect((await list({ document: 'X12345' })).total).toBe(0);
    expect((await list({ document: '--' })).total).toBe(0);
    const rows = await d.audit('crossings.search');
    const last = rows[0]!;
    expect(last.actorName).toBe(SUPERVISOR.username);
    expect(last.details).toEqual({ fields: ['document'], queryHash: searchAudit({ document: '--' })!.queryHash, total: 0, shown: [] });
    const found = rows.find((r) => (r.details as { shown: string[] }).shown.includes(c.john!.id))!;
    expect(found.details).toMatchObject({ fields: ['document'], queryHash: searchAudit({ document: 'X123456' })!.queryHash, total: 1 });
    // No document number or name in the trail.
    const all = JSON.stringify(await d.audit('crossings.search'));
    for (const secret of ['X123456', 'x-123 456', 'AA1111111', 'aa1111111', '1100100001001', 'Smith']) expect(all).not.toContain(secret);
  });

  it('finds by name through the matcher: other script, order, titles, typos; a namesake sharing one part is not found', async () => {
    const names = async (name: string) => (await list({ name })).crossings.map((x) => [x.id, x.match] as const);
    for (const q of ['Somchai Jaidee', 'สมชาย ใจดี', 'Jaidee Somchai', 'Mr. Somchai Jaidee', 'Somchia Jaidee', 'SOMCHAI JAIDEE', 'Somchai Jaidi']) {
      const r = await names(q);
      expect(r.map(([id]) => id), q).toEqual([c.somchai!.id]);
      expect(r[0]![1], q).toBeGreaterThanOrEqual(NAME_FLOOR);
    }
    // Thai script stored, romanized searched; title stripped from the stored name.
    expect((await names('Somying Rakthai')).map(([id]) => id)).toEqual([c.somying!.id]);
    expect((await names('สมหญิง รักไทย'))[0]).toEqual([c.somying!.id, 1]);
    // One name part alone finds every traveler bearing it.
    expect((await names('Smith')).map(([id]) => id)).toEqual([c.john!.id]);
    expect(await names('Somchai Rakthai')).toEqual([]);
    expect(await names('Nobody Atall')).toEqual([]);
    // With the other filters.
    expect(await names('Somchai Jaidee').then(() => list({ name: 'Somchai Jaidee', direction: 'exit' }))).toMatchObject({ total: 0 });
    const audited = (await d.audit('crossings.search')).find((r) => (r.details as { fields: string[] }).fields.includes('name'))!;
    expect(JSON.stringify(audited.details)).not.toMatch(/somchai|jaidee|สมชาย|smith|nobody/i);
  });

  it('ranks a name search best match first, and by the asked sort when there is one', async () => {
    const r = await list({ name: 'Somchai Jaidee Rakthai' });
    expect(r.crossings.map((x) => x.match)).toEqual([...r.crossings.map((x) => x.match)].sort((a, b) => b! - a!));
    const asked = await list({ name: 'Smith', sort: 'time', order: 'asc' });
    expect(ids(asked)).toEqual([c.john!.id]);
  });

  it('shows one crossing with everything about it, audited as crossing.view; unknown ids are not found', async () => {
    const detail = await d.auditor.call('crossings.get', { id: c.somchai!.id });
    expect(detail).toMatchObject({
      id: c.somchai!.id, note: 'taken to the police post', outcome: 'held', travelerName: 'Somchai Jaidee', purged: false,
      screeningId: expect.any(String) as string, screenedAt: new Date(T0).toISOString(),
    });
    const w1 = detail.hits.find((h) => h.entryId === 'W-1')!;
    expect(w1).toMatchObject({ list: 'Police warrants', decision: 'confirmed', decidedBy: OFFICER.username, note: 'checked W-1', entry: { reference: 'จ.1234/2567' } });
    expect(w1.explanation.nameScore).toBeGreaterThan(0.9);
    expect(detail.listVersions.map((v) => [v.list, v.number]).sort()).toEqual([['Border watch', 1], ['Police warrants', 1]]);
    const views = await d.audit('crossing.view');
    expect(views[0]).toMatchObject({ actorName: AUDITOR.username, subject: c.somchai!.id, details: {} });
    expect((await refusal(d.auditor.call('crossings.get', { id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('not_found');
  });

  it('streams every match in batches newest first, as the page order and count say', () => {
    const db = d.engine.requireDb();
    const ctx: CrossingsContext = { viewer: { userId: 'x', roles: ['auditor'] }, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now: new Date(T0 + 72 * HOUR) };
    for (const f of [{}, { list: 'Police warrants' }, { name: 'Somchai' }, { direction: 'exit' as const, outcome: 'passed' as const }]) {
      const filter = CrossingsFilterSchema.parse(f);
      const batches: string[][] = [];
      const n = forEachCrossing(db, filter, ctx, (b) => batches.push(b.map((x) => x.id)), 2);
      const page = listCrossings(db, filter, { sort: 'time', order: 'desc', offset: 0, limit: 100 }, ctx);
      expect(batches.flat(), JSON.stringify(f)).toEqual(ids(page));
      expect(n).toBe(page.total);
      expect(countCrossings(db, filter, ctx)).toBe(page.total);
      expect(batches.every((b) => b.length <= 2 && b.length > 0)).toBe(true);
    }
    // Inside a caller's transaction (an export's snapshot).
    const inTx = db.transaction(() => forEachCrossing(db, CrossingsFilterSchema.parse({}), ctx, () => undefined, 3))();
    expect(inTx).toBe(4);
  });
});

describe('name scoring', () => {
  it('scores the matcher way: reordered, romanized, typo above the floor; one shared part below', () => {
    const s = new NameScorer('Somchai Jaidee');
    const m = (name: string) => s.score(entryVariants([name]));
    expect(m('Jaidee Somchai').score).toBe(1);
    expect(m('สมชาย ใจดี').score).toBeGreaterThanOrEqual(NAME_FLOOR);
    expect(m('Somchia Jaidee').score).toBeGreaterThanOrEqual(NAME_FLOOR);
    expect(NameScorer.found(m('Somchai Rakthai'))).toBe(false);
    expect(NameScorer.found(m('Somchai Jaidee Rakthai'))).toBe(true);
    expect(NameScorer.found(new NameScorer('Jaidee').score(entryVariants(['Somchai Jaidee'])))).toBe(true);
  });
});

describe('retention purge and the search keys', () => {
  it('blanks the name and document keys of purged crossings: no longer found by name or document', async () => {
    const d = await desk();
    const old = await d.cross(d.niran, T0, { fullName: 'Somchai Jaidee', documentNumber: 'ZZ9999999', nationalId: '3100100001001' }, 'entry', 'passed');
    const kept = await d.cross(d.niran, T0 + 40 * 24 * HOUR, { fullName: 'Somchai Jaidee', documentNumber: 'ZZ8888888' }, 'entry', 'passed');
    const db = d.engine.requireDb();
    const seqOf = (id: string) => db.prepare('SELECT seq FROM crossings WHERE id = ?').pluck().get(id) as number;
    const keyRows = (id: string) => db.prepare('SELECT count(*) FROM crossing_name_keys WHERE seq = ?').pluck().get(seqOf(id)) as number;
    expect(keyRows(old.id)).toBeGreaterThan(0);
    expect(ids(await d.supervisor.call('crossings.list', { name: 'Somchai Jaidee' })).sort()).toEqual([old.id, kept.id].sort());
    await d.admin.call('settings.update', { retentionDays: 30 });
    await d.admin.call('retention.purge', {});
    expect(keyRows(old.id)).toBe(0);
    expect(keyRows(kept.id)).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM crossing_names WHERE seq = ?').pluck().get(seqOf(old.id))).toBe(0);
    expect(db.prepare('SELECT document_key, national_id_key FROM crossings WHERE id = ?').get(old.id)).toEqual({ document_key: null, national_id_key: null });
    expect(ids(await d.supervisor.call('crossings.list', { name: 'Somchai Jaidee' }))).toEqual([kept.id]);
    expect((await d.supervisor.call('crossings.list', { document: 'ZZ9999999' })).total).toBe(0);
    expect((await d.supervisor.call('crossings.list', { document: '3100100001001' })).total).toBe(0);
    const purged = (await d.supervisor.call('crossings.list', {})).crossings.find((x) => x.id === old.id)!;
    expect(purged).toMatchObject({ purged: true, travelerName: '', note: null });
  }, 60_000);
});

describe('migration 0010', () => {
  it('fills the browser columns and search keys of crossings recorded before it', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const m of MIGRATIONS.filter((x) => x.version < 10)) db.exec(m.sql);
    db.pragma('user_version = 9');
    const at = '2026-03-01T03:00:00.000Z';
    db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES ('u1', 'off.niran', 'x', '[\"officer\"]', ?)").run(at);
    db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES ('l1', 'Police warrants', 'wanted', ?, 'u1')").run(at);
    db.prepare("INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by) VALUES ('v1', 'l1', 1, 'w.csv', 'x', '{}', 1, 1, 0, 'published', ?, 'u1')").run(at);
    db.prepare("INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents) VALUES ('e1', 'v1', 'W-1', 2, 'h', '[{\"name\":\"Somchai Jaidee\",\"kind\":\"primary\"}]', '[]', '[]')").run();
    const screen = (id: string, traveler: Traveler) =>
      db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, 'u1', ?, '[\"v1\"]')").run(id, at, JSON.stringify(traveler));
    screen('s1', { fullName: 'สมชาย ใจดี', documentNumber: 'aa-111 1111' });
    screen('s2', { fullName: 'John Smith' });
    db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES ('h1', 's1', 'e1', 0.97, 'strong', '{}', 'arrest'), ('h2', 's1', 'e1', 0.8, 'review', '{}', 'arrest')").run();
    const record = (id: string, s: string, when: string) =>
      db.prepare("INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged) VALUES (?, ?, ?, 'Asia/Bangkok', 'Mae Sai', 'entry', 'held', 'u1', 1)").run(id, s, when);
    record('c1', 's1', at);
    record('c2', 's2', '2026-03-02T03:00:00.000Z');
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id, seq, top_score, top_band, document_key FROM crossings ORDER BY occurred_at').all()).toEqual([
      { id: 'c1', seq: 1, top_score: 0.97, top_band: 'strong', document_key: 'AA1111111' },
      { id: 'c2', seq: 2, top_score: 0, top_band: null, document_key: null },
    ]);
    expect(db.prepare('SELECT id, list_id, crossing_id, crossing_at FROM hits ORDER BY id').all()).toEqual([
      { id: 'h1', list_id: 'l1', crossing_id: 'c1', crossing_at: at },
      { id: 'h2', list_id: 'l1', crossing_id: 'c1', crossing_at: at },
    ]);
    const ctx: CrossingsContext = { viewer: { userId: 'x', roles: ['supervisor'] }, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now: new Date(at) };
    const page = { sort: 'match', order: 'desc', offset: 0, limit: 10 } as const;
    const found = listCrossings(db, CrossingsFilterSchema.parse({ name: 'Somchai Jaidee' }), page, ctx);
    expect(found.crossings.map((x) => x.id)).toEqual(['c1']);
    expect(listCrossings(db, CrossingsFilterSchema.parse({ list: 'police warrants', band: 'review' }), page, ctx).crossings.map((x) => x.id)).toEqual(['c1']);
    // A crossing recorded after the migration gets the next number, its hits their crossing.
    screen('s3', { fullName: 'Malee Examplename' });
    db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action) VALUES ('h3', 's3', 'e1', 0.7, 'weak', '{}', 'arrest')").run();
    record('c3', 's3', '2026-03-03T03:00:00.000Z');
    expect(db.prepare("SELECT seq, top_score, top_band FROM crossings WHERE id = 'c3'").get()).toEqual({ seq: 3, top_score: 0.7, top_band: 'weak' });
    expect(db.prepare("SELECT list_id, crossing_id FROM hits WHERE id = 'h3'").get()).toEqual({ list_id: 'l1', crossing_id: 'c3' });
    expect(crossingsByIds(db, ['c3', 'c1']).map((x) => x.id)).toEqual(['c3', 'c1']);
    // Migration 11: the day counts by whether the crossing had a hit, kept by the trigger for new crossings.
    expect(db.prepare('SELECT day, scored, n FROM crossing_days ORDER BY day').all()).toEqual([
      { day: '2026-03-01', scored: 1, n: 1 }, { day: '2026-03-02', scored: 0, n: 1 }, { day: '2026-03-03', scored: 1, n: 1 },
    ]);
    db.close();
  });
});

describe('every filter, sort and page against a plain reference', () => {
  it('gives the same totals and pages as filtering all rows in memory (day counts, deep pages, hits, scope)', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const at0 = '2026-01-01T00:00:00.000Z';
    const users = ['off.a', 'OFF.b', 'off.c'].map((u, i) => {
      db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', '[\"officer\"]', ?)").run(`u${i}`, u, at0);
      return { id: `u${i}`, username: u };
    });
    for (const l of ['l1', 'l2']) {
      db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, ?, 'wanted', ?, 'u0')").run(l, `List ${l}`, at0);
      db.prepare("INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, created_at, created_by) VALUES (?, ?, 1, 'f', 'x', '{}', 1, 1, 0, 'published', ?, 'u0')").run(`v${l}`, l, at0);
      db.prepare("INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents) VALUES (?, ?, 'E', 2, 'h', '[{\"name\":\"X Y\",\"kind\":\"primary\"}]', '[]', '[]')").run(`e${l}`, `v${l}`);
    }
    interface Row { id: string; at: string; checkpoint: string; officer: string; direction: Direction; outcome: Outcome; flagged: number; top: number; hits: { list: string; band: string; decision: string }[] }
    const rows: Row[] = [];
    const base = Date.parse('2026-02-01T00:00:00Z');
    const insS = db.prepare("INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions) VALUES (?, ?, ?, '{}', '[]')");
    const insH = db.prepare("INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action, decision) VALUES (?, ?, ?, ?, ?, '{}', 'a', ?)");
    const insC = db.prepare('INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 3000; i++) {
      // About 60 days; some crossings share a time (ties broken by id).
      const at = new Date(base + Math.floor(rand() * 60 * 96) * 900_000).toISOString();
      const id = `c${String(i).padStart(5, '0')}-${Math.floor(rand() * 1e6)}`;
      const hits = rand() < 0.3 ? Array.from({ length: rand() < 0.5 ? 1 : 2 }, () => ({ list: pick(['l1', 'l2']), band: pick(['strong', 'review', 'weak']), decision: pick(['undecided', 'confirmed', 'not-same-person']), score: Math.round(rand() * 100) / 100 })) : [];
      insS.run(`s${i}`, at, 'u0');
      hits.forEach((h, k) => insH.run(`h${i}-${k}`, `s${i}`, `e${h.list}`, h.score, h.band, h.decision));
      const r: Row = {
        id, at, checkpoint: pick(['Mae Sai', 'mae sai', 'Nong Khai']), officer: pick(users).id, direction: pick(['entry', 'exit'] as const),
        outcome: pick(['passed', 'passed', 'held', 'refused-entry', 'referred'] as const), flagged: hits.some((h) => h.band !== 'weak') ? 1 : 0,
        top: Math.max(0, ...hits.map((h) => h.score)), hits,
      };
      insC.run(id, `s${i}`, at, 'Asia/Bangkok', r.checkpoint, r.direction, r.outcome, r.officer, r.flagged);
      rows.push(r);
    }
    const tz = 'Asia/Bangkok';
    const now = new Date('2026-03-31T12:00:00Z');
    const bound = (day: string, end = false): string => new Date(Date.parse(`${day}T00:00:00+07:00`) + (end ? 86_400_000 - 1 : 0)).toISOString();
    const reference = (f: CrossingsFilterInput, viewer: string | null): Row[] => rows.filter((r) =>
      (!viewer || r.officer === viewer || (r.checkpoint.toLowerCase() === 'mae sai' && r.at >= new Date(now.getTime() - 24 * HOUR).toISOString()))
      && (!f.from || r.at >= bound(f.from)) && (!f.to || r.at <= bound(f.to, true))
      && (!f.checkpoint || r.checkpoint.toLowerCase() === f.checkpoint.toLowerCase())
      && (!f.officer || users.find((u) => u.id === r.officer)!.username.toLowerCase() === f.officer.toLowerCase())
      && (!f.direction || r.direction === f.direction) && (!f.outcome || r.outcome === f.outcome) && (!f.flaggedOnly || r.flagged === 1)
      && (!(f.list || f.band || f.decision) || r.hits.some((h) => (!f.list || `List ${h.list}` === f.list) && (!f.band || h.band === f.band) && (!f.decision || h.decision === f.decision))));
    const sortKey = (r: Row, sort: string): string | number => sort === 'topScore' ? r.top : sort === 'officer' ? users.find((u) => u.id === r.officer)!.username.toLowerCase()
      : sort === 'direction' ? r.direction : sort === 'outcome' ? r.outcome : '';
    const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);
    const filters: CrossingsFilterInput[] = [
      {}, { from: '2026-02-03', to: '2026-03-29' }, { from: '2026-02-10', to: '2026-02-20' }, { from: '2026-03-01' }, { to: '2026-02-05' }, { from: '2026-02-07', to: '2026-02-07' },
      { direction: 'exit' }, { outcome: 'held', direction: 'entry' }, { checkpoint: 'MAE SAI', from: '2026-02-03', to: '2026-03-20' },
      { officer: 'off.b', flaggedOnly: true }, { flaggedOnly: true, from: '2026-02-15' }, { list: 'List l1' }, { list: 'List l2', decision: 'confirmed' },
      { band: 'strong', direction: 'exit', from: '2026-02-10' }, { decision: 'undecided', officer: 'OFF.A', checkpoint: 'nong khai' },
      { outcome: 'passed', checkpoint: 'Mae Sai', officer: 'off.c', direction: 'entry', flaggedOnly: true, to: '2026-03-15' },
    ];
    const pages: CrossingsPage[] = [
      { sort: 'time', order: 'desc', offset: 0, limit: 50 }, { sort: 'time', order: 'asc', offset: 10, limit: 25 },
      { sort: 'time', order: 'desc', offset: 2100, limit: 40 }, { sort: 'time', order: 'asc', offset: 2500, limit: 40 },
      { sort: 'topScore', order: 'desc', offset: 5, limit: 30 }, { sort: 'officer', order: 'asc', offset: 0, limit: 30 },
      // Top score: the crossings with a hit first (descending) or last, and the pages across that edge and past it.
      { sort: 'topScore', order: 'asc', offset: 0, limit: 30 }, { sort: 'topScore', order: 'desc', offset: 880, limit: 60 },
      { sort: 'topScore', order: 'asc', offset: 2090, limit: 40 }, { sort: 'topScore', order: 'desc', offset: 2400, limit: 40 },
      { sort: 'direction', order: 'desc', offset: 100, limit: 30 }, { sort: 'outcome', order: 'asc', offset: 3, limit: 30 },
    ];
    for (const viewer of [null, 'u1']) {
      const ctx: CrossingsContext = { viewer: viewer ? { userId: viewer, roles: ['officer'] } : { userId: 'x', roles: ['auditor'] }, timeZone: tz, checkpoint: 'Mae Sai', now };
      for (const fi of filters) {
        const f = CrossingsFilterSchema.parse(fi);
        const want = reference(fi, viewer);
        expect(countCrossings(db, f, ctx), JSON.stringify({ fi, viewer })).toBe(want.length);
        for (const pg of pages) {
          const sign = pg.order === 'asc' ? 1 : -1;
          const sorted = [...want].sort((a, b) => sign * (cmp(sortKey(a, pg.sort), sortKey(b, pg.sort)) || cmp(a.at, b.at) || cmp(a.id, b.id)));
          const got = listCrossings(db, f, pg, ctx);
          expect(got.total).toBe(want.length);
          expect(got.crossings.map((c) => c.id), JSON.stringify({ fi, viewer, pg })).toEqual(sorted.slice(pg.offset, pg.offset + pg.limit).map((r) => r.id));
        }
        const streamed: string[] = [];
        forEachCrossing(db, f, ctx, (b) => streamed.push(...b.map((c) => c.id)), 97);
        expect(streamed).toEqual([...want].sort((a, b) => -(cmp(a.at, b.at) || cmp(a.id, b.id))).map((r) => r.id));
      }
    }
    db.close();
  }, 60_000);
});

describe('query plans', () => {
  it('reads only covering indexes for every total, page and batch of the filters (no table row but the page shown)', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES ('u1', 'off.a', 'x', '[]', '2026-01-01')").run();
    db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES ('l1', 'List', 'wanted', '2026-01-01', 'u1')").run();
    const now = new Date('2026-03-31T12:00:00Z');
    const filters: CrossingsFilterInput[] = [
      {}, { from: '2026-02-03', to: '2026-03-29' }, { direction: 'exit' }, { outcome: 'held', direction: 'entry' }, { officer: 'off.a', flaggedOnly: true },
      { checkpoint: 'mae sai', outcome: 'held', from: '2026-03-01' }, { list: 'List' }, { list: 'List', band: 'strong', direction: 'exit' }, { decision: 'confirmed', to: '2026-03-01' },
    ];
    // Every statement the browser prepares, with the parameters it ran with.
    const seen = statements(db, () => {
      for (const viewer of [{ userId: 'x', roles: ['auditor'] }, { userId: 'u1', roles: ['officer'] }]) {
        const ctx: CrossingsContext = { viewer, timeZone: 'Asia/Bangkok', checkpoint: 'Mae Sai', now };
        for (const fi of filters) {
          const f = CrossingsFilterSchema.parse(fi);
          for (const sort of ['time', 'topScore', 'officer', 'direction', 'outcome'] as const) {
            for (const offset of [0, 5000]) listCrossings(db, f, { sort, order: 'desc', offset, limit: 100 }, ctx);
          }
          forEachCrossing(db, f, ctx, () => undefined, 10);
        }
      }
    });
    // Of crossings and hits (crossing_days is the small table of counts, read whole where no day bounds it).
    const checked = seen.filter((s) => /^SELECT (count|c\.id|h\.crossing_id)/.test(s.sql.trim()) && !s.sql.includes('json_each') && !s.sql.includes('crossing_days'));
    expect(checked.length).toBeGreaterThan(100);
    for (const s of checked) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.args) as { detail: string }[]).map((r) => r.detail);
      const reads = plan.filter((d) => /^(SCAN|SEARCH) (c|h)\b/.test(d));
      expect(reads.length, s.sql).toBeGreaterThan(0);
      for (const d of reads) expect(d, `${s.sql}\n${plan.join('\n')}`).toMatch(/COVERING INDEX|PRIMARY KEY/);
    }
    db.close();
  });
});
