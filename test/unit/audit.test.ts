import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../electron/core/audit';
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
