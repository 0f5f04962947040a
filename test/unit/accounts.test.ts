/**
 * Accounts, key slots, lockout, idle lock, retention and recovery (issue 5, DESIGN.md section 4).
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { openDatabase } from '../../electron/core/db/database';
import { readKeyFile, unlockWithPassword } from '../../electron/core/db/keyslots';
import { LOCKOUT_THRESHOLD } from '../../electron/core/lockout';
import { PASSPHRASE, PASSWORD, importFixture, setUpEngine, tempDir } from './helpers';

async function expectApiError(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).code).toBe(code);
  if (message) expect((err as ApiCallError).message).toMatch(message);
}

/** A cold engine on an existing database (a desk just started), with its client. */
function cold(dbPath: string, now?: () => Date): { engine: Engine; api: ApiClient } {
  const engine = new Engine({ dbPath, now });
  return { engine, api: createClient((r) => engine.handle(r)) };
}

async function signInCold(dbPath: string, username: string, password: string): Promise<{ engine: Engine; api: ApiClient }> {
  const c = cold(dbPath);
  try {
    await c.api.call('auth.signIn', { username, password });
  } catch (e) {
    c.engine.close();
    throw e;
  }
  return c;
}

/** Bytes and mtimes of every file in a folder but the lockout file (which counts failed secrets). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort().filter((n) => !n.endsWith('.lockout'))) out[f] = `${readFileSync(join(dir, f)).toString('base64')}@${statSync(join(dir, f)).mtimeMs}`;
  return out;
}

describe('user accounts', () => {
  it('creates accounts under the password policy, each with its own key slot that unlocks a cold desk', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    await expectApiError(api.call('users.create', { username: 'somchai', password: 'short', roles: ['officer'] }), 'bad_input', /at least 10 characters/);
    await expectApiError(api.call('users.create', { username: 'somchai', password: 'somchai-2024-x', roles: ['officer'] }), 'bad_input', /must not contain the username/);
    await expectApiError(api.call('users.create', { username: 'somchai', password: 'aaaaabbbbbbb', roles: ['officer'] }), 'bad_input', /different characters/);
    await expectApiError(api.call('users.create', { username: 'somchai', password: 'Password123', roles: ['officer'] }), 'bad_input', /too common/);
    await expectApiError(api.call('users.create', { username: 'bad name!', password: 'a fine password', roles: ['officer'] }), 'invalid_request');
    await expectApiError(api.call('users.create', { username: 'somchai', password: 'a fine password', roles: [] }), 'invalid_request');
    const u = await api.call('users.create', { username: 'somchai', password: 'officer at desk 3', roles: ['officer'] });
    expect(u).toMatchObject({ username: 'somchai', roles: ['officer'], disabled: false, hasKeySlot: true, lockedUntil: null });
    await expectApiError(api.call('users.create', { username: 'SOMCHAI', password: 'officer at desk 4', roles: ['officer'] }), 'conflict', /already taken/);
    expect((await api.call('users.list')).map((x) => x.username)).toEqual(['admin', 'somchai']);
    // The key file names nobody.
    const keys = readFileSync(`${dbPath}.keys`, 'utf8');
    expect(keys).not.toMatch(/somchai|admin/i);
    expect(readKeyFile(dbPath).slots.filter((s) => s.type === 'user')).toHaveLength(2);
    engine.close();

    const desk = await signInCold(dbPath, 'somchai', 'officer at desk 3');
    expect((await desk.api.call('app.status')).user).toMatchObject({ username: 'somchai', roles: ['officer'] });
    await expectApiError(desk.api.call('users.list'), 'forbidden');
    desk.engine.close();
  });

  it('re-roles a user at once (live sessions too), disables (slot removed, sessions ended) and enables only with a new password', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    const u = await api.call('users.create', { username: 'nok', password: 'desk three pass', roles: ['officer'] });
    const nok = createClient((r) => engine.handle(r));
    await nok.call('auth.signIn', { username: 'nok', password: 'desk three pass' });
    expect((await nok.call('screening.screen', { traveler: { fullName: 'Ann Example' } })).hits).toEqual([]);
    await api.call('users.update', { userId: u.id, roles: ['auditor'] });
    await expectApiError(nok.call('screening.screen', { traveler: { fullName: 'A B' } }), 'forbidden');
    expect((await nok.call('audit.verify')).ok).toBe(true);

    const slotsBefore = readKeyFile(dbPath).slots.length;
    const off = await api.call('users.update', { userId: u.id, disabled: true });
    expect(off).toMatchObject({ disabled: true, hasKeySlot: false });
    expect(readKeyFile(dbPath).slots.length).toBe(slotsBefore - 1);
    await expectApiError(nok.call('watchlists.list'), 'unauthenticated');
    await expectApiError(createClient((r) => engine.handle(r)).call('auth.signIn', { username: 'nok', password: 'desk three pass' }), 'unauthenticated');
    await expectApiError(api.call('users.update', { userId: u.id, disabled: false }), 'bad_input', /needs a new password/);
    const on = await api.call('users.update', { userId: u.id, disabled: false, password: 'fresh desk pass 9' });
    expect(on).toMatchObject({ disabled: false, hasKeySlot: true, roles: ['auditor'] });
    engine.close();
    await expectApiError(signInCold(dbPath, 'nok', 'desk three pass'), 'unauthenticated');
    const back = await signInCold(dbPath, 'nok', 'fresh desk pass 9');
    back.engine.close();
  });

  it('keeps at least one enabled admin, and an admin cannot disable themself', async () => {
    const { engine, api } = await setUpEngine();
    const me = (await api.call('app.status')).user!;
    await expectApiError(api.call('users.update', { userId: me.id, roles: ['officer'] }), 'conflict', /admin role/);
    await expectApiError(api.call('users.update', { userId: me.id, disabled: true }), 'conflict', /your own account/);
    const other = await api.call('users.create', { username: 'second', password: 'backup admin pw', roles: ['admin'] });
    await api.call('users.update', { userId: me.id, roles: ['officer', 'auditor'] });
    await expectApiError(api.call('users.list'), 'forbidden');
    const second = createClient((r) => engine.handle(r));
    await second.call('auth.signIn', { username: 'second', password: 'backup admin pw' });
    await expectApiError(second.call('users.update', { userId: other.id, roles: ['auditor'] }), 'conflict', /admin role/);
    engine.close();
  });

  it('reset and change of password re-wrap only that slot; a wrong current password is refused', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    const u = await api.call('users.create', { username: 'ploy', password: 'first password 1', roles: ['supervisor'] });
    const before = readKeyFile(dbPath).slots;
    await api.call('users.resetPassword', { userId: u.id, password: 'second password 2' });
    const after = readKeyFile(dbPath).slots;
    expect(after.length).toBe(before.length);
    // Only ploy's slot changed.
    expect(after.filter((s) => !before.some((b) => JSON.stringify(b) === JSON.stringify(s)))).toHaveLength(1);
    engine.close();
    await expectApiError(signInCold(dbPath, 'ploy', 'first password 1'), 'unauthenticated');
    const desk = await signInCold(dbPath, 'ploy', 'second password 2');
    await expectApiError(desk.api.call('auth.changePassword', { currentPassword: 'not it at all', newPassword: 'third password 3' }), 'bad_input', /current password is wrong/);
    await expectApiError(desk.api.call('auth.changePassword', { currentPassword: 'second password 2', newPassword: 'ploy-ploy-ploy' }), 'bad_input', /username/);
    await desk.api.call('auth.changePassword', { currentPassword: 'second password 2', newPassword: 'third password 3' });
    desk.engine.close();
    await expectApiError(signInCold(dbPath, 'ploy', 'second password 2'), 'unauthenticated');
    (await signInCold(dbPath, 'ploy', 'third password 3')).engine.close();
    // The database key is the same under every slot.
    const k1 = await unlockWithPassword(readKeyFile(dbPath), 'ploy', 'third password 3');
    const k2 = await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD);
    expect(k1.equals(k2)).toBe(true);
  });
});

describe('lockout after repeated failed sign-ins', () => {
  it('locks an account on a cold desk, refuses even the right password, audits it all once the database opens, and lapses', async () => {
    let now = Date.parse('2026-11-29T08:00:00Z');
    const clock = () => new Date(now);
    const { engine, api, dbPath } = await setUpEngine({ now: clock });
    await api.call('users.create', { username: 'lek', password: 'desk seven pass 99', roles: ['officer'] });
    engine.close();
    const desk = cold(dbPath, clock);
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      await expectApiError(desk.api.call('auth.signIn', { username: 'lek', password: `wrong guess ${i}` }), 'unauthenticated', /wrong username or password/);
    }
    await expectApiError(desk.api.call('auth.signIn', { username: 'lek', password: 'wrong again!' }), 'locked', /locked after repeated failed sign-ins; try again in 15 minute/);
    await expectApiError(desk.api.call('auth.signIn', { username: 'lek', password: 'desk seven pass 99' }), 'locked');
    // Unknown names are refused the same way but lock nothing and leave no name on disk.
    await expectApiError(desk.api.call('auth.signIn', { username: 'nobody-here', password: 'whatever 1234' }), 'unauthenticated');
    expect(readFileSync(`${dbPath}.lockout`, 'utf8')).not.toMatch(/lek|nobody/);
    // Other accounts are not affected.
    await desk.api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const trail = await desk.api.call('audit.list', { limit: 50 });
    const lek = (await desk.api.call('users.list')).find((u) => u.username === 'lek')!;
    expect(lek.lockedUntil).toBe(new Date(now + 15 * 60_000).toISOString());
    const fails = trail.entries.filter((e) => e.action === 'auth.fail');
    expect(fails).toHaveLength(LOCKOUT_THRESHOLD + 1);
    expect(fails.filter((e) => e.actorId === lek.id)).toHaveLength(LOCKOUT_THRESHOLD);
    expect(trail.entries.filter((e) => e.action === 'auth.lockout' && e.actorId === lek.id)).toHaveLength(1);
    // While the desk is open, a locked account is refused and the refusal audited at once.
    await expectApiError(createClient((r) => desk.engine.handle(r)).call('auth.signIn', { username: 'lek', password: 'desk seven pass 99' }), 'locked');
    expect((await desk.api.call('audit.list', { action: 'auth.refusedLocked' })).total).toBe(1);
    now += 16 * 60_000;
    await createClient((r) => desk.engine.handle(r)).call('auth.signIn', { username: 'lek', password: 'desk seven pass 99' });
    await desk.api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect((await desk.api.call('users.list')).find((u) => u.username === 'lek')!.lockedUntil).toBeNull();
    desk.engine.close();
  });

  it('locks on an open desk too, and an admin password reset lifts the lock', async () => {
    const { engine, api } = await setUpEngine();
    const u = await api.call('users.create', { username: 'dao', password: 'night shift 42', roles: ['officer'] });
    const other = createClient((r) => engine.handle(r));
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await other.call('auth.signIn', { username: 'dao', password: 'nope nope nope' }).catch(() => undefined);
    await expectApiError(other.call('auth.signIn', { username: 'dao', password: 'night shift 42' }), 'locked');
    expect((await api.call('users.list')).find((x) => x.id === u.id)!.lockedUntil).not.toBeNull();
    expect((await api.call('audit.list', { action: 'auth.lockout' })).entries[0]).toMatchObject({ actorId: u.id, subject: u.id });
    await api.call('users.resetPassword', { userId: u.id, password: 'morning shift 1' });
    await other.call('auth.signIn', { username: 'dao', password: 'morning shift 1' });
    engine.close();
  });
});

describe('idle lock setting', () => {
  it('expires sessions after the configured idle minutes and tells the UI', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const { engine, api } = await setUpEngine({ now: () => new Date(now) });
    expect((await api.call('app.status')).idleMinutes).toBe(15);
    await expectApiError(api.call('settings.update', { idleMinutes: 0 }), 'invalid_request');
    expect(await api.call('settings.update', { idleMinutes: 5 })).toMatchObject({ idleMinutes: 5, retentionDays: 0 });
    expect((await api.call('app.status')).idleMinutes).toBe(5);
    now += 4 * 60_000;
    await api.call('watchlists.list');
    now += 6 * 60_000;
    await expectApiError(api.call('watchlists.list'), 'unauthenticated', /expired after inactivity/);
    engine.close();
  });
});

describe('retention (PDPA)', () => {
  it('purges personal data older than the setting without breaking the audit chain', async () => {
    let now = Date.parse('2026-01-10T03:00:00Z');
    const { engine, api, dbPath } = await setUpEngine({ now: () => new Date(now) });
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    const old = await api.call('screening.screen', { traveler: { fullName: 'Quintessa Oldtraveler', documentNumber: 'OLD123456' } });
    for (const h of old.hits) if (h.band !== 'weak') await api.call('screening.decide', { hitId: h.hitId!, decision: 'not-same-person', note: 'different face' });
    await api.call('crossings.record', { screeningId: old.screeningId, direction: 'entry', outcome: 'passed', note: 'old note Quintessa' });
    now += 100 * 86_400_000;
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const recent = await api.call('screening.screen', { traveler: { fullName: 'Bartholomew Newtraveler' } });
    await api.call('crossings.record', { screeningId: recent.screeningId, direction: 'exit', outcome: 'passed' });

    expect(await api.call('retention.purge')).toMatchObject({ cutoff: null, screenings: 0 });
    await api.call('settings.update', { retentionDays: 90 });
    const r = await api.call('retention.purge');
    expect(r).toMatchObject({ screenings: 1, crossings: 1 });
    expect(r.cutoff).toBe(new Date(now - 90 * 86_400_000).toISOString());
    expect((await api.call('retention.purge')).screenings).toBe(0);
    const { crossings } = await api.call('crossings.list', {});
    expect(crossings.map((c) => c.travelerName).sort()).toEqual(['', 'Bartholomew Newtraveler']);
    expect(crossings.find((c) => c.travelerName === '')!.note).toBeNull();
    expect((await api.call('audit.verify')).ok).toBe(true);
    expect((await api.call('settings.get')).lastPurgeAt).toBe(new Date(now).toISOString());
    const purges = await api.call('audit.list', { action: 'retention.purge' });
    expect(purges.entries.map((e) => e.details.screenings)).toEqual([0, 1, 0]);
    expect(purges.entries[1]!.details).toMatchObject({ days: 90, screenings: 1, crossings: 1 });
    engine.close();
    const db = openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD));
    const everything = JSON.stringify([
      db.prepare('SELECT * FROM screenings').all(), db.prepare('SELECT * FROM hits').all(), db.prepare('SELECT * FROM crossings').all(),
      db.prepare('SELECT * FROM audit').all(),
    ]);
    db.close();
    expect(everything).not.toMatch(/Quintessa|Oldtraveler|OLD123456|different face/i);
    expect(everything).toMatch(/Bartholomew/);
  });
});

describe('recovery passphrase', () => {
  it('recovers on a new machine: copy the files, unlock with the passphrase, set a new password', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    engine.close();
    const newDir = tempDir();
    const moved = join(newDir, 'watchdesk.db');
    for (const ext of ['', '.keys', '.head']) copyFileSync(`${dbPath}${ext}`, `${moved}${ext}`);
    const desk = cold(moved);
    await expectApiError(desk.api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'short' }), 'bad_input', /at least 10/);
    const s = await desk.api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'new machine password' });
    expect(s.user.username).toBe('admin');
    expect(desk.api.token).toBe(s.token);
    expect((await desk.api.call('watchlists.list'))[0]!.activeVersion!.entryCount).toBe(5);
    expect((await desk.api.call('audit.verify')).ok).toBe(true);
    expect((await desk.api.call('audit.list', { action: 'auth.recover' })).total).toBe(1);
    desk.engine.close();
    await expectApiError(signInCold(moved, 'admin', PASSWORD), 'unauthenticated');
    (await signInCold(moved, 'admin', 'new machine password')).engine.close();
  });

  it('recovers a database moved without its head file: the passphrase holder re-anchors it, and the trail says so', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const moved = join(tempDir(), 'watchdesk.db');
    for (const ext of ['', '.keys']) copyFileSync(`${dbPath}${ext}`, `${moved}${ext}`);
    const desk = cold(moved);
    await desk.api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'new machine password' });
    const v = await desk.api.call('audit.verify');
    expect(v.ok, v.message).toBe(true);
    expect(v.externalHeadSeq).not.toBeNull();
    expect((await desk.api.call('audit.list', { action: 'audit.headReanchored' })).total).toBe(1);
    desk.engine.close();
  });

  it('a wrong passphrase is a clear error and changes no file (recover, rotate, backup)', async () => {
    const { engine, api, dir } = await setUpEngine();
    await api.call('users.create', { username: 'officer1', password: 'officer password', roles: ['officer'] });
    await expectApiError(api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: 'not the passphrase at all' }), 'bad_input', /^the recovery passphrase is wrong$/);
    await expectApiError(api.call('backup.create', { recoveryPassphrase: 'not the passphrase at all' }), 'bad_input', /^the recovery passphrase is wrong$/);
    engine.close();
    const before = snapshot(dir);
    const desk = cold(join(dir, 'watchdesk.db'));
    await expectApiError(
      desk.api.call('auth.recover', { username: 'admin', recoveryPassphrase: 'not the passphrase at all', newPassword: 'whatever password' }),
      'bad_input', /^the recovery passphrase is wrong$/,
    );
    desk.engine.close();
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, 'watchdesk.db.rotating'))).toBe(false);
  });
});
