/** Reason codes (shared/reasons.ts): every code has English and Thai text with the same parameters. */
import { describe, expect, it } from 'vitest';
import { EN_REASONS, isReasonCode, reasonText, reasonView, type ReasonCode } from '../../shared/reasons';
import { TH_REASONS } from '../../shared/reasons-th';
import { ApiCallError } from '../../shared/client';
import { PASSWORD, setUpEngine } from './helpers';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const CODES = Object.keys(EN_REASONS) as ReasonCode[];

describe('reason codes', () => {
  it('every code has English and Thai text, with the same parameters', () => {
    expect(CODES.length).toBeGreaterThan(100);
    for (const code of CODES) {
      expect(EN_REASONS[code].trim(), code).not.toBe('');
      expect(TH_REASONS[code], code).toMatch(/[\u0E00-\u0E7F]/);
      expect(placeholders(TH_REASONS[code]), code).toEqual(placeholders(EN_REASONS[code]));
    }
    expect(Object.keys(TH_REASONS).sort()).toEqual([...CODES].sort());
  });

  it('fills parameters, nested date problems and parameter values that are codes', () => {
    expect(reasonText({ code: 'crossing.undecidedHits', params: { count: 2 } })).toBe('2 hit(s) at or above review are undecided: decide each before recording the crossing');
    const dob = { code: 'row.dobKeptMonth' as const, params: { detail: 'date.noSuchDay', day: 31, yearMonth: '1985-02' } };
    expect(reasonText(dob)).toBe('date of birth not understood (day 31 does not exist in 1985-02); kept the year and month only');
    expect(reasonText(dob, TH_REASONS)).toBe('อ่านวันเกิดไม่ได้ (ไม่มีวันที่ 31 ใน 1985-02) เก็บไว้เฉพาะปีและเดือน');
    const kinds = { wanted: 'หมายจับ', monitor: 'เฝ้าดู' };
    expect(reasonText({ code: 'list.kindMismatch', params: { list: 'P', actual: 'wanted', wanted: 'monitor' } }, TH_REASONS, { actual: kinds, wanted: kinds }))
      .toBe('บัญชี “P” เป็นประเภท หมายจับ ไม่ใช่ เฝ้าดู');
    expect(reasonView({ code: 'row.noName' })).toEqual({ reason: 'row.noName', params: {}, message: 'the row has no name: rejected' });
    expect(isReasonCode('row.noName')).toBe(true);
    expect(isReasonCode('toString')).toBe(false);
  });

  it('the engine answers with codes: errors, refused fields, warnings and field checks', async () => {
    const { api } = await setUpEngine();
    const bad = await api.call('auth.changePassword', { currentPassword: 'not it at all', newPassword: PASSWORD }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiCallError);
    expect(bad).toMatchObject({ code: 'bad_input', reason: 'account.currentPasswordWrong', params: {}, message: 'the current password is wrong' });
    const refused = await api.call('users.create', { username: 'x!', password: 'p', roles: [] }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'invalid_request', reason: 'request.malformed', params: { method: 'users.create' } });
    expect((refused as ApiCallError).issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'username', reason: 'field.username' }),
      expect.objectContaining({ path: 'roles', reason: 'field.needRole', params: { minimum: 1 } }),
    ]));
    const missing = await api.call('screening.screen', {} as never).catch((e: unknown) => e);
    expect((missing as ApiCallError).issues?.[0]).toMatchObject({ path: 'traveler', reason: 'field.required' });

    await api.call('watchlists.import', {
      listName: 'Police', kind: 'wanted', fileName: 'w.csv',
      contentBase64: Buffer.from('ID,Name,Date of birth,Nationality\nW-1,Somchai Testperson,1980-01-01,THA\n').toString('base64'),
    });
    const r = await api.call('screening.screen', { traveler: { fullName: 'Somchai Testperson', dateOfBirth: '1980-02-30', nationality: 'Narnia' } });
    expect(r.warnings.map((w) => w.reason)).toEqual(['traveler.nationalityNotUsed', 'traveler.dobByNameAndMonth']);
    const [dob] = r.hits[0]!.explanation.fields;
    expect(dob).toMatchObject({ field: 'dateOfBirth', reason: 'check.differentDayMonth', params: {} });
    expect(dob!.detail).toBe(reasonText({ code: dob!.reason, params: dob!.params }));
  });
});
