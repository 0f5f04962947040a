import { describe, expect, it } from 'vitest';
import { MatchIndex, type MatchableEntry } from '../../electron/core/matching/matcher';
import { INITIAL_SIMILARITY, Interner, prepare, tokenSimilarity } from '../../electron/core/matching/score';

const token = (t: string) => prepare([t], () => 1, new Interner())[0]!;
const entry = (id: string, ...names: string[]): MatchableEntry => ({ id, names, dateOfBirth: null, sex: null, nationalities: [], documents: [] });
const DESK = { top: 3, minScore: 0.6, retrieveAbove: 0.75 };

// Spellings as published: Sar Kheng (ស ខេង) and Heng Samrin (ហេង សំរិន) in Cambodia; Thura Shwe
// Mann (သူရရွှေမန်း) in Myanmar; Sulak Sivaraksa, written ส. ศิวรักษ์ with his initial, in Thailand.
describe('one-letter words in scripts with readings', () => {
  it('reads a one-letter Khmer word as the name it is (ស, Sar), and still as an initial', () => {
    expect(tokenSimilarity(token('sar'), token('ស'))).toMatchObject({ kind: 'variant' });
    expect(tokenSimilarity(token('sokha'), token('ស'))).toEqual({ sim: INITIAL_SIMILARITY, kind: 'initial' });
    const index = new MatchIndex([entry('a', 'ស ហេង')]);
    expect(index.match({ names: ['SAR HENG'] }, DESK)[0]?.score).toBeGreaterThanOrEqual(0.9);
  });

  it('never takes a one-letter Myanmar syllable (ရ, Ra) for the initial of a Latin name', () => {
    expect(tokenSimilarity(token('robert'), token('ရ'))).toBeNull();
    expect(tokenSimilarity(token('ra'), token('ရ'))).toMatchObject({ kind: 'variant' });
    // A Latin initial may still stand for a syllable.
    expect(tokenSimilarity(token('r'), token('ရ'))).toMatchObject({ kind: 'initial' });
  });

  it('keeps a one-letter Thai token as an initial (ส. for Sulak)', () => {
    expect(tokenSimilarity(token('sulak'), token('ส'))).toEqual({ sim: INITIAL_SIMILARITY, kind: 'initial' });
    const index = new MatchIndex([entry('a', 'ส. ศิวรักษ์')]);
    expect(index.match({ names: ['SULAK SIVARAKSA'] }, { ...DESK, minScore: 0, retrieveAbove: 0 })[0]?.explanation.summary).toMatch(/sulak≈ส \(initial\)/);
  });
});

describe('script words written as one in Latin letters', () => {
  it('finds two Thai words that a passport writes as one (each part by its own readings)', () => {
    const index = new MatchIndex([entry('a', 'สมชาย ใจดี'), entry('b', 'สมศักดิ์ ใจดี')]);
    const [hit] = index.match({ names: ['SOMCHAIJAIDEE'] }, DESK);
    expect(hit?.entryId).toBe('a');
    expect(hit!.score).toBeGreaterThanOrEqual(0.75);
    // A spelling that reads neither word is no match.
    expect(index.match({ names: ['SOMBATJAIDEE'] }, DESK).filter((h) => h.entryId === 'a')).toEqual([]);
  });

  it('finds Khmer syllables written as one (ហេង សំរិន, HENGSAMRIN)', () => {
    const index = new MatchIndex([entry('a', 'ហេង សំរិន')]);
    expect(index.match({ names: ['HENGSAMRIN'] }, DESK)[0]?.entryId).toBe('a');
  });
});
