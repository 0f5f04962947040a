/**
 * Signed list publications against a real PostgreSQL centre (started by the test): a publishing
 * desk imports a made-up list and publishes it; two desks pull it and screening finds its
 * entries; and a desk refuses what the department's keys did not sign: a doctored entry at the
 * centre, a publication signed by an uncertified key, a replayed old publication, a revoked key's
 * publication, each time keeping the list as it was. Rollback and retirement from the centre apply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import type { DB } from '../../electron/core/db/database';
import { certifyPublisher, initCentral, registerDesk, revokeKey, type RegisteredDesk } from '../../electron/core/central/admin';
import { connectCentral } from '../../electron/core/central/connect';
import { saveDeskCentral } from '../../electron/core/central/desk-config';
import { entriesDigest, signPublication, type CentralEntry, type Envelope } from '../../electron/core/central/publication';
import { localDigest, publishList, retireList } from '../../electron/core/central/publish';
import { pullPublications, type PullResult } from '../../electron/core/central/pull';
import { fingerprint, newSigningKey, publicKeyOf, signText, signerOf, type Signer } from '../../electron/core/signing';
import { uuidv7 } from '../../electron/core/watchlists/jobs';
import { listEntries, listLists } from '../../electron/core/watchlists/store';
import { listVersions } from '../../electron/core/watchlists/versions';
import { PASSPHRASE, PASSWORD, settledClient } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';

const DEPARTMENT_PASSPHRASE = 'made-up department passphrase';

interface Desk {
  engine: Engine;
  api: ApiClient;
  dbPath: string;
  dir: string;
  db: DB;
  adminId: string;
  reg: RegisteredDesk;
}

let centre: TestCentre;
let rootKey: string;
let pub: Desk;
let deskA: Desk;
let deskB: Desk;
let superuser: pg.Client;
const desks: Desk[] = [];

async function newDesk(name: string, publisher: boolean): Promise<Desk> {
  const dir = mkdtempSync(join(tmpdir(), 'wd-publication-'));
  const dbPath = join(dir, 'watchdesk.db');
  const engine = new Engine({ dbPath });
  const api = settledClient(engine);
  await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: name, timeZone: 'Asia/Bangkok' });
  const db = engine.requireDb();
  const adminId = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id;
  const reg = await registerDesk(centre.admin, { deskName: name, checkpoint: `${name} checkpoint`, timeZone: 'Asia/Bangkok', publisher });
  // As `watchdesk desk register` leaves the desk: its link to the centre (a publishing desk may change its central lists).
  saveDeskCentral(db, {
    url: reg.url, ca: centre.cluster.certificate, deskId: reg.deskId, deskName: reg.deskName, checkpointId: reg.checkpointId,
    checkpointName: reg.checkpoint, rootKey: reg.rootKey, publisher,
  });
  const d = { engine, api, dbPath, dir, db, adminId, reg };
  desks.push(d);
  return d;
}

/** A connection of the desk's own role (TLS, the centre's certificate pinned). */
function deskClient(d: Desk): Promise<pg.Client> {
  return connectCentral({ url: d.reg.url, ca: centre.cluster.certificate });
}

async function withDeskClient<T>(d: Desk, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await deskClient(d);
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** One pull as a sync does it; the index is rebuilt when anything was applied. */
async function pull(d: Desk): Promise<PullResult> {
  const r = await withDeskClient(d, (c) => pullPublications(d.db, c, { rootKey }, d.adminId, new Date()));
  for (const a of r.applied) d.engine.invalidateIndex(a.previousVersionId);
  return r;
}

function signer(d: Desk): Signer {
  const s = signerOf(d.dbPath, d.adminId);
  if (!s) throw new Error('the admin signing key is not held');
  return s;
}

function publish(d: Desk, listId: string): ReturnType<typeof publishList> {
  return withDeskClient(d, (c) => publishList(d.db, d.dbPath, c, signer(d), listId, new Date()));
}

function listOf(d: Desk, listId: string) {
  return listLists(d.db).find((l) => l.id === listId);
}

function localState(d: Desk, listId: string) {
  return d.db.prepare('SELECT origin, central_seq, retired_at, active_version_id FROM watchlists WHERE id = ?').get(listId) as
    { origin: string; central_seq: number | null; retired_at: string | null; active_version_id: string | null } | undefined;
}

async function screenIds(d: Desk, name: string, listId: string): Promise<string[]> {
  const r = await d.api.call('screening.screen', { traveler: { fullName: name }, top: 100 });
  return r.hits.filter((h) => h.listId === listId).map((h) => h.entry.entryId);
}

function auditActions(d: Desk, action: string): Record<string, unknown>[] {
  return (d.db.prepare('SELECT details FROM audit WHERE action = ? ORDER BY seq').all(action) as { details: string }[]).map((r) => JSON.parse(r.details) as Record<string, unknown>);
}

/** Inserts a publication row as a compromised centre could (the superuser), with the next seq of the list. */
async function forgeRow(listId: string, row: { envelope: string; signer: string; sig: string }): Promise<number> {
  const seq = Number((await superuser.query<{ s: string }>('SELECT (coalesce(max(seq), 0) + 1)::text AS s FROM wd.publications WHERE list_id = $1', [listId])).rows[0]!.s);
  await superuser.query('INSERT INTO wd.publications (list_id, seq, envelope, signer, sig, desk_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [listId, seq, row.envelope, row.signer, row.sig, pub.reg.deskId]);
  return seq;
}

async function newestEnvelope(listId: string): Promise<Envelope> {
  const r = await superuser.query<{ envelope: string }>('SELECT envelope FROM wd.publications WHERE list_id = $1 ORDER BY seq DESC LIMIT 1', [listId]);
  return JSON.parse(r.rows[0]!.envelope) as Envelope;
}

const GIVEN = ['Quorin', 'Zelmar', 'Othavy', 'Brimsel', 'Kaduvo', 'Yestrin', 'Pelmuto', 'Vandrix'];
const FAMILY = ['Trabbleford', 'Oxquintal', 'Murravesh', 'Ilfondrake', 'Sepwhistle', 'Garrowind'];

/** A made-up name, one per row number (48 different ones). */
function madeUpName(i: number): string {
  return `${GIVEN[i % GIVEN.length]} ${FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]}`;
}

/** A made-up list as base64 CSV: ids `${prefix}-i`, names madeUpName(i). */
function madeUpCsv(rows: number, prefix: string): string {
  const lines = ['ID,Name,Date of birth,Nationality'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},${madeUpName(i)},${1950 + i}-03-0${1 + (i % 9)},THA`);
  return Buffer.from(lines.join('\n')).toString('base64');
}

let listId: string;
let v1: string;
let v2: string;

beforeAll(async () => {
  centre = await startTestCentre();
  rootKey = (await initCentral(centre.admin, { department: 'Made-up department', passphrase: DEPARTMENT_PASSPHRASE })).rootKey;
  superuser = await connectCentral(centre.admin);
  pub = await newDesk('Publisher', true);
  deskA = await newDesk('Desk A', false);
  deskB = await newDesk('Desk B', false);
  await certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'admin', publicKey: publicKeyOf(signer(pub).key) });
}, 240_000);

afterAll(async () => {
  await superuser?.end().catch(() => undefined);
  for (const d of desks) {
    await d.engine.shutdown().catch(() => undefined);
    rmSync(d.dir, { recursive: true, force: true });
  }
  await centre?.stop();
}, 120_000);

describe('publications from the centre', () => {
  it('publishes a list once; two desks pull it whole, with its ids and settings, and screening finds its entries', async () => {
    const report = await pub.api.call('watchlists.import', { listName: 'Made-up warrants', kind: 'wanted', fileName: 'v1.csv', contentBase64: madeUpCsv(40, 'W') });
    listId = report.listId!;
    v1 = report.versionId!;
    await pub.api.call('watchlists.setSettings', { listId, thresholds: { strong: 0.97 }, actionText: 'Hold and call the made-up duty officer' });
    const p = await publish(pub, listId);
    expect(p).toMatchObject({ seq: 1, action: 'publish', versionId: v1, entries: 40, uploaded: true });
    expect(localState(pub, listId)).toMatchObject({ origin: 'central', central_seq: 1, retired_at: null });

    for (const d of [deskA, deskB]) {
      const r = await pull(d);
      expect(r.refused).toEqual([]);
      expect(r.applied).toEqual([expect.objectContaining({ listId, seq: 1, action: 'publish', versionId: v1, entries: 40, fetched: 40 })]);
      expect(localState(d, listId)).toMatchObject({ origin: 'central', central_seq: 1, active_version_id: v1 });
      const l = listOf(d, listId)!;
      expect(l).toMatchObject({ name: 'Made-up warrants', kind: 'wanted', actionText: 'Hold and call the made-up duty officer', origin: 'central', retiredAt: null });
      expect(l.thresholds.strong).toBe(0.97);
      // Whole and identical: the same ids, the same digest as the publisher's copy.
      expect(await localDigest(d.db, v1)).toEqual(await localDigest(pub.db, v1));
      expect(listEntries(d.db, listId, 0, 100).entries.map((e) => e.id)).toEqual(listEntries(pub.db, listId, 0, 100).entries.map((e) => e.id));
      expect(await screenIds(d, madeUpName(7), listId)).toContain('W-7');
      // Audited with ids and counts only.
      const row = auditActions(d, 'central.apply').at(-1)!;
      expect(row).toMatchObject({ listId, seq: 1, versionId: v1, entries: 40, fetched: 40 });
      expect(JSON.stringify(row)).not.toContain('Made-up warrants');
    }
    // Nothing newer: a second pull does nothing.
    expect(await pull(deskA)).toEqual({ applied: [], refused: [] });
    expect(await pull(pub)).toEqual({ applied: [], refused: [] });
  });

  it('refuses a doctored entry at the centre and keeps the previous version; applies the version once it is whole again', async () => {
    const report = await pub.api.call('watchlists.import', { listName: 'Made-up warrants', kind: 'wanted', fileName: 'v2.csv', contentBase64: madeUpCsv(30, 'V') });
    v2 = report.versionId!;
    const p = await publish(pub, listId);
    expect(p).toMatchObject({ seq: 2, versionId: v2, entries: 30, uploaded: true });

    const original = (await superuser.query<{ names: string }>('SELECT names FROM wd.entries WHERE version_id = $1 AND ord = 3', [v2])).rows[0]!.names;
    const doctor = async (names: string) => {
      await superuser.query('BEGIN');
      await superuser.query("SET LOCAL wd.purging = 'on'");
      await superuser.query('UPDATE wd.entries SET names = $2 WHERE version_id = $1 AND ord = 3', [v2, names]);
      await superuser.query('COMMIT');
    };
    await doctor(JSON.stringify([{ kind: 'primary', name: 'INNOCENT MADEUP TRAVELER' }]));

    const r = await pull(deskA);
    expect(r.applied).toEqual([]);
    expect(r.refused).toEqual([{ listId, seq: 2, reason: 'central.entriesMismatch', repeated: false }]);
    expect(localState(deskA, listId)).toMatchObject({ central_seq: 1, active_version_id: v1 });
    expect(deskA.db.prepare('SELECT count(*) AS n FROM entries WHERE version_id = ?').get(v2)).toEqual({ n: 0 });
    expect(deskA.db.prepare('SELECT count(*) AS n FROM list_versions WHERE id = ?').get(v2)).toEqual({ n: 0 });
    expect(await screenIds(deskA, madeUpName(7), listId)).toContain('W-7');
    expect(auditActions(deskA, 'central.refuse').at(-1)).toEqual({ listId, seq: 2, reason: 'central.entriesMismatch' });

    // An extra entry slipped in is found as well.
    await doctor(original);
    await superuser.query(
      `INSERT INTO wd.entries SELECT version_id, 30, 'extra-id', external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex,
         nationalities, documents, reference, reason, remarks FROM wd.entries WHERE version_id = $1 AND ord = 0`, [v2],
    );
    const refusals = auditActions(deskA, 'central.refuse').length;
    // Refused again, and audited once: the same refusal at every sync would fill the trail.
    expect((await pull(deskA)).refused).toEqual([{ listId, seq: 2, reason: 'central.entriesMismatch', repeated: true }]);
    expect(auditActions(deskA, 'central.refuse')).toHaveLength(refusals);
    expect(localState(deskA, listId)).toMatchObject({ central_seq: 1, active_version_id: v1 });
    await superuser.query('ALTER TABLE wd.entries DISABLE TRIGGER entries_frozen');
    await superuser.query("DELETE FROM wd.entries WHERE version_id = $1 AND id = 'extra-id'", [v2]);
    await superuser.query('ALTER TABLE wd.entries ENABLE TRIGGER entries_frozen');

    const ok = await pull(deskA);
    expect(ok.refused).toEqual([]);
    expect(ok.applied).toEqual([expect.objectContaining({ listId, seq: 2, versionId: v2, entries: 30, fetched: 30, previousVersionId: v1 })]);
    expect(await screenIds(deskA, madeUpName(7), listId)).toContain('V-7');
    // Version 1's entries answer no more.
    expect((await screenIds(deskA, madeUpName(35), listId)).filter((id) => id.startsWith('W-'))).toEqual([]);
  });

  it('refuses a publication signed by a key the root did not certify, even with a forged trust record', async () => {
    const intruder = newSigningKey();
    const pubKey = publicKeyOf(intruder);
    const fp = fingerprint(pubKey);
    // The compromised centre adds a trust record the root never signed.
    await superuser.query(
      `INSERT INTO wd.trusted_keys (fingerprint, public_key, username, role, certified_at, cert_sig) VALUES ($1, $2, 'intruder', 'publisher', now(), $3)`,
      [fp, pubKey, signText(intruder, 'not the root')],
    );
    const envelope: Envelope = { ...(await newestEnvelope(listId)), seq: 0, publisher: fp, listName: 'Made-up warrants' };
    // Points the desks back at version 1, with an entries digest that is right: only the signer is wrong.
    const rows = (await superuser.query<CentralEntry>('SELECT * FROM wd.entries WHERE version_id = $1 ORDER BY ord', [v1])).rows;
    const d = entriesDigest(rows);
    Object.assign(envelope, { versionId: v1, versionNumber: 1, entries: d.count, entriesSha256: d.sha256 });
    envelope.seq = Number((await superuser.query<{ s: string }>('SELECT (max(seq) + 1)::text AS s FROM wd.publications WHERE list_id = $1', [listId])).rows[0]!.s);
    const forged = signPublication(envelope, { userId: 'x', key: intruder, fingerprint: fp });
    const seq = await forgeRow(listId, forged);

    for (const desk of [deskA, deskB]) {
      const before = localState(desk, listId);
      const r = await pull(desk);
      expect(r.applied).toEqual([]);
      expect(r.refused).toEqual([{ listId, seq, reason: 'central.untrustedKey', repeated: false }]);
      expect(localState(desk, listId)).toEqual(before);
    }
  });

  it('refuses a replay of an older publication', async () => {
    const first = (await superuser.query<{ envelope: string; signer: string; sig: string }>(
      'SELECT envelope, signer, sig FROM wd.publications WHERE list_id = $1 AND seq = 1', [listId],
    )).rows[0]!;
    const seq = await forgeRow(listId, first);
    const before = localState(deskA, listId);
    const r = await pull(deskA);
    expect(r.refused).toEqual([{ listId, seq, reason: 'central.replayed', repeated: false }]);
    expect(localState(deskA, listId)).toEqual(before);
    expect(before!.active_version_id).toBe(v2);
  });

  it('applies a rollback published at the centre: the older version answers again, fetched only where missing', async () => {
    await pub.api.call('watchlists.rollback', { listId, versionId: v1 });
    const p = await publish(pub, listId);
    expect(p).toMatchObject({ versionId: v1, uploaded: false });

    const a = await pull(deskA); // holds v1 already
    expect(a.refused).toEqual([]);
    expect(a.applied).toEqual([expect.objectContaining({ listId, seq: p.seq, versionId: v1, fetched: 0, previousVersionId: v2 })]);
    expect(localState(deskA, listId)).toMatchObject({ central_seq: p.seq, active_version_id: v1 });
    expect(await screenIds(deskA, madeUpName(7), listId)).toContain('W-7');
    expect(listVersions(deskA.db, listId).map((v) => [v.number, v.state])).toEqual([[2, 'superseded'], [1, 'published']]);

    const b = await pull(deskB); // never held v2; v1 active: nothing to fetch
    expect(b.applied).toEqual([expect.objectContaining({ seq: p.seq, versionId: v1, fetched: 0, previousVersionId: null })]);
  });

  it('retires a list: screening stops at once, and the list stays readable', async () => {
    const r0 = await withDeskClient(pub, (c) => retireList(pub.db, pub.dbPath, c, signer(pub), listId, new Date()));
    expect(r0).toMatchObject({ action: 'retire', versionId: v1, uploaded: false });
    expect(localState(pub, listId)!.retired_at).not.toBeNull();

    expect(await screenIds(deskA, madeUpName(7), listId)).toContain('W-7');
    const r = await withDeskClient(deskA, (c) => pullPublications(deskA.db, c, { rootKey }, deskA.adminId, new Date()));
    expect(r.applied).toEqual([expect.objectContaining({ listId, action: 'retire', seq: r0.seq })]);
    // No index rebuild yet: the retired list answers no screening already.
    expect(await screenIds(deskA, madeUpName(7), listId)).toEqual([]);
    deskA.engine.invalidateIndex();
    expect(await screenIds(deskA, madeUpName(7), listId)).toEqual([]);
    expect(await screenIds(pub, madeUpName(7), listId)).toEqual([]);
    const l = listOf(deskA, listId)!;
    expect(l.retiredAt).not.toBeNull();
    expect(l.activeVersion).toBeNull();
    expect(listEntries(deskA.db, listId, 0, 100).total).toBe(40);
    expect(listVersions(deskA.db, listId)).toHaveLength(2);
  });

  it("refuses a revoked key's new publication", async () => {
    await revokeKey(centre.admin, DEPARTMENT_PASSPHRASE, signer(pub).fingerprint);
    const p = await publish(pub, listId); // the centre stores it; the desks refuse it
    const before = localState(deskA, listId);
    const r = await pull(deskA);
    expect(r.refused).toEqual([{ listId, seq: p.seq, reason: 'central.revokedKey', repeated: false }]);
    expect(localState(deskA, listId)).toEqual(before);
    // Still retired: the revoked key could not bring the list back.
    expect(before!.retired_at).not.toBeNull();
    expect(await screenIds(deskA, madeUpName(7), listId)).toEqual([]);
    // A centre whose database was altered blanks the revocation: the desk remembers it anyway.
    await superuser.query('UPDATE wd.trusted_keys SET revoked_at = NULL, revocation_sig = NULL WHERE fingerprint = $1', [signer(pub).fingerprint]);
    const again = await pull(deskA);
    expect(again.refused).toEqual([expect.objectContaining({ listId, seq: p.seq, reason: 'central.revokedKey' })]);
    expect(again.applied).toEqual([]);
    expect(localState(deskA, listId)).toEqual(before);
    // A desk that never saw the revocation cannot know of it: deskB (never pulled since) would trust the key again,
    // which is why revocations are pulled at every sync.
  });

  it('never touches a list the desk imported itself, and refuses a central list whose name a local list has', async () => {
    const local = await deskB.api.call('watchlists.import', { listName: 'Made-up local list', kind: 'monitor', fileName: 'l.csv', contentBase64: madeUpCsv(5, 'L') });
    // A second publisher key, certified, publishing a list named like deskB's own.
    const key = newSigningKey();
    await certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'second', publicKey: publicKeyOf(key) });
    const second: Signer = { userId: pub.adminId, key, fingerprint: fingerprint(publicKeyOf(key)) };
    const made = await pub.api.call('watchlists.import', { listName: 'MADE-UP LOCAL LIST', kind: 'wanted', fileName: 'c.csv', contentBase64: madeUpCsv(5, 'C') });
    const p = await withDeskClient(pub, (c) => publishList(pub.db, pub.dbPath, c, second, made.listId!, new Date()));
    const r = await pull(deskB);
    expect(r.refused).toContainEqual({ listId: made.listId, seq: p.seq, reason: 'central.nameTaken', repeated: false });
    expect(localState(deskB, made.listId!)).toBeUndefined();
    expect(localState(deskB, local.listId!)).toMatchObject({ origin: 'local', central_seq: null });
    // deskA has no such local list: it applies.
    expect((await pull(deskA)).applied).toEqual([expect.objectContaining({ listId: made.listId, entries: 5 })]);
  });

  it('refuses to publish or retire at the centre a list retired at this desk, and sends nothing; reactivated, it publishes', async () => {
    const made = await pub.api.call('watchlists.import', { listName: 'Made-up retired list', kind: 'monitor', fileName: 'r.csv', contentBase64: madeUpCsv(4, 'R') });
    await pub.api.call('watchlists.retire', { listId: made.listId! });
    const countAt = async (): Promise<number> => Number((await superuser.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM wd.publications WHERE list_id = $1) + (SELECT count(*) FROM wd.list_versions WHERE list_id = $1) AS n', [made.listId],
    )).rows[0]!.n);
    await expect(publish(pub, made.listId!)).rejects.toMatchObject({ reason: { code: 'list.retired' } });
    await expect(withDeskClient(pub, (c) => retireList(pub.db, pub.dbPath, c, signer(pub), made.listId!, new Date())))
      .rejects.toMatchObject({ reason: { code: 'list.retired' } });
    expect(await countAt()).toBe(0);
    expect(localState(pub, made.listId!)).toMatchObject({ origin: 'local', central_seq: null });

    await pub.api.call('watchlists.reactivate', { listId: made.listId! });
    const p = await publish(pub, made.listId!);
    expect(p).toMatchObject({ action: 'publish', uploaded: true });
    expect(await countAt()).toBe(2);
  });

  it('delivers a larger version page by page within bounded memory (timing printed)', async () => {
    const n = Number(process.env.WATCHDESK_PUBLICATION_N ?? 20_000);
    const big = seedList(pub, 'Made-up large list', n);
    const key = newSigningKey();
    await certifyPublisher(centre.admin, DEPARTMENT_PASSPHRASE, { username: 'third', publicKey: publicKeyOf(key) });
    const third: Signer = { userId: pub.adminId, key, fingerprint: fingerprint(publicKeyOf(key)) };
    let t = performance.now();
    const p = await withDeskClient(pub, (c) => publishList(pub.db, pub.dbPath, c, third, big, new Date()));
    const publishMs = performance.now() - t;
    expect(p.entries).toBe(n);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 50);
    t = performance.now();
    const r = await withDeskClient(deskA, (c) => pullPublications(deskA.db, c, { rootKey }, deskA.adminId, new Date()))
      .finally(() => clearInterval(sampler));
    const pullMs = performance.now() - t;
    expect(r.applied).toEqual([expect.objectContaining({ listId: big, entries: n, fetched: n })]);
    expect(await localDigest(deskA.db, p.versionId)).toEqual(await localDigest(pub.db, p.versionId));
    process.stdout.write(`publication of ${n} entries: publish ${Math.round(publishMs)} ms, pull+apply ${Math.round(pullMs)} ms, `
      + `process RSS before ${Math.round(rssBefore / 2 ** 20)} MiB, peak during the pull ${Math.round(rssPeak / 2 ** 20)} MiB\n`);
  }, 600_000);
});

/** A made-up list of `n` entries written straight into a desk's database (an import of that size would take longer than the point of the test). */
function seedList(d: Desk, name: string, n: number): string {
  const listId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  const now = new Date().toISOString();
  const db = d.db;
  db.transaction(() => {
    db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, ?, 'monitor', ?, ?)").run(listId, name, now, d.adminId);
    db.prepare(
      `INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, state, created_at, created_by)
       VALUES (?, ?, 1, 'seeded.csv', ?, '{}', ?, ?, 0, 'published', 'published', ?, ?)`,
    ).run(versionId, listId, 'c'.repeat(64), n, n, now, d.adminId);
    const ins = db.prepare(
      `INSERT INTO entries (id, version_id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference, reason, remarks)
       VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, NULL, '["THA"]', ?, ?, NULL, NULL)`,
    );
    for (let i = 0; i < n; i++) {
      ins.run(uuidv7(), versionId, `S-${i}`, i + 2, `h${i}`, JSON.stringify([{ kind: 'primary', name: `SEEDED PERSON NUMBER${i}` }]), `19${50 + (i % 50)}-01-01`,
        JSON.stringify([{ type: 'passport', number: `S${String(i).padStart(8, '0')}`, issuer: 'THA' }]), `REF-${i}`);
    }
    db.prepare('UPDATE watchlists SET active_version_id = ? WHERE id = ?').run(versionId, listId);
  })();
  return listId;
}
