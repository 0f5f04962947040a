/**
 * Lao script to the Latin spellings Lao passports and official lists give Lao names: the
 * French-based transcription the Lao government uses for the names of people and provinces (ou
 * for u, x for ຊ, v for ວ, final -ne after a long vowel, -th for ດ, -ay for ໄ), not the BGN/PCGN
 * or ALA-LC systems. Thongloun Sisoulith, Bounmy, Somphone, Sisavath, Xayasone, Phomvihane, Vongvichit and
 * Kham are the spellings the holders publish. Syllable by syllable, as in thai.ts: lead vowel,
 * initial (ຫ silent before a sonorant), vowel, final. Spellings that differ only by the folds of
 * `looseKey` (ph/p, th/t, ou/u, y/i, ay/ai, ck/k ...) are one reading, so they are not listed.
 */
import { type Choice, type Reading, spellings } from './readings';

/** The spellings of each consonant starting a syllable. */
const INITIAL: Record<string, Choice[]> = {
  ກ: [['k', 0]], ຂ: [['kh', 0]], ຄ: [['kh', 0]], ຆ: [['kh', 0]], ງ: [['ng', 0]], ຈ: [['ch', 0]], ຉ: [['ch', 0]],
  ສ: [['s', 0]], ຊ: [['x', 0], ['s', 1]], ຌ: [['x', 0], ['s', 1]], ຍ: [['y', 0], ['nh', 1], ['gn', 1], ['ny', 2]],
  ຎ: [['gn', 0], ['nh', 1]], ດ: [['d', 0]], ຏ: [['d', 0]], ຕ: [['t', 0]], ຐ: [['th', 0]], ຖ: [['th', 0]],
  ທ: [['th', 0]], ຑ: [['th', 0]], ຒ: [['th', 0]], ຘ: [['th', 0]], ນ: [['n', 0]], ຓ: [['n', 0]], ບ: [['b', 0]],
  ປ: [['p', 0]], ຜ: [['ph', 0]], ຝ: [['f', 0]], ພ: [['ph', 0]], ຠ: [['ph', 0]], ຟ: [['f', 0]], ມ: [['m', 0]],
  ຢ: [['y', 0]], ຣ: [['r', 0], ['l', 1]], ລ: [['l', 0], ['r', 1]], ຬ: [['l', 0]], ວ: [['v', 0]], ຨ: [['s', 0]],
  ຩ: [['s', 0]], ຫ: [['h', 0]], ອ: [['', 0]], ຮ: [['h', 0]],
};

/** The sound class of each consonant as a final (after the 1975 spelling, any consonant may appear in Pali words). */
const FINAL_CLASS: Record<string, string> = {
  ກ: 'k', ຂ: 'k', ຄ: 'k', ຆ: 'k', ງ: 'ng', ຈ: 't', ຉ: 't', ສ: 't', ຊ: 't', ຌ: 't', ຍ: 'y', ຎ: 'n', ດ: 't',
  ຏ: 't', ຕ: 't', ຐ: 't', ຖ: 't', ທ: 't', ຑ: 't', ຒ: 't', ຘ: 't', ນ: 'n', ຓ: 'n', ບ: 'p', ປ: 'p', ຜ: 'p',
  ຝ: 'p', ພ: 'p', ຠ: 'p', ຟ: 'p', ມ: 'm', ຢ: 'y', ຣ: 'n', ລ: 'n', ຬ: 'n', ວ: 'w', ຨ: 't', ຩ: 't', ຫ: '',
  ອ: '', ຮ: '',
};

const CONSONANT = /[\u0E81-\u0EAE\u0EDE\u0EDF]/;
const LEAD = 'ເແໂໃໄ';
/** Vowel signs written after (above, below) the initial. */
const FOLLOW = 'ະັາຳິີຶືຸູົໍຽ';
/** Sonorants: ຫ before them is a silent tone marker (ຫວ v, ຫລ l, ໜ n). */
const SONORANT = 'ງຍນມລວຣ';

const isCons = (c: string | undefined): c is string => c !== undefined && CONSONANT.test(c);

/** Long vowels after which a final ນ is written -ne (Somphone, Phomvihane, Sayasone, Deuane, Khammouane). */
const NE_AFTER = new Set(['aa', 'o', 'oo', 'ua', 'eua', 'ae', 'e', 'oe']);

/** The vowel's spellings by its value, open or closed and at the end of the word or not. */
function vowelChoices(v: string, closed: boolean, last: boolean): Choice[] {
  switch (v) {
    case 'a':
    case 'aa':
      return [['a', 0]];
    case 'am':
      return [['am', 0]];
    case 'i':
      return [['i', 0]];
    case 'ii':
      return !closed && last ? [['y', 0]] : [['i', 0]];
    case 'eu':
      return [['eu', 0], ['ue', 1], ['u', 2]];
    case 'u':
      return [['ou', 0]];
    case 'o':
    case 'oo':
      return [['o', 0]];
    case 'e':
      return [['e', 0]];
    case 'ae':
      return [['e', 0], ['ae', 1]];
    case 'ai':
      return [['ay', 0]];
    case 'ao':
      return [['ao', 0], ['av', 1]];
    case 'oe':
      return [['eu', 0], ['oe', 1], ['e', 2]];
    case 'ia':
      return [['ie', 0], ['ia', 1], ['ea', 1]];
    case 'eua':
      return [['eua', 0], ['ua', 1], ['ue', 1]];
    case 'ua':
      return [['oua', 0], ['uo', 2]];
    default:
      return [['a', 0]];
  }
}

/** The final's spellings after a vowel. */
function finalChoices(cls: string, v: string, short: boolean): Choice[] {
  switch (cls) {
    case 'k':
      return [['k', 0]];
    case 'ng':
      return [['ng', 0]];
    case 't':
      return [['th', 0]];
    case 'p':
      return [['p', 0], ['b', 1]];
    case 'm':
      return [['m', 0]];
    case 'y':
      return [['y', 0]];
    case 'n':
      // Final n: -ne after a long a, o, ua, eua, e (Somphone, Phomvihane), -nh after a
      // (Viphavanh, Phommachanh), -n otherwise (Bounmy, Thongloun).
      if (NE_AFTER.has(v) && !short) return [['ne', 0], ['n', 1], ...(v === 'aa' ? [['nh', 1] as Choice] : [])];
      if (v === 'a' || v === 'aa') return [['n', 0], ['nh', 1], ['ne', 1]];
      return [['n', 0], ['ne', 2]];
    case 'w':
      // Final ວ: -o after a and e (Lao, Keo), -ou after i (Kiou), or v (Sav, Kèv).
      if (v === 'i' || v === 'ii') return [['ou', 0], ['v', 1]];
      return [['o', 0], ['v', 1]];
    default:
      return [];
  }
}

interface Syllable {
  initial: Choice[];
  /** A cluster's second consonant (ຂວ khou, ປຼ pl). */
  second?: Choice[];
  vowel: string;
  /** A short vowel (ັ, ົ, ະ, ິ, ຸ ...): final n is not written -ne. */
  short: boolean;
  final?: string;
}

/** Cleans a word: NFKC (ໜ → ຫນ, ຳ → ໍາ), tone marks, repetition and non-Lao characters dropped, a consonant under ໌ dropped. */
function clean(word: string): string[] {
  const s = word
    .normalize('NFKC')
    .replace(/[\u0EC8-\u0ECB]/g, '')
    .replace(/ໍາ/g, 'ຳ')
    .replace(/[\u0E81-\u0EAE][\u0EB4\u0EB8]?\u0ECC/g, '')
    .replace(/[^\u0ECD\u0E81-\u0EBD\u0EC0-\u0EC4\u0EDE\u0EDF]/g, '');
  return [...s];
}

/** Parses a Lao word into syllables. */
function syllables(word: string): Syllable[] {
  const s = clean(word);
  const out: Syllable[] = [];
  let i = 0;
  const at = (k: number): string => s[k] ?? '-';
  while (i < s.length) {
    const lead = LEAD.includes(at(i)) ? s[i++]! : '';
    if (!isCons(s[i])) {
      i++;
      continue;
    }
    let c = s[i++]!;
    // ຫ before a sonorant that carries the vowel is silent (ຫວາດ vath, ເຫຼີມ leum, ຫລ້າ la).
    if (c === 'ຫ' && SONORANT.includes(at(i)) && (lead || FOLLOW.includes(at(i + 1)) || at(i + 1) === 'ອ' || at(i + 1) === 'ຼ')) c = s[i++]!;
    const prev = out[out.length - 1];
    // After ໄ/ໃ a ຍ or ຢ is written once (ໄຊຍະສອນ Xayasone).
    const afterAi = prev?.vowel === 'ai' && prev.final === undefined && (c === 'ຍ' || c === 'ຢ');
    const syl: Syllable = { initial: afterAi ? [['', 0], ['y', 1]] : (INITIAL[c] ?? []), vowel: '', short: false };
    out.push(syl);
    if (at(i) === 'ຼ') {
      syl.second = c === 'ຫ' ? undefined : [['l', 0]];
      if (c === 'ຫ') syl.initial = [['l', 0]];
      i++;
    } else if ('ກຂຄ'.includes(c) && at(i) === 'ວ' && at(i + 1) !== 'ົ'
      && (FOLLOW.includes(at(i + 1)) || (lead && isCons(s[i + 1]) && !FOLLOW.includes(at(i + 2)) && at(i + 2) !== 'ອ'))) {
      // ຂວາງ Khouang, ແຂວງ Khouaeng: a true cluster with ວ (not ແກ້ວ Keo, where ວ is the final).
      syl.second = [['ou', 0], ['v', 1]];
      i++;
    }
    const v1 = at(i);
    const v2 = at(i + 1);
    let open = false; // a vowel that takes no final
    if (lead === 'ເ') {
      if (v1 === 'ົ' && v2 === 'າ') { syl.vowel = 'ao'; i += 2; open = true; }
      else if (v1 === 'າ') { syl.vowel = 'ao'; i++; open = true; }
      else if ((v1 === 'ຶ' || v1 === 'ື') && v2 === 'ອ') { syl.vowel = 'eua'; i += 2; }
      else if (v1 === 'ຶ' || v1 === 'ື' || v1 === 'ີ' || v1 === 'ິ') { syl.vowel = 'oe'; syl.short = v1 === 'ິ'; i++; }
      else if (v1 === 'ຍ' && !FOLLOW.includes(v2)) { syl.vowel = 'ia'; i++; }
      else if (v1 === 'ັ' || v1 === 'ະ') { syl.vowel = 'e'; syl.short = true; i++; open = v1 === 'ະ'; }
      else syl.vowel = 'e';
    } else if (lead === 'ແ') {
      syl.vowel = 'ae';
      if (v1 === 'ັ' || v1 === 'ະ') { syl.short = true; open = v1 === 'ະ'; i++; }
    } else if (lead === 'ໂ') {
      syl.vowel = 'o';
      if (v1 === 'ະ') { syl.short = true; open = true; i++; }
    } else if (lead) {
      syl.vowel = 'ai';
      open = true;
    } else if (v1 === 'ົ' && v2 === 'ວ') {
      syl.vowel = 'ua'; i += 2;
    } else if (v1 === 'ັ' && v2 === 'ຍ') {
      syl.vowel = 'ai'; i += 2; open = true;
    } else if (v1 === 'ຽ') {
      syl.vowel = 'ia'; i++;
    } else if (FOLLOW.includes(v1)) {
      const V: Record<string, [string, boolean]> = {
        'ະ': ['a', true], 'ັ': ['a', true], 'າ': ['aa', false], 'ຳ': ['am', true], 'ິ': ['i', true], 'ີ': ['ii', false],
        'ຶ': ['eu', true], 'ື': ['eu', false], 'ຸ': ['u', true], 'ູ': ['u', false], 'ົ': ['o', true], 'ໍ': ['oo', false],
      };
      const [v, short] = V[v1] ?? ['a', true];
      syl.vowel = v;
      syl.short = short;
      open = v1 === 'ະ' || v1 === 'ຳ';
      i++;
    } else if (v1 === 'ອ' && !FOLLOW.includes(v2)) {
      syl.vowel = 'oo'; i++;
    } else if (v1 === 'ວ' && isCons(s[i + 1]) && !FOLLOW.includes(at(i + 2)) && at(i + 2) !== 'ອ') {
      syl.vowel = 'ua'; i++; // ດວງ douang: ວ between initial and final is the vowel
    }
    // A final: a consonant that does not start the next syllable.
    const f = s[i];
    if (open || !isCons(f)) {
      if (!syl.vowel) syl.vowel = 'a';
      continue;
    }
    const next = at(i + 1);
    // f opens the next syllable when a vowel follows it: a vowel sign, ອ or ວ as the vowel
    // (ສອນ, ດວງ), or ຼ.
    const startsNext = FOLLOW.includes(next) || next === 'ຼ' || (next === 'ອ' && !FOLLOW.includes(at(i + 2)))
      || (next === 'ວ' && isCons(s[i + 2]) && !FOLLOW.includes(at(i + 3)) && at(i + 3) !== 'ອ');
    if (startsNext || (f === 'ຫ' && SONORANT.includes(next))) {
      if (!syl.vowel) syl.vowel = 'a';
      continue;
    }
    // No written vowel before a final: the implicit o of older spelling (ສມ som).
    if (!syl.vowel) syl.vowel = 'o';
    syl.final = f;
    i++;
  }
  return out;
}

/**
 * The Latin spellings of one Lao word (no spaces) as Lao passports and official lists write Lao
 * names, cheapest first (readings.ts): "ບຸນມີ" → bounmy, "ສົມພອນ" → somphone, "ໄຊຍະສອນ" →
 * xayasone, sayasone. Empty for a word without Lao letters. Rules: module comment above.
 */
export function laoReadings(word: string): Reading[] {
  const syl = syllables(word);
  const parts: Choice[][] = [];
  for (const [n, x] of syl.entries()) {
    const last = n === syl.length - 1;
    parts.push(x.initial, x.second ?? [], vowelChoices(x.vowel, x.final !== undefined, last));
    if (x.final !== undefined) parts.push(finalChoices(FINAL_CLASS[x.final] ?? '', x.vowel, x.short));
  }
  return spellings(parts);
}
