/**
 * The row converter's compact "seen before" tables (electron/core/watchlists/seen.ts, issue 13
 * big files): exact ids even when their hashes collide, dates of birth as numbers that agree as
 * shared/same-person.ts datesAgree does, content keys told apart by id, and the converter's
 * duplicate warnings (same row, same id, same person) right with the tables grown many times.
 */
import { describe, expect, it } from 'vitest';
import { datesAgree } from '../../shared/same-person';
import { RowConverter } from '../../electron/core/watchlists/mapping';
import { ContentRows, dobCode, dobCodesAgree, hash32, StringRows } from '../../electron/core/watchlists/seen';

describe('seen tables', () => {
  it('StringRows is exact: two ids with one hash are two keys; rows survive growth', () => {
    const byHash = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; !pair; i++) {
      const s = `ID-${i}`;
      const other = byHash.get(hash32(s));
      if (other !== undefined) pair = [other, s];
      else byHash.set(hash32(s), s);
    }
    const t = new StringRows();
    t.add(pair[0], 7);
    expect(t.get(pair[1])).toBeUndefined();
    t.add(pair[1], 9);
    for (let i = 0; i < 5000; i++) t.add(`K${i}`, 100 + i);
    expect([t.get(pair[0]), t.get(pair[1]), t.get('K0'), t.get('K4999'), t.get('K5000'), t.get('')]).toEqual([7, 9, 100, 5099, undefined, undefined]);
    expect(t.size).toBe(5002);
  });

  it('dates of birth as codes agree exactly as datesAgree does', () => {
    const dobs = [null, '', '1987', '1987-03', '1987-03-14', '1987-03-15', '2001-12-31', '19870314', '1987-3-14', 'abcd-ef-gh'];
    for (const a of dobs) for (const b of dobs) expect(dobCodesAgree(dobCode(a), dobCode(b)), `${a} ${b}`).toBe(datesAgree(a, b));
    expect(dobCode('1987-03-14')).toBe(19870314);
  });

  it('ContentRows: one content under two ids is two keys; the first row is kept', () => {
    const t = new ContentRows();
    const h = 'aB'.repeat(32);
    expect(t.getOrAdd(h, -1, 2)).toBeUndefined();
    expect(t.getOrAdd(h, 5, 6)).toBeUndefined();
    expect(t.getOrAdd(h, -1, 3)).toBe(2);
    expect(t.getOrAdd(h.toLowerCase(), 5, 8)).toBe(6);
    for (let i = 0; i < 3000; i++) t.getOrAdd(i.toString(16).padEnd(64, '0'), -1, 10 + i);
    expect(t.getOrAdd((2999).toString(16).padEnd(64, '0'), -1, 1)).toBe(3009);
    expect(t.getOrAdd('f'.repeat(64), -1, 1)).toBeUndefined();
  });
});

describe('the converter with grown tables', () => {
  it('a duplicate row, a duplicate id and the same person are each found thousands of rows later, with the first row', () => {
    const headers = ['ID', 'Name', 'Date of birth', 'Passport', 'Warrant'];
    const conv = new RowConverter('S', headers, { externalId: 0, fullName: 1, dateOfBirth: 2, passport: 3, reference: 4 }, false);
    const cells = (r: (string | null)[]) => r.map((v) => ({ v }));
    const n = 4000;
    let row = 2;
    for (let i = 0; i < n; i++) conv.convert(cells([`E${i}`, `PERSON TEST${i}`, '1980-01-01', `P${1000000 + i}`, `W${i}`]), row++);
    const dupRow = row;
    expect(conv.convert(cells(['E17', 'PERSON TEST17', '1980-01-01', 'P1000017', 'W17']), row++)).toBeNull();
    const dupId = conv.convert(cells(['E18', 'OTHER TESTPERSON', '1990-01-01', null, 'W-X']), row++);
    expect(dupId?.entryId).toBe(`E18#${row - 1}`);
    // Same name and date of birth as row 2 + 3000, another id and warrant: kept, warned of.
    const same = conv.convert(cells(['E-NEW', 'TEST3000 PERSON', '1980-01-01', null, 'W-Y']), row++);
    expect(same?.entryId).toBe('E-NEW');
    // A shared passport with another full date of birth is not the same person; without an id the entry id is the hash's.
    const other = conv.convert(cells([null, 'SOMEONE TESTELSE', '1999-09-09', 'P1000020', null]), row++);
    expect(other?.entryId).toMatch(/^[0-9a-f]{16}$/);
    expect(conv.convert(cells([null, 'SOMEONE TESTELSE', '1999-09-09', 'P1000020', null]), row)).toBeNull();
    expect(conv.problems.map((p) => [p.row, p.reason, p.params])).toEqual([
      [dupRow, 'row.duplicateRow', { row: 19 }],
      [dupRow + 1, 'row.duplicateId', { row: 20 }],
      [dupRow + 2, 'row.samePerson', { row: 3002 }],
      [dupRow + 4, 'row.duplicateRow', { row: dupRow + 3 }],
    ]);
    expect(conv.rowsRead).toBe(n + 5);
  });
});
