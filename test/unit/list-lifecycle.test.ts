/**
 * A list's life after its first import (issue 13, watchlists/lifecycle.ts): renamed, its kind
 * corrected, retired and reactivated, each audited with four eyes where the list has it; a retired
 * list stops answering at once (no restart, no wait for the index), stays readable, and takes no
 * new version until reactivated; lists of the centre are refused with a clear reason.
 * Made-up names only.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import type { ListView } from '../../shared/contract';
import { DEFAULT_ACTIONS } from '../../shared/domain';
import type { Engine } from '../../electron/core/api/engine';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const OTHER_PASSWORD = 'desk shift two 77';
const CSV = (rows: string) => Buffer.from(`id,name,date of birth\n${rows}`).toString('base64');
const WARRANTS_V1 = CSV('W-1,ALPHA TESTPERSON,1970-01-01\nW-2,BRAVO TESTPERSON,1971-02-02\n');
const WARRANTS_V2 = CSV('W-1,ALPHA TESTPERSON,1970-01-01\nW-2,BRAVO TESTPERSON,1971-02-02\nW-3,CHARLIE TESTPERSON,1972-03-03\n');
const OTHER = CSV('O-1,ALPHA TESTPERSON,1970-01-01\n');

/** The refusal's code and reason, or null when the call passed. */
const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof ApiCallError ? { code: e.code, reason: e.reason } : { code: 'thrown', reason: String(e) }));

describe('list lifecycle', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.shutdown();
    engine = null;
  });

  /** A desk with lists "Warrants" (two entries) and "Other" (one, sharing a name with Warrants), the index built. */
  async function desk(): Promise<{ api: ApiClient; raw: ApiClient; warrants: ListView; other: ListView }> {
    const s = await setUpEngine();
    engine = s.engine;
    const { api } = s;
    await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w.csv', contentBase64: WARRANTS_V1 });
    await api.call('watchlists.import', { listName: 'Other', kind: 'monitor', fileName: 'o.csv', contentBase64: OTHER });
    await s.engine.indexSettled();
    // Screening calls that do not wait for an index build (settledClient does): "at once" means this.
    const raw = createClient((r) => s.engine.handle(r));
    await raw.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const lists = await api.call('watchlists.list');
    return { api, raw, warrants: lists.find((l) => l.name === 'Warrants')!, other: lists.find((l) => l.name === 'Other')! };
  }

  async function secondSupervisor(api: ApiClient): Promise<ApiClient> {
    await api.call('users.create', { username: 'second', password: OTHER_PASSWORD, roles: ['supervisor'] });
    const c = createClient((r) => engine!.handle(r));
    await c.call('auth.signIn', { username: 'second', password: OTHER_PASSWORD });
    return c;
  }

  const audit = (action: string) =>
    (engine!.requireDb().prepare('SELECT actor_id, subject, details FROM audit WHERE action = ? ORDER BY seq').all(action) as { actor_id: string; subject: string; details: string }[])
      .map((r) => ({ actor: r.actor_id, subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown> }));
  const adminId = () => (engine!.requireDb().prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id;

  it('renames a list: audited with the old and new name, unique case-insensitively, shown at once in screening and past hits, saved mappings follow', async () => {
    const { api, raw, warrants } = await desk();
    const before = await raw.call('screening.screen', { traveler: { fullName: 'BRAVO TESTPERSON', dateOfBirth: '1971-02-02' } });
    const pastHit = before.hits.find((h) => h.listId === warrants.id)!;
    expect(pastHit.list).toBe('Warrants');

    expect(await refused(api.call('watchlists.rename', { listId: warrants.id, name: 'other' }))).toEqual({ code: 'conflict', reason: 'list.nameTaken' });
    expect(await refused(api.call('watchlists.rename', { listId: warrants.id, name: ' Warrants ' }))).toEqual({ code: 'conflict', reason: 'list.sameName' });
    expect((await refused(api.call('watchlists.rename', { listId: warrants.id, name: '   ' })))?.code).toBe('invalid_request');
    expect(audit('list.rename')).toEqual([]);

    const mappingRows = () => engine!.requireDb().prepare('SELECT list_name FROM import_mappings ORDER BY list_name').all() as { list_name: string }[];
    expect(mappingRows().map((r) => r.list_name)).toContain('Warrants');
    const renamed = await api.call('watchlists.rename', { listId: warrants.id, name: 'Regional warrants' });
    expect(renamed).toMatchObject({ id: warrants.id, name: 'Regional warrants', activeVersion: { id: warrants.activeVersion!.id } });
    expect(audit('list.rename')).toEqual([{ actor: adminId(), subject: warrants.id, details: { listId: warrants.id, from: 'Warrants', to: 'Regional warrants', approvedBy: null } }]);
    expect(mappingRows().map((r) => r.list_name)).toEqual(['Other', 'Regional warrants']);
    // A change of case alone is a rename of the same list.
    expect((await api.call('watchlists.rename', { listId: warrants.id, name: 'REGIONAL WARRANTS' })).name).toBe('REGIONAL WARRANTS');

    // No restart, no index wait: the next screening names the list by its new name; the past hit does too.
    const after = await raw.call('screening.screen', { traveler: { fullName: 'BRAVO TESTPERSON', dateOfBirth: '1971-02-02' } });
    expect(after.hits.find((h) => h.listId === warrants.id)?.list).toBe('REGIONAL WARRANTS');
    expect((await raw.call('screening.decide', { hitId: pastHit.hitId!, decision: 'not-same-person', note: 'test' })).list).toBe('REGIONAL WARRANTS');
    // An import under the new name is the next version of the same list.
    const r = await api.call('watchlists.import', { listName: 'Regional warrants', kind: 'wanted', fileName: 'w2.csv', contentBase64: WARRANTS_V2 });
    expect(r).toMatchObject({ listId: warrants.id, versionNumber: 2 });
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('corrects a kind: audited with old and new, the default action follows the kind, screening shows it at once, an import naming the old kind is refused', async () => {
    const { api, raw, warrants } = await desk();
    expect(await refused(api.call('watchlists.setKind', { listId: warrants.id, kind: 'wanted' }))).toEqual({ code: 'conflict', reason: 'list.sameKind' });
    const l = await api.call('watchlists.setKind', { listId: warrants.id, kind: 'deny-entry' });
    expect(warrants.actionText).toBe(DEFAULT_ACTIONS.wanted);
    expect(l).toMatchObject({ kind: 'deny-entry', actionText: DEFAULT_ACTIONS['deny-entry'] });
    expect(audit('list.kind')).toEqual([{ actor: adminId(), subject: warrants.id, details: { listId: warrants.id, from: 'wanted', to: 'deny-entry', approvedBy: null } }]);
    const s = await raw.call('screening.screen', { traveler: { fullName: 'BRAVO TESTPERSON', dateOfBirth: '1971-02-02' } });
    expect(s.hits.find((h) => h.listId === warrants.id)?.listKind).toBe('deny-entry');
    expect(await refused(api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w2.csv', contentBase64: WARRANTS_V2 })))
      .toEqual({ code: 'bad_input', reason: 'list.kindMismatch' });
    expect((await api.call('watchlists.import', { listName: 'Warrants', kind: 'deny-entry', fileName: 'w2.csv', contentBase64: WARRANTS_V2 })).versionNumber).toBe(2);
  });

  it('retires a list: no longer screened at the very next query (no restart, index not yet rebuilt), readable, audited; the rebuilt index leaves its entries out', async () => {
    const { api, raw, warrants, other } = await desk();
    const traveler = { fullName: 'ALPHA TESTPERSON', dateOfBirth: '1970-01-01' };
    const before = await raw.call('screening.screen', { traveler });
    expect(new Set(before.hits.map((h) => h.listId))).toEqual(new Set([warrants.id, other.id]));
    const pastHit = before.hits.find((h) => h.listId === warrants.id)!;
    const entriesBefore = engine!.indexStatus().entries;
    expect(entriesBefore).toBe(3);

    const retired = await api.call('watchlists.retire', { listId: warrants.id });
    // The index answering still holds the list's entries (its rebuild has only started): the screener leaves them out anyway.
    const at = await raw.call('screening.screen', { traveler });
    expect(at.hits.map((h) => h.listId)).toEqual([other.id]);
    expect(at.lists.map((l) => l.listId)).toEqual([other.id]);
    // It was the old index that answered (a worker's rebuild takes far longer than one query).
    expect(engine!.indexStatus()).toMatchObject({ entries: 3, progress: expect.any(Number) });

    expect(retired).toMatchObject({ id: warrants.id, name: 'Warrants', activeVersion: null, stale: false, retiredVersion: { id: warrants.activeVersion!.id, number: 1, entryCount: 2 } });
    expect(retired.retiredAt).toEqual(expect.any(String));
    expect(audit('list.retire')).toEqual([{ actor: adminId(), subject: warrants.id, details: { listId: warrants.id, versionId: warrants.activeVersion!.id, number: 1, approvedBy: null } }]);
    // Readable for audit: entries, versions, the past hit with its list's name.
    expect((await api.call('watchlists.entries', { listId: warrants.id })).entries.map((e) => e.entryId)).toEqual(['W-1', 'W-2']);
    expect((await api.call('watchlists.versions', { listId: warrants.id })).map((v) => v.number)).toEqual([1]);
    expect((await raw.call('screening.decide', { hitId: pastHit.hitId!, decision: 'not-same-person', note: 'test' })).list).toBe('Warrants');

    await engine!.indexSettled();
    expect(engine!.indexStatus().entries).toBe(1);
    expect((await raw.call('screening.screen', { traveler })).hits.map((h) => h.listId)).toEqual([other.id]);
    expect(await refused(api.call('watchlists.retire', { listId: warrants.id }))).toEqual({ code: 'conflict', reason: 'list.alreadyRetired' });
    expect((await api.call('audit.verify')).ok).toBe(true);

    // Reactivated: the index built while it was retired does not hold its entries, so until the
    // rebuild holds them screening says the index is building; never an answer without its hits.
    await api.call('watchlists.reactivate', { listId: warrants.id });
    const right = await raw.call('screening.screen', { traveler }).then(
      (r) => r.hits.map((h) => h.listId).sort(),
      (e: unknown) => (e instanceof ApiCallError ? e.reason : String(e)),
    );
    expect([[other.id, warrants.id].sort(), 'index.building']).toContainEqual(right);
    await engine!.indexSettled();
    expect(new Set((await raw.call('screening.screen', { traveler })).hits.map((h) => h.listId))).toEqual(new Set([warrants.id, other.id]));
  });

  it('a retired list takes no new version (import, approval, rollback refused; a dry run allowed) until reactivated; reactivation screens it again', async () => {
    const { api, raw, warrants } = await desk();
    await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w2.csv', contentBase64: WARRANTS_V2 });
    const [, v1] = await api.call('watchlists.versions', { listId: warrants.id });
    await api.call('watchlists.retire', { listId: warrants.id });
    const head = audit('list.import').length;

    const v3 = CSV('W-1,ALPHA TESTPERSON,1970-01-01\n');
    expect(await refused(api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w3.csv', contentBase64: v3 }))).toEqual({ code: 'conflict', reason: 'list.retired' });
    expect((await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w3.csv', contentBase64: v3, dryRun: true })).published).toBe(false);
    expect(await refused(api.call('watchlists.rollback', { listId: warrants.id, versionId: v1!.id }))).toEqual({ code: 'conflict', reason: 'list.retired' });
    expect(audit('list.import')).toHaveLength(head);
    expect((await api.call('watchlists.versions', { listId: warrants.id })).map((v) => [v.number, v.state])).toEqual([[2, 'published'], [1, 'superseded']]);

    const back = await api.call('watchlists.reactivate', { listId: warrants.id });
    expect(back).toMatchObject({ retiredAt: null, retiredVersion: null, activeVersion: { number: 2, entryCount: 3 } });
    expect(audit('list.reactivate')).toEqual([{ actor: adminId(), subject: warrants.id, details: { listId: warrants.id, versionId: back.activeVersion!.id, number: 2, approvedBy: null } }]);
    expect(await refused(api.call('watchlists.reactivate', { listId: warrants.id }))).toEqual({ code: 'conflict', reason: 'list.notRetired' });
    // Never a silent miss: the version answers once the rebuilt index holds it (until then: "index building").
    await engine!.indexSettled();
    const s = await raw.call('screening.screen', { traveler: { fullName: 'CHARLIE TESTPERSON', dateOfBirth: '1972-03-03' } });
    expect(s.hits.map((h) => [h.listId, h.entry.entryId])).toEqual([[warrants.id, 'W-3']]);
    expect((await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w3.csv', contentBase64: v3 })).versionNumber).toBe(3);
  });

  it('with four eyes on, each change needs a second supervisor (refused alone, with the own account, before any password for an impossible change); audited with both; a pending version of a retired list cannot be approved', async () => {
    const { api, warrants } = await desk();
    await api.call('watchlists.setApproval', { listId: warrants.id, requireApproval: true });
    const second = await secondSupervisor(api);
    const ok = { username: 'second', password: OTHER_PASSWORD };
    const need = { code: 'conflict', reason: 'list.changeNeedsApproval' };
    expect(await refused(api.call('watchlists.rename', { listId: warrants.id, name: 'Renamed' }))).toEqual(need);
    expect(await refused(api.call('watchlists.setKind', { listId: warrants.id, kind: 'monitor' }))).toEqual(need);
    expect(await refused(api.call('watchlists.retire', { listId: warrants.id }))).toEqual(need);
    expect((await refused(api.call('watchlists.retire', { listId: warrants.id, approval: { username: 'admin', password: PASSWORD } })))?.reason).toBe('approval.sameAsRequester');
    expect((await refused(api.call('watchlists.retire', { listId: warrants.id, approval: { username: 'second', password: 'a wrong password' } })))?.reason).toBe('approval.wrongCredentials');
    // An impossible change is refused before anybody's password is checked.
    const fails = audit('approval.fail').length;
    expect((await refused(api.call('watchlists.reactivate', { listId: warrants.id, approval: { username: 'second', password: 'a wrong password' } })))?.reason).toBe('list.notRetired');
    expect(audit('approval.fail')).toHaveLength(fails);
    expect((await api.call('watchlists.list')).find((l) => l.id === warrants.id)).toMatchObject({ name: 'Warrants', kind: 'wanted', retiredAt: null });

    // A version waiting for approval, then the list retired: approving it would publish into a retired list.
    const pending = await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w2.csv', contentBase64: WARRANTS_V2 });
    expect(pending.pendingApproval).toBe(true);
    const secondId = (await api.call('users.list')).find((u) => u.username === 'second')!.id;
    await api.call('watchlists.rename', { listId: warrants.id, name: 'Renamed', approval: ok });
    await api.call('watchlists.setKind', { listId: warrants.id, kind: 'monitor', approval: ok });
    await api.call('watchlists.retire', { listId: warrants.id, approval: ok });
    expect(await refused(second.call('watchlists.approve', { versionId: pending.versionId! }))).toEqual({ code: 'conflict', reason: 'list.retired' });
    expect((await api.call('watchlists.versions', { listId: warrants.id })).find((v) => v.number === 2)?.state).toBe('pending');
    // The second supervisor asking needs the first as approver, the same way.
    expect(await refused(second.call('watchlists.reactivate', { listId: warrants.id }))).toEqual(need);
    await second.call('watchlists.reactivate', { listId: warrants.id, approval: { username: 'admin', password: PASSWORD } });
    expect(audit('list.rename')[0]!.details).toMatchObject({ from: 'Warrants', to: 'Renamed', approvedBy: secondId });
    expect(audit('list.kind')[0]!.details).toMatchObject({ from: 'wanted', to: 'monitor', approvedBy: secondId });
    expect(audit('list.retire')[0]).toMatchObject({ actor: adminId(), details: { approvedBy: secondId } });
    expect(audit('list.reactivate')[0]).toMatchObject({ actor: secondId, details: { approvedBy: adminId() } });
    // Reactivated, the pending version can be approved again.
    expect((await second.call('watchlists.approve', { versionId: pending.versionId! })).activeVersion?.number).toBe(2);
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('refuses lifecycle changes of a list the centre publishes with a clear reason; a publishing desk renames and re-kinds it but retires it only at the centre', async () => {
    const { api, warrants } = await desk();
    engine!.requireDb().prepare("UPDATE watchlists SET origin = 'central', central_seq = 1 WHERE id = ?").run(warrants.id);
    expect(await refused(api.call('watchlists.rename', { listId: warrants.id, name: 'Renamed' }))).toEqual({ code: 'conflict', reason: 'central.listManagedCentrally' });
    expect(await refused(api.call('watchlists.setKind', { listId: warrants.id, kind: 'monitor' }))).toEqual({ code: 'conflict', reason: 'central.listManagedCentrally' });
    expect(await refused(api.call('watchlists.retire', { listId: warrants.id }))).toEqual({ code: 'conflict', reason: 'list.retireAtCentre' });
    // Retired by the centre: brought back only by the centre's next publication.
    engine!.requireDb().prepare("UPDATE watchlists SET retired_at = '2026-01-01T00:00:00.000Z' WHERE id = ?").run(warrants.id);
    expect(await refused(api.call('watchlists.reactivate', { listId: warrants.id }))).toEqual({ code: 'conflict', reason: 'list.retireAtCentre' });
    engine!.requireDb().prepare('UPDATE watchlists SET retired_at = NULL WHERE id = ?').run(warrants.id);
    expect([...audit('list.rename'), ...audit('list.kind'), ...audit('list.retire'), ...audit('list.reactivate')]).toEqual([]);

    engine!.requireDb().prepare("INSERT INTO settings (key, value) VALUES ('central.publisher', '1')").run();
    expect((await api.call('watchlists.rename', { listId: warrants.id, name: 'Renamed' })).name).toBe('Renamed');
    expect((await api.call('watchlists.setKind', { listId: warrants.id, kind: 'monitor' })).kind).toBe('monitor');
    expect(await refused(api.call('watchlists.retire', { listId: warrants.id }))).toEqual({ code: 'conflict', reason: 'list.retireAtCentre' });
  });

  it('is for supervisors only, and a list that does not exist is refused', async () => {
    const { api, warrants } = await desk();
    await api.call('users.create', { username: 'officer1', password: OTHER_PASSWORD, roles: ['officer', 'auditor'] });
    const officer = createClient((r) => engine!.handle(r));
    await officer.call('auth.signIn', { username: 'officer1', password: OTHER_PASSWORD });
    for (const [method, payload] of [
      ['watchlists.rename', { listId: warrants.id, name: 'X' }], ['watchlists.setKind', { listId: warrants.id, kind: 'monitor' }],
      ['watchlists.retire', { listId: warrants.id }], ['watchlists.reactivate', { listId: warrants.id }],
    ] as const) {
      expect((await refused(officer.call(method, payload as never)))?.code, method).toBe('forbidden');
    }
    expect(await refused(api.call('watchlists.retire', { listId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b' }))).toEqual({ code: 'bad_input', reason: 'list.notFound' });
    expect((await api.call('watchlists.list')).find((l) => l.id === warrants.id)).toMatchObject({ name: 'Warrants', retiredAt: null });
  });
});

describe('watchdesk rename-list, list-kind, retire-list, reactivate-list', () => {
  const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
  const run = (args: string[], env: Record<string, string | undefined> = {}) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined, ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('changes a list from the command line, says why it refuses, and the retired list is shown as such', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const file = join(dir, 'warrants.csv');
    writeFileSync(file, 'id,name,date of birth\nW-1,ALPHA TESTPERSON,1970-01-01\nW-2,BRAVO TESTPERSON,1971-02-02\n');
    expect(run(['--db', db, 'init', '--checkpoint', 'Chong Mek', '--timezone', 'Asia/Bangkok']).code).toBe(0);
    expect(run(['--db', db, 'import', file, '--list', 'Warrants', '--kind', 'wanted']).code).toBe(0);

    expect(run(['--db', db, 'rename-list', '--list', 'warrants', '--to', 'Regional warrants']).out).toBe('Regional warrants (wanted): screened with version 1 (2 entries)\n');
    const badKind = run(['--db', db, 'list-kind', '--list', 'Regional warrants', '--to', 'wantd']);
    expect(badKind).toMatchObject({ code: 1, err: 'watchdesk: --to takes one of wanted, at-risk, deny-entry, monitor\n' });
    expect(JSON.parse(run(['--db', db, '--format', 'json', 'list-kind', '--list', 'Regional warrants', '--to', 'at-risk']).out)).toMatchObject({ name: 'Regional warrants', kind: 'at-risk' });
    expect(run(['--db', db, 'retire-list', '--list', 'Regional warrants']).out).toMatch(/^Regional warrants \(at-risk\): retired \d{4}-\d\d-\d\d, version 1 kept for audit \(not screened\)\n$/);
    expect(run(['--db', db, 'lists']).out).toMatch(/^Regional warrants\tat-risk\tv-\t0 entries\t-\tretired \d{4}-\d\d-\d\d \(not screened\)\n$/);
    const imp = run(['--db', db, 'import', file, '--list', 'Regional warrants', '--kind', 'at-risk']);
    expect(imp.code).toBe(1);
    expect(imp.err).toMatch(/^watchdesk: this list is retired: it is not screened and takes no new version until a supervisor reactivates it/);
    const match = () => (JSON.parse(run(['--db', db, '--format', 'json', 'match', '--name', 'ALPHA TESTPERSON', '--dob', '1970-01-01']).out) as { hits: { list: string }[] }).hits.map((h) => h.list);
    expect(match()).toEqual([]);
    expect(run(['--db', db, 'reactivate-list', '--list', 'Regional warrants']).out).toBe('Regional warrants (at-risk): screened with version 1 (2 entries)\n');
    expect(match()).toEqual(['Regional warrants']);
    const again = run(['--db', db, 'reactivate-list', '--list', 'Regional warrants']);
    expect(again).toMatchObject({ code: 1, err: 'watchdesk: the list is not retired: there is nothing to reactivate\n' });
    expect(run(['--db', db, 'audit', 'verify']).code).toBe(0);
  }, 300_000);
});
