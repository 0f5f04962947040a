import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/api/engine';
import { EngineHost } from '../../electron/core/host/engine-host';
import { FIXTURES, PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('watchdesk command', () => {
  it('runs the job end to end: init, import, lists, entries, match, screen, export, audit verify', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    expect(run(['--db', db, 'init', '--checkpoint', 'Chong Mek', '--timezone', 'Asia/Bangkok']).code).toBe(0);
    const again = run(['--db', db, 'init']);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/^watchdesk: .*already set up/);

    const imp = run(['--db', db, '--format', 'json', 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out)).toMatchObject({ imported: 5, rejected: 1, published: true });
    const dry = run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--dry-run']);
    expect(dry.out).toMatch(/row 8: the row has no name/);
    expect(dry.out).toMatch(/dry run: nothing published/);

    expect(run(['--db', db, 'lists']).out).toMatch(/^Warrants\twanted\tv1\t5 entries/);
    const entries = JSON.parse(run(['--db', db, '--format', 'json', 'entries', '--list', 'warrants']).out);
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({ sourceRow: 4, dateOfBirth: '1987-03-14' });

    const m = JSON.parse(run(['--db', db, '--format', 'json', 'match', '--name', 'Thotsobdi Sompong', '--dob', '14/03/2530']).out);
    expect(m.hits[0]).toMatchObject({ list: 'Warrants', entryId: entries[0].entryId, sourceRow: 4, band: 'strong' });
    expect(m.hits[0].score).toBeGreaterThan(0.9);
    expect(m.hits[0].explanation.fields[0]).toMatchObject({ field: 'dateOfBirth', status: 'agree' });

    const manifest = join(dir, 'manifest.csv');
    writeFileSync(manifest, 'id,name,date of birth\nT1,SOMPONG THOTSOBDI,1987-03-14\nT2,Quxley Nobody,1970\n');
    const sc = JSON.parse(run(['--db', db, '--format', 'json', 'screen', manifest]).out);
    expect(sc.rows.map((r: { id: string; hits: unknown[] }) => [r.id, r.hits.length > 0])).toEqual([['T1', true], ['T2', false]]);

    const out = join(dir, 'flagged.xlsx');
    const ex = run(['--db', db, 'export', 'crossings', '--flagged', '--out', out]);
    expect(ex.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(XLSX.read(readFileSync(out)).SheetNames).toEqual(['Flagged crossings', 'Hits', 'Audit anchor']);

    const v = run(['--db', db, 'audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/audit trail intact/);
  }, 120_000);

  it('exits non-zero with a one-line reason', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const none = run(['--db', db, 'lists']);
    expect(none.code).toBe(1);
    expect(none.err.trim().split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/no Watchdesk database/);
    run(['--db', db, 'init']);
    const wrong = run(['--db', db, 'lists'], { WATCHDESK_PASSWORD: 'wrong password 123' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe('watchdesk: wrong username or password\n');
    const missing = run(['--db', db, 'import', join(dir, 'nope.csv'), '--list', 'X']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
  }, 60_000);
});

describe('four eyes from the command (issue 15 item 11)', () => {
  it('rollback and turning approval off take a second supervisor with --approver, the password from WATCHDESK_APPROVER_PASSWORD', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const IMP = join(FIXTURES, 'import');
    const ok = (args: string[], env: Record<string, string> = {}) => {
      const r = run(['--db', db, ...args], env);
      expect(r.code, r.err).toBe(0);
      return r.out;
    };
    ok(['init']);
    ok(['import', join(IMP, 'versions-v1.csv'), '--list', 'V']);
    ok(['import', join(IMP, 'versions-v2.csv'), '--list', 'V']);
    ok(['approval', '--list', 'V', 'on']);
    ok(['users', 'add', 'sup.two', '--roles', 'supervisor'], { WATCHDESK_NEW_PASSWORD: 'second supervisor 8' });
    const approver = { WATCHDESK_APPROVER_PASSWORD: 'second supervisor 8' };

    // Without a second supervisor: the engine's clear refusal, nothing changed.
    const alone = run(['--db', db, 'rollback', '--list', 'V', '--version', '1']);
    expect(alone.code).toBe(1);
    expect(alone.err).toMatch(/^watchdesk: new versions of this list need a second supervisor, so a rollback needs one too/);
    const offAlone = run(['--db', db, 'approval', '--list', 'V', 'off']);
    expect(offAlone.code).toBe(1);
    expect(offAlone.err).toMatch(/^watchdesk: turning four eyes off needs a second supervisor's approval/);
    // --approver without the password in the environment, or with a wrong one: refused.
    expect(run(['--db', db, 'rollback', '--list', 'V', '--version', '1', '--approver', 'sup.two']).err).toBe('watchdesk: WATCHDESK_APPROVER_PASSWORD is not set\n');
    expect(run(['--db', db, 'rollback', '--list', 'V', '--version', '1', '--approver', 'sup.two'], { WATCHDESK_APPROVER_PASSWORD: 'not the password' }).err)
      .toBe('watchdesk: wrong supervisor username or password\n');
    expect(run(['--db', db, 'versions', '--list', 'V']).out).toMatch(/^v2\tpublished \(active\)/);

    expect(ok(['rollback', '--list', 'V', '--version', '1', '--approver', 'sup.two'], approver)).toContain('rolled back to version 1 of V');
    expect(run(['--db', db, 'versions', '--list', 'V']).out.trim().split('\n')[1]).toMatch(/^v1\tpublished \(active\)/);
    expect(ok(['approval', '--list', 'V', 'off', '--approver', 'sup.two'], approver)).toContain('four-eyes publishing for V: off');
    const supId = (JSON.parse(ok(['--format', 'json', 'users', 'list'])) as { id: string; username: string }[]).find((u) => u.username === 'sup.two')!.id;
    expect(auditRows(db, 'list.rollback')[0]!.details).toMatchObject({ approvedBy: supId });
    expect(auditRows(db, 'list.setApproval')[0]!.details).toMatchObject({ from: true, to: false, approvedBy: supId });
  }, 180_000);
});

/** The audit rows of `action` (newest first) as the CLI lists them. */
function auditRows(db: string, action: string): { action: string; details: Record<string, unknown> }[] {
  const r = run(['--db', db, '--format', 'json', 'audit', 'list', '--action', action]);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { entries: { action: string; details: Record<string, unknown> }[] }).entries.filter((e) => e.action === action);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('output files of the command (issue 15 item 4)', () => {
  it('export, screen and import --report never replace a file unless --overwrite; the file is 0600 and audited after it is written', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    expect(run(['--db', db, 'init']).code).toBe(0);
    expect(run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']).code).toBe(0);

    // export crossings: an existing file is refused before any work, and kept as it was.
    const out = join(dir, 'crossings.csv');
    writeFileSync(out, 'a file of the user');
    const refused = run(['--db', db, 'export', 'crossings', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('watchdesk: crossings.csv already exists: choose another name or ask to overwrite it (--overwrite)\n');
    expect(readFileSync(out, 'utf8')).toBe('a file of the user');
    expect(auditRows(db, 'export.crossings')).toEqual([]);
    const over = run(['--db', db, '--format', 'json', 'export', 'crossings', '--out', out, '--overwrite']);
    expect(over.code, over.err).toBe(0);
    const written = readFileSync(out);
    expect(JSON.parse(over.out)).toMatchObject({ sha256: sha(written) });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // The row names the file's SHA-256 and says the engine wrote it.
    expect(auditRows(db, 'export.crossings').map((e) => e.details)).toEqual([expect.objectContaining({ sha256: sha(written), delivery: 'file' })]);

    // A write that fails (no such folder) is a clear error and leaves no row claiming an export.
    const lost = run(['--db', db, 'export', 'crossings', '--out', join(dir, 'no-such-folder', 'x.xlsx')]);
    expect(lost.code).toBe(1);
    expect(lost.err).toMatch(/^watchdesk: x\.xlsx cannot be written there .*nothing was written/);
    expect(auditRows(db, 'export.crossings')).toHaveLength(1);

    // screen --out
    const manifest = join(dir, 'manifest.csv');
    writeFileSync(manifest, 'id,name\nT1,Quxley Nobody\n');
    const result = join(dir, 'result.json');
    writeFileSync(result, 'kept');
    const s1 = run(['--db', db, '--format', 'json', 'screen', manifest, '--out', result]);
    expect(s1.code).toBe(1);
    expect(s1.err).toMatch(/^watchdesk: result\.json already exists/);
    expect(readFileSync(result, 'utf8')).toBe('kept');
    const s2 = run(['--db', db, '--format', 'json', 'screen', manifest, '--out', result, '--overwrite']);
    expect(s2.code, s2.err).toBe(0);
    expect(JSON.parse(readFileSync(result, 'utf8'))).toMatchObject({ travelers: 1 });
    expect(statSync(result).mode & 0o777).toBe(0o600);

    // import --report: refused before importing anything (no new version).
    const report = join(dir, 'report.xlsx');
    writeFileSync(report, 'kept');
    const i1 = run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Other', '--kind', 'wanted', '--report', report]);
    expect(i1.code).toBe(1);
    expect(i1.err).toMatch(/^watchdesk: report\.xlsx already exists/);
    expect(run(['--db', db, 'lists']).out).not.toMatch(/Other/);
    const i2 = run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Other', '--kind', 'wanted', '--report', report, '--overwrite']);
    expect(i2.code, i2.err).toBe(0);
    expect(XLSX.read(readFileSync(report)).SheetNames.length).toBeGreaterThan(0);
    expect(auditRows(db, 'export.importReport').map((e) => e.details)).toEqual([expect.objectContaining({ sha256: sha(readFileSync(report)), delivery: 'file' })]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(run(['--db', db, 'audit', 'verify']).code).toBe(0);
  }, 240_000);
});

describe('a database path that holds no usable database (issue 15 items 8 and 9)', () => {
  const hosts: EngineHost[] = [];
  afterEach(async () => {
    while (hosts.length) await hosts.pop()!.close();
  });

  /** What each transport answers to signing in: the CLI's stderr, the Engine's envelope, the engine host's envelope (the app and the harness). */
  async function answers(db: string) {
    const cli = run(['--db', db, 'lists']);
    const engine = new Engine({ dbPath: db });
    const direct = await engine.handle({ method: 'auth.signIn', token: null, payload: { username: 'admin', password: PASSWORD } });
    engine.close();
    const host = await EngineHost.start({ dbPath: db });
    hosts.push(host);
    const hosted = await host.handle({ method: 'auth.signIn', token: null, payload: { username: 'admin', password: PASSWORD } });
    await hosts.pop()!.close();
    return { cli, direct, hosted };
  }

  async function expectRefused(db: string, code: string, file: string, text: RegExp) {
    const { cli, direct, hosted } = await answers(db);
    expect(cli.code).toBe(1);
    expect(cli.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(cli.err).toMatch(text);
    expect(cli.err).not.toMatch(/internal error/);
    for (const r of [direct, hosted]) {
      expect(r).toMatchObject({ ok: false, error: { reason: code, params: { file } } });
      expect((r as { error: { message: string } }).error.message).toMatch(text);
    }
  }

  it('an empty file, a folder, a missing file, random bytes or a cut file: a clear error naming the file and the way back, and nothing replaced', async () => {
    const { engine, dbPath, api } = await setUpEngine();
    await api.call('users.create', { username: 'kanya', password: 'border desk 12', roles: ['officer'] });
    engine.close();
    const good = readFileSync(dbPath);
    for (const f of ['-wal', '-shm']) rmSync(dbPath + f, { force: true });

    writeFileSync(dbPath, '');
    await expectRefused(dbPath, 'files.dbEmpty', 'watchdesk.db', /database file watchdesk\.db is empty.*restore the latest backup \(watchdesk restore\)/);
    // Not replaced by a fresh database: still empty, no WAL made.
    expect(statSync(dbPath).size).toBe(0);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    // init refuses too.
    expect(run(['--db', dbPath, 'init']).err).toMatch(/already set up/);
    expect(statSync(dbPath).size).toBe(0);

    rmSync(dbPath);
    mkdirSync(dbPath);
    await expectRefused(dbPath, 'files.dbNotFile', 'watchdesk.db', /database path watchdesk\.db is a folder/);
    rmSync(dbPath, { recursive: true });

    await expectRefused(dbPath, 'files.dbMissing', 'watchdesk.db', /database file watchdesk\.db does not exist beside its key file/);
    expect(existsSync(dbPath)).toBe(false);

    writeFileSync(dbPath, randomBytes(good.length));
    await expectRefused(dbPath, 'files.dbDamaged', 'watchdesk.db', /watchdesk\.db is damaged or does not belong to its key file.*watchdesk restore/);
    writeFileSync(dbPath, good.subarray(0, Math.floor(good.length / 3)));
    await expectRefused(dbPath, 'files.dbDamaged', 'watchdesk.db', /watchdesk\.db is damaged/);
    expect(statSync(dbPath).size).toBe(Math.floor(good.length / 3));

    // A wrong password is still a wrong password, not damage.
    expect(run(['--db', dbPath, 'lists'], { WATCHDESK_PASSWORD: 'not the password 1' }).err).toBe('watchdesk: wrong username or password\n');
    writeFileSync(dbPath, good);
    expect(run(['--db', dbPath, 'lists']).code).toBe(0);
  }, 120_000);

  it('a key file with a damaged slot is files.keysDamaged through every transport, not "internal error"', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const keys = `${dbPath}.keys`;
    const kf = JSON.parse(readFileSync(keys, 'utf8')) as { slots: Record<string, unknown>[] };
    // Well-formed JSON, but a slot lost its key-derivation parameters: today this fails deep in Argon2.
    for (const s of kf.slots) delete s.kdf;
    writeFileSync(keys, JSON.stringify(kf));
    await expectRefused(dbPath, 'files.keysDamaged', 'watchdesk.db.keys', /key file watchdesk\.db\.keys is damaged/);
    rmSync(keys);
    await expectRefused(dbPath, 'files.keysMissing', 'watchdesk.db.keys', /key file watchdesk\.db\.keys is missing/);
  }, 120_000);
});
