/**
 * A full disk during an import and during an export: a clear error, nothing half-written, and the
 * database intact (it opens, `audit verify` passes, the list keeps its published version). The
 * disk is a small tmpfs mounted for the test, which needs root (as in CI and this workplace); where
 * mounting is not allowed the tests skip themselves and say why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { writeFileSafe } from '../../electron/core/files';
import { PASSPHRASE, PASSWORD, syntheticCsv } from './helpers';

const mountPoint = mkdtempSync(join(tmpdir(), 'watchdesk-full-'));
let mounted = false;
try {
  // 4 MiB: room for a desk and a small list, not for a 40,000-row list.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  console.warn(`mounting a small tmpfs is not allowed here (${(e as Error).message.split('\n')[0]}): disk-full tests skipped`);
}

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills the file system at `dir` up to its last `leave` bytes. */
function fill(dir: string, leave: number): string {
  const path = join(dir, 'ballast');
  const free = Number(execFileSync('df', ['--output=avail', '-B1', dir]).toString().split('\n')[1]);
  writeFileSync(path, Buffer.alloc(Math.max(0, free - leave)));
  return path;
}

describe.skipIf(!mounted)('a full disk', () => {
  let engine: Engine;
  let api: ApiClient;
  const dir = join(mountPoint, 'desk');
  const dbPath = join(dir, 'watchdesk.db');

  beforeAll(async () => {
    mkdirSync(dir, { mode: 0o700 });
    engine = new Engine({ dbPath });
    api = createClient((r) => engine.handle(r));
    await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: 'Mae Sai', timeZone: 'Asia/Bangkok' });
    await api.call('watchlists.import', { listName: 'Full', kind: 'wanted', fileName: 'v1.csv', contentBase64: syntheticCsv(50, 'A') });
  }, 60_000);
  afterAll(() => engine?.close());

  it('refuses an import that does not fit with a clear error and keeps the published version', async () => {
    const ballast = fill(dir, 256 * 1024);
    try {
      const err = await api.call('watchlists.import', { listName: 'Full', fileName: 'v2.csv', contentBase64: syntheticCsv(40_000, 'B') }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'bad_input', reason: 'files.noSpace' });
      expect(String((err as Error).message)).not.toMatch(/internal error/);
    } finally {
      rmSync(ballast);
    }
    // Space is back: the desk works, nothing of the failed import is visible, the chain holds.
    const list = (await api.call('watchlists.list')).find((l) => l.name === 'Full')!;
    expect(list.activeVersion?.number).toBe(1);
    expect((await api.call('watchlists.entries', { listId: list.id })).total).toBe(50);
    expect((await api.call('audit.verify')).ok).toBe(true);
    engine.close();
    engine = new Engine({ dbPath });
    api = createClient((r) => engine.handle(r));
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    expect((await api.call('audit.verify')).ok).toBe(true);
  }, 120_000);

  it('refuses an export that does not fit: a clear error and no file under its name', async () => {
    const r = await api.call('crossings.export', { format: 'csv' });
    const content = Buffer.concat([Buffer.from(r.contentBase64, 'base64'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    const ballast = fill(dir, 512 * 1024);
    const out = join(dir, 'crossings.csv');
    try {
      expect(() => writeFileSafe(out, content)).toThrow(expect.objectContaining({ reason: expect.objectContaining({ code: 'files.noSpace' }) }) as Error);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(ballast);
    }
    expect((await api.call('audit.verify')).ok).toBe(true);
  }, 60_000);
});
