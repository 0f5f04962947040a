/**
 * The centre's own cluster (cluster.ts) and `npm run central:start` (scripts/central-cluster.ts):
 * missing PostgreSQL programs fail with the one-line install hint (never a skip), only TLS with
 * the pinned certificate is accepted, a restart keeps the data, and the script a person runs
 * makes a working centre whose root fingerprint it prints (again at every start), leaves nothing
 * behind when its first run fails, and the CLI says plainly when an admin URL has no password.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, INSTALL_HINT, startCluster, stopCluster } from '../../electron/core/central/cluster';
import { clientConfig, connectCentral, withCredentials } from '../../electron/core/central/connect';
import { fingerprint } from '../../electron/core/signing';
import { startTestCentre, type TestCentre } from './centre';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('where PostgreSQL is missing', () => {
  it('startTestCentre fails with the one-line install hint (the central tests fail, never skip)', async () => {
    vi.resetModules();
    vi.doMock('node:fs', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:fs')>();
      return { ...real, existsSync: (p: import('node:fs').PathLike) => (/[\\/](initdb|pg_ctl)$/.test(String(p)) ? false : real.existsSync(p)) };
    });
    try {
      const { startTestCentre: start } = await import('./centre');
      const { INSTALL_HINT: hint } = await import('../../electron/core/central/cluster');
      await expect(start()).rejects.toThrow(hint);
      expect(hint).toBe(INSTALL_HINT);
      expect(hint).not.toContain('\n');
      expect(hint).toMatch(/setup-postgresql\.sh/);
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});

describe('a running cluster', () => {
  let centre: TestCentre;
  beforeAll(async () => {
    centre = await startTestCentre();
  }, 120_000);
  afterAll(async () => {
    await centre?.stop();
  });

  it('accepts password logins over TLS with the pinned certificate only', async () => {
    const cfg = clientConfig(centre.admin);
    const plain = new pg.Client({ ...cfg, ssl: false });
    plain.on('error', () => undefined);
    await expect(plain.connect()).rejects.toThrow(/no pg_hba\.conf entry|no encryption/);
    // Another certificate with the same name (a server in the middle): refused.
    const other = join(centre.base, 'other.crt');
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=watchdesk-centre',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(centre.base, 'other.key'), '-out', other,
    ]);
    await expect(connectCentral({ ...centre.admin, ca: readFileSync(other, 'utf8') })).rejects.toThrow(/self[- ]signed|certificate/);
    const noPassword = withCredentials(centre.admin.url, { password: 'wrong-password' });
    await expect(connectCentral({ ...centre.admin, url: noPassword })).rejects.toThrow(/password authentication failed/);
    const ok = await connectCentral(centre.admin);
    const r = await ok.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    await ok.end();
    expect(r.rows[0]!.ssl).toBe(true);
  });

  it('keeps its data across a stop and a start (and stopping a stopped cluster does nothing)', async () => {
    const c = await connectCentral(centre.admin);
    await c.query("INSERT INTO wd.checkpoints (id, name, time_zone) VALUES (gen_random_uuid(), 'Kept', 'Asia/Bangkok')");
    await c.end();
    await stopCluster(centre.cluster.dir, 'immediate');
    await stopCluster(centre.cluster.dir, 'fast');
    await startCluster(centre.cluster.dir, centre.cluster.port);
    const again = await connectCentral(centre.admin);
    const r = await again.query("SELECT count(*)::int AS n FROM wd.checkpoints WHERE name = 'Kept'");
    await again.end();
    expect(r.rows[0]).toEqual({ n: 1 });
  });

  it('the CLI says plainly that an admin URL has no password, before connecting, never printing one', () => {
    const ca = join(centre.base, 'centre.pem');
    writeFileSync(ca, centre.cluster.certificate);
    const bare = withCredentials(centre.admin.url, { password: '' });
    const env = { ...process.env, WATCHDESK_CENTRAL_PASSWORD: undefined, WATCHDESK_PASSWORD: 'unused-desk-password' };
    for (const args of [
      ['central', 'log', '--url', bare, '--ca', ca],
      ['--db', join(centre.base, 'none.db'), 'desk', 'register', '--central', bare, '--ca', ca, '--checkpoint', 'Gate'],
    ]) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'watchdesk.mjs'), ...args], { encoding: 'utf8', env, timeout: 60_000 });
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(/no password was given for watchdesk_admin\b.*WATCHDESK_CENTRAL_PASSWORD/);
      expect(r.stderr).not.toMatch(/\(Error\)/);
      expect(r.stdout + r.stderr).not.toContain(centre.cluster.password);
    }
  }, 60_000);
});

describe('npm run central:start', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'wdc-script-'));
    chmodSync(base, 0o755);
  });
  afterAll(async () => {
    for (const d of ['c', join('short', 'c'), join('busy', 'c')]) {
      if (existsSync(join(base, d, 'data'))) await stopCluster(join(base, d, 'data'), 'immediate').catch(() => undefined);
    }
    rmSync(base, { recursive: true, force: true });
  });

  const script = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'central-cluster.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000,
    });

  it('refuses a short passphrase before making anything, and a failed first run leaves nothing behind', async () => {
    const dir = join(base, 'short', 'c');
    await expect(script(['--dir', dir, '--port', String(await freePort())], { WATCHDESK_CENTRAL_PASSPHRASE: 'too short' }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/passphrase must be at least 12 characters/) });
    expect(existsSync(join(base, 'short'))).toBe(false);
    // The cluster is made but cannot start (its port is taken): stopped and removed, folder and all.
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const taken = String((server.address() as import('node:net').AddressInfo).port);
    try {
      await expect(script(['--dir', join(base, 'busy', 'c'), '--port', taken], { WATCHDESK_CENTRAL_PASSPHRASE: 'a long enough passphrase' }))
        .rejects.toMatchObject({ stderr: expect.stringMatching(/nothing was kept: run it again/) });
    } finally {
      server.close();
    }
    expect(existsSync(join(base, 'busy'))).toBe(false);
  }, 60_000);

  it.runIf(process.getuid?.() === 0)('as root, refuses a folder the postgres account cannot reach, without leaving it behind', async () => {
    const locked = join(base, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    chmodSync(locked, 0o700);
    await expect(script(['--dir', join(locked, 'new', 'c')], { WATCHDESK_CENTRAL_PASSPHRASE: 'a long enough passphrase' }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/postgres account, which cannot enter/) });
    expect(existsSync(join(locked, 'new'))).toBe(false);
  });

  it('makes a centre, prints its admin URL once, its certificate and root fingerprint, stops and restarts it', async () => {
    const dir = join(base, 'c');
    const port = String(await freePort());
    await expect(script(['--dir', dir, '--port', port])).rejects.toMatchObject({ stderr: expect.stringMatching(/WATCHDESK_CENTRAL_PASSPHRASE/) });

    const passphrase = 'the department passphrase of this test';
    const first = await script(['--dir', dir, '--port', port, '--department', 'Test Dept'], { WATCHDESK_CENTRAL_PASSPHRASE: passphrase });
    const url = /postgres:\/\/watchdesk_admin:[^@\s]+@127\.0\.0\.1:\d+\/watchdesk/.exec(first.stdout)?.[0];
    const cert = /\(--ca\): (\S+)/.exec(first.stdout)?.[1];
    const printed = /Root key fingerprint[^:]*: ([0-9a-f ]+)/.exec(first.stdout)?.[1]?.replace(/\s+/g, '');
    expect(url && cert && printed).toBeTruthy();
    const admin = { url: url!, ca: readFileSync(cert!, 'utf8') };
    const c = await connectCentral(admin);
    const dept = (await c.query<{ name: string; root_public: string }>('SELECT name, root_public FROM wd.department')).rows[0]!;
    await c.end();
    expect(dept.name).toBe('Test Dept');
    expect(fingerprint(dept.root_public)).toBe(printed);

    const stopped = await script(['--dir', dir, '--stop']);
    expect(stopped.stdout).toMatch(/stopped/);
    await expect(connectCentral(admin)).rejects.toThrow();

    // Restarted: the password is not shown again; with it and the wrong passphrase, init refuses.
    const password = decodeURIComponent(new URL(url!).password);
    const second = await script(['--dir', dir]);
    expect(second.stdout).not.toContain(password);
    expect(second.stdout).toContain(`127.0.0.1:${port}`);
    // The root fingerprint (public) again, on a restart and when it is already running.
    expect(second.stdout.replace(/\s+/g, '')).toContain(printed);
    const running = await script(['--dir', dir]);
    expect(running.stdout).toMatch(/already running/);
    expect(running.stdout.replace(/\s+/g, '')).toContain(printed);
    expect(running.stdout).not.toContain(password);
    await expect(script(['--dir', dir], { WATCHDESK_CENTRAL_PASSPHRASE: 'another passphrase entirely', WATCHDESK_CENTRAL_ADMIN_PASSWORD: password }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/passphrase does not match/) });
    const third = await script(['--dir', dir], { WATCHDESK_CENTRAL_PASSPHRASE: passphrase, WATCHDESK_CENTRAL_ADMIN_PASSWORD: password });
    expect(third.stdout.replace(/\s+/g, '')).toContain(printed);
    // With the password and no passphrase: read at the centre (centralRoot).
    const fourth = await script(['--dir', dir], { WATCHDESK_CENTRAL_PASSPHRASE: '', WATCHDESK_CENTRAL_ADMIN_PASSWORD: password });
    expect(fourth.stdout.replace(/\s+/g, '')).toContain(printed);
    expect(fourth.stdout).not.toContain(password);
    await script(['--dir', dir, '--stop']);
  });

  it('never prints an administrator password the administrator chose (WATCHDESK_CENTRAL_ADMIN_PASSWORD), not even when the centre is made', async () => {
    const dir = join(base, 'chosen');
    const chosen = 'a chosen administrator password 1';
    const made = await script(['--dir', dir, '--port', String(await freePort())], { WATCHDESK_CENTRAL_PASSPHRASE: 'the department passphrase of this test', WATCHDESK_CENTRAL_ADMIN_PASSWORD: chosen });
    expect(made.stdout).toMatch(/Administrator URL: postgres:\/\/watchdesk_admin@127\.0\.0\.1:\d+\/watchdesk \(its password is the one in WATCHDESK_CENTRAL_ADMIN_PASSWORD\)/);
    expect(made.stdout).not.toContain(chosen);
    expect(made.stdout).not.toContain(encodeURIComponent(chosen));
    await script(['--dir', dir, '--stop']);
  });
});
