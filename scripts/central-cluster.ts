/**
 * Starts the department's centre on this machine, for trying the centre or a small department
 * (README "The centre (optional)"): a PostgreSQL cluster of its own in a folder, on 127.0.0.1,
 * with TLS and password logins only (electron/core/central/cluster.ts), migrated and with the
 * department's root key recorded (admin.ts initCentral).
 *
 *   WATCHDESK_CENTRAL_PASSPHRASE='…' npm run central:start -- --dir ./central-data [--port 5433] [--department NAME]
 *   npm run central:start -- --dir ./central-data --stop
 *
 * The first run makes `DIR/data` (the cluster), `DIR/centre.crt` (the certificate every desk pins)
 * and `DIR/centre.json` (port and superuser, no password), and prints the administrator's URL with
 * its password once (or WATCHDESK_CENTRAL_ADMIN_PASSWORD, when set, is the password). Later runs
 * start the existing cluster again on its port; with WATCHDESK_CENTRAL_ADMIN_PASSWORD they also
 * re-run initCentral (new migrations; the passphrase is checked).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clusterInfo, createCluster, INSTALL_HINT, postgresBinDir, startCluster, stopCluster } from '../electron/core/central/cluster';
import { CENTRAL_DATABASE, redactUrl, withCredentials } from '../electron/core/central/connect';
import { initCentral } from '../electron/core/central/admin';
import { groupedFingerprint } from '../electron/core/signing';
import { WatchdeskError } from '../electron/core/errors';

interface Saved {
  port: number;
  superuser: string;
}

function fail(msg: string): never {
  process.stderr.write(`central:start: ${msg}\n`);
  process.exit(1);
}

/** When root, PostgreSQL runs as `postgres`, which must be able to reach the folder. */
function checkReachable(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let p = dirname(dir); ; p = dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) {
      fail(`running as root, PostgreSQL runs as the postgres account, which cannot enter ${p}: choose a folder it can reach, such as /srv/watchdesk-centre`);
    }
    if (dirname(p) === p) break;
  }
}

/** True when the cluster's postmaster (the pid in postmaster.pid) is alive. */
function running(data: string): boolean {
  const pidFile = join(data, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      department: { type: 'string', default: 'Immigration department' },
      stop: { type: 'boolean', default: false },
    },
  });
  if (!values.dir) fail('usage: npm run central:start -- --dir FOLDER [--port 5433] [--department NAME] [--stop]');
  const dir = resolve(values.dir);
  const data = join(dir, 'data');
  const savedFile = join(dir, 'centre.json');
  const certFile = join(dir, 'centre.crt');

  if (values.stop) {
    if (!existsSync(join(data, 'PG_VERSION'))) fail(`there is no centre in ${dir}`);
    await stopCluster(data, 'fast');
    process.stdout.write(`centre in ${dir} stopped\n`);
    return;
  }

  try {
    postgresBinDir();
  } catch {
    fail(INSTALL_HINT);
  }
  const passphrase = process.env.WATCHDESK_CENTRAL_PASSPHRASE ?? '';
  const adminPassword = process.env.WATCHDESK_CENTRAL_ADMIN_PASSWORD || undefined;
  const existing = existsSync(join(data, 'PG_VERSION'));
  if (!existing && !passphrase) fail('set WATCHDESK_CENTRAL_PASSPHRASE to the department passphrase (at least 12 characters; it makes the root key: write it down)');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  checkReachable(dir);

  let port: number;
  let superuser: string;
  let password: string | undefined;
  if (existing) {
    const saved = existsSync(savedFile) ? (JSON.parse(readFileSync(savedFile, 'utf8')) as Saved) : null;
    port = values.port ? Number(values.port) : saved?.port ?? 5433;
    superuser = saved?.superuser ?? 'watchdesk_admin';
    password = adminPassword;
    if (running(data)) {
      port = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[3]) || port;
      process.stdout.write(`the centre in ${dir} was already running\n`);
    } else {
      await startCluster(data, port);
    }
    writeFileSync(savedFile, `${JSON.stringify({ port, superuser } satisfies Saved)}\n`);
  } else {
    port = values.port ? Number(values.port) : 5433;
    const cluster = await createCluster(data, { port, ...(adminPassword ? { password: adminPassword } : {}) });
    superuser = cluster.superuser;
    password = cluster.password;
    writeFileSync(savedFile, `${JSON.stringify({ port, superuser } satisfies Saved)}\n`);
  }
  copyFileSync(join(data, 'server.crt'), certFile);
  chmodSync(certFile, 0o644);

  const lines = [`Centre running on 127.0.0.1:${port} (data in ${data})`];
  if (password !== undefined) {
    const info = clusterInfo(data, port, superuser, password);
    const url = withCredentials(info.adminUrl, { database: CENTRAL_DATABASE });
    const init = await initCentral({ url, ca: info.certificate }, { department: values.department, passphrase });
    lines.push(
      existing
        ? `Administrator URL: ${redactUrl(url)} (its password is the one in WATCHDESK_CENTRAL_ADMIN_PASSWORD)`
        : `Administrator URL (shown this once, with its password: keep it safe, never give it to a desk):\n  ${url}`,
      `Department: ${init.department}${init.created ? ' (created)' : ''}; migrations applied now: ${init.applied.length ? init.applied.join(', ') : 'none'}`,
      `Root key fingerprint (write it down; desks check it when they register): ${groupedFingerprint(init.rootFingerprint)}`,
    );
  } else {
    lines.push(`Administrator URL: ${redactUrl(withCredentials(clusterInfo(data, port, superuser, 'x').adminUrl, { database: CENTRAL_DATABASE }))} (the password shown when it was made)`);
  }
  lines.push(`Certificate for the desks (--ca): ${certFile}`, `Stop it with: npm run central:start -- --dir ${values.dir} --stop`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  fail(e instanceof WatchdeskError ? e.message : e instanceof Error ? e.message.split('\n')[0]! : String(e));
});
