/**
 * Atomic publication: an import killed (SIGKILL) inside its publication transaction leaves the
 * previous version active and intact, the audit chain whole, and no staging data visible; the
 * next import cleans the staged rows up.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { FIXTURES, PASSWORD, setUpEngine } from './helpers';

const CHILD = join(import.meta.dirname, 'import-crash-child.ts');

describe('import: killed during publication', () => {
  it('keeps the previous version intact after SIGKILL in the publication transaction', async () => {
    const { api, engine, dbPath } = await setUpEngine();
    const v1 = join(FIXTURES, 'import/versions-v1.csv');
    await api.call('watchlists.import', { listName: 'Crash', kind: 'wanted', fileName: 'versions-v1.csv', contentBase64: readFileSync(v1).toString('base64') });
    const before = (await api.call('watchlists.list'))[0]!;
    engine.close();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, join(FIXTURES, 'import/versions-v2.csv'), 'Crash', PASSWORD], {
      env: { ...process.env, WATCHDESK_TEST_PAUSE_PUBLISH_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the child never reached the pause point: ${stderr}`)), 45_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('WATCHDESK_PAUSED_IN_PUBLISH')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toContain('IMPORT FINISHED');

    const engine2 = new Engine({ dbPath });
    const api2 = createClient((r) => engine2.handle(r));
    await api2.call('auth.signIn', { username: 'admin', password: PASSWORD });
    const after = (await api2.call('watchlists.list'))[0]!;
    expect(after.activeVersion).toEqual(before.activeVersion);
    expect((await api2.call('watchlists.entries', { listId: after.id })).entries.map((e) => [e.entryId, e.documents[0]!.number])).toEqual([
      ['W-1', 'A1000001'], ['W-2', 'A1000002'], ['W-3', 'A1000003'], ['W-4', 'A1000004'],
    ]);
    expect((await api2.call('watchlists.versions', { listId: after.id })).map((v) => [v.number, v.state])).toEqual([[1, 'published']]);
    expect((await api2.call('audit.verify')).ok).toBe(true);
    // The staged rows of the killed import are still there (encrypted) until the next import removes them.
    const db = engine2.requireDb();
    const staged = () => (db.prepare("SELECT count(*) AS n FROM list_versions WHERE state = 'staging'").get() as { n: number }).n;
    expect(staged()).toBe(1);
    const r = await api2.call('watchlists.import', { listName: 'Crash', fileName: 'versions-v2.csv', contentBase64: readFileSync(join(FIXTURES, 'import/versions-v2.csv')).toString('base64') });
    expect(r).toMatchObject({ published: true, versionNumber: 2 });
    expect(staged()).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n).toBe(8);
    engine2.close();
  }, 90_000);
});
