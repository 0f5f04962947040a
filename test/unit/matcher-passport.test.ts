/**
 * What the matcher does for passports read at the desk (DESIGN.md section 10a): queries of a
 * document number or national ID alone, national IDs matched against national ID documents, and
 * names cut at the MRZ field limit matched as prefixes. Made-up people only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchIndex, type MatchableEntry, type MatchOptions, type MatchQuery } from '../../electron/core/matching/matcher';
import { phoneticKey } from '../../electron/core/matching/normalize';
import { tokenSimilarity, type PreparedToken } from '../../electron/core/matching/score';
import { explanationSummary } from '../../shared/explain';
import { EN_REASONS } from '../../shared/reasons';
import { TH_REASONS } from '../../shared/reasons-th';

const entry = (id: string, names: string[], extra: Partial<MatchableEntry> = {}): MatchableEntry => ({
  id, names, dateOfBirth: null, sex: null, nationalities: [], documents: [], ...extra,
});

// A few hundred fillers so that rarity weights behave as on a real list (Mohammed is common here).
const FILLERS = Array.from({ length: 300 }, (_, i) =>
  entry(`f${i}`, [`${['Nguyen', 'Chen', 'Kim', 'Mohammed', 'Smith'][i % 5]} ${['Van', 'Li', 'Ahmed', 'John', 'Thi'][(i >> 2) % 5]} Filler${i}`]));
const LIST = [
  entry('hashimi', ['Mohammed Abdulrahman Ibrahim Al-Hashimi'], { dateOfBirth: '1971-05-02', documents: ['X1234567'], nationalIds: [] }),
  entry('hamdan', ['Mohammed Abdulrahman Ibrahim Al-Hamdan'], { documents: ['Y7654321'], nationalIds: [] }),
  entry('passport', ['Quentin Passportholder'], { documents: ['900123456'], nationalIds: [] }),
  entry('card', ['Quentin Cardholder'], { documents: ['900-123-456', 'Z5550001'], nationalIds: ['900-123-456'] }),
  entry('untyped', ['Quentin Untyped'], { documents: ['770011223'] }),
  entry('short', ['Quentin Shortid'], { documents: ['0', '123'], nationalIds: ['0', '123'] }),
  entry('long', ['Quxbertovalinskiwicz']),
  ...FILLERS,
];
const index = new MatchIndex(LIST);
/** The desk's options (screening.ts with the default bands: weak 0.6, review 0.75). */
const DESK: MatchOptions = { top: 9, minScore: 0.6, retrieveAbove: 0.75 };
const ids = (q: MatchQuery, opts: MatchOptions = DESK) => index.match(q, opts).map((r) => r.entryId);

describe('queries without a name', () => {
  it('a document number alone finds its holder, score 1, and no one else', () => {
    const [hit, ...rest] = index.match({ names: [], documentNumber: 'x 123-4567' }, DESK);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ entryId: 'hashimi', score: 1, nameScore: 0 });
    const ex = hit!.explanation;
    expect(ex).toMatchObject({ tokens: [], unmatchedQuery: [], unmatchedEntry: [], matchedName: 'Mohammed Abdulrahman Ibrahim Al-Hashimi' });
    expect(ex.fields).toEqual([expect.objectContaining({ field: 'document', status: 'agree', reason: 'check.sameDocument' })]);
    expect(ex.summary).toBe('no name given; same document number (+1.00)');
    expect(explanationSummary(ex, TH_REASONS)).toBe('ไม่ได้ระบุชื่อ; เลขเอกสารตรงกัน (+1.00)');
  });

  it('finds nothing without a name or a number, or with a number no entry holds', () => {
    expect(ids({ names: [] })).toEqual([]);
    expect(ids({ names: [], documentNumber: '<<<', nationalId: ' ' })).toEqual([]);
    expect(ids({ names: [], documentNumber: 'NOPE0000' })).toEqual([]);
  });

  it('a name that normalizes to nothing still finds the holder of the document', () => {
    expect(ids({ names: ['Mr.'], documentNumber: 'X1234567' })).toEqual(['hashimi']);
  });
});

describe('national IDs', () => {
  it('match a national ID document decisively, and say it was the national ID', () => {
    const [hit, ...rest] = index.match({ names: [], nationalId: '900 123 456' }, DESK);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ entryId: 'card', score: 1 });
    expect(hit!.explanation.fields).toEqual([expect.objectContaining({ field: 'document', status: 'agree', reason: 'check.sameNationalId' })]);
    expect(hit!.explanation.summary).toBe('no name given; same national ID number (+1.00)');
    // With a name that does not match, the national ID still decides.
    expect(index.match({ names: ['Somebody Else'], nationalId: '900123456' }, DESK).map((r) => [r.entryId, r.score])).toEqual([['card', 1]]);
  });

  it('do not match a passport with the same digits; a document number matches both', () => {
    expect(ids({ names: [], nationalId: '900123456' })).not.toContain('passport');
    expect(ids({ names: [], documentNumber: '900123456' }).sort()).toEqual(['card', 'passport']);
  });

  it('match any document of an entry whose document types are not known', () => {
    expect(ids({ names: [], nationalId: '770011223' })).toEqual(['untyped']);
  });

  it('shorter than four characters, match nothing', () => {
    for (const nationalId of ['0', '123', '<<<', '   ', '', '1-2-3']) expect(ids({ names: [], nationalId }), nationalId).toEqual([]);
    // Nor do they count beside a name: the holder is found by name alone.
    const [byName] = index.match({ names: ['Quentin Shortid'], nationalId: '123' }, DESK);
    expect(byName).toMatchObject({ entryId: 'short', explanation: { fields: [] } });
  });
});

describe('names cut at the field limit', () => {
  const CUT = 'MOHAMMED ABDULRAHMAN IBRAHIM AL-HAS';

  it('matches the last part as a prefix: a strong score, above the same name read whole', () => {
    const cut = index.match({ names: [CUT], nameCut: true }, DESK);
    expect(cut[0]).toMatchObject({ entryId: 'hashimi' });
    expect(cut[0]!.score).toBeGreaterThanOrEqual(0.9);
    expect(cut[0]!.explanation.tokens).toContainEqual(expect.objectContaining({ entry: expect.stringMatching(/hashimi$/), kind: 'prefix' }));
    const whole = index.match({ names: [CUT] }, { ...DESK, minScore: 0 }).find((r) => r.entryId === 'hashimi');
    expect(whole?.score ?? 0).toBeLessThan(cut[0]!.score);
  });

  it('does not match an entry token that does not begin with the cut token', () => {
    const hamdan = index.match({ names: [CUT], nameCut: true }, { ...DESK, minScore: 0 }).find((r) => r.entryId === 'hamdan');
    expect(hamdan?.explanation.tokens.some((t) => t.kind === 'prefix') ?? false).toBe(false);
    const tok = (text: string, cut = false): PreparedToken => ({ text, phon: phoneticKey(text), weight: 1, id: 0, ...(cut && { cut }) });
    expect(tokenSimilarity(tok('has', true), tok('hamdan'))).toBeNull();
    expect(tokenSimilarity(tok('has', true), tok('hashimi'))).toEqual({ sim: 0.85, kind: 'prefix' });
    expect(tokenSimilarity(tok('hashi', true), tok('hashimi'))).toEqual({ sim: 1, kind: 'prefix' });
    expect(tokenSimilarity(tok('ha', true), tok('hashimi'))).toEqual({ sim: 0.7, kind: 'prefix' });
    expect(tokenSimilarity(tok('h', true), tok('hashimi'))?.kind).toBe('initial');
    // Only a cut token, and only the query's: an entry token is never cut.
    expect(tokenSimilarity(tok('hashi'), tok('hashimi'))?.kind).not.toBe('prefix');
    expect(tokenSimilarity(tok('hashimi'), tok('hashi', true))?.kind).not.toBe('prefix');
  });

  it('retrieves an entry whose names the cut took away, two of them joined by the scorer', () => {
    // The scorer counts two adjacent entry tokens left unmatched as one joined token; the bound
    // allows for it (MatchIndex.pairSaving). The same holds for names not cut: a typo and two
    // extra names on the list (0.78) reach review.
    const list = new MatchIndex([entry('m', ['Marisol Annabel Louisette Garciaz']), ...FILLERS]);
    expect(list.match({ names: ['Marisol Garcia'] }, DESK)).toEqual([expect.objectContaining({ entryId: 'm', score: 0.78 })]);
    const cut = list.match({ names: ['MARISOL GARCIA'], nameCut: true }, DESK);
    expect(cut).toEqual([expect.objectContaining({ entryId: 'm' })]);
    expect(cut[0]!.explanation.unmatchedEntry).toEqual(['annabellouisette']);
  });

  it('retrieves by the cut token alone', () => {
    expect(index.match({ names: ['QUXBERTOVAL'], nameCut: true }, DESK)).toEqual([expect.objectContaining({ entryId: 'long', score: 1 })]);
    expect(ids({ names: ['QUXBERTOVAL'] })).toEqual([]);
  });

  it('explains the prefix in English and Thai', () => {
    const ex = index.match({ names: [CUT], nameCut: true }, DESK)[0]!.explanation;
    expect(ex.summary).toMatch(/has…≈(al)?hashimi \(name cut, its beginning matches\)/);
    expect(explanationSummary(ex, TH_REASONS)).toMatch(/has…≈(al)?hashimi \(ชื่อถูกตัด ส่วนต้นตรงกัน\)/);
    expect(explanationSummary(ex, EN_REASONS)).toBe(ex.summary);
  });

  const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 4, maxLength: 10 });
  const capitalized = (tokens: string[]): string => tokens.map((t) => t[0]!.toUpperCase() + t.slice(1)).join(' ');

  /*
   * Up to four tokens. With five, a cut can leave two whole tokens and one letter and take two
   * whole tokens away, which the scorer counts as not given by the traveler: "Qojwihcpho Mukqsmcv
   * Pmgo Ddyc Cvyc" cut to "QOJWIHCPHO MUKQSMCV P" scores 0.738 (by name, not by retrieval).
   */
  it('property: a name of up to four tokens cut at 60% or more of its length, keeping two whole tokens, still reaches review', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 2, maxLength: 4 }), fc.double({ min: 0.6, max: 1, noNaN: true }), (tokens, at) => {
        const name = capitalized(tokens);
        const cut = name.slice(0, Math.ceil(name.length * at)).toUpperCase();
        // Whole tokens: those the cut leaves followed by a space (the last may or may not be whole).
        fc.pre(cut.split(' ').length - 1 >= 2);
        const list = new MatchIndex([entry('target', [name]), ...FILLERS]);
        const hit = list.match({ names: [cut], nameCut: true }, DESK).find((r) => r.entryId === 'target');
        expect(hit?.score ?? 0, `${name} cut to ${cut}`).toBeGreaterThanOrEqual(0.75);
      }),
      { numRuns: 200 },
    );
  });

  it('property: retrieval of cut names loses no entry that reaches review (the bound holds)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(token, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), (names, pick, at) => {
        // A few entries, and a query cut anywhere in one of their names.
        const list = new MatchIndex([...names.map((n, i) => entry(`t${i}`, [capitalized(n)])), ...FILLERS]);
        const name = capitalized(names[pick % names.length]!);
        const q: MatchQuery = { names: [name.slice(0, 1 + (at % name.length)).toUpperCase()], nameCut: true };
        // A cut leaving one letter is an initial: an initial paired with two entry tokens joined is
        // a retrieval gap of initials (the bound credits it one token), not of prefixes.
        fc.pre(!/(^| )\S$/.test(q.names[0]!));
        const owed = list.match(q, { top: 1e6, minScore: 0, retrieveAbove: 0 }).filter((r) => r.score >= 0.75).slice(0, DESK.top);
        expect(list.match(q, DESK).slice(0, owed.length).map((r) => r.score), JSON.stringify(q)).toEqual(owed.map((r) => r.score));
      }),
      { numRuns: 500 },
    );
  });
});

describe('token similarity stays a 0..1 score', () => {
  it('property: any two tokens, plain or joined, score between 0 and 1', () => {
    // Few letters, many vowels and silent letters: tokens whose phonetic keys collapse to one letter.
    const letters = fc.string({ unit: fc.constantFrom(...'ahy'), minLength: 1, maxLength: 12 });
    const tok = (text: string, joined: boolean): PreparedToken => ({ text, phon: phoneticKey(text), weight: 1, id: 0, ...(joined && { joined }) });
    fc.assert(
      fc.property(letters, letters, fc.boolean(), fc.boolean(), (a, b, ja, jb) => {
        const s = tokenSimilarity(tok(a, ja), tok(b, jb));
        if (s) {
          expect(s.sim).toBeGreaterThanOrEqual(0);
          expect(s.sim).toBeLessThanOrEqual(1);
        }
      }),
      // Found by review: "aaaaa" / "aaaa" scored 1.37 (one-letter phonetic keys, equal, counted as no edit).
      { numRuns: 3000, examples: [['aaaaa', 'aaaa', false, false], ['aaaaaaaaa', 'aaaa', true, false], ['hhhhhhhh', 'hhhhh', true, false]] },
    );
  });
});
