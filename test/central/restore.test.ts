/**
 * A joined desk restored from an older backup (its disk died; `backup.restore` on a new machine):
 * its audit chain goes on from the backup's head, so its next rows take sequence numbers the centre
 * already holds from before the restore. Nothing the restored desk records may be lost at the centre
 * (issue 16: "nothing recorded offline is lost"), and `central verify` must tell a restore from a
 * gap or a rewrite: the earlier branch stays, as evidence, and is reported.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { initCentral, verifyDeskChains } from '../../electron/core/central/admin';
import { PASSPHRASE } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';
import { closeTestDesks, joinTestDesk, withCentral, type TestDesk } from './desk';

let centre: TestCentre;
const desks: TestDesk[] = [];
const engines: Engine[] = [];

beforeAll(async () => {
  centre = await startTestCentre();
  await initCentral(centre.admin, { department: 'Made-up Department', passphrase: 'made-up department passphrase for restores' });
}, 180_000);

afterAll(async () => {
  for (const e of engines) await e.shutdown().catch(() => undefined);
  await closeTestDesks(desks);
  await centre?.stop();
});

/** Screens a made-up traveler (no list: no hit) and records the crossing; returns its id. */
async function cross(api: TestDesk['api'], name: string): Promise<string> {
  const s = await api.call('screening.screen', { traveler: { fullName: name } });
  return (await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' })).id;
}

describe('a desk restored from an older backup', () => {
  it('loses none of the rows it records after the restore, and the centre reports the earlier branch as a restore', async () => {
    const d = await joinTestDesk(centre, desks, 'Gate R1', 'Checkpoint R');
    await cross(d.api, 'Quorin Trabbleford');
    await d.api.call('central.sync', {});
    const backup = await d.api.call('backup.create', { recoveryPassphrase: PASSPHRASE });

    // After the backup: more crossings, pushed. Then the disk dies.
    await cross(d.api, 'Zelmar Oxquintal');
    await cross(d.api, 'Othavy Murravesh');
    await d.api.call('central.sync', {});
    const db0 = d.engine.requireDb();
    const oldHead = db0.prepare('SELECT max(seq) AS s FROM audit').get() as { s: number };
    expect(oldHead.s).toBeGreaterThan(backup.auditHeadSeq);
    await d.engine.shutdown();
    rmSync(join(d.dir, 'watchdesk.db'), { force: true });
    rmSync(join(d.dir, 'watchdesk.db.keys'), { force: true });
    rmSync(join(d.dir, 'watchdesk.db.head'), { force: true });

    // A new machine: the backup restored, the desk works on and syncs.
    const engine = new Engine({ dbPath: join(d.dir, 'restored.db') });
    engines.push(engine);
    const api = createClient((r) => engine.handle(r));
    await api.call('backup.restore', { contentBase64: backup.contentBase64, recoveryPassphrase: PASSPHRASE, username: 'admin', newPassword: 'restored desk password' });
    const after = [await cross(api, 'Brimsel Ilfondrake'), await cross(api, 'Kaduvo Sepwhistle')];
    await api.call('central.sync', {});
    const db = engine.requireDb();
    expect(db.prepare('SELECT count(*) AS n FROM central_outbox').get()).toEqual({ n: 0 });

    // Every row of the restored desk's chain, and every crossing it recorded, is at the centre.
    const local = (db.prepare('SELECT seq, hash FROM audit ORDER BY seq').all() as { seq: number; hash: string }[]);
    const central = await withCentral(centre.admin, async (c) => ({
      hashes: new Set((await c.query<{ hash: string }>('SELECT hash FROM wd.audit_rows WHERE desk_id = $1', [d.reg.deskId])).rows.map((r) => r.hash)),
      crossings: (await c.query<{ id: string }>('SELECT id::text FROM wd.crossings WHERE id = ANY($1::uuid[])', [after])).rows.length,
    }));
    expect(local.filter((r) => !central.hashes.has(r.hash)).map((r) => r.seq)).toEqual([]);
    expect(central.crossings).toBe(2);

    // Verification follows the desk's current chain and names the earlier branch left by the restore.
    const chain = (await verifyDeskChains(centre.admin, 3)).find((r) => r.deskId === d.reg.deskId)!;
    expect(chain).toMatchObject({ ok: true, headSeq: local.at(-1)!.seq, firstBrokenSeq: null });
    expect(chain.forks).toEqual([{ afterSeq: backup.auditHeadSeq, abandonedRows: oldHead.s - backup.auditHeadSeq }]);
    expect(chain.message).toMatch(/restore/);
  });
});
