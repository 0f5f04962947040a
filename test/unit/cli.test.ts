import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PASSPHRASE, PASSWORD, tempDir } from './helpers';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('watchdesk command', () => {
  it('runs the job end to end: init, import, lists, entries, match, screen, export, audit verify', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    expect(run(['--db', db, 'init', '--checkpoint', 'Chong Mek', '--timezone', 'Asia/Bangkok']).code).toBe(0);
    const again = run(['--db', db, 'init']);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/^watchdesk: .*already set up/);

    const imp = run(['--db', db, '--format', 'json', 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out)).toMatchObject({ imported: 5, rejected: 1, published: true });
    const dry = run(['--db', db, 'import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--dry-run']);
    expect(dry.out).toMatch(/row 8: the row has no name/);
    expect(dry.out).toMatch(/dry run: nothing published/);

    expect(run(['--db', db, 'lists']).out).toMatch(/^Warrants\twanted\tv1\t5 entries/);
    const entries = JSON.parse(run(['--db', db, '--format', 'json', 'entries', '--list', 'warrants']).out);
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({ sourceRow: 4, dateOfBirth: '1987-03-14' });

    const m = JSON.parse(run(['--db', db, '--format', 'json', 'match', '--name', 'Thotsobdi Sompong', '--dob', '14/03/2530']).out);
    expect(m.hits[0]).toMatchObject({ list: 'Warrants', entryId: entries[0].entryId, sourceRow: 4, band: 'strong' });
    expect(m.hits[0].score).toBeGreaterThan(0.9);
    expect(m.hits[0].explanation.fields[0]).toMatchObject({ field: 'dateOfBirth', status: 'agree' });

    const manifest = join(dir, 'manifest.csv');
    writeFileSync(manifest, 'id,name,date of birth\nT1,SOMPONG THOTSOBDI,1987-03-14\nT2,Quxley Nobody,1970\n');
    const sc = JSON.parse(run(['--db', db, '--format', 'json', 'screen', manifest]).out);
    expect(sc.rows.map((r: { id: string; hits: unknown[] }) => [r.id, r.hits.length > 0])).toEqual([['T1', true], ['T2', false]]);

    const out = join(dir, 'flagged.xlsx');
    const ex = run(['--db', db, 'export', 'crossings', '--flagged', '--out', out]);
    expect(ex.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(XLSX.read(readFileSync(out)).SheetNames).toEqual(['Flagged crossings']);

    const v = run(['--db', db, 'audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/audit trail intact/);
  }, 120_000);

  it('exits non-zero with a one-line reason', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const none = run(['--db', db, 'lists']);
    expect(none.code).toBe(1);
    expect(none.err.trim().split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/no Watchdesk database/);
    run(['--db', db, 'init']);
    const wrong = run(['--db', db, 'lists'], { WATCHDESK_PASSWORD: 'wrong password 123' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe('watchdesk: wrong username or password\n');
    const missing = run(['--db', db, 'import', join(dir, 'nope.csv'), '--list', 'X']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
  }, 60_000);
});
