/**
 * The centre's commands of `watchdesk` against a real PostgreSQL centre started by the test (issue
 * 16), spawned as a user runs them (bin/watchdesk.mjs): `central init`, `desk register` (the root
 * key pinned with --root), `central trust`, `central publish`, `sync` (text and JSON, and another
 * address with --central), `central retire`, `central verify`, `central revoke --desk|--key`,
 * `central purge`. Neither the administrator's password nor a desk's ever appears in any output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/api/engine';
import { connectCentral, redactUrl, withCredentials } from '../../electron/core/central/connect';
import { FIXTURES, PASSPHRASE, PASSWORD } from '../unit/helpers';
import { startTestCentre, type TestCentre } from './centre';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
const DEPARTMENT_PASSPHRASE = 'made-up department passphrase for the cli';

let centre: TestCentre;
let dir: string;
let ca: string;
/** Everything every command printed, to check that no password ever shows. */
const printed: string[] = [];

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined,
      WATCHDESK_CENTRAL_PASSPHRASE: DEPARTMENT_PASSPHRASE, WATCHDESK_CENTRAL_PASSWORD: undefined, ...env,
    },
  });
  printed.push(r.stdout, r.stderr);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(args: string[], env: Record<string, string | undefined> = {}): string {
  const r = run(args, env);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return r.out;
}

/** The desk's own centre URL, read from its encrypted settings (to check it never shows). */
async function deskUrl(db: string): Promise<string> {
  const engine = new Engine({ dbPath: db });
  try {
    await engine.signIn('admin', PASSWORD);
    return engine.setting('central.url')!;
  } finally {
    engine.close();
  }
}

beforeAll(async () => {
  centre = await startTestCentre();
  dir = mkdtempSync(join(tmpdir(), 'wd-central-cli-'));
  ca = join(dir, 'centre.pem');
  writeFileSync(ca, centre.cluster.certificate);
}, 180_000);

afterAll(async () => {
  await centre?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('watchdesk central, desk register, sync', () => {
  it('runs the centre from the command line end to end, never printing a password', async () => {
    const url = centre.admin.url;
    const adminPassword = centre.cluster.password;
    const hq = join(dir, 'hq.db');
    const gate = join(dir, 'gate.db');

    // central init: the password may come from the environment instead of the URL; safe to run again.
    const init = JSON.parse(ok(['--format', 'json', 'central', 'init', '--url', withCredentials(url, { password: '' }), '--ca', ca, '--department', 'Made-up Department'], { WATCHDESK_CENTRAL_PASSWORD: adminPassword }));
    expect(init).toMatchObject({ department: 'Made-up Department', created: true, centre: redactUrl(url) });
    expect(init.rootFingerprint).toMatch(/^[0-9a-f]{32}$/);
    const again = ok(['central', 'init', '--url', url, '--ca', ca]);
    expect(again).toMatch(/schema already current/);
    expect(again).toMatch(/department already recorded: Made-up Department/);
    const wrongPass = run(['central', 'init', '--url', url, '--ca', ca], { WATCHDESK_CENTRAL_PASSPHRASE: 'another made-up passphrase' });
    expect(wrongPass.code).toBe(1);
    const badCa = join(dir, 'not-a-cert.pem');
    writeFileSync(badCa, 'hello');
    expect(run(['central', 'init', '--url', url, '--ca', badCa]).err).toMatch(/is not a PEM certificate/);

    // desk register: a desk whose admin signs in; a wrong --root stops it before anything is registered.
    ok(['--db', hq, 'init', '--checkpoint', 'Headquarters', '--timezone', 'Asia/Bangkok']);
    ok(['--db', gate, 'init', '--checkpoint', 'Gate', '--timezone', 'Asia/Bangkok']);
    const wrongRoot = run(['--db', gate, 'desk', 'register', '--central', url, '--ca', ca, '--checkpoint', 'Checkpoint A', '--desk', 'Gate A1', '--root', 'ffff'.repeat(8)]);
    expect(wrongRoot.code).toBe(1);
    expect(wrongRoot.err).toMatch(/not the one given with --root: nothing was registered\. Check --root against the department's own copy/);
    expect(wrongRoot.err.replace(/\s+/g, '')).not.toContain(init.rootFingerprint);
    const grouped = (init.rootFingerprint as string).replace(/(.{4})(?=.)/g, '$1 ').toUpperCase();
    const regHq = JSON.parse(ok(['--db', hq, '--format', 'json', 'desk', 'register', '--central', url, '--ca', ca, '--checkpoint', 'Headquarters', '--desk', 'HQ', '--publisher', '--root', grouped]));
    expect(regHq).toMatchObject({ deskName: 'HQ', checkpoint: 'Headquarters', publisher: true, rootFingerprint: init.rootFingerprint });
    expect(regHq.waiting.audit).toBeGreaterThan(0);
    const regGateRun = run(['--db', gate, 'desk', 'register', '--central', url, '--ca', ca, '--checkpoint', 'Checkpoint A', '--desk', 'Gate A1', '--root', init.rootFingerprint]);
    expect(regGateRun.code, regGateRun.err).toBe(0);
    // The desk was set up as "Gate": registering it under another checkpoint name is said, not silent.
    expect(regGateRun.err).toBe('note: this desk\'s own checkpoint is "Gate"; at the centre it is "Checkpoint A" (its crossings are counted there under "Checkpoint A")\n');
    const regGate = regGateRun.out;
    expect(regGate).toMatch(/joined the centre at postgres:\/\/watchdesk_admin@127\.0\.0\.1:\d+\/watchdesk as desk Gate A1 of checkpoint Checkpoint A/);
    expect(run(['--db', gate, 'desk', 'register', '--central', url, '--ca', ca, '--checkpoint', 'Checkpoint A']).err).toMatch(/already joined a centre as Gate A1/);
    // Only the two desks exist at the centre (the refused registration made none).
    const desks = await (async () => {
      const c = await connectCentral(centre.admin);
      try {
        return (await c.query<{ name: string }>('SELECT name FROM wd.desks ORDER BY name')).rows.map((r) => r.name);
      } finally {
        await c.end();
      }
    })();
    expect(desks).toEqual(['Gate A1', 'HQ']);
    // Only an admin of the desk registers it or acts on the centre from it.
    ok(['--db', gate, 'users', 'add', 'officer1', '--roles', 'officer'], { WATCHDESK_NEW_PASSWORD: 'officer pass 1234' });
    const notAdmin = run(['--db', gate, '--user', 'officer1', 'central', 'purge', '--days', '30', '--url', url, '--ca', ca], { WATCHDESK_PASSWORD: 'officer pass 1234' });
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.err).toMatch(/officer1 is not an admin of this desk/);

    // import and publish at HQ.
    // trust: the supervisor named by --user signs in (their own password) and their key is certified.
    expect(run(['--db', gate, '--user', 'officer1', 'central', 'trust', '--url', url, '--ca', ca], { WATCHDESK_PASSWORD: 'officer pass 1234' }).err).toMatch(/officer1 is not a supervisor/);
    const trust = ok(['--db', hq, '--user', 'admin', 'central', 'trust', '--url', url, '--ca', ca]);
    expect(trust).toMatch(/certified admin's key [0-9a-f ]{39} as a publisher's/);
    ok(['--db', hq, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']);
    const pub = ok(['--db', hq, 'central', 'publish', '--list', 'warrants']);
    expect(pub).toMatch(/^published Warrants version 1 \(5 entries\) at the centre as publication #1, signed by [0-9a-f ]+\n$/);
    const gatePublish = run(['--db', gate, 'central', 'publish', '--list', 'Warrants']);
    expect(gatePublish.code).toBe(1);

    // sync at the gate: JSON, then text; the list arrives and screening finds it.
    const first = JSON.parse(ok(['--db', gate, '--format', 'json', 'sync']));
    expect(first).toMatchObject({ pulled: 1, refused: 0, waiting: 0, lists: [{ listName: 'Warrants', seq: 1, entries: 5 }] });
    expect(first.sent.users).toBe(2);
    const hit = JSON.parse(ok(['--db', gate, '--format', 'json', 'match', '--name', 'Sompong Thotsobdi', '--dob', '1987-03-14']));
    expect(hit.hits[0]).toMatchObject({ list: 'Warrants', band: 'strong' });
    const second = ok(['--db', gate, 'sync']);
    expect(second).toMatch(/^pulled 0 list publication\(s\)\nrefused 0\npushed \d+ row\(s\): 0 crossings, 0 hits, 0 hit events, \d+ audit rows, 0 accounts\nwaiting 0\n$/);
    // Another address of the same centre for one sync: the desk's own credentials, never one given.
    ok(['--db', gate, 'sync', '--central', `postgres://127.0.0.1:${centre.cluster.port}/watchdesk`]);
    const withUser = run(['--db', gate, 'sync', '--central', url]);
    expect(withUser.code).toBe(1);
    expect(withUser.err).toMatch(/neither user nor password/);
    // An officer may sync too.
    ok(['--db', gate, '--user', 'officer1', 'sync'], { WATCHDESK_PASSWORD: 'officer pass 1234' });

    // retire at HQ: the gate stops screening the list at its next sync.
    expect(ok(['--db', hq, 'central', 'retire', '--list', 'Warrants'])).toMatch(/^retired Warrants at the centre as publication #2/);
    expect(ok(['--db', gate, 'sync'])).toMatch(/^pulled 1 list publication\(s\): Warrants \(#2/);
    expect(JSON.parse(ok(['--db', gate, '--format', 'json', 'match', '--name', 'Sompong Thotsobdi', '--dob', '1987-03-14'])).hits).toEqual([]);

    // verify: every desk's chain as pushed is intact.
    const verify = ok(['central', 'verify', '--url', url, '--ca', ca]);
    // Each desk with its short id; "intact, N rows" said once.
    expect(verify).toMatch(/^Gate A1 \[[0-9a-f]{8}\]\tintact, \d+ rows$/m);
    expect(verify).toMatch(/^HQ \[[0-9a-f]{8}\]\tintact, \d+ rows$/m);
    expect(verify).not.toMatch(/intact.*intact/);

    // purge at the centre, audited on the desk it was run from.
    expect(ok(['--db', hq, 'central', 'purge', '--days', '30', '--url', url, '--ca', ca])).toMatch(/^purged 0 crossings, 0 hits and 0 hit events at the centre from before /);
    expect(run(['--db', hq, 'central', 'purge', '--days', '0', '--url', url, '--ca', ca]).err).toMatch(/--days takes a whole number/);

    // revoke: the desk's credentials stop working at once; the key's revocation is recorded.
    const gateUrl = await deskUrl(gate);
    const hqUrl = await deskUrl(hq);
    expect(ok(['--db', hq, 'central', 'revoke', '--desk', 'Gate A1', '--url', url, '--ca', ca])).toMatch(/^revoked desk Gate A1 /);
    const refused = run(['--db', gate, 'sync']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^watchdesk: the centre refused this desk's credentials/);
    const fp = trust.match(/key ([0-9a-f ]{39})/)![1]!;
    expect(ok(['--db', hq, 'central', 'revoke', '--key', fp, '--url', url, '--ca', ca])).toMatch(/^revoked key .* \(admin\)/);
    expect(run(['--db', hq, 'central', 'revoke', '--url', url, '--ca', ca]).err).toMatch(/--desk NAME or --key FINGERPRINT/);
    // verify marks the revoked desk, so a new desk reusing its name is told apart.
    expect(ok(['central', 'verify', '--url', url, '--ca', ca])).toMatch(/^Gate A1 \[[0-9a-f]{8}\] \(revoked\)\tintact, \d+ rows$/m);

    // The desk's trail holds what was done from it.
    const audit = JSON.parse(ok(['--db', hq, '--format', 'json', 'audit', 'list', '--limit', '1000'])) as { entries: { action: string }[] } | { action: string }[];
    const actions = (Array.isArray(audit) ? audit : audit.entries).map((e) => e.action);
    for (const a of ['central.join', 'central.trust', 'central.publish', 'central.retire', 'central.revokeDesk', 'central.revokeKey', 'central.purge']) expect(actions, a).toContain(a);

    // No password anywhere in what the commands printed.
    const all = printed.join('\n');
    for (const secret of [adminPassword, new URL(gateUrl).password, new URL(hqUrl).password]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(all).not.toContain(secret);
      expect(all).not.toContain(encodeURIComponent(secret));
    }
  }, 600_000);
});
