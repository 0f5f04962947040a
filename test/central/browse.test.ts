/**
 * Department-wide reading of crossings at the centre (issue 16 "Department-wide work";
 * electron/core/central/browse.ts), against a real PostgreSQL started by the test: two checkpoint
 * desks (North in Asia/Bangkok, South in America/New_York) record crossings and push them; an
 * auditing desk reads both checkpoints' with every filter (checkpoint, flagged, outcome, local
 * days in each crossing's own time zone, the latest decision after a correction pushed as a hit
 * event, paging); a plain desk's login is given only its own checkpoint's rows by row-level
 * security (the same SQL, run as that login and as the superuser); an officer is refused by the
 * role matrix; each query and export is audited on the desk without names; the export reads back
 * and neutralizes a traveler name that looks like a formula.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { initCentral } from '../../electron/core/central/admin';
import { allCentralCrossings, centralCrossings, crossingsWhere } from '../../electron/core/central/browse';
import { type CentralTarget } from '../../electron/core/central/connect';
import { deskCentral } from '../../electron/core/central/desk-config';
import { cellText, readSpreadsheet } from '../../electron/core/spreadsheet/read';
import { PASSPHRASE, PASSWORD, settledClient } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for browsing';
const FORMULA_NAME = '=HYPERLINK("http://x","y")';
const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

let centre: TestCentre;
const desks: TestDesk[] = [];

/** Screens a made-up traveler at `at` and records a crossing; hits that must be decided get `decision`. */
async function cross(d: TestDesk, at: string, traveler: { fullName: string; dateOfBirth?: string }, decision: 'confirmed' | 'not-same-person', outcome: 'passed' | 'held'): Promise<string> {
  d.clock.t = Date.parse(at);
  const s = await d.api.call('screening.screen', { traveler });
  for (const h of s.hits.filter((x) => x.hitId && x.band !== 'weak')) await d.api.call('screening.decide', { hitId: h.hitId!, decision });
  return (await d.api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome })).id;
}

const withClient = withCentral;
const failure = callFailure;
/** A new desk on its own clock (starting at `opts.at`), joined to the centre. */
const joinDesk = (name: string, checkpoint: string, timeZone: string, opts: { auditor?: boolean; withList?: boolean; at: string }) =>
  joinTestDesk(centre, desks, name, checkpoint, { ...opts, timeZone });

function auditRows(d: TestDesk, action: string): { details: string }[] {
  return d.engine.requireDb().prepare('SELECT details FROM audit WHERE action = ? ORDER BY seq').all(action) as { details: string }[];
}

let north: TestDesk;
let south: TestDesk;
let hq: TestDesk;
/** Crossing ids: North a1 (held, confirmed strong hit), a2 (passed, no hit); South b1 (strong hit cleared, later corrected), b2 (formula-looking name). */
const ids: Record<'a1' | 'a2' | 'b1' | 'b2', string> = { a1: '', a2: '', b1: '', b2: '' };

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
  north = await joinDesk('Gate N1', 'North', 'Asia/Bangkok', { withList: true, at: '2025-03-01T01:00:00Z' });
  south = await joinDesk('Gate S1', 'South', 'America/New_York', { withList: true, at: '2025-03-01T01:00:00Z' });
  hq = await joinDesk('Audit 1', 'Headquarters', 'UTC', { auditor: true, at: '2025-03-01T01:00:00Z' });

  // North (UTC+7): a2 is 1 March there, a1 is 2 March there. South (UTC-5): b1 is 1 March there, b2 2 March.
  ids.a2 = await cross(north, '2025-03-01T10:00:00Z', { fullName: 'Quxley Nobody' }, 'confirmed', 'passed');
  ids.a1 = await cross(north, '2025-03-01T20:00:00Z', { fullName: 'Sompong Thotsobdi', dateOfBirth: '1987-03-14' }, 'confirmed', 'held');
  ids.b1 = await cross(south, '2025-03-01T20:00:00Z', { fullName: 'Sompong Thotsobdi', dateOfBirth: '1987-03-14' }, 'not-same-person', 'passed');
  ids.b2 = await cross(south, '2025-03-02T12:00:00Z', { fullName: FORMULA_NAME }, 'confirmed', 'passed');
  for (const d of [north, south, hq]) {
    d.clock.t = Date.parse('2025-03-02T13:00:00Z');
    await d.api.call('central.sync', {});
  }
}, 240_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('department-wide crossings at the centre', () => {
  it('gives an auditing desk every checkpoint, newest first, paged, audited without names', async () => {
    expect((await hq.api.call('central.status', {})).auditor).toBe(true);
    expect((await north.api.call('central.status', {})).auditor).toBe(false);
    const r = await hq.api.call('central.crossings', {});
    expect(r.scope).toBe('department');
    expect(r.total).toBe(4);
    // Newest first; a1 and b1 share an instant and are then ordered by id, descending.
    const sameInstant = [ids.a1, ids.b1].sort().reverse();
    expect(r.crossings.map((c) => c.id)).toEqual([ids.b2, ...sameInstant, ids.a2]);
    expect(r.checkpoints).toEqual(['Headquarters', 'North', 'South']);

    const a1 = r.crossings.find((c) => c.id === ids.a1)!;
    expect(a1).toMatchObject({ checkpoint: 'North', desk: 'Gate N1', officer: 'admin', outcome: 'held', flagged: true, timeZone: 'Asia/Bangkok', travelerName: 'Sompong Thotsobdi', purged: false });
    expect(a1.hits[0]).toMatchObject({ list: 'Warrants', band: 'strong', decision: 'confirmed', decidedBy: 'admin' });
    expect(a1.hits[0]!.listedName).toBeTruthy();
    // The hit shows the list's own id, as the desk's hit does, never the desk's internal entry UUID.
    const deskHit = (await north.api.call('crossings.list', {})).crossings.find((c) => c.id === ids.a1)!.hits[0]!;
    expect(a1.hits[0]!.entryId).toBe(deskHit.entryId);
    expect(a1.hits[0]!.entryId).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(a1.hits[0]!.entryKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(r.crossings.find((c) => c.id === ids.a2)!.hits).toEqual([]);

    const page = await hq.api.call('central.crossings', { offset: 3, limit: 2 });
    expect(page).toMatchObject({ total: 4, offset: 3, limit: 2 });
    expect(page.crossings.map((c) => c.id)).toEqual([ids.a2]);

    // Each query is one audit row on the desk: scope, filter, page and counts; never a name read.
    const rows = auditRows(hq, 'central.crossings');
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1]!.details)).toEqual({ scope: 'department', filter: {}, offset: 3, limit: 2, total: 4, rows: 1 });
    expect(rows.map((x) => x.details).join()).not.toMatch(/Sompong|Quxley|HYPERLINK/i);
  });

  it('filters by checkpoint, flag, outcome, officer and local days in each crossing\'s own time zone', async () => {
    const q = async (f: Parameters<ApiClient['call']>[1] & object) =>
      (await hq.api.call('central.crossings', f as never)).crossings.map((c) => c.id).sort();
    expect(await q({ checkpoint: 'north' })).toEqual([ids.a1, ids.a2].sort());
    expect(await q({ checkpoint: 'South' })).toEqual([ids.b1, ids.b2].sort());
    // A misspelt checkpoint is refused with the department's names, not answered with nothing.
    const unknown = await failure(hq.api.call('central.crossings', { checkpoint: 'Nowhere' }));
    expect(unknown).toMatchObject({ code: 'bad_input', reason: 'central.unknownCheckpoint', params: { checkpoints: 'Headquarters, North, South' } });
    expect((await failure(hq.api.call('central.crossingsExport', { format: 'csv', checkpoint: 'Nowhere' }))).reason).toBe('central.unknownCheckpoint');
    expect(await q({ flaggedOnly: true })).toEqual([ids.a1, ids.b1].sort());
    expect(await q({ outcome: 'held' })).toEqual([ids.a1]);
    expect(await q({ officer: 'ADMIN', direction: 'entry' })).toHaveLength(4);
    expect(await q({ officer: 'someone-else' })).toEqual([]);
    // 2 March local: a1 (03:00 in Bangkok) and b2 (07:00 in New York); a2 and b1 were 1 March there.
    expect(await q({ from: '2025-03-02', to: '2025-03-02' })).toEqual([ids.a1, ids.b2].sort());
    expect(await q({ to: '2025-03-01' })).toEqual([ids.a2, ids.b1].sort());
    expect(await q({ from: '2025-03-03' })).toEqual([]);
    expect(await q({ list: 'warrants', band: 'strong' })).toEqual([ids.a1, ids.b1].sort());
    expect(await q({ band: 'weak' })).toEqual([]);
    expect(await q({ decision: 'not-same-person' })).toEqual([ids.b1]);
    expect(await q({ decision: 'confirmed', checkpoint: 'North' })).toEqual([ids.a1]);
    // A reversed range is refused by the contract.
    const e = await failure(hq.api.call('central.crossings', { from: '2025-03-02', to: '2025-03-01' }));
    expect(e.code).toBe('invalid_request');
  });

  it('takes a hit\'s latest decision: a correction made after the push arrives as a hit event and replaces it', async () => {
    const hit = (await south.api.call('crossings.list', {})).crossings.find((c) => c.id === ids.b1)!.hits[0]!;
    expect(hit.decision).toBe('not-same-person');
    south.clock.t = Date.parse('2025-03-02T14:00:00Z');
    await south.api.call('screening.correct', { hitId: hit.hitId, decision: 'confirmed', reason: 'made-up second look' });
    // Not yet pushed: the centre still has the decision pushed with the crossing.
    const before = await hq.api.call('central.crossings', { decision: 'not-same-person' });
    expect(before.crossings.map((c) => c.id)).toEqual([ids.b1]);
    const pushed = await south.api.call('central.sync', {});
    expect(pushed.sent.hitEvents).toBeGreaterThanOrEqual(1);
    expect((await hq.api.call('central.crossings', { decision: 'not-same-person' })).total).toBe(0);
    const after = await hq.api.call('central.crossings', { decision: 'confirmed' });
    expect(after.crossings.map((c) => c.id).sort()).toEqual([ids.a1, ids.b1].sort());
    const b1 = after.crossings.find((c) => c.id === ids.b1)!;
    expect(b1.hits[0]).toMatchObject({ decision: 'confirmed', decidedBy: 'admin', decidedAt: '2025-03-02T14:00:00.000Z' });
    // The row pushed with the crossing is unchanged at the centre: only the event is new.
    const stored = await withClient(centre.admin, (c) => c.query<{ decision: string }>('SELECT decision FROM wd.hits WHERE id = $1', [hit.hitId]));
    expect(stored.rows[0]!.decision).toBe('not-same-person');
  });

  it('gives a plain desk only its own checkpoint: row-level security decides, not the query', async () => {
    const r = await north.api.call('central.crossings', {});
    expect(r.scope).toBe('checkpoint');
    expect(r.crossings.map((c) => c.id).sort()).toEqual([ids.a1, ids.a2].sort());
    expect(r.total).toBe(2);
    expect(r.checkpoints).toEqual(['North']);
    // Another checkpoint named on a checkpoint-scoped desk is refused with a reason, not silently empty.
    const other = await failure(north.api.call('central.crossings', { checkpoint: 'South' }));
    expect(other).toMatchObject({ code: 'bad_input', reason: 'central.checkpointOutOfScope', params: { own: 'North' } });
    expect((await north.api.call('central.crossings', { checkpoint: 'north' })).total).toBe(2);
    expect(JSON.parse(auditRows(north, 'central.crossings').at(-1)!.details)).toMatchObject({ scope: 'checkpoint', filter: { checkpoint: 'north' }, total: 2 });

    // The very same SQL as three logins: the app adds no checkpoint condition of its own.
    expect(crossingsWhere({}).sql).toBe('');
    const sql = `SELECT c.id::text AS id FROM wd.crossings c ${crossingsWhere({ flaggedOnly: false }).sql} ORDER BY c.id`;
    const idsAs = (t: CentralTarget) => withClient(t, async (c) => (await c.query<{ id: string }>(sql)).rows.map((x) => x.id));
    const all = [ids.a1, ids.a2, ids.b1, ids.b2].sort();
    expect(await idsAs(deskCentral(north.engine.requireDb())!.target)).toEqual([ids.a1, ids.a2].sort());
    expect(await idsAs(deskCentral(south.engine.requireDb())!.target)).toEqual([ids.b1, ids.b2].sort());
    expect(await idsAs(deskCentral(hq.engine.requireDb())!.target)).toEqual(all);
    expect(await idsAs(centre.admin)).toEqual(all);
    // And browse.ts's own query, page and export, run as the North desk's login.
    const asNorth = await withClient(deskCentral(north.engine.requireDb())!.target, async (c) => ({
      page: await centralCrossings(c, { outcome: 'held' }, { offset: 0, limit: 10 }),
      south: await centralCrossings(c, { checkpoint: 'South' }, { offset: 0, limit: 10 }).catch((e: unknown) => e),
      every: await allCentralCrossings(c, {}),
      hitsOfSouth: Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM wd.hits WHERE crossing_id = ANY($1::uuid[])', [[ids.b1, ids.b2]])).rows[0]!.n),
    }));
    expect(asNorth.page).toMatchObject({ scope: 'checkpoint', total: 1 });
    expect(asNorth.page.crossings.map((c) => c.id)).toEqual([ids.a1]);
    expect(asNorth.south).toMatchObject({ reason: { code: 'central.checkpointOutOfScope' } });
    expect(asNorth.every.crossings.map((c) => c.checkpoint)).toEqual(['North', 'North']);
    expect(asNorth.hitsOfSouth).toBe(0);
  });

  it('refuses an officer by the role matrix, and a desk that never joined', async () => {
    await hq.api.call('users.create', { username: 'officer1', password: 'officer pass 1234', roles: ['officer'] });
    const officer = createClient((req) => hq.engine.handle(req));
    await officer.call('auth.signIn', { username: 'officer1', password: 'officer pass 1234' });
    expect((await failure(officer.call('central.crossings', {}))).code).toBe('forbidden');
    expect((await failure(officer.call('central.crossingsExport', { format: 'csv' }))).code).toBe('forbidden');

    const dir = mkdtempSync(join(tmpdir(), 'wd-browse-'));
    const lone = new Engine({ dbPath: join(dir, 'watchdesk.db') });
    const api = settledClient(lone);
    try {
      await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Alone', timeZone: 'UTC' });
      expect(await failure(api.call('central.crossings', {}))).toMatchObject({ code: 'conflict', reason: 'central.notJoined' });
    } finally {
      await lone.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports the department\'s crossings as xlsx and csv that read back, formula-safe, audited with SHA-256 and row count', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const r = await hq.api.call('central.crossingsExport', { format });
      expect(r).toMatchObject({ scope: 'department', rows: 4 });
      expect(r.fileName).toMatch(new RegExp(`^watchdesk-department-crossings-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
      const sheets = readSpreadsheet(Buffer.from(r.contentBase64, 'base64'), r.fileName);
      const rows = sheets[0]!.rows.map((row) => row.map(cellText));
      const header = rows[0]!;
      const traveler = header.indexOf('Traveler');
      const checkpoint = header.indexOf('Checkpoint');
      expect(traveler).toBeGreaterThan(0);
      const data = rows.slice(1, 5);
      expect(data.map((x) => x[0]).sort()).toEqual([ids.a1, ids.a2, ids.b1, ids.b2].sort());
      expect(data.map((x) => x[checkpoint]).sort()).toEqual(['North', 'North', 'South', 'South']);
      const b2 = data.find((x) => x[0] === ids.b2)!;
      // Neutralized: a leading apostrophe, never a formula cell.
      expect(b2[traveler]).toBe(`'${FORMULA_NAME}`);
      const cellB2 = sheets[0]!.rows.find((row) => cellText(row[0]) === ids.b2)!;
      expect(cellB2.some((c) => c.formula)).toBe(false);
      if (format === 'xlsx') expect(sheets.map((s) => s.name)).toContain('Audit anchor');
      const audit = JSON.parse(auditRows(hq, 'export.centralCrossings').at(-1)!.details) as Record<string, unknown>;
      expect(audit).toMatchObject({ sha256: r.sha256, rows: 4, format, scope: 'department', filter: {} });
      expect(JSON.stringify(audit)).not.toMatch(/Sompong|HYPERLINK/i);
    }
    // Filters apply to the export too; a plain desk exports only its own checkpoint's.
    const flagged = await hq.api.call('central.crossingsExport', { format: 'csv', flaggedOnly: true, checkpoint: 'South' });
    expect(flagged.rows).toBe(1);
    const own = await south.api.call('central.crossingsExport', { format: 'csv' });
    expect(own).toMatchObject({ scope: 'checkpoint', rows: 2 });
  });

  it('lists and exports from the command line (watchdesk central crossings, central export crossings)', async () => {
    // The auditing desk's database is closed here and opened by the CLI as a user runs it.
    await hq.engine.shutdown();
    desks.splice(desks.indexOf(hq), 1);
    const db = join(hq.dir, 'watchdesk.db');
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, '--db', db, '--user', 'admin', ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_USER: undefined },
    });
    try {
      const listed = run(['--format', 'json', 'central', 'crossings', '--checkpoint', 'North', '--flagged']);
      expect(listed.status, listed.stderr).toBe(0);
      const page = JSON.parse(listed.stdout) as { scope: string; total: number; crossings: { id: string; hits: { entryId: string; entryKey: string }[] }[] };
      expect(page).toMatchObject({ scope: 'department', total: 1 });
      expect(page.crossings.map((c) => c.id)).toEqual([ids.a1]);
      const text = run(['central', 'crossings', '--outcome', 'held']);
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^every checkpoint: 1-1 of 1 crossing/);
      // Hits show the list's own id (the external id), not the desk's internal entry UUID.
      const hit = page.crossings[0]!.hits[0]!;
      expect(hit.entryId).not.toBe(hit.entryKey);
      expect(text.stdout).toContain(`\n  Warrants:${hit.entryId} `);
      expect(text.stdout).not.toContain(hit.entryKey);
      // The header names the checkpoint asked for, as the centre spells it; none reads "no crossings".
      const named = run(['central', 'crossings', '--checkpoint', 'south', '--outcome', 'held']);
      expect(named.status, named.stderr).toBe(0);
      expect(named.stdout).toMatch(/^checkpoint South: no crossings$/m);
      expect(run(['central', 'crossings', '--checkpoint', 'North']).stdout).toMatch(/^checkpoint North: 1-2 of 2 crossing/);
      const misspelt = run(['central', 'crossings', '--checkpoint', 'Nort']);
      expect(misspelt.status).not.toBe(0);
      expect(misspelt.stderr).toMatch(/no checkpoint of that name at the centre; its checkpoints are: Headquarters, North, South/);
      expect(run(['central', 'crossings', '--outcome', 'nonsense']).stderr).toMatch(/--outcome takes one of/);

      const out = join(hq.dir, 'department.xlsx');
      const exported = run(['central', 'export', 'crossings', '--from', '2025-03-01', '--to', '2025-03-02', '--out', out]);
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).toMatch(/^wrote 4 crossings \(every checkpoint\) to .*department\.xlsx \(sha256 [0-9a-f]{64}\)/);
      const file = readFileSync(out);
      const sha = createHash('sha256').update(file).digest('hex');
      expect(exported.stdout).toContain(sha);
      const sheet = readSpreadsheet(file, 'department.xlsx')[0]!;
      expect(sheet.rows).toHaveLength(5);
      // An existing file is refused, not replaced.
      expect(run(['central', 'export', 'crossings', '--out', out]).status).not.toBe(0);
      // Audited on the desk as written to a file, with the file's SHA-256.
      const engine = new Engine({ dbPath: db });
      try {
        await engine.signIn('admin', PASSWORD);
        const row = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'export.centralCrossings' ORDER BY seq DESC LIMIT 1").get() as { details: string };
        expect(JSON.parse(row.details)).toMatchObject({ sha256: sha, rows: 4, format: 'xlsx', delivery: 'file', filter: { from: '2025-03-01', to: '2025-03-02' } });
      } finally {
        engine.close();
      }
    } finally {
      rmSync(hq.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
