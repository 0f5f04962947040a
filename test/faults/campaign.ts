/**
 * The kill campaign: a desk is prepared once (a template folder); each trial copies it, starts a
 * child (child.ts) that repeats one kind of work, kills it with SIGKILL at a random moment, and
 * then checks the folder as the next start of the app would find it:
 * - the database opens and the admin signs in;
 * - `audit verify` passes;
 * - nothing acknowledged is lost: every acknowledged crossing is there, every acknowledged list
 *   version is published, every acknowledged file is there with its SHA-256;
 * - no file looks complete that is not: every file with a final name has the SHA-256 the child
 *   announced before writing it (backups and exports);
 * - every file of the desk's folder is private (mode 0600).
 * Used by test/unit/faults.test.ts (a sample) and `npm run faults` (the full campaign).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { mulberry32 } from '../rng';
import { LIST_NAME, syntheticList, type FaultOp } from './work';

const CHILD = join(import.meta.dirname, 'child.ts');
export const PASSWORD = 'fault campaign password 1';
export const PASSPHRASE = 'fault campaign recovery passphrase';

/** Longest time (ms) after READY at which a child of each kind is killed; chosen so kills land before, inside and between pieces of work. */
const WINDOW: Record<FaultOp, number> = { import: 4000, crossing: 1500, export: 2000, rotate: 4000, backup: 3000 };

/** What one trial found. */
export interface TrialResult {
  op: FaultOp;
  /** Time between READY and the kill, ms. */
  killedAfterMs: number;
  /** Acknowledged pieces of work the child reported before the kill. */
  acks: number;
  /** Temporary files left beside the outputs (never under a final name). */
  temps: number;
  /** What was wrong, if anything (empty: the trial passed). */
  problems: string[];
}

/** A seeded random number generator (mulberry32, test/rng.ts), for reproducible kill moments. */
export const rng = mulberry32;

/** Prepares the template desk (set up, one list published, one crossing) in a new temporary folder. */
export async function makeTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'watchdesk-faults-template-'));
  const engine = new Engine({ dbPath: join(dir, 'watchdesk.db') });
  const api = createClient((r) => engine.handle(r));
  await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Fault Point', timeZone: 'Asia/Bangkok' });
  await api.call('watchlists.import', { listName: LIST_NAME, kind: 'wanted', fileName: 'list-0.csv', contentBase64: syntheticList(0) });
  await engine.indexSettled();
  const s = await api.call('screening.screen', { traveler: { fullName: 'FAULTTRAVELER TEMPLATE KILLTEST', nationality: 'THA' } });
  await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
  engine.close();
  return dir;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Runs one trial in a copy of `template` under `work`; the copy is removed unless `keep`. */
export async function runTrial(template: string, work: string, op: FaultOp, random: () => number, keep = false): Promise<TrialResult> {
  const dir = mkdtempSync(join(work, `${op}-`));
  cpSync(template, dir, { recursive: true });
  mkdirSync(join(dir, 'out'), { mode: 0o700 });
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, op], {
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_c, s) => ok(s)));
  const delay = Math.round(random() * WINDOW[op]);
  await new Promise<void>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`the ${op} child never got ready: ${err.slice(0, 500)}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      const before = out.includes('READY\n');
      out += d.toString();
      if (!before && out.includes('READY\n')) {
        clearTimeout(t);
        setTimeout(() => child.kill('SIGKILL'), delay);
        ok();
      }
    });
    void exited.then(() => fail(new Error(`the ${op} child stopped before READY: ${err.slice(0, 500)}`)));
  });
  const signal = await exited;
  const problems: string[] = [];
  if (signal !== 'SIGKILL') problems.push(`the child ended by itself (${signal ?? 'exit'}): ${err.slice(0, 300)}`);
  // Only whole lines count (a line cut by the kill was never acknowledged).
  const lines = out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
  const acks = lines.filter((l) => l.startsWith('ACK '));
  const r = { op, killedAfterMs: delay, acks: acks.length, temps: 0, problems };
  try {
    await check(dir, lines, r);
  } finally {
    if (!keep && !problems.length) rmSync(dir, { recursive: true, force: true });
    else if (problems.length) problems.push(`kept in ${dir}`);
  }
  return r;
}

async function check(dir: string, lines: string[], r: TrialResult): Promise<void> {
  const { problems } = r;
  const announced = new Map(lines.filter((l) => l.startsWith('WILL ')).map((l) => l.split(' ').slice(1) as [string, string]));
  // Files under final names must be complete: exactly what was announced.
  const out = join(dir, 'out');
  for (const name of readdirSync(out)) {
    if (name.endsWith('.tmp')) {
      r.temps++;
      continue;
    }
    const want = announced.get(name);
    if (!want) problems.push(`${name} exists but was never announced`);
    else if (sha(readFileSync(join(out, name))) !== want) problems.push(`${name} is under its final name but incomplete or different`);
  }
  for (const l of lines.filter((x) => x.startsWith('ACK file '))) {
    const [, , name, want] = l.split(' ') as [string, string, string, string];
    let got: string | null;
    try {
      got = sha(readFileSync(join(out, name)));
    } catch {
      got = null;
    }
    if (got !== want) problems.push(`acknowledged file ${name} is missing or different`);
  }

  const engine = new Engine({ dbPath: join(dir, 'watchdesk.db') });
  try {
    const api = createClient((q) => engine.handle(q));
    try {
      await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    } catch (e) {
      problems.push(`the desk does not open: ${(e as Error).message}`);
      return;
    }
    const v = await api.call('audit.verify');
    if (!v.ok) problems.push(`audit verify fails: ${JSON.stringify(v).slice(0, 300)}`);
    const list = (await api.call('watchlists.list')).find((l) => l.name === LIST_NAME);
    if (!list) problems.push('the list is gone');
    const imports = lines.filter((l) => l.startsWith('ACK import ')).map((l) => Number(l.split(' ')[2]));
    if (list && imports.length) {
      const versions = await api.call('watchlists.versions', { listId: list.id });
      for (const n of imports) {
        const found = versions.find((x) => x.number === n);
        if (!found || found.state === 'staging' || found.state === 'rejected') problems.push(`acknowledged version ${n} is not published (${found?.state ?? 'missing'})`);
      }
      if ((list.activeVersion?.number ?? 0) < Math.max(...imports)) problems.push('the active version is older than an acknowledged one');
    }
    const crossings = lines.filter((l) => l.startsWith('ACK crossing ')).map((l) => l.split(' ')[2]!);
    if (crossings.length) {
      const have = new Set((await api.call('crossings.list', { limit: 10000 })).crossings.map((c) => c.id));
      for (const id of crossings) if (!have.has(id)) problems.push(`acknowledged crossing ${id} is lost`);
    }
  } finally {
    engine.close();
  }
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    if (st.isFile() && (st.mode & 0o077) !== 0) problems.push(`${name} is not private (mode ${(st.mode & 0o777).toString(8)})`);
  }
}
