/**
 * The birth-year penalty graded by the gap (DESIGN.md section 5.6): a strong name a few years off
 * stays at review, while 15 years or more apart never leaves a hit strong on the name alone, and
 * the score keeps falling with the gap (father and son around review, namesakes decades apart
 * near weak). The retrieval bound stays exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchIndex, type MatchableEntry } from '../../electron/core/matching/matcher';
import { adjustByFields, fieldUpperBound, yearsApartEffect, type FieldInputs } from '../../electron/core/matching/score';
import type { PartialDate } from '../../shared/dates';
import { bandOf, DEFAULT_THRESHOLDS } from '../../shared/domain';

const { strong, review, weak } = DEFAULT_THRESHOLDS;
const born = (year: number, month?: number, day?: number): PartialDate => ({
  iso: [year, month, day].filter((x) => x !== undefined).map((x) => String(x).padStart(2, '0')).join('-'),
  precision: day !== undefined ? 'day' : month !== undefined ? 'month' : 'year',
  year, ...(month !== undefined && { month }), ...(day !== undefined && { day }),
});
const fields = (dob: PartialDate | null, extra: Partial<FieldInputs> = {}): FieldInputs => ({ dob, sex: null, nationalities: [], documents: [], ...extra });
/** A perfect-or-given name score, the traveler born in 1980 and the entry `gap` years apart, nationality agreeing. */
const scoreApart = (nameScore: number, gap: number): number =>
  adjustByFields(nameScore, fields(born(1980), { nationalities: ['THA'] }), fields(born(1980 + gap), { nationalities: ['THA'] })).score;

describe('birth years apart', () => {
  it('lowers the score more the larger the gap, from 0 to 60 years', () => {
    expect(yearsApartEffect(0)).toBeCloseTo(0, 12);
    for (let gap = 1; gap <= 60; gap++) expect(yearsApartEffect(gap)).toBeLessThan(yearsApartEffect(gap - 1));
    // and the explanation carries the same effect
    for (let gap = 1; gap <= 60; gap++) {
      const check = adjustByFields(0.8, fields(born(1970, 5, 6)), fields(born(1970 + gap, 5, 6))).checks.find((c) => c.field === 'dateOfBirth')!;
      expect(check).toMatchObject({ status: 'disagree', reason: 'check.birthYearDiffers', params: { years: gap }, effect: yearsApartEffect(gap) });
    }
  });

  it('keeps a strong name up to five years off at review or above', () => {
    expect(scoreApart(1, 5)).toBeGreaterThanOrEqual(review);
    fc.assert(
      fc.property(fc.double({ min: strong, max: 1, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.boolean(), (name, gap, nat, sex) => {
        const q = fields(born(1980, 3, 4), { nationalities: nat ? ['THA'] : [], sex: sex ? 'M' : null });
        const e = fields(born(1980 + gap), { nationalities: ['THA'], sex: 'M' });
        expect(adjustByFields(name, q, e).score).toBeGreaterThanOrEqual(review);
      }),
    );
  });

  it('never leaves a hit strong on the name alone 15 years or more apart', () => {
    expect(scoreApart(1, 15)).toBeLessThan(strong);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 15, max: 80 }), fc.boolean(),
        fc.constantFrom<string[]>(['THA'], ['KHM'], []), fc.constantFrom('M', 'F', null), fc.boolean(),
        (name, gap, older, nationalities, sex, fullDates) => {
          const q = fields(fullDates ? born(1980, 5, 6) : born(1980), { nationalities: ['THA'], sex: 'M' });
          const year = older ? 1980 - gap : 1980 + gap;
          const e = fields(fullDates ? born(year, 5, 6) : born(year), { nationalities, sex });
          const score = adjustByFields(name, q, e).score;
          expect(score).toBeLessThan(strong);
          // The matcher's retrieval bound is still a bound, and exact for the best other fields.
          const bound = fieldUpperBound(name, q.dob!.year, e.dob!.year);
          expect(bound).toBeGreaterThanOrEqual(score);
          if (nationalities[0] === 'THA' && sex !== 'F') expect(bound).toBeCloseTo(score, 12);
        },
      ),
    );
  });

  it('keeps falling: a father and son around review, namesakes 40 years apart near weak', () => {
    for (let gap = 15; gap <= 80; gap++) expect(scoreApart(1, gap)).toBeLessThan(scoreApart(1, gap - 1));
    for (const gap of [25, 28, 30]) expect(scoreApart(1, gap)).toBeLessThan(review);
    expect(scoreApart(1, 25)).toBeGreaterThan(review - 0.05);
    expect(Math.abs(scoreApart(1, 40) - weak)).toBeLessThanOrEqual(0.05);
    expect(scoreApart(1, 45)).toBeLessThan(weak);
  });

  it('a shared document number still scores 1 whatever the years', () => {
    const q = fields(born(1980), { documents: ['AA1234567'] });
    expect(adjustByFields(0.4, q, fields(born(1920), { documents: ['AA1234567'] })).score).toBe(1);
  });
});

describe('namesakes born decades apart, through the index', () => {
  const entry = (id: string, names: string[], extra: Partial<MatchableEntry> = {}): MatchableEntry => ({
    id, names, dateOfBirth: null, sex: null, nationalities: [], documents: [], ...extra,
  });
  const FILLERS = Array.from({ length: 300 }, (_, i) =>
    entry(`f${i}`, [`${['Nguyen', 'Chen', 'Kim', 'Mohammed', 'Smith'][i % 5]} ${['Van', 'Li', 'Ahmed', 'John', 'Thi'][(i >> 2) % 5]} Filler${i}`]));
  const index = new MatchIndex([
    entry('father', ['SOMPHON QUXWATTANA'], { dateOfBirth: '1950-02-03', nationalities: ['THA'], sex: 'M' }),
    entry('son', ['SOMPHON QUXWATTANA'], { dateOfBirth: '1980-07-08', nationalities: ['THA'], sex: 'M' }),
    ...FILLERS,
  ]);

  it('a traveler born 1981 is a strong hit on the one born 1980 and not on the one born 1950', () => {
    const hits = index.match({ names: ['SOMPHON QUXWATTANA'], dateOfBirth: '1981-07-08', nationality: 'THA', sex: 'M' }, { top: 5, minScore: 0, retrieveAbove: 0 });
    const band = (id: string) => {
      const h = hits.find((x) => x.entryId === id);
      expect(h, id).toBeDefined();
      expect(h!.nameScore).toBe(1);
      return bandOf(h!.score, DEFAULT_THRESHOLDS);
    };
    expect(band('son')).toBe('strong');
    expect(band('father')).not.toBe('strong');
    expect(hits[0]!.entryId).toBe('son');
    expect(hits.find((h) => h.entryId === 'father')!.explanation.summary).toContain('birth year differs by 31 year(s)');
  });
});
