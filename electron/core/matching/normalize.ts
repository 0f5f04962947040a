/**
 * Name normalization for matching (DESIGN.md section 5, steps 1 and 2).
 *
 * A raw name becomes one or more *variants*, each a list of tokens. Variants exist because some
 * decisions cannot be made safely from the string alone: ICAO MRZ transliteration (Ü→UE) beside the
 * plain-letter form (Ü→U), and a title glued to a name split off beside the unsplit form (the Thai
 * surname นายาว begins like the title นาย). Thai, Lao, Khmer and Myanmar combining marks are never
 * stripped: they are vowels and tone marks.
 */

import anyAscii from 'any-ascii';
import { pinyin } from 'pinyin-pro';
import { isThai } from './thai';
import { MYANMAR_SCRIPT as MYANMAR, myanmarSplit } from './myanmar';
import { latinForms } from './romanize';

export { phoneticKey } from './phonetic';

/** ICAO Doc 9303 part 3, section 6: transliteration of Latin letters with diacritics for the MRZ. */
const ICAO_LATIN: Record<string, string> = {
  ä: 'ae', æ: 'ae', ǽ: 'ae', å: 'aa', ö: 'oe', ø: 'oe', œ: 'oe', ü: 'ue', ß: 'ss', þ: 'th',
  đ: 'd', ð: 'd', ħ: 'h', ı: 'i', ĳ: 'ij', ŀ: 'l', ł: 'l', ŋ: 'n', ŉ: 'n', ŧ: 't', ĸ: 'k',
};
/** Letters with no decomposition that the plain form must still fold to ASCII. */
const PLAIN_LATIN: Record<string, string> = {
  æ: 'ae', ǽ: 'ae', ø: 'o', œ: 'oe', ß: 'ss', þ: 'th', đ: 'd', ð: 'd', ħ: 'h', ı: 'i', ĳ: 'ij',
  ŀ: 'l', ł: 'l', ŋ: 'n', ŉ: 'n', ŧ: 't', ĸ: 'k',
};

/**
 * Latin-script titles, honorifics and ranks dropped from the start of a name (lower case, no dots).
 * Police and military ranks as Thai lists abbreviate them in English ("Pol. Gen.", "Pol. Col.").
 */
const LATIN_TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'mister', 'madam', 'madame', 'mme', 'mlle', 'dr', 'doctor',
  'prof', 'professor', 'sir', 'dame', 'lord', 'lady', 'rev', 'hon', 'herr', 'frau', 'sr', 'sra',
  'srta', 'shri', 'sri', 'smt', 'pol', 'police', 'gen', 'general', 'lt', 'lieutenant', 'col',
  'colonel', 'maj', 'major', 'capt', 'captain', 'cpt', 'sgt', 'sergeant', 'cpl', 'corporal',
  'brig', 'adm', 'admiral', 'cmdr', 'commander', 'sub', 'snr', 'master', 'khun', 'nai', 'nang',
  'nangsao', 'ms.', 'monsieur', 'messrs', 'sheikh', 'shaikh', 'sheik', 'president', 'excellency',
]);

/**
 * Thai titles and ranks (full and abbreviated, with or without dots), longest first. Sources: the
 * Royal Thai Police and Royal Thai Armed Forces rank abbreviations, and the civil titles of the
 * Name Act (นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง).
 */
const THAI_TITLES = [
  'พลตำรวจเอก', 'พลตำรวจโท', 'พลตำรวจตรี', 'พันตำรวจเอก', 'พันตำรวจโท', 'พันตำรวจตรี',
  'ร้อยตำรวจเอก', 'ร้อยตำรวจโท', 'ร้อยตำรวจตรี', 'ดาบตำรวจ', 'จ่าสิบตำรวจ', 'สิบตำรวจเอก',
  'สิบตำรวจโท', 'สิบตำรวจตรี', 'พลเอก', 'พลโท', 'พลตรี', 'พันเอก', 'พันโท', 'พันตรี', 'ร้อยเอก',
  'ร้อยโท', 'ร้อยตรี', 'จ่าสิบเอก', 'จ่าสิบโท', 'จ่าสิบตรี', 'สิบเอก', 'สิบโท', 'สิบตรี',
  'เด็กชาย', 'เด็กหญิง', 'นางสาว', 'ว่าที่ร้อยตรี', 'คุณ', 'นาง', 'นาย',
  'พล.ต.อ.', 'พล.ต.ท.', 'พล.ต.ต.', 'พ.ต.อ.', 'พ.ต.ท.', 'พ.ต.ต.', 'ร.ต.อ.', 'ร.ต.ท.', 'ร.ต.ต.',
  'ด.ต.', 'จ.ส.ต.', 'ส.ต.อ.', 'ส.ต.ท.', 'ส.ต.ต.', 'พล.อ.', 'พล.ท.', 'พล.ต.', 'พ.อ.', 'พ.ท.',
  'พ.ต.', 'ร.อ.', 'ร.ท.', 'ร.ต.', 'จ.ส.อ.', 'จ.ส.ท.', 'จ.ส.ต.', 'ส.อ.', 'ส.ท.', 'ส.ต.', 'ว่าที่ร.ต.',
  'ด.ช.', 'ด.ญ.', 'น.ส.',
]
  .flatMap((t) => (t.includes('.') ? [t, t.replace(/\./g, '')] : [t]))
  .sort((a, b) => b.length - a.length);

/** Thai consonants and leading vowels: a well-formed Thai name starts with one of these. */
const THAI_NAME_START = /^[\u0E01-\u0E2E\u0E40-\u0E44]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;

function foldLatin(token: string, table: Record<string, string>): string {
  if (!LATIN_LETTER.test(token)) return token;
  let out = '';
  for (const ch of token) out += table[ch] ?? ch;
  // Strip only the generic combining diacritics (U+0300..U+036F); Thai, Lao, Khmer and Myanmar
  // marks live in their own blocks and survive.
  return out.normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFC');
}

/** Splits off leading Thai titles. Returns the alternatives (unsplit first when ambiguous). */
function stripThaiTitles(s: string): string[] {
  const out = new Set<string>();
  const walk = (rest: string, stripped: boolean): void => {
    const trimmed = rest.trimStart();
    let advanced = false;
    for (const t of THAI_TITLES) {
      if (!trimmed.startsWith(t)) continue;
      const remainder = trimmed.slice(t.length);
      const spaced = /^[\s.]/.test(remainder) || t.endsWith('.');
      const r = remainder.replace(/^[\s.]+/, '');
      if (!r) continue;
      if (spaced) {
        walk(r, true);
        advanced = true;
        break;
      }
      // Glued: split only when what remains is a well-formed name; keep the unsplit form too.
      if (THAI_NAME_START.test(r) && [...r].length >= 2) {
        walk(r, true);
        out.add(trimmed);
        advanced = true;
        break;
      }
    }
    if (!advanced) out.add(stripped ? trimmed : rest);
  };
  walk(s, false);
  return [...out];
}

/** Digits typed for look-alike letters inside a word ("Ig0r Sech1n"). */
const LOOKALIKE: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g' };

function tokenize(s: string): string[] {
  const tokens = s
    .replace(/(?<=\p{L})[0134578-9](?=\p{L})/gu, (d) => LOOKALIKE[d] ?? d)
    .replace(/['’ʼ`´‘]/g, '') // O'Brien -> obrien
    .split(/[\s\p{Cc}\-‐‑–—_.,;:/\\()[\]{}"“”«»|+*#&!?0-9]+/u)
    .filter(Boolean);
  // A Myanmar name is written without spaces; on a passport each syllable is a word of its own.
  return MYANMAR.test(s) ? tokens.flatMap((t) => (MYANMAR.test(t) ? myanmarSplit(t) : [t])) : tokens;
}

/** Titles that are also real names or name parts (Pol Pot, Sri Mulyani, Khun Sa): kept as a second form. */
const AMBIGUOUS_TITLES = new Set(['pol', 'gen', 'col', 'sub', 'master', 'nai', 'nang', 'khun', 'sri', 'sr', 'lord', 'lady', 'dame', 'hon', 'major', 'general', 'sir', 'shri', 'police', 'sheikh', 'shaikh', 'sheik']);

/** Myanmar honorifics as Latin lists write them (Burmese U, Daw, Maung/Mg, Ko, Ma; Karen Saw, Naw; Shan Sai, Nang, Nan, Khun; Mon Mi). */
const MYANMAR_LATIN_TITLES = new Set(['u', 'daw', 'maung', 'mg', 'ko', 'ma', 'saw', 'naw', 'sai', 'nang', 'mi', 'nan', 'khun']);
/** The same in Myanmar script (ဦး U, ဒေါ် Daw, မောင် Maung, ကို Ko, မ Ma, စော Saw, နော် Naw, စိုင်း Sai), longest first. */
// (ဒော်: ဒေါ် as tokenize leaves it, its ါ written ာ as myanmar.ts cleans it.)
const MYANMAR_TITLES = ['စိုင်း', 'မောင်', 'ဒေါ်', 'ဒော်', 'နော်', 'ဦး', 'ကို', 'စော', 'မ'];

function dropLatinTitles(tokens: string[]): string[][] {
  let i = 0;
  while (i < tokens.length - 1 && LATIN_TITLES.has(tokens[i]!)) i++;
  const out = [tokens.slice(i)];
  if (tokens.slice(0, i).some((t) => AMBIGUOUS_TITLES.has(t))) {
    let j = 0;
    while (j < i && !AMBIGUOUS_TITLES.has(tokens[j]!)) j++;
    out.push(tokens.slice(j));
  }
  // Myanmar honorifics (U, Daw, Maung, Ko, Ma, Saw, Naw, Sai ...; ဦး, ဒေါ် ..., a token of their
  // own since tokenize cuts Myanmar script into syllables) start a name, but Ma, Ko, Sai are also
  // Chinese and Thai name parts and Maung Maung a name: keep the forms with and without one,
  // without only when a name remains.
  const honorific = (t: string): boolean => MYANMAR_LATIN_TITLES.has(t) || MYANMAR_TITLES.includes(t);
  const [first = '', ...more] = out[0]!;
  if (honorific(first) && more.length && !more.every(honorific)) out.push(more);
  return out;
}

/**
 * Vowelless Latin words of two or three letters that are not initials: the Vietnamese and
 * Cantonese surname Ng, the Mc of Mc Donald, name suffixes (Jr, Sr) and titles (Mr, Dr, St ...).
 */
const NOT_INITIALS = new Set(['ng', 'mc', 'jr', 'sr', 'st', 'mr', 'mrs', 'ms', 'dr', 'mx', 'hr', 'mgr', 'nd', 'rd', 'th']);

/**
 * A lower-cased name with each word of two or three consonants (no vowel, y counting as one)
 * written letter by letter: such a word is the initials of given names glued together ("jc
 * juncker" -> "j c juncker"), as lists write Jean-Claude or John Paul. Words in NOT_INITIALS stay.
 */
export function spaceGluedInitials(s: string): string {
  return s.replace(/(?<![\p{L}\p{M}'’])[b-df-hj-np-tv-xz]{2,3}(?![\p{L}\p{M}'’])/gu, (w) => (NOT_INITIALS.has(w) ? w : [...w].join(' ')));
}

/**
 * All token-list variants of a raw name in its own script: NFKC, case-folded, titles dropped,
 * punctuation split, Latin letters both ICAO-transliterated and plain, Arabic compounds as one
 * word (joinArabicCompounds). Returns [] for a name with no letters. See `crossScriptVariants`
 * for the Latin forms of other scripts.
 */
export function nameVariants(raw: string): string[][] {
  const s = raw.normalize('NFKC').toLowerCase().trim();
  if (!s) return [];
  const seen = new Set<string>();
  const variants: string[][] = [];
  const forms = stripThaiTitles(s);
  // Initials glued into one word ("JC Juncker", "JP Morgan"), also letter by letter, beside the word.
  for (const f of [...forms]) {
    const spaced = spaceGluedInitials(f);
    if (spaced !== f) forms.push(spaced);
  }
  // Hyphenated compounds also as one word ("Chan-o-cha" -> "chanocha"), beside the split form.
  for (const f of [...forms]) if (/\p{L}-\p{L}/u.test(f)) forms.push(f.replace(/(?<=\p{L})-(?=\p{L})/gu, ''));
  for (const form of forms) {
    for (const tokens of dropLatinTitles(tokenize(form))) {
      for (const table of [ICAO_LATIN, PLAIN_LATIN]) {
        // An Arabic compound (Abd al-X, X al-Din: joinArabicCompounds) is one name and is kept as
        // one word only: its article and second part are no names of their own, and split they
        // would count as three names matched ("Saif al-Din" is one name, not Saif, al and Din).
        const v = joinArabicCompounds(tokens.map((t) => foldLatin(t, table)).filter(Boolean));
        const key = v.join(' ');
        if (v.length && !seen.has(key)) {
          seen.add(key);
          variants.push(v);
        }
      }
    }
  }
  return variants;
}

/** The Arabic article as romanizations write it, assimilated to a sun letter or not (al, el, ul, ad, ud, ash ...). */
const ARABIC_ARTICLE = new Set(['al', 'el', 'ul', 'il', 'ad', 'ed', 'ud', 'ar', 'er', 'ur', 'as', 'es', 'us', 'ash', 'esh', 'at', 'et', 'ut', 'az', 'ez', 'uz', 'an', 'en', 'un', 'adh', 'ath']);
/** Second parts of the Arabic compound names X al-Din, X al-Islam, X al-Dawla, Nur al-Haq/Huda, Zayn al-Abidin. */
const COMPOUND_TAILS = new Set(['din', 'deen', 'dine', 'diin', 'dien', 'islam', 'dawla', 'dawlah', 'daula', 'dowla', 'haq', 'haqq', 'huda', 'hoda', 'abidin', 'abideen', 'abedin', 'abdin']);

/**
 * Arabic compound names written in three words, also as one: Abd al-X (Abd al Rahman,
 * Abdalrahman) and X al-Din, al-Islam, al-Dawla, al-Haq (Saif al Din, Nur ul Haq, Salah ad Din),
 * which lists write as one word as often as not (Abdulrahman, Saifaldin, Nurulhaq). Returns the
 * tokens with each such compound joined (the same list when there is none).
 */
export function joinArabicCompounds(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const [x, art, y] = [tokens[i]!, tokens[i + 1], tokens[i + 2]];
    if (art !== undefined && y !== undefined && ARABIC_ARTICLE.has(art) && /^[a-z]+$/.test(x + y) && (x === 'abd' || COMPOUND_TAILS.has(y))) {
      out.push(x + art + y);
      i += 2;
    } else out.push(x);
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
const NON_LATIN_LETTER = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;
/** Two-character Chinese surnames (复姓): the rest of the name is the given name. */
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '令狐', '慕容', '司徒', '夏侯', '尉迟', '长孙', '歐陽', '司馬', '諸葛']);

/**
 * A Han-script name in pinyin (pinyin-pro, surname readings), split as surname + given name
 * (one token each, the given name joined as on passports: "Xi Jinping").
 */
function hanTokens(token: string): string[] {
  const chars = [...token];
  const surnameLen = chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  const syl = pinyin(token, { toneType: 'none', type: 'array', surname: 'head', v: true }).map((x) => x.toLowerCase().replace(/[^a-z]/g, ''));
  if (syl.length !== chars.length || chars.length < 2) return [syl.join('')].filter(Boolean);
  return [syl.slice(0, surnameLen).join(''), syl.slice(surnameLen).join('')].filter(Boolean);
}

/** Latin form of a token in a script other than Thai and Han (any-ascii), lower case, letters only. */
function asciiTokens(token: string): string[] {
  return tokenize(anyAscii(token).toLowerCase()).map((t) => t.replace(/[^a-z]/g, '')).filter(Boolean);
}

/**
 * Latin forms of variants written in another script, for matching across scripts: Thai by RTGS
 * and its orthographic form (thai.ts), Han by pinyin (pinyin-pro), and every other script
 * (Cyrillic, Arabic, Khmer, Lao, Myanmar, Hangul, kana...) by any-ascii. Latin variants give nothing.
 */
export function crossScriptVariants(variants: string[][]): string[][] {
  const seen = new Set(variants.map((v) => v.join(' ')));
  const out: string[][] = [];
  const add = (tokens: string[]): void => {
    const key = tokens.join(' ');
    if (tokens.length && !seen.has(key)) {
      seen.add(key);
      out.push(tokens);
    }
  };
  for (const v of variants) {
    if (!v.some((t) => NON_LATIN_LETTER.test(t))) continue;
    for (const pick of [0, 1]) {
      add(
        v.flatMap((t) => {
          // Thai, Khmer, Lao, Myanmar: RTGS and the usual passport spelling (romanize.ts).
          const forms = latinForms(t);
          if (forms.length) return [forms[Math.min(pick, forms.length - 1)]!];
          if (isThai(t)) return [];
          // A name written as one Han word splits into surname and given name; a Han word
          // beside others is one part of the name already.
          if (HAN.test(t)) return v.length === 1 ? hanTokens(t) : [hanTokens(t).join('')];
          if (NON_LATIN_LETTER.test(t)) return asciiTokens(t);
          return [t];
        }),
      );
    }
  }
  return out;
}
