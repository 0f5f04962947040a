/**
 * Rotating the database key (DESIGN.md section 4): copy under the new key, verify, swap in. A
 * child process is killed with SIGKILL at each step; afterwards the database must open with one
 * of the keys in the key file and hold everything it held before.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { ROTATION_STEPS } from '../../electron/core/db/backup';
import { openDatabase } from '../../electron/core/db/database';
import { keyId, readKeyFile, unlockCandidatesWithPassphrase } from '../../electron/core/db/keyslots';
import { PASSPHRASE, PASSWORD, importFixture, setUpEngine } from './helpers';

const ROOT = join(import.meta.dirname, '../..');
const OFFICER = { username: 'kanya', password: 'border desk 12' };

/** A database with a list, a screening, a crossing and a second user; returns what must survive. */
async function prepared() {
  const { engine, api, dbPath, dir } = await setUpEngine();
  await importFixture(api, 'warrants-th.csv', 'Police warrants');
  await api.call('users.create', { ...OFFICER, roles: ['officer'] });
  const s = await api.call('screening.screen', { traveler: { fullName: 'Nobody In Particular' } });
  await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
  const expected = await facts(api);
  engine.close();
  return { dbPath, dir, expected };
}

async function facts(api: ApiClient) {
  const lists = await api.call('watchlists.list');
  const entries = await api.call('watchlists.entries', { listId: lists[0]!.id, limit: 1000 });
  const crossings = await api.call('crossings.list', {});
  const users = await api.call('users.list');
  return {
    entries: entries.entries.map((e) => e.entryId),
    crossings: crossings.crossings.map((c) => [c.id, c.travelerName]),
    users: users.map((u) => u.username),
  };
}

/** Rotates in a child process under the usual umask 022 (SQLite's own new files would be 0644). */
function rotateInChild(dbPath: string, crashAt: string | null) {
  return spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, '--import', 'tsx', 'test/unit/rotate-child.ts', dbPath], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_TEST_CRASH_AT: crashAt ?? '' },
  });
}

async function signIn(dbPath: string, username: string, password: string) {
  const engine = new Engine({ dbPath });
  const api = createClient((r) => engine.handle(r));
  await api.call('auth.signIn', { username, password });
  return { engine, api };
}

describe('key rotation', () => {
  it('refuses while another process has the database open (it would go on writing to the old file); rotates once it is closed', async () => {
    const { dbPath, expected } = await prepared();
    // The app (another process) with the desk open and signed in.
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      import { Engine } from './electron/core/api/engine';
      import { createClient } from './shared/client';
      const engine = new Engine({ dbPath: ${JSON.stringify(dbPath)} });
      await createClient((r) => engine.handle(r)).call('auth.signIn', { username: 'admin', password: ${JSON.stringify(PASSWORD)} });
      console.log('OPEN');
      setInterval(() => {}, 1000);
    `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ok) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('OPEN') && ok()));
      const { engine, api } = await signIn(dbPath, 'admin', PASSWORD);
      const refused = await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiCallError);
      expect(refused).toMatchObject({ code: 'conflict', reason: 'db.inUseElsewhere' });
      // Nothing changed, and the desk goes on working in shared mode.
      expect(readKeyFile(dbPath).slots.every((sl) => sl.keyId === readKeyFile(dbPath).keyId || !sl.keyId)).toBe(true);
      expect(await facts(api)).toEqual(expected);
      await engine.indexSettled();
      await api.call('screening.screen', { traveler: { fullName: 'Nobody Else' } });
      expect((await api.call('audit.verify')).ok).toBe(true);
      engine.close();
    } finally {
      holder.kill();
      await new Promise((ok) => holder.once('exit', ok));
    }
    const { engine, api } = await signIn(dbPath, 'admin', PASSWORD);
    const r = await api.call('keys.rotate', { password: PASSWORD, recoveryPassphrase: PASSPHRASE });
    expect(r.keyId).not.toBe(r.previousKeyId);
    expect(await facts(api)).toEqual(expected);
    engine.close();
  }, 120_000);

  it('rotates: new key, same data, old slots gone, audit intact, other users re-slotted at their next sign-in', async () => {
    const { dbPath, dir, expected } = await prepared();
    const oldKeyId = readKeyFile(dbPath).keyId;
    const r = rotateInChild(dbPath, null);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { keyId: string; previousKeyId: string };
    expect(out.previousKeyId).toBe(oldKeyId);
    const kf = readKeyFile(dbPath);
    expect(kf.keyId).toBe(out.keyId);
    expect(kf.slots.every((s) => s.keyId === out.keyId)).toBe(true);
    expect(kf.slots.map((s) => s.type).sort()).toEqual(['recovery', 'user']);
    expect(readdirSync(dir).filter((f) => /rotating|tmp/.test(f))).toEqual([]);
    // The swapped-in copy is owner-only, like every database file (issue 15 item 5: it was 0644).
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, (statSync(join(dir, f)).mode & 0o777).toString(8)]))).toEqual(
      Object.fromEntries(readdirSync(dir).map((f) => [f, '600'])),
    );
    // The recovery passphrase opens the new key.
    const [key] = await unlockCandidatesWithPassphrase(kf, PASSPHRASE);
    expect(keyId(key!)).toBe(out.keyId);
    openDatabase(dbPath, key!).close();
    // The officer's old slot went with the old key: a cold desk refuses them ...
    await expect(signIn(dbPath, OFFICER.username, OFFICER.password)).rejects.toBeInstanceOf(ApiCallError);
    // ... until they sign in while the desk is unlocked, which gives them a slot for the new key.
    const admin = await signIn(dbPath, 'admin', PASSWORD);
    expect(await facts(admin.api)).toEqual(expected);
    expect((await admin.api.call('users.list')).find((u) => u.username === OFFICER.username)!.hasKeySlot).toBe(false);
    await createClient((q) => admin.engine.handle(q)).call('auth.signIn', OFFICER);
    const v = await admin.api.call('audit.verify');
    expect(v).toMatchObject({ ok: true, externalHeadSeq: v.headSeq });
    expect((await admin.api.call('audit.list', { action: 'keys' })).entries.map((e) => e.action)).toEqual(['keys.rotated', 'keys.rotate']);
    admin.engine.close();
    (await signIn(dbPath, OFFICER.username, OFFICER.password)).engine.close();
  }, 60_000);

  for (const step of ROTATION_STEPS) {
    it(`killed with SIGKILL after step "${step}": the database opens with one of the keys and loses nothing`, async () => {
      const { dbPath, dir, expected } = await prepared();
      const oldKeyId = readKeyFile(dbPath).keyId!;
      const r = rotateInChild(dbPath, step);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      const swapped = ROTATION_STEPS.indexOf(step) >= ROTATION_STEPS.indexOf('swapped');
      // Every key the admin's password unwraps is a candidate; one of them opens the database.
      const admin = await signIn(dbPath, 'admin', PASSWORD);
      expect(await facts(admin.api)).toEqual(expected);
      const v = await admin.api.call('audit.verify');
      expect(v.ok, v.message).toBe(true);
      const kf = readKeyFile(dbPath);
      expect(kf.keyId === oldKeyId).toBe(!swapped);
      // After opening, only the winning key's slots remain and the staging copy is gone.
      expect(new Set(kf.slots.map((s) => s.keyId))).toEqual(new Set([kf.keyId]));
      expect(existsSync(`${dbPath}.rotating`)).toBe(false);
      expect(readdirSync(dir).filter((f) => /rotating|tmp-/.test(f))).toEqual([]);
      admin.engine.close();
      // The recovery passphrase still opens it.
      const keys = await unlockCandidatesWithPassphrase(readKeyFile(dbPath), PASSPHRASE);
      expect(keys.map(keyId)).toContain(kf.keyId);
      // Before the swap nothing changed for other users; after it they are re-slotted at their next sign-in.
      if (!swapped) (await signIn(dbPath, OFFICER.username, OFFICER.password)).engine.close();
      // And from the middle of the swap, a new rotation, uninterrupted, still works.
      if (step === 'keys-both') {
        expect(rotateInChild(dbPath, null).status).toBe(0);
        const again = await signIn(dbPath, 'admin', PASSWORD);
        expect(await facts(again.api)).toEqual(expected);
        expect((await again.api.call('audit.verify')).ok).toBe(true);
        again.engine.close();
      }
    }, 60_000);
  }
});
