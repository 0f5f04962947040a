/**
 * Connections to the centre (node-postgres), always over TLS with the centre's certificate pinned
 * (`verify-full`: the certificate must be the pinned one's and name the host), and the migrations
 * of schema.ts applied under an advisory lock.
 */
import pg from 'pg';
import { CENTRAL_MIGRATIONS, GROUP_ROLES } from './schema';

/** Where a desk, a publisher or an administrator reaches the centre. */
export interface CentralTarget {
  /** postgres://user:password@host:port/database (a password in the URL is allowed but never stored for admins). */
  url: string;
  /** The centre's certificate (PEM) to trust: the one made by cluster.ts or the department's CA. */
  ca: string;
  /** Connection and statement timeouts in ms (default 10 s and 120 s). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/** The database the centre's schema lives in when a URL names none (or names `postgres`). */
export const CENTRAL_DATABASE = 'watchdesk';

/** The URL with its user, password and database replaced where given. */
export function withCredentials(url: string, parts: { user?: string; password?: string; database?: string }): string {
  const u = new URL(url);
  if (parts.user !== undefined) u.username = encodeURIComponent(parts.user);
  if (parts.password !== undefined) u.password = encodeURIComponent(parts.password);
  if (parts.database !== undefined) u.pathname = `/${parts.database}`;
  return u.toString();
}

/** The URL without its password: what may be shown, logged or stored beside a separately kept password. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** The client settings for a target: TLS verify-full against the pinned certificate. */
export function clientConfig(t: CentralTarget): pg.ClientConfig {
  const u = new URL(t.url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || CENTRAL_DATABASE,
    ssl: { ca: t.ca, rejectUnauthorized: true, servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname },
    connectionTimeoutMillis: t.connectTimeoutMs ?? 10_000,
    statement_timeout: t.statementTimeoutMs ?? 120_000,
    application_name: 'watchdesk',
  };
}

/** A connected client (the caller ends it). Throws pg's error when the centre cannot be reached or refuses. */
export async function connectCentral(t: CentralTarget): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(t));
  // An error after connecting (the link cut, the server stopped) rejects the query in flight; an
  // unhandled 'error' event would end the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A pool of connections to one target (benchmarks, the department-wide reads). */
export function centralPool(t: CentralTarget, max = 10): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(t), max });
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Creates the centre's database (`CENTRAL_DATABASE` unless the URL names another) and group roles
 * if missing, then applies the migrations not yet applied, each in its own transaction, under an
 * advisory lock. `admin` must be a superuser or a role with CREATEDB and CREATEROLE. Returns the
 * versions applied now (empty when already current).
 */
export async function migrateCentral(admin: CentralTarget): Promise<number[]> {
  const dbName = databaseOf(admin.url);
  const root = await connectCentral({ ...admin, url: withCredentials(admin.url, { database: 'postgres' }) });
  try {
    const exists = await root.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!exists.rowCount) await root.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)} ENCODING 'UTF8' TEMPLATE template0`);
    for (const role of GROUP_ROLES) {
      const r = await root.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!r.rowCount) await root.query(`CREATE ROLE ${role} NOLOGIN`);
    }
    // The administrator runs the migrations as wd_owner (SET LOCAL ROLE in each).
    await root.query(`GRANT wd_owner TO ${pg.escapeIdentifier(decodeURIComponent(new URL(admin.url).username))}`).catch(() => undefined);
  } finally {
    await root.end();
  }
  const db = await connectCentral({ ...admin, url: withCredentials(admin.url, { database: dbName }) });
  const applied: number[] = [];
  try {
    await db.query(`REVOKE ALL ON DATABASE ${pg.escapeIdentifier(dbName)} FROM PUBLIC`);
    await db.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(dbName)} TO wd_desk, wd_publisher, wd_auditor`);
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await db.query('SELECT pg_advisory_lock(727272)');
    await db.query('CREATE TABLE IF NOT EXISTS public.wd_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await db.query<{ version: number }>('SELECT version FROM public.wd_schema_migrations')).rows.map((r) => r.version));
    for (const m of CENTRAL_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await db.query('BEGIN');
      try {
        await db.query(m.sql);
        await db.query('RESET ROLE');
        await db.query('INSERT INTO public.wd_schema_migrations (version) VALUES ($1)', [m.version]);
        await db.query('COMMIT');
      } catch (e) {
        await db.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
  } finally {
    await db.query('SELECT pg_advisory_unlock(727272)').catch(() => undefined);
    await db.end();
  }
  return applied;
}

/** The database a URL names, or CENTRAL_DATABASE when it names none or `postgres`. */
export function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name && name !== 'postgres' ? name : CENTRAL_DATABASE;
}
