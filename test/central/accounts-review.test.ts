/**
 * Regression tests of the review of e7f40e6 (department accounts, /work/plans/accounts-review.txt):
 * each `it` asserts the correct behaviour and failed before its fix.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { syncText } from '../../electron/cli/central';
import { createAccount, initCentral, listAccounts, revokeAccount, updateAccount } from '../../electron/core/central/admin';
import { accountCredDigest, accountRecordMessage, type AccountGrant } from '../../electron/core/central/trust';
import { appendAudit, signedAccounts } from '../../electron/core/audit';
import { newSigningKey, publicKeyOf, signerOf, signText } from '../../electron/core/signing';
import { PASSPHRASE, PASSWORD } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const hooks = vi.hoisted(() => ({ beforePush: null as null | ((call: number) => Promise<void>), calls: 0 }));
vi.mock('../../electron/core/central/push', async (orig) => {
  const m = await orig<typeof import('../../electron/core/central/push')>();
  return {
    ...m,
    pushOutbox: async (...a: Parameters<typeof m.pushOutbox>) => {
      hooks.calls++;
      if (hooks.beforePush) await hooks.beforePush(hooks.calls);
      return m.pushOutbox(...a);
    },
  };
});

const DEPT = 'made-up department passphrase for the review';
const PW = 'made-up officer pass 41';
const PW2 = 'made-up officer pass 42';
let centre: TestCentre;
const desks: TestDesk[] = [];
let r: TestDesk;
let s: TestDesk;

async function signIn(d: TestDesk, username: string, password: string): Promise<ApiClient> {
  const c = createClient((q) => d.engine.handle(q));
  await c.call('auth.signIn', { username, password });
  return c;
}
async function verified(d: TestDesk): Promise<{ ok: boolean; message: string }> {
  return (await signIn(d, 'admin', PASSWORD)).call('audit.verify', {});
}

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPT });
  r = await joinTestDesk(centre, desks, 'Gate R1', 'Checkpoint R', { withList: true });
  s = await joinTestDesk(centre, desks, 'Gate S1', 'Checkpoint S', {});
}, 180_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('review findings', () => {
  it('F1a: a department supervisor of ANOTHER checkpoint is refused as four-eyes approver', async () => {
    await createAccount(centre.admin, DEPT, { username: 'niran', password: PW, roles: ['supervisor'], checkpoints: ['Checkpoint S'] });
    await r.api.call('central.sync', {});
    expect(await callFailure(signIn(r, 'niran', PW))).toMatchObject({ reason: 'central.accountNotHere' });
    const list = (await r.api.call('watchlists.list', {}))[0]!;
    await r.api.call('watchlists.setClearanceApproval', { listId: list.id, required: true });
    const off = await r.api.call('watchlists.setClearanceApproval', { listId: list.id, required: false, approval: { username: 'niran', password: PW } })
      .then(() => 'accepted', (e: unknown) => (e as { reason?: string }).reason);
    // Desk R holds no credentials of an account of S (the centre gives it none).
    expect(off).toBe('approval.wrongCredentials');
    // Someone holding R's database key copies them in: the approval is refused all the same, counted and audited.
    const cred = await withCentral(centre.admin, async (c) => (await c.query<{ password_hash: string; signing_wrapped: string }>(
      'SELECT password_hash, signing_wrapped FROM wd.accounts WHERE username = $1', ['niran'])).rows[0]!);
    r.engine.requireDb().prepare('UPDATE users SET password_hash = ?, signing_wrapped = ? WHERE username = ?').run(cred.password_hash, cred.signing_wrapped, 'niran');
    const copied = await r.api.call('watchlists.setClearanceApproval', { listId: list.id, required: false, approval: { username: 'niran', password: PW } })
      .then(() => 'accepted', (e: unknown) => (e as { reason?: string }).reason);
    expect(copied).toBe('central.accountNotHere');
    expect(r.engine.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action = 'approval.fail'").get()).toEqual({ n: 2 });
    r.engine.requireDb().prepare("UPDATE users SET password_hash = '', signing_wrapped = NULL WHERE username = ?").run('niran');
  }, 120_000);

  it('F1b: a REVOKED department supervisor is refused as four-eyes approver', async () => {
    await createAccount(centre.admin, DEPT, { username: 'pim', password: PW, roles: ['supervisor'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    await revokeAccount(centre.admin, DEPT, 'pim');
    expect(await r.api.call('central.sync', {})).toMatchObject({ accountsRevoked: 1 });
    expect(await callFailure(signIn(r, 'pim', PW))).toMatchObject({ reason: 'central.accountRevoked' });
    const list = (await r.api.call('watchlists.list', {}))[0]!;
    await r.api.call('watchlists.setClearanceApproval', { listId: list.id, required: true });
    const off = await r.api.call('watchlists.setClearanceApproval', { listId: list.id, required: false, approval: { username: 'pim', password: PW } })
      .then(() => 'accepted', (e: unknown) => (e as { reason?: string }).reason);
    expect(off).toBe('central.accountRevoked');
  }, 120_000);

  it('F2: a password reset applied in a sync run by the same account: a row it writes while the last push runs keeps the trail verifying', async () => {
    await createAccount(centre.admin, DEPT, { username: 'kasem', password: PW, roles: ['officer'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    const k = await signIn(r, 'kasem', PW);
    await updateAccount(centre.admin, DEPT, 'kasem', { password: PW2 });
    hooks.calls = 0;
    let during: string | undefined;
    hooks.beforePush = async (call) => {
      // The second push of the sync: the deferred record (revoking kasem's key) is applied already, and kasem released
      // in the same tick (before the fix, kasem's session still worked here and signed a row with the revoked key).
      if (call === 2) during = await k.call('screening.screen', { traveler: { fullName: 'Made-up Traveler Window' } })
        .then(() => 'accepted', (e: unknown) => (e as { reason?: string }).reason);
    };
    try {
      expect(await k.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    } finally {
      hooks.beforePush = null;
    }
    expect(during).toBeDefined();
    expect(during).not.toBe('accepted');
    const v = await verified(r);
    expect(v).toMatchObject({ ok: true });
  }, 120_000);

  it('F3: a role-only change at the centre keeps the signer of work the account started (like a local role change does)', async () => {
    const chai = await createAccount(centre.admin, DEPT, { username: 'chai', password: PW, roles: ['officer'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    const chaiDesk = await signIn(r, 'chai', PW);
    expect(signerOf(r.engine.opts.dbPath, chai.id)).toBeDefined();
    await updateAccount(centre.admin, DEPT, 'chai', { roles: ['officer', 'auditor'] });
    await r.api.call('central.sync', {});
    // The key was not revoked (same key), yet the signer is gone: a background job's last row is now unsigned.
    const held = signerOf(r.engine.opts.dbPath, chai.id);
    appendAudit(r.engine.requireDb(), { actorId: chai.id, action: 'export.crossings', details: { rows: 0 } });
    const v = await verified(r);
    expect(held).toBeDefined();
    expect(v).toMatchObject({ ok: true });
    // Its sessions end all the same: it signs in again with the roles now granted.
    await callFailure(chaiDesk.call('watchlists.list', {}));
    await signIn(r, 'chai', PW);
  }, 120_000);

  it('F4: a desk login reads no password hash / wrapped key of accounts of other checkpoints; an auditor none at all', async () => {
    const asDesk = (d: TestDesk) => ({ ...centre.admin, url: d.reg.url });
    // The table's credential columns: refused to a desk login outright.
    const direct = await withCentral(asDesk(s), (c) => c.query('SELECT username, password_hash, signing_wrapped FROM wd.accounts')
      .then(() => 'read', (e: unknown) => (e as { code?: string }).code));
    expect(direct).toBe('42501');
    // Through the view: only the accounts of the desk's checkpoint, or of every checkpoint.
    const all = await listAccounts(centre.admin);
    const mayReadAt = (name: string) => all.filter((a) => a.checkpoints === null || a.checkpoints.includes(name)).map((a) => a.id).sort();
    for (const [d, name] of [[s, 'Checkpoint S'], [r, 'Checkpoint R']] as const) {
      const ids = await withCentral(asDesk(d), async (c) => (await c.query<{ id: string }>('SELECT id FROM wd.account_credentials WHERE password_hash IS NOT NULL')).rows.map((x) => x.id).sort());
      expect(ids).toEqual(mayReadAt(name));
      expect(ids.length).toBeGreaterThan(0);
    }
    // The grant part of every record, for every desk (moves and disables reach the desks left).
    expect(await withCentral(asDesk(s), async (c) => (await c.query('SELECT id, cred_digest FROM wd.accounts')).rows.length)).toBe(all.length);
    const privileges = await withCentral(centre.admin, async (c) => (await c.query<{ desk: boolean; auditor: boolean; auditorView: boolean }>(
      `SELECT has_column_privilege('wd_desk', 'wd.accounts', 'password_hash', 'SELECT') AS desk,
              has_column_privilege('wd_auditor', 'wd.accounts', 'signing_wrapped', 'SELECT') AS auditor,
              has_table_privilege('wd_auditor', 'wd.account_credentials', 'SELECT') AS "auditorView"`)).rows[0]);
    expect(privileges).toEqual({ desk: false, auditor: false, auditorView: false });
    // The desk stores credentials only for accounts that may sign in there.
    await s.api.call('central.sync', {});
    const stored = s.engine.requireDb().prepare("SELECT username, password_hash AS hash, signing_wrapped AS wrapped FROM users WHERE username IN ('pim', 'niran') ORDER BY username")
      .all() as { username: string; hash: string; wrapped: string | null }[];
    expect(stored.map((u) => [u.username, u.hash.startsWith('$argon2id$'), u.wrapped !== null])).toEqual([['niran', true, true], ['pim', false, false]]);
  }, 60_000);

  it('F5: an account re-enabled at the centre without a new password does not get its old password and key back', async () => {
    await createAccount(centre.admin, DEPT, { username: 'dara', password: PW, roles: ['officer'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    await updateAccount(centre.admin, DEPT, 'dara', { disabled: true });
    await r.api.call('central.sync', {});
    const bare = await updateAccount(centre.admin, DEPT, 'dara', { disabled: false })
      .then(() => 'accepted', (e: unknown) => (e as { reason?: { code?: string } }).reason?.code);
    expect(bare).toBe('account.enableNeedsPassword');
    await updateAccount(centre.admin, DEPT, 'dara', { disabled: false, password: PW2 });
    await r.api.call('central.sync', {});
    expect(await callFailure(signIn(r, 'dara', PW))).toBeTruthy();
    await signIn(r, 'dara', PW2);
  }, 120_000);

  it('F6: a department admin is refused as the restoring admin before anything is written', async () => {
    await createAccount(centre.admin, DEPT, { username: 'wanida', password: PW, roles: ['admin'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    const backup = await r.api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    const dbPath = join(r.dir, 'restored-by-department.db');
    const engine = new Engine({ dbPath });
    try {
      const api = createClient((q) => engine.handle(q));
      const restore = (username: string) => api.call('backup.restore', { contentBase64: backup.contentBase64, recoveryPassphrase: PASSPHRASE, username, newPassword: 'made-up restored pass 77' });
      expect(await callFailure(restore('wanida'))).toMatchObject({ reason: 'restore.departmentAccount' });
      expect([existsSync(dbPath), existsSync(`${dbPath}.keys`)]).toEqual([false, false]);
      await restore('admin');
      expect(existsSync(dbPath)).toBe(true);
    } finally {
      await engine.shutdown();
    }
  }, 120_000);

  it('F7: revoking a department account also disables its record: listed disabled, its key revoked in the desk trail', async () => {
    const tida = await createAccount(centre.admin, DEPT, { username: 'tida', password: PW, roles: ['officer'], checkpoints: ['Checkpoint R'] });
    await r.api.call('central.sync', {});
    expect((await revokeAccount(centre.admin, DEPT, 'tida')).accountDisabled).toBe(true);
    expect((await listAccounts(centre.admin)).find((a) => a.id === tida.id)).toMatchObject({ disabled: true, seq: 2 });
    expect(await r.api.call('central.sync', {})).toMatchObject({ accountsRevoked: 1, accountsProvisioned: 1 });
    expect(signedAccounts(r.engine.requireDb()).accounts.get(tida.id)).toMatchObject({ disabled: true });
    const again = await updateAccount(centre.admin, DEPT, 'tida', { disabled: false, password: PW2 })
      .then(() => 'accepted', (e: unknown) => (e as { reason?: { code?: string } }).reason?.code);
    expect(again).toBe('central.accountRevoked');
    expect((await revokeAccount(centre.admin, DEPT, 'tida')).accountDisabled).toBe(false);
    expect(await verified(r)).toMatchObject({ ok: true });
  }, 120_000);

  it('F8: a standing username conflict is no news: an idle sync writes no central.sync row', async () => {
    const adminS = await signIn(s, 'admin', PASSWORD);
    await adminS.call('users.create', { username: 'lamai', password: 'made-up local pass 9', roles: ['officer'] });
    await createAccount(centre.admin, DEPT, { username: 'Lamai', password: PW, roles: ['officer'], checkpoints: null });
    expect(await s.api.call('central.sync', {})).toMatchObject({ accountsConflicting: 1 });
    const rows = () => s.engine.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action = 'central.sync'").get();
    const before = rows();
    expect(await s.api.call('central.sync', {})).toMatchObject({ accountsConflicting: 1, pushed: 0 });
    expect(rows()).toEqual(before);
  }, 120_000);

  it('F9: forged account records are surfaced: accountsIgnored in the result and the central.sync row', async () => {
    const grant: AccountGrant = {
      id: crypto.randomUUID(), roles: ['admin'], checkpoints: null, disabled: false, signingKey: publicKeyOf(newSigningKey()), seq: 1, issuedAt: new Date().toISOString(),
    };
    const cred = { username: 'intruder', passwordHash: 'made-up-hash', signingWrapped: 'made-up-wrapped' };
    await withCentral(centre.admin, async (x) => {
      await x.query('BEGIN');
      await x.query('SET LOCAL session_replication_role = replica');
      await x.query(
        `INSERT INTO wd.accounts (id, username, seq, roles, checkpoints, disabled, signing_key, password_hash, signing_wrapped, issued_at, root_sig, cred_digest)
         VALUES ($1, 'intruder', 1, '["admin"]', NULL, false, $2, $3, $4, $5, $6, $7)`,
        [grant.id, grant.signingKey, cred.passwordHash, cred.signingWrapped, grant.issuedAt, signText(newSigningKey(), accountRecordMessage(grant, accountCredDigest(cred))), accountCredDigest(cred)],
      );
      await x.query('COMMIT');
    });
    try {
      await createAccount(centre.admin, DEPT, { username: 'boon', password: PW, roles: ['officer'], checkpoints: ['Checkpoint R'] });
      // boon (and, when F8 ran, Lamai, an account of every checkpoint) applied; the forged record ignored and counted.
      const res = await r.api.call('central.sync', {});
      expect(res.accountsIgnored).toBe(1);
      expect(res.accountsProvisioned).toBeGreaterThanOrEqual(1);
      const row = r.engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'central.sync' ORDER BY seq DESC LIMIT 1").get() as { details: string };
      expect(JSON.parse(row.details)).toMatchObject({ accountsIgnored: 1, accountsProvisioned: res.accountsProvisioned });
      expect(syncText(res)).toContain("department account records ignored (not signed by the department's root key): 1");
      expect(syncText({ ...res, accountsIgnored: 0 })).not.toContain('ignored');
    } finally {
      await withCentral(centre.admin, async (x) => {
        await x.query('BEGIN');
        await x.query('SET LOCAL session_replication_role = replica');
        await x.query('DELETE FROM wd.accounts WHERE id = $1', [grant.id]);
        await x.query('COMMIT');
      });
    }
  }, 120_000);

  it('F10: the checkpoint rule takes the checkpoint of the signed central.join row, not the settings; an unjoined desk signs in no department account', async () => {
    const setting = (db: ReturnType<TestDesk['engine']['requireDb']>, key: string) => (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string }).value;
    const sdb = s.engine.requireDb();
    const own = setting(sdb, 'central.checkpointId');
    sdb.prepare('UPDATE settings SET value = ? WHERE key = ?').run(r.reg.checkpointId, 'central.checkpointId');
    try {
      // niran is an account of checkpoint S: the edited setting neither refuses it here nor admits R's accounts.
      await signIn(s, 'niran', PW);
    } finally {
      sdb.prepare('UPDATE settings SET value = ? WHERE key = ?').run(own, 'central.checkpointId');
    }
    const rdb = r.engine.requireDb();
    await signIn(r, 'Lamai', PW);
    const deskId = setting(rdb, 'central.deskId');
    rdb.prepare('DELETE FROM settings WHERE key = ?').run('central.deskId');
    try {
      expect(await callFailure(signIn(r, 'Lamai', PW))).toMatchObject({ reason: 'central.accountNotHere' });
    } finally {
      rdb.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('central.deskId', deskId);
    }
  }, 120_000);
});
