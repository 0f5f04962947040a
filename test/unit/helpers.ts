/** Shared test helpers: temporary folders and an engine with a signed-in client. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { Engine, type EngineOptions } from '../../electron/core/api/engine';
import type { DB } from '../../electron/core/db/database';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const PASSWORD = 'desk password 1';
export const PASSPHRASE = 'the recovery passphrase of this test';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'watchdesk-test-'));
  dirs.push(d);
  return d;
}

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** An engine on a new database in a temp folder, set up, with a client signed in as `admin`. */
export async function setUpEngine(opts: Partial<EngineOptions> = {}): Promise<{ engine: Engine; api: ApiClient; dbPath: string; dir: string }> {
  const dir = tempDir();
  const dbPath = join(dir, 'watchdesk.db');
  const engine = new Engine({ dbPath, ...opts });
  const api = settledClient(engine);
  await api.call('app.setup', {
    adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Mae Sai', timeZone: 'Asia/Bangkok',
  });
  return { engine, api, dbPath, dir };
}

/**
 * A client whose screening calls wait until no match-index build is running, so that a test sees
 * the lists as they are after its imports (the background build itself is tested in index-host.test.ts).
 */
export function settledClient(engine: Engine): ApiClient {
  return createClient(async (req) => {
    if (req.method.startsWith('screening.')) await engine.indexSettled();
    return engine.handle(req);
  });
}

/** Imports a fixture file as a list through the API. */
export function importFixture(api: ApiClient, file: string, listName: string, kind: 'wanted' | 'at-risk' | 'deny-entry' | 'monitor' = 'wanted') {
  return api.call('watchlists.import', { listName, kind, fileName: file, contentBase64: fixture(file).toString('base64') });
}

/** A made-up list of `rows` entries (ID, name, date of birth, nationality, passport) as base64 CSV. */
export function syntheticCsv(rows: number, prefix = 'X'): string {
  const lines = ['ID,Name,Date of birth,Nationality,Passport'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},TESTPERSON NUMBER${i},${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 9},THA,P${String(i).padStart(7, '0')}`);
  return Buffer.from(lines.join('\n')).toString('base64');
}

/** Polls `check` every 25 ms until it returns a value other than undefined (at most `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every statement `run` prepares on `db` and reads with (`all`, `get`, also after `pluck`), with its parameters: for query-plan checks. */
export function statements(db: DB, run: () => void): { sql: string; args: unknown[] }[] {
  const seen: { sql: string; args: unknown[] }[] = [];
  const prepare = db.prepare.bind(db);
  const wrap = (st: ReturnType<DB['prepare']>, sql: string): ReturnType<DB['prepare']> => new Proxy(st, {
    get(t, k: string | symbol) {
      const v = Reflect.get(t, k) as unknown;
      if (typeof v !== 'function') return v;
      if (k === 'pluck') return (...a: unknown[]) => wrap((v as (...x: unknown[]) => ReturnType<DB['prepare']>).apply(t, a), sql);
      if (k === 'all' || k === 'get') return (...args: unknown[]) => {
        seen.push({ sql, args });
        return (v as (...x: unknown[]) => unknown).apply(t, args);
      };
      return (v as (...x: unknown[]) => unknown).bind(t);
    },
  });
  (db as { prepare: unknown }).prepare = (sql: string) => wrap(prepare(sql), sql);
  try {
    run();
  } finally {
    (db as { prepare: unknown }).prepare = prepare;
  }
  return seen;
}
