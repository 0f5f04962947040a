/**
 * Phonetic keys of Latin tokens: folds under which spellings of the same name meet.
 */

/**
 * Phonetic fold of a Latin token: the spellings that romanizations of the same name use
 * interchangeably meet (ph/p, th/t, kh/k, ch/j, w/v, ee/i, oo/u, doubled letters, final -n/-l,
 * -t/-d, -rn/-n). Non-Latin tokens are returned unchanged.
 */
export function phoneticKey(token: string): string {
  if (!/^[a-z]+$/.test(token)) return token;
  let s = token
    .replace(/tch/g, 'j')
    .replace(/sch/g, 'sh')
    .replace(/ph/g, 'p')
    .replace(/th/g, 't')
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/dh/g, 'd')
    .replace(/bh/g, 'b')
    .replace(/ch/g, 'j')
    .replace(/sh/g, 's')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/c(?=[aou]|$)/g, 'k')
    .replace(/c/g, 's')
    .replace(/x/g, 'ks')
    .replace(/z/g, 's')
    .replace(/v/g, 'w')
    .replace(/(ee|ea|ie|ii|y)/g, 'i')
    .replace(/(oo|ou|uu)/g, 'u')
    .replace(/(ay|ey|ei)/g, 'ai')
    .replace(/(.)\1+/g, '$1');
  s = s.replace(/rn$/, 'n').replace(/l$/, 'n').replace(/d$/, 't').replace(/(?<=.)h$/, '');
  return s;
}

/**
 * The looser key by which a Latin token meets the readings of a Thai, Khmer or Lao word
 * (readings.ts): its phonetic key with an r written after a vowel and before a consonant or the
 * end dropped (Porn, Charn, Prasert, Sar: an r that lengthens or colours the vowel, as English
 * spelling does), so that readings need not list those spellings.
 */
export function looseKey(token: string): string {
  return looseOfPhonetic(phoneticKey(token));
}

/** `looseKey` of a token whose phonetic key is already known (the matcher keeps them). */
export function looseOfPhonetic(phon: string): string {
  return /^[a-z]+$/.test(phon) ? phon.replace(/(?<=[aeiou])r(?=[^aeiou]|$)/g, '') : phon;
}
