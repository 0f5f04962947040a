/**
 * Benchmarks (`npm run bench [screening|names|scale|match|import|central|crossings]`): not part of `npm test`.
 * Reads the real data in ../shared/data.
 *
 *   names      name-pair F1 beside logic-v2, the Thai set, Chinese names (names.ts)
 *   scale      the synthetic 1,000,000-entry list, each engine in its own process (scale.ts), then
 *              calls answered while the index is rebuilt (rebuild.ts)
 *   rebuild    only that last step, on its own prepared list
 *   desk       passport MRZ Enter to hits rendered, in Chromium against the harness, on the same
 *              synthetic list (desk.ts; run `npm run build` first)
 *   match      screening + names + scale
 *   central    the centre (central.ts): 50 desks pushing 1,000,000 crossings at once, and a
 *              1,000,000-entry version published, pulled and made active on a desk
 *   crossings  the desk's crossings browser (crossings.ts): 1,000,000 crossings with their hits in the
 *              encrypted database; filter changes and name and document searches through the
 *              handlers (median, p95), csv and xlsx exports of them all (time, peak memory).
 *              `npm run bench -- crossings crossings=100000` for a quicker run.
 *   screening  the UN screening benchmark driven through the `watchdesk` CLI (import the untreated
 *              persons as a wanted list, screen the treated twins and the 50,000 negatives with
 *              --format json), beside a fuse.js baseline on the same lists; per-query latency of
 *              both engines on the same queries, in one run.
 *
 * Prints tables; quote medians and ratios (shared machines are noisy).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fuse from 'fuse.js';
import Papa from 'papaparse';
import { MatchIndex } from '../../electron/core/matching/matcher';
import { DEFAULT_THRESHOLDS } from '../../shared/domain';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = resolve(ROOT, '../shared/data/eval');
const CLI = join(ROOT, 'bin/watchdesk.mjs');

interface Person {
  full_name: string;
  date_of_birth: string;
  nationality: string;
  gender: string;
}

function readCsv(file: string): Person[] {
  return Papa.parse<Person>(readFileSync(join(DATA, file), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

function pct(n: number, d: number, digits = 2): string {
  return `${((100 * n) / d).toFixed(digits)}%`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

interface CliHit { sourceRow: number; score: number }
interface CliBatch { rows: { row: number; hits: CliHit[] }[] }

function cli(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
}

function screeningBench(): void {
  if (!existsSync(DATA)) {
    console.log(`../shared/data/eval is absent (looked in ${DATA}): the screening benchmark needs the real data; skipped.`);
    return;
  }
  const untreated = readCsv('screening_positives_un_untreated.csv');
  const treated = readCsv('screening_positives_un_treated.csv');
  const negatives = readCsv('screening_negatives_global.csv');
  const changed = treated.map((t, i) => t.full_name !== untreated[i]!.full_name);
  const review = DEFAULT_THRESHOLDS.review;
  const strong = DEFAULT_THRESHOLDS.strong;

  // --- Our engine, through the CLI, as a user would run it.
  const dir = mkdtempSync(join(tmpdir(), 'watchdesk-bench-'));
  const env = { ...process.env, WATCHDESK_PASSWORD: 'bench password 1', WATCHDESK_PASSPHRASE: 'bench recovery passphrase', WATCHDESK_USER: 'admin' };
  const db = join(dir, 'bench.db');
  try {
    cli(['--db', db, 'init'], env);
    cli(['--db', db, 'import', join(DATA, 'screening_positives_un_untreated.csv'), '--list', 'UN', '--kind', 'wanted'], env);
    const t0 = performance.now();
    const tr = JSON.parse(cli(['--db', db, '--format', 'json', 'screen', join(DATA, 'screening_positives_un_treated.csv'), '--top', '3'], env)) as CliBatch;
    const t1 = performance.now();
    const ng = JSON.parse(cli(['--db', db, '--format', 'json', 'screen', join(DATA, 'screening_negatives_global.csv'), '--top', '3'], env)) as CliBatch;
    const t2 = performance.now();

    const rank = (row: { row: number; hits: CliHit[] }): number =>
      row.hits.filter((h) => h.score >= review).findIndex((h) => h.sourceRow === row.row);
    const ours = summarize(tr.rows.map(rank), changed, ng.rows.map((r) => Math.max(0, ...r.hits.map((h) => h.score))), review, strong);

    // --- fuse.js baseline on the same lists (pinned options), scored as 1 - fuse score.
    const fuseOpts = { keys: ["name"], includeScore: true, ignoreLocation: true, threshold: 0.6, shouldSort: true };
    const fuse = new Fuse(untreated.map((p, i) => ({ name: p.full_name, row: i + 2 })), fuseOpts);
    const fuseTop = (name: string) => fuse.search(name, { limit: 3 }).map((r) => ({ sourceRow: r.item.row, score: 1 - (r.score ?? 1) }));
    const fuseNegSample = negatives.slice(0, 5000);
    const tf0 = performance.now();
    const fuseTreated = treated.map((p, i) => ({ row: i + 2, hits: fuseTop(p.full_name) }));
    const tf1 = performance.now();
    const fuseNeg = fuseNegSample.map((p) => Math.max(0, ...fuseTop(p.full_name).map((h) => h.score)));
    const tf2 = performance.now();
    console.log('\nScreening benchmark (UN persons; treated twins; negatives)\n');
    console.log('| engine | review at | recall@1 all 683 | recall@3 all | recall@1 changed 170 | recall@3 changed | negatives ≥ review | negatives ≥ strong | negatives screened |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(row('Watchdesk (CLI)', review, ours, negatives.length));
    for (const thr of [0.6, 0.7, 0.8, 0.9]) {
      const f = summarize(fuseTreated.map((r) => r.hits.filter((h) => h.score >= thr).findIndex((h) => h.sourceRow === r.row)), changed, fuseNeg, thr, Math.min(1, thr + 0.15));
      console.log(row(`fuse.js (threshold 0.6, top 3)`, thr, f, fuseNegSample.length));
    }
    console.log(`\nWall time through the CLI (includes start-up, parse, JSON): treated ${((t1 - t0) / 1000).toFixed(1)} s, negatives ${((t2 - t1) / 1000).toFixed(1)} s for ${negatives.length}.`);
    console.log(`fuse.js in-process: treated ${((tf1 - tf0) / 1000).toFixed(1)} s, ${fuseNegSample.length} negatives ${((tf2 - tf1) / 1000).toFixed(1)} s.`);

    // --- Per-query latency, same queries, same process.
    const index = new MatchIndex(untreated.map((p, i) => ({
      id: String(i + 2), names: [p.full_name], dateOfBirth: p.date_of_birth || null, sex: null, nationalities: [], documents: [],
    })));
    const sample = [...treated.slice(0, 25), ...negatives.slice(0, 25)].map((p) => p.full_name);
    const lat = (f: (n: string) => unknown): number[] => {
      for (const n of sample) f(n); // warm-up
      return sample.map((n) => {
        const s = performance.now();
        f(n);
        return performance.now() - s;
      });
    };
    const ourLat = lat((n) => index.match({ names: [n] }, { top: 3 }));
    const fuseLat = lat((n) => fuseTop(n));
    console.log('\nLatency per query, same 50 queries (25 treated + 25 negatives), 683 entries\n');
    console.log('| engine | median ms | p95 ms |');
    console.log('|---|---|---|');
    console.log(`| Watchdesk | ${median(ourLat).toFixed(3)} | ${quantile(ourLat, 0.95).toFixed(3)} |`);
    console.log(`| fuse.js | ${median(fuseLat).toFixed(3)} | ${quantile(fuseLat, 0.95).toFixed(3)} |`);
    console.log(`\nmedian ratio fuse.js / Watchdesk: ${(median(fuseLat) / median(ourLat)).toFixed(1)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Summary { r1: number; r3: number; c1: number; c3: number; nChanged: number; n: number; negReview: number; negStrong: number }

function summarize(ranks: number[], changed: boolean[], negTop: number[], review: number, strong: number): Summary {
  const s: Summary = { r1: 0, r3: 0, c1: 0, c3: 0, nChanged: changed.filter(Boolean).length, n: ranks.length, negReview: 0, negStrong: 0 };
  ranks.forEach((r, i) => {
    if (r === 0) {
      s.r1++;
      if (changed[i]) s.c1++;
    }
    if (r >= 0 && r < 3) {
      s.r3++;
      if (changed[i]) s.c3++;
    }
  });
  s.negReview = negTop.filter((x) => x >= review).length;
  s.negStrong = negTop.filter((x) => x >= strong).length;
  return s;
}

function row(name: string, review: number, s: Summary, negN: number): string {
  return `| ${name} | ${review} | ${pct(s.r1, s.n)} | ${pct(s.r3, s.n)} | ${pct(s.c1, s.nChanged)} | ${pct(s.c3, s.nChanged)} | ${s.negReview} (${pct(s.negReview, negN, 3)}) | ${s.negStrong} (${pct(s.negStrong, negN, 3)}) | ${negN} |`;
}

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'screening' || which === 'match') screeningBench();
if (which === 'all' || which === 'names' || which === 'match') {
  const names = await import('./names');
  names.namePairBench();
  names.thaiBench();
  names.regionBench();
  names.chineseBench();
}
if (which === 'all' || which === 'scale' || which === 'match') {
  // WATCHDESK_BENCH_ENTRIES shrinks the synthetic list for a quick run (default 1,000,000).
  // WATCHDESK_BENCH_FUSE=0 leaves fuse.js out (at 1,000,000 entries it takes tens of seconds a query).
  (await import('./scale')).scaleBench(Number(process.env.WATCHDESK_BENCH_ENTRIES ?? 1_000_000), 2000, process.env.WATCHDESK_BENCH_FUSE !== '0');
}
if (which === 'rebuild') (await import('./scale')).rebuildOnly(Number(process.env.WATCHDESK_BENCH_ENTRIES ?? 1_000_000), 2000);
if (which === 'desk') await (await import('./desk')).deskBench(Number(process.env.WATCHDESK_BENCH_ENTRIES ?? 1_000_000), 200);
if (which === 'all' || which === 'import') await (await import('./import')).importBench();
if (which === 'all' || which === 'central') await (await import('./central')).centralBench();
if (which === 'all' || which === 'crossings') await (await import('./crossings')).crossingsBench();
