/**
 * Property/fuzz tests of ID and value parsing (electron/core/watchlists/values.ts: the Thai
 * national ID check digit, document numbers, nationality to ISO alpha-3, sex from words and
 * titles, lists in a cell), issue 15: every generated input gives a documented result (a value of
 * the documented shape, or null/false), never a thrown error, never a slow case; the check digit
 * agrees with an independent implementation of the Department of Provincial Administration rule.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidThaiId, normalizeDocumentNumber, sexFromTitle, splitList, toAlpha3, toSex } from '../../electron/core/watchlists/values';
import { describeError, fuzzHarness, fuzzParams } from './fuzz-support';

const CASE_BUDGET_MS = 500;
const LONG_BUDGET_MS = 1_000;
const LONG_RUNS = 300;
const requireJson = createRequire(import.meta.url);
const countries = requireJson('i18n-iso-countries') as { getAlpha3Codes(): Record<string, string>; getAlpha2Codes(): Record<string, string>; getNames(l: string): Record<string, string> };
countries.getNames('en'); // the locales are registered by values.ts
const ALPHA3 = Object.keys(countries.getAlpha3Codes());
const ALPHA2 = Object.keys(countries.getAlpha2Codes());

const { clock, worker } = fuzzHarness();

/** The Thai ID rule written independently: weights 13..2 over the first 12 digits, check = (11 − sum mod 11) mod 10. */
function thaiOracle(id: string): boolean {
  if (id.length !== 13 || [...id].some((ch) => ch < '0' || ch > '9')) return false;
  const sum = [...id.slice(0, 12)].reduce((s, ch, i) => s + Number(ch) * (13 - i), 0);
  return (11 - (sum % 11)) % 10 === Number(id[12]);
}

const TOKENS = [
  'Thai', 'ไทย', 'สัญชาติ', 'THA', 'tha', 'TH', 'Lao People\'s Democratic Republic', 'Iran (Islamic Republic of)', 'possibly ', 'probably ',
  '(', ')', ' ', '  ', '\t', '\n', ';', '|', '/', ',', '.', '-', 'นาย', 'นางสาว', 'Mr', 'Mrs.', 'male', 'F', 'X', 'ช', 'ญ', 'ด.ช.',
  'A', 'ZZ', '0', '1234567890123', '١٢٣', '１２３', '\u200b', '\ufeff', 'Korea, South', 'United Kingdom', '\u0000', 'ǅ', 'ß',
];
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }).map((t) => t.join(''));
const anyText = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: tokenText, weight: 4 },
  { arbitrary: fc.constantFrom(...ALPHA3, ...ALPHA2).chain((c) => fc.constantFrom(c, c.toLowerCase(), ` ${c} `, `${c}.`)), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 12, maxLength: 14 }), weight: 2 },
);

/** Throws when a value function's result breaks its documented shape. */
function checkValues(text: string, v: [string | null, string | null, string | null, string[], boolean, string]): void {
  const [a3, sex, titleSex, list, thai, doc] = v;
  if (a3 !== null && !/^[A-Z]{3}$/.test(a3)) throw new Error(`toAlpha3 gave ${a3}`);
  if (sex !== null && !['M', 'F', 'X'].includes(sex)) throw new Error(`toSex gave ${sex}`);
  if (titleSex !== null && !['M', 'F'].includes(titleSex)) throw new Error(`sexFromTitle gave ${titleSex}`);
  if (list.some((s) => !s || s !== s.trim())) throw new Error('splitList gave an empty or untrimmed part');
  if (thai !== thaiOracle(text)) throw new Error('isValidThaiId disagrees with the rule');
  if (!/^[0-9A-Z]*$/.test(doc) || normalizeDocumentNumber(doc) !== doc) throw new Error('normalizeDocumentNumber is not a normal form');
}

describe('fuzz: ID and value parsing (watchlists/values.ts)', () => {
  it('gives a documented result for every generated text, every case fast', () => {
    const c = clock('ids values.ts (any text)');
    fc.assert(fc.property(anyText, (text) => {
      const out = c.run(() => [toAlpha3(text), toSex(text), sexFromTitle(text), splitList(text), isValidThaiId(text), normalizeDocumentNumber(text)] as const);
      if (!out.ok) throw new Error(`unclear failure: ${describeError(out.error)}`);
      checkValues(text, [...out.value] as Parameters<typeof checkValues>[1]);
    }), fuzzParams(0x1d5001));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });

  it('accepts every Thai ID with its check digit and refuses it with any other', () => {
    const c = clock('ids isValidThaiId (made IDs)');
    const first12 = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 12, maxLength: 12 });
    fc.assert(fc.property(first12, fc.integer({ min: 1, max: 9 }), (twelve, shift) => {
      const sum = [...twelve].reduce((s, ch, i) => s + Number(ch) * (13 - i), 0);
      const check = (11 - (sum % 11)) % 10;
      const good = twelve + String(check);
      const bad = twelve + String((check + shift) % 10);
      const out = c.run(() => [isValidThaiId(good), isValidThaiId(bad), isValidThaiId(` ${good}`), isValidThaiId(`${good.slice(0, 1)}-${good.slice(1)}`)]);
      expect(out).toEqual({ ok: true, value: [true, false, false, false] });
    }), fuzzParams(0x1d5002));
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });

  it('reads every ISO 3166 code, either case, as its alpha-3', () => {
    const c = clock('ids toAlpha3 (ISO codes)');
    const alpha3Of = countries.getAlpha2Codes();
    fc.assert(fc.property(fc.constantFrom(...ALPHA3, ...ALPHA2), fc.boolean(), (code, lower) => {
      const out = c.run(() => toAlpha3(lower ? code.toLowerCase() : code));
      expect(out).toEqual({ ok: true, value: code.length === 3 ? code : alpha3Of[code] });
    }), fuzzParams(0x1d5003));
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
  });

  it('stays fast on long texts (thousands of characters, as an import cell may hold): no super-linear matching', async () => {
    const c = clock('ids values.ts (long texts, in a worker)');
    const unit = fc.oneof(fc.array(fc.constantFrom(...TOKENS, 'a'), { minLength: 1, maxLength: 4 }).map((u) => u.join('')), fc.constantFrom('(', ' ', '( ', 'a ', ' ;', '()', ' ()'));
    const long = fc.record({ unit, n: fc.integer({ min: 2_000, max: 50_000 }), head: fc.constantFrom('', 'Thai', 'นาย', 'possibly '), tail: fc.constantFrom('', ')', 'x', ' (Thailand)') });
    await fc.assert(fc.asyncProperty(long, async ({ unit: u, n, head, tail }) => {
      const text = head + u.repeat(Math.ceil(n / u.length)).slice(0, n) + tail;
      await worker.callClear(c, 'values', { text }, `values.ts on ${text.length} characters`, { budgetMs: LONG_BUDGET_MS, hangMs: 10_000 });
    }), fuzzParams(0x1d5004, LONG_RUNS));
  });

  it('regression: a nationality cell of 40,000 "(" or 20,000 "()" is refused at once (was quadratic, and "()" overflowed the stack: RangeError)', () => {
    for (const text of ['('.repeat(40_000), `Thai ${'('.repeat(40_000)}x`, '()'.repeat(20_000), `Thai${' ()'.repeat(5_000)}`]) {
      const t = performance.now();
      expect(toAlpha3(text)).toBeNull();
      expect(performance.now() - t).toBeLessThan(100);
    }
  });

  it('regression: a list cell with a run of 40,000 spaces is split at once (was quadratic: 2 s at 30,000), into the same parts', () => {
    const t = performance.now();
    expect(splitList(`Thai${' '.repeat(40_000)}Lao`)).toEqual([`Thai${' '.repeat(40_000)}Lao`]);
    expect(performance.now() - t).toBeLessThan(100);
    expect(splitList(' THA ;KHM\n; Lao / Thai, , Myanmar,\t| x ,')).toEqual(['THA', 'KHM', 'Lao', 'Thai', 'Myanmar', 'x ,']);
  });
});
