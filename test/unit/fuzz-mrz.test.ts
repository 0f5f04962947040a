/**
 * Property/fuzz tests of the MRZ reader (shared/mrz.ts; ICAO Doc 9303 TD1, TD2, TD3, MRV-A/B and
 * their check digits), issue 15: generated text of every shape either reads as a zone whose
 * fields keep their invariants or is refused with MrzError and a reason code; never another
 * error, never a slow case. Valid zones made here (test/fixtures/mrz.ts computes the check digits
 * independently of the `mrz` package) read back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeMrz, MrzError, mrzTravelerFields, normalizeMrzText, readMrz, resolveDate, type MrzReading } from '../../shared/mrz';
import { mrvA, mrvB, td1, td2, td3, thaiId, type MrzPerson } from '../fixtures/mrz';
import { type CaseClock, describeError, fuzzHarness, fuzzParams, knownReason } from './fuzz-support';

/** Slowest case allowed (ms): far above a normal read (well under 10 ms), far below a hang. */
const CASE_BUDGET_MS = 500;
const NOW = new Date('2026-12-06T10:00:00Z');
const MRZ_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<'.split('');
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const SHAPES: Record<MrzReading['format'], [number, number]> = { TD3: [2, 44], 'MRV-A': [2, 44], TD2: [2, 36], 'MRV-B': [2, 36], TD1: [3, 30] };
const BUILDERS = [
  { format: 'TD3', build: td3, code: 'P<' }, { format: 'TD2', build: td2, code: 'I<' }, { format: 'TD1', build: td1, code: 'I<' },
  { format: 'MRV-A', build: mrvA, code: 'V<' }, { format: 'MRV-B', build: mrvB, code: 'V<' },
] as const;

const { clock } = fuzzHarness();

// --- generators ---

const letters = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...LETTERS), minLength: min, maxLength: max });
const mrzText = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...MRZ_CHARS), minLength: min, maxLength: max });
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: n, maxLength: n });
const yymmdd = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));

/** A made-up traveler with fields that fit every layout. */
const person: fc.Arbitrary<MrzPerson> = fc.record({
  surname: letters(1, 12),
  given: fc.array(letters(1, 8), { minLength: 1, maxLength: 3 }).map((g) => g.join(' ')),
  number: fc.string({ unit: fc.constantFrom(...MRZ_CHARS.slice(0, 36)), minLength: 1, maxLength: 9 }),
  issuer: fc.constantFrom('THA', 'LAO', 'KHM', 'MMR', 'D<<', 'UTO', 'GBR', 'MYS'),
  nationality: fc.constantFrom('THA', 'LAO', 'KHM', 'MMR', 'D<<', 'UTO', 'GBR', 'MYS'),
  birth: yymmdd,
  expiry: yymmdd,
  sex: fc.constantFrom('M' as const, 'F' as const, '<' as const),
  optional: fc.oneof(fc.constant(''), digits(12).map(thaiId), mrzText(0, 7).map((s) => s.replace(/^<+/, ''))),
});

/** A valid zone of any layout, as lines. */
const validZone = fc.tuple(fc.constantFrom(...BUILDERS), person).map(([b, p]) => {
  const optMax = b.format === 'TD2' ? 7 : 14;
  const q = { ...p, code: b.code, optional: (p.optional ?? '').slice(0, optMax) };
  return { format: b.format, person: q, lines: b.build(q) };
});

/** One edit a reader or a paste may make: a character replaced, dropped or added, a line lost, swapped or joined. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: fc.oneof(fc.constantFrom(...MRZ_CHARS), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: fc.oneof(fc.constantFrom(...MRZ_CHARS, ' ', '\n', '«', '＜', '\u200b'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }),
  fc.record({ kind: fc.constant('code' as const), ch: fc.constantFrom(...MRZ_CHARS) }),
  fc.record({ kind: fc.constant('dropLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const) }),
  fc.record({ kind: fc.constant('join' as const) }),
);

function applyEdits(lines: string[], edits: { kind: string; at?: number; ch?: string }[]): string {
  let ls = [...lines];
  for (const e of edits) {
    const text = ls.join('\n');
    const i = text.length ? (e.at ?? 0) % text.length : 0;
    if (e.kind === 'replace') ls = (text.slice(0, i) + e.ch! + text.slice(i + 1)).split('\n');
    else if (e.kind === 'delete') ls = (text.slice(0, i) + text.slice(i + 1)).split('\n');
    else if (e.kind === 'insert') ls = (text.slice(0, i) + e.ch! + text.slice(i)).split('\n');
    else if (e.kind === 'code') ls = [e.ch! + (ls[0] ?? '').slice(1), ...ls.slice(1)];
    else if (e.kind === 'dropLine' && ls.length) ls.splice((e.at ?? 0) % ls.length, 1);
    else if (e.kind === 'swapLines') ls.reverse();
    else if (e.kind === 'join') ls = [ls.join('')];
  }
  return ls.join('\n');
}

/** Text of the shape of a zone (2 or 3 lines near 30, 36 or 44 characters of the MRZ alphabet), separated as readers do. */
const shaped = fc.tuple(
  fc.constantFrom(29, 30, 31, 35, 36, 37, 43, 44, 45),
  fc.integer({ min: 1, max: 4 }),
  fc.constantFrom('\n', '\r\n', '\r', ' ', '', '\n\n'),
  fc.constantFrom('P', 'I', 'A', 'C', 'V', 'X', '<', '1'),
).chain(([len, n, sep, first]) => fc.array(mrzText(len, len), { minLength: n, maxLength: n }).map((ls) => (first + ls.join(sep)).slice(0, (len + sep.length) * n)));

/** Anything: text of any characters, MRZ-alphabet runs, valid zones, edited zones, and long runs of what readers send. */
const anyInput = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }), weight: 1 },
  { arbitrary: shaped, weight: 3 },
  { arbitrary: validZone.map((z) => z.lines.join('\n')), weight: 1 },
  { arbitrary: fc.tuple(validZone, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([z, es]) => applyEdits(z.lines, es)), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom('<', ' ', '\n', 'P<', '0', 'A'), fc.integer({ min: 100, max: 5000 })).map(([s, n]) => s.repeat(n)), weight: 1 },
);

// --- invariants ---

const ISO_PARTIAL = /^\d{4}(-\d{2}(-\d{2})?)?$/;
function realDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  if (m !== undefined && (m < 1 || m > 12)) return false;
  if (d !== undefined) return new Date(Date.UTC(y!, m! - 1, d)).getUTCDate() === d;
  return true;
}

/** Throws (a plain Error saying which) when a reading breaks an invariant of MrzReading. */
function checkReading(r: MrzReading): void {
  const fail = (what: string) => {
    throw new Error(`reading breaks an invariant: ${what}`);
  };
  const shape = SHAPES[r.format];
  if (!shape) fail(`format ${String(r.format)}`);
  if (r.lines.length !== shape[0] || r.lines.some((l) => l.length !== shape[1] || !/^[A-Z0-9<]+$/.test(l))) fail('lines');
  if (r.dateOfBirth !== null && !(ISO_PARTIAL.test(r.dateOfBirth) && realDate(r.dateOfBirth))) fail('dateOfBirth');
  if (r.expiry !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(r.expiry) && realDate(r.expiry))) fail('expiry');
  if (r.valid !== (r.failed.length === 0)) fail('valid');
  if (!r.warnings.every((w) => knownReason(w.code))) fail('warning code');
  if (r.sex !== null && !['M', 'F', 'X'].includes(r.sex)) fail('sex');
  if (r.nationalId !== null && !r.valid) fail('national ID from a failed zone');
  if (/[^A-Z ]/.test(r.surname) || /[^A-Z ]/.test(r.givenNames)) fail('name characters');
  const fields = mrzTravelerFields(r);
  if (fields.dateOfBirth && r.failed.includes('birthDate')) fail('failed birth date used');
}

/** Reads `text`: a reading that keeps the invariants, or MrzError with a reason code; anything else throws. */
function readChecked(c: CaseClock, text: string): MrzReading | MrzError {
  const out = c.run(() => {
    looksLikeMrz(text);
    normalizeMrzText(text);
    return readMrz(text, NOW);
  });
  if (out.ok) {
    checkReading(out.value);
    return out.value;
  }
  if (out.error instanceof MrzError && knownReason(out.error.problem.code)) return out.error;
  throw new Error(`unclear failure: ${describeError(out.error)}`);
}

describe('fuzz: MRZ reader (shared/mrz.ts)', () => {
  it('reads or refuses with a reason every generated text, every case fast', () => {
    const c = clock('mrz readMrz (any text)');
    fc.assert(fc.property(anyInput, (text) => {
      readChecked(c, text);
    }), fuzzParams(0x6d727a01));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });

  it('reads every generated valid zone back exactly, valid, from lines or a reader burst', () => {
    const c = clock('mrz readMrz (valid zones round trip)');
    fc.assert(fc.property(validZone, fc.boolean(), ({ format, person: p, lines }, burst) => {
      const r = readChecked(c, burst ? lines.join('') : lines.join('\r\n'));
      expect(r).not.toBeInstanceOf(MrzError);
      const reading = r as MrzReading;
      expect(reading.format).toBe(format);
      expect(reading.valid).toBe(true);
      expect(reading.lines).toEqual(lines);
      expect(reading.surname).toBe(p.surname);
      expect(reading.documentNumber).toBe(p.number.replace(/<+$/, '').replace(/</g, ''));
      expect(reading.sex).toBe(p.sex === '<' ? null : p.sex);
      expect(reading.dateOfBirth?.slice(2).replace(/-/g, '')).toBe(p.birth);
      expect(reading.expiry?.slice(2).replace(/-/g, '')).toBe(p.expiry);
    }), fuzzParams(0x6d727a02, 3_000));
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });

  it('resolves or refuses every six-character date for any reference day', () => {
    const c = clock('mrz resolveDate');
    const six = fc.oneof(mrzText(6, 6), digits(6), fc.string({ unit: 'binary', maxLength: 8 }), fc.tuple(digits(2), fc.constantFrom('<<', '00', '13', '99'), fc.constantFrom('<<', '00', '31', '32')).map((t) => t.join('')));
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(fc.property(six, fc.constantFrom('birth' as const, 'expiry' as const), day, (s, kind, now) => {
      const out = c.run(() => resolveDate(s, kind, now));
      if (!out.ok) throw new Error(`unclear failure: ${describeError(out.error)}`);
      const iso = out.value;
      if (iso === null) return;
      expect(iso).toMatch(ISO_PARTIAL);
      expect(realDate(iso)).toBe(true);
      if (kind === 'birth') expect(iso.slice(0, 4) <= now.toISOString().slice(0, 4)).toBe(true);
      else expect(Math.abs(Number(iso.slice(0, 4)) - now.getUTCFullYear())).toBeLessThanOrEqual(50);
    }), fuzzParams(0x6d727a03));
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });
});
