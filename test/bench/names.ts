/**
 * Name-matching accuracy benchmarks (part of `npm run bench:match`):
 *  - OpenSanctions' name-pair benchmark (Person rows), beside the frozen logic-v2 run;
 *  - the Thai set (test/fixtures/eval/thai-latin-names.csv, spelled by hand or published) with
 *    Thai-script names from ../shared/data/names as the rest of the list, both directions;
 *  - Chinese surname variants, Han to pinyin, Wade-Giles and name order
 *    (test/fixtures/eval/chinese-names.csv).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { MatchIndex, type MatchableEntry } from '../../electron/core/matching/matcher';
import { DEFAULT_THRESHOLDS } from '../../shared/domain';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(ROOT, '../shared/data');
const REVIEW = DEFAULT_THRESHOLDS.review;

function csv<T>(path: string): T[] {
  return Papa.parse<T>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

function entry(id: string, name: string): MatchableEntry {
  return { id, names: [name], dateOfBirth: null, sex: null, nationalities: [], documents: [] };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run screens the same names. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function prf(tp: number, fp: number, fn: number): { p: number; r: number; f1: number } {
  const p = tp / (tp + fp || 1);
  const r = tp / (tp + fn || 1);
  return { p, r, f1: (2 * p * r) / (p + r || 1) };
}

export function namePairBench(): { p: number; r: number; f1: number } | null {
  const file = join(SHARED, 'eval/name_bench_cases.csv');
  if (!existsSync(file)) {
    console.log(`name-pair benchmark: ${file} is absent; skipped.`);
    return null;
  }
  interface Row { schema: string; name1: string; name2: string; is_match: string; score?: string; category: string }
  const rows = csv<Row>(file).filter((r) => r.schema === 'Person');
  let tp = 0, fp = 0, fn = 0;
  for (const r of rows) {
    const s = new MatchIndex([entry('e', r.name1)]).match({ names: [r.name2] }, { minScore: 0 })[0]?.score ?? 0;
    const pred = s >= REVIEW;
    const truth = r.is_match === 'true';
    if (pred && truth) tp++;
    else if (pred) fp++;
    else if (truth) fn++;
  }
  const ours = prf(tp, fp, fn);
  const lv = csv<Row>(join(SHARED, 'eval/name_bench_logicv2_frozen.csv')).filter((r) => r.schema === 'Person');
  let a = 0, b = 0, c = 0;
  for (const r of lv) {
    const pred = Number(r.score) >= 0.7;
    const truth = r.is_match === 'true';
    if (pred && truth) a++;
    else if (pred) b++;
    else if (truth) c++;
  }
  const ref = prf(a, b, c);
  console.log('\nName-pair benchmark (nomenklatura name_bench, Person rows)\n');
  console.log('| matcher | threshold | pairs | precision | recall | F1 |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| Watchdesk | ${REVIEW} (review) | ${rows.length} | ${ours.p.toFixed(3)} | ${ours.r.toFixed(3)} | ${ours.f1.toFixed(3)} |`);
  console.log(`| logic-v2 (frozen run) | 0.7 | ${lv.length} | ${ref.p.toFixed(3)} | ${ref.r.toFixed(3)} | ${ref.f1.toFixed(3)} |`);
  return ours;
}

function thaiCorpus(): { given: string[]; family: string[] } | null {
  const dir = join(SHARED, 'names');
  if (!existsSync(dir)) return null;
  const lines = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { given: [...lines('male_names_th.txt'), ...lines('female_names_th.txt')], family: lines('family_names_th.txt') };
}

export function thaiBench(): void {
  const pairs = csv<{ thai: string; latin: string }>(join(ROOT, 'test/fixtures/eval/thai-latin-names.csv'));
  const corpus = thaiCorpus();
  const random = rng(20261129);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const padding: string[] = [];
  const negatives: string[] = [];
  if (corpus) {
    for (let i = 0; i < 5000; i++) padding.push(`${pick(corpus.given)} ${pick(corpus.family)}`);
    for (let i = 0; i < 2000; i++) negatives.push(`${pick(corpus.given)} ${pick(corpus.family)}`);
  } else console.log(`Thai set: ${join(SHARED, 'names')} is absent; the list holds the set only.`);

  const run = (listNames: string[], queries: string[]) => {
    const idx = new MatchIndex([...listNames.map((n, i) => entry(`p${i}`, n)), ...padding.map((n, i) => entry(`x${i}`, n))]);
    let found = 0;
    const misses: string[] = [];
    queries.forEach((q, i) => {
      const hits = idx.match({ names: [q] }, { top: 3 }).filter((h) => h.score >= REVIEW);
      if (hits.some((h) => h.entryId === `p${i}`)) found++;
      else misses.push(`${q} -> ${listNames[i]} (${idx.match({ names: [q] }, { top: 50, minScore: 0 }).find((h) => h.entryId === `p${i}`)?.score ?? 0})`);
    });
    const falseAlerts = negatives.filter((q) => idx.match({ names: [q] }, { top: 1 }).some((h) => h.score >= REVIEW && h.entryId.startsWith('p'))).length;
    return { found, misses, falseAlerts };
  };
  const toLatin = run(pairs.map((p) => p.thai), pairs.map((p) => p.latin));
  const toThai = run(pairs.map((p) => p.latin), pairs.map((p) => p.thai));
  console.log(`\nThai set (${pairs.length} names spelled by hand or published; list padded with ${padding.length} Thai-script names from the corpus)\n`);
  console.log('| direction | recall (top 3, ≥ review) | false alerts on the set (of ' + negatives.length + ' other Thai names) |');
  console.log('|---|---|---|');
  console.log(`| Thai-script list, romanized traveler | ${toLatin.found}/${pairs.length} | ${toLatin.falseAlerts} |`);
  console.log(`| romanized list, Thai-script traveler | ${toThai.found}/${pairs.length} | ${toThai.falseAlerts} |`);
  if (process.env.VERBOSE) for (const m of [...toLatin.misses, ...toThai.misses]) console.log(`  miss: ${m}`);
}

export function chineseBench(): void {
  const rows = csv<{ list_name: string; traveler_name: string; is_match: string; note: string }>(join(ROOT, 'test/fixtures/eval/chinese-names.csv'));
  let right = 0;
  const wrong: string[] = [];
  for (const r of rows) {
    const s = new MatchIndex([entry('e', r.list_name)]).match({ names: [r.traveler_name] }, { minScore: 0 })[0]?.score ?? 0;
    if ((s >= REVIEW) === (r.is_match === 'true')) right++;
    else wrong.push(`${r.list_name} vs ${r.traveler_name}: ${s} (${r.note})`);
  }
  console.log(`\nChinese names (surname variants, Han to pinyin, Wade-Giles, order): ${right}/${rows.length} decided right at review`);
  if (process.env.VERBOSE) for (const w of wrong) console.log(`  wrong: ${w}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  namePairBench();
  thaiBench();
  chineseBench();
}
