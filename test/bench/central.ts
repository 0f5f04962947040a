/**
 * The centre's benchmark (`npm run bench central`, issue 16): a throwaway PostgreSQL cluster started
 * here (cluster.ts, as the tests start theirs), then
 *
 *   push     50 desks (10 checkpoints), each with its own encrypted SQLite database holding
 *            synthetic crossings in its outbox (1,000,000 in all by default; 1 in 20 with a hit;
 *            two audit rows per crossing, as the desk writes them), pushed concurrently from this
 *            one process with the product's pushOutbox over 50 TLS connections. Throughput is the
 *            crossings accepted at the centre per second of wall time; latency is per committed
 *            batch (500 outbox rows). Goal: >= 2,000 crossings/s.
 *   deliver  a publisher desk holding one 1,000,000-entry version (synthetic names of synth.ts,
 *            match keys computed and entry ids made (uuidv7) as the importer does) publishes
 *            it (signed, uploaded); then a new desk, a real Engine signed in, runs
 *            `central.sync` through the handler table and waits for its match index: time from
 *            the sync's start until screening answers from the new version, and the peak memory
 *            of that desk process. Goal: <= 120 s.
 *
 * Each step runs in its own child process, so that its peak memory is its own.
 * Sizes: `npm run bench central -- crossings=200000 entries=100000` for a quicker run.
 * Prints tables; quote medians and ratios (shared machines are noisy).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { createDatabase, type DB } from '../../electron/core/db/database';
import { certifyPublisher, initCentral, registerDesk, type RegisteredDesk } from '../../electron/core/central/admin';
import { connectCentral, type CentralTarget } from '../../electron/core/central/connect';
import { saveDeskCentral } from '../../electron/core/central/desk-config';
import { pushOutbox } from '../../electron/core/central/push';
import { publishList } from '../../electron/core/central/publish';
import { fingerprint, newSigningKey, publicKeyOf } from '../../electron/core/signing';
import { encodeMatchKeys } from '../../electron/core/matching/keys';
import { uuidv7 } from '../../electron/core/watchlists/jobs';
import { startTestCentre } from '../central/centre';
import { answerParent } from './child';
import { synthesize } from './synth';

const PASSPHRASE = 'bench department passphrase';
const DESKS = 50;
const CHECKPOINTS = 10;

interface Context {
  dir: string;
  ca: string;
  admin: CentralTarget;
  desks: RegisteredDesk[];
  publisher: RegisteredDesk;
  receiver: RegisteredDesk;
  crossings: number;
  entries: number;
}

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`${name}=`));
  return a ? Number(a.slice(name.length + 1)) : dflt;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function joined(db: DB, d: RegisteredDesk, ca: string): void {
  saveDeskCentral(db, {
    url: d.url, ca, deskId: d.deskId, deskName: d.deskName, checkpointId: d.checkpointId, checkpointName: d.checkpoint,
    rootKey: d.rootKey, publisher: d.publisher,
  });
}

/** A desk's database with `n` recorded crossings waiting in its outbox, written as the desk writes them. */
function fillDesk(path: string, d: RegisteredDesk, ca: string, n: number, seed: number): DB {
  const db = createDatabase(path, randomBytes(32));
  const now = new Date().toISOString();
  const officer = randomUUID();
  db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', '[\"officer\"]', ?)").run(officer, `officer${seed}`, now);
  const listId = randomUUID();
  const versionId = randomUUID();
  db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, 'Bench list', 'wanted', ?, ?)").run(listId, now, officer);
  db.prepare(`INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, state, created_at, created_by)
    VALUES (?, ?, 1, 'bench.csv', ?, '{}', 10, 10, 0, 'published', 'published', ?, ?)`).run(versionId, listId, '0'.repeat(64), now, officer);
  const entryIds: string[] = [];
  const insEntry = db.prepare(`INSERT INTO entries (id, version_id, external_id, source_row, content_hash, names, nationalities, documents, reference)
    VALUES (?, ?, ?, ?, ?, ?, '["THA"]', '[]', ?)`);
  for (let i = 0; i < 10; i++) {
    const id = randomUUID();
    entryIds.push(id);
    insEntry.run(id, versionId, `W-${i}`, i + 2, `h${i}`, JSON.stringify([{ name: `SOMCHAI BENCH${i}`, kind: 'primary' }]), `CASE-${i}`);
  }
  joined(db, d, ca);
  const insScreening = db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions, crossing_id) VALUES (?, ?, ?, ?, ?, ?)');
  const insCrossing = db.prepare(`INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged, note)
    VALUES (?, ?, ?, 'Asia/Bangkok', ?, ?, 'passed', ?, ?, NULL)`);
  const insHit = db.prepare(`INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action, decision, note, decided_by, decided_at)
    VALUES (?, ?, ?, 0.83, 'review', ?, 'Refer to the supervisor', 'not-same-person', 'different date of birth', ?, ?)`);
  const insAudit = db.prepare('INSERT INTO audit (seq, at, actor_id, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let seq = ((db.prepare('SELECT max(seq) AS s FROM audit').get() as { s: number | null }).s ?? 0);
  let prev = '0'.repeat(64);
  const explanation = JSON.stringify({ parts: [{ code: 'explain.nameTokens', params: { matched: 2, of: 2 } }, { code: 'explain.birthYear', params: { gap: 3 } }] });
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.now() - (n - i) * 1000).toISOString();
      const sid = randomUUID();
      const cid = randomUUID();
      const traveler = JSON.stringify({
        names: [`TRAVELER ${seed} ${i}`], dateOfBirth: '1980-01-01', sex: i % 2 ? 'M' : 'F', nationality: 'THA',
        documents: [{ type: 'passport', number: `AA${String(i).padStart(7, '0')}`, issuingState: 'THA' }],
      });
      insScreening.run(sid, at, officer, traveler, JSON.stringify([versionId]), cid);
      if (i % 20 === 0) insHit.run(randomUUID(), sid, entryIds[i % 10], explanation, officer, at);
      for (const action of ['screening.screen', 'crossing.record']) {
        seq++;
        const hash = createHash('sha256').update(`${prev}${seq}${action}`).digest('hex');
        insAudit.run(seq, at, officer, action, action === 'crossing.record' ? cid : sid, JSON.stringify({ hits: i % 20 === 0 ? 1 : 0 }), prev, hash);
        prev = hash;
      }
      insCrossing.run(cid, sid, at, d.checkpoint, i % 2 ? 'entry' : 'exit', officer, i % 20 === 0 ? 1 : 0);
    }
  })();
  return db;
}

/** Step push: fill 50 desks, then push them all at once. */
async function pushStep(ctx: Context) {
  const per = Math.ceil(ctx.crossings / ctx.desks.length);
  const f0 = performance.now();
  const dbs = ctx.desks.map((d, i) => fillDesk(join(ctx.dir, `desk-${i}.db`), d, ctx.ca, per, i));
  const fillS = (performance.now() - f0) / 1000;
  const waiting = dbs.reduce((s, db) => s + (db.prepare('SELECT count(*) AS n FROM central_outbox').get() as { n: number }).n, 0);
  const clients = await Promise.all(ctx.desks.map((d) => connectCentral({ url: d.url, ca: ctx.ca })));
  const lat: number[] = [];
  const t0 = performance.now();
  const results = await Promise.all(ctx.desks.map(async (d, i) => {
    let last = performance.now();
    return pushOutbox(dbs[i]!, clients[i]!, { deskId: d.deskId, checkpointId: d.checkpointId }, {
      onBatch: () => {
        const t = performance.now();
        lat.push(t - last);
        last = t;
      },
    });
  }));
  const wallS = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  for (const db of dbs) db.close();
  const sum = (k: 'crossings' | 'hits' | 'audit' | 'remaining') => results.reduce((s, r) => s + r[k], 0);
  const admin = await connectCentral(ctx.admin);
  const atCentre = Number((await admin.query<{ n: string }>('SELECT count(*)::text AS n FROM wd.crossings')).rows[0]!.n);
  await admin.end();
  return {
    desks: ctx.desks.length, fillS, outboxRows: waiting, wallS, crossings: sum('crossings'), hits: sum('hits'), audit: sum('audit'),
    remaining: sum('remaining'), atCentre, perSec: sum('crossings') / wallS, batches: lat.length,
    p50Ms: quantile(lat, 0.5), p95Ms: quantile(lat, 0.95), maxMs: quantile(lat, 1), peakRssMb: mb(),
  };
}

/** Step publish: a publisher desk with one version of `entries` synthetic entries publishes it. */
async function publishStep(ctx: Context) {
  const db = createDatabase(join(ctx.dir, 'publisher.db'), randomBytes(32));
  const now = new Date().toISOString();
  const supervisor = randomUUID();
  db.prepare("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, 'supervisor', 'x', '[\"supervisor\"]', ?)").run(supervisor, now);
  const listId = randomUUID();
  const versionId = randomUUID();
  db.prepare("INSERT INTO watchlists (id, name, kind, created_at, created_by) VALUES (?, 'Synthetic 1M', 'wanted', ?, ?)").run(listId, now, supervisor);
  db.prepare(`INSERT INTO list_versions (id, list_id, number, file_name, sha256, mapping, rows_read, imported, rejected, status, state, created_at, created_by)
    VALUES (?, ?, 1, 'synthetic.csv', ?, '{}', ?, ?, 0, 'published', 'published', ?, ?)`).run(versionId, listId, '1'.repeat(64), ctx.entries, ctx.entries, now, supervisor);
  const ins = db.prepare(`INSERT INTO entries (id, version_id, external_id, source_row, content_hash, name_key, names, match_keys, date_of_birth, sex, nationalities, documents, reference)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const f0 = performance.now();
  let row = 2;
  const batch: ReturnType<typeof synthesize> extends Generator<infer P> ? P[] : never = [];
  const flush = () => db.transaction(() => {
    for (const p of batch) {
      const names = p.names.map((name, i) => ({ name, kind: i === 0 ? 'primary' : 'alias' }));
      const documents = [{ type: 'passport', number: p.document, issuingState: p.nationality }];
      ins.run(uuidv7(), versionId, p.id, row++, createHash('sha256').update(JSON.stringify(p)).digest('hex'), p.names[0]!.toUpperCase(),
        JSON.stringify(names), encodeMatchKeys(p.names), p.dateOfBirth, p.sex, JSON.stringify([p.nationality]), JSON.stringify(documents), `W-${p.id}`);
    }
    batch.length = 0;
  })();
  for (const p of synthesize(ctx.entries)) {
    batch.push(p);
    if (batch.length === 10_000) flush();
  }
  flush();
  db.prepare('UPDATE watchlists SET active_version_id = ? WHERE id = ?').run(versionId, listId);
  const fillS = (performance.now() - f0) / 1000;
  joined(db, ctx.publisher, ctx.ca);
  const key = newSigningKey();
  await certifyPublisher(ctx.admin, PASSPHRASE, { username: 'supervisor', publicKey: publicKeyOf(key) });
  const client = await connectCentral({ url: ctx.publisher.url, ca: ctx.ca });
  const t0 = performance.now();
  const r = await publishList(db, join(ctx.dir, 'publisher.db'), client, { userId: supervisor, key, fingerprint: fingerprint(publicKeyOf(key)) }, listId);
  const publishS = (performance.now() - t0) / 1000;
  await client.end();
  db.close();
  return { entries: ctx.entries, fillS, publishS, seq: r.seq, peakRssMb: mb() };
}

/** Step deliver: a new desk (a real Engine, signed in) syncs and waits until its index answers from the new version. */
async function deliverStep(ctx: Context) {
  const dbPath = join(ctx.dir, 'receiver.db');
  const engine = new Engine({ dbPath });
  const api = createClient((r) => engine.handle(r));
  await api.call('app.setup', { adminUsername: 'admin', password: 'receiver desk password 1', recoveryPassphrase: 'bench recovery passphrase', checkpointName: ctx.receiver.checkpoint, timeZone: 'Asia/Bangkok' });
  joined(engine.requireDb(), ctx.receiver, ctx.ca);
  const base = mb();
  const t0 = performance.now();
  const r = await api.call('central.sync', {});
  const syncS = (performance.now() - t0) / 1000;
  await engine.indexSettled();
  const activeS = (performance.now() - t0) / 1000;
  const first = await api.call('screening.screen', { traveler: { fullName: 'SOMEONE NOT LISTED' }, top: 3 }).then(() => (performance.now() - t0) / 1000);
  const entries = engine.indexStatus().entries;
  await engine.shutdown();
  return { applied: r.pulled, entries, syncS, activeS, firstAnswerS: first, baseRssMb: base, peakRssMb: mb() };
}

function child<T>(step: string, ctxFile: string): T {
  // WATCHDESK_BENCH_PROFILE=DIR: each step writes a V8 CPU profile there (open it in Chrome's DevTools).
  const prof = process.env.WATCHDESK_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.WATCHDESK_BENCH_PROFILE}`] : [];
  const out = execFileSync(process.execPath, [...prof, '--max-old-space-size=8192', '--import', 'tsx', import.meta.filename, `--child=${step}`, ctxFile], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Runs the benchmark and prints its tables. */
export async function centralBench(crossings = arg('crossings', 1_000_000), entries = arg('entries', 1_000_000)): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wd-central-bench-'));
  const centre = await startTestCentre();
  try {
    await initCentral(centre.admin, { department: 'Bench department', passphrase: PASSPHRASE });
    const desks: RegisteredDesk[] = [];
    for (let i = 0; i < DESKS; i++) desks.push(await registerDesk(centre.admin, { deskName: `desk ${i + 1}`, checkpoint: `Checkpoint ${(i % CHECKPOINTS) + 1}`, timeZone: 'Asia/Bangkok' }));
    const publisher = await registerDesk(centre.admin, { deskName: 'publisher', checkpoint: 'Headquarters', timeZone: 'Asia/Bangkok', publisher: true });
    const receiver = await registerDesk(centre.admin, { deskName: 'receiver', checkpoint: 'Checkpoint 1', timeZone: 'Asia/Bangkok' });
    const ctx: Context = { dir, ca: centre.cluster.certificate, admin: centre.admin, desks, publisher, receiver, crossings, entries };
    const ctxFile = join(dir, 'context.json');
    writeFileSync(ctxFile, JSON.stringify(ctx), { mode: 0o600 });
    console.log(`\nCentre benchmark: PostgreSQL cluster on 127.0.0.1:${centre.cluster.port} (TLS), ${DESKS} desks at ${CHECKPOINTS} checkpoints.\n`);
    const p = child<Awaited<ReturnType<typeof pushStep>>>('push', ctxFile);
    console.log('| push | value |\n| --- | --- |');
    console.log(`| desks pushing at once | ${p.desks} |\n| crossings accepted | ${p.crossings.toLocaleString('en')} (at the centre: ${p.atCentre.toLocaleString('en')}) |`);
    console.log(`| hits, audit rows | ${p.hits.toLocaleString('en')}, ${p.audit.toLocaleString('en')} |\n| outbox rows sent | ${p.outboxRows.toLocaleString('en')} (left: ${p.remaining}) |`);
    console.log(`| wall time | ${p.wallS.toFixed(1)} s |\n| **crossings/s accepted** | **${Math.round(p.perSec).toLocaleString('en')}** (goal >= 2,000) |`);
    console.log(`| batch latency (500 outbox rows) p50 / p95 / max | ${p.p50Ms.toFixed(0)} / ${p.p95Ms.toFixed(0)} / ${p.maxMs.toFixed(0)} ms (${p.batches} batches) |`);
    console.log(`| desks' databases filled beforehand in | ${p.fillS.toFixed(1)} s |\n| peak RSS of the pushing process | ${p.peakRssMb} MB |`);
    const pub = child<Awaited<ReturnType<typeof publishStep>>>('publish', ctxFile);
    const del = child<Awaited<ReturnType<typeof deliverStep>>>('deliver', ctxFile);
    console.log('\n| list version delivered | value |\n| --- | --- |');
    console.log(`| entries | ${pub.entries.toLocaleString('en')} (index: ${del.entries.toLocaleString('en')}) |`);
    console.log(`| publisher: signed and uploaded in | ${pub.publishS.toFixed(1)} s (peak RSS ${pub.peakRssMb} MB) |`);
    console.log(`| desk: pulled, verified and applied (central.sync) | ${del.syncS.toFixed(1)} s |`);
    console.log(`| **desk: active (index swapped in)** | **${del.activeS.toFixed(1)} s** (goal <= 120 s) |`);
    console.log(`| desk: first screening answered | ${del.firstAnswerS.toFixed(1)} s |`);
    console.log(`| desk process peak RSS | ${del.peakRssMb} MB (${del.baseRssMb} MB before the sync) |`);
  } finally {
    await centre.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const childArg = process.argv.find((a) => a.startsWith('--child='));
if (childArg) {
  const ctx = JSON.parse(readFileSync(process.argv[process.argv.length - 1]!, 'utf8')) as Context;
  const step = childArg.slice('--child='.length);
  const run: Promise<unknown> = step === 'push' ? pushStep(ctx) : step === 'publish' ? publishStep(ctx) : deliverStep(ctx);
  answerParent(run);
} else if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  void centralBench();
}
