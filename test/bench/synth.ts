/**
 * A realistic synthetic watchlist for the scale benchmark, deterministic for a seed: Thai (in
 * script, with an RTGS alias), Chinese (Han, with a pinyin alias), Vietnamese, Khmer (with a
 * Khmer-script alias), Lao (with a Lao-script alias where both names have one), Myanmar (with a
 * Myanmar-script alias where every syllable has one) and Western names (English, Spanish,
 * German, French, Russian with patronymics, Arabic-origin with the father's name), with dates of
 * birth, sex, nationalities and document numbers.
 *
 * Name sources: Thai given and family names in Thai script from ../shared/data/names (Korkeat
 * Wannapat's corpus, CC BY-SA 4.0), romanized for the alias by RTGS; the other pools are in
 * synth-names.ts, whose header names the published lists they follow (US SSA popular names, US
 * Census 2010 surnames, INE, INSEE, the Chinese Ministry of Public Security's 2020 surname
 * ranking, Vietnamese surname frequency studies, the published names of Cambodian and Lao public
 * figures, ...). Every generated person is made up: names are drawn independently and uniformly
 * from their pools (real name frequencies are far more skewed, e.g. Nguyen for about 4 in 10
 * Vietnamese; uniform draws keep the list from repeating the same few names).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rtgs } from '../../electron/core/matching/thai';
import { rng } from './names';
import {
  CN_GIVEN_F, CN_GIVEN_M, CN_SURNAMES, KH_NAMES, LA_FAMILY, LA_GIVEN, MM_NAMES, ORIGINS, RU_PATRONYMIC_STEMS,
  VN_GIVEN_F, VN_GIVEN_M, VN_MIDDLE_F, VN_MIDDLE_M, VN_SURNAMES,
} from './synth-names';

export interface SynthPerson {
  id: string;
  names: string[];
  dateOfBirth: string;
  sex: 'M' | 'F';
  nationality: string;
  document: string;
  /** How the primary name is built: given + surname tokens, for making look-alike queries. */
  given: string;
  surname: string;
  culture: string;
}

function thaiNames(): { male: string[]; female: string[]; family: string[] } {
  const dir = resolve(import.meta.dirname, '../../../shared/data/names');
  if (!existsSync(dir)) throw new Error(`${dir} is absent: the scale benchmark needs the Thai name corpus`);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { male: read('male_names_th.txt'), female: read('female_names_th.txt'), family: read('family_names_th.txt') };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Feminine form of a Russian surname: Ivanov → Ivanova, Ilyin → Ilyina; -enko, -uk unchanged. */
const ruFeminine = (s: string): string => (/(ov|ev|yov|in|yn)$/.test(s) ? `${s}a` : s);

/** Generates `n` made-up persons; the same seed gives the same list. */
export function* synthesize(n: number, seed = 1): Generator<SynthPerson> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  /** A pick other than `not` (pools have more than one name). */
  const other = <T>(xs: readonly T[], not: T): T => {
    let x = pick(xs);
    while (x === not) x = pick(xs);
    return x;
  };
  const th = thaiNames();
  // RTGS is the costly step for Thai names; the corpus is small, so each name is romanized once.
  const romanized = new Map<string, string>();
  const rom = (s: string): string => {
    let x = romanized.get(s);
    if (x === undefined) romanized.set(s, (x = cap(rtgs(s))));
    return x;
  };
  const originWeights = ORIGINS.reduce<number[]>((acc, o) => [...acc, (acc.at(-1) ?? 0) + o.weight], []);
  for (let i = 0; i < n; i++) {
    const c = r();
    const year = 1950 + Math.floor(r() * 55);
    const dob = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const sex = r() < 0.5 ? 'M' : 'F';
    const doc = `${String.fromCharCode(65 + Math.floor(r() * 26))}${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
    let p: Omit<SynthPerson, 'id' | 'dateOfBirth' | 'sex' | 'document'>;
    if (c < 0.4) {
      const g = pick(sex === 'M' ? th.male : th.female);
      const f = pick(th.family);
      p = { names: [`${g} ${f}`, `${rom(g)} ${rom(f)}`], given: rom(g), surname: rom(f), nationality: 'THA', culture: 'thai' };
    } else if (c < 0.55) {
      const pool = sex === 'M' ? CN_GIVEN_M : CN_GIVEN_F;
      const s = pick(CN_SURNAMES);
      const g1 = pick(pool);
      const g2 = r() < 0.6 ? pick(pool) : null;
      const given = g1[1] + (g2 ? g2[1] : '');
      p = { names: [s[0] + g1[0] + (g2 ? g2[0] : ''), `${cap(s[1])} ${cap(given)}`], given: cap(given), surname: cap(s[1]), nationality: 'CHN', culture: 'chinese' };
    } else if (c < 0.65) {
      const s = pick(VN_SURNAMES);
      const m = pick(sex === 'M' ? VN_MIDDLE_M : VN_MIDDLE_F);
      const g = other(sex === 'M' ? VN_GIVEN_M : VN_GIVEN_F, m);
      p = { names: [`${s} ${m} ${g}`], given: `${m} ${g}`, surname: s, nationality: 'VNM', culture: 'vietnamese' };
    } else if (c < 0.75) {
      const a = pick(KH_NAMES);
      const b = other(KH_NAMES, a);
      // Some given names have two parts, joined in Khmer script and spaced in romanization
      // (ប៊ុនឆៃ Bun Chhay, as in Nhek Bun Chhay).
      const b2 = r() < 0.3 ? other(KH_NAMES, b) : null;
      const given = b2 ? `${b[1]} ${b2[1]}` : b[1];
      p = { names: [`${a[1]} ${given}`, `${a[0]} ${b[0]}${b2 ? b2[0] : ''}`], given, surname: a[1], nationality: 'KHM', culture: 'khmer' };
    } else if (c < 0.8) {
      const g = pick(LA_GIVEN);
      const f = pick(LA_FAMILY);
      const names = [`${g[0]} ${f[0]}`];
      if (g[1] && f[1]) names.push(`${g[1]} ${f[1]}`);
      p = { names, given: g[0], surname: f[0], nationality: 'LAO', culture: 'lao' };
    } else if (c < 0.85) {
      const a = pick(MM_NAMES);
      const b = other(MM_NAMES, a);
      const parts = r() < 0.5 ? [a, b, other(MM_NAMES, b)] : [a, b];
      const names = [parts.map((x) => x[0]).join(' ')];
      if (parts.every((x) => x[1])) names.push(parts.map((x) => x[1]).join(' '));
      p = { names, given: parts.slice(0, -1).map((x) => x[0]).join(' '), surname: parts[parts.length - 1]![0], nationality: 'MMR', culture: 'myanmar' };
    } else {
      const u = r() * originWeights.at(-1)!;
      const o = ORIGINS[Math.max(0, originWeights.findIndex((x) => u < x))]!;
      const pool = sex === 'M' ? o.male : o.female;
      const g = pick(pool);
      let given = g;
      let surname = pick(o.surnames);
      if (o.origin === 'russian') {
        if (r() < 0.7) given += ` ${pick(RU_PATRONYMIC_STEMS)}${sex === 'M' ? 'ich' : 'na'}`;
        if (sex === 'F') surname = ruFeminine(surname);
      } else if (o.origin === 'arabic') {
        if (r() < 0.6) given += ` ${other(o.male, g)}`; // the father's name
      } else {
        if (r() < (o.origin === 'english' || o.origin === 'spanish' ? 0.3 : 0.2)) given += ` ${other(pool, g)}`;
        if (o.origin === 'spanish' && r() < 0.6) surname += ` ${other(o.surnames, surname)}`; // paternal and maternal
      }
      p = { names: [`${given} ${surname}`], given, surname, nationality: pick(o.nationalities), culture: 'western' };
    }
    if (r() < 0.2) p.names.push(`${p.surname} ${p.given}`.toUpperCase()); // an alias in another order
    yield { id: `S${i}`, dateOfBirth: dob, sex, document: doc, ...p };
  }
}
