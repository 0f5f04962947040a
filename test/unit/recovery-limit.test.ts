/**
 * Recovery-passphrase guesses are limited and audited (issue 15, item 10). Every call that takes
 * the passphrase (auth.recover, keys.rotate, backup.create, backup.restore; the CLI's recover,
 * rotate, backup and restore go through them) shares one counter in `<db>.lockout`: from the
 * RECOVERY_LOCK_THRESHOLD-th wrong passphrase in a row recovery locks for 1 minute, doubling with
 * each further one; the lock survives a restart and refuses even the right passphrase. Each failed,
 * locked, refused and successful use is an audit row (ids only); where no database is open yet, the
 * rows wait in `<db>.lockout` and reach the trail when it opens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { RECOVERY_LOCK_THRESHOLD, recoveryLockMs } from '../../electron/core/lockout';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const WRONG = 'not the recovery passphrase at all';
const START = Date.parse('2030-03-01T08:00:00Z');

/** A clock the test moves. */
function clock() {
  let t = START;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

interface Row { actor_id: string | null; action: string; subject: string | null; details: Record<string, unknown> }

function recoveryRows(engine: Engine): Row[] {
  return (engine.requireDb().prepare("SELECT actor_id, action, subject, details FROM audit WHERE action LIKE 'recovery.%' ORDER BY seq").all() as (Omit<Row, 'details'> & { details: string })[])
    .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

function cold(dbPath: string, now: () => Date): { engine: Engine; api: ApiClient } {
  const engine = new Engine({ dbPath, now });
  return { engine, api: createClient((r) => engine.handle(r)) };
}

describe('recovery passphrase: limited', () => {
  it('locks after repeated wrong passphrases for a growing time, refusing even the right one; a right one afterwards clears the count', async () => {
    const c = clock();
    const { engine, api } = await setUpEngine({ now: c.now });
    const recover = (recoveryPassphrase: string) => api.call('auth.recover', { username: 'admin', recoveryPassphrase, newPassword: 'a brand new desk password' });
    for (let i = 1; i < RECOVERY_LOCK_THRESHOLD; i++) expect((await refusal(recover(WRONG))).reason).toBe('auth.wrongPassphrase');
    const locked = await refusal(recover(WRONG));
    expect(locked).toMatchObject({ code: 'locked', reason: 'recovery.locked', params: { minutes: 1 } });
    expect(locked.message).toBe('recovery with the passphrase is locked after repeated wrong passphrases; try again in 1 minute(s)');
    // The right passphrase is refused while locked, and so are the other uses (one counter).
    expect((await refusal(recover(PASSPHRASE))).reason).toBe('recovery.locked');
    expect((await refusal(api.call('backup.create', { recoveryPassphrase: PASSPHRASE }))).reason).toBe('recovery.locked');
    expect((await refusal(api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE }))).reason).toBe('recovery.locked');

    // Each further wrong passphrase in a row doubles the lock: 2 minutes, then 4.
    c.advance(61_000);
    expect(await refusal(recover(WRONG))).toMatchObject({ code: 'locked', params: { minutes: 2 } });
    c.advance(60_000);
    expect(await refusal(recover(PASSPHRASE))).toMatchObject({ code: 'locked', params: { minutes: 1 } });
    c.advance(61_000);
    expect(await refusal(api.call('backup.create', { recoveryPassphrase: WRONG }))).toMatchObject({ code: 'locked', params: { minutes: 4 } });
    c.advance(4 * 60_000 + 1000);
    // Once the lock lapses the right passphrase works, and the count starts again.
    expect((await api.call('backup.create', { recoveryPassphrase: PASSPHRASE })).bytes).toBeGreaterThan(0);
    expect((await refusal(recover(WRONG))).reason).toBe('auth.wrongPassphrase');
    expect(recoveryLockMs(RECOVERY_LOCK_THRESHOLD)).toBe(60_000);
    expect(recoveryLockMs(RECOVERY_LOCK_THRESHOLD + 40)).toBe(24 * 60 * 60_000);
    engine.close();
  });

  it('keeps the lock across a restart, and counts guesses made while the database is locked', async () => {
    const c = clock();
    const { engine, api, dbPath } = await setUpEngine({ now: c.now });
    for (let i = 1; i < RECOVERY_LOCK_THRESHOLD; i++) {
      expect((await refusal(api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: WRONG }))).reason).toBe('auth.wrongPassphrase');
    }
    engine.close();
    // A fresh engine on a cold desk (the database still locked): the count is where it was.
    const desk = cold(dbPath, c.now);
    const recover = (recoveryPassphrase: string) => desk.api.call('auth.recover', { username: 'admin', recoveryPassphrase, newPassword: 'a brand new desk password' });
    expect((await refusal(recover(WRONG))).reason).toBe('recovery.locked');
    desk.engine.close();
    const again = cold(dbPath, c.now);
    expect((await refusal(again.api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'a brand new desk password' }))).reason).toBe('recovery.locked');
    // The file beside the database names nobody and holds no passphrase.
    const file = readFileSync(`${dbPath}.lockout`, 'utf8');
    expect(file).not.toMatch(/admin|passphrase at all|recovery passphrase of this test/);
    c.advance(61_000);
    const s = await again.api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'a brand new desk password' });
    expect(s.user.username).toBe('admin');
    // The guesses made while the database was locked reached the trail when it opened, under the account they named.
    const rows = recoveryRows(again.engine);
    expect(rows.map((r) => [r.action, r.details.use, r.details.failures ?? null])).toEqual([
      ...Array.from({ length: RECOVERY_LOCK_THRESHOLD - 1 }, (_, i) => ['recovery.failed', 'keys.rotate', i + 1]),
      ['recovery.failed', 'auth.recover', RECOVERY_LOCK_THRESHOLD],
      ['recovery.locked', 'auth.recover', RECOVERY_LOCK_THRESHOLD],
      ['recovery.refusedLocked', 'auth.recover', 0],
      ['recovery.used', 'auth.recover', null],
    ]);
    const adminId = s.user.id;
    expect(rows.slice(RECOVERY_LOCK_THRESHOLD - 1, -1).map((r) => [r.actor_id, r.details.whileLocked])).toEqual([[adminId, true], [adminId, true], [adminId, true]]);
    expect(rows.at(-1)).toMatchObject({ actor_id: adminId, subject: adminId });
    expect((await again.api.call('audit.verify')).ok).toBe(true);
    again.engine.close();
  });
});

describe('recovery passphrase: audited', () => {
  it('writes a row for each failed and each successful use (rotate, backup, recover), with ids and never the passphrase', async () => {
    const c = clock();
    const { engine, api } = await setUpEngine({ now: c.now });
    const adminId = (await api.call('app.status')).user!.id;
    await refusal(api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: WRONG }));
    await refusal(api.call('backup.create', { recoveryPassphrase: WRONG }));
    await refusal(api.call('auth.recover', { username: 'admin', recoveryPassphrase: WRONG, newPassword: 'a brand new desk password' }));
    await refusal(api.call('auth.recover', { username: 'nobody.here', recoveryPassphrase: WRONG, newPassword: 'a brand new desk password' }));
    await api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE });
    await api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'a brand new desk password' });
    const rows = recoveryRows(engine);
    expect(rows.map((r) => [r.action, r.actor_id, r.details.use, r.details.failures ?? null])).toEqual([
      ['recovery.failed', adminId, 'keys.rotate', 1],
      ['recovery.failed', adminId, 'backup.create', 2],
      ['recovery.failed', adminId, 'auth.recover', 3],
      ['recovery.failed', null, 'auth.recover', 4],
      ['recovery.used', adminId, 'backup.create', null],
      ['recovery.used', adminId, 'keys.rotate', null],
      ['recovery.used', adminId, 'auth.recover', null],
    ]);
    const all = JSON.stringify(engine.requireDb().prepare('SELECT * FROM audit').all());
    expect(all).not.toMatch(/passphrase at all|recovery passphrase of this test|nobody\.here/);
    expect((await api.call('audit.verify')).ok).toBe(true);
    engine.close();
  });

  it('a restore on an empty desk: failures wait in <db>.lockout, lock it, and reach the restored trail', async () => {
    const c = clock();
    const { engine, api } = await setUpEngine({ now: c.now });
    const backup = await api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    engine.close();
    const dir = tempDir();
    const dbPath = join(dir, 'restored.db');
    const desk = cold(dbPath, c.now);
    const payload = { contentBase64: backup.contentBase64, username: 'admin', newPassword: 'restored desk password' };
    for (let i = 1; i < RECOVERY_LOCK_THRESHOLD; i++) {
      expect((await refusal(desk.api.call('backup.restore', { ...payload, recoveryPassphrase: WRONG }))).reason).toBe('auth.wrongPassphrase');
    }
    expect((await refusal(desk.api.call('backup.restore', { ...payload, recoveryPassphrase: WRONG }))).reason).toBe('recovery.locked');
    desk.engine.close();
    // Restarting does not lift it, and the right passphrase is refused while it lasts.
    const desk2 = cold(dbPath, c.now);
    expect((await refusal(desk2.api.call('backup.restore', { ...payload, recoveryPassphrase: PASSPHRASE }))).reason).toBe('recovery.locked');
    const file = JSON.parse(readFileSync(`${dbPath}.lockout`, 'utf8')) as { pending: unknown[] };
    expect(file.pending).toHaveLength(RECOVERY_LOCK_THRESHOLD + 2);
    c.advance(61_000);
    await desk2.api.call('backup.restore', { ...payload, recoveryPassphrase: PASSPHRASE });
    const rows = recoveryRows(desk2.engine).slice(-(RECOVERY_LOCK_THRESHOLD + 3));
    expect(rows.map((r) => [r.action, r.actor_id, r.details.use, r.details.whileLocked ?? false])).toEqual([
      ...Array.from({ length: RECOVERY_LOCK_THRESHOLD }, () => ['recovery.failed', null, 'backup.restore', true]),
      ['recovery.locked', null, 'backup.restore', true],
      ['recovery.refusedLocked', null, 'backup.restore', true],
      ['recovery.used', (await desk2.api.call('app.status')).user!.id, 'backup.restore', false],
    ]);
    expect((await desk2.api.call('audit.verify')).ok).toBe(true);
    desk2.engine.close();
  });
});
