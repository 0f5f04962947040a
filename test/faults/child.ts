/**
 * Child process of the kill campaign (campaign.ts): opens the desk in the folder given on the
 * command line, signs in, says READY, then repeats one kind of work until the parent kills it
 * with SIGKILL. Each piece of work is acknowledged on stdout only once the engine has answered
 * (`ACK ...`); a file is announced with the SHA-256 it will have (`WILL name sha`) before it is
 * written with the app's safe writer. The lines are written with a blocking write so that a line
 * the parent reads is one the child really reached.
 *
 * Usage: node --import tsx child.ts <dir> <op> ; WATCHDESK_PASSWORD, WATCHDESK_PASSPHRASE set.
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { writeFileSafe } from '../../electron/core/files';
import { FAULT_OPS, LIST_NAME, syntheticList, type FaultOp } from './work';

const [dir, op] = process.argv.slice(2) as [string, FaultOp];
if (!FAULT_OPS.includes(op)) throw new Error(`unknown op ${op}`);
const password = process.env.WATCHDESK_PASSWORD!;
const passphrase = process.env.WATCHDESK_PASSPHRASE!;

/** Writes one line with blocking writes (retrying a full, non-blocking pipe). */
function say(line: string): void {
  const buf = Buffer.from(`${line}\n`);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

const engine = new Engine({ dbPath: join(dir, 'watchdesk.db') });
const api = createClient((r) => engine.handle(r));
await api.call('auth.signIn', { username: 'admin', password });
// Screening waits for the match index of the published list (built in the background at start).
if (op === 'crossing') await engine.indexSettled();
say('READY');

for (let n = 1; ; n++) {
  if (op === 'import') {
    const r = await api.call('watchlists.import', { listName: LIST_NAME, fileName: `list-${n}.csv`, contentBase64: syntheticList(n) });
    say(`ACK import ${r.versionNumber}`);
  } else if (op === 'crossing') {
    const s = await api.call('screening.screen', { traveler: { fullName: `FAULTTRAVELER NUMBER${n} KILLTEST`, nationality: 'THA' } });
    const c = await api.call('crossings.record', { screeningId: s.screeningId, direction: n % 2 ? 'entry' : 'exit', outcome: 'passed' });
    say(`ACK crossing ${c.id}`);
  } else if (op === 'export' || op === 'backup') {
    const r = op === 'export'
      ? await api.call('crossings.export', { format: n % 2 ? 'csv' : 'xlsx' })
      : await api.call('backup.create', { recoveryPassphrase: passphrase });
    const name = `${op}-${n}-${r.fileName}`;
    const content = Buffer.from(r.contentBase64, 'base64');
    say(`WILL ${name} ${r.sha256}`);
    writeFileSafe(join(dir, 'out', name), content);
    say(`ACK file ${name} ${r.sha256}`);
  } else {
    await api.call('keys.rotate', { password, recoveryPassphrase: passphrase });
    say('ACK rotate');
  }
}
