/**
 * A PostgreSQL cluster of the centre's own, in a folder (DESIGN.md section 10): `initdb` and
 * `pg_ctl` from Debian's `postgresql` package, started on 127.0.0.1 and a port of our choosing,
 * with TLS on (a self-signed certificate made here with `openssl`, pinned by every desk) and only
 * password (SCRAM-SHA-256) connections over TLS accepted from the network. The tests start a
 * throwaway cluster with it; `scripts/central-cluster.ts` starts the department's for a person
 * trying the centre on one machine. A production centre is a PostgreSQL the department runs; the
 * desks need only its URL and its certificate.
 *
 * PostgreSQL refuses to run as root: when this process is root, the cluster's files belong to the
 * `postgres` account (made by Debian's package) and its programs run under `runuser`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The one-line hint given wherever PostgreSQL's programs are missing. */
export const INSTALL_HINT = "PostgreSQL's initdb and pg_ctl were not found: install them with `bash scripts/setup-postgresql.sh` (Debian's postgresql package)";

/** A cluster this process started, and how to reach it as its superuser. */
export interface Cluster {
  /** The cluster's data folder. */
  dir: string;
  host: '127.0.0.1';
  port: number;
  /** The superuser made by initdb (a login with a password, over TLS only). */
  superuser: string;
  password: string;
  /** The server's certificate (PEM): what clients pin (`ssl.ca`). */
  certificate: string;
  /** postgres://superuser:password@127.0.0.1:port/postgres */
  adminUrl: string;
}

/**
 * The folder holding PostgreSQL's server programs: `WATCHDESK_PG_BIN`, else the newest
 * `/usr/lib/postgresql/N/bin`, else the folder of an `initdb` on PATH. Throws an Error with
 * INSTALL_HINT when there is none.
 */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.WATCHDESK_PG_BIN) candidates.push(process.env.WATCHDESK_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debian, v, 'bin'));
  }
  for (const p of (process.env.PATH ?? '').split(':').filter(Boolean)) candidates.push(p);
  const found = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
async function pgRun(program: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const bin = join(postgresBinDir(), program);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    const { stdout } = await run(file, argv, { env: { ...process.env, LC_ALL: 'C', ...env }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: e });
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function giveToPostgres(path: string): void {
  if (!isRoot()) return;
  const pg = userInfoOf('postgres');
  chownSync(path, pg.uid, pg.gid);
}

function userInfoOf(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`this process is root and there is no '${name}' account to run PostgreSQL as: ${INSTALL_HINT}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Makes a new cluster in `dir` (which must not exist or be empty): initdb with the superuser
 * `superuser` and `password` (SCRAM-SHA-256), UTF-8, a self-signed certificate for 127.0.0.1 and
 * localhost, and a pg_hba.conf that accepts the local socket for the superuser only and TLS
 * password connections from 127.0.0.1. Throws when PostgreSQL or openssl is missing or initdb fails.
 */
export async function initCluster(dir: string, superuser: string, password: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  giveToPostgres(dir);
  const pwfile = join(dir, '..', `.pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  giveToPostgres(pwfile);
  try {
    await pgRun('initdb', ['-D', dir, '-U', superuser, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions']);
  } finally {
    rmSync(pwfile, { force: true });
  }
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
    '-subj', '/CN=watchdesk-centre', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'),
  ]).catch((e: unknown) => {
    throw new Error(`openssl could not make the centre's certificate: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  });
  chmodSync(join(dir, 'server.key'), 0o600);
  giveToPostgres(join(dir, 'server.key'));
  giveToPostgres(join(dir, 'server.crt'));
  writeFileSync(join(dir, 'pg_hba.conf'), [
    '# Watchdesk centre: the superuser on the local socket; everyone else by password over TLS.',
    `local all ${superuser} scram-sha-256`,
    'hostssl all all 127.0.0.1/32 scram-sha-256',
    'hostssl all all ::1/128 scram-sha-256',
    '',
  ].join('\n'));
  const conf = readFileSync(join(dir, 'postgresql.conf'), 'utf8');
  writeFileSync(join(dir, 'postgresql.conf'), `${conf}
# Watchdesk centre
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
max_connections = 200
log_min_messages = warning
`);
  giveToPostgres(join(dir, 'pg_hba.conf'));
  giveToPostgres(join(dir, 'postgresql.conf'));
}

/**
 * Starts the cluster in `dir` on 127.0.0.1:`port` (its socket in `dir` itself) and waits until it
 * accepts connections. Its log goes to `dir/server.log`. Throws with the log's last lines on failure.
 */
export async function startCluster(dir: string, port: number): Promise<void> {
  await pgRun('pg_ctl', ['-D', dir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']).catch((e: unknown) => {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
    throw new Error(`${(e as Error).message}${log ? ` | ${log}` : ''}`, { cause: e });
  });
}

/**
 * Stops the cluster in `dir`: 'fast' ends sessions and shuts down cleanly; 'immediate' is a crash
 * (recovery runs at the next start). A cluster that is not running is left as it is.
 */
export async function stopCluster(dir: string, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  if (!existsSync(join(dir, 'postmaster.pid'))) return;
  await pgRun('pg_ctl', ['-D', dir, '-m', mode, '-w', '-t', '60', 'stop']);
}

/**
 * Makes and starts a new cluster in `dir` on a free port (or `port`): initCluster + startCluster.
 * The superuser is `watchdesk_admin` with a random password unless given.
 */
export async function createCluster(dir: string, opts: { port?: number; superuser?: string; password?: string } = {}): Promise<Cluster> {
  const superuser = opts.superuser ?? 'watchdesk_admin';
  const password = opts.password ?? randomBytes(18).toString('base64url');
  await initCluster(dir, superuser, password);
  const port = opts.port ?? (await freePort());
  await startCluster(dir, port);
  return clusterInfo(dir, port, superuser, password);
}

/** How to reach a running cluster made by initCluster. */
export function clusterInfo(dir: string, port: number, superuser: string, password: string): Cluster {
  return {
    dir, host: '127.0.0.1', port, superuser, password,
    certificate: readFileSync(join(dir, 'server.crt'), 'utf8'),
    adminUrl: `postgres://${encodeURIComponent(superuser)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
  };
}

/** The name of the account this process runs as (for messages). */
export function currentAccount(): string {
  return isRoot() ? 'root (PostgreSQL runs as postgres)' : userInfo().username;
}
