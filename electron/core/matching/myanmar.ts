/**
 * Myanmar (Burmese) script to the Latin spellings Myanmar passports and the press give Burmese
 * names: the conventional romanization (Min Aung Hlaing, Aung San Suu Kyi, Thein Sein, Khin
 * Nyunt, U Thant), not MLCTS. A Burmese name is a few syllables written without spaces, each
 * syllable a Latin word, so readings are given per syllable (`myanmarSyllables`) and for the word
 * joined (`myanmarReadings`). The common name syllables come from a table of their published
 * spellings; the rest follow the conventional transcription as described by J. Okell, "A Guide
 * to the Romanization of Burmese" (1971), and the spellings in use (ky for ကျ/ကြ, ht for ထ, th
 * for သ, aung, aing, ein, oke, -t after a creaky nasal: Myint).
 * Spellings that differ only by the folds of `looseKey` (ph/p, th/t, oo/u, ee/i, ay/ai, final
 * -r) are one reading, so they are not listed as separate choices.
 */
import { type Choice, type Reading, spellings } from './readings';

/** Published spellings of common name syllables, keyed by the syllable without the high tone mark း. */
const NAME_SYLLABLES: Record<string, Choice[]> = {
  အောင်: [['aung', 0]], ကျော်: [['kyaw', 0]], မင်: [['min', 0]], သန်: [['than', 0]], ဝင်: [['win', 0]],
  စို: [['soe', 0], ['so', 1]], ထွန်: [['tun', 0], ['htun', 1]], မြင့်: [['myint', 0], ['myin', 1]],
  ခင်: [['khin', 0]], ဇော်: [['zaw', 0]], ညွန့်: [['nyunt', 0], ['nyun', 1]], လှိုင်: [['hlaing', 0]],
  မောင်: [['maung', 0], ['mg', 1]], သိန်: [['thein', 0]], စိန်: [['sein', 0]], ဆန်: [['san', 0], ['hsan', 1]],
  စု: [['su', 0]], ကြည်: [['kyi', 0]], ထက်: [['htet', 0], ['tet', 1]], နိုင်: [['naing', 0]], ဦ: [['u', 0]],
  ဒေါ်: [['daw', 0]], ကို: [['ko', 0]], စော: [['saw', 0]], နော်: [['naw', 0]], စိုင်: [['sai', 0], ['saing', 1]],
  မြ: [['mya', 0]], လှ: [['hla', 0]], အေ: [['aye', 0], ['e', 1]], ရွှေ: [['shwe', 0]], ဖြို: [['phyo', 0]],
  မျို: [['myo', 0]], မို: [['moe', 0], ['mo', 1]], ဇင်: [['zin', 0]], နွယ်: [['nwe', 0], ['nwai', 1]],
  ထာ: [['htar', 0], ['tar', 1]], ဝေ: [['wai', 0], ['we', 1]], သူ: [['thu', 0]], နု: [['nu', 0]], တင်: [['tin', 0]],
  ထင်: [['htin', 0], ['tin', 1]], ပိုင်: [['paing', 0]], ရဲ: [['ye', 0], ['yae', 1]], ညီ: [['nyi', 0]],
  ဗိုလ်: [['bo', 0]], ချို: [['cho', 0]], ချစ်: [['chit', 0]], လင်: [['lin', 0]], လွင်: [['lwin', 0]],
  ဟိန်: [['hein', 0]], ဆွေ: [['swe', 0], ['hswe', 1]], သက်: [['thet', 0]], ဇာ: [['zar', 0]],
  ပြည့်: [['pyae', 0], ['pyi', 1]], ဖြူ: [['phyu', 0]], မြတ်: [['myat', 0]], ဘ: [['ba', 0]], ညို: [['nyo', 0]],
  ဝါ: [['wa', 0]], မာ: [['mar', 0]], သီ: [['thi', 0]], ရန်: [['yan', 0]], နောင်: [['naung', 0]],
  ကောင်: [['kaung', 0]], သော်: [['thaw', 0]], ဟန်: [['han', 0]], သန့်: [['thant', 0], ['than', 1]],
  ထိုက်: [['htike', 0], ['htaik', 1]], ဇေ: [['zay', 0], ['ze', 1]], ရာ: [['yar', 0]], နန်: [['nan', 0]],
  နှင်: [['hnin', 0]], ခိုင်: [['khaing', 0], ['khine', 1]], ထွေ: [['htwe', 0], ['twe', 1]],
  နွေ: [['nway', 0], ['nwe', 1]], ပြုံ: [['pyone', 0]], အိ: [['ei', 0], ['i', 1]], ဌေ: [['htay', 0], ['hte', 1]],
  မန်: [['man', 0]], ကြိုင်: [['kyaing', 0]], ချုပ်: [['choke', 0], ['gyoke', 1]], တော်: [['taw', 0], ['daw', 1]],
  ကြီ: [['gyi', 0], ['kyi', 1]], လေ: [['lay', 0], ['le', 1]], မေ: [['may', 0], ['me', 1]], ငြိမ်: [['nyein', 0]],
  ဥ: [['u', 0]], ညိ: [['nyi', 0]], ယု: [['yu', 0]], သဲ: [['thae', 0], ['the', 1]], ဝဏ္: [['wun', 0], ['wan', 1]],
};

/** Conventional value of each consonant as an initial. */
const CONS: Record<string, Choice[]> = {
  က: [['k', 0], ['g', 2]], ခ: [['kh', 0]], ဂ: [['g', 0]], ဃ: [['g', 0]], င: [['ng', 0]], စ: [['s', 0]],
  ဆ: [['s', 0], ['hs', 1]], ဇ: [['z', 0]], ဈ: [['z', 0]], ဉ: [['ny', 0]], ည: [['ny', 0]], ဋ: [['t', 0]],
  ဌ: [['ht', 0]], ဍ: [['d', 0]], ဎ: [['d', 0]], ဏ: [['n', 0]], တ: [['t', 0], ['d', 2]], ထ: [['ht', 0], ['t', 1]],
  ဒ: [['d', 0]], ဓ: [['d', 0]], န: [['n', 0]], ပ: [['p', 0], ['b', 2]], ဖ: [['ph', 0], ['hp', 1]], ဗ: [['b', 0]],
  ဘ: [['b', 0]], မ: [['m', 0]], ယ: [['y', 0]], ရ: [['y', 0], ['r', 1]], လ: [['l', 0]], ဝ: [['w', 0]],
  သ: [['th', 0]], ဟ: [['h', 0]], ဠ: [['l', 0]], အ: [['', 0]],
};
/** With the medial ျ or ြ. */
const WITH_Y: Record<string, Choice[]> = {
  က: [['ky', 0], ['ch', 2]], ခ: [['ch', 0], ['khy', 2]], ဂ: [['gy', 0], ['j', 1]], ဃ: [['gy', 0]],
  ပ: [['py', 0]], ဖ: [['phy', 0], ['hpy', 1]], ဗ: [['by', 0]], ဘ: [['by', 0]], မ: [['my', 0]], လ: [['ly', 0], ['y', 2]],
  င: [['ny', 0]],
};
/** With the medial ှ. */
const WITH_H: Record<string, Choice[]> = {
  မ: [['hm', 0]], န: [['hn', 0]], လ: [['hl', 0]], င: [['hng', 0]], ည: [['hny', 0]], ဉ: [['hny', 0]],
  ဝ: [['hw', 0], ['wh', 1]], ရ: [['sh', 0]], ယ: [['sh', 0]],
};
/** Independent vowels and their value. */
const INDEPENDENT: Record<string, string> = { ဣ: 'i', ဤ: 'i', ဥ: 'u', ဦ: 'u', ဧ: 'e', ဩ: 'aw', ဪ: 'aw' };
/** The sound class of a final consonant. */
const FINAL_CLASS: Record<string, string> = {
  က: 'k', ခ: 'k', ဂ: 'k', ဃ: 'k', င: 'ng', စ: 'c', ဆ: 'c', ဇ: 'c', ဈ: 'c', ည: 'ny', ဉ: 'in', ဋ: 't', ဌ: 't', ဍ: 't',
  ဎ: 't', တ: 't', ထ: 't', ဒ: 't', ဓ: 't', သ: 't', ဏ: 'n', န: 'n', ပ: 'p', ဖ: 'p', ဗ: 'p', ဘ: 'p', မ: 'm', ယ: 'y',
  လ: 'l', ဠ: 'l',
};

const LETTER = /[\u1000-\u102A\u103F]/;
const ASAT = '\u103A';
const VIRAMA = '\u1039';
const DOT = '\u1037';

/** Cleans a word: NFC, ါ as ာ, ဿ as သ္သ, invisible and non-Myanmar characters dropped. */
function clean(word: string): string {
  return word.normalize('NFC').replace(/ါ/g, 'ာ').replace(/ဿ/g, 'သ္သ').replace(/[^\u1000-\u103F]/g, '');
}

/** True when the letter at k is a final: an asat (or a virama) follows it, perhaps after the creaky dot. */
function isFinalAt(s: string[], k: number): boolean {
  const n = s[k + 1] === DOT ? s[k + 2] : s[k + 1];
  return n === ASAT || n === VIRAMA;
}

/** Splits a cleaned word into its syllables: a letter that is not a final starts one. */
function split(word: string): string[] {
  const s = [...clean(word)];
  const out: string[] = [];
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (LETTER.test(c) && !isFinalAt(s, k)) out.push(c);
    else if (out.length) out[out.length - 1] += c;
  }
  return out;
}

/** The name syllable table keyed by cleaned syllables (ဒေါ် as ဒော်). */
const TABLE = new Map(Object.entries(NAME_SYLLABLES).map(([k, v]) => [clean(k), v]));

/** The rhyme's choices: vowel, final class, nasal sign, creaky tone, and ွ read as the vowel u. */
function rhyme(v: string, fin: string, anusvara: boolean, creaky: boolean, wVowel: boolean): Choice[] {
  let r: Choice[];
  const nasal = anusvara || fin === 'n' || fin === 'm';
  if (wVowel) r = nasal ? [['un', 0], ['wun', 2]] : [['ut', 0], ['wut', 2]];
  else if (anusvara && !fin) r = v === 'i' ? [['ein', 0]] : v === 'u' ? [['one', 0], ['on', 1], ['oun', 1]] : [['an', 0], ['am', 1]];
  else {
    const key = `${v}|${fin}`;
    const RHYMES: Record<string, Choice[]> = {
      '|': [['a', 0]], 'a|': [['a', 0]], 'i|': [['i', 0]], 'u|': [['u', 0]], 'e|': [['e', 0], ['ay', 1]],
      'ai|': [['e', 0], ['ae', 1], ['ai', 2]], 'aw|': [['aw', 0]], 'o|': [['o', 0], ['oe', 1]],
      '|k': [['et', 0], ['ek', 1]], 'aw|k': [['auk', 0]], 'o|k': [['aik', 0], ['ike', 1]],
      '|ng': [['in', 0], ['ing', 1]], 'aw|ng': [['aung', 0]], 'o|ng': [['aing', 0], ['ine', 1]],
      '|c': [['it', 0]], '|ny': [['i', 0], ['e', 1], ['ae', 1]], '|in': [['in', 0]],
      '|t': [['at', 0]], 'i|t': [['eik', 0], ['eit', 1]], 'u|t': [['oke', 0], ['ok', 1]],
      '|n': [['an', 0]], 'i|n': [['ein', 0]], 'u|n': [['one', 0], ['on', 1], ['oun', 1]],
      '|p': [['at', 0], ['ap', 1]], 'i|p': [['eik', 0], ['eip', 1]], 'u|p': [['oke', 0], ['ok', 1]],
      '|m': [['an', 0], ['am', 1]], 'i|m': [['ein', 0], ['eim', 1]], 'u|m': [['one', 0], ['on', 1]],
      '|y': [['e', 0], ['ae', 1], ['ai', 2]], 'o|l': [['o', 0]], '|l': [['an', 0]],
    };
    r = RHYMES[key] ?? RHYMES[`${v}|`] ?? RHYMES[`|${fin}`] ?? [['a', 0]];
  }
  // A creaky nasal is written with a t (မြင့် Myint, ညွန့် Nyunt, သန့် Thant).
  if (creaky && (nasal || fin === 'ng' || fin === 'in')) {
    return r.flatMap(([l, k]): Choice[] => (/(?:[aiu]|ei)n$/.test(l) ? [[`${l}t`, k], [l, k + 1]] : [[l, k]]));
  }
  return r;
}

/** The choices for each part of one syllable (onset, rhyme), by table or by rule. */
function syllableParts(syl: string): Choice[][] {
  const known = TABLE.get(syl.replace(/း/g, ''));
  if (known) return [known];
  const s = [...syl];
  const base = s[0]!;
  let k = 1;
  const medial = new Set<string>();
  while (s[k] !== undefined && /[\u103B-\u103E]/.test(s[k]!)) medial.add(s[k++]!);
  const marks = s.slice(k).join('');
  const finals = s.slice(k).filter((c, j, a) => LETTER.test(c) && isFinalAt(a, j));
  const fin = finals.length ? (FINAL_CLASS[finals[0]!] ?? '') : '';
  const vowelMarks = marks.replace(/[\u1000-\u102A\u103F][\u1037]?[\u103A\u1039]/g, '');
  let v = '';
  if (vowelMarks.includes('ေ') && vowelMarks.includes('ာ')) v = 'aw';
  else if (vowelMarks.includes('ိ') && vowelMarks.includes('ု')) v = 'o';
  else if (vowelMarks.includes('ေ')) v = 'e';
  else if (vowelMarks.includes('ာ')) v = 'a';
  else if (/[ိီ]/.test(vowelMarks)) v = 'i';
  else if (/[ုူ]/.test(vowelMarks)) v = 'u';
  else if (vowelMarks.includes('ဲ')) v = 'ai';
  const anusvara = vowelMarks.includes('ံ');
  const creaky = marks.includes(DOT);
  const independent = INDEPENDENT[base];
  if (independent !== undefined) return [rhyme(v || independent, fin, anusvara, creaky, false)];
  const wVowel = medial.has('ွ') && v === '' && (anusvara || 'tnmp'.includes(fin) && fin !== '');
  const y = medial.has('ျ') || medial.has('ြ');
  let onset: Choice[];
  if (medial.has('ှ') && (y || base === 'ရ' || base === 'ယ')) onset = [['sh', 0]];
  else if (medial.has('ှ')) onset = WITH_H[base] ?? CONS[base] ?? [];
  else if (y) onset = WITH_Y[base] ?? (CONS[base] ?? []).map(([l, c]): Choice => [`${l}y`, c]);
  else onset = CONS[base] ?? [];
  const w: Choice[] = medial.has('ွ') && !wVowel ? [['w', 0]] : [];
  return [onset, w, rhyme(v, fin, anusvara, creaky, wVowel)];
}

/** A token holding Myanmar letters (the Myanmar block, U+1000..U+109F): one test for normalize.ts and score.ts. */
export const MYANMAR_SCRIPT = /[\u1000-\u109F]/;

/** A Myanmar-script word cut into its syllables, each written as one Latin word on passports (မင်းအောင်လှိုင် → မင်း, အောင်, လှိုင်). */
export function myanmarSplit(word: string): string[] {
  return split(word);
}

/**
 * The readings of each syllable of a Myanmar-script word separately, in order (one Latin word
 * each: "မင်းအောင်လှိုင်" → [[min], [aung], [hlaing]]), so that a caller can make one token per
 * syllable. Empty for a word without Myanmar letters. Rules: module comment above.
 */
export function myanmarSyllables(word: string): Reading[][] {
  return split(word)
    .map((syl) => spellings(syllableParts(syl)))
    .filter((r) => r.length > 0);
}

/**
 * The Latin spellings of a whole Myanmar-script word, its syllables joined, cheapest first
 * (readings.ts): "မင်းအောင်လှိုင်" → minaunghlaing. Empty for a word without Myanmar letters.
 */
export function myanmarReadings(word: string): Reading[] {
  return spellings(split(word).flatMap(syllableParts));
}
