/**
 * A sample of the kill campaign (test/faults/campaign.ts; the full 1,000-kill run is `npm run
 * faults`): two SIGKILLs for each kind of work (import publication, crossing saves, exports, key
 * rotation, backups), each followed by the full check: the desk opens, `audit verify` passes,
 * nothing acknowledged is lost, no file under a final name is incomplete, every file is private.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTemplate, rng, runTrial } from '../faults/campaign';
import { FAULT_OPS } from '../faults/work';

let template = '';
let work = '';
beforeAll(async () => {
  template = await makeTemplate();
  work = mkdtempSync(join(tmpdir(), 'watchdesk-faults-'));
}, 60_000);
afterAll(() => {
  rmSync(template, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('SIGKILL at random moments', () => {
  const random = rng(Number(process.env.WATCHDESK_FAULT_SEED ?? 15));
  for (const op of FAULT_OPS) {
    it(`${op}: two kills leave the desk whole`, async () => {
      for (let i = 0; i < 2; i++) {
        const r = await runTrial(template, work, op, random);
        expect(r.problems, `killed after ${r.killedAfterMs} ms`).toEqual([]);
      }
    }, 240_000);
  }
});
