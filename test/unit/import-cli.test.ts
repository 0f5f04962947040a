/**
 * The `watchdesk` command's import (issue 4): the OFAC set picked up from beside sdn.csv, the UN
 * XML, a report written as xlsx, the diff, versions, rollback and a clear error for a zip bomb.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PASSPHRASE, PASSWORD, tempDir } from './helpers';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
const IMP = join(FIXTURES, 'import');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('watchdesk import', () => {
  it('imports the OFAC set beside sdn.csv and the UN XML; versions and rollback', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    expect(run(['--db', db, 'init']).code).toBe(0);
    const ofac = run(['--db', db, 'import', join(IMP, 'ofac/sdn.csv'), '--list', 'OFAC', '--kind', 'deny-entry', '--report', join(dir, 'r.xlsx')]);
    expect(ofac.code).toBe(0);
    expect(ofac.out).toContain('sdn.csv + alt.csv + add.csv (OFAC SDN set)');
    expect(ofac.out).toContain('rows read 4, imported 3, rejected 1; 1 errors, 2 warnings');
    expect(ofac.out).toContain('skipped (not persons): 1 entity, 1 vessel, 1 aircraft');
    expect(ofac.out).toContain('error sdn.csv row 6 column B (SDN_Name): the individual has no name: rejected');
    expect(ofac.out).toContain('published as version 1 of OFAC');
    expect(existsSync(join(dir, 'r.xlsx'))).toBe(true);
    const un = run(['--db', db, '--format', 'json', 'import', join(IMP, 'un-excerpt.xml'), '--list', 'UN']);
    expect(JSON.parse(un.out)).toMatchObject({ preset: 'un-xml', imported: 2, skipped: { entity: 2 }, published: true });

    expect(run(['--db', db, 'import', join(IMP, 'versions-v1.csv'), '--list', 'V']).code).toBe(0);
    const v2 = run(['--db', db, 'import', join(IMP, 'versions-v2.csv'), '--list', 'V']);
    expect(v2.out).toContain('against version 1: 1 added, 1 removed, 1 changed, 2 unchanged');
    expect(run(['--db', db, 'rollback', '--list', 'V', '--version', '1']).out).toContain('rolled back to version 1 of V');
    const versions = run(['--db', db, 'versions', '--list', 'V']).out.trim().split('\n');
    expect(versions[0]).toMatch(/^v2\tsuperseded\t4 entries\tversions-v2\.csv/);
    expect(versions[1]).toMatch(/^v1\tpublished \(active\)\t4 entries\tversions-v1\.csv/);
    const bad = run(['--db', db, 'import', join(IMP, 'bad-zipbomb.xlsx'), '--list', 'V']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('watchdesk: the xlsx file would expand to more than 1024 MB: refused\n');
  }, 120_000);
});
