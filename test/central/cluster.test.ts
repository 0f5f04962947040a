/**
 * The centre's own cluster (cluster.ts) and `npm run central:start` (scripts/central-cluster.ts):
 * missing PostgreSQL programs fail with the one-line install hint (never a skip), only TLS with
 * the pinned certificate is accepted, a restart keeps the data, and the script a person runs
 * makes a working centre whose root fingerprint it prints.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});

describe('npm run central:start', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'wdc-script-'));
    chmodSync(base, 0o755);
  });
  afterAll(async () => {
    if (existsSync(join(base, 'c', 'data'))) await stopCluster(join(base, 'c', 'data'), 'immediate').catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  });

  const script = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'central-cluster.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000,
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
    await expect(script(['--dir', dir], { WATCHDESK_CENTRAL_PASSPHRASE: 'another passphrase entirely', WATCHDESK_CENTRAL_ADMIN_PASSWORD: password }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/passphrase does not match/) });
    const third = await script(['--dir', dir], { WATCHDESK_CENTRAL_PASSPHRASE: passphrase, WATCHDESK_CENTRAL_ADMIN_PASSWORD: password });
    expect(third.stdout.replace(/\s+/g, '')).toContain(printed);
    await script(['--dir', dir, '--stop']);
  });
});
