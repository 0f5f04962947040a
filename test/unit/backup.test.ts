/**
 * Encrypted backup and restore (issue 5): one file, restorable only with the recovery passphrase,
 * verified after writing; restore only where no database exists. Through the API and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { FIXTURES, PASSPHRASE, PASSWORD, importFixture, setUpEngine, tempDir } from './helpers';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

async function expectApiError(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).code).toBe(code);
  if (message) expect((err as ApiCallError).message).toMatch(message);
}

describe('backup and restore through the API', () => {
  it('round trip: encrypted single file, wrong passphrase writes nothing, restore brings everything back', async () => {
    const { engine, api } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    await api.call('users.create', { username: 'malee', password: 'free pass 123', roles: ['officer'] });
    const s = await api.call('screening.screen', { traveler: { fullName: 'Traveller Zebediah Roundtrip' } });
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'exit', outcome: 'passed' });
    const backup = await api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    expect(backup.fileName).toMatch(/^watchdesk-backup-\d{8}-\d{4}\.wdbak$/);
    const bytes = Buffer.from(backup.contentBase64, 'base64');
    expect(bytes.length).toBe(backup.bytes);
    expect(bytes.toString('latin1')).not.toMatch(/Zebediah|SOMPONG|malee|SQLite format 3/);
    const trail = await api.call('audit.list', { action: 'backup.create' });
    expect(trail.entries[0]!.details).toMatchObject({ sha256: backup.sha256, bytes: backup.bytes });
    const before = {
      lists: (await api.call('watchlists.list')).map((l) => [l.name, l.activeVersion?.entryCount]),
      crossings: (await api.call('crossings.list', {})).crossings.map((c) => c.travelerName),
    };
    engine.close();

    const dir = tempDir();
    const dbPath = join(dir, 'restored.db');
    const fresh = new Engine({ dbPath });
    const api2 = createClient((r) => fresh.handle(r));
    const payload = { contentBase64: backup.contentBase64, username: 'admin', newPassword: 'restored desk pw' };
    await expectApiError(api2.call('backup.restore', { ...payload, recoveryPassphrase: 'a wrong recovery passphrase' }), 'bad_input', /^the recovery passphrase is wrong$/);
    expect(readdirSync(dir)).toEqual([]);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10]! ^= 0xff;
    await expectApiError(api2.call('backup.restore', { ...payload, contentBase64: damaged.toString('base64'), recoveryPassphrase: PASSPHRASE }), 'bad_input', /damaged/);
    await expectApiError(api2.call('backup.restore', { ...payload, contentBase64: Buffer.from('hello').toString('base64'), recoveryPassphrase: PASSPHRASE }), 'bad_input', /not a Watchdesk backup/);
    await expectApiError(api2.call('backup.restore', { ...payload, username: 'malee', recoveryPassphrase: PASSPHRASE }), 'bad_input', /enabled admin/);
    expect(readdirSync(dir)).toEqual([]);

    const session = await api2.call('backup.restore', { ...payload, recoveryPassphrase: PASSPHRASE });
    expect(session.user.username).toBe('admin');
    expect({
      lists: (await api2.call('watchlists.list')).map((l) => [l.name, l.activeVersion?.entryCount]),
      crossings: (await api2.call('crossings.list', {})).crossings.map((c) => c.travelerName),
    }).toEqual(before);
    const v = await api2.call('audit.verify');
    expect(v).toMatchObject({ ok: true });
    expect(v.externalHeadSeq).toBeGreaterThanOrEqual(backup.auditHeadSeq);
    expect((await api2.call('audit.list', { action: 'backup.restore' })).entries[0]!.details).toMatchObject({ sha256: backup.sha256, auditHeadSeq: backup.auditHeadSeq });
    // Restoring over a database is refused.
    await expectApiError(api2.call('backup.restore', { ...payload, recoveryPassphrase: PASSPHRASE }), 'conflict', /already set up/);
    fresh.close();
    expect(readdirSync(dir).sort()).toEqual(['restored.db', 'restored.db.head', 'restored.db.keys']);
    // The admin's new password opens the restored database from cold; the old one does not.
    const cold = new Engine({ dbPath });
    const api3 = createClient((r) => cold.handle(r));
    await expectApiError(api3.call('auth.signIn', { username: 'admin', password: PASSWORD }), 'unauthenticated');
    await api3.call('auth.signIn', { username: 'admin', password: 'restored desk pw' });
    cold.close();
  });
});

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('watchdesk users, backup, restore, keys, audit', () => {
  it('manages users, backs up, restores elsewhere, rotates the key and verifies the trail from the command line', () => {
    const dir = tempDir();
    const db = join(dir, 'desk.db');
    expect(run(['--db', db, 'init', '--checkpoint', 'Sadao', '--timezone', 'Asia/Bangkok']).code).toBe(0);
    expect(run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']).code).toBe(0);
    const add = run(['--db', db, 'users', 'add', 'wichai', '--roles', 'officer,auditor'], { WATCHDESK_NEW_PASSWORD: 'desk officer 7' });
    expect(add.code, add.err).toBe(0);
    expect(run(['--db', db, 'users', 'list']).out).toMatch(/wichai\tofficer,auditor\tactive/);
    // The officer may not manage users.
    const denied = run(['--db', db, '--user', 'wichai', 'users', 'list'], { WATCHDESK_PASSWORD: 'desk officer 7' });
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/^watchdesk: your role may not call users.list/);
    expect(run(['--db', db, 'users', 'roles', 'wichai', '--roles', 'officer']).code).toBe(0);
    expect(run(['--db', db, 'settings', '--idle-minutes', '7', '--retention-days', '365']).out).toMatch(/idle lock 7 min; retention 365 days/);

    const file = join(dir, 'desk.wdbak');
    const wrong = run(['--db', db, 'backup', '--out', file], { WATCHDESK_PASSPHRASE: 'not the passphrase at all' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/recovery passphrase is wrong/);
    expect(existsSync(file)).toBe(false);
    const b = run(['--db', db, '--format', 'json', 'backup', '--out', file]);
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(b.out)).toMatchObject({ file, bytes: readFileSync(file).length });

    const db2 = join(tempDir(), 'other', 'desk.db');
    const bad = run(['--db', db2, 'restore', file], { WATCHDESK_PASSPHRASE: 'not the passphrase at all' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^watchdesk: the recovery passphrase is wrong/);
    expect(existsSync(db2)).toBe(false);
    const r = run(['--db', db2, 'restore', file], { WATCHDESK_PASSWORD: 'another desk pw 2' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/audit trail intact/);
    expect(run(['--db', db2, 'lists'], { WATCHDESK_PASSWORD: 'another desk pw 2' }).out).toMatch(/^Warrants\twanted\tv1\t5 entries/);
    expect(run(['--db', db2, 'users', 'list'], { WATCHDESK_PASSWORD: 'another desk pw 2' }).out).toMatch(/wichai\tofficer\tactive\t\(no key slot yet/);

    const rot = run(['--db', db, 'keys', 'rotate']);
    expect(rot.code, rot.err).toBe(0);
    expect(rot.out).toMatch(/database key rotated: [0-9a-f]{16} -> [0-9a-f]{16}/);
    const v = run(['--db', db, 'audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/audit trail intact: \d+ rows\nchain head (\d+) [0-9a-f]{64}; head outside the database \1 /);
    expect(run(['--db', db, '--format', 'json', 'audit', 'list', '--action', 'user']).out).toMatch(/"action": "user.create"/);

    // Recovery from the command line: a forgotten password, the passphrase, a new password.
    const rec = run(['--db', db, 'recover'], { WATCHDESK_PASSWORD: 'forgotten', WATCHDESK_NEW_PASSWORD: 'recovered desk 1' });
    expect(rec.code, rec.err).toBe(0);
    expect(run(['--db', db, 'lists'], { WATCHDESK_PASSWORD: 'recovered desk 1' }).code).toBe(0);
  }, 180_000);
});

describe('backup beside other calls', () => {
  it('is built by a worker while screenings append to the trail; it holds the head of its own snapshot', async () => {
    const { api } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'Police');
    const backup = api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    for (let i = 0; i < 5; i++) await api.call('screening.screen', { traveler: { fullName: `Nobody Particular ${i}` } });
    const b = await backup;
    const head = (await api.call('audit.list', { limit: 1 })).entries[0]!.seq;
    expect(b.auditHeadSeq).toBeGreaterThan(0);
    expect(b.auditHeadSeq).toBeLessThan(head);
    expect(Buffer.from(b.contentBase64, 'base64').length).toBe(b.bytes);
  }, 60_000);
});
