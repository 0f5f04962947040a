/**
 * Chinese names in Latin letters: the same surname is written differently in Mandarin pinyin,
 * Wade-Giles, Cantonese (Hong Kong), Hokkien and Teochew (Singapore, Malaysia, Thailand) and
 * Vietnamese. Sources: the romanization tables of the common surnames in the Hundred Family
 * Surnames as used by Singapore and Hong Kong registries, and Wade-Giles to pinyin tables.
 */

/** Letter groups only Wade-Giles writes (hs, ts, tz, final -ung): such a token is also keyed by its pinyin. */
export const WADE_GILES_MARKS = /hs|ts|tz|ung$/;
/** Letters only pinyin writes (x, q, zh): such a token may be the pinyin of a Wade-Giles one. */
const PINYIN_MARKS = /x|q|zh/;

/** True when a token may be a Chinese syllable spelled in Wade-Giles or in pinyin-only letters. */
export function mayBeSinitic(text: string): boolean {
  return WADE_GILES_MARKS.test(text) || PINYIN_MARKS.test(text);
}

/** Surname equivalence classes, pinyin first. Lower case. */
const SURNAME_CLASSES: string[][] = [
  ['chen', 'chan', 'tan', 'tang', 'chin', 'tran'],
  ['wang', 'wong', 'ong', 'heng', 'vuong'],
  ['wu', 'ng', 'goh', 'ngo', 'woo', 'eng', 'gow'],
  ['xu', 'hsu', 'hui', 'koh', 'khaw', 'kho', 'tsui', 'chui', 'hii', 'co'],
  ['zhang', 'chang', 'cheung', 'teo', 'teoh', 'tiong', 'chong', 'truong'],
  ['li', 'lee', 'lie', 'ly', 'lei'],
  ['huang', 'wong', 'ng', 'oei', 'ooi', 'wee', 'huynh', 'hwang', 'bong'],
  ['lin', 'lim', 'lam', 'ling', 'lum', 'lam'],
  ['zhou', 'chow', 'chau', 'chew', 'chou', 'chiu', 'jow', 'chu'],
  ['liu', 'lau', 'lao', 'low', 'lew', 'loo'],
  ['guo', 'kwok', 'kuo', 'kok', 'quach', 'koay'],
  ['he', 'ho', 'hoe', 'hor', 'ha'],
  ['zheng', 'cheng', 'tay', 'tee', 'chang', 'trinh', 'teh'],
  ['xie', 'tse', 'chia', 'seah', 'sia', 'hsieh', 'cheah', 'tsia'],
  ['yang', 'yeung', 'yeo', 'yong', 'ieong', 'duong', 'young'],
  ['zhao', 'chao', 'chiu', 'chew', 'chio', 'trieu'],
  ['sun', 'suen', 'soon', 'sng', 'son', 'swen'],
  ['ma', 'mah', 'beh', 'mar', 'be'],
  ['hu', 'woo', 'foo', 'oh', 'ho'],
  ['gao', 'ko', 'kao', 'koh', 'kou', 'kau'],
  ['luo', 'lo', 'law', 'loh', 'lor', 'la'],
  ['liang', 'leung', 'neo', 'nio', 'leong', 'luong'],
  ['song', 'sung', 'soong', 'soh', 'tong'],
  ['deng', 'tang', 'teng', 'dang'],
  ['feng', 'fung', 'pang', 'fong', 'phung'],
  ['cao', 'tso', 'tsao', 'chow', 'cho', 'tao'],
  ['peng', 'pang', 'phang', 'phe', 'bhang'],
  ['zeng', 'tsang', 'chan', 'tseng', 'chang'],
  ['xiao', 'siu', 'seow', 'siow', 'hsiao', 'tieu'],
  ['cai', 'choi', 'tsai', 'chua', 'choy', 'thai', 'tsoi'],
  ['pan', 'poon', 'phua', 'pun', 'phan'],
  ['yuan', 'yuen', 'guan', 'woon', 'nguyen', 'yoong'],
  ['jiang', 'chiang', 'keung', 'kiang', 'tseung', 'cheong'],
  ['ye', 'yip', 'yap', 'ip', 'yeh', 'iap'],
  ['du', 'to', 'toh', 'tu', 'doo'],
  ['wei', 'ngai', 'gui', 'ngui', 'vy'],
  ['lu', 'lo', 'loo', 'low', 'lou', 'lui', 'luk'],
  ['ding', 'ting', 'teng', 'dinh'],
  ['shen', 'sim', 'sham', 'shum', 'sum', 'sin', 'tham'],
  ['su', 'so', 'soh', 'sou', 'to'],
  ['ye', 'yip'],
  ['qiu', 'khoo', 'yau', 'chiu', 'hiew', 'khu'],
  ['lai', 'lye', 'loi', 'nai'],
  ['fang', 'fong', 'hong', 'png'],
  ['kang', 'hong', 'khang'],
  ['hong', 'ang', 'hung', 'hoong'],
  ['yu', 'yee', 'ee', 'yue', 'u', 'jee'],
  ['zhu', 'chu', 'choo', 'chee', 'gee', 'tsu'],
];

const CLASS_OF = new Map<string, number[]>();
SURNAME_CLASSES.forEach((members, i) => {
  for (const m of members) CLASS_OF.set(m, [...(CLASS_OF.get(m) ?? []), i]);
});

/** True when two Latin tokens are forms of the same Chinese surname. */
export function sameChineseSurname(a: string, b: string): boolean {
  const ca = CLASS_OF.get(a);
  const cb = CLASS_OF.get(b);
  return Boolean(ca && cb && ca.some((x) => cb.includes(x)));
}

/** The other forms of a Chinese surname (empty for a token that is none). */
export function chineseSurnameForms(token: string): string[] {
  const out = new Set<string>();
  for (const c of CLASS_OF.get(token) ?? []) for (const m of SURNAME_CLASSES[c]!) if (m !== token) out.add(m);
  return [...out];
}

/**
 * A coarse key on which a Wade-Giles spelling and its pinyin meet: "tsetung" and "zedong",
 * "hsi" and "xi", "chinping" and "jinping" (Wade-Giles to pinyin, Library of Congress table:
 * hs→x, ts/tz→z, ch→zh/j, k→g, p→b, t→d, -ung→-ong, -ih→-i; aspirates lose their apostrophe).
 */
export function siniticKey(token: string): string {
  if (!/^[a-z']+$/.test(token)) return token;
  return token
    .replace(/'/g, '')
    .replace(/hs/g, 'x')
    .replace(/t[sz]/g, 'z')
    .replace(/zh|ch|q/g, 'j')
    .replace(/k/g, 'g')
    .replace(/p/g, 'b')
    .replace(/t/g, 'd')
    .replace(/ung/g, 'ong')
    .replace(/ih$/g, 'i')
    .replace(/x/g, 's')
    .replace(/sh/g, 's');
}
