/**
 * Khmer script to the Latin spellings Cambodian passports, the government and UN/police lists give
 * Khmer names (the French-influenced conventional spelling: Hun Sen, Sar Kheng, Chea Sim, Ieng
 * Sary, Sreymom, Chhay, Pheap), not UNGEGN or ALA-LC transliteration. Syllable by syllable: the
 * consonant series (a-series/o-series, after the subscript and the register shifters ៉ ៊) decides
 * the vowel's value (F. Huffman, "Cambodian System of Writing and Beginning Reader", 1970); the Latin values
 * and their ranking follow the spellings used on Cambodian passports and official name lists.
 * Spellings that differ only by the folds of `looseKey` (ph/p, th/t, ey/ei/ay, ou/u, kh/k ...)
 * are one reading, so they are not listed as separate choices.
 */
import { type Choice, type Reading, spellings } from './readings';

const A = 'a';
const O = 'o';
type Series = typeof A | typeof O;

/** The o-series (second series) consonants; the others are a-series. */
const O_SERIES = 'គឃងជឈញឌឍទធនពភមយរលវ';
/** Sonorants: as a subscript they leave the cluster in the head consonant's series. */
const SONORANT = 'ងញនណមយរលវ';

/** Passport value of each consonant starting a syllable. */
const INITIAL: Record<string, Choice[]> = {
  ក: [['k', 0]], ខ: [['kh', 0]], គ: [['k', 0]], ឃ: [['kh', 0]], ង: [['ng', 0]],
  ច: [['ch', 0]], ឆ: [['chh', 0], ['ch', 1]], ជ: [['ch', 0]], ឈ: [['chh', 0], ['ch', 1]],
  ញ: [['nh', 0], ['ny', 1], ['n', 2]], ដ: [['d', 0]], ឋ: [['th', 0]], ឌ: [['d', 0]], ឍ: [['th', 0]],
  ណ: [['n', 0]], ត: [['t', 0], ['d', 2]], ថ: [['th', 0]], ទ: [['t', 0]], ធ: [['th', 0]], ន: [['n', 0]],
  ប: [['b', 0], ['p', 2]], ផ: [['ph', 0]], ព: [['p', 0]], ភ: [['ph', 0]], ម: [['m', 0]], យ: [['y', 0]],
  រ: [['r', 0]], ល: [['l', 0]], វ: [['v', 0]], ឝ: [['s', 0]], ឞ: [['s', 0]], ស: [['s', 0]], ហ: [['h', 0]],
  ឡ: [['l', 0]], អ: [['', 0]],
};

/** Passport value of each consonant closing a syllable. */
const FINAL: Record<string, Choice[]> = {
  ក: [['k', 0]], ខ: [['k', 0]], គ: [['k', 0]], ឃ: [['k', 0]], ង: [['ng', 0]], ច: [['ch', 0]], ឆ: [['ch', 0]],
  ជ: [['ch', 0]], ឈ: [['ch', 0]], ញ: [['nh', 0], ['n', 1]], ដ: [['t', 0]], ឋ: [['th', 0]], ឌ: [['t', 0]],
  ឍ: [['th', 0]], ណ: [['n', 0]], ត: [['t', 0]], ថ: [['th', 0]], ទ: [['th', 0]], ធ: [['th', 0]], ន: [['n', 0]],
  ប: [['p', 0], ['b', 1]], ផ: [['p', 0]], ព: [['p', 0], ['b', 1]], ភ: [['p', 0]], ម: [['m', 0]], យ: [['y', 0]],
  រ: [['r', 0]], ល: [['l', 0]], វ: [['v', 0], ['o', 1]], ឝ: [['s', 0]], ឞ: [['s', 0]], ស: [['s', 0], ['h', 1]],
  ហ: [['h', 0]], ឡ: [['l', 0]], អ: [['', 0]],
};

/** Independent vowels (a syllable without a consonant). */
const INDEPENDENT: Record<string, Choice[]> = {
  ឣ: [['a', 0]], ឤ: [['a', 0]], ឥ: [['e', 0], ['i', 1]], ឦ: [['ei', 0], ['i', 1]], ឧ: [['o', 0], ['ou', 1]],
  ឨ: [['ok', 0]], ឩ: [['ou', 0], ['o', 1]], ឪ: [['ov', 0], ['au', 1]], ឫ: [['ri', 0], ['reu', 1]],
  ឬ: [['reu', 0], ['ri', 1]], ឭ: [['leu', 0], ['li', 1]], ឮ: [['leu', 0], ['li', 1]], ឯ: [['ae', 0], ['e', 1]],
  ឰ: [['ai', 0]], ឱ: [['ao', 0], ['o', 1]], ឲ: [['ao', 0], ['o', 1]], ឳ: [['au', 0], ['ov', 1]],
};

type VowelTable = Record<string, { a: Choice[]; o: Choice[] }>;
/** Dependent vowels in an open syllable, by series ('' is the inherent vowel). */
const OPEN: VowelTable = {
  '': { a: [['a', 0], ['o', 1]], o: [['o', 0], ['a', 1]] },
  'ា': { a: [['a', 0]], o: [['ea', 0], ['ia', 1], ['a', 1]] },
  'ិ': { a: [['e', 0], ['i', 1]], o: [['i', 0], ['e', 1]] },
  'ី': { a: [['ey', 0], ['i', 1]], o: [['i', 0]] },
  'ឹ': { a: [['oe', 0], ['eu', 1], ['e', 1]], o: [['eu', 0], ['ue', 1], ['oe', 1], ['i', 2]] },
  'ឺ': { a: [['eu', 0], ['oe', 1]], o: [['eu', 0], ['ue', 1], ['oe', 1]] },
  'ុ': { a: [['o', 0], ['u', 1]], o: [['u', 0], ['o', 1]] },
  'ូ': { a: [['ou', 0], ['o', 1]], o: [['ou', 0], ['o', 1]] },
  'ួ': { a: [['uo', 0], ['ua', 1], ['ou', 1]], o: [['uo', 0], ['ua', 1], ['ou', 1]] },
  'ើ': { a: [['oeu', 0], ['aeu', 1], ['eu', 1], ['oe', 1]], o: [['oeu', 0], ['eu', 1], ['oe', 1]] },
  'ឿ': { a: [['oeu', 0], ['eu', 1], ['eua', 1]], o: [['oeu', 0], ['eu', 1], ['eua', 1]] },
  'ៀ': { a: [['ea', 0], ['ie', 1], ['ia', 1]], o: [['ea', 0], ['ie', 1], ['ia', 1]] },
  'េ': { a: [['e', 0], ['ei', 1]], o: [['e', 0], ['ei', 1]] },
  'ែ': { a: [['e', 0], ['ae', 1]], o: [['e', 0], ['ae', 1]] },
  'ៃ': { a: [['ay', 0]], o: [['ey', 0]] },
  'ោ': { a: [['o', 0], ['ao', 1]], o: [['o', 0], ['ou', 1]] },
  'ៅ': { a: [['ao', 0], ['av', 1], ['au', 1]], o: [['ov', 0], ['ou', 1], ['eu', 1]] },
};
/** Dependent vowels before a final consonant, where they differ from the open syllable. */
const CLOSED: VowelTable = {
  '': { a: [['a', 0], ['o', 1]], o: [['o', 0], ['a', 1], ['ea', 1]] },
  'ា': { a: [['a', 0]], o: [['ea', 0], ['ie', 1], ['a', 1]] },
  'ី': { a: [['ei', 0], ['i', 1]], o: [['i', 0]] },
  'េ': { a: [['e', 0], ['ei', 1]], o: [['e', 0], ['ei', 1], ['i', 2]] },
  'ឹ': { a: [['e', 0], ['oe', 1], ['eu', 1]], o: [['eu', 0], ['oe', 1], ['e', 1], ['i', 2]] },
  'ៀ': { a: [['ie', 0], ['ea', 1], ['ia', 1]], o: [['ie', 0], ['ea', 1], ['ia', 1]] },
};
/** With the bantoc ់ (a shortened vowel before the final). */
const SHORT: VowelTable = {
  '': { a: [['a', 0], ['o', 1]], o: [['o', 0], ['u', 1]] },
  'ា': { a: [['a', 0]], o: [['oa', 0], ['ea', 1], ['a', 1]] },
};
/** With the nikahit ំ: the vowel and its final m. */
const NIKAHIT: VowelTable = {
  '': { a: [['am', 0], ['om', 1]], o: [['om', 0], ['um', 1]] },
  'ា': { a: [['am', 0]], o: [['eam', 0], ['oam', 1], ['am', 1]] },
  'ុ': { a: [['om', 0], ['um', 1]], o: [['um', 0], ['om', 0]] },
  'ិ': { a: [['em', 0], ['im', 1]], o: [['im', 0], ['em', 1]] },
};

const CONSONANT = /[\u1780-\u17A2]/;
const COENG = '\u17D2';
const VOWEL = /[\u17B6-\u17C5]/;
const BANTOC = '់';
const TOANDAKHIAT = '៍';
/** Signs that give the consonant they sit on a vowel of its own. */
const OWN_VOWEL = /[\u17B6-\u17C8\u17D0]/;

/** A final stop and its subscript of the same place (ត្ត ទ្ធ ក្ខ ប្ផ ...), or ញ្ញ: one sound (កញ្ញា Kanha). */
const STOP_PAIR = /^(?:[កខគឃ][កខគឃ]|[ចឆជឈ][ចឆជឈ]|[ដឋឌឍ][ដឋឌឍ]|[តថទធ][តថទធ]|[បផពភ][បផពភ]|ញញ)$/;

/** Consonants seldom written as a final inside a word: between two syllables, more often a syllable of their own. */
const RARE_FINAL = 'គឃជឈដឋឌឍថផពភហឡអ';

const isCons = (c: string | undefined): c is string => c !== undefined && CONSONANT.test(c);
const seriesOf = (c: string): Series => (O_SERIES.includes(c) ? O : A);

/** A consonant cluster's series: a non-sonorant subscript gives its own, a sonorant leaves the head's. */
function clusterSeries(cluster: string[]): Series {
  let s = seriesOf(cluster[0]!);
  for (const sub of cluster.slice(1)) if (!SONORANT.includes(sub)) s = seriesOf(sub);
  return s;
}

interface Syllable {
  onset: Choice[][];
  series: Series;
  vowel: string;
  /** ំ, ះ, ៈ, ់ or ័ after the vowel. */
  sign: string;
  final?: string;
  /** The shared final's subscript. */
  sub?: string;
  /** The final also opens the next syllable (Sanskrit spellings: សម្បត្តិ, ចិន្ដា). */
  shared?: boolean;
  independent?: Choice[];
  /** The final ends a word-final cluster (ចន្ទ, រិទ្ធ). */
  clusterFinal?: boolean;
  /** The final may instead be a syllable of its own with the inherent vowel (សីហមុនី, មករា), at this cost. */
  flex?: number;
  /** A word-final cluster's subscript left silent, pronounced as a syllable at a cost (រិទ្ធិ Rith, Rithy). */
  silentTail?: Choice[];
}

/** The Latin choices of an onset's letters (ស្រ sr, ខ្ម khm, ប្រ pr; ប៉ p); `medial`: a shared final's subscript. */
function onsetChoices(letters: string[], shifter: string, medial: boolean): Choice[][] {
  return letters.map((c, k): Choice[] => {
    if (c === 'ប' && (shifter === '៉' || letters.length > 1)) return [['p', 0], ['b', 1]];
    if ((c === 'ត' || c === 'ដ') && (k > 0 || medial)) return medial ? [['d', 0], ['t', 1]] : [['t', 0], ['d', 1]];
    if (c === 'ហ' && k > 0) return [['', 0], ['h', 1]];
    return INITIAL[c] ?? [];
  });
}

/** Cleans a word: NFC, legacy two-part vowels joined, invisible and non-Khmer characters dropped. */
function clean(word: string): string[] {
  const s = word
    .normalize('NFC')
    .replace(/េា/g, 'ោ')
    .replace(/េី/g, 'ើ')
    .replace(/[^\u1780-\u17D2]/g, '')
    .replace(/[\u17B4\u17B5\u17CC\u17CE\u17CF\u17D1]/g, '');
  return [...s];
}

/** The consonant at k ends the word: only its subscripts and ់ ិ ុ ៍ (or register shifters) follow. */
function endsWord(s: string[], k: number): boolean {
  let j = k + 1;
  while (s[j] === COENG && isCons(s[j + 1])) j += 2;
  return s.slice(j).every((m) => '់ិុ៍៉៊'.includes(m));
}

/** Parses a Khmer word into syllables. */
function syllables(word: string): Syllable[] {
  const s = clean(word);
  const out: Syllable[] = [];
  let i = 0;
  let carry: { cluster: string[] } | null = null;
  while (i < s.length) {
    const c = s[i]!;
    const independent = carry ? undefined : INDEPENDENT[c];
    if (!independent && !isCons(c) && !carry) {
      i++;
      continue;
    }
    // The onset: a consonant with its subscripts (or the subscript of a shared final).
    let cluster: string[] = [];
    let letters: string[] = [];
    const medial = carry !== null;
    if (carry) {
      cluster = carry.cluster;
      letters = cluster.slice(1);
      carry = null;
    } else if (independent) {
      i++;
    } else {
      cluster = [c];
      i++;
      while (s[i] === COENG && isCons(s[i + 1])) {
        cluster.push(s[i + 1]!);
        i += 2;
      }
      letters = cluster;
    }
    // Marks on the onset: register shifters, the vowel, signs; a consonant under ៍ is silent.
    let shifter = '';
    let vowel = '';
    let sign = '';
    let silent = false;
    while (i < s.length && !isCons(s[i]) && !INDEPENDENT[s[i]!]) {
      const m = s[i]!;
      if (m === '៉' || m === '៊') shifter = m;
      else if (VOWEL.test(m)) vowel += m;
      else if ('ំះៈ័់'.includes(m)) sign += m;
      else if (m === TOANDAKHIAT) silent = true;
      i++;
    }
    if (silent) continue;
    let series = cluster.length ? clusterSeries(cluster) : A;
    if (shifter === '៉') series = A;
    if (shifter === '៊') series = O;
    const syl: Syllable = { onset: onsetChoices(letters, shifter, medial), series, vowel, sign, independent };
    out.push(syl);
    // A final: the next consonant, when it has no vowel of its own and this vowel takes one.
    const takesFinal = !/[ៃៅ]/.test(vowel) && !/[ះៈ]/.test(sign) && !(sign.includes('ំ') && s[i] !== 'ង');
    const f = s[i];
    if (!takesFinal || !isCons(f)) continue;
    const sub: string[] = [f];
    let j = i + 1;
    while (s[j] === COENG && isCons(s[j + 1])) {
      sub.push(s[j + 1]!);
      j += 2;
    }
    if (sub.length > 1) {
      const tail = s.slice(j);
      if (tail.every((m) => 'ិុ៍់'.includes(m))) {
        // A word-final cluster: the subscript is silent (ចន្ទ Chan, រិទ្ធ Rith), and a trailing
        // ិ or ុ with it, but some spell it (រិទ្ធិ Rithy).
        syl.final = f;
        syl.clusterFinal = true;
        if (tail[0] === 'ិ' || tail[0] === 'ុ') {
          const v = OPEN[tail[0]]![clusterSeries(sub)].map(([l, k]): Choice => [l === 'e' ? 'y' : l, k + 1]);
          const on = INITIAL[sub[sub.length - 1]!] ?? [];
          syl.silentTail = [['', 0], ...on.flatMap(([o, ko]) => v.map(([l, k]): Choice => [o + l, k + ko]))];
        }
        i = s.length;
        continue;
      }
      // Inside a word the final also opens the next syllable with its subscript, whose series
      // is the whole cluster's (រស្មី Rasmey, ភក្ដី Pheakdey); an onset cluster (ស្រ, ព្រ)
      // after a written vowel opens the next syllable alone.
      if ('រលវយ'.includes(sub[1]!) && (vowel !== '' || sign !== '')) continue;
      syl.final = f;
      syl.shared = true;
      syl.sub = sub[1];
      carry = { cluster: sub };
      i = j;
      continue;
    }
    let k = i + 1;
    while (s[k] === '៉' || s[k] === '៊') k++;
    if (s[k] !== undefined && OWN_VOWEL.test(s[k]!)) continue;
    if (s[i + 1] === TOANDAKHIAT) {
      i += 2;
      continue;
    }
    // Before a last, vowel-less consonant (or word-final cluster) this one opens a syllable of its own
    // (ស៊ីសុវត្ថិ Si-so-wath).
    if (s[i + 1] !== BANTOC && isCons(s[i + 1]) && endsWord(s, i + 1)) continue;
    syl.final = f;
    // Between a written vowel and a syllable with a vowel, a lone consonant may be a syllable of
    // its own with the inherent vowel (សីហមុនី Si-ha-moni) rather than a final.
    if (s[i + 1] !== BANTOC && isCons(s[i + 1])) {
      const written = vowel !== '' || sign !== '' || independent !== undefined;
      syl.flex = f === 'ហ' ? 0 : !RARE_FINAL.includes(f) ? (written ? undefined : 1) : 1;
    }
    i++;
    while (s[i] === BANTOC || s[i] === '៉' || s[i] === '៊') {
      if (s[i] === BANTOC) syl.sign += BANTOC;
      i++;
    }
  }
  return out;
}

/** The vowel choices of a syllable, by its series, final and signs. */
function vowelChoices(x: Syllable, last: boolean): Choice[] {
  const { vowel, sign, series, final } = x;
  const pick = (t: VowelTable): Choice[] | undefined => t[vowel]?.[series];
  if (sign.includes('ំ') && final !== 'ង') return pick(NIKAHIT) ?? (OPEN[vowel]?.[series] ?? []).map(([l, k]): Choice => [`${l}m`, k]);
  if (sign.includes('ះ')) {
    if (vowel === '' || vowel === 'ា') return series === O ? [['eah', 0], ['ah', 1], ['eas', 2]] : [['ah', 0], ['as', 2]];
    return (OPEN[vowel]?.[series] ?? []).map(([l, k]): Choice => [`${l}h`, k]);
  }
  if (sign.includes('ៈ')) return series === O ? [['eak', 0], ['ak', 1], ['ea', 1]] : [['ak', 0], ['a', 1], ['ah', 1]];
  if (sign.includes('័')) {
    if (final === 'យ') return series === O ? [['e', 0], ['a', 1]] : [['a', 0]];
    return series === O ? [['oa', 0], ['ea', 0], ['a', 1], ['o', 1]] : [['a', 0], ['oa', 1]];
  }
  if (final === undefined) {
    // A word-final o-series i is written y (Sary, Rithy).
    if (last && series === O && (vowel === 'ី' || vowel === 'ិ')) return [['y', 0], ['i', 1]];
    return OPEN[vowel]?.[series] ?? [['a', 0]];
  }
  if (vowel === '' && final === 'យ') return series === O ? [['e', 0], ['a', 1], ['o', 1]] : [['a', 0], ['e', 1]];
  if (vowel === '' && series === O) {
    if ('កចញ'.includes(final) && (x.shared || x.clusterFinal || last)) return [['ea', 0], ['o', 1], ['a', 1]];
    // Before a Sanskrit cluster (វណ្ណ Vann, វត្ថ Wath) the o-series inherent vowel is written a.
    if ((x.shared || x.clusterFinal) && final !== 'ង') return [['a', 0], ['o', 1], ['ea', 1]];
  }
  if (sign.includes(BANTOC)) {
    const short = pick(SHORT);
    if (short) return short;
  }
  return pick(CLOSED) ?? OPEN[vowel]?.[series] ?? [['a', 0]];
}

/** The final's choices, with the spellings a final វ takes after each vowel (Keo, Khieu, Pov). */
function finalChoices(x: Syllable): Choice[] {
  if (x.final === undefined) return [];
  if (x.final === 'វ') {
    if (x.vowel === 'ែ' || x.vowel === 'េ') return [['o', 0], ['v', 1]];
    if (x.vowel === 'ៀ') return [['u', 0], ['v', 1]];
    if (x.vowel === 'ិ' || x.vowel === 'ី') return [['v', 0], ['u', 1]];
  }
  // A dental stop before a silent subscript is written th (Rith, Sambath, Sisowath).
  const f = x.clusterFinal && 'តទធថដ'.includes(x.final) ? [['th', 0] as Choice] : (FINAL[x.final] ?? []);
  if (x.flex !== undefined) {
    const { final, flex } = x;
    const own = (INITIAL[final] ?? []).flatMap(([o, k]) => OPEN['']![seriesOf(final)].map(([v, kv]): Choice => [o + v, k + kv + flex]));
    // ហ is seldom a final: a syllable of its own first.
    return x.final === 'ហ' ? [...own, ['h', 1]] : [...f, ...own];
  }
  // A stop doubled by its subscript is written once (រិទ្ធី Rithy, បុប្ផា Bopha, នរោត្តម Norodom).
  return x.shared && STOP_PAIR.test(x.final + x.sub) ? [['', 0], ...f.map(([l, k]): Choice => [l, k + 1])] : f;
}

/**
 * The Latin spellings of one Khmer word (no spaces) as Cambodian passports and official lists
 * write Khmer names, cheapest first (readings.ts): "ហ៊ុន" → hun, "ស្រីមុំ" → sreymom, "ភាព" →
 * pheap, phiep. Empty for a word without Khmer letters. Rules: module comment above.
 */
export function khmerReadings(word: string): Reading[] {
  const parts: Choice[][] = [];
  const syl = syllables(word);
  for (const [n, x] of syl.entries()) {
    parts.push(...x.onset, x.independent ?? vowelChoices(x, n === syl.length - 1), finalChoices(x));
    if (x.silentTail) parts.push(x.silentTail);
  }
  return spellings(parts);
}
