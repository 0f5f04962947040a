import { readdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { PASSPHRASE, PASSWORD, importFixture, setUpEngine, tempDir } from './helpers';

async function expectApiError(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).code).toBe(code);
  if (message) expect((err as ApiCallError).message).toMatch(message);
}

describe('setup and sign-in', () => {
  it('creates an encrypted database, refuses to set up twice, and signs in from a cold start', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    expect((await api.call('app.status')).checkpointName).toBe('Mae Sai');
    await expectApiError(api.call('app.setup', {
      adminUsername: 'x', password: 'another password', recoveryPassphrase: 'another long passphrase', checkpointName: 'c', timeZone: 'UTC',
    }), 'conflict', /already set up/);
    engine.close();
    // The file is not readable as plain SQLite.
    expect(readFileSync(dbPath).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    const cold = new Engine({ dbPath });
    const api2 = createClient((r) => cold.handle(r));
    await expectApiError(api2.call('watchlists.list'), 'unauthenticated');
    await api2.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect(await api2.call('watchlists.list')).toEqual([]);
    cold.close();
  });

  it('a wrong password is a clear error and changes no file', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const files = [dbPath, `${dbPath}.keys`, `${dbPath}-wal`, `${dbPath}-shm`].filter(existsSync);
    const before = files.map((f) => [f, readFileSync(f).toString('base64'), statSync(f).mtimeMs]);
    const cold = new Engine({ dbPath });
    const api = createClient((r) => cold.handle(r));
    await expectApiError(api.call('auth.signIn', { username: 'admin', password: 'wrong password!' }), 'unauthenticated', /wrong username or password/);
    await expectApiError(api.call('auth.signIn', { username: 'nobody', password: PASSWORD }), 'unauthenticated');
    cold.close();
    const after = files.map((f) => [f, readFileSync(f).toString('base64'), statSync(f).mtimeMs]);
    expect(after).toEqual(before);
    expect([dbPath, `${dbPath}.keys`, `${dbPath}-wal`, `${dbPath}-shm`].filter(existsSync)).toEqual(files);
  });

  it('refuses malformed requests at the boundary', async () => {
    const { engine, api } = await setUpEngine();
    const r = await engine.handle({ method: 'screening.screen', token: api.token, payload: { traveler: { fullName: 42 } } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('invalid_request');
    expect(!r.ok && r.error.issues?.[0]?.path).toBe('traveler.fullName');
    const unknown = await engine.handle({ method: '__proto__', token: api.token, payload: {} });
    expect(!unknown.ok && unknown.error.code).toBe('invalid_request');
    const extra = await engine.handle({ method: 'watchlists.list', token: api.token, payload: { sneaky: 1 } });
    expect(!extra.ok && extra.error.code).toBe('invalid_request');
    const noName = await engine.handle({ method: 'screening.screen', token: api.token, payload: { traveler: { dateOfBirth: '1990' } } });
    expect(!noName.ok && noName.error.issues?.[0]?.message).toMatch(/needs a name/);
    const noToken = await engine.handle({ method: 'watchlists.list', payload: {} });
    expect(!noToken.ok && noToken.error.code).toBe('unauthenticated');
    engine.close();
  });
});

describe('sessions and checkpoint time', () => {
  it('expires an idle session', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const { engine, api } = await setUpEngine({ now: () => new Date(now) });
    now += 14 * 60 * 1000;
    await api.call('watchlists.list');
    now += 14 * 60 * 1000;
    await api.call('watchlists.list');
    now += 16 * 60 * 1000;
    await expectApiError(api.call('watchlists.list'), 'unauthenticated', /expired after inactivity/);
    await expectApiError(api.call('watchlists.list'), 'unauthenticated', /sign in first/);
    engine.close();
  });

  it('reads crossing date ranges as days in the checkpoint time zone', async () => {
    // 18:00 UTC on 29 November is 01:00 on 30 November in Bangkok.
    const { engine, api } = await setUpEngine({ now: () => new Date('2026-11-29T18:00:00Z') });
    await importFixture(api, 'warrants-th.csv', 'W');
    const s = await api.call('screening.screen', { traveler: { fullName: 'Quxley Nobody' } });
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    expect((await api.call('crossings.list', { from: '2026-11-30', to: '2026-11-30' })).total).toBe(1);
    expect((await api.call('crossings.list', { from: '2026-11-29', to: '2026-11-29' })).total).toBe(0);
    engine.close();
  });
});

describe('the desk job through the handler table', () => {
  it('imports a Thai warrant sheet, screens, enforces the desk rules, records and exports', async () => {
    const { engine, api } = await setUpEngine();
    const report = await importFixture(api, 'warrants-th.csv', 'Police warrants');
    expect(report.published).toBe(true);
    expect(report.headerRow).toBe(3);
    expect(report).toMatchObject({ rowsRead: 6, imported: 5, rejected: 1 });
    expect(report.problems.find((p) => p.severity === 'error')).toMatchObject({ row: 8, message: expect.stringMatching(/no name/) });
    expect(report.problems.find((p) => p.row === 6)?.column).toMatch(/^I /);

    const [list] = await api.call('watchlists.list');
    // The sheet's title row says "ปรับปรุงล่าสุด 1 มี.ค. 2567": the list's age counts from 1 March 2024 (stale-lists.test.ts).
    expect(list).toMatchObject({ name: 'Police warrants', kind: 'wanted', ageBasis: 'source', ageSince: '2024-03-01', stale: true });
    expect(list!.activeVersion).toMatchObject({ number: 1, entryCount: 5 });
    const { entries } = await api.call('watchlists.entries', { listId: list!.id });
    const sompong = entries.find((e) => e.names.some((n) => n.name.includes('SOMPONG')))!;
    expect(sompong).toMatchObject({ dateOfBirth: '1987-03-14', sex: 'M', nationalities: ['THA'], reference: 'จ.101/2567', sourceRow: 4 });
    expect(sompong.documents.map((d) => d.number)).toContain('AA0004711');
    expect(entries.find((e) => e.sourceRow === 5)?.dateOfBirth).toBe('1928-01-25');

    // A traveler on the list, name reversed and misspelled.
    const s1 = await api.call('screening.screen', { traveler: { surname: 'THOTSOBDEE', givenNames: 'SOMPONG', dateOfBirth: '1987-03-14', nationality: 'THA', sex: 'M' } });
    expect(s1.hits[0]).toMatchObject({ list: 'Police warrants', entryId: sompong.entryId, band: 'strong' });
    expect(s1.hits[0]!.explanation.summary).toMatch(/thotsobdee/);
    await expectApiError(api.call('crossings.record', { screeningId: s1.screeningId, direction: 'exit', outcome: 'held' }), 'conflict', /undecided/);
    await api.call('screening.decide', { hitId: s1.hits[0]!.hitId!, decision: 'confirmed', note: 'photo matches' });
    await expectApiError(api.call('crossings.record', { screeningId: s1.screeningId, direction: 'exit', outcome: 'passed' }), 'conflict', /wanted list cannot end as passed/);
    const c1 = await api.call('crossings.record', { screeningId: s1.screeningId, direction: 'exit', outcome: 'held' });
    expect(c1).toMatchObject({ flagged: true, outcome: 'held', checkpoint: 'Mae Sai', timeZone: 'Asia/Bangkok' });
    await expectApiError(api.call('crossings.record', { screeningId: s1.screeningId, direction: 'exit', outcome: 'held' }), 'conflict', /already recorded/);
    await expectApiError(api.call('screening.decide', { hitId: s1.hits[0]!.hitId!, decision: 'not-same-person' }), 'conflict');

    // A traveler not on the list.
    const s2 = await api.call('screening.screen', { traveler: { fullName: 'Jane Quxworth Example', nationality: 'GBR' } });
    expect(s2.hits.filter((h) => h.band !== 'weak')).toEqual([]);
    const c2 = await api.call('crossings.record', { screeningId: s2.screeningId, direction: 'entry', outcome: 'passed' });
    expect(c2.flagged).toBe(false);

    expect((await api.call('crossings.list', { flaggedOnly: true })).crossings.map((c) => c.id)).toEqual([c1.id]);
    expect((await api.call('crossings.list', {})).total).toBe(2);

    const xlsx = await api.call('crossings.export', { format: 'xlsx', flaggedOnly: true });
    const wb = XLSX.read(Buffer.from(xlsx.contentBase64, 'base64'));
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets[wb.SheetNames[0]!]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Traveler: 'SOMPONG THOTSOBDEE', Outcome: 'Held', Flagged: 'yes' });
    // Its hits, one row each, on the hits sheet (crossings-export.test.ts checks every cell).
    const hits = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets.Hits!);
    expect(hits.find((h) => h['Entry ID'] === sompong.entryId)).toMatchObject({ Decision: 'Confirmed', 'Decision note': 'photo matches', 'Decided by': 'admin' });
    const csv = await api.call('crossings.export', { format: 'csv', flaggedOnly: false });
    const csvBuf = Buffer.from(csv.contentBase64, 'base64');
    expect([...csvBuf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvBuf.toString('utf8')).toContain('Jane Quxworth Example');

    const audit = await api.call('audit.verify');
    expect(audit.ok).toBe(true);
    // setup, list.create, import, 2 screenings, decide, 2 crossings, 2 exports, plus the verify's sign-in-free call
    expect(audit.rows).toBeGreaterThanOrEqual(10);
    engine.close();
  });

  it('neutralizes formulas in exported cells', async () => {
    const { engine, api } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'W');
    const s = await api.call('screening.screen', { traveler: { fullName: '=HYPERLINK("http://x","click") Person' } });
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    const csv = Buffer.from((await api.call('crossings.export', { format: 'csv' })).contentBase64, 'base64').toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""click"") Person"`);
    const x = await api.call('crossings.export', { format: 'xlsx' });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'), { cellFormula: true });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    const cells = Object.values(ws).filter((c): c is XLSX.CellObject => typeof c === 'object' && c !== null && 'v' in c);
    expect(cells.some((c) => c.f)).toBe(false);
    expect(cells.some((c) => String(c.v).startsWith("'=HYPERLINK"))).toBe(true);
    engine.close();
  });

  it('refuses a file it cannot read with a clear error and publishes nothing', async () => {
    const { engine, api } = await setUpEngine();
    await expectApiError(api.call('watchlists.import', { listName: 'X', fileName: 'list.xlsx', contentBase64: Buffer.from('not a zip at all').toString('base64') }), 'bad_input', /not an Excel workbook/);
    await expectApiError(api.call('watchlists.import', { listName: 'X', fileName: 'list.pdf', contentBase64: Buffer.from('%PDF').toString('base64') }), 'bad_input', /cannot be imported/);
    await expectApiError(api.call('watchlists.import', { listName: 'X', fileName: 'list.csv', contentBase64: Buffer.from('a,b\n1,2\n').toString('base64') }), 'bad_input', /no header row/);
    expect(await api.call('watchlists.list')).toEqual([]);
    engine.close();
  });
});

describe('personal data at rest', () => {
  // Search every file the engine wrote (database, WAL, SHM, key file) and the temp folder for
  // the imported names in UTF-8, UTF-16LE and TIS-620.
  it('never writes an imported name unencrypted', async () => {
    const { encode } = await import('iconv-lite');
    const tmpBefore = new Set(readdirSync(process.env.TMPDIR ?? '/tmp'));
    const { engine, api, dir } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    const s = await api.call('screening.screen', { traveler: { fullName: 'SOMPONG THOTSOBDI' } });
    await api.call('screening.decide', { hitId: s.hits[0]!.hitId!, decision: 'confirmed' });
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'exit', outcome: 'held' });
    await api.call('crossings.export', { format: 'xlsx' });
    const needles = ['SOMPONG', 'THOTSOBDI', 'สมปอง', 'ทดสอบดี', 'มณีรัตน์', 'Müller', 'AA0004711'].flatMap((n) => [
      Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le'), encode(n, 'tis620'),
    ]);
    const scan = (files: string[]): string[] =>
      files.flatMap((f) => {
        const buf = readFileSync(f);
        return needles.filter((n) => buf.includes(n)).map((n) => `${f}: ${n.toString('hex')}`);
      });
    // Positive control: the scan does find the names where they are in plain text (a CSV export).
    const csv = Buffer.from((await api.call('crossings.export', { format: 'csv' })).contentBase64, 'base64');
    expect(needles.filter((n) => csv.includes(n)).length).toBeGreaterThan(0);
    // While the database is open (WAL and SHM exist), and after it is closed.
    const written = () => readdirSync(dir).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
    expect(written().some((f) => f.endsWith('-wal'))).toBe(true);
    expect(scan(written())).toEqual([]);
    engine.close();
    expect(scan(written())).toEqual([]);
    const tmp = process.env.TMPDIR ?? '/tmp';
    const newTmp = readdirSync(tmp).filter((f) => !tmpBefore.has(f)).map((f) => join(tmp, f))
      .filter((f) => f !== dir && statSync(f).isFile());
    expect(scan(newTmp)).toEqual([]);
  });
});

describe('database key', () => {
  it('a wrong key is a clear error and leaves every file untouched', async () => {
    const { openDatabase, WrongKeyError } = await import('../../electron/core/db/database');
    const { randomBytes } = await import('node:crypto');
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const snapshot = () => [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}.keys`].map((f) => (existsSync(f) ? readFileSync(f).toString('base64') : null));
    const before = snapshot();
    expect(() => openDatabase(dbPath, randomBytes(32))).toThrow(WrongKeyError);
    expect(snapshot()).toEqual(before);
    expect(() => openDatabase(join(dbPath, '..', 'missing.db'), randomBytes(32))).toThrow(/does not exist/);
    expect(existsSync(join(dbPath, '..', 'missing.db'))).toBe(false);
  });
});

describe('recovery passphrase slot', () => {
  it('unwraps the same database key as the password slot', async () => {
    const { readKeyFile, unlockWithPassphrase, unlockWithPassword } = await import('../../electron/core/db/keyslots');
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const kf = readKeyFile(dbPath);
    const a = await unlockWithPassphrase(kf, PASSPHRASE);
    const b = await unlockWithPassword(kf, 'admin', PASSWORD);
    expect(a.equals(b)).toBe(true);
    await expect(unlockWithPassphrase(kf, 'not the passphrase at all')).rejects.toThrow(/recovery passphrase is wrong/);
    expect(JSON.stringify(kf)).not.toContain('admin');
    void tempDir;
  });
});

describe('found by a new user', () => {
  it('refuses impossible days and reversed ranges, naming the field', async () => {
    const { engine, api } = await setUpEngine();
    await expectApiError(api.call('crossings.export', { format: 'csv', from: '2026-13-01' }), 'invalid_request', /from is not a day of the calendar/);
    await expectApiError(api.call('crossings.list', { from: '2026-11-30', to: '2026-11-01' }), 'invalid_request', /ends before it starts/);
    engine.close();
  });
  it('keeps the database file readable by its owner only', async () => {
    const { engine, dbPath } = await setUpEngine();
    expect(statSync(dbPath).mode & 0o077).toBe(0);
    engine.close();
  });
});

describe('damaged or missing key file', () => {
  it('names the file and what to do instead of "internal error", and changes no file', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const keys = `${dbPath}.keys`;
    const original = readFileSync(keys);
    const dbBefore = readFileSync(dbPath);
    const signIn = () => createClient((r) => new Engine({ dbPath }).handle(r)).call('auth.signIn', { username: 'admin', password: PASSWORD }).catch((e: unknown) => e);

    writeFileSync(keys, '{"format": "watchdesk-keys", "version": 1, "slo');
    expect(await signIn()).toMatchObject({ code: 'internal', reason: 'files.keysDamaged', params: { file: 'watchdesk.db.keys' }, message: expect.stringContaining('restore a backup') as string });
    rmSync(keys);
    expect(await signIn()).toMatchObject({ code: 'internal', reason: 'files.keysMissing', params: { file: 'watchdesk.db.keys' }, message: expect.stringContaining('watchdesk.db.keys is missing') as string });
    expect(readFileSync(dbPath).equals(dbBefore)).toBe(true);

    writeFileSync(keys, original);
    expect(await signIn()).toMatchObject({ token: expect.any(String) as string });
  });
});
