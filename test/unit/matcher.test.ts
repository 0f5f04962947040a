import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MatchIndex, type MatchableEntry } from '../../electron/core/matching/matcher';
import { nameVariants, phoneticKey } from '../../electron/core/matching/normalize';
import { adjustByFields, bitOsaDistance, fieldUpperBound, osaDistance, tokenSimilarity } from '../../electron/core/matching/score';
import { reasonText, type Reason } from '../../shared/reasons';

const entry = (id: string, names: string[], extra: Partial<MatchableEntry> = {}): MatchableEntry => ({
  id, names, dateOfBirth: null, sex: null, nationalities: [], documents: [], ...extra,
});

// Made-up people; a few hundred fillers so that rarity weights behave as on a real list.
const FILLERS = Array.from({ length: 300 }, (_, i) =>
  entry(`f${i}`, [`${['Nguyen', 'Chen', 'Kim', 'Mohammed', 'Smith'][i % 5]} ${['Van', 'Li', 'Ahmed', 'John', 'Thi'][(i >> 2) % 5]} Filler${i}`]));
const LIST = [
  entry('sompong', ['SOMPONG THOTSOBDI', 'สมปอง ทดสอบดี'], { dateOfBirth: '1987-03-14', nationalities: ['THA'], sex: 'M', documents: ['AA0004711'] }),
  entry('mueller', ['Anna-Maria Müller-Probe'], { dateOfBirth: '1985-02', nationalities: ['DEU'], sex: 'F' }),
  entry('abdul', ['Abdulrahman Quxtest Zarwani'], { dateOfBirth: '1970' }),
  entry('nayao', ['นายาว สมมติ']),
  ...FILLERS,
];
const index = new MatchIndex(LIST);
const top = (q: Parameters<MatchIndex['match']>[0]) => index.match(q, { top: 3 })[0];

describe('normalization', () => {
  it('case-folds and gives both the ICAO and the plain form of Latin diacritics', () => {
    const v = nameVariants('Anna-Maria MÜLLER');
    expect(v).toContainEqual(['anna', 'maria', 'mueller']);
    expect(v).toContainEqual(['anna', 'maria', 'muller']);
    expect(nameVariants('Đặng Thị Ngọc')).toContainEqual(['dang', 'thi', 'ngoc']);
    expect(nameVariants('Søren Øst')).toContainEqual(['soeren', 'oest']);
  });
  it('drops titles and ranks, Latin and Thai, dotted or not', () => {
    expect(nameVariants('Mr. John Smith')).toEqual([['john', 'smith']]);
    expect(nameVariants('Pol. Gen. Somchai Test')).toContainEqual(['somchai', 'test']);
    // Pol is also a name (Pol Pot): the unstripped form stays as a second variant.
    expect(nameVariants('Pol Pot')).toEqual([['pot'], ['pol', 'pot']]);
    expect(nameVariants('พ.ต.ท. สมชาย ทดสอบ')).toEqual([['สมชาย', 'ทดสอบ']]);
    expect(nameVariants('นาย สมชาย ทดสอบ')).toEqual([['สมชาย', 'ทดสอบ']]);
  });
  it('splits a glued Thai title only when a well-formed name remains, keeping both forms', () => {
    const glued = nameVariants('นายสมชาย ทดสอบ');
    expect(glued).toContainEqual(['สมชาย', 'ทดสอบ']);
    expect(glued).toContainEqual(['นายสมชาย', 'ทดสอบ']);
    // นายาว is a surname, not นาย + าว (a vowel cannot start a name).
    expect(nameVariants('นายาว สมมติ')).toEqual([['นายาว', 'สมมติ']]);
  });
  it('never strips Thai vowel and tone marks', () => {
    expect(nameVariants('ส้มชาย')[0]).toEqual(['ส้มชาย']);
    expect(nameVariants('สมชาย')[0]).not.toEqual(nameVariants('ส้มชาย')[0]);
  });
  it('keeps U and Daw as optional only at the start of a name', () => {
    expect(nameVariants('U Aung Test')).toContainEqual(['aung', 'test']);
    expect(nameVariants('U Aung Test')).toContainEqual(['u', 'aung', 'test']);
    expect(nameVariants('Kim Jong U')).toEqual([['kim', 'jong', 'u']]);
  });
  it('folds romanization variants into one phonetic key', () => {
    expect(phoneticKey('phongsak')).toBe(phoneticKey('pongsak'));
    expect(phoneticKey('thanakorn')).toBe(phoneticKey('tanakon'));
    expect(phoneticKey('wichai')).toBe(phoneticKey('vichai'));
    expect(phoneticKey('chaiyaphum')).toBe(phoneticKey('jaiyapum'));
  });
  it('folds as the rules read one after another as regular expressions (phoneticKey is one buffer pass each)', () => {
    // The rules as written in phoneticKey's docstring, each a global replacement in order.
    const byRules = (token: string): string => {
      if (!/^[a-z]+$/.test(token)) return token;
      const rules: [RegExp, string][] = [
        [/tch/g, 'j'], [/sch/g, 'sh'], [/ph/g, 'p'], [/th/g, 't'], [/kh/g, 'k'], [/gh/g, 'g'], [/dh/g, 'd'], [/bh/g, 'b'],
        [/ch/g, 'j'], [/sh/g, 's'], [/ck/g, 'k'], [/q/g, 'k'], [/c(?=[aou]|$)/g, 'k'], [/c/g, 's'], [/x/g, 'ks'], [/z/g, 's'],
        [/v/g, 'w'], [/(ee|ea|ie|ii|y)/g, 'i'], [/(oo|ou|uu)/g, 'u'], [/(ay|ey|ei)/g, 'ai'], [/(.)\1+/g, '$1'],
        [/rn$/, 'n'], [/l$/, 'n'], [/d$/, 't'], [/(?<=.)h$/, ''],
      ];
      return rules.reduce((s, [re, to]) => s.replace(re, to), token);
    };
    // Tokens built from the letters and pieces the rules look at, so that they meet and overlap.
    const pieces = ['tch', 'sch', 'ph', 'th', 'kh', 'gh', 'dh', 'bh', 'ch', 'sh', 'ck', 'q', 'c', 'x', 'z', 'v', 'ee', 'ea', 'ie',
      'ii', 'y', 'oo', 'ou', 'uu', 'ay', 'ey', 'ei', 'rn', 'l', 'd', 'h', 'a', 'o', 'u', 'e', 'i', 'n', 'r', 's', 't', 'k', 'w'];
    const token = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join('')), fc.string({ maxLength: 12 }));
    fc.assert(fc.property(token, (t) => phoneticKey(t) === byRules(t)), { numRuns: 20000 });
    for (const t of ['schachter', 'thompson', 'xochitl', 'phh', 'tsch', 'cheeyay', 'arnl', 'h', 'eyei', 'ÄRN', '']) expect(phoneticKey(t)).toBe(byRules(t));
  });
  it('counts a transposition as one edit', () => {
    expect(osaDistance('somchai', 'somhcai')).toBe(1);
    expect(osaDistance('abc', 'xyz', 1)).toBe(2);
  });
  it('copes with tokens of tens of thousands of letters (no stack overflow, no lost hit)', () => {
    expect(phoneticKey('x'.repeat(70000))).toBe('ks'.repeat(70000));
    expect(bitOsaDistance('a'.repeat(40))('a'.repeat(70000))).toBe(70000 - 40);
    // A token longer than 65,535 units before others in the index: the long tokens' letters stay in place.
    const index = new MatchIndex([entry('long', ['ab'.repeat(35000)]), entry('w', ['Wongsakulchai Prayuthchanocha'])]);
    expect(index.match({ names: ['wongsakulcahi'] }).map((r) => r.entryId)).toContain('w');
  });
  it('computes the OSA distance bit-parallel, a swap one edit (Hyyrö 2003)', () => {
    expect(bitOsaDistance('kitten')('sitting')).toBe(3);
    expect(bitOsaDistance('somchai')('somhcai')).toBe(1);
    expect(bitOsaDistance('ca')('abc')).toBe(3); // OSA, not Damerau: no edit of a swapped pair
    expect(bitOsaDistance('ประยุทธ์')('ประยุท')).toBe(2);
    // The same over UTF-16 units in a shared array (the index keeps long tokens so).
    const arena = Uint16Array.from('xxsomhcaiyy', (c) => c.charCodeAt(0));
    expect(bitOsaDistance('somchai').in(arena, 2, 9)).toBe(1);
    expect(bitOsaDistance('somchai').in(arena, 0, 11)).toBe(5);
    // Equal to the table-based osaDistance on any pair over a small alphabet (swaps and repeats
    // are frequent), patterns up to the 31 units the bit vectors hold, and beyond (the fallback).
    const word = (max: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'ก', 'ข'), maxLength: max });
    fc.assert(fc.property(word(33), word(36), (a, b) => bitOsaDistance(a)(b) === osaDistance(a, b)), { numRuns: 3000 });
  });
  it('gives short tokens no typo budget', () => {
    const t = (text: string) => ({ text, phon: phoneticKey(text), weight: 1, id: 0 });
    expect(tokenSimilarity(t('lee'), t('lem'))).toBeNull();
    expect(tokenSimilarity(t('lee'), t('lea'))?.kind).toBe('phonetic');
    expect(tokenSimilarity(t('somchai'), t('somchia'))?.kind).toBe('typo');
  });
});

describe('matching', () => {
  it('matches regardless of name order and case', () => {
    const h = top({ names: ['thotsobdi sompong'] });
    expect(h?.entryId).toBe('sompong');
    expect(h!.score).toBeGreaterThanOrEqual(0.95);
  });
  it('matches "LAST, FIRST" and small typos', () => {
    expect(top({ names: ['THOTSOBDI, SOMPNOG'] })?.entryId).toBe('sompong');
    expect(top({ names: ['THOTSOBDI, SOMPNOG'] })!.score).toBeGreaterThanOrEqual(0.75);
  });
  it('matches the MRZ transliteration of a diacritic and the hyphen-less form', () => {
    const h = top({ names: ['ANNA MARIA MUELLER PROBE'] });
    expect(h?.entryId).toBe('mueller');
    expect(h!.score).toBeGreaterThanOrEqual(0.9);
    expect(top({ names: ['Anna Maria Muller Probe'] })?.entryId).toBe('mueller');
  });
  it('meets joined and spaced forms', () => {
    const h = top({ names: ['Abdul Rahman Quxtest Zarwani'] });
    expect(h?.entryId).toBe('abdul');
    expect(h!.score).toBeGreaterThanOrEqual(0.85);
    expect(h!.explanation.tokens.some((t) => t.kind === 'joined')).toBe(true);
  });
  it('matches Thai script with one tone mark wrong at review level', () => {
    const h = top({ names: ['สมป้อง ทดสอบดี'] });
    expect(h?.entryId).toBe('sompong');
    expect(h!.score).toBeGreaterThanOrEqual(0.75);
    expect(h!.score).toBeLessThan(1);
  });
  it('raises no hit for a different person sharing only a common token', () => {
    const hits = index.match({ names: ['Nguyen Unrelated Person'] }, { minScore: 0.75 });
    expect(hits).toEqual([]);
  });
  it('lowers the score for a different birth year, but keeps a strong name at review', () => {
    const same = top({ names: ['SOMPONG THOTSOBDI'], dateOfBirth: '1987-03-14' })!;
    const off = top({ names: ['SOMPONG THOTSOBDI'], dateOfBirth: '1984-03-14' })!;
    expect(off.score).toBeLessThan(same.score);
    expect(off.score).toBeGreaterThanOrEqual(0.75);
    expect(off.explanation.fields.find((f) => f.field === 'dateOfBirth')?.status).toBe('disagree');
  });
  it('lowers day/month swapped less than a different day', () => {
    const idx = new MatchIndex([entry('x', ['Quxtest Zarwani Person'], { dateOfBirth: '1987-03-04' }), ...FILLERS]);
    const score = (dob: string) => idx.match({ names: ['Quxtest Zarwani Person'], dateOfBirth: dob })[0]!.score;
    const same = score('1987-03-04');
    const swapped = score('1987-04-03');
    const otherDay = score('1987-03-09');
    expect(same).toBeGreaterThan(swapped);
    expect(swapped).toBeGreaterThan(otherDay);
  });
  it('lowers the score for a different nationality and sex', () => {
    const base = top({ names: ['SOMPONG THOTSOBDI'] })!.score;
    expect(top({ names: ['SOMPONG THOTSOBDI'], nationality: 'KHM' })!.score).toBeLessThan(base);
    expect(top({ names: ['SOMPONG THOTSOBDI'], sex: 'F' })!.score).toBeLessThan(base);
  });
  it('treats the same document number as decisive and a different one as neutral', () => {
    const same = top({ names: ['S THOTSOBDI'], documentNumber: 'aa 000 4711', dateOfBirth: '1987-03-14' })!;
    expect(same.entryId).toBe('sompong');
    expect(same.score).toBe(1);
    // The other fields are still explained beside the decisive document.
    expect(same.explanation.fields.map((f) => [f.field, f.status])).toEqual([['document', 'agree'], ['dateOfBirth', 'agree']]);
    const base = top({ names: ['SOMPONG THOTSOBDI'] })!.score;
    expect(top({ names: ['SOMPONG THOTSOBDI'], documentNumber: 'ZZ9999999' })!.score).toBe(base);
  });
  it('warns about an impossible date of birth and still screens by name', () => {
    const warnings: Reason[] = [];
    const h = index.match({ names: ['SOMPONG THOTSOBDI'], dateOfBirth: '1987-01-32' }, { warnings })[0];
    expect(h?.entryId).toBe('sompong');
    expect(warnings[0]).toMatchObject({ code: 'traveler.dobByNameAndMonth', params: { day: 32, detail: 'date.noSuchDay' } });
    expect(reasonText(warnings[0]!)).toBe('date of birth: day 32 does not exist in 1987-01; screened by name and the year and month');
  });
  it('matches a Thai-script entry to the romanized passport name, and the reverse', () => {
    const idx = new MatchIndex([entry('th', ['นายสมชาย ใจดีมาก']), entry('la', ['WICHAI SAENGTHONG']), ...FILLERS]);
    const a = idx.match({ names: ['SOMCHAI JAIDEEMAK'] })[0];
    expect(a?.entryId).toBe('th');
    expect(a!.score).toBeGreaterThanOrEqual(0.75);
    const b = idx.match({ names: ['วิชัย แสงทอง'] })[0];
    expect(b?.entryId).toBe('la');
    expect(b!.score).toBeGreaterThanOrEqual(0.9);
  });
  it('keeps a substituted name part below review (a relative is not the person)', () => {
    // Motivated by name_bench: "BARZAN IBRAHIM HASSAN AL-MOSULI" is not "... AL-TIKRITI".
    const idx = new MatchIndex([entry('t', ['BARZAN IBRAHIM HASSAN AL-TIKRITI']), ...FILLERS]);
    expect(idx.match({ names: ['BARZAN IBRAHIM HASSAN AL-MOSULI'] }, { minScore: 0 })[0]!.score).toBeLessThan(0.75);
    // A missing part alone is not a substitution.
    expect(idx.match({ names: ['BARZAN IBRAHIM AL-TIKRITI'] })[0]!.score).toBeGreaterThanOrEqual(0.75);
  });
  it('does not join short syllables into a typo of another name ("Thi An" is not "Thanh")', () => {
    const vn = new MatchIndex([...FILLERS, entry('thian', ['Nguyen Thi An']), entry('thanh', ['Nguyen Thanh'])]);
    const hits = vn.match({ names: ['Nguyễn Thanh'] }, { top: 5, minScore: 0.6 });
    expect(hits[0]?.entryId).toBe('thanh');
    expect(hits.find((h) => h.entryId === 'thian')?.score ?? 0).toBeLessThan(0.75);
    // the scorer's rule: a joined token of fewer than eight letters takes its one edit in the
    // letters ("abdal" / "abdul"), not only in the phonetic key ("thian" / "thanh": tian / tan)
    const tok = (text: string, joined = false) => ({ text, phon: phoneticKey(text), weight: 1, id: 0, joined });
    expect(tokenSimilarity(tok('thian', true), tok('thanh'))).toBeNull();
    expect(tokenSimilarity(tok('abdal', true), tok('abdul'))?.kind).toBe('joined');
    expect(tokenSimilarity(tok('abdulrahman', true), tok('abdulrahmn'))?.kind).toBe('joined');
  });
  it('does not take a father for his son across bin/ibn', () => {
    const idx = new MatchIndex([entry('s', ['MUHAMMAD BIN SALMAN AL-RAWI']), ...FILLERS]);
    expect(idx.match({ names: ['SALMAN BIN MUHAMMAD AL-RAWI'] }, { minScore: 0 })[0]!.score).toBeLessThan(0.75);
    expect(idx.match({ names: ['MUHAMMAD BIN SALMAN AL RAWI'] })[0]!.score).toBeGreaterThanOrEqual(0.9);
  });
  it('knows Chinese surname forms, Wade-Giles and Han script', () => {
    const idx = new MatchIndex([entry('c', ['CHEN WEI MING']), entry('m', ['MAO ZEDONG']), entry('x', ['习近平']), ...FILLERS]);
    expect(idx.match({ names: ['TAN WEI MING'] })[0]).toMatchObject({ entryId: 'c' });
    expect(idx.match({ names: ['TAN WEI MING'] })[0]!.explanation.tokens.find((t) => t.query === 'tan')?.kind).toBe('variant');
    expect(idx.match({ names: ['Mao Tse-tung'] })[0]?.entryId).toBe('m');
    expect(idx.match({ names: ['XI JINPING'] })[0]?.entryId).toBe('x');
    expect(idx.match({ names: ['LIN WEI MING'] }, { minScore: 0.75 }).map((h) => h.entryId)).not.toContain('c');
  });
  it('knows short forms and cognates of given names', () => {
    const idx = new MatchIndex([entry('b', ['Benjamin Quxnetan']), ...FILLERS]);
    expect(idx.match({ names: ['Bibi Quxnetan'] })[0]!.score).toBeGreaterThanOrEqual(0.75);
  });
  it('reads digits typed for letters and other scripts', () => {
    const idx = new MatchIndex([entry('i', ['Igor Quxsechin']), entry('o', ['Barack Obama']), ...FILLERS]);
    expect(idx.match({ names: ['Ig0r Quxsech1n'] })[0]?.entryId).toBe('i');
    expect(idx.match({ names: ['Барак Обама'] })[0]?.entryId).toBe('o');
  });
  it('keeps a title that is also a name as a second form (Pol Pot)', () => {
    const idx = new MatchIndex([entry('p', ['PolPot']), ...FILLERS]);
    expect(idx.match({ names: ['Pol Pot'] })[0]?.entryId).toBe('p');
  });
  it('explains which tokens matched and how', () => {
    const h = top({ names: ['Sompong Thotsobdee'] })!;
    expect(h.explanation.tokens.map((t) => t.query).sort()).toEqual(['sompong', 'thotsobdee']);
    expect(h.explanation.tokens.find((t) => t.query === 'sompong')?.kind).toBe('exact');
    expect(h.explanation.summary).toContain('thotsobdee');
  });
});

describe('field upper bound', () => {
  it('is never below the adjusted score, whatever the other fields say (no shared document)', () => {
    const dates = [null, '1970', '1970-05', '1970-05-06', '1970-06-05', '1972-05-06', '1990-01-01'];
    const dob = (s: string | null) => (s ? { iso: s, precision: 'day' as const, year: Number(s.slice(0, 4)), month: s[5] ? Number(s.slice(5, 7)) : undefined, day: s[8] ? Number(s.slice(8, 10)) : undefined } : null);
    for (const a of dates) {
      for (const b of dates) {
        for (const nat of [[], ['THA'], ['KHM']]) {
          for (const sex of [null, 'M', 'F']) {
            const q = { dob: dob(a), sex: 'M', nationalities: ['THA'], documents: ['A1'] };
            const e = { dob: dob(b), sex, nationalities: nat, documents: ['B2'] };
            const exact = adjustByFields(0.8, q, e).score;
            expect(fieldUpperBound(0.8, q.dob?.year ?? 0, e.dob?.year ?? 0)).toBeGreaterThanOrEqual(exact);
          }
        }
      }
    }
    // and it is tight where the birth years differ
    expect(fieldUpperBound(0.8, 1970, 1972)).toBeCloseTo(0.8 - 0.06 + 0.02);
  });
});

describe('typo retrieval', () => {
  // Made-up tokens from syllables (so that they share trigrams as names do), 2 to 16 letters,
  // some with x (whose phonetic key is longer than the text); each is one single-token entry.
  const SYLLABLES = ['ka', 'chan', 'tha', 'phon', 'som', 'wat', 'na', 'rin', 'xu', 'ang', 'sak', 'di', 'mo', 'lee', 'vong', 'bou', 'ph', 'kh', 'e', 'o'];
  let seed = 42;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const word = (): string => {
    let w = '';
    const target = 2 + rand(15);
    while (w.length < target) w += SYLLABLES[rand(SYLLABLES.length)];
    return w.slice(0, target);
  };
  const plain = (t: string): boolean => /^[a-z]+$/.test(t) && JSON.stringify(nameVariants(t)) === JSON.stringify([[t]]);
  const tokens = [...new Set(Array.from({ length: 2500 }, word))].filter(plain);
  const typoIndex = new MatchIndex(tokens.map((t, i) => entry(`t${i}`, [t])));
  /** Up to three edits of the scorer's kinds: substitution, insertion, deletion, adjacent swap. */
  const damage = (t: string, edits: number): string => {
    let s = t;
    for (let k = 0; k < edits && s.length > 1; k++) {
      const at = rand(s.length);
      const c = 'abcdehiknoprstuwx'[rand(17)]!;
      const op = rand(4);
      if (op === 0) s = s.slice(0, at) + c + s.slice(at + 1);
      else if (op === 1) s = s.slice(0, at) + c + s.slice(at);
      else if (op === 2) s = s.slice(0, at) + s.slice(at + 1);
      else if (at + 1 < s.length) s = s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2);
    }
    return s;
  };
  const prep = (t: string) => ({ text: t, phon: phoneticKey(t), weight: 1, id: 0 });

  it('finds every listed token within the typo budget, whatever its length (no token silently missed)', () => {
    let checked = 0;
    let typos = 0;
    for (let n = 0; n < 400; n++) {
      const q = damage(tokens[rand(tokens.length)]!, 1 + rand(3));
      if (!plain(q)) continue;
      const expected = new Set(tokens.flatMap((t, i) => (tokenSimilarity(prep(q), prep(t))?.sim ?? 0) > 0 ? [`t${i}`] : []));
      const got = new Set(typoIndex.match({ names: [q] }, { top: 100000, minScore: 0.001, retrieveAbove: 0.001 }).map((r) => r.entryId));
      for (const id of expected) expect(got, `${q} should find ${tokens[Number(id.slice(1))]}`).toContain(id);
      checked += expected.size;
      typos += [...expected].filter((id) => tokenSimilarity(prep(q), prep(tokens[Number(id.slice(1))]!))?.kind === 'typo').length;
    }
    // The test means something: many expected tokens, most of them by typos of two or three edits.
    expect(checked).toBeGreaterThan(300);
    expect(typos).toBeGreaterThan(150);
  });
});

describe('ranking', () => {
  it('never stops before an entry sharing the document number, whatever its birth year', () => {
    // Five namesakes born the same year as the traveler would, by name and year, outrank the one
    // sharing the passport number, born 20 years apart; the shared document makes its score 1.
    const list = [
      ...FILLERS,
      ...Array.from({ length: 5 }, (_, i) => entry(`n${i}`, ['Wang Fangchih Testname'], { dateOfBirth: '1950-10-01' })),
      entry('doc', ['Wang Fangchih Testname'], { dateOfBirth: '1970-10-01', documents: ['IY8880954'] }),
    ];
    const hits = new MatchIndex(list).match({ names: ['Wang Fangchih Testname'], dateOfBirth: '1950-10-01', documentNumber: 'IY8880954' }, { top: 3 });
    expect(hits.find((h) => h.entryId === 'doc')).toMatchObject({ score: 1 });
  });
});
