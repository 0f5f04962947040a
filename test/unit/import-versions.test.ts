/**
 * Watchlist import (issue 4): versions with stable ids and diffs, SHA-256 recognition, rollback,
 * four-eyes approval, broken and malicious files, the worker's progress and cancel, and the
 * audited report export.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import type { Engine } from '../../electron/core/api/engine';
import { auditHead } from '../../electron/core/audit';
import { b64, entriesOf, imp, IMP } from './import-helpers';
import { setUpEngine, syntheticCsv } from './helpers';

/** The password signedIn gives every account it creates. */
const OTHER_PASSWORD = 'desk shift two 77';

/** A client signed in as a new account that the admin (`api`) creates through the API (a signed admin change). */
async function signedIn(engine: Engine, api: ApiClient, username: string, roles: ('officer' | 'supervisor')[]): Promise<ApiClient> {
  await api.call('users.create', { username, password: OTHER_PASSWORD, roles });
  const c = createClient((r) => engine.handle(r));
  await c.call('auth.signIn', { username, password: OTHER_PASSWORD });
  return c;
}

describe('import: versions, diff, approval, rollback', () => {
  it('keeps ids from the id column across a re-sorted file and reports added, removed and changed', async () => {
    const { api } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'V');
    const dry = await imp(api, 'versions-v2.csv', 'V', { dryRun: true });
    expect(dry.diff).toMatchObject({ againstVersion: 1, added: 1, removed: 1, changed: 1, unchanged: 2 });
    expect(dry.diff!.samples).toEqual({
      added: [{ entryId: 'W-5', name: 'ECHO TESTPERSON', sourceRow: 5 }],
      removed: [{ entryId: 'W-2', name: 'BRAVO TESTPERSON', sourceRow: 3 }],
      changed: [{ entryId: 'W-3', name: 'CHARLIE TESTPERSON', sourceRow: 3, fields: ['documents'] }],
    });
    const v2 = await imp(api, 'versions-v2.csv', 'V');
    expect(v2).toMatchObject({ published: true, versionNumber: 2 });
    expect((await entriesOf(api, 'V')).map((e) => e.entryId)).toEqual(['W-4', 'W-3', 'W-1', 'W-5']);
  });

  it('without an id column, matches entries by content so a re-sorted file diffs right', async () => {
    const { api } = await setUpEngine();
    await imp(api, 'noid-v1.csv', 'N');
    const before = new Map((await entriesOf(api, 'N')).map((e) => [e.names[0]!.name, e.entryId]));
    const r = await imp(api, 'noid-v2.csv', 'N');
    expect(r.diff).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 2 });
    const after = new Map((await entriesOf(api, 'N')).map((e) => [e.names[0]!.name, e.entryId]));
    for (const n of ['ALPHA TESTPERSON', 'CHARLIE TESTPERSON', 'DELTA TESTPERSON']) expect(after.get(n)).toBe(before.get(n));
  });

  it('recognises the same file by its SHA-256 and does not publish it again', async () => {
    const { api } = await setUpEngine();
    const first = await imp(api, 'versions-v1.csv', 'S');
    const again = await imp(api, 'versions-v1.csv', 'S');
    expect(again.sha256).toBe(first.sha256);
    expect(again).toMatchObject({ published: false, notPublished: 'same-as-active', sameFileAs: { versionNumber: 1, active: true, state: 'published' } });
    expect((await api.call('watchlists.list'))[0]!.activeVersion!.number).toBe(1);
  });

  it('rolls back to an earlier version (audited; screening uses it at once)', async () => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'R');
    await imp(api, 'versions-v2.csv', 'R');
    const list = (await api.call('watchlists.list'))[0]!;
    const screen = async () => (await api.call('screening.screen', { traveler: { fullName: 'BRAVO TESTPERSON', dateOfBirth: '1981-02-02' } })).hits.map((h) => h.entryId);
    expect(await screen()).not.toContain('W-2');
    const versions = await api.call('watchlists.versions', { listId: list.id });
    expect(versions.map((v) => [v.number, v.state, v.active])).toEqual([[2, 'published', true], [1, 'superseded', false]]);
    const after = await api.call('watchlists.rollback', { listId: list.id, versionId: versions[1]!.id });
    expect(after.activeVersion!.number).toBe(1);
    expect(await screen()).toContain('W-2');
    expect((await api.call('watchlists.versions', { listId: list.id })).map((v) => [v.number, v.state, v.active])).toEqual([[2, 'superseded', false], [1, 'published', true]]);
    const row = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'list.rollback'").get() as { details: string };
    expect(JSON.parse(row.details)).toEqual({ listId: list.id, from: 2, to: 1, approvedBy: null });
    await expect(api.call('watchlists.rollback', { listId: list.id, versionId: versions[1]!.id })).rejects.toThrow('already the active version');
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('with four eyes on, a version waits until a different supervisor approves it', async () => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'F');
    const list = (await api.call('watchlists.list'))[0]!;
    expect((await api.call('watchlists.setApproval', { listId: list.id, requireApproval: true })).requireApproval).toBe(true);
    const r = await imp(api, 'versions-v2.csv', 'F');
    expect(r).toMatchObject({ published: false, pendingApproval: true, versionNumber: 2 });
    expect((await api.call('watchlists.list'))[0]).toMatchObject({ pendingVersion: 2, activeVersion: { number: 1 } });
    expect((await entriesOf(api, 'F')).map((e) => e.entryId)).toEqual(['W-1', 'W-2', 'W-3', 'W-4']);
    const err = await api.call('watchlists.approve', { versionId: r.versionId! }).catch((e: ApiCallError) => e);
    expect(err).toMatchObject({ code: 'conflict', message: 'a different supervisor must approve a version you imported (four eyes)' });
    const api2 = await signedIn(engine, api, 'second', ['supervisor']);
    expect((await api2.call('watchlists.approve', { versionId: r.versionId! })).activeVersion!.number).toBe(2);
    const v = (await api.call('watchlists.versions', { listId: list.id }))[0]!;
    expect(v).toMatchObject({ number: 2, state: 'published', active: true, createdBy: 'admin', approvedBy: 'second' });
    // A third version rejected: the active one stays.
    const r3 = await imp(api, 'versions-v1.csv', 'F');
    expect(r3.pendingApproval).toBe(true);
    await api2.call('watchlists.reject', { versionId: r3.versionId! });
    expect((await api.call('watchlists.list'))[0]).toMatchObject({ pendingVersion: null, activeVersion: { number: 2 } });
  });

  it('with four eyes on, a rollback needs a second supervisor too (refused alone, with the own account or a wrong password); audited with both', async () => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'G');
    await imp(api, 'versions-v2.csv', 'G');
    const list = (await api.call('watchlists.list'))[0]!;
    await api.call('watchlists.setApproval', { listId: list.id, requireApproval: true });
    const [v2, v1] = await api.call('watchlists.versions', { listId: list.id });
    const api2 = await signedIn(engine, api, 'second', ['supervisor']);
    const rollback = (versionId: string, approval?: { username: string; password: string }) => api.call('watchlists.rollback', { listId: list.id, versionId, approval });
    const refused = (p: Promise<unknown>) => p.then(() => null, (e: ApiCallError) => e);
    const count = (action: string) => (engine.requireDb().prepare('SELECT count(*) AS n FROM audit WHERE action = ?').get(action) as { n: number }).n;

    expect(await refused(rollback(v1!.id))).toMatchObject({ code: 'conflict', reason: 'list.rollbackNeedsApproval' });
    expect((await refused(rollback(v1!.id, { username: 'admin', password: 'desk password 1' })))?.reason).toBe('approval.sameAsRequester');
    expect((await refused(rollback(v1!.id, { username: 'second', password: 'a wrong password' })))?.reason).toBe('approval.wrongCredentials');
    // A rollback that cannot be done is refused before anybody's password is checked.
    expect((await refused(rollback(v2!.id, { username: 'second', password: 'a wrong password' })))?.reason).toBe('list.alreadyActive');
    expect(count('approval.fail')).toBe(1);
    expect((await api.call('watchlists.list'))[0]!.activeVersion!.number).toBe(2);
    expect(count('list.rollback')).toBe(0);

    expect((await rollback(v1!.id, { username: 'second', password: OTHER_PASSWORD })).activeVersion!.number).toBe(1);
    const ids = Object.fromEntries((await api.call('users.list')).map((u) => [u.username, u.id]));
    const row = engine.requireDb().prepare("SELECT actor_id, details FROM audit WHERE action = 'list.rollback'").get() as { actor_id: string; details: string };
    expect({ actor: row.actor_id, details: JSON.parse(row.details) as unknown }).toEqual({ actor: ids.admin, details: { listId: list.id, from: 2, to: 1, approvedBy: ids.second } });
    // The second supervisor asking for their own rollback needs the first as approver, the same way.
    expect((await refused(api2.call('watchlists.rollback', { listId: list.id, versionId: v2!.id })))?.reason).toBe('list.rollbackNeedsApproval');
    expect((await api2.call('watchlists.rollback', { listId: list.id, versionId: v2!.id, approval: { username: 'admin', password: 'desk password 1' } })).activeVersion!.number).toBe(2);
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('one supervisor alone cannot undo four eyes: approval cannot be turned off, an import waits, and neither approve nor rollback publishes it', async () => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'H');
    const list = (await api.call('watchlists.list'))[0]!;
    await api.call('watchlists.setApproval', { listId: list.id, requireApproval: true });
    const refused = (p: Promise<unknown>) => p.then(() => null, (e: ApiCallError) => e);
    expect((await refused(api.call('watchlists.setApproval', { listId: list.id, requireApproval: false })))?.reason).toBe('list.turnOffNeedsApproval');
    const r = await imp(api, 'versions-v2.csv', 'H');
    expect(r).toMatchObject({ published: false, pendingApproval: true });
    expect((await refused(api.call('watchlists.approve', { versionId: r.versionId! })))?.reason).toBe('list.fourEyes');
    // Rolling "back" to the pending version is refused too (it was never published).
    expect((await refused(api.call('watchlists.rollback', { listId: list.id, versionId: r.versionId! })))?.reason).toBe('list.neverPublished');
    expect((await api.call('watchlists.list'))[0]).toMatchObject({ requireApproval: true, activeVersion: { number: 1 }, pendingVersion: 2 });
    expect((await entriesOf(api, 'H')).map((e) => e.entryId)).toEqual(['W-1', 'W-2', 'W-3', 'W-4']);
    expect((await api.call('audit.verify')).ok).toBe(true);
    engine.close();
  });
});

describe('import: broken and malicious files change nothing', () => {
  const cases: [string, RegExp][] = [
    ['bad-truncated.xlsx', /^the file is not a complete xlsx \(zip\) file: it may be truncated$/],
    ['bad-zipbomb.xlsx', /^the xlsx file would expand to more than 1024 MB: refused$/],
    ['bad-garbage.xlsx', /^the file is not an Excel workbook: is the extension right\?$/],
    ['bad-garbage.csv', /^the file is binary, not text: is the extension right\?$/],
    ['bad-wrong-ext.csv', /^the file is an Excel workbook, not CSV: is the extension right\?$/],
    ['bad-wide.csv', /^row 1 has 16384 columns; at most 1000 are supported$/],
  ];
  it.each(cases)('%s gives a clear error', async (file, message) => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'Safe');
    const head = auditHead(engine.requireDb());
    const err = await imp(api, file, 'Safe').catch((e: ApiCallError) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).code).toBe('bad_input');
    expect((err as ApiCallError).message).toMatch(message);
    expect(auditHead(engine.requireDb())).toEqual(head);
    expect((await api.call('watchlists.list')).map((l) => [l.name, l.activeVersion?.number])).toEqual([['Safe', 1]]);
    expect((engine.requireDb().prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(4);
  });

  it('formulas are never evaluated: a formula without a computed value leaves its cell empty, warned of (issue 13: the entry is kept)', async () => {
    // openpyxl writes formulas without computed values: the names of rows 2 and 3 are empty, so
    // those rows have no name; row 4's remark is left empty and the person imported.
    const { api } = await setUpEngine();
    const r = await imp(api, 'bad-formulas.xlsx', 'Formulas');
    expect(r).toMatchObject({ imported: 1, rejected: 2, published: true });
    expect(r.problems.map((p) => [p.row, p.column, p.reason])).toEqual([
      [2, 'A (Name)', 'row.formulaNoValue'], [2, null, 'row.noName'],
      [3, 'A (Name)', 'row.formulaNoValue'], [3, null, 'row.noName'],
      [4, 'C (Remarks)', 'row.formulaNoValue'],
    ]);
    expect((await entriesOf(api, 'Formulas')).map((e) => [e.names[0]!.name, e.remarks])).toEqual([['FORMULA TESTPERSON', null]]);
  });

  it('__proto__ and other prototype keys in headers are plain unmapped columns', async () => {
    const { api } = await setUpEngine();
    const r = await imp(api, 'bad-proto.csv', 'Proto');
    expect(r.columnMapping).toEqual({ fullName: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect((await entriesOf(api, 'Proto')).map((e) => e.names[0]!.name)).toEqual(['PROTO TESTPERSON']);
  });

  it('a 32,767-character name is rejected with its row; a 32,767-character remark is kept', async () => {
    const { api } = await setUpEngine();
    const r = await imp(api, 'bad-longcell.xlsx', 'Long');
    expect(r.problems).toEqual([{ severity: 'error', sheet: 'Sheet', row: 2, column: 'A (Name)', reason: 'row.nameTooLong', params: { length: 32767, max: 1000 }, message: 'the name is 32767 characters long (at most 1000): rejected' }]);
    const e = await entriesOf(api, 'Long');
    expect(e.map((x) => [x.names[0]!.name, x.remarks!.length])).toEqual([['LONGCELL TESTPERSON', 32767]]);
  });
});

describe('import: worker, progress, cancel, report export', () => {
  it('reports progress and can be cancelled; nothing is left behind', async () => {
    const { api, engine } = await setUpEngine();
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', kind: 'wanted', fileName: 'big.csv', contentBase64: syntheticCsv(300_000) });
    let s = await api.call('watchlists.importStatus', { jobId });
    for (let i = 0; i < 400 && s.fraction === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      s = await api.call('watchlists.importStatus', { jobId });
    }
    expect(s.state).toBe('running');
    expect(s.fraction).toBeGreaterThan(0);
    expect(s.fraction).toBeLessThan(1);
    await api.call('watchlists.importCancel', { jobId });
    for (let i = 0; i < 200 && s.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      s = await api.call('watchlists.importStatus', { jobId });
    }
    expect(s).toMatchObject({ state: 'cancelled', error: { message: 'the import was cancelled; nothing was changed' } });
    const db = engine.requireDb();
    expect((db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM list_versions').get() as { n: number }).n).toBe(0);
    expect(await api.call('watchlists.list')).toEqual([]);
  }, 60_000);

  it('runs a dry run to the end in the worker and exports the report as xlsx (audited)', async () => {
    const { api, engine } = await setUpEngine();
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Police', kind: 'wanted', fileName: 'messy-th.xlsx', contentBase64: b64(join(IMP, 'messy-th.xlsx')), dryRun: true });
    let s = await api.call('watchlists.importStatus', { jobId });
    while (s.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      s = await api.call('watchlists.importStatus', { jobId });
    }
    expect(s).toMatchObject({ state: 'done', fraction: 1, report: { dryRun: true, notPublished: 'dry-run', imported: 7 } });
    expect(s.report!.preview[0]!.names[0]!.name).toBe('SOMCHAI JAIDEETHOTSOB');
    expect(await api.call('watchlists.list')).toEqual([]);
    const x = await api.call('watchlists.exportReport', { jobId });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Summary', 'Problems', 'Entries', 'Audit anchor']);
    const problems = XLSX.utils.sheet_to_json<string[]>(wb.Sheets.Problems!, { header: 1 });
    expect(problems[0]).toEqual(['Severity', 'Sheet', 'Row', 'Column', 'Reason']);
    expect(problems[3]).toEqual(['error', 'หมายจับ', 11, '', 'the row has no name: rejected']);
    const entries = XLSX.utils.sheet_to_json<string[]>(wb.Sheets.Entries!, { header: 1 });
    expect(entries[1]!.slice(1, 5)).toEqual([5, 'SOMCHAI JAIDEETHOTSOB', 'นายสมชาย ใจดีทดสอบ; ชายใหญ่; Big Chai', '1987-03-14']);
    const audit = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'export.importReport'").get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ sha256: x.sha256, problems: 6 });
  });

  const bundled = join(import.meta.dirname, '../../out/main/parse-worker.js');
  it.skipIf(!existsSync(bundled))('the Electron bundle carries the worker (out/main/parse-worker.js) and it parses on plain Node', async () => {
    const w = new Worker(bundled);
    const credit = new Int32Array(new SharedArrayBuffer(4));
    const got: { type: string; entries?: { firstName: string; dateOfBirth: string }[]; summary?: { rowsRead: number } }[] = [];
    await new Promise<void>((resolve, reject) => {
      w.on('message', (m: (typeof got)[number]) => {
        got.push(m);
        if (m.type === 'entries') Atomics.sub(credit, 0, 1);
        if (m.type === 'done' || m.type === 'error') resolve();
      });
      w.on('error', reject);
      w.postMessage({ req: { files: [{ fileName: 'win874.csv', content: new Uint8Array(readFileSync(join(IMP, 'win874.csv'))) }] }, credit: credit.buffer });
    });
    await w.terminate();
    expect(got.filter((m) => m.type === 'entries').flatMap((m) => m.entries!.map((e) => [e.firstName, e.dateOfBirth]))).toEqual([
      ['นายประหยัด ทดสอบภาษา', '1987-03-14'], ['นางสาวกนกพร ตัวอักษร', '1956-12-02'],
    ]);
    expect(got.at(-1)).toMatchObject({ type: 'done', summary: { rowsRead: 2 } });
  });

  it('only supervisors import; officers cannot roll back', async () => {
    const { api, engine } = await setUpEngine();
    await imp(api, 'versions-v1.csv', 'P');
    const off = await signedIn(engine, api, 'officer1', ['officer']);
    const l = (await off.call('watchlists.list'))[0]!;
    await expect(off.call('watchlists.rollback', { listId: l.id, versionId: l.activeVersion!.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(imp(off, 'versions-v2.csv', 'P')).rejects.toMatchObject({ code: 'forbidden' });
  });
});
