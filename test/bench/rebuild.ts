/**
 * Rebuild benchmark (a step of `npm run bench -- scale`, or `npm run bench -- rebuild`): the
 * engine in its own thread (EngineHost, as Electron's main process and the harness run it) over
 * the scale benchmark's encrypted database. Calls are made one at a time from this thread, where
 * the main process or the harness sees them: list views, status, screening, and sign-ins. First
 * with no rebuild running, then while a publication makes the engine build a new index of every
 * entry beside the one that answers. Reports each call's median, p99 and maximum latency in both
 * conditions, this thread's event-loop delay, the rebuild's duration and the process's peak memory
 * (both indexes live in this process's worker threads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createClient, type ApiClient } from '../../shared/client';
import { EngineHost } from '../../electron/core/host/engine-host';

interface Query {
  name: string;
  dateOfBirth?: string;
}

export interface RebuildReport {
  entries: number;
  rebuildMs: number;
  peakRssMb: number;
  rows: { call: string; phase: 'idle' | 'rebuild'; calls: number; medianMs: number; p99Ms: number; maxMs: number }[];
  loopP99Ms: { idle: number; rebuild: number };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};

/** Runs the call mix until `until()` says stop (and at least `min` rounds); latencies by call. */
async function mix(api: ApiClient, signIn: () => Promise<unknown>, queries: Query[], until: () => Promise<boolean>, min: number): Promise<Map<string, number[]>> {
  const lat = new Map<string, number[]>();
  const time = async (name: string, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    const ms = performance.now() - t0;
    lat.set(name, [...(lat.get(name) ?? []), ms]);
  };
  for (let round = 0; round < min || !(await until()); round++) {
    const q = queries[round % queries.length]!;
    await time('screening.screen', () => api.call('screening.screen', { traveler: { fullName: q.name, dateOfBirth: q.dateOfBirth } }));
    await time('watchlists.list', () => api.call('watchlists.list'));
    await time('app.status', () => api.call('app.status'));
    await time('crossings.list', () => api.call('crossings.list', { limit: 50 }));
    if (round % 10 === 0) await time('auth.signIn', signIn);
  }
  return lat;
}

/** The benchmark over the database in `dir` (bench.db, queries.json, as scale.ts prepares them). */
export async function rebuildBench(dir: string, credentials: { username: string; password: string }): Promise<RebuildReport> {
  const queries = (JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')) as Query[]).slice(0, 400);
  const host = await EngineHost.start({ dbPath: join(dir, 'bench.db'), log: (l) => process.stderr.write(`  engine: ${l}\n`) });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const api = createClient((r) => host.handle(r));
    await api.call('auth.signIn', credentials);
    const other = createClient((r) => host.handle(r));
    const signIn = () => other.call('auth.signIn', credentials);
    const status = () => api.call('app.status').then((s) => s.index!);
    const settled = async () => {
      while (!(await status()).ready || (await status()).progress !== null) await new Promise((r) => setTimeout(r, 200));
    };
    // A small list whose next version will trigger the rebuild: its first version must be indexed
    // (a list with no indexed version makes screening wait, rather than miss it).
    const trigger = (n: number) => Buffer.from(`ID,Name\nR-1,Rebuild Benchmarkperson\nR-2,Version${n} Benchmarkperson\n`).toString('base64');
    await api.call('watchlists.import', { listName: 'rebuild trigger', kind: 'monitor', fileName: 'trigger.csv', contentBase64: trigger(1) });
    process.stderr.write('  rebuild: waiting for the first index\n');
    await settled();
    const entries = (await status()).entries;

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const idle = await mix(api, signIn, queries, async () => true, 300);
    const loopIdle = loop.percentile(99) / 1e6;
    loop.reset();

    // A new version of the small list makes the engine rebuild the whole index in the background;
    // the index answering keeps serving its previous version meanwhile.
    const t0 = performance.now();
    await api.call('watchlists.import', { listName: 'rebuild trigger', fileName: 'trigger.csv', contentBase64: trigger(2) });
    if ((await status()).progress === null) throw new Error('the publication started no rebuild');
    process.stderr.write('  rebuild: index building; calls running beside it\n');
    const during = await mix(api, signIn, queries, async () => (await status()).progress === null, 1);
    const rebuildMs = performance.now() - t0;
    const loopRebuild = loop.percentile(99) / 1e6;
    loop.disable();

    const rows: RebuildReport['rows'] = [];
    for (const [phase, lat] of [['idle', idle], ['rebuild', during]] as const) {
      for (const [call, xs] of lat) rows.push({ call, phase, calls: xs.length, medianMs: pct(xs, 0.5), p99Ms: pct(xs, 0.99), maxMs: Math.max(...xs) });
    }
    return { entries, rebuildMs, peakRssMb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20, rows, loopP99Ms: { idle: loopIdle, rebuild: loopRebuild } };
  } finally {
    clearInterval(sampler);
    await host.close();
  }
}

/** Prints the report as a table. */
export function printRebuild(r: RebuildReport): void {
  const f = (x: number, d = 1) => x.toFixed(d);
  console.log(`\nRebuild benchmark: ${r.entries.toLocaleString('en')} entries; the engine in its own thread; calls one at a time from the host thread, first with no rebuild, then during a full rebuild after a publication\n`);
  console.log('| call | phase | calls | median ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|---|');
  for (const row of [...r.rows].sort((a, b) => a.call.localeCompare(b.call) || a.phase.localeCompare(b.phase))) {
    console.log(`| ${row.call} | ${row.phase === 'idle' ? 'no rebuild' : 'during rebuild'} | ${row.calls} | ${f(row.medianMs, 2)} | ${f(row.p99Ms, 2)} | ${f(row.maxMs, 1)} |`);
  }
  console.log(`\nRebuild (publication to new index swapped in): ${f(r.rebuildMs / 1000)} s. Host thread event-loop delay p99: ${f(r.loopP99Ms.idle, 2)} ms with no rebuild, ${f(r.loopP99Ms.rebuild, 2)} ms during. Peak RSS (both indexes alive): ${f(r.peakRssMb, 0)} MB.`);
  console.log('Goals: p99 under 50 ms during the rebuild for list views, status and screening (sign-in includes Argon2id, 19 MiB, t=3, by design); peak under 2,048 MB at 1,000,000 entries.');
}
