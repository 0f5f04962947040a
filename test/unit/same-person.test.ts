import { describe, expect, it } from 'vitest';
import { groupSamePerson, isRealNumber, samePersonKeys } from '../../shared/same-person';
import { importFixture, setUpEngine } from './helpers';

const person = (names: string[], dateOfBirth: string | null, documents: { number: string; type: string }[] = []) => ({ names: names.map((name) => ({ name })), dateOfBirth, documents });

describe('the same person (shared/same-person.ts)', () => {
  it('a shared document or national ID, or the same name in any order with the same full date of birth', () => {
    const a = person(['Kanokwan Srisombat'], '1992-07-05', [{ number: 'AC 246-8135', type: 'passport' }]);
    const b = person(['SRISOMBAT, Kanokwan'], '1992-07-05');
    const c = person(['Someone Else'], null, [{ number: 'AC2468135', type: 'passport' }]);
    const d = person(['Kanokwan Srisombat'], '1992'); // a year only is not a full date of birth
    const e = person(['Kanokwan Srisombat'], '1992-07-06');
    const groups = groupSamePerson([a, b, c, d, e], (x) => x);
    expect(groups.map((g) => g.length)).toEqual([3, 1, 1]);
    expect(groups[0]).toEqual([a, b, c]);
    // A national ID and a passport with the same digits are different documents; short numbers say nothing.
    expect(samePersonKeys(person(['X'], null, [{ number: '1234567890123', type: 'national-id' }]))).toEqual(['id:1234567890123']);
    expect(samePersonKeys(person(['X'], null, [{ number: '123', type: 'passport' }]))).toEqual([]);
  });

  it('a shared number with two different full dates of birth is not one person (a typing error or a reused number)', () => {
    const a = person(['Boonmee Thodlongchai'], '1982-03-05', [{ number: '0004711', type: 'passport' }]);
    const b = person(['Lek Namna'], '1990-07-15', [{ number: '0004711', type: 'passport' }]);
    const c = person(['Boonmee T'], '1982', [{ number: '0004711', type: 'passport' }]); // a year only contradicts neither
    expect(groupSamePerson([a, b], (x) => x).map((g) => g.length)).toEqual([1, 1]);
    // Found by review: through an entry without a full date, two different dates of birth were joined.
    expect(groupSamePerson([a, c, b], (x) => x).map((g) => g.length)).toEqual([2, 1]);
    expect(groupSamePerson([c, a, b], (x) => x).map((g) => g.length)).toEqual([2, 1]);
  });

  it('placeholder numbers make no one the same person (found by review)', () => {
    for (const n of ['UNKNOWN', 'N/A N/A N/A', '0000000000000', 'NOT AVAILABLE', '11111', 'XXXXXXXX', '-----']) {
      const a = person(['Ann One'], null, [{ number: n, type: 'passport' }]);
      const b = person(['Bee Two'], '1980-01-01', [{ number: n, type: 'passport' }]);
      expect(groupSamePerson([a, b], (x) => x).map((g) => g.length)).toEqual([1, 1]);
    }
    expect(isRealNumber('AA1234567')).toBe(true);
    expect(isRealNumber('1101700203450')).toBe(true);
  });

  it('groups transitively: A shares a document with B, B a name and birth date with C', () => {
    const a = person(['Ann One'], null, [{ number: 'P1234567', type: 'passport' }]);
    const b = person(['Bee Two'], '1980-01-01', [{ number: 'P1234567', type: 'passport' }]);
    const c = person(['Two Bee'], '1980-01-01');
    expect(groupSamePerson([c, a, b], (x) => x).map((g) => g.length)).toEqual([3]);
  });

  it('the import warns of the same person on two rows, and keeps both', async () => {
    const { engine, api } = await setUpEngine();
    const r = await importFixture(api, 'e2e-at-risk.csv', 'At risk', 'at-risk');
    expect(r.imported).toBe(3);
    expect(r.problems.filter((p) => p.reason === 'row.samePerson')).toEqual([expect.objectContaining({ row: 3, severity: 'warning', params: { row: 2 } })]);
    engine.close();
  });
});
