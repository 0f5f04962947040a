/**
 * Encrypted backup and restore (issue 5): one file, restorable only with the recovery passphrase,
 * verified after writing; restore only where no database exists. Through the API and the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { removeStaleStaging, stagingPath } from '../../electron/core/db/backup';
import { copyDatabaseUnderKey, openDatabase } from '../../electron/core/db/database';
import { readKeyFile, unlockCandidatesWithPassphrase } from '../../electron/core/db/keyslots';
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
    // Only the count of failed passphrases is kept (recovery-limit.test.ts); no database is made.
    const notLockout = () => readdirSync(dir).filter((n) => !n.endsWith('.lockout'));
    expect(notLockout()).toEqual([]);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10]! ^= 0xff;
    await expectApiError(api2.call('backup.restore', { ...payload, contentBase64: damaged.toString('base64'), recoveryPassphrase: PASSPHRASE }), 'bad_input', /damaged/);
    await expectApiError(api2.call('backup.restore', { ...payload, contentBase64: Buffer.from('hello').toString('base64'), recoveryPassphrase: PASSPHRASE }), 'bad_input', /not a Watchdesk backup/);
    await expectApiError(api2.call('backup.restore', { ...payload, username: 'malee', recoveryPassphrase: PASSPHRASE }), 'bad_input', /enabled admin/);
    expect(notLockout()).toEqual([]);

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

const modes = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, (statSync(join(dir, f)).mode & 0o777).toString(8)]));

/** Runs `fn` with the usual umask 022, under which SQLite's own files come out 0644. */
async function withUmask022<T>(fn: () => Promise<T>): Promise<T> {
  const old = process.umask(0o022);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe('file modes (issue 15 item 5)', () => {
  it('the database, its WAL and SHM, key, head and lockout files, a staging copy, the backup and the restored database are 0600', async () => {
    await withUmask022(async () => {
      const { engine, api, dbPath, dir } = await setUpEngine();
      await api.call('auth.signIn', { username: 'admin', password: 'a wrong password 1' }).catch(() => null);
      const all0600 = (d: string) => expect(Object.values(modes(d)).every((m) => m === '600'), JSON.stringify(modes(d))).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['watchdesk.db', 'watchdesk.db-shm', 'watchdesk.db-wal', 'watchdesk.db.head', 'watchdesk.db.keys', 'watchdesk.db.lockout']);
      all0600(dir);
      // A staging copy (VACUUM INTO, then re-keyed through a rollback journal) and its journal.
      const [key] = await unlockCandidatesWithPassphrase(readKeyFile(dbPath), PASSPHRASE);
      const db = openDatabase(dbPath, key!);
      const staged = stagingPath(dbPath, 'backup-tmp');
      copyDatabaseUnderKey(db, staged, key!, randomBytes(32));
      db.close();
      expect((statSync(staged).mode & 0o777).toString(8)).toBe('600');
      all0600(dir);
      // A backup written by the engine (the CLI's --out), and a database restored from it.
      const file = join(tempDir(), 'desk.wdbak');
      const writer = new Engine({ dbPath, exportTo: { path: file } });
      const wapi = createClient((r) => writer.handle(r));
      await wapi.call('auth.signIn', { username: 'admin', password: PASSWORD });
      await wapi.call('backup.create', { recoveryPassphrase: PASSPHRASE });
      writer.close();
      engine.close();
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      const dir2 = tempDir();
      const fresh = new Engine({ dbPath: join(dir2, 'restored.db') });
      await createClient((r) => fresh.handle(r)).call('backup.restore', {
        contentBase64: readFileSync(file).toString('base64'), recoveryPassphrase: PASSPHRASE, username: 'admin', newPassword: 'restored desk pw',
      });
      expect(readdirSync(dir2).sort()).toEqual(['restored.db', 'restored.db-shm', 'restored.db-wal', 'restored.db.head', 'restored.db.keys']);
      all0600(dir2);
      fresh.close();
    });
  }, 60_000);

  it('a database left 0644 by an earlier version is made 0600 when it is opened', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    chmodSync(dbPath, 0o644);
    const e = new Engine({ dbPath });
    await createClient((r) => e.handle(r)).call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect(statSync(dbPath).mode & 0o777).toBe(0o600);
    expect(statSync(`${dbPath}-wal`).mode & 0o777).toBe(0o600);
    e.close();
  });
});

/** The pid of a process that has ended (so its files are stale). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

describe('staging left by a killed backup or rotation (issue 15 item 6)', () => {
  it('is removed when the engine opens the database: only our staging names, only those of processes that are gone', async () => {
    const { engine, dbPath, dir } = await setUpEngine();
    engine.close();
    const dead = deadPid();
    // A live process other than this one (another Watchdesk on the same database, at work).
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const stale = [
        `watchdesk.db.backup-tmp-${dead}-0a1b2c3d`, `watchdesk.db.backup-tmp-${dead}-0a1b2c3d-journal`,
        `watchdesk.db.backup-check-${dead}-11223344`, `watchdesk.db.rotating-${dead}-deadbeef`,
        `watchdesk.db.rotating-${dead}-deadbeef-journal`, `watchdesk.db.restoring-${dead}-cafebabe`,
        `watchdesk.db.keys.${dead}-0a1b2c3d.tmp`, `watchdesk.db.head.${dead}-0a1b2c3d.tmp`, `watchdesk.db.lockout.${dead}-0a1b2c3d.tmp`,
        // The fixed names earlier versions used.
        'watchdesk.db.backup-tmp', 'watchdesk.db.backup-tmp-journal', 'watchdesk.db.backup-check', 'watchdesk.db.rotating', `watchdesk.db.keys.tmp-${dead}`,
      ];
      const kept = [
        `watchdesk.db.backup-tmp-${live.pid}-0a1b2c3d`, `watchdesk.db.rotating-${process.pid}-0a1b2c3d`,
        `watchdesk.db.keys.${live.pid}-0a1b2c3d.tmp`,
        // Not ours: other names, another database's staging.
        'watchdesk.db.backup-tmp-notapid', 'notes.txt', `other.db.backup-tmp-${dead}-0a1b2c3d`, `watchdesk.db.export.${dead}-0a1b2c3d.tmp`,
      ];
      // Up to a full encrypted copy of the database each.
      for (const f of [...stale, ...kept]) writeFileSync(join(dir, f), randomBytes(4096));
      const e = new Engine({ dbPath });
      await createClient((r) => e.handle(r)).call('auth.signIn', { username: 'admin', password: PASSWORD });
      e.close();
      const left = readdirSync(dir);
      expect(stale.filter((f) => left.includes(f))).toEqual([]);
      expect(kept.filter((f) => !left.includes(f))).toEqual([]);
      expect(removeStaleStaging(dbPath)).toEqual([]);
    } finally {
      live.kill('SIGKILL');
    }
  });
});

describe('a backup written by the engine (the CLI\'s --out)', () => {
  it('is complete and verified before it has its name, audited only after, and never replaces a file unless asked', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const out = join(tempDir(), 'desk.wdbak');
    const backupTo = async (overwrite: boolean) => {
      const e = new Engine({ dbPath, exportTo: { path: out, overwrite } });
      const api = createClient((r) => e.handle(r));
      await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
      try {
        return await api.call('backup.create', { recoveryPassphrase: PASSPHRASE }).catch((x: unknown) => x);
      } finally {
        e.close();
      }
    };
    const rows = async () => {
      const e = new Engine({ dbPath });
      const api = createClient((r) => e.handle(r));
      await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
      const r = (await api.call('audit.list', { action: 'backup.create' })).entries.map((x) => x.details);
      e.close();
      return r;
    };
    const first = await backupTo(false);
    expect(first).toMatchObject({ sha256: createHash('sha256').update(readFileSync(out)).digest('hex') });
    expect(await rows()).toEqual([expect.objectContaining({ sha256: (first as { sha256: string }).sha256, delivery: 'file' })]);
    const before = readFileSync(out);
    const again = await backupTo(false);
    expect(again).toBeInstanceOf(ApiCallError);
    expect(again).toMatchObject({ code: 'conflict', reason: 'files.exists', params: { file: 'desk.wdbak' } });
    expect(readFileSync(out).equals(before)).toBe(true);
    // The refused backup left no row claiming it was written.
    expect(await rows()).toHaveLength(1);
    const replaced = await backupTo(true);
    expect(replaced).toMatchObject({ sha256: createHash('sha256').update(readFileSync(out)).digest('hex') });
    expect(await rows()).toHaveLength(2);
    expect(readdirSync(join(out, '..'))).toEqual(['desk.wdbak']);
  }, 60_000);
});
