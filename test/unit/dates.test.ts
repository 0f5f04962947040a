import { describe, expect, it } from 'vitest';
import { beToCe, ceToBe, excelSerialToDate, parseDate } from '../../shared/dates';
import { reasonText } from '../../shared/reasons';

const iso = (s: string | number, o?: { date1904?: boolean }) => {
  const r = parseDate(s, o);
  return r.ok ? r.date.iso : `error: ${reasonText(r.problem)}`;
};

describe('parseDate', () => {
  it('reads Buddhist-Era day/month/year (police warrant sheets)', () => {
    expect(iso('14/03/2530')).toBe('1987-03-14');
    expect(iso('14-03-2530')).toBe('1987-03-14');
    expect(iso('14.3.2530')).toBe('1987-03-14');
  });
  it('applies the pre-1941 rule: January to March of BE years before 2484 are CE + 542', () => {
    expect(iso('25/01/2470')).toBe('1928-01-25');
    expect(iso('25/04/2470')).toBe('1927-04-25');
    expect(iso('25/01/2490')).toBe('1947-01-25');
    expect(beToCe(2483, 12)).toBe(1940);
    expect(ceToBe(1987, 3)).toBe(2530);
  });
  it('reads Thai month names in full and abbreviated', () => {
    expect(iso('14 มีนาคม 2530')).toBe('1987-03-14');
    expect(iso('14 มี.ค. 2530')).toBe('1987-03-14');
    expect(iso('25 ม.ค. 2470')).toBe('1928-01-25');
    expect(iso('1 ธ.ค. 2500')).toBe('1957-12-01');
    expect(iso('พ.ศ. 2530')).toBe('1987');
  });
  it('reads English month names and ISO forms, keeping precision', () => {
    expect(iso('14 Mar 1987')).toBe('1987-03-14');
    expect(iso('March 1987')).toBe('1987-03');
    expect(iso('1987-03')).toBe('1987-03');
    expect(iso('1987')).toBe('1987');
    expect(iso('2530')).toBe('1987');
    expect(iso('03/1987')).toBe('1987-03');
  });
  it('reports impossible dates and keeps what is valid', () => {
    const r = parseDate('1974-01-32');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.partial?.iso).toBe('1974-01');
    const feb = parseDate('31/02/1985');
    expect(!feb.ok && feb.partial?.iso).toBe('1985-02');
    expect(iso('29/02/2000')).toBe('2000-02-29');
    expect(iso('29/02/1999')).toMatch(/^error/);
  });
  it('refuses two-digit years and garbage', () => {
    expect(iso('14/03/87')).toMatch(/two digits/);
    expect(iso('yesterday')).toMatch(/^error/);
  });
});

describe('excelSerialToDate', () => {
  it('converts 1900-system serials, past the phantom 1900-02-29', () => {
    expect(excelSerialToDate(31850).ok && (excelSerialToDate(31850) as { date: { iso: string } }).date.iso).toBe('1987-03-14');
    expect(iso(1)).toBe('1900-01-01');
    expect((excelSerialToDate(61) as { date: { iso: string } }).date.iso).toBe('1900-03-01');
    expect(excelSerialToDate(60).ok).toBe(false);
  });
  it('converts 1904-system serials', () => {
    expect((excelSerialToDate(30388, true) as { date: { iso: string } }).date.iso).toBe('1987-03-14');
    expect(iso(30388, { date1904: true })).toBe('1987-03-14');
  });
  it('is not shifted by the time zone', () => {
    const before = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    expect(iso(31850)).toBe('1987-03-14');
    process.env.TZ = before;
  });
});
