/**
 * A departed user's account revoked at every desk by its next sync (issue 16), against a real
 * PostgreSQL centre started by the test: the department revokes the account (root-signed, its
 * publisher key with it); at each desk's next sync the account can no longer sign in (reason
 * `central.accountRevoked`), its open session ends, and what its key signs is refused. A
 * compromised centre can neither lift a revocation a desk saw (the row deleted) nor lock anyone
 * out with a row it forged. Every administrative action at the centre leaves one row in
 * `wd.admin_log`, which nobody can alter; `central revoke --account` and `central log` at the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import {
  certifyPublisher, initCentral, listAdminLog, purgeCentral, registerDesk, revokeAccount, revokeDesk, revokeKey,
} from '../../electron/core/central/admin';
import { connectCentral } from '../../electron/core/central/connect';
import { deskCentral } from '../../electron/core/central/desk-config';
import { fixture, PASSPHRASE, PASSWORD } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { callFailure, closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for accounts';
const SOMCHAI_PASSWORD = 'made-up supervisor pass 7';
const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

let centre: TestCentre;
const desks: TestDesk[] = [];

const asAdmin = <T>(f: (c: pg.Client) => Promise<T>): Promise<T> => withCentral(centre.admin, f);
const joinDesk = (name: string, checkpoint: string, publisher: boolean) => joinTestDesk(centre, desks, name, checkpoint, { publisher });
const failure = callFailure;

/** A fresh client of the desk signed in as `username`. */
async function signIn(d: TestDesk, username: string, password: string): Promise<ApiClient> {
  const c = createClient((r) => d.engine.handle(r));
  await c.call('auth.signIn', { username, password });
  return c;
}

function sqlState(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
}, 180_000);

afterAll(async () => {
  await closeTestDesks(desks);
  await centre?.stop();
});

describe('a departed account revoked at every desk', () => {
  it('refuses its sign-in and ends its sessions at each desk from its next sync, refuses its key, and no compromised centre lifts or forges a revocation', async () => {
    const hq = await joinDesk('HQ', 'Headquarters', true);
    const a = await joinDesk('Gate A1', 'Checkpoint A', false);

    // The same person has an account on both desks (a supervisor at HQ, an officer at the gate).
    const ids = {
      hq: (await hq.api.call('users.create', { username: 'somchai', password: SOMCHAI_PASSWORD, roles: ['officer', 'supervisor'] })).id,
      a: (await a.api.call('users.create', { username: 'Somchai', password: SOMCHAI_PASSWORD, roles: ['officer'] })).id,
    };
    const atHq = await signIn(hq, 'somchai', SOMCHAI_PASSWORD);
    const atA = await signIn(a, 'somchai', SOMCHAI_PASSWORD);

    // Their key is certified as a publisher's; they publish a list that reaches the gate.
    const key = (await hq.api.call('audit.keys', {})).keys.find((k) => k.username === 'somchai' && k.revokedFrom === null)!;
    await certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'somchai', publicKey: key.publicKey });
    await atHq.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64') });
    const listId = (await atHq.call('watchlists.list', {})).find((l) => l.name === 'Warrants')!.id;
    expect(await atHq.call('central.publish', { listId })).toMatchObject({ seq: 1, signer: key.fingerprint });
    expect(await a.api.call('central.sync', {})).toMatchObject({ pulled: 1, refused: 0, accountsRevoked: 0 });

    // The department revokes the account: its revocation, and its publisher key with it.
    const revoked = await revokeAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'somchai');
    expect(revoked).toMatchObject({ username: 'somchai', created: true });
    expect(revoked.keys).toEqual([expect.objectContaining({ fingerprint: key.fingerprint, revokedAt: expect.any(String) as string })]);
    // Idempotent: the same revocation kept; no new key certified for that username.
    expect(await revokeAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'SOMCHAI')).toMatchObject({ username: 'somchai', revokedAt: revoked.revokedAt, created: false });
    await expect(certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'somchai', publicKey: key.publicKey })).rejects.toMatchObject({ reason: { code: 'central.accountRevoked' } });

    // Before HQ's next sync the session there still works: a publication it signs now is refused by the gate.
    expect(await atHq.call('central.publish', { listId })).toMatchObject({ seq: 2 });
    const gateSync = await a.api.call('central.sync', {});
    expect(gateSync).toMatchObject({ pulled: 0, refused: 1, accountsRevoked: 1 });
    expect(gateSync.refusals[0]).toMatchObject({ listId, seq: 2, reason: { reason: 'central.revokedKey' } });

    // At the gate: the open session ended, and the sign-in is refused with the reason.
    expect((await failure(atA.call('central.status', {}))).reason).toBe('auth.signInFirst');
    const refusedA = await failure(signIn(a, 'somchai', SOMCHAI_PASSWORD));
    expect(refusedA).toMatchObject({ code: 'unauthenticated', reason: 'central.accountRevoked' });
    const auditA = await a.api.call('audit.list', { action: 'central.accountRevoked' });
    expect(auditA.entries.map((e) => e.subject)).toEqual([ids.a]);

    // HQ has not synced yet: the account still works there; its next sync ends that.
    expect((await atHq.call('central.status', {})).joined).toBe(true);
    expect(await hq.api.call('central.sync', {})).toMatchObject({ accountsRevoked: 1 });
    expect((await failure(atHq.call('central.status', {}))).reason).toBe('auth.signInFirst');
    expect(await failure(signIn(hq, 'somchai', SOMCHAI_PASSWORD))).toMatchObject({ reason: 'central.accountRevoked' });

    // The rows of the revocation are never altered at the centre.
    await expect(asAdmin((c) => c.query('DELETE FROM wd.account_revocations'))).rejects.toSatisfy((e: unknown) => sqlState(e) === '42501');
    // A desk cannot write one.
    const deskClient = await connectCentral(deskCentral(a.engine.requireDb())!.target);
    try {
      await expect(deskClient.query("INSERT INTO wd.account_revocations (username, revoked_at, sig) VALUES ('admin', now(), 'x')")).rejects.toSatisfy((e: unknown) => sqlState(e) === '42501');
      await expect(deskClient.query('SELECT count(*) FROM wd.admin_log')).rejects.toSatisfy((e: unknown) => sqlState(e) === '42501');
    } finally {
      await deskClient.end();
    }

    // A compromised centre: the superuser, past the triggers, drops the revocation and forges one
    // for the desks' admins. The desks that saw the revocation keep it; the forgery locks nobody out.
    await asAdmin(async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      await c.query('DELETE FROM wd.account_revocations');
      await c.query('COMMIT');
      await c.query("INSERT INTO wd.account_revocations (username, revoked_at, sig) VALUES ('admin', now(), $1)", [Buffer.alloc(64, 7).toString('base64')]);
    });
    for (const d of [a, hq]) {
      expect(await d.api.call('central.sync', {})).toMatchObject({ accountsRevoked: 0 });
      expect(await failure(signIn(d, 'somchai', SOMCHAI_PASSWORD))).toMatchObject({ reason: 'central.accountRevoked' });
      await signIn(d, 'admin', PASSWORD);
      expect((await d.api.call('audit.verify', {})).ok).toBe(true);
    }
    // A desk joining only now never saw the dropped row (nothing signed can prove it to that desk); the
    // account's key, revoked by a signed record the centre still holds, is refused there all the same.
    const late = await joinDesk('Gate A2', 'Checkpoint A', false);
    const lateSync = await late.api.call('central.sync', {});
    expect(lateSync.accountsRevoked).toBe(0);
    expect(lateSync.refusals.map((r) => r.reason.reason)).toEqual(['central.revokedKey']);
  }, 240_000);

  it('logs every administrative action at the centre once, in a log nobody alters; the CLI revokes an account and prints the log', async () => {
    const before = (await listAdminLog(centre.admin)).length;
    const reg = await registerDesk(centre.admin, { deskName: 'Gate C1', checkpoint: 'Checkpoint C', timeZone: 'Asia/Bangkok' });
    await revokeDesk(centre.admin, 'Gate C1');
    await purgeCentral(centre.admin, 3650);
    const somchaiKeys = (await revokeAccount(centre.admin, DEPARTMENT_PASSPHRASE, 'somchai')).keys;
    await revokeKey(centre.admin, DEPARTMENT_PASSPHRASE, somchaiKeys[0]!.fingerprint);
    await initCentral(centre.admin, { department: 'Made-up Department', passphrase: DEPARTMENT_PASSPHRASE });
    const log = await listAdminLog(centre.admin);
    const mine = log.slice(before);
    expect(mine.map((r) => r.action)).toEqual(['desk.register', 'desk.revoke', 'central.purge', 'account.revoke', 'key.revoke', 'central.init']);
    expect(mine[0]!.details).toMatchObject({ deskId: reg.deskId, deskName: 'Gate C1', checkpoint: 'Checkpoint C' });
    expect(mine[0]!.details).not.toHaveProperty('password');
    expect(JSON.stringify(mine)).not.toContain(reg.password);
    // The first test's compromised centre dropped the revocation: revoking again signs a new one; the key stays revoked.
    expect(mine[3]!.details).toMatchObject({ username: 'somchai', created: true, keysRevoked: [] });
    expect(mine.every((r) => r.actor === 'watchdesk_admin')).toBe(true);
    // The whole story: one row per action since the centre began, in order.
    expect(log.map((r) => r.action).slice(0, 3)).toEqual(['central.init', 'desk.register', 'desk.register']);
    expect(log.filter((r) => r.action === 'account.revoke').map((r) => r.details.created)).toEqual([true, false, true]);
    expect(log.filter((r) => r.action === 'key.certify')).toHaveLength(1);

    // Nobody alters it, not even the superuser inside a purge.
    for (const sql of ["UPDATE wd.admin_log SET action = 'x'", 'DELETE FROM wd.admin_log', 'TRUNCATE wd.admin_log']) {
      await expect(asAdmin(async (c) => {
        await c.query('BEGIN');
        try {
          await c.query("SET LOCAL wd.purging = 'on'");
          await c.query(sql);
        } finally {
          await c.query('ROLLBACK');
        }
      }), sql).rejects.toSatisfy((e: unknown) => sqlState(e) === '42501');
    }
    // Auditors read it.
    const seen = await asAdmin(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query('SET LOCAL ROLE wd_auditor');
        return Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM wd.admin_log')).rows[0]!.n);
      } finally {
        await c.query('ROLLBACK');
      }
    });
    expect(seen).toBe(log.length);

    // The CLI, from a desk of its own: `central revoke --account`, then `central log --format json`.
    const dir = mkdtempSync(join(tmpdir(), 'wd-accounts-cli-'));
    try {
      const db = join(dir, 'watchdesk.db');
      const engine = new Engine({ dbPath: db });
      await createClient((r) => engine.handle(r)).call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Checkpoint D', timeZone: 'Asia/Bangkok' });
      engine.close();
      const ca = join(dir, 'centre.pem');
      writeFileSync(ca, centre.cluster.certificate);
      const password = decodeURIComponent(new URL(centre.admin.url).password);
      const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], {
        encoding: 'utf8',
        env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_USER: undefined, WATCHDESK_CENTRAL_PASSPHRASE: DEPARTMENT_PASSPHRASE },
      });
      const revoke = run(['--db', db, 'central', 'revoke', '--account', 'malee', '--url', centre.admin.url, '--ca', ca]);
      expect(revoke.status, revoke.stderr).toBe(0);
      expect(revoke.stdout).toMatch(/^revoked: account malee at .*every desk refuses its sign-in from its next sync\nno publisher key was certified for it/);
      const printed = run(['--db', db, '--format', 'json', 'central', 'log', '--url', centre.admin.url, '--ca', ca]);
      expect(printed.status, printed.stderr).toBe(0);
      const rows = JSON.parse(printed.stdout) as { action: string; details: Record<string, unknown> }[];
      expect(rows.at(-1)).toMatchObject({ action: 'account.revoke', details: { username: 'malee', created: true } });
      expect(rows).toHaveLength(log.length + 1);
      for (const out of [revoke.stdout, revoke.stderr, printed.stdout, printed.stderr]) expect(out).not.toContain(password);
      // The desk that ran it recorded it in its own trail.
      const after = new Engine({ dbPath: db });
      try {
        await after.signIn('admin', PASSWORD);
        expect((after.requireDb().prepare("SELECT count(*) AS n FROM audit WHERE action = 'central.revokeAccount'").get() as { n: number }).n).toBe(1);
      } finally {
        after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
