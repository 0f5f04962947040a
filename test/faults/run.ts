/**
 * The full kill campaign (`npm run faults`, or `npm run faults -- --kills 1000 --jobs 2 --seed 7`):
 * SIGKILL at random moments across import publication, crossing saves, exports, key rotation and
 * backups (campaign.ts), every trial checked. Prints a table per kind of work and exits 1 when any
 * trial found a problem (the trial's folder is then kept and named).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeTemplate, rng, runTrial, type TrialResult } from './campaign';
import { FAULT_OPS } from './work';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '1000' }, jobs: { type: 'string', default: '2' }, seed: { type: 'string', default: '20261206' } } });
const kills = Number(values.kills);
const jobs = Math.max(1, Number(values.jobs));
const seed = Number(values.seed);
const random = rng(seed);

const t0 = performance.now();
const template = await makeTemplate();
const work = mkdtempSync(join(tmpdir(), 'watchdesk-faults-'));
const results: TrialResult[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < kills) {
    const i = next++;
    const op = FAULT_OPS[i % FAULT_OPS.length]!;
    const r = await runTrial(template, work, op, random);
    results.push(r);
    if (r.problems.length) console.log(`trial ${i} (${op}, killed after ${r.killedAfterMs} ms): ${r.problems.join('; ')}`);
    if (results.length % 50 === 0) console.log(`${results.length}/${kills} kills, ${results.filter((x) => x.problems.length).length} failed`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
rmSync(template, { recursive: true, force: true });
if (!results.some((r) => r.problems.length)) rmSync(work, { recursive: true, force: true });

console.log(`\nKill campaign: ${kills} SIGKILLs, seed ${seed}, ${jobs} at a time, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
console.table(FAULT_OPS.map((op) => {
  const rs = results.filter((r) => r.op === op);
  return {
    work: op, kills: rs.length, 'killed after an ack': rs.filter((r) => r.acks > 0).length, 'acks checked': rs.reduce((n, r) => n + r.acks, 0),
    'temp files left': rs.reduce((n, r) => n + r.temps, 0), failed: rs.filter((r) => r.problems.length).length,
  };
}));
process.exit(results.some((r) => r.problems.length) ? 1 : 0);
