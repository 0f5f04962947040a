/**
 * Scale benchmark (`npm run bench:match`): a synthetic watchlist (synth.ts) of N entries
 * (default 1,000,000), queries with known answers (half listed people with realistic damage, half
 * unlisted people sharing a listed surname), each engine in its own process so that each peak
 * memory is its own. Prints one table; quote medians and ratios.
 *
 *   tsx test/bench/scale.ts [N] [queries]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import Fuse from 'fuse.js';
import { MatchIndex } from '../../electron/core/matching/matcher';
import { DEFAULT_THRESHOLDS } from '../../shared/domain';
import { rng } from './names';
import { synthesize, type SynthPerson } from './synth';

const REVIEW = DEFAULT_THRESHOLDS.review;
const STRONG = DEFAULT_THRESHOLDS.strong;
/** The fixed sample on which fuse.js is timed (a full scan per query is slow). */
const FUSE_SAMPLE = 50;
/** fuse.js options, pinned; the threshold is swept on the results. */
const FUSE_OPTIONS = { keys: ['names'], includeScore: true, ignoreLocation: true, threshold: 0.4, shouldSort: true };

interface Query {
  name: string;
  dateOfBirth?: string;
  /** Id of the listed person, or null for someone not listed. */
  answer: string | null;
}

function damage(p: SynthPerson, r: () => number): string {
  const tokens = (r() < 0.5 && p.names[1] && !/[\u0E00-\u0E7F\u1780-\u17FF\u4E00-\u9FFF]/.test(p.names[1]) ? p.names[1] : `${p.given} ${p.surname}`).split(' ');
  const k = Math.floor(r() * 4);
  if (k === 0 && tokens.length > 1) tokens.reverse(); // name order
  if (k <= 1) {
    // one typo in the longest token: swap, drop or replace a letter
    const i = tokens.reduce((b, t, j) => (t.length > tokens[b]!.length ? j : b), 0);
    const t = tokens[i]!;
    const at = 1 + Math.floor(r() * Math.max(1, t.length - 2));
    const op = Math.floor(r() * 3);
    tokens[i] = op === 0 ? t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2) : op === 1 ? t.slice(0, at) + t.slice(at + 1) : `${t.slice(0, at)}e${t.slice(at + 1)}`;
  } else if (k === 2) {
    // passport spelling variants of romanized names
    for (let j = 0; j < tokens.length; j++) tokens[j] = tokens[j]!.replace(/ph/gi, 'p').replace(/th/gi, 't').replace(/i$/i, 'ee').replace(/w/gi, 'v');
  }
  return tokens.join(' ').toUpperCase();
}

function makeQueries(n: number, list: SynthPerson[]): Query[] {
  const r = rng(7);
  // Names as sorted token sets: "Vu Xuan Thao" and "Xuan Thao Vu" are the same name.
  const key = (x: string): string => x.toLowerCase().split(/\s+/).sort().join(' ');
  const names = new Set(list.flatMap((p) => p.names.map(key)));
  const byCulture = new Map<string, SynthPerson[]>();
  for (const p of list.slice(0, 200000)) byCulture.set(p.culture, [...(byCulture.get(p.culture) ?? []), p]);
  const out: Query[] = [];
  while (out.length < n) {
    const p = list[Math.floor(r() * list.length)]!;
    if (out.length % 2 === 0) out.push({ name: damage(p, r), dateOfBirth: p.dateOfBirth, answer: p.id });
    else {
      // Not listed: a listed surname with another given name of the same culture, unlisted as a combination.
      const pool = byCulture.get(p.culture)!;
      const other = pool[Math.floor(r() * pool.length)]!;
      const name = `${other.given} ${p.surname}`;
      if (other.given === p.given || names.has(key(name))) continue;
      out.push({ name: name.toUpperCase(), dateOfBirth: `${1950 + Math.floor(r() * 55)}-06-15`, answer: null });
    }
  }
  return out;
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]! };
}

interface EngineReport {
  engine: string;
  entries: number;
  buildMs: number;
  firstAnswerMs: number;
  medianMs: number;
  p95Ms: number;
  batchPerSec: number;
  peakRssMb: number;
  recall: number;
  positives: number;
  falseReview: number;
  falseStrong: number;
  negatives: number;
  sweep?: { threshold: number; recall: number; falseAlerts: number }[];
  sampleMedianMs?: number;
}

function runOurs(n: number, nq: number): EngineReport {
  const list = [...synthesize(n)];
  const queries = makeQueries(nq, list);
  const t0 = performance.now();
  const index = new MatchIndex(list.map((p) => ({ id: p.id, names: p.names, dateOfBirth: p.dateOfBirth, sex: p.sex, nationalities: [p.nationality], documents: [p.document] })));
  list.length = 0;
  const buildMs = performance.now() - t0;
  const opts = { top: 3, minScore: DEFAULT_THRESHOLDS.weak, retrieveAbove: REVIEW };
  const f0 = performance.now();
  index.match({ names: [queries[0]!.name] }, opts);
  const firstAnswerMs = performance.now() - f0;
  const lat: number[] = [];
  let found = 0, positives = 0, falseReview = 0, falseStrong = 0, negatives = 0;
  const b0 = performance.now();
  for (const q of queries) {
    const s = performance.now();
    const hits = index.match({ names: [q.name], dateOfBirth: q.dateOfBirth }, opts);
    lat.push(performance.now() - s);
    if (q.answer) {
      positives++;
      if (hits.some((h) => h.entryId === q.answer && h.score >= REVIEW)) found++;
    } else {
      negatives++;
      if (hits.some((h) => h.score >= REVIEW)) falseReview++;
      if (hits.some((h) => h.score >= STRONG)) falseStrong++;
    }
  }
  const batchMs = performance.now() - b0;
  const sample = lat.slice(0, FUSE_SAMPLE);
  const { median, p95 } = stats(lat);
  return {
    engine: 'Watchdesk', entries: index.size, buildMs, firstAnswerMs, medianMs: median, p95Ms: p95, batchPerSec: (queries.length / batchMs) * 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024, recall: found, positives, falseReview, falseStrong, negatives, sampleMedianMs: stats(sample).median,
  };
}

function runFuse(n: number, nq: number): EngineReport {
  const list = [...synthesize(n)];
  const queries = makeQueries(nq, list).slice(0, FUSE_SAMPLE);
  const t0 = performance.now();
  const fuse = new Fuse(list.map((p) => ({ id: p.id, names: p.names })), FUSE_OPTIONS);
  const buildMs = performance.now() - t0;
  const lat: number[] = [];
  const results: { q: Query; hits: { id: string; score: number }[] }[] = [];
  for (const q of queries) {
    const s = performance.now();
    const hits = fuse.search(q.name, { limit: 3 }).map((h) => ({ id: h.item.id, score: 1 - (h.score ?? 1) }));
    lat.push(performance.now() - s);
    results.push({ q, hits });
  }
  const sweep = [0.5, 0.6, 0.7, 0.8].map((threshold) => ({
    threshold,
    recall: results.filter((r) => r.q.answer && r.hits.some((h) => h.id === r.q.answer && h.score >= threshold)).length,
    falseAlerts: results.filter((r) => !r.q.answer && r.hits.some((h) => h.score >= threshold)).length,
  }));
  const { median, p95 } = stats(lat);
  const at = sweep.find((s) => s.threshold === 0.7)!;
  return {
    engine: 'fuse.js', entries: n, buildMs, firstAnswerMs: lat[0]!, medianMs: median, p95Ms: p95, batchPerSec: 1000 / median,
    peakRssMb: process.resourceUsage().maxRSS / 1024, recall: at.recall, positives: results.filter((r) => r.q.answer).length,
    falseReview: at.falseAlerts, falseStrong: sweep.find((s) => s.threshold === 0.8)!.falseAlerts, negatives: results.filter((r) => !r.q.answer).length, sweep,
  };
}

function child(engine: string, n: number, nq: number): EngineReport {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', import.meta.filename, `--child=${engine}`, String(n), String(nq)], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as EngineReport;
}

const arg = process.argv.find((a) => a.startsWith('--child='));
const rest = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(rest[0] ?? 1_000_000);
const NQ = Number(rest[1] ?? 2000);
if (arg) {
  const r = arg.endsWith('ours') ? runOurs(N, NQ) : runFuse(N, NQ);
  process.stdout.write(`${JSON.stringify(r)}\n`);
} else if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  scaleBench(N, NQ);
}

/** Runs both engines in their own processes and prints the comparison. */
export function scaleBench(n = N, nq = NQ): void {
  const ours = child('ours', n, nq);
  const fuse = child('fuse', n, nq);
  const f = (x: number, d = 1) => x.toFixed(d);
  console.log(`\nScale benchmark: ${n.toLocaleString('en')} synthetic entries with aliases; ${nq} queries (half listed with damage, half unlisted sharing a surname); fuse.js timed on the first ${FUSE_SAMPLE}\n`);
  console.log('| engine | build index s | first answer ms | median ms | p95 ms | batch / s | peak RSS MB | recall (≥ review, top 3) | false alerts ≥ review | ≥ strong |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of [ours, fuse]) {
    console.log(`| ${r.engine} | ${f(r.buildMs / 1000)} | ${f(r.firstAnswerMs)} | ${f(r.medianMs, 2)} | ${f(r.p95Ms, 2)} | ${f(r.batchPerSec)} | ${f(r.peakRssMb, 0)} | ${r.recall}/${r.positives} | ${r.falseReview}/${r.negatives} | ${r.falseStrong}/${r.negatives} |`);
  }
  console.log(`\nfuse.js threshold sweep on its ${FUSE_SAMPLE}-query sample (score = 1 - fuse score): ${fuse.sweep!.map((s) => `≥${s.threshold}: recall ${s.recall}, false alerts ${s.falseAlerts}`).join('; ')}`);
  console.log(`median latency ratio on the same first ${FUSE_SAMPLE} queries: fuse.js ${f(fuse.medianMs, 1)} ms / Watchdesk ${f(ours.sampleMedianMs!, 2)} ms = ${f(fuse.medianMs / ours.sampleMedianMs!, 0)}x`);
}
