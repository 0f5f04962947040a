/**
 * The centre's administration against a real PostgreSQL started by the test (centre.ts): the
 * department and its root key, desks and their logins, what PostgreSQL itself refuses a desk
 * (row-level security, grants, the triggers), revocation of a desk, publisher certificates, the
 * check of desks' audit chains, and the purge.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, rowHash } from '../../electron/core/audit';
import {
  certifyPublisher, initCentral, listDesks, purgeCentral, registerDesk, revokeDesk, revokeKey, verifyDeskChains, type RegisteredDesk,
} from '../../electron/core/central/admin';
import { connectCentral, type CentralTarget } from '../../electron/core/central/connect';
import { canonicalJson, trustedPublishers, type TrustedKeyRow } from '../../electron/core/central/trust';
import { AuthError, BadInputError, ConflictError, NotFoundError } from '../../electron/core/errors';
import { fingerprint, newSigningKey, publicKeyOf, rowMessage, signText } from '../../electron/core/signing';
import { startTestCentre, type TestCentre } from './centre';

const PASSPHRASE = 'department passphrase of the test';
let centre: TestCentre;
let rootKey: string;
let deskA: RegisteredDesk;
let deskB: RegisteredDesk;

function deskTarget(d: RegisteredDesk): CentralTarget {
  return { url: d.url, ca: centre.admin.ca };
}

async function asAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectCentral(centre.admin);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function asDesk<T>(d: RegisteredDesk, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectCentral(deskTarget(d));
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A made-up crossing row of `d` (no real person). */
async function insertCrossing(c: pg.ClientBase, d: { deskId: string; checkpointId: string }, occurredAt: Date, extra: { traveler?: object; note?: string } = {}): Promise<string> {
  const id = randomUUID();
  await c.query(
    `INSERT INTO wd.crossings (id, desk_id, checkpoint_id, occurred_at, time_zone, direction, outcome, officer_id, officer, flagged, note, screening_id, screened_at, traveler, list_versions)
     VALUES ($1, $2, $3, $4, 'Asia/Bangkok', 'entry', 'admitted', $5, 'officer1', true, $6, $7, $4, $8, '[]'::jsonb)`,
    [id, d.deskId, d.checkpointId, occurredAt.toISOString(), randomUUID(), extra.note ?? null, randomUUID(), JSON.stringify(extra.traveler ?? { name: 'TEST PERSON' })],
  );
  return id;
}

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected the call to fail');
}

/** An audit chain as a desk makes it (audit.ts): a signed setup row, then rows signed by the same admin key. */
function makeChain(n: number): { seq: number; at: string; actor_id: string; action: string; subject: string | null; details: string; prev_hash: string; hash: string; signer: string; sig: string }[] {
  const key = newSigningKey();
  const pub = publicKeyOf(key);
  const admin = randomUUID();
  const rows = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq, at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), actor_id: admin,
      action: seq === 1 ? 'setup' : 'crossing.record', subject: seq === 1 ? admin : randomUUID(),
      details: seq === 1 ? JSON.stringify({ signingKey: pub, roles: ['admin'] }) : JSON.stringify({ hits: seq % 3 }), prev_hash: prev,
    };
    const hash = rowHash(base);
    rows.push({ ...base, hash, signer: fingerprint(pub), sig: signText(key, rowMessage(hash)) });
    prev = hash;
  }
  return rows;
}

async function pushAudit(c: pg.ClientBase, deskId: string, rows: ReturnType<typeof makeChain>): Promise<void> {
  for (const r of rows) {
    await c.query(
      'INSERT INTO wd.audit_rows (desk_id, seq, at, actor_id, action, subject, details, prev_hash, hash, signer, sig) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)',
      [deskId, r.seq, r.at, r.actor_id, r.action, r.subject, r.details, r.prev_hash, r.hash, r.signer, r.sig],
    );
  }
}

beforeAll(async () => {
  centre = await startTestCentre();
  const init = await initCentral(centre.admin, { department: 'Test Department', passphrase: PASSPHRASE });
  rootKey = init.rootKey;
  deskA = await registerDesk(centre.admin, { deskName: 'North 1', checkpoint: 'North', timeZone: 'Asia/Bangkok' });
  deskB = await registerDesk(centre.admin, { deskName: 'South 1', checkpoint: 'South', timeZone: 'Asia/Bangkok' });
}, 180_000);

afterAll(async () => {
  await centre?.stop();
});

describe('initCentral', () => {
  it('is idempotent: a second run keeps the department and its root key and applies nothing', async () => {
    const again = await initCentral(centre.admin, { department: 'Another Name', passphrase: PASSPHRASE });
    expect(again).toMatchObject({ department: 'Test Department', rootKey, created: false, applied: [] });
    expect(again.rootFingerprint).toBe(fingerprint(rootKey));
    const rows = await asAdmin(async (c) => (await c.query('SELECT count(*)::int AS n FROM wd.department')).rows[0] as { n: number });
    expect(rows.n).toBe(1);
  });

  it('refuses a re-run with another passphrase, and a short passphrase', async () => {
    const wrong = await errorOf(initCentral(centre.admin, { department: 'Test Department', passphrase: 'not the passphrase at all' }));
    expect(wrong).toBeInstanceOf(AuthError);
    expect((wrong as AuthError).reason.code).toBe('central.wrongPassphrase');
    const short = await errorOf(initCentral(centre.admin, { department: 'x', passphrase: 'short' }));
    expect(short).toBeInstanceOf(BadInputError);
    expect((short as BadInputError).reason.code).toBe('central.passphraseTooShort');
  });
});

describe('registerDesk', () => {
  it('gives each desk its own login at its own checkpoint; a checkpoint name is reused, a desk name is not', async () => {
    expect(deskA.checkpointId).not.toBe(deskB.checkpointId);
    expect(deskA.role).not.toBe(deskB.role);
    expect(deskA.url).toContain(deskA.role);
    expect(deskA.rootKey).toBe(rootKey);
    const a2 = await registerDesk(centre.admin, { deskName: 'North 2', checkpoint: 'North', timeZone: 'Asia/Bangkok', publisher: true });
    expect(a2.checkpointId).toBe(deskA.checkpointId);
    const taken = await errorOf(registerDesk(centre.admin, { deskName: 'North 1', checkpoint: 'North', timeZone: 'Asia/Bangkok' }));
    expect(taken).toBeInstanceOf(ConflictError);
    expect((taken as ConflictError).reason.code).toBe('central.deskNameTaken');
    const tz = await errorOf(registerDesk(centre.admin, { deskName: 'X', checkpoint: 'X', timeZone: 'Mars/Olympus' }));
    expect((tz as BadInputError).reason.code).toBe('setup.unknownTimeZone');
    const me = await asDesk(deskA, async (c) => (await c.query('SELECT wd.my_desk() AS d, wd.my_checkpoint() AS cp')).rows[0] as { d: string; cp: string });
    expect(me).toEqual({ d: deskA.deskId, cp: deskA.checkpointId });
    const desks = await listDesks(centre.admin);
    expect(desks.map((d) => d.deskName)).toEqual(expect.arrayContaining(['North 1', 'South 1', 'North 2']));
  });
});

describe('least privilege, enforced by PostgreSQL', () => {
  it("a desk writes its own checkpoint's crossings and cannot read, write, alter or publish beyond them", async () => {
    const idA = await asDesk(deskA, (c) => insertCrossing(c, deskA, new Date()));
    await asDesk(deskA, async (c) => {
      expect((await c.query('SELECT id FROM wd.crossings WHERE id = $1', [idA])).rowCount).toBe(1);
    });
    await asDesk(deskB, async (c) => {
      // Reading another checkpoint's crossings: none visible.
      expect((await c.query('SELECT * FROM wd.crossings')).rowCount).toBe(0);
      expect((await c.query('SELECT * FROM wd.crossings WHERE id = $1', [idA])).rowCount).toBe(0);
      // Writing one for another checkpoint (or desk): row-level security refuses it.
      const rls = await errorOf(insertCrossing(c, deskA, new Date()));
      expect(rls.code).toBe('42501');
      expect(rls.message).toMatch(/row-level security/);
      const mixed = await errorOf(insertCrossing(c, { deskId: deskB.deskId, checkpointId: deskA.checkpointId }, new Date()));
      expect(mixed.code).toBe('42501');
      // Publishing: not a publisher, no INSERT grant.
      const pub = await errorOf(c.query(
        "INSERT INTO wd.publications (list_id, seq, envelope, signer, sig, desk_id) VALUES ($1, 1, '{}', 'x', 'x', $2)", [randomUUID(), deskB.deskId],
      ));
      expect(pub.code).toBe('42501');
      expect(pub.message).toMatch(/permission denied/);
    });
    // Altering a row already written: refused even for the desk that wrote it.
    await asDesk(deskA, async (c) => {
      const upd = await errorOf(c.query("UPDATE wd.crossings SET outcome = 'refused' WHERE id = $1", [idA]));
      expect(upd.code).toBe('42501');
      const del = await errorOf(c.query('DELETE FROM wd.crossings WHERE id = $1', [idA]));
      expect(del.code).toBe('42501');
    });
    // Even the superuser cannot alter it outside the purge.
    await asAdmin(async (c) => {
      const upd = await errorOf(c.query("UPDATE wd.crossings SET outcome = 'refused' WHERE id = $1", [idA]));
      expect(upd.message).toMatch(/never altered/);
      expect((await c.query('SELECT outcome FROM wd.crossings WHERE id = $1', [idA])).rows[0]).toEqual({ outcome: 'admitted' });
    });
  });
});

describe('revokeDesk', () => {
  it("ends the desk's open session and refuses its login from then on", async () => {
    const stolen = await registerDesk(centre.admin, { deskName: 'Stolen', checkpoint: 'North', timeZone: 'Asia/Bangkok' });
    const open = await connectCentral(deskTarget(stolen));
    try {
      await insertCrossing(open, stolen, new Date());
      const r = await revokeDesk(centre.admin, 'Stolen');
      expect(r).toMatchObject({ deskId: stolen.deskId, role: stolen.role, sessionsEnded: 1 });
      const after = await errorOf(open.query('SELECT 1'));
      expect(after.message).toMatch(/terminat|connection/i);
    } finally {
      await open.end().catch(() => undefined);
    }
    const login = await errorOf(connectCentral(deskTarget(stolen)));
    expect(login.message).toMatch(/not permitted to log in/);
    // Idempotent, by id too; the revoked desk is listed as revoked.
    const again = await revokeDesk(centre.admin, stolen.deskId);
    expect(again.sessionsEnded).toBe(0);
    expect((await listDesks(centre.admin)).find((d) => d.deskId === stolen.deskId)?.revokedAt).not.toBeNull();
    const missing = await errorOf(revokeDesk(centre.admin, 'No Such Desk'));
    expect(missing).toBeInstanceOf(NotFoundError);
  });
});

describe('publisher keys', () => {
  it('certifies and revokes with the root key; desks verify both; a doctored row is not trusted', async () => {
    const key = publicKeyOf(newSigningKey());
    const fp = fingerprint(key);
    const wrong = await errorOf(certifyPublisher(centre.admin, 'a wrong passphrase here', { username: 'sup1', publicKey: key }));
    expect((wrong as AuthError).reason.code).toBe('central.wrongPassphrase');
    const bad = await errorOf(certifyPublisher(centre.admin, PASSPHRASE, { username: 'sup1', publicKey: 'AAAA' }));
    expect((bad as BadInputError).reason.code).toBe('central.badPublicKey');

    const cert = await certifyPublisher(centre.admin, PASSPHRASE, { username: 'sup1', publicKey: key });
    expect(cert).toMatchObject({ fingerprint: fp, username: 'sup1', revokedAt: null });
    const rows = async (): Promise<TrustedKeyRow[]> => asDesk(deskA, async (c) => (await c.query<TrustedKeyRow>('SELECT * FROM wd.trusted_keys')).rows);
    expect(trustedPublishers(await rows(), rootKey).get(fp)).toMatchObject({ publicKey: key, username: 'sup1', revokedAt: null });
    // Another root (a forged department) vouches for nothing.
    expect(trustedPublishers(await rows(), publicKeyOf(newSigningKey())).size).toBe(0);
    // A centre that renames the key's owner breaks its certificate.
    const doctored = (await rows()).map((r) => ({ ...r, username: 'intruder' }));
    expect(trustedPublishers(doctored, rootKey).has(fp)).toBe(false);

    const revoked = await revokeKey(centre.admin, PASSPHRASE, fp.toUpperCase());
    expect(revoked.revokedAt).not.toBeNull();
    const t = trustedPublishers(await rows(), rootKey).get(fp);
    expect(t?.revokedAt).toBe(revoked.revokedAt);
    // A revocation is not lifted by forging its signature away, and a revoked key is never certified again.
    const lifted = (await rows()).map((r) => ({ ...r, revocation_sig: 'AAAA' }));
    expect(trustedPublishers(lifted, rootKey).get(fp)?.revokedAt).toBeNull();
    const recert = await errorOf(certifyPublisher(centre.admin, PASSPHRASE, { username: 'sup1', publicKey: key }));
    expect((recert as ConflictError).reason.code).toBe('central.keyRevoked');
    const unknown = await errorOf(revokeKey(centre.admin, PASSPHRASE, 'ff'.repeat(16)));
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('canonical JSON sorts keys at every level and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('verifyDeskChains', () => {
  it('finds a gap and a rewritten row, and passes an intact chain', async () => {
    const chainA = makeChain(6);
    const chainB = makeChain(5);
    await asDesk(deskA, (c) => pushAudit(c, deskA.deskId, chainA));
    await asDesk(deskB, (c) => pushAudit(c, deskB.deskId, chainB.filter((r) => r.seq !== 3)));
    // A desk cannot push rows into another desk's chain.
    const foreign = await errorOf(asDesk(deskB, (c) => pushAudit(c, deskA.deskId, makeChain(1))));
    expect(foreign.code).toBe('42501');

    let res = await verifyDeskChains(centre.admin, 2);
    const a = res.find((r) => r.deskId === deskA.deskId)!;
    const b = res.find((r) => r.deskId === deskB.deskId)!;
    expect(a).toMatchObject({ ok: true, rows: 6, headSeq: 6, firstBrokenSeq: null, rootFingerprint: chainA[0]!.signer });
    expect(b).toMatchObject({ ok: false, rows: 4, firstBrokenSeq: 3, gap: { from: 3, to: 3 } });

    // Rewritten as superuser past the trigger: the content no longer matches the hash.
    await asAdmin(async (c) => {
      await c.query('BEGIN');
      await c.query("SET LOCAL wd.purging = 'on'");
      await c.query(`UPDATE wd.audit_rows SET details = '{"hits":9}' WHERE desk_id = $1 AND seq = 4`, [deskA.deskId]);
      await c.query('COMMIT');
    });
    res = await verifyDeskChains(centre.admin);
    expect(res.find((r) => r.deskId === deskA.deskId)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(res.find((r) => r.deskId === deskA.deskId)!.message).toMatch(/does not match its hash/);

    // Rewritten with every hash recomputed from there on: the links hold, the signatures do not.
    await asAdmin(async (c) => {
      await c.query('BEGIN');
      await c.query("SET LOCAL wd.purging = 'on'");
      let prev = chainA[2]!.hash;
      for (const r of chainA.slice(3)) {
        const forged = { ...r, prev_hash: prev, details: r.seq === 4 ? '{"hits":9}' : r.details };
        const hash = rowHash(forged);
        await c.query('UPDATE wd.audit_rows SET details = $3, prev_hash = $4, hash = $5 WHERE desk_id = $1 AND seq = $2', [deskA.deskId, r.seq, forged.details, prev, hash]);
        prev = hash;
      }
      await c.query('COMMIT');
    });
    res = await verifyDeskChains(centre.admin);
    const forgedA = res.find((r) => r.deskId === deskA.deskId)!;
    expect(forgedA).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(forgedA.message).toMatch(/signature/);
  });

  it('keeps both branches of a forked chain, follows the one received last and reports the other; a rewritten row of either is found', async () => {
    const deskC = await registerDesk(centre.admin, { deskName: 'West 1', checkpoint: 'West', timeZone: 'Asia/Bangkok' });
    const chain = makeChain(6);
    // An earlier branch after row 3 (as a desk had it before a backup from row 3 was restored), received first.
    let prev = chain[2]!.hash;
    const earlier = [4, 5].map((seq) => {
      const base = { seq, at: new Date(Date.UTC(2026, 0, 1, 1, seq)).toISOString(), actor_id: chain[0]!.actor_id, action: 'crossing.record', subject: randomUUID(), details: '{"hits":0}', prev_hash: prev };
      prev = rowHash(base);
      return { ...base, hash: prev, signer: null, sig: null };
    });
    await asDesk(deskC, async (c) => {
      await pushAudit(c, deskC.deskId, chain.slice(0, 3));
      await pushAudit(c, deskC.deskId, earlier as unknown as ReturnType<typeof makeChain>);
      await pushAudit(c, deskC.deskId, chain.slice(3));
      // The same row again is no second row.
      expect((await errorOf(pushAudit(c, deskC.deskId, chain.slice(5)))).code).toBe('23505');
    });
    for (const page of [2, 3, 5000]) {
      const c = (await verifyDeskChains(centre.admin, page)).find((r) => r.deskId === deskC.deskId)!;
      expect(c).toMatchObject({ ok: true, rows: 8, headSeq: 6, forks: [{ afterSeq: 3, abandonedRows: 2 }] });
      expect(c.message).toMatch(/^intact: 8 rows; after row 3 an earlier branch of 2 rows was replaced/);
    }
    await asAdmin(async (c) => {
      await c.query('BEGIN');
      await c.query("SET LOCAL wd.purging = 'on'");
      await c.query(`UPDATE wd.audit_rows SET details = '{"hits":9}' WHERE desk_id = $1 AND hash = $2`, [deskC.deskId, earlier[1]!.hash]);
      await c.query('COMMIT');
    });
    const c = (await verifyDeskChains(centre.admin, 2)).find((r) => r.deskId === deskC.deskId)!;
    expect(c).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    expect(c.message).toMatch(/does not match its hash/);
  });
});

describe('purgeCentral', () => {
  it('blanks personal columns of old crossings and their hits, keeps ids, and touches nothing recent', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 100 * 86_400_000);
    const { oldId, newId, hitId } = await asDesk(deskA, async (c) => {
      const oldId = await insertCrossing(c, deskA, old, { traveler: { name: 'OLD TRAVELER' }, note: 'a note' });
      const newId = await insertCrossing(c, deskA, now, { traveler: { name: 'NEW TRAVELER' }, note: 'kept' });
      const hitId = randomUUID();
      await c.query(
        `INSERT INTO wd.hits (id, crossing_id, checkpoint_id, entry_id, entry, score, band, explanation, action, decision, note)
         VALUES ($1, $2, $3, 'E1', '{"names":["LISTED"]}', 0.9, 'strong', $4, 'refer', 'confirmed', 'hit note')`,
        [hitId, oldId, deskA.checkpointId, JSON.stringify({
          summary: 'OLD TRAVELER vs LISTED', matchedName: 'LISTED', nameScore: 0.9,
          tokens: [{ query: 'OLD', entry: 'LISTED', kind: 'fuzzy', similarity: 0.9 }], unmatchedQuery: ['TRAVELER'], unmatchedEntry: [],
          fields: [{ field: 'dob', status: 'match', effect: 0.1, detail: '1980-01-01' }],
        })],
      );
      return { oldId, newId, hitId };
    });
    const days = await errorOf(purgeCentral(centre.admin, 0));
    expect((days as BadInputError).reason.code).toBe('central.purgeDays');

    const r = await purgeCentral(centre.admin, 30, now);
    expect(r.crossings).toBeGreaterThanOrEqual(1);
    expect(r.hits).toBe(1);
    await asAdmin(async (c) => {
      const o = (await c.query('SELECT id, traveler, note, outcome, purged_at FROM wd.crossings WHERE id = $1', [oldId])).rows[0] as Record<string, unknown>;
      expect(o).toMatchObject({ id: oldId, traveler: null, note: null, outcome: 'admitted' });
      expect(o.purged_at).not.toBeNull();
      const n = (await c.query('SELECT traveler, note, purged_at FROM wd.crossings WHERE id = $1', [newId])).rows[0] as Record<string, unknown>;
      expect(n).toEqual({ traveler: { name: 'NEW TRAVELER' }, note: 'kept', purged_at: null });
      const h = (await c.query('SELECT id, note, explanation, decision, entry_id FROM wd.hits WHERE id = $1', [hitId])).rows[0] as {
        id: string; note: string | null; decision: string; entry_id: string; explanation: { summary: string; tokens: { query: string; entry: string }[]; unmatchedQuery: string[]; fields: { detail: string }[] };
      };
      expect(h).toMatchObject({ id: hitId, note: null, decision: 'confirmed', entry_id: 'E1' });
      expect(JSON.stringify(h.explanation)).not.toMatch(/OLD|TRAVELER|1980/);
      expect(h.explanation.tokens[0]).toMatchObject({ query: '', entry: 'LISTED' });
      // The trigger is back in force after the purge's transaction.
      const upd = await errorOf(c.query('UPDATE wd.crossings SET note = NULL WHERE id = $1', [newId]));
      expect(upd.message).toMatch(/never altered/);
    });
    expect((await purgeCentral(centre.admin, 30, now)).crossings).toBe(0);
  });
});

describe('desk-config', () => {
  it("keeps a joined desk's link in its settings, reads nothing from an unjoined or incomplete one, and forgets it", async () => {
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    const { deskCentral, saveDeskCentral, forgetDeskCentral, CENTRAL_SETTINGS } = await import('../../electron/core/central/desk-config');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.prepare("INSERT INTO settings VALUES ('checkpoint.name', 'Mae Sai'), ('central.lastError', 'central.unreachable')").run();
    expect(deskCentral(db)).toBeNull();
    const joinedAt = new Date('2026-12-01T00:00:00Z');
    saveDeskCentral(db, {
      url: deskA.url, ca: centre.admin.ca, deskId: deskA.deskId, deskName: deskA.deskName, checkpointId: deskA.checkpointId,
      checkpointName: deskA.checkpoint, rootKey, publisher: true, joinedAt,
    });
    expect(deskCentral(db)).toEqual({
      target: { url: deskA.url, ca: centre.admin.ca }, deskId: deskA.deskId, deskName: 'North 1', checkpointId: deskA.checkpointId,
      checkpointName: 'North', rootKey, publisher: true, auditor: false, joinedAt: joinedAt.toISOString(),
    });
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get(CENTRAL_SETTINGS.lastError)).toBeUndefined();
    // The stored target reaches the centre as the desk itself.
    const c = await connectCentral(deskCentral(db)!.target);
    expect((await c.query('SELECT wd.my_desk() AS d')).rows[0]).toEqual({ d: deskA.deskId });
    await c.end();
    db.prepare('DELETE FROM settings WHERE key = ?').run(CENTRAL_SETTINGS.rootKey);
    expect(deskCentral(db)).toBeNull();
    forgetDeskCentral(db);
    expect(db.prepare("SELECT key FROM settings ORDER BY key").all()).toEqual([{ key: 'checkpoint.name' }]);
    db.close();
  });
});
