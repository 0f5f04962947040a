/**
 * Issue 15 item 13, tamper evidence that survives an insider: an officer holding the database file,
 * the key file and their own password (so the database key, through their own key slot) tries to
 * grant themselves admin, to rewrite another account's rows, and to cut the tail of the trail; each
 * is caught by sign-in or `audit verify`. Also: signing keys wrapped by the password, a legacy
 * desk's migration, a disabled account's later rows, and two processes appending at once (item 7).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { appendAudit, readHeadFile, signingKeys, verifyAudit, writeHeadFile, type ExternalHead } from '../../electron/core/audit';
import { openDatabase, type DB } from '../../electron/core/db/database';
import { readKeyFile, unlockWithPassword } from '../../electron/core/db/keyslots';
import {
  fingerprint, forgetSigners, headMessage, newSigningKey, publicKeyOf, registerSigner, signText, unwrapSigningKey, verifyText, wrapSigningKey,
} from '../../electron/core/signing';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const OFFICER_PW = 'officer password 1';
const SUPER_PW = 'supervisor password 1';
const ROOT = join(import.meta.dirname, '..', '..');

interface Row { seq: number; at: string; actor_id: string | null; action: string; subject: string | null; details: string; prev_hash: string; hash: string; signer: string | null; sig: string | null }

function rowHash(r: Row): string {
  return createHash('sha256').update(JSON.stringify([r.seq, r.at, r.actor_id, r.action, r.subject, r.details, r.prev_hash])).digest('hex');
}

/** What an insider does after editing rows: recomputes every hash from `fromSeq` on, so that the chain links again. */
function rechain(db: DB, fromSeq = 1): void {
  const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Row[];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if (r.seq >= fromSeq) {
      r.prev_hash = prev;
      r.hash = rowHash(r);
      db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(r.prev_hash, r.hash, r.seq);
    }
    prev = r.hash;
  }
}

function head(db: DB): { seq: number; hash: string } {
  return db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
}

async function expectApiError(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiCallError);
  expect((err as ApiCallError).code).toBe(code);
  if (message) expect((err as ApiCallError).message).toMatch(message);
}

function client(engine: Engine): ApiClient {
  return createClient((r) => engine.handle(r));
}

/**
 * A desk where the admin created an officer and a supervisor, the officer and the supervisor
 * worked, and the admin changed a setting last; closed. Returns the path and the account ids.
 */
async function usedDesk(): Promise<{ dbPath: string; ids: Record<'admin' | 'officer' | 'supervisor', string> }> {
  const { engine, api, dbPath } = await setUpEngine();
  const officer = await api.call('users.create', { username: 'officer1', password: OFFICER_PW, roles: ['officer'] });
  const supervisor = await api.call('users.create', { username: 'super1', password: SUPER_PW, roles: ['supervisor'] });
  const o = client(engine);
  const me = await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
  await o.call('auth.changePassword', { currentPassword: OFFICER_PW, newPassword: OFFICER_PW });
  const s = client(engine);
  await s.call('auth.signIn', { username: 'super1', password: SUPER_PW });
  await s.call('settings.setStaleLimit', { staleDays: 30 });
  await api.call('settings.update', { idleMinutes: 10 });
  const adminId = (await api.call('users.list')).find((u) => u.username === 'admin')!.id;
  expect(me.user.roles).toEqual(['officer']);
  engine.close();
  return { dbPath, ids: { admin: adminId, officer: officer.id, supervisor: supervisor.id } };
}

/** The insider's own access: the database key through their own key slot. */
async function insiderOpen(dbPath: string): Promise<DB> {
  return openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'officer1', OFFICER_PW));
}

/** `audit verify` as the admin would run it (a fresh desk, signed in). */
async function adminVerify(dbPath: string) {
  const engine = new Engine({ dbPath });
  const api = client(engine);
  await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
  const v = await api.call('audit.verify');
  engine.close();
  return v;
}

describe('signing keys', () => {
  it('wraps a private key under the password: the right password unwraps the same key, a wrong one nothing', async () => {
    const key = newSigningKey();
    const stored = await wrapSigningKey(key, 'a good password');
    expect(stored).not.toContain(publicKeyOf(key));
    const back = await unwrapSigningKey(stored, 'a good password');
    expect(back && publicKeyOf(back)).toBe(publicKeyOf(key));
    expect(await unwrapSigningKey(stored, 'a good passworD')).toBeNull();
    expect(await unwrapSigningKey('{"not":"wrapped"}', 'a good password')).toBeNull();
    const sig = signText(back!, headMessage(3, 'ab'));
    expect(verifyText(publicKeyOf(key), headMessage(3, 'ab'), sig)).toBe(true);
    expect(verifyText(publicKeyOf(key), headMessage(4, 'ab'), sig)).toBe(false);
    expect(fingerprint(publicKeyOf(key))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a new desk signs every row from setup on; the setup admin is the root, named in the head file', async () => {
    const { dbPath, ids } = await usedDesk();
    const v = await adminVerify(dbPath);
    expect(v).toMatchObject({ ok: true, unsignedLegacyRows: 0, unsignedSystemRows: 0 });
    expect(v.signedRows).toBe(v.rows);
    const db = await insiderOpen(dbPath);
    const keys = signingKeys(db);
    expect(keys.root).toBe(v.rootKey);
    expect(keys.keys.map((k) => [k.userId, k.how])).toEqual([[ids.admin, 'root'], [ids.officer, 'admin'], [ids.supervisor, 'admin']]);
    expect(readHeadFile(dbPath)).toMatchObject({ root: v.rootKey });
    db.close();
    // The same list through the API (`watchdesk audit keys`), for an auditor or an admin.
    const engine = new Engine({ dbPath });
    const api = client(engine);
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const listed = await api.call('audit.keys');
    expect(listed.root).toBe(v.rootKey);
    expect(listed.keys.map((k) => [k.username, k.how, k.revokedFrom])).toEqual([['admin', 'root', null], ['officer1', 'admin', null], ['super1', 'admin', null]]);
    expect(listed.keys[0]!.fingerprint).toBe(v.rootKey);
    engine.close();
  });
});

describe('an insider with the database file and their own password', () => {
  it('(a) grants themselves admin in the users table: sign-in gives only the signed roles, audit verify flags the table', async () => {
    const { dbPath, ids } = await usedDesk();
    const db = await insiderOpen(dbPath);
    db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(['officer', 'admin']), ids.officer);
    db.close();
    const engine = new Engine({ dbPath });
    const o = client(engine);
    const s = await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    expect(s.user.roles).toEqual(['officer']);
    await expectApiError(o.call('users.list'), 'forbidden');
    const refused = engine.requireDb().prepare("SELECT actor_id, details, sig FROM audit WHERE action = 'auth.rolesRefused'").get() as { actor_id: string; details: string; sig: string };
    expect(refused.actor_id).toBe(ids.officer);
    expect(JSON.parse(refused.details)).toEqual({ roles: ['admin'] });
    engine.close();
    const v = await adminVerify(dbPath);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(new RegExp(`account ${ids.officer}: the users table gives it roles officer, admin but the signed rows officer`));
  });

  it('(a) and forges the grant row too, signed with their own key: it grants nothing, and verify names the row', async () => {
    const { dbPath, ids } = await usedDesk();
    const db = await insiderOpen(dbPath);
    const mine = await unwrapSigningKey((db.prepare('SELECT signing_wrapped FROM users WHERE id = ?').get(ids.officer) as { signing_wrapped: string }).signing_wrapped, OFFICER_PW);
    registerSigner(dbPath, ids.officer, mine!);
    const seq = appendAudit(db, { actorId: ids.officer, action: 'user.update', subject: ids.officer, details: { roles: ['officer', 'admin'], disabled: false, rolesChanged: true, enabled: false } });
    forgetSigners(dbPath);
    db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(['officer', 'admin']), ids.officer);
    db.close();
    const engine = new Engine({ dbPath });
    const s = await client(engine).call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    expect(s.user.roles).toEqual(['officer']);
    engine.close();
    const v = await adminVerify(dbPath);
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: seq });
    expect(v.message).toMatch(/a user change not signed by an admin/);
  });

  it('(a) inserts an account of their own straight into the users table: it cannot sign in', async () => {
    const { dbPath } = await usedDesk();
    const db = await insiderOpen(dbPath);
    const row = db.prepare("SELECT * FROM users WHERE username = 'officer1'").get() as Record<string, unknown>;
    db.prepare('INSERT INTO users (id, username, password_hash, roles, disabled, created_at, signing_key, signing_wrapped) VALUES (?,?,?,?,0,?,?,?)').run(
      'forged-id', 'ghost', row.password_hash, JSON.stringify(['admin']), row.created_at, row.signing_key, row.signing_wrapped,
    );
    db.close();
    const engine = new Engine({ dbPath });
    const api = client(engine);
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    // No key slot for `ghost` either way; on the open desk the password hash alone would have let it in before signing.
    await expectApiError(client(engine).call('auth.signIn', { username: 'ghost', password: OFFICER_PW }), 'unauthenticated', /not created or enabled by a signed admin change/);
    const v = await api.call('audit.verify');
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/account forged-id is in the users table but no signed row created it/);
    engine.close();
  });

  it("(b) rewrites another account's row, recomputes the chain and the head file: verify fails on that row's signature", async () => {
    const { dbPath, ids } = await usedDesk();
    const db = await insiderOpen(dbPath);
    // The admin's row that created the officer: now it gives the officer the admin role.
    const created = db.prepare("SELECT * FROM audit WHERE action = 'user.create' AND subject = ?").get(ids.officer) as Row;
    const details = { ...(JSON.parse(created.details) as object), roles: ['officer', 'admin'] };
    db.prepare('UPDATE audit SET details = ? WHERE seq = ?').run(JSON.stringify(details), created.seq);
    db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(['officer', 'admin']), ids.officer);
    rechain(db, created.seq);
    const h = head(db);
    const old = readHeadFile(dbPath) as ExternalHead;
    writeHeadFile(dbPath, { ...old, seq: h.seq, hash: h.hash });
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: false, firstBrokenSeq: created.seq, message: expect.stringMatching(/its signature does not verify/) });
    // Re-signed with their own key instead: not a key the desk trusts for that row (theirs is enrolled by this very row).
    const mine = await unwrapSigningKey((db.prepare('SELECT signing_wrapped FROM users WHERE id = ?').get(ids.officer) as { signing_wrapped: string }).signing_wrapped, OFFICER_PW);
    const edited = db.prepare('SELECT hash FROM audit WHERE seq = ?').get(created.seq) as { hash: string };
    db.prepare('UPDATE audit SET signer = ?, sig = ? WHERE seq = ?').run(fingerprint(publicKeyOf(mine!)), signText(mine!, `watchdesk-audit-row\0${edited.hash}`), created.seq);
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: false, firstBrokenSeq: created.seq, message: expect.stringMatching(/signed by a key this desk does not trust/) });
    db.close();
    // And sign-in does not believe the edited grant: the row that created the account no longer counts, so it is refused.
    const engine = new Engine({ dbPath });
    await expectApiError(client(engine).call('auth.signIn', { username: 'officer1', password: OFFICER_PW }), 'unauthenticated', /not created or enabled by a signed admin change/);
    engine.close();
  });

  it('(c) cuts the tail (rows of the admin and the supervisor) and rewrites the head file: the attestations in it name the cut', async () => {
    const { dbPath, ids } = await usedDesk();
    const db = await insiderOpen(dbPath);
    const lastOfficer = (db.prepare('SELECT max(seq) AS s FROM audit WHERE actor_id = ?').get(ids.officer) as { s: number }).s;
    const full = head(db).seq;
    db.prepare('DELETE FROM audit WHERE seq > ?').run(lastOfficer);
    const h = head(db);
    const old = readHeadFile(dbPath) as ExternalHead;
    // 1. The head moved back, the attestations kept (the insider cannot make new ones for others).
    writeHeadFile(dbPath, { ...old, seq: h.seq, hash: h.hash });
    let r = verifyAudit(db, readHeadFile(dbPath));
    expect(r).toMatchObject({ ok: false, missingFrom: h.seq + 1 });
    expect(r.message).toMatch(new RegExp(`rows ${h.seq + 1} to ${full} are missing: account [0-9a-f-]+ attested the trail up to row ${full}`));
    // 2. The others' attestations dropped, their own re-made with their own key.
    const mine = await unwrapSigningKey((db.prepare('SELECT signing_wrapped FROM users WHERE id = ?').get(ids.officer) as { signing_wrapped: string }).signing_wrapped, OFFICER_PW);
    const own = { seq: h.seq, hash: h.hash, key: fingerprint(publicKeyOf(mine!)), sig: signText(mine!, headMessage(h.seq, h.hash)) };
    writeHeadFile(dbPath, { seq: h.seq, hash: h.hash, root: old.root, anchoredAt: 0, attest: { [ids.officer]: own } });
    r = verifyAudit(db, readHeadFile(dbPath));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(new RegExp(`account ${ids.admin} signed rows of the trail but the head kept outside the database holds no attestation of theirs`));
    // 3. Attestations forged with their own key under the others' ids.
    writeHeadFile(dbPath, { seq: h.seq, hash: h.hash, root: old.root, anchoredAt: 0, attest: { [ids.officer]: own, [ids.admin]: own, [ids.supervisor]: own } });
    expect(verifyAudit(db, readHeadFile(dbPath)).message).toMatch(/that its key did not sign \(the head file was forged\)/);
    // 4. A head file with no attestations, "re-started" at the cut: no signed restore or re-anchoring there.
    writeHeadFile(dbPath, { seq: h.seq, hash: h.hash });
    db.close();
    const v = await adminVerify(dbPath);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/re-started at row \d+ without a signed restore or re-anchoring there/);
  });

  it('(c) what the desk alone cannot see: a rollback to an old copy of the head file; an anchor from outside (an export) finds it', async () => {
    const { dbPath, ids } = await usedDesk();
    const dir = tempDir();
    // The insider kept a copy of the head file from the moment after their own last row...
    const engine = new Engine({ dbPath });
    const o = client(engine);
    await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    await o.call('watchlists.list');
    copyFileSync(`${dbPath}.head`, join(dir, 'kept.head'));
    const anchorBefore = readHeadFile(dbPath) as ExternalHead;
    // ...then the admin works (a user created: a row the insider wants gone), and an export carries the head.
    const a = client(engine);
    await a.call('auth.signIn', { username: 'admin', password: PASSWORD });
    await a.call('users.update', { userId: ids.supervisor, roles: ['officer'] });
    const exported = readHeadFile(dbPath) as ExternalHead;
    engine.close();
    const db = await insiderOpen(dbPath);
    db.prepare('DELETE FROM audit WHERE seq > ?').run(anchorBefore.seq);
    db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(['supervisor']), ids.supervisor);
    // (and the users table put back as it was before the cut row)
    writeFileSync(`${dbPath}.head`, readFileSync(join(dir, 'kept.head')));
    // Locally the trail is consistent with the rolled-back head file...
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: true });
    // ...but the head written into the export (seq, hash, root) is not in it any more.
    const r = verifyAudit(db, { seq: exported.seq, hash: exported.hash });
    expect(r).toMatchObject({ ok: false, missingFrom: anchorBefore.seq + 1 });
    expect(r.rootKey).toBe(exported.root);
    db.close();
  });

  it("a disabled account's key signs nothing after the row that disabled it; its earlier rows stay valid", async () => {
    const { dbPath, ids } = await usedDesk();
    const engine = new Engine({ dbPath });
    const a = client(engine);
    await a.call('auth.signIn', { username: 'admin', password: PASSWORD });
    await a.call('users.update', { userId: ids.officer, disabled: true });
    expect((await a.call('audit.verify')).ok).toBe(true);
    engine.close();
    // The officer kept their wrapped key and password: they sign a row after being disabled.
    const db = openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD));
    const mine = await unwrapSigningKey((db.prepare('SELECT signing_wrapped FROM users WHERE id = ?').get(ids.officer) as { signing_wrapped: string }).signing_wrapped, OFFICER_PW);
    registerSigner(dbPath, ids.officer, mine!);
    const seq = appendAudit(db, { actorId: ids.officer, action: 'crossing.record', subject: 'x', details: {} });
    forgetSigners(dbPath);
    const disabledAt = (db.prepare("SELECT seq FROM audit WHERE action = 'user.update' AND subject = ?").get(ids.officer) as { seq: number }).seq;
    const r = verifyAudit(db);
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: seq });
    expect(r.message).toMatch(new RegExp(`signed by a key revoked at row ${disabledAt}`));
    db.close();
  });
});

describe('a desk from before signing keys (migration)', () => {
  /** A desk as the code before signing made it: no keys, no signatures, a head file of seq and hash only. */
  async function legacyDesk(): Promise<{ dbPath: string; ids: Record<'admin' | 'officer' | 'supervisor', string> }> {
    const { dbPath, ids } = await usedDesk();
    const db = await insiderOpen(dbPath);
    db.prepare('UPDATE users SET signing_key = NULL, signing_wrapped = NULL').run();
    for (const r of db.prepare('SELECT seq, details FROM audit').all() as { seq: number; details: string }[]) {
      const { signingKey: _k, recoveryKey: _r, recoverySalt: _s, ...rest } = JSON.parse(r.details) as Record<string, unknown>;
      db.prepare('UPDATE audit SET details = ?, signer = NULL, sig = NULL WHERE seq = ?').run(JSON.stringify(rest), r.seq);
    }
    rechain(db);
    const h = head(db);
    writeFileSync(`${dbPath}.head`, JSON.stringify({ format: 'watchdesk-audit-head', seq: h.seq, hash: h.hash }));
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: true, signedRows: 0, unsignedLegacyRows: h.seq, rootKey: null });
    db.close();
    return { dbPath, ids };
  }

  it('starts signing at the first admin sign-in, keys the other accounts at their next sign-in, and counts the legacy rows', async () => {
    const { dbPath, ids } = await legacyDesk();
    const legacyRows = (readHeadFile(dbPath) as ExternalHead).seq;
    const engine = new Engine({ dbPath });
    // An officer first: the desk does not sign yet, their rows stay legacy rows.
    const o = client(engine);
    await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    // The admin: signing starts, with their key as the root; the officer's keyless session ends.
    const a = client(engine);
    await a.call('auth.signIn', { username: 'admin', password: PASSWORD });
    await expectApiError(o.call('watchlists.list'), 'unauthenticated');
    await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    await o.call('watchlists.list');
    const v = await a.call('audit.verify');
    expect(v).toMatchObject({ ok: true, unsignedLegacyRows: legacyRows + 1 });
    expect(v.signedRows).toBeGreaterThan(3);
    const db = engine.requireDb();
    const started = db.prepare("SELECT actor_id, details FROM audit WHERE action = 'signing.started'").get() as { actor_id: string; details: string };
    expect(started.actor_id).toBe(ids.admin);
    expect((JSON.parse(started.details) as { roster: { id: string; roles: string[] }[] }).roster).toContainEqual({ id: ids.officer, roles: ['officer'], disabled: false });
    expect(db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'user.keyEnrolled' AND subject = ?").get(ids.officer)).toEqual({ n: 1 });
    const keys = signingKeys(db);
    expect(keys.keys.map((k) => [k.userId, k.how])).toEqual([[ids.admin, 'root'], [ids.officer, 'legacy']]);
    // The supervisor has not signed in since: no key yet, still granted by the roster.
    expect(keys.accounts.get(ids.supervisor)).toEqual({ roles: ['supervisor'], disabled: false, key: null });
    engine.close();
  });

  it('an account keyed by someone else during the migration window cannot sign in with its real password', async () => {
    const { dbPath, ids } = await legacyDesk();
    const engine = new Engine({ dbPath });
    await client(engine).call('auth.signIn', { username: 'admin', password: PASSWORD });
    engine.close();
    // The insider enrols a key of theirs for the supervisor before the supervisor signs in.
    const db = await insiderOpen(dbPath);
    const planted = newSigningKey();
    db.prepare('UPDATE users SET signing_key = ?, signing_wrapped = ? WHERE id = ?').run(publicKeyOf(planted), await wrapSigningKey(planted, OFFICER_PW), ids.supervisor);
    registerSigner(dbPath, ids.supervisor, planted);
    appendAudit(db, { actorId: ids.supervisor, action: 'user.keyEnrolled', subject: ids.supervisor, details: { signingKey: publicKeyOf(planted) } });
    forgetSigners(dbPath);
    db.close();
    const e2 = new Engine({ dbPath });
    await expectApiError(client(e2).call('auth.signIn', { username: 'super1', password: SUPER_PW }), 'unauthenticated', /signing key does not match/);
    e2.close();
  });
});

describe('recovery gives an admin a new key that the recovery key vouches for', () => {
  it('recover on a cold desk: the new key is enrolled by recovery and the trail verifies', async () => {
    const { dbPath, ids } = await usedDesk();
    const engine = new Engine({ dbPath });
    const api = client(engine);
    await api.call('auth.recover', { username: 'admin', recoveryPassphrase: PASSPHRASE, newPassword: 'a brand new desk password' });
    const v = await api.call('audit.verify');
    expect(v).toMatchObject({ ok: true, warnings: [] });
    const keys = signingKeys(engine.requireDb()).keys.filter((k) => k.userId === ids.admin);
    expect(keys.map((k) => k.how)).toEqual(['root', 'recovery']);
    expect(keys[0]!.until).toBe(keys[1]!.enrolledAt);
    engine.close();
  });
});

describe('two processes appending to one trail (issue 15 item 7)', () => {
  it('every append of two concurrent processes succeeds and the chain verifies', async () => {
    const { engine, dbPath } = await setUpEngine();
    engine.close();
    const keyHex = (await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD)).toString('hex');
    const startAt = Date.now() + 4000;
    const run = (tag: string) => new Promise<{ ok: number; failed: number; failures: string[] }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/unit/audit-append-child.ts', dbPath, keyHex, '150', String(startAt), tag], { cwd: ROOT });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { ok: number; failed: number; failures: string[] }) : reject(new Error(`child ${tag} exited ${code}: ${err.slice(0, 500)}`))));
    });
    const results = await Promise.all([run('a'), run('b')]);
    expect(results.map((r) => [r.ok, r.failed, r.failures])).toEqual([[150, 0, []], [150, 0, []]]);
    const db = openDatabase(dbPath, Buffer.from(keyHex, 'hex'));
    const r = verifyAudit(db);
    expect(r).toMatchObject({ ok: true, rows: 301 });
    // The two children's rows really interleave.
    const tags = (db.prepare("SELECT subject FROM audit WHERE action = 'test.concurrent' ORDER BY seq").all() as { subject: string }[]).map((x) => x.subject).join('');
    expect(tags).toMatch(/ab|ba/);
    db.close();
  }, 60_000);
});
