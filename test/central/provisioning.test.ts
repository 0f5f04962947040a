/**
 * Accounts provisioned at the centre (issue 16: "Accounts and roles are provisioned at the centre
 * and reach every desk; an officer can move between checkpoints"), against a real PostgreSQL centre
 * started by the test, with two desks at two checkpoints: the department creates an officer once
 * (root-signed record), every desk's sync brings it, it signs in only at the desks of its
 * checkpoints (key slot made at its first sign-in there, roles and key from the trail's signed
 * `central.account` rows), the admin moves it, re-roles it, resets its password; a forged, foreign
 * or replayed record changes nothing; the desk's own admin cannot change it; revocation ends it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { createAccount, initCentral, listAccounts, listAdminLog, revokeAccount, updateAccount } from '../../electron/core/central/admin';
import { accountCredDigest, accountRecordMessage, type AccountGrant } from '../../electron/core/central/trust';
import { readKeyFile, ownerId } from '../../electron/core/db/keyslots';
import { newSigningKey, publicKeyOf, signText } from '../../electron/core/signing';
import { PASSWORD } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for provisioning';
const RATANA_PASSWORD = 'made-up officer pass 41';
const RATANA_NEW_PASSWORD = 'made-up officer pass 42';
const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

let centre: TestCentre;
const desks: TestDesk[] = [];

async function signIn(d: TestDesk, username: string, password: string): Promise<ApiClient> {
  const c = createClient((r) => d.engine.handle(r));
  await c.call('auth.signIn', { username, password });
  return c;
}

/** True when the desk's key file holds a slot for `username` (its password opens the database key). */
function hasSlot(d: TestDesk, username: string): boolean {
  const kf = readKeyFile(d.engine.opts.dbPath);
  return kf.slots.some((s) => s.type === 'user' && s.owner === ownerId(kf.fileId, username));
}

async function verified(d: TestDesk): Promise<{ ok: boolean; message: string }> {
  const admin = await signIn(d, 'admin', PASSWORD);
  return admin.call('audit.verify', {});
}

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
}, 180_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('accounts provisioned at the centre', () => {
  it('reach every desk, sign in only at their checkpoints, move, change roles and passwords, and a revocation ends them', async () => {
    const a = await joinTestDesk(centre, desks, 'Gate A1', 'Checkpoint A', { withList: true });
    const b = await joinTestDesk(centre, desks, 'Gate B1', 'Checkpoint B', { withList: true });

    // Unknown checkpoints and roles are refused, naming nothing personal.
    await expect(createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'ratana', password: RATANA_PASSWORD, roles: ['officer'], checkpoints: ['Checkpoint Z'] }))
      .rejects.toMatchObject({ reason: { code: 'central.unknownCheckpoint', params: { checkpoints: 'Checkpoint A, Checkpoint B' } } });
    await expect(createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'ratana', password: RATANA_PASSWORD, roles: ['captain'], checkpoints: null }))
      .rejects.toMatchObject({ reason: { code: 'central.accountRoles' } });
    await expect(createAccount(centre.admin, 'not the department passphrase', { username: 'ratana', password: RATANA_PASSWORD, roles: ['officer'], checkpoints: null }))
      .rejects.toMatchObject({ reason: { code: 'central.wrongPassphrase' } });

    const o = await createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'ratana', password: RATANA_PASSWORD, roles: ['officer'], checkpoints: ['checkpoint a'] });
    expect(o).toMatchObject({ username: 'ratana', roles: ['officer'], checkpoints: ['Checkpoint A'], seq: 1, disabled: false });
    await expect(createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'RATANA', password: RATANA_PASSWORD, roles: ['officer'], checkpoints: null }))
      .rejects.toMatchObject({ reason: { code: 'account.usernameTaken' } });

    // Both desks take it in at their next sync.
    for (const d of [a, b]) expect(await d.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1, accountsConflicting: 0 });
    expect(await a.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 0 });

    // At A: signed in as an officer, a key slot made now, the key the department's; a crossing it records is signed by it.
    expect(hasSlot(a, 'ratana')).toBe(false);
    const atA = await signIn(a, 'ratana', RATANA_PASSWORD);
    expect((await atA.call('app.status', {})).user).toMatchObject({ id: o.id, roles: ['officer'] });
    expect(hasSlot(a, 'ratana')).toBe(true);
    const s = await atA.call('screening.screen', { traveler: { fullName: 'Made-up Traveler One' } });
    await atA.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    const adminA = await signIn(a, 'admin', PASSWORD);
    const keysA = (await adminA.call('audit.keys', {})).keys.filter((k) => k.userId === o.id);
    expect(keysA.map((k) => [k.how, k.fingerprint, k.revokedFrom])).toEqual([['department', o.keyFingerprint, null]]);
    expect(await verified(a)).toMatchObject({ ok: true });
    // The trail holds ids and roles only: neither the username nor a hash.
    const rows = a.engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'central.account'").all() as { details: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).not.toMatch(/ratana|argon2/);

    // At B: refused (not its checkpoint), counted and audited as a failure, and no key slot made.
    expect(await callFailure(signIn(b, 'ratana', RATANA_PASSWORD))).toMatchObject({ code: 'unauthenticated', reason: 'central.accountNotHere' });
    expect(hasSlot(b, 'ratana')).toBe(false);
    expect(b.engine.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action = 'auth.fail' AND actor_id = ?").get(o.id)).toEqual({ n: 1 });

    // The admin screens say where it stands: a department account here at A, not assigned at B.
    const stateAt = async (api: typeof adminA, username: string) => (await api.call('users.list', {})).find((u) => u.username === username)?.department;
    expect(await stateAt(adminA, 'ratana')).toBe('here');
    expect(await stateAt(adminA, 'admin')).toBeNull();
    const adminB0 = await signIn(b, 'admin', PASSWORD);
    expect(await stateAt(adminB0, 'ratana')).toBe('elsewhere');

    // The desk's own admin cannot change it: the department manages it.
    for (const call of [
      adminA.call('users.update', { userId: o.id, roles: ['officer', 'admin'] }),
      adminA.call('users.update', { userId: o.id, disabled: true }),
      adminA.call('users.resetPassword', { userId: o.id, password: 'made-up local reset 9' }),
      atA.call('auth.changePassword', { currentPassword: RATANA_PASSWORD, newPassword: 'made-up own change 8' }),
    ]) expect(await callFailure(call)).toMatchObject({ reason: 'central.accountManagedCentrally' });

    // The admin moves it to B. A's next sync ends its session there and removes its slot; B's lets it in.
    const moved = await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'Ratana', { checkpoints: ['Checkpoint B'] });
    expect(moved).toMatchObject({ seq: 2, checkpoints: ['Checkpoint B'], keyFingerprint: o.keyFingerprint });
    for (const d of [a, b]) expect(await d.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    expect((await callFailure(atA.call('screening.screen', { traveler: { fullName: 'Made-up Traveler Two' } }))).reason).toBe('auth.signInFirst');
    expect(hasSlot(a, 'ratana')).toBe(false);
    expect(await callFailure(signIn(a, 'ratana', RATANA_PASSWORD))).toMatchObject({ reason: 'central.accountNotHere' });
    expect(await stateAt(await signIn(a, 'admin', PASSWORD), 'ratana')).toBe('elsewhere');
    const atB = await signIn(b, 'ratana', RATANA_PASSWORD);
    expect(await stateAt(await signIn(b, 'admin', PASSWORD), 'ratana')).toBe('here');
    const sb = await atB.call('screening.screen', { traveler: { fullName: 'Made-up Traveler Three' } });
    const crossingB = (await atB.call('crossings.record', { screeningId: sb.screeningId, direction: 'exit', outcome: 'passed' })).id;
    expect((await b.api.call('central.sync', {})).sent.crossings).toBe(1);
    // Pushed, and named at the centre by the desk's directory of accounts.
    const named = await withCentral(centre.admin, async (c) => (await c.query<{ officer_id: string; officer: string | null; name: string | null }>(
      `SELECT x.officer_id, x.officer, (SELECT u.username FROM wd.desk_users u WHERE u.desk_id = x.desk_id AND u.user_id = x.officer_id) AS name
         FROM wd.crossings x WHERE x.id = $1`, [crossingB])).rows[0]);
    expect(named).toMatchObject({ officer_id: o.id });
    expect(named!.officer ?? named!.name).toBe('ratana');

    // A role from the department reaches the desk (the walk grants it); the open session ends to take it.
    await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'ratana', { roles: ['officer', 'supervisor'] });
    expect(await b.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    expect((await callFailure(atB.call('screening.screen', { traveler: { fullName: 'Made-up Traveler Four' } }))).reason).toBe('auth.signInFirst');
    const reRoled = await signIn(b, 'ratana', RATANA_PASSWORD);
    expect((await reRoled.call('app.status', {})).user?.roles).toEqual(['supervisor', 'officer']);

    // A password reset at the centre: a new key; the old password no longer works, its slot is gone.
    const reset = await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'ratana', { password: RATANA_NEW_PASSWORD });
    expect(reset.keyFingerprint).not.toBe(o.keyFingerprint);
    expect(await b.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    expect(hasSlot(b, 'ratana')).toBe(false);
    expect(await callFailure(signIn(b, 'ratana', RATANA_PASSWORD))).toMatchObject({ reason: 'auth.wrongCredentials' });
    await signIn(b, 'ratana', RATANA_NEW_PASSWORD);
    const adminB = await signIn(b, 'admin', PASSWORD);
    const keysB = (await adminB.call('audit.keys', {})).keys.filter((k) => k.userId === o.id);
    expect(keysB.map((k) => [k.fingerprint, k.how, k.revokedFrom === null])).toEqual([[o.keyFingerprint, 'department', false], [reset.keyFingerprint, 'department', true]]);
    for (const d of [a, b]) expect(await verified(d)).toMatchObject({ ok: true });

    // The CLI lists the accounts without hashes; the admin log has every change.
    expect((await listAccounts(centre.admin)).map((x) => [x.username, x.seq, x.checkpoints])).toEqual([['ratana', 4, ['Checkpoint B']]]);
    const log = (await listAdminLog(centre.admin)).filter((r) => r.action.startsWith('account.'));
    expect(log.map((r) => [r.action, r.details.seq])).toEqual([['account.create', 1], ['account.update', 2], ['account.update', 3], ['account.update', 4]]);
    expect(JSON.stringify(log)).not.toMatch(/argon2|made-up officer/);

    // The department revokes it: refused at B from its next sync, its slot removed.
    await revokeAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'ratana');
    expect(await b.api.call('central.sync', {})).toMatchObject({ accountsRevoked: 1 });
    expect(hasSlot(b, 'ratana')).toBe(false);
    expect(await callFailure(signIn(b, 'ratana', RATANA_NEW_PASSWORD))).toMatchObject({ reason: 'central.accountRevoked' });
    expect(await stateAt(await signIn(b, 'admin', PASSWORD), 'ratana')).toBe('revoked');
  }, 300_000);

  it('refuses a forged, foreign or replayed record, changing nothing; a local account keeps its username', async () => {
    const c = await joinTestDesk(centre, desks, 'Gate C1', 'Checkpoint C', {});
    const adminC = await signIn(c, 'admin', PASSWORD);
    await adminC.call('users.create', { username: 'malee', password: 'made-up local pass 5', roles: ['officer'] });
    const somsak = await createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'somsak', password: RATANA_PASSWORD, roles: ['officer'], checkpoints: ['Checkpoint C'] });
    const malee = await createAccount(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'Malee', password: RATANA_PASSWORD, roles: ['supervisor'], checkpoints: null });
    const first = await c.api.call('central.sync', {});
    // Every account of the department applied (somsak; ratana too when the first test ran), but Malee: the local malee keeps the name.
    expect(first).toMatchObject({ accountsProvisioned: (await listAccounts(centre.admin)).length - 1, accountsConflicting: 1 });
    expect(await c.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 0, accountsConflicting: 1 });
    expect(c.engine.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action = 'central.accountConflict' AND subject = ?").get(malee.id)).toEqual({ n: 1 });
    await signIn(c, 'malee', 'made-up local pass 5');
    expect(await callFailure(signIn(c, 'malee', RATANA_PASSWORD))).toMatchObject({ reason: 'auth.wrongCredentials' });

    const v1 = await withCentral(centre.admin, async (x) => (await x.query('SELECT * FROM wd.accounts WHERE id = $1', [somsak.id])).rows[0] as Record<string, unknown>);
    await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'somsak', { roles: ['officer', 'auditor'] });
    expect(await c.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    const v2 = await withCentral(centre.admin, async (x) => (await x.query('SELECT * FROM wd.accounts WHERE id = $1', [somsak.id])).rows[0] as Record<string, unknown>);

    // A compromised centre: roles edited under the root's signature; an account signed by another key; the older record replayed.
    const other = newSigningKey();
    const forgedGrant: AccountGrant = {
      id: crypto.randomUUID(), roles: ['admin'], checkpoints: null, disabled: false, signingKey: publicKeyOf(newSigningKey()), seq: 1, issuedAt: new Date().toISOString(),
    };
    const cred = { username: 'intruder', passwordHash: String(v1.password_hash), signingWrapped: String(v1.signing_wrapped) };
    await withCentral(centre.admin, async (x) => {
      await x.query('BEGIN');
      await x.query('SET LOCAL session_replication_role = replica');
      await x.query(`UPDATE wd.accounts SET roles = '["admin","auditor","officer"]'::jsonb, seq = seq + 1 WHERE id = $1`, [somsak.id]);
      await x.query(
        `INSERT INTO wd.accounts (id, username, seq, roles, checkpoints, disabled, signing_key, password_hash, signing_wrapped, issued_at, root_sig, cred_digest)
         VALUES ($1, 'intruder', 1, '["admin"]', NULL, false, $2, $3, $4, $5, $6, $7)`,
        [forgedGrant.id, forgedGrant.signingKey, cred.passwordHash, cred.signingWrapped, forgedGrant.issuedAt, signText(other, accountRecordMessage(forgedGrant, accountCredDigest(cred))), accountCredDigest(cred)],
      );
      await x.query('COMMIT');
    });
    expect(await c.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 0 });
    await withCentral(centre.admin, async (x) => {
      await x.query('BEGIN');
      await x.query('SET LOCAL session_replication_role = replica');
      await x.query('UPDATE wd.accounts SET seq = $2, roles = $3::jsonb, issued_at = $4, root_sig = $5 WHERE id = $1', [somsak.id, v1.seq, JSON.stringify(v1.roles), v1.issued_at, v1.root_sig]);
      await x.query('COMMIT');
    });
    expect(await c.api.call('central.sync', {})).toMatchObject({ accountsProvisioned: 0 });
    // (The centre's row put back as the department left it, for what follows.)
    await withCentral(centre.admin, async (x) => {
      await x.query('BEGIN');
      await x.query('SET LOCAL session_replication_role = replica');
      await x.query('UPDATE wd.accounts SET seq = $2, roles = $3::jsonb, issued_at = $4, root_sig = $5 WHERE id = $1', [somsak.id, v2.seq, JSON.stringify(v2.roles), v2.issued_at, v2.root_sig]);
      await x.query('COMMIT');
    });
    const s = await signIn(c, 'somsak', RATANA_PASSWORD);
    expect((await s.call('app.status', {})).user?.roles).toEqual(['officer', 'auditor']);
    expect(await callFailure(signIn(c, 'intruder', RATANA_PASSWORD))).toMatchObject({ reason: 'auth.wrongCredentials' });
    expect(await verified(c)).toMatchObject({ ok: true });

    // The sync run by the account whose own key the record replaces: its rows of that sync are
    // signed before the record, which is applied last; then its session ends, and the trail holds.
    await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'somsak', { password: RATANA_NEW_PASSWORD });
    expect(await s.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    const order = c.engine.requireDb().prepare("SELECT action FROM audit WHERE action IN ('central.sync', 'central.account') ORDER BY seq DESC LIMIT 2").all() as { action: string }[];
    expect(order.map((r) => r.action)).toEqual(['central.account', 'central.sync']);
    expect((await callFailure(s.call('central.status', {}))).reason).toBe('auth.signInFirst');
    expect(await verified(c)).toMatchObject({ ok: true });
    const again = await signIn(c, 'somsak', RATANA_NEW_PASSWORD);
    // Disabled by the department, in a sync it runs itself: the same order; it signs in nowhere after.
    await updateAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'somsak', { disabled: true });
    expect(await again.call('central.sync', {})).toMatchObject({ accountsProvisioned: 1 });
    expect((await callFailure(again.call('central.status', {}))).reason).toBe('auth.signInFirst');
    expect(await callFailure(signIn(c, 'somsak', RATANA_NEW_PASSWORD))).toMatchObject({ reason: 'auth.wrongCredentials' });
    expect(await verified(c)).toMatchObject({ ok: true });

    // Nothing but the centre's administrator writes an account: a desk's login cannot.
    const deskWrite = await withCentral({ ...centre.admin, url: c.reg.url }, (x) => x.query("UPDATE wd.accounts SET roles = '[\"admin\"]'::jsonb").then(() => null, (e: unknown) => (e as { code?: string }).code));
    expect(deskWrite).toBe('42501');
  }, 240_000);

  it('adds, changes and lists accounts from the CLI with the department passphrase', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-provisioning-cli-'));
    try {
      const ca = join(dir, 'centre.pem');
      writeFileSync(ca, centre.cluster.certificate);
      const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [CLI, ...args, '--url', centre.admin.url, '--ca', ca], {
        encoding: 'utf8', env: { ...process.env, WATCHDESK_CENTRAL_PASSPHRASE: DEPARTMENT_PASSPHRASE, ...env },
      });
      const add = run(['central', 'account', 'add', '--username', 'kanda', '--roles', 'officer', '--checkpoint', 'Checkpoint A', '--checkpoint', 'Checkpoint B'], { WATCHDESK_ACCOUNT_PASSWORD: RATANA_PASSWORD });
      expect(add.status, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/^created: account kanda \(.+\), roles officer, at Checkpoint A, Checkpoint B, record #1\n/);
      const unknown = run(['central', 'account', 'update', '--username', 'kanda', '--checkpoint', 'Nowhere']);
      expect(unknown.status).not.toBe(0);
      expect(unknown.stderr).toMatch(/no checkpoint of that name at the centre/);
      const upd = run(['central', 'account', 'update', '--username', 'kanda', '--all-checkpoints', '--roles', 'officer,auditor']);
      expect(upd.status, upd.stderr).toBe(0);
      expect(upd.stdout).toMatch(/^changed: account kanda, roles auditor, officer, at every checkpoint, record #2/);
      const list = run(['central', 'account', 'list']);
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^kanda\tauditor,officer\t\(every checkpoint\)\t#2$/m);
      for (const o of [add, upd, list]) expect(o.stdout + o.stderr).not.toMatch(/argon2|made-up officer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
