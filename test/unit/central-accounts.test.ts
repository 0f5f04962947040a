/**
 * Accounts the department revoked, on a desk without a centre (issue 16; central/accounts.ts): the
 * pull is fed rows as the centre would give them (a stand-in for the pg client), signed by a
 * made-up department root key. The real centre is in test/central/accounts.test.ts.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { isAccountRevoked, pullAccountRevocations, releaseAccount, type AccountPullOptions } from '../../electron/core/central/accounts';
import { accountRevocationMessage } from '../../electron/core/central/trust';
import { hasUserSlot, readKeyFile } from '../../electron/core/db/keyslots';
import { newSigningKey, publicKeyOf, signerOf, signText } from '../../electron/core/signing';
import { PASSPHRASE, PASSWORD, setUpEngine } from './helpers';

const OFFICER_PASSWORD = 'made-up officer pass 1';
const BOSS_PASSWORD = 'made-up chief pass 12';

const root = newSigningKey();
const rootKey = publicKeyOf(root);

interface Row { username: string; revoked_at: Date | string; sig: string | null }

function signed(username: string, revokedAt = new Date('2025-03-01T08:00:00.123Z'), key = root): Row {
  return { username, revoked_at: revokedAt, sig: signText(key, accountRevocationMessage({ username, revokedAt })) };
}

/** A stand-in for the desk's connection to the centre: every query gets `rows`. */
function centreWith(rows: Row[]): pg.ClientBase {
  return { query: () => Promise.resolve({ rows }) } as unknown as pg.ClientBase;
}

async function failure(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof ApiCallError)) throw new Error('expected the call to fail');
  return e;
}

/** The same session ending as the `central.sync` handler's (handlers.ts). */
function pullOptions(engine: Engine, dbPath: string): AccountPullOptions {
  return {
    dbPath,
    endSessions: (userId) => {
      for (const s of [...engine.desk().sessions.values()]) if (s.user.id === userId) engine.signOut(s.token);
    },
  };
}

async function deskWithOfficer(): Promise<{ engine: Engine; api: ApiClient; dbPath: string; adminId: string; officerId: string; officer: ApiClient }> {
  const { engine, api, dbPath } = await setUpEngine();
  const adminId = (await api.call('app.status')).user!.id;
  const officerId = (await api.call('users.create', { username: 'Officer1', password: OFFICER_PASSWORD, roles: ['officer'] })).id;
  const officer = createClient((r) => engine.handle(r));
  await officer.call('auth.signIn', { username: 'officer1', password: OFFICER_PASSWORD });
  return { engine, api, dbPath, adminId, officerId, officer };
}

describe('account revocations on a desk', () => {
  it('a root-signed revocation refuses the sign-in (central.accountRevoked), ends the session, forgets the key and removes the key slot; audited as a disabled account', async () => {
    const { engine, api, dbPath, adminId, officerId, officer } = await deskWithOfficer();
    expect(signerOf(dbPath, officerId)).toBeDefined();
    expect(hasUserSlot(readKeyFile(dbPath), 'officer1', engine.desk().key)).toBe(true);

    // The centre spells the username in another case: the desk compares without regard to case.
    const r = await pullAccountRevocations(engine.requireDb(), centreWith([signed('OFFICER1')]), rootKey, adminId, new Date(), pullOptions(engine, dbPath));
    expect(r).toEqual({ applied: [{ username: 'OFFICER1', revokedAt: '2025-03-01T08:00:00.123Z', userId: officerId }], ignored: 0, actorRevoked: false });
    expect(isAccountRevoked(engine.requireDb(), 'officer1')).toBe(true);

    // Its open session ended, its key is no longer held, its key slot is gone.
    expect((await failure(officer.call('central.status'))).reason).toBe('auth.signInFirst');
    expect(signerOf(dbPath, officerId)).toBeUndefined();
    expect(hasUserSlot(readKeyFile(dbPath), 'officer1', engine.desk().key)).toBe(false);

    // Sign-in refused with the reason, the right password or not, counted and audited like a disabled account's.
    for (const password of [OFFICER_PASSWORD, 'not the password at all']) {
      const e = await failure(createClient((q) => engine.handle(q)).call('auth.signIn', { username: 'officer1', password }));
      expect(e.code).toBe('unauthenticated');
      expect(e.reason).toBe('central.accountRevoked');
    }
    const fails = await api.call('audit.list', { action: 'auth.fail' });
    expect(fails.entries.filter((x) => x.actorId === officerId)).toHaveLength(2);
    const revoked = await api.call('audit.list', { action: 'central.accountRevoked' });
    expect(revoked.entries).toHaveLength(1);
    expect(revoked.entries[0]).toMatchObject({ actorId: adminId, subject: officerId, details: { revokedAt: '2025-03-01T08:00:00.123Z' } });
    expect(JSON.stringify(revoked.entries[0]!.details)).not.toMatch(/officer1/i);

    // The admin still signs in; the trail verifies (nothing unsigned was written for a signed account).
    await createClient((q) => engine.handle(q)).call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect((await api.call('audit.verify')).ok).toBe(true);

    // A cold desk: the revoked password no longer opens the database at all.
    engine.close();
    const cold = new Engine({ dbPath });
    try {
      const e = await failure(createClient((q) => cold.handle(q)).call('auth.signIn', { username: 'officer1', password: OFFICER_PASSWORD }));
      expect(e.code).toBe('unauthenticated');
      await createClient((q) => cold.handle(q)).call('auth.signIn', { username: 'admin', password: PASSWORD });
      const again = await failure(createClient((q) => cold.handle(q)).call('auth.signIn', { username: 'officer1', password: OFFICER_PASSWORD }));
      expect(again.reason).toBe('central.accountRevoked');
    } finally {
      cold.close();
    }
  });

  it('a forged or unsigned row locks nobody out; a later pull without the row lifts nothing; the rows cannot be deleted', async () => {
    const { engine, dbPath, adminId } = await deskWithOfficer();
    const db = engine.requireDb();
    const other = newSigningKey();
    const forged: Row[] = [
      signed('officer1', undefined, other), // signed by a key that is not the department's
      { ...signed('admin'), username: 'officer1' }, // a real signature moved to another name
      { ...signed('admin'), revoked_at: '2025-03-02T00:00:00.000Z' }, // another instant
      { username: 'admin', revoked_at: new Date(), sig: null },
      { username: 'admin', revoked_at: new Date(), sig: 'bm90IGEgc2lnbmF0dXJl' },
    ];
    const r = await pullAccountRevocations(db, centreWith(forged), rootKey, adminId, new Date(), pullOptions(engine, dbPath));
    expect(r).toEqual({ applied: [], ignored: 5, actorRevoked: false });
    expect(isAccountRevoked(db, 'officer1') || isAccountRevoked(db, 'admin')).toBe(false);
    await createClient((q) => engine.handle(q)).call('auth.signIn', { username: 'officer1', password: OFFICER_PASSWORD });

    // Applied once, kept when the centre no longer shows it, not applied twice.
    const real = signed('officer1');
    expect((await pullAccountRevocations(db, centreWith([real]), rootKey, adminId, new Date(), pullOptions(engine, dbPath))).applied).toHaveLength(1);
    expect(await pullAccountRevocations(db, centreWith([]), rootKey, adminId, new Date(), pullOptions(engine, dbPath))).toEqual({ applied: [], ignored: 0, actorRevoked: false });
    expect((await pullAccountRevocations(db, centreWith([real]), rootKey, adminId, new Date(), pullOptions(engine, dbPath))).applied).toHaveLength(0);
    expect(isAccountRevoked(db, 'officer1')).toBe(true);
    expect(() => db.prepare('DELETE FROM central_account_revocations').run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE central_account_revocations SET username = 'x'").run()).toThrow(/never altered/);
    expect((await failure(createClient((q) => engine.handle(q)).call('auth.signIn', { username: 'officer1', password: OFFICER_PASSWORD }))).reason).toBe('central.accountRevoked');
    engine.close();
  });

  it('the account running the sync, revoked by it, signs that sync\'s rows, then loses its key and session; recovery does not bring a revoked admin back', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    const bossId = (await api.call('users.create', { username: 'boss', password: BOSS_PASSWORD, roles: ['admin', 'supervisor'] })).id;
    const boss = createClient((r) => engine.handle(r));
    await boss.call('auth.signIn', { username: 'boss', password: BOSS_PASSWORD });
    const opts = pullOptions(engine, dbPath);
    const r = await pullAccountRevocations(engine.requireDb(), centreWith([signed('boss')]), rootKey, bossId, new Date(), opts);
    // The caller (sync.ts) releases its own account after its last row.
    expect(r.actorRevoked).toBe(true);
    expect(signerOf(dbPath, bossId)).toBeDefined();
    releaseAccount(bossId, opts);
    expect(signerOf(dbPath, bossId)).toBeUndefined();
    expect((await failure(boss.call('users.list'))).reason).toBe('auth.signInFirst');

    const e = await failure(createClient((q) => engine.handle(q)).call('auth.recover', { username: 'boss', recoveryPassphrase: PASSPHRASE, newPassword: 'a brand new made-up pass' }));
    expect(e.reason).toBe('central.accountRevoked');
    expect((await api.call('audit.verify')).ok).toBe(true);
    engine.close();
  });
});
