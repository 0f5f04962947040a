/**
 * Issue 15, "the head is anchored where the insider cannot reach": every export (crossings xlsx and
 * csv, batch screening xlsx and csv, the import report) and every printed hit report carries the
 * audit anchor (row, hash, root key, time) as of the moment it was made; `audit.verify` (and
 * `watchdesk audit verify --anchor`) reads it back and checks the trail still holds it. An insider
 * who rolls the trail and its head file back to a kept copy, or rewrites their own rows and the
 * head file, passes the desk's own verify and is caught by the anchor.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import type { AuditAnchorView } from '../../shared/contract';
import { Engine } from '../../electron/core/api/engine';
import { ANCHOR_MARKER, ANCHOR_SHEET, anchorFromCsv, anchorFromRows } from '../../electron/core/anchor';
import { auditHead, readHeadFile, verifyAudit, writeHeadFile, type ExternalHead } from '../../electron/core/audit';
import { openDatabase, type DB } from '../../electron/core/db/database';
import { readKeyFile, unlockWithPassword } from '../../electron/core/db/keyslots';
import { readAnchor } from '../../electron/core/reader';
import { fingerprint, headMessage, publicKeyOf, rowMessage, signText, unwrapSigningKey } from '../../electron/core/signing';
import { fixture, importFixture, PASSPHRASE, PASSWORD, settledClient, setUpEngine } from './helpers';

const NOW = new Date('2026-12-06T15:30:00Z');
const OFFICER_PW = 'anchor officer password 1';
const SOMPONG = { surname: 'THOTSOBDEE', givenNames: 'SOMPONG', dateOfBirth: '1987-03-14', nationality: 'THA', sex: 'M' as const, documentNumber: 'AA0004711' };
const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function exportRow(engine: Engine, seq: number): { action: string; details: Record<string, unknown> } {
  const r = engine.requireDb().prepare('SELECT action, details FROM audit WHERE seq = ?').get(seq) as { action: string; details: string };
  return { action: r.action, details: JSON.parse(r.details) as Record<string, unknown> };
}

/** The anchor sheet of an xlsx as field -> value. */
function anchorSheet(buf: Buffer): Record<string, unknown> {
  const wb = XLSX.read(buf);
  expect(wb.SheetNames.at(-1)).toBe(ANCHOR_SHEET);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[ANCHOR_SHEET]!, { header: 1 });
  expect(rows[0]).toEqual([ANCHOR_MARKER, 'format 1']);
  return Object.fromEntries(rows.slice(1).map((r) => [r[0], r[1]]));
}

/** The csv split into its data part and its anchor block; checks the one empty line between them. */
function splitCsv(buf: Buffer): { data: string; block: string } {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  const at = text.lastIndexOf(`\r\n\r\n${ANCHOR_MARKER}`);
  expect(at).toBeGreaterThan(0);
  return { data: text.slice(0, at), block: text.slice(at + 4) };
}

function expectAnchor(a: AuditAnchorView, head: { seq: number; hash: string }, root: string | null): void {
  expect(a).toEqual({ seq: head.seq, hash: head.hash, root, at: NOW.toISOString() });
}

async function deskWithHit(): Promise<{ engine: Engine; api: ApiClient; dbPath: string; dir: string; root: string }> {
  const e = await setUpEngine({ now: () => NOW });
  await importFixture(e.api, 'warrants-th.csv', 'Police warrants');
  const s = await e.api.call('screening.screen', { traveler: SOMPONG });
  await e.api.call('screening.decide', { hitId: s.hits[0]!.hitId!, decision: 'confirmed', note: 'photo matches' });
  await e.api.call('crossings.record', { screeningId: s.screeningId, direction: 'exit', outcome: 'held' });
  const root = (await e.api.call('audit.keys')).root!;
  expect(root).toMatch(/^[0-9a-f]{32}$/);
  return { ...e, root };
}

describe('every export carries the audit anchor as of the moment it was made', () => {
  it('crossings xlsx and csv: the head of the snapshot the rows were read in, just before the export row; data rows as before', async () => {
    const { engine, api, root } = await deskWithHit();
    const before = auditHead(engine.requireDb());
    const x = await api.call('crossings.export', { format: 'xlsx', flaggedOnly: true });
    const xb = Buffer.from(x.contentBase64, 'base64');
    const wb = XLSX.read(xb);
    expect(wb.SheetNames).toEqual(['Flagged crossings', 'Hits', ANCHOR_SHEET]);
    expect(XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['Flagged crossings']!)).toEqual([
      expect.objectContaining({ Traveler: 'SOMPONG THOTSOBDEE', Outcome: 'Held', Flagged: 'yes' }),
    ]);
    expect(anchorSheet(xb)).toMatchObject({ 'Audit row': before.seq, 'Row hash (SHA-256)': before.hash, 'Root key': root, 'Made at (UTC)': NOW.toISOString() });
    // The export's own row comes right after the anchored head and records the file.
    expect(exportRow(engine, before.seq + 1)).toMatchObject({ action: 'export.crossings', details: { sha256: x.sha256 } });

    const head2 = auditHead(engine.requireDb());
    const c = await api.call('crossings.export', { format: 'csv' });
    const cb = Buffer.from(c.contentBase64, 'base64');
    const { data, block } = splitCsv(cb);
    // The data part: header and one line per hit (the crossing has one), nothing else.
    const lines = data.split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Crossing ID,Time,Time zone,/);
    expect(lines[1]).toContain('SOMPONG THOTSOBDEE');
    expect(block.split('\r\n').slice(0, 5)).toEqual([
      `${ANCHOR_MARKER},format 1`, `Audit row,${head2.seq}`, `Row hash (SHA-256),${head2.hash}`, `Root key,${root}`, `Made at (UTC),${NOW.toISOString()}`,
    ]);
    // Formula-safe: no anchor cell starts as a formula would.
    for (const line of block.split('\r\n')) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expectAnchor(anchorFromCsv(cb), head2, root);
    expect(exportRow(engine, head2.seq + 1)).toMatchObject({ action: 'export.crossings', details: { sha256: c.sha256 } });
    engine.close();
  }, 60_000);

  it('batch screening xlsx and csv, and the import report: the head just before the export row', async () => {
    const { engine, api, root } = await deskWithHit();
    const manifest = Buffer.from('id,name,date of birth\nF-1,NARONGRIT PHANTHAWONG,1987-03-14\nF-2,@Quxley Nobody,1970\n').toString('base64');
    const { jobId } = await api.call('screening.batchStart', { fileName: 'm.csv', contentBase64: manifest });
    for (let i = 0; i < 600 && (await api.call('screening.batchStatus', { jobId })).state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));

    const h1 = auditHead(engine.requireDb());
    const x = await api.call('screening.batchExport', { jobId, format: 'xlsx' });
    const xb = Buffer.from(x.contentBase64, 'base64');
    expect(XLSX.read(xb).SheetNames).toEqual(['Travelers', 'Hits', 'Problems', ANCHOR_SHEET]);
    expect(XLSX.utils.sheet_to_json(XLSX.read(xb).Sheets.Travelers!)).toHaveLength(2);
    expect(anchorSheet(xb)).toMatchObject({ 'Audit row': h1.seq, 'Row hash (SHA-256)': h1.hash, 'Root key': root });
    expect(exportRow(engine, h1.seq + 1)).toMatchObject({ action: 'export.batch', details: { sha256: x.sha256 } });

    const h2 = auditHead(engine.requireDb());
    const c = await api.call('screening.batchExport', { jobId, format: 'csv' });
    const cb = Buffer.from(c.contentBase64, 'base64');
    const { data } = splitCsv(cb);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(XLSX.read(data, { type: 'string' }).Sheets.Sheet1!);
    expect(rows.map((r) => r.ID)).toEqual(['F-1', 'F-2']);
    expect(rows[1]!.Traveler).toBe("'@Quxley Nobody");
    expectAnchor(anchorFromCsv(cb), h2, root);
    expect(exportRow(engine, h2.seq + 1)).toMatchObject({ action: 'export.batch', details: { sha256: c.sha256 } });

    const { jobId: importId } = await api.call('watchlists.importStart', {
      listName: 'Police warrants', dryRun: true, fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64'),
    });
    for (let i = 0; i < 600 && (await api.call('watchlists.importStatus', { jobId: importId })).state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    const h3 = auditHead(engine.requireDb());
    const rep = await api.call('watchlists.exportReport', { jobId: importId });
    const rb = Buffer.from(rep.contentBase64, 'base64');
    expect(XLSX.read(rb).SheetNames.at(-1)).toBe(ANCHOR_SHEET);
    expect(anchorSheet(rb)).toMatchObject({ 'Audit row': h3.seq, 'Row hash (SHA-256)': h3.hash, 'Root key': root });
    expect(exportRow(engine, h3.seq + 1)).toMatchObject({ action: 'export.importReport', details: { sha256: rep.sha256 } });
    engine.close();
  }, 90_000);
});

describe('the printed hit report carries the anchor', () => {
  it('as of its own report.print row: row, hash, root key and time', async () => {
    const { engine, api, root } = await deskWithHit();
    const hitId = (await api.call('audit.list', { action: 'hit.decide' })).entries[0]!.subject!;
    const r = await api.call('screening.report', { hitId });
    const printed = (await api.call('audit.list', { action: 'report.print' })).entries[0]!;
    expectAnchor(r.anchor, { seq: printed.seq, hash: printed.hash }, root);
    expect(auditHead(engine.requireDb()).seq).toBeGreaterThanOrEqual(printed.seq);
    engine.close();
  }, 60_000);
});

describe('audit.verify with an anchor', () => {
  it('passes for each kind of file as made; fails for a file changed after, and names what it cannot read', async () => {
    const { engine, api } = await deskWithHit();
    const x = await api.call('crossings.export', { format: 'xlsx' });
    const c = await api.call('crossings.export', { format: 'csv' });
    const b = await api.call('backup.create', { recoveryPassphrase: PASSPHRASE });
    for (const [fileName, f] of [['c.xlsx', x], ['c.csv', c], ['b.wdbak', b]] as const) {
      const v = await api.call('audit.verify', { anchor: { fileName, contentBase64: f.contentBase64 } });
      expect(v.ok, v.message).toBe(true);
      expect(v.anchor).toMatchObject({ ok: true, fileSha256: f.sha256, source: fileName.endsWith('wdbak') ? 'backup' : fileName.slice(2) });
      expect(exportRow(engine, v.anchor!.exportSeq!).details.sha256).toBe(f.sha256);
    }
    // A csv changed after it was made (an outcome changed): the anchor holds, but no row records that file.
    const text = Buffer.from(c.contentBase64, 'base64').toString('utf8');
    const edited = Buffer.from(text.replace(',Held,', ',Passed,'), 'utf8');
    expect(sha(edited)).not.toBe(c.sha256);
    const v = await api.call('audit.verify', { anchor: { fileName: 'c.csv', contentBase64: edited.toString('base64') } });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/no row after it records the file's SHA-256/);
    // Files without an anchor, with a damaged one, of another type.
    const plain = Buffer.from('\uFEFFa,b\r\n1,2\r\n').toString('base64');
    await expect(api.call('audit.verify', { anchor: { fileName: 'p.csv', contentBase64: plain } })).rejects.toMatchObject({ reason: 'anchor.notFound' });
    const damaged = Buffer.from(text.replace(/Row hash \(SHA-256\),[0-9a-f]+/, 'Row hash (SHA-256),xyz')).toString('base64');
    await expect(api.call('audit.verify', { anchor: { fileName: 'd.csv', contentBase64: damaged } })).rejects.toMatchObject({ reason: 'anchor.damaged' });
    await expect(api.call('audit.verify', { anchor: { fileName: 'f.pdf', contentBase64: plain } })).rejects.toMatchObject({ reason: 'anchor.fileType' });
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const noSheet = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    await expect(readAnchor(noSheet, 'n.xlsx')).rejects.toMatchObject({ reason: { code: 'anchor.notFound' } });
    await expect(readAnchor(Buffer.from('PK\u0003\u0004 not really a zip'), 'z.xlsx')).rejects.toMatchObject({ name: 'BadInputError' });
    engine.close();
  }, 90_000);

  it('reads the last marker block only; each field is checked', () => {
    const good = [[ANCHOR_MARKER, 'format 1'], ['Audit row', '12'], ['Row hash (SHA-256)', 'a'.repeat(64)], ['Root key', 'none'], ['Made at (UTC)', NOW.toISOString()]];
    expect(anchorFromRows([[ANCHOR_MARKER], ['Audit row', '1'], ...good])).toEqual({ seq: 12, hash: 'a'.repeat(64), root: null, at: NOW.toISOString() });
    for (const [i, bad] of [[1, '-1'], [2, 'A'.repeat(63)], [3, 'xyz'], [4, 'yesterday']] as const) {
      const rows = good.map((r) => [...r]);
      rows[i]![1] = bad;
      expect(() => anchorFromRows(rows)).toThrow(/is missing or malformed/);
    }
    expect(() => anchorFromRows([['Audit row', '1']])).toThrow(/holds no Watchdesk audit anchor/);
  });
});

/** The insider's own access: the database key through their own key slot. */
async function insiderOpen(dbPath: string, username = 'officer1'): Promise<DB> {
  return openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), username, OFFICER_PW));
}

/** `audit.verify` as the admin runs it on a fresh engine; with `anchor`, against that file. */
async function adminVerify(dbPath: string, anchor?: { fileName: string; contentBase64: string }) {
  const engine = new Engine({ dbPath });
  const api = createClient((r) => engine.handle(r));
  await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
  const v = await api.call('audit.verify', anchor ? { anchor } : {});
  engine.close();
  return v;
}

interface Row { seq: number; at: string; actor_id: string | null; action: string; subject: string | null; details: string; prev_hash: string; hash: string; signer: string | null; sig: string | null }

describe('an insider who rewrites the trail and its head file after an export is caught by the export', () => {
  it('a rollback to a kept copy of the head file: the desk alone passes; the export anchor names the row it no longer holds (and the CLI exits 1)', async () => {
    const { engine, api, dbPath, dir } = await setUpEngine({ now: () => NOW });
    await api.call('users.create', { username: 'officer1', password: OFFICER_PW, roles: ['officer'] });
    const o = settledClient(engine);
    await o.call('auth.signIn', { username: 'officer1', password: OFFICER_PW });
    await o.call('crossings.list', {});
    // The insider keeps a copy of the head file now...
    copyFileSync(`${dbPath}.head`, join(dir, 'kept.head'));
    const kept = readHeadFile(dbPath) as ExternalHead;
    // ...then the admin works and exports: the export carries the head as it is then.
    await api.call('settings.update', { idleMinutes: 10 });
    const x = await api.call('crossings.export', { format: 'xlsx' });
    const xlsx = join(dir, 'crossings.xlsx');
    writeFileSync(xlsx, Buffer.from(x.contentBase64, 'base64'));
    const anchored = (await readAnchor(readFileSync(xlsx), 'crossings.xlsx')).anchor;
    expect(anchored.seq).toBeGreaterThan(kept.seq);
    expect((await api.call('audit.verify', { anchor: { fileName: 'crossings.xlsx', contentBase64: x.contentBase64 } })).ok).toBe(true);
    engine.close();

    // The insider cuts every row after the kept head and puts the kept head file back.
    const db = await insiderOpen(dbPath);
    db.prepare('DELETE FROM audit WHERE seq > ?').run(kept.seq);
    writeFileSync(`${dbPath}.head`, readFileSync(join(dir, 'kept.head')));
    // Without the anchor the desk sees nothing wrong (what this change is for).
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: true });
    db.close();
    expect((await adminVerify(dbPath)).ok).toBe(true);

    const v = await adminVerify(dbPath, { fileName: 'crossings.xlsx', contentBase64: x.contentBase64 });
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(new RegExp(`^the trail no longer holds row ${anchored.seq} with the hash this export recorded`));
    expect(v.anchor).toMatchObject({ ok: false, seq: anchored.seq, exportSeq: null });

    const cli = spawnSync(process.execPath, [CLI, '--db', dbPath, 'audit', 'verify', '--anchor', xlsx], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_USER: undefined },
    });
    expect(cli.status, cli.stderr).toBe(1);
    expect(cli.stdout, cli.stderr).toMatch(new RegExp(`the trail no longer holds row ${anchored.seq} with the hash this export recorded`));
    expect(cli.stdout).toMatch(/anchor \(xlsx, made .*NOT held as recorded/);
  }, 120_000);

  it('a supervisor rewrites their own rows after exporting them, re-signs them and the head file: the desk alone passes; the csv anchor does not', async () => {
    const { engine, api, dbPath } = await deskWithHit();
    await api.call('users.create', { username: 'super1', password: OFFICER_PW, roles: ['officer', 'supervisor'] });
    engine.close();
    // Only the insider works now (the admin's key is no longer in memory to attest later heads).
    const e2 = new Engine({ dbPath, now: () => NOW });
    const o = settledClient(e2);
    const me = await o.call('auth.signIn', { username: 'super1', password: OFFICER_PW });
    const s = await o.call('screening.screen', { traveler: { ...SOMPONG, documentNumber: 'AA0009999' } });
    const c = await o.call('crossings.export', { format: 'csv' });
    const anchor = anchorFromCsv(Buffer.from(c.contentBase64, 'base64'));
    e2.close();

    // The insider edits their own screening row (its subject: a screening that "never happened"),
    // recomputes and re-signs every row from there with their own key, and re-attests the head file.
    const db = await insiderOpen(dbPath, 'super1');
    const key = (await unwrapSigningKey((db.prepare('SELECT signing_wrapped FROM users WHERE id = ?').get(me.user.id) as { signing_wrapped: string }).signing_wrapped, OFFICER_PW))!;
    const first = (db.prepare("SELECT seq FROM audit WHERE subject = ? AND action = 'screening'").get(s.screeningId) as { seq: number }).seq;
    const rows = db.prepare('SELECT * FROM audit WHERE seq >= ? ORDER BY seq').all(first - 1) as Row[];
    expect(rows.slice(1).every((r) => r.actor_id === me.user.id || r.sig === null)).toBe(true);
    let prev = rows[0]!.hash;
    for (const r of rows.slice(1)) {
      if (r.seq === first) r.subject = '00000000-0000-4000-8000-000000000000';
      r.prev_hash = prev;
      r.hash = createHash('sha256').update(JSON.stringify([r.seq, r.at, r.actor_id, r.action, r.subject, r.details, r.prev_hash])).digest('hex');
      r.sig = r.sig === null ? null : signText(key, rowMessage(r.hash));
      db.prepare('UPDATE audit SET subject = ?, prev_hash = ?, hash = ?, sig = ? WHERE seq = ?').run(r.subject, r.prev_hash, r.hash, r.sig, r.seq);
      prev = r.hash;
    }
    const h = auditHead(db);
    const old = readHeadFile(dbPath) as ExternalHead;
    const mine = { seq: h.seq, hash: h.hash, key: fingerprint(publicKeyOf(key)), sig: signText(key, headMessage(h.seq, h.hash)) };
    writeHeadFile(dbPath, { ...old, seq: h.seq, hash: h.hash, attest: { ...old.attest, [me.user.id]: mine } });
    expect(anchor.seq).toBeGreaterThanOrEqual(first);
    // The desk alone: chain, signatures, head file and attestations all hold.
    expect(verifyAudit(db, readHeadFile(dbPath))).toMatchObject({ ok: true });
    db.close();

    const v = await adminVerify(dbPath, { fileName: 'c.csv', contentBase64: c.contentBase64 });
    expect(v.ok).toBe(false);
    expect(v.message).toBe(`the trail no longer holds row ${anchor.seq} with the hash this export recorded: row ${anchor.seq} differs from it (the trail was rewritten up to that row)`);
    expect(v.firstBrokenSeq).toBe(anchor.seq);
  }, 120_000);
});
