/**
 * Screening from a passport's MRZ through the handler table and the `watchdesk` command: the MRZ
 * fills the traveler, is never screened as a name, a document number alone is screened, the
 * holder's national ID from the MRZ is matched, and a manifest may carry an `mrz` column.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../shared/client';
import { td3, thaiId } from '../fixtures/mrz';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const NID = thaiId('370010012345');
const LIST = [
  'id,full_name,date_of_birth,sex,nationality,passport_number,national_id,warrant_no',
  `W-1,Kanokwan Srisombat,1992-07-05,F,THA,AC2468135,,CR-1`,
  `W-2,Thanakorn Phromphiriya,1984-02-29,M,THA,,${NID},CR-2`,
  `W-3,Somchai Rakthai,1970,M,THA,AA7777777,,CR-3`,
  `W-4,Malee Placeholder,1975,F,THA,0000000,,CR-4`,
].join('\n');

async function engineWithList() {
  const s = await setUpEngine();
  await s.api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'w.csv', contentBase64: Buffer.from(LIST).toString('base64') });
  return s;
}

describe('screening from an MRZ', () => {
  it('fills the traveler from the MRZ and finds the listed holder of a renewed passport', async () => {
    const { engine, api } = await engineWithList();
    const mrz = td3({ surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC9999990', birth: '920705', sex: 'F', expiry: '311231' }).join('\n');
    const r = await api.call('screening.screen', { traveler: { mrz } });
    expect(r.mrz).toMatchObject({ format: 'TD3', surname: 'SRISOMBAT', givenNames: 'KANOKWAN', dateOfBirth: '1992-07-05', valid: true });
    expect(r.hits[0]).toMatchObject({ entryId: 'W-1', band: 'strong' });
    const fields = r.hits[0]!.explanation.fields.map((f) => [f.field, f.status]);
    expect(fields).toContainEqual(['dateOfBirth', 'agree']);
    expect(fields).toContainEqual(['sex', 'agree']);
    // The crossing keeps the traveler as read.
    await api.call('screening.decide', { hitId: r.hits[0]!.hitId!, decision: 'confirmed' });
    const c = await api.call('crossings.record', { screeningId: r.screeningId, direction: 'entry', outcome: 'held' });
    expect(c.travelerName).toBe('KANOKWAN SRISOMBAT');
    expect(c.traveler.documentNumber).toBe('AC9999990');
    engine.close();
  });

  it('refuses an MRZ typed as a name (it would find no one), and an unreadable MRZ, saying why', async () => {
    const { engine, api } = await engineWithList();
    const lines = td3({ surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC9999990', birth: '920705', expiry: '311231' });
    const asName = await api.call('screening.screen', { traveler: { fullName: lines.join(' ') } }).catch((e: unknown) => e);
    expect(asName).toBeInstanceOf(ApiCallError);
    expect((asName as ApiCallError).issues?.[0]).toMatchObject({ reason: 'field.mrzInName', path: 'traveler.fullName' });
    const cut = await api.call('screening.screen', { traveler: { mrz: `${lines[0]}\n${lines[1]!.slice(0, 30)}` } }).catch((e: unknown) => e);
    expect((cut as ApiCallError).reason).toBe('mrz.unreadable');
    engine.close();
  });

  it('screens a document number alone, and a national ID read from the MRZ decisively', async () => {
    const { engine, api } = await engineWithList();
    const byDoc = await api.call('screening.screen', { traveler: { documentNumber: 'AA7777777' } });
    expect(byDoc.hits.map((h) => [h.entryId, h.score])).toEqual([['W-3', 1]]);
    // A placeholder number is nobody's document (found by review): no decisive hit on it.
    expect((await api.call('screening.screen', { traveler: { documentNumber: '0000000' } })).hits).toEqual([]);
    // A Thai passport carries the holder's citizen number in its personal-number field: the name is spelled otherwise.
    const mrz = td3({ surname: 'PROMPIRIYA', given: 'TANAKORN', number: 'AB1000001', birth: '840229', expiry: '300101', optional: NID }).join('\n');
    const r = await api.call('screening.screen', { traveler: { mrz } });
    expect(r.mrz?.nationalId).toBe(NID);
    expect(r.hits[0]).toMatchObject({ entryId: 'W-2', score: 1, band: 'strong' });
    engine.close();
  });
});

describe('watchdesk match --mrz and a manifest mrz column', () => {
  const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('takes the lines as arguments, prints the parsed fields and every warning; a manifest row is screened from its MRZ', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const list = join(dir, 'w.csv');
    writeFileSync(list, LIST);
    expect(run(['--db', db, 'init']).code).toBe(0);
    expect(run(['--db', db, 'import', list, '--list', 'Warrants', '--kind', 'wanted']).code).toBe(0);
    const lines = td3({ surname: 'SRISOMBAT', given: 'KANOKWAN', number: 'AC9999990', birth: '920705', sex: 'F', expiry: '200101' });
    const m = run(['--db', db, '--format', 'json', 'match', '--mrz', lines[0]!, lines[1]!]);
    expect(m.code).toBe(0);
    const json = JSON.parse(m.out);
    expect(json.mrz).toMatchObject({ format: 'TD3', surname: 'SRISOMBAT', documentNumber: 'AC9999990', expiry: '2020-01-01' });
    expect(json.mrz.warnings.map((w: { reason: string }) => w.reason)).toContain('mrz.expired');
    expect(json.hits[0]).toMatchObject({ entryId: 'W-1', band: 'strong' });
    const text = run(['--db', db, 'match', '--mrz', lines.join('\n')]);
    expect(text.out).toMatch(/^screening [0-9a-f-]{36}\n/);
    expect(text.out).toMatch(/\n {5}hit [0-9a-f-]{36}/);
    expect(text.out).toMatch(/MRZ TD3: SRISOMBAT, KANOKWAN/);
    expect(text.out).toMatch(/MRZ warning: the document expired on 2020-01-01/);
    const name = run(['--db', db, 'match', '--name', lines[0]!]);
    expect(name.code).not.toBe(0);
    expect(name.err).toMatch(/passport MRZ, not a name/);

    const manifest = join(dir, 'manifest.csv');
    const other = td3({ surname: 'NOBODY', given: 'QUXLEY', number: 'ZZ0000001', birth: '700101', expiry: '300101' });
    writeFileSync(manifest, `id,MRZ line 1,MRZ line 2\nT1,${lines[0]},${lines[1]}\nT2,${other[0]},${other[1]}\nT3,P<THABROKEN,XX\n`);
    const sc = run(['--db', db, '--format', 'json', 'screen', manifest]);
    expect(sc.code).toBe(0);
    const batch = JSON.parse(sc.out);
    expect(batch.rows.map((r: { id: string; name: string; hits: unknown[] }) => [r.id, r.name, r.hits.length > 0])).toEqual([
      ['T1', 'KANOKWAN SRISOMBAT', true], ['T2', 'QUXLEY NOBODY', false],
    ]);
    expect(batch.rows[0].mrz).toMatchObject({ format: 'TD3', valid: true });
    expect(batch.problems).toEqual([expect.objectContaining({ row: 4, reason: 'mrz.unreadable', severity: 'error' })]);
  }, 120_000);
});
