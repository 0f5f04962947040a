/**
 * Starts the department's centre on this machine, for trying the centre or a small department
 * (README "The centre (optional)"): a PostgreSQL cluster of its own in a folder, on 127.0.0.1,
 * with TLS and password logins only (electron/core/central/cluster.ts), migrated and with the
 * department's root key recorded (admin.ts initCentral).
 *
 *   WATCHDESK_CENTRAL_PASSPHRASE='…' npm run central:start -- --dir ./central-data [--port 5433] [--department NAME]
 *   npm run central:start -- --dir ./central-data --stop
 *
 * The first run checks the passphrase (admin.ts MIN_PASSPHRASE) before it makes anything, then makes
 * `DIR/data` (the cluster), `DIR/centre.crt` (the certificate every desk pins) and `DIR/centre.json`
 * (port, superuser and the public root fingerprint; no password), and prints the administrator's
 * URL with its password once (or WATCHDESK_CENTRAL_ADMIN_PASSWORD, when set, is the password). When
 * that first run fails, it stops the cluster it made and removes what it made, so that it can
 * simply be run again. Later runs start the existing cluster again on its port and print the root
 * fingerprint again; with WATCHDESK_CENTRAL_ADMIN_PASSWORD they read it at the centre (centralRoot)
 * and, with WATCHDESK_CENTRAL_PASSPHRASE too, re-run initCentral (new migrations; the passphrase is
 * checked).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clusterInfo, createCluster, INSTALL_HINT, postgresBinDir, startCluster, stopCluster } from '../electron/core/central/cluster';
import { CENTRAL_DATABASE, redactUrl, withCredentials } from '../electron/core/central/connect';
import { centralRoot, initCentral, MIN_PASSPHRASE } from '../electron/core/central/admin';
import { groupedFingerprint } from '../electron/core/signing';
import { WatchdeskError } from '../electron/core/errors';
import { reason, reasonText } from '../shared/reasons';

/** `DIR/centre.json`: how to reach the centre again, without any password. */
interface Saved {
  port: number;
  superuser: string;
  /** The department's root key fingerprint (public), printed again at each start. */
  rootFingerprint?: string;
}

/** What this run made, removed again when a first run fails (`undo`). */
const made: { cluster?: string; paths: string[] } = { paths: [] };

/** Stops the cluster this run made and removes the files and folders this run made (newest first). */
async function undo(): Promise<void> {
  if (made.cluster) await stopCluster(made.cluster, 'immediate').catch(() => undefined);
  for (const p of made.paths.reverse()) rmSync(p, { recursive: true, force: true });
  made.cluster = undefined;
  made.paths = [];
}

function fail(msg: string): never {
  process.stderr.write(`central:start: ${msg}\n`);
  process.exit(1);
}

/**
 * When root, PostgreSQL runs as `postgres`, which must be able to reach the folder: throws (an
 * Error with the message for the person) when a folder above `dir` cannot be entered by others.
 */
function checkReachable(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (let p = dirname(dir); ; p = dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) {
      throw new Error(`running as root, PostgreSQL runs as the postgres account, which cannot enter ${p}: choose a folder it can reach, such as /srv/watchdesk-centre`);
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
  if (!existing && !passphrase) fail(`set WATCHDESK_CENTRAL_PASSPHRASE to the department passphrase (at least ${MIN_PASSPHRASE} characters; it makes the root key: write it down)`);
  // Checked before anything is made: a short passphrase never leaves a half-made centre behind.
  if (passphrase && passphrase.length < MIN_PASSPHRASE) fail(reasonText(reason('central.passphraseTooShort', { minimum: MIN_PASSPHRASE })));
  checkReachable(dir);
  if (!existing) {
    for (const p of [dir, data, savedFile, certFile]) if (!existsSync(p)) made.paths.push(p);
  }
  const first = mkdirSync(dir, { recursive: true });
  if (first && !existing) made.paths.unshift(first);
  chmodSync(dir, 0o755);
  checkReachable(dir);

  let port: number;
  let superuser: string;
  let password: string | undefined;
  let rootFingerprint: string | undefined;
  if (existing) {
    const saved = existsSync(savedFile) ? (JSON.parse(readFileSync(savedFile, 'utf8')) as Saved) : null;
    port = values.port ? Number(values.port) : saved?.port ?? 5433;
    superuser = saved?.superuser ?? 'watchdesk_admin';
    password = adminPassword;
    rootFingerprint = saved?.rootFingerprint;
    if (running(data)) {
      port = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[3]) || port;
      process.stdout.write(`the centre in ${dir} was already running\n`);
    } else {
      await startCluster(data, port);
    }
  } else {
    port = values.port ? Number(values.port) : 5433;
    made.cluster = data;
    const cluster = await createCluster(data, { port, ...(adminPassword ? { password: adminPassword } : {}) });
    superuser = cluster.superuser;
    password = cluster.password;
  }
  const save = (): void => writeFileSync(savedFile, `${JSON.stringify({ port, superuser, ...(rootFingerprint ? { rootFingerprint } : {}) } satisfies Saved)}\n`);
  save();
  copyFileSync(join(data, 'server.crt'), certFile);
  chmodSync(certFile, 0o644);

  const lines = [`Centre running on 127.0.0.1:${port} (data in ${data})`];
  const ROOT_LINE = 'Root key fingerprint (write it down; desks check it when they register)';
  if (password !== undefined) {
    const info = clusterInfo(data, port, superuser, password);
    const url = withCredentials(info.adminUrl, { database: CENTRAL_DATABASE });
    const target = { url, ca: info.certificate };
    // A password the administrator chose (WATCHDESK_CENTRAL_ADMIN_PASSWORD) is never printed: only one made here is shown, once.
    lines.push(existing || adminPassword
      ? `Administrator URL: ${redactUrl(url)} (its password is the one in WATCHDESK_CENTRAL_ADMIN_PASSWORD)`
      : `Administrator URL (shown this once, with its password: keep it safe, never give it to a desk):\n  ${url}`);
    if (passphrase) {
      const init = await initCentral(target, { department: values.department, passphrase });
      rootFingerprint = init.rootFingerprint;
      lines.push(`Department: ${init.department}${init.created ? ' (created)' : ''}; migrations applied now: ${init.applied.length ? init.applied.join(', ') : 'none'}`);
    } else {
      const root = await centralRoot(target);
      rootFingerprint = root.rootFingerprint;
      lines.push(`Department: ${root.department} (migrations not checked: set WATCHDESK_CENTRAL_PASSPHRASE to apply new ones)`);
    }
    save();
    lines.push(`${ROOT_LINE}: ${groupedFingerprint(rootFingerprint)}`);
  } else {
    lines.push(
      `Administrator URL: ${redactUrl(withCredentials(clusterInfo(data, port, superuser, 'x').adminUrl, { database: CENTRAL_DATABASE }))} (its password: the one shown when the centre was made, or WATCHDESK_CENTRAL_ADMIN_PASSWORD if it was set then)`,
      rootFingerprint
        ? `${ROOT_LINE}: ${groupedFingerprint(rootFingerprint)}`
        : 'Root key fingerprint: not recorded in centre.json; run again with WATCHDESK_CENTRAL_ADMIN_PASSWORD set to read it at the centre (a centre whose administrator password was never shown cannot be used: stop it, remove its folder and start again)',
    );
  }
  made.cluster = undefined;
  made.paths = [];
  lines.push(`Certificate for the desks (--ca): ${certFile}`, `Stop it with: npm run central:start -- --dir ${values.dir} --stop`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(async (e: unknown) => {
  // A first run that failed part-way: its cluster stopped and its folder gone, so it can simply run again.
  const undone = made.cluster !== undefined || made.paths.length > 0;
  await undo().catch(() => undefined);
  const msg = e instanceof WatchdeskError ? e.message : e instanceof Error ? e.message.split('\n')[0]! : String(e);
  fail(undone ? `${msg} (nothing was kept: run it again once this is fixed)` : msg);
});
