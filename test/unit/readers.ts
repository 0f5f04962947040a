/**
 * What every script reader (readings.ts: thai.ts, khmer.ts, lao.ts, myanmar.ts) promises, as one
 * set of tests each reader's test file runs with its own published spellings.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { looseKey } from '../../electron/core/matching/phonetic';
import { MAX_READINGS, type Reading } from '../../electron/core/matching/readings';

/** A reader's cases: published [script, Latin] spellings, pairs of different names, its code point range. */
export interface ReaderCases {
  published: readonly (readonly [string, string])[];
  apart: readonly (readonly [string, string])[];
  codePoints: readonly [number, number];
}

/** The loose keys of a word's readings. */
export function keysOf(read: (word: string) => Reading[], word: string): string[] {
  return read(word).map((r) => looseKey(r.latin));
}

/**
 * The tests every reader must pass: each published spelling is among the readings; readings are
 * a-z, cheapest first; two different names share no reading; no Latin input gives none; 2,000
 * arbitrary strings of the script's code points never throw and stay within MAX_READINGS.
 */
export function readerContract(read: (word: string) => Reading[], cases: ReaderCases): void {
  it.each(cases.published)('%s is read %s', (word, latin) => {
    expect(keysOf(read, word)).toContain(looseKey(latin));
  });

  it('gives lower-case a-z readings, cheapest first', () => {
    for (const [word] of cases.published) {
      const r = read(word);
      expect(r.length).toBeGreaterThan(0);
      for (const x of r) expect(x.latin).toMatch(/^[a-z]+$/);
      for (let k = 1; k < r.length; k++) expect(r[k]!.cost).toBeGreaterThanOrEqual(r[k - 1]!.cost);
    }
  });

  it('keeps clearly different names apart', () => {
    for (const [a, b] of cases.apart) {
      const kb = new Set(keysOf(read, b));
      expect(keysOf(read, a).filter((k) => kb.has(k)), `${a} / ${b}`).toEqual([]);
    }
  });

  it('is empty for a word without letters of its script', () => {
    expect(read('abc')).toEqual([]);
    expect(read('')).toEqual([]);
  });

  it('never throws on arbitrary code points of its script and keeps its bounds', () => {
    const [min, max] = cases.codePoints;
    const words = fc.array(fc.integer({ min, max }), { maxLength: 16 }).map((cps) => String.fromCodePoint(...cps));
    fc.assert(
      fc.property(words, (word) => {
        const r = read(word);
        expect(r.length).toBeLessThanOrEqual(MAX_READINGS);
        for (const x of r) expect(x.latin).toMatch(/^[a-z]+$/);
      }),
      { numRuns: 2000 },
    );
  });
}
