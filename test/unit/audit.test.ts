import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { appendAudit, readHeadFile, verifyAudit } from '../../electron/core/audit';
import { openDatabase, type DB } from '../../electron/core/db/database';
import { readKeyFile, unlockWithPassword } from '../../electron/core/db/keyslots';
import { PASSWORD, setUpEngine } from './helpers';

async function dbWithTrail(): Promise<DB> {
  const { engine, dbPath } = await setUpEngine();
  engine.close();
  const db = openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD));
  for (let i = 0; i < 5; i++) appendAudit(db, { actorId: null, action: 'test', subject: `s${i}`, details: { i } });
  return db;
}

describe('audit chain', () => {
  it('verifies an untouched trail', async () => {
    const db = await dbWithTrail();
    expect(verifyAudit(db)).toMatchObject({ ok: true, rows: 6, firstBrokenSeq: null });
    db.close();
  });
  it('names the first edited row', async () => {
    const db = await dbWithTrail();
    db.prepare("UPDATE audit SET details = '{\"i\":99}' WHERE seq = 4").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    db.close();
  });
  it('names a deleted row', async () => {
    const db = await dbWithTrail();
    db.prepare('DELETE FROM audit WHERE seq = 3').run();
    const r = verifyAudit(db);
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(r.message).toMatch(/deleted or inserted/);
    db.close();
  });
  it('names an inserted row even when its hash is recomputed', async () => {
    const db = await dbWithTrail();
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as { seq: number }[];
    db.prepare('UPDATE audit SET seq = seq + 100 WHERE seq >= 3').run();
    db.prepare('UPDATE audit SET seq = seq - 99 WHERE seq >= 103').run();
    db.prepare("INSERT INTO audit (seq, at, actor_id, action, subject, details, prev_hash, hash) SELECT 3, at, actor_id, 'forged', subject, details, prev_hash, hash FROM audit WHERE seq = 2").run();
    expect(rows).toHaveLength(6);
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    db.close();
  });
});

describe('audit chain against the head kept outside the database', () => {
  /** An engine-made trail of 10+ rows whose head file is current; returns the db path. */
  async function trail(): Promise<{ dbPath: string; rows: number }> {
    const { engine, api, dbPath } = await setUpEngine();
    for (let i = 0; i < 4; i++) await api.call('users.create', { username: `user${i}`, password: `password ${i} for u`, roles: ['officer'] });
    await api.call('settings.update', { idleMinutes: 10 });
    await api.call('audit.verify');
    const head = readHeadFile(dbPath);
    engine.close();
    const db = await rawOpen(dbPath);
    const rows = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    expect(head).toMatchObject({ seq: rows, hash: (db.prepare('SELECT hash FROM audit WHERE seq = ?').get(rows) as { hash: string }).hash });
    db.close();
    return { dbPath, rows };
  }
  async function rawOpen(dbPath: string): Promise<DB> {
    return openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD));
  }
  async function verifyRaw(dbPath: string, edit: (db: DB) => void) {
    const db = await rawOpen(dbPath);
    edit(db);
    const r = verifyAudit(db, readHeadFile(dbPath));
    db.close();
    return r;
  }

  it('an untouched trail verifies, and the head file holds numbers, hashes, ids and signatures only', async () => {
    const { dbPath, rows } = await trail();
    const r = await verifyRaw(dbPath, () => {});
    expect(r).toMatchObject({ ok: true, rows, headSeq: rows, externalHeadSeq: rows, firstBrokenSeq: null, missingFrom: null });
    const text = readFileSync(`${dbPath}.head`, 'utf8');
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(['anchoredAt', 'attest', 'format', 'hash', 'root', 'seq']);
    expect(text).not.toMatch(/admin|user\d/);
  });

  it('edited: names the edited row', async () => {
    const { dbPath } = await trail();
    const r = await verifyRaw(dbPath, (db) => db.prepare("UPDATE audit SET action = 'nothing' WHERE seq = 5").run());
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    expect(r.message).toMatch(/row 5: .*edited/);
  });

  it('inserted: names the row where the forged one went in', async () => {
    const { dbPath } = await trail();
    const r = await verifyRaw(dbPath, (db) => {
      db.prepare('UPDATE audit SET seq = -seq WHERE seq >= 4').run();
      db.prepare('UPDATE audit SET seq = -seq + 1 WHERE seq < 0').run();
      db.prepare("INSERT INTO audit (seq, at, actor_id, action, subject, details, prev_hash, hash) SELECT 4, at, actor_id, 'forged', subject, details, hash, hash FROM audit WHERE seq = 3").run();
    });
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it('deleted: names the row after the gap', async () => {
    const { dbPath } = await trail();
    const r = await verifyRaw(dbPath, (db) => db.prepare('DELETE FROM audit WHERE seq = 6').run());
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 7 });
    expect(r.message).toMatch(/expected row 6/);
  });

  it('reordered: names the first row out of place', async () => {
    const { dbPath } = await trail();
    const r = await verifyRaw(dbPath, (db) => {
      db.prepare('UPDATE audit SET seq = 1000 WHERE seq = 3').run();
      db.prepare('UPDATE audit SET seq = 3 WHERE seq = 4').run();
      db.prepare('UPDATE audit SET seq = 4 WHERE seq = 1000').run();
    });
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('truncated: the chain alone looks intact, the external head names the missing tail', async () => {
    const { dbPath, rows } = await trail();
    const r = await verifyRaw(dbPath, (db) => db.prepare('DELETE FROM audit WHERE seq > ?').run(rows - 3));
    expect(r).toMatchObject({ ok: false, rows: rows - 3, firstBrokenSeq: rows - 2, missingFrom: rows - 2, externalHeadSeq: rows });
    expect(r.message).toMatch(new RegExp(`rows ${rows - 2} to ${rows} are missing`));
  });

  it('truncated, then the desk is used again: opening notes the gap before any new row, and verify keeps naming it', async () => {
    const { dbPath, rows } = await trail();
    const db = await rawOpen(dbPath);
    db.prepare('DELETE FROM audit WHERE seq > ?').run(rows - 3);
    db.close();
    const cold = new Engine({ dbPath });
    const api = createClient((r) => cold.handle(r));
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    await api.call('watchlists.list');
    const v = await api.call('audit.verify');
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: rows - 2, missingFrom: rows - 2 });
    expect(v.message).toMatch(/truncated/);
    // The head outside the database did not move past the gap.
    expect(readHeadFile(dbPath)).toMatchObject({ seq: rows });
    const list = await api.call('audit.list', { action: 'audit.tailMissing' });
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]!.details).toMatchObject({ externalSeq: rows, foundSeq: rows - 3 });
    cold.close();
  });

  it('a rewritten tail (same length, new hashes) is named at the external head', async () => {
    const { dbPath, rows } = await trail();
    const r = await verifyRaw(dbPath, (db) => {
      db.prepare('DELETE FROM audit WHERE seq = ?').run(rows);
      appendAudit(db, { actorId: null, action: 'forged', details: {} });
    });
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: rows });
    expect(r.message).toMatch(/rewritten/);
  });

  it('a missing head file is reported, never silently re-made', async () => {
    const { dbPath, rows } = await trail();
    rmSync(`${dbPath}.head`);
    const cold = new Engine({ dbPath });
    const api = createClient((r) => cold.handle(r));
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const v = await api.call('audit.verify');
    expect(v).toMatchObject({ ok: false, externalHeadSeq: null });
    expect(v.rows).toBeGreaterThan(rows);
    expect(v.message).toMatch(/head kept outside the database is missing/);
    expect(existsSync(`${dbPath}.head`)).toBe(false);
    cold.close();
  });

  it('audit rows hold ids, never usernames', async () => {
    const { dbPath } = await trail();
    const db = await rawOpen(dbPath);
    const all = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    db.close();
    for (const name of ['admin', 'user0', 'user1', 'user2', 'user3']) expect(all).not.toContain(`"${name}"`);
    expect(all).not.toMatch(/user[0-3]/);
  });
});
