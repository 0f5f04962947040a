/**
 * A list the centre publishes changes only where it is published (store.ts assertManagedHere): on a
 * desk that is not a publishing desk, a local import, rollback, settings change or safeguard change
 * of a list of origin 'central' is refused with `central.listManagedCentrally` and changes nothing;
 * local lists, and the same list on a publishing desk, pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { Engine } from '../../electron/core/api/engine';
import { setUpEngine } from './helpers';

const CSV = (rows: string) => Buffer.from(`id,name,date of birth\n${rows}`).toString('base64');

async function refused(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof ApiCallError ? String(e.reason) : String(e);
  }
}

describe('lists published by the centre', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.shutdown();
    engine = null;
  });

  async function deskWithCentralList(): Promise<{ api: ApiClient; listId: string; v1: string; v2: string }> {
    const s = await setUpEngine();
    engine = s.engine;
    const { api } = s;
    await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'a.csv', contentBase64: CSV('W-1,ALPHA TESTPERSON,1970-01-01\n') });
    await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'b.csv', contentBase64: CSV('W-1,ALPHA TESTPERSON,1970-01-01\nW-2,BRAVO TESTPERSON,1971-01-01\n') });
    await api.call('watchlists.import', { listName: 'Local', kind: 'wanted', fileName: 'c.csv', contentBase64: CSV('L-1,CHARLIE TESTPERSON,1972-01-01\n') });
    const list = (await api.call('watchlists.list')).find((l) => l.name === 'Warrants')!;
    const versions = await api.call('watchlists.versions', { listId: list.id });
    // As pull.ts leaves a list it applied: origin 'central'.
    s.engine.requireDb().prepare("UPDATE watchlists SET origin = 'central', central_seq = 2 WHERE id = ?").run(list.id);
    return { api, listId: list.id, v1: versions.find((v) => v.number === 1)!.id, v2: versions.find((v) => v.number === 2)!.id };
  }

  it('refuses local imports, rollbacks, settings and safeguards on a desk that does not publish, and changes nothing', async () => {
    const { api, listId, v1, v2 } = await deskWithCentralList();
    const code = 'central.listManagedCentrally';
    expect(await refused(api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'd.csv', contentBase64: CSV('W-9,DELTA TESTPERSON,1973-01-01\n') }))).toBe(code);
    expect(await refused(api.call('watchlists.rollback', { listId, versionId: v1 }))).toBe(code);
    expect(await refused(api.call('watchlists.setSettings', { listId, actionText: 'Call the duty officer' }))).toBe(code);
    expect(await refused(api.call('watchlists.setApproval', { listId, requireApproval: true }))).toBe(code);
    const after = (await api.call('watchlists.list')).find((l) => l.id === listId)!;
    expect(after.activeVersion?.id).toBe(v2);
    expect((await api.call('watchlists.versions', { listId })).length).toBe(2);
    expect(after.requireApproval).toBe(false);
    // A list this desk imported itself is its own to change.
    const local = (await api.call('watchlists.list')).find((l) => l.name === 'Local')!;
    await api.call('watchlists.setSettings', { listId: local.id, actionText: 'Call the duty officer' });
    await api.call('watchlists.import', { listName: 'Local', kind: 'wanted', fileName: 'e.csv', contentBase64: CSV('L-1,CHARLIE TESTPERSON,1972-01-01\nL-2,ECHO TESTPERSON,1974-01-01\n') });
  });

  it('lets a publishing desk change its own published list', async () => {
    const { api, listId, v1 } = await deskWithCentralList();
    engine!.requireDb().prepare("INSERT INTO settings (key, value) VALUES ('central.publisher', '1')").run();
    await api.call('watchlists.rollback', { listId, versionId: v1 });
    await api.call('watchlists.setSettings', { listId, actionText: 'Hold for the police' });
    const l = (await api.call('watchlists.list')).find((x) => x.id === listId)!;
    expect(l.activeVersion?.id).toBe(v1);
    expect(l.actionText).toBe('Hold for the police');
  });
});
