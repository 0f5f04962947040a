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
  it('refuses garbage', () => {
    expect(iso('yesterday')).toMatch(/^error/);
  });
});

describe('parseDate: issue 13 (compact dates, order, two-digit years, era words)', () => {
  // "Now" is fixed so that the past rule gives the same answers in any year.
  const NOW = Date.UTC(2026, 11, 7);
  const at = (s: string | number, o: Parameters<typeof parseDate>[1] = {}) => iso(s, { now: NOW, ...o });

  it('reads two-digit years by the past rule (20YY unless after this year, else 19YY), was refused', () => {
    expect(at('14/03/87')).toBe('1987-03-14');
    expect(at('01/02/26')).toBe('2026-02-01');
    expect(at('01/02/27')).toBe('1927-02-01');
    expect(at('01/02/00')).toBe('2000-02-01');
  });
  it('reads two-digit years as Buddhist Era in a BE column (25YY, by the same rule)', () => {
    expect(at('14/03/30', { twoDigitEra: 'be' })).toBe('1987-03-14');
    // BE 2569 is CE 2026: 70 is after it, so 2470 (January: CE + 542 before 1941).
    expect(at('25/01/70', { twoDigitEra: 'be' })).toBe('1928-01-25');
  });
  it('reads month-first numeric dates when the order says so', () => {
    expect(at('03/11/1990', { order: 'mdy' })).toBe('1990-03-11');
    expect(at('03/11/1990')).toBe('1990-11-03');
    expect(at('12/25/85', { order: 'mdy' })).toBe('1985-12-25');
  });
  it('reads an era word before the year, inside the text (was not understood)', () => {
    expect(at('14 กุมภาพันธ์ พ.ศ. 2531')).toBe('1988-02-14');
    expect(at('14 ก.พ. พ.ศ.2531')).toBe('1988-02-14');
    expect(at('พ.ศ.2531')).toBe('1988');
    expect(at('ค.ศ. 1988')).toBe('1988');
    expect(at('14 กุมภาพันธ์ ค.ศ. 1988')).toBe('1988-02-14');
    expect(at('1988 ค.ศ.')).toBe('1988');
  });
  it('reads six- and eight-digit dates by a stated rule, never as an Excel serial', () => {
    expect(at('250101', { compact6: 'YYMMDD' })).toBe('2025-01-01');
    expect(at('250101', { compact6: 'DDMMYY' })).toBe('2001-01-25');
    expect(at('800310', { compact6: 'YYMMDD' })).toBe('1980-03-10');
    expect(at('031190', { compact6: 'MMDDYY' })).toBe('1990-03-11');
    expect(at('19800310', { compact8: 'YYYYMMDD' })).toBe('1980-03-10');
    expect(at('10031980', { compact8: 'DDMMYYYY' })).toBe('1980-03-10');
    expect(at('14032530', { compact8: 'DDMMYYYY' })).toBe('1987-03-14');
    expect(at('300314', { compact6: 'YYMMDD', twoDigitEra: 'be' })).toBe('1987-03-14');
    expect(at('801310', { compact6: 'YYMMDD' })).toMatch(/month 13/);
  });
  it('the desk rule for typed digits: the one reading that is a real past day, else refused (was an Excel serial)', () => {
    // 800310 was serial 800310 (year 4091); 250101 was 2041-09-30 by the BE rule.
    expect(at('800310')).toBe('1980-03-10');
    expect(at('311299')).toBe('1999-12-31');
    expect(at('250101')).toMatch(/more than one date/);
    expect(parseDate('250101', { now: NOW })).toMatchObject({ ok: false, problem: { code: 'date.compactAmbiguous' } });
    expect(at('010101')).toBe('2001-01-01');
    expect(at('19800310')).toBe('1980-03-10');
    expect(at('10031980')).toBe('1980-03-10');
    expect(at('999999')).toMatch(/^error/);
    // Text is never a serial; a number still is.
    expect(at('31850')).toMatch(/^error/);
    expect(at(31850)).toBe('1987-03-14');
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
