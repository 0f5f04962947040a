/**
 * Thai script to Latin for matching: the Royal Thai General System of Transcription (RTGS, Royal
 * Institute 1999) computed syllable by syllable, used as a comparison key beside the Thai form so
 * that a Thai-script list entry meets the romanized passport name and the other way round. The
 * spelling variants passports really use (ph/p, th/t, ch/j, w/v, final -n/-l, -orn ...) are
 * folded later by `phoneticKey`; this module gives the RTGS form and, where a name's spelling
 * suggests it, an orthographic form (ร kept as r, as in "Sri", "Porn").
 */

/** RTGS value of each consonant as a syllable's initial. */
const INITIAL: Record<string, string> = {
  ก: 'k', ข: 'kh', ฃ: 'kh', ค: 'kh', ฅ: 'kh', ฆ: 'kh', ง: 'ng', จ: 'ch', ฉ: 'ch', ช: 'ch', ซ: 's', ฌ: 'ch',
  ญ: 'y', ฎ: 'd', ฏ: 't', ฐ: 'th', ฑ: 'th', ฒ: 'th', ณ: 'n', ด: 'd', ต: 't', ถ: 'th', ท: 'th', ธ: 'th',
  น: 'n', บ: 'b', ป: 'p', ผ: 'ph', ฝ: 'f', พ: 'ph', ฟ: 'f', ภ: 'ph', ม: 'm', ย: 'y', ร: 'r', ล: 'l',
  ว: 'w', ศ: 's', ษ: 's', ส: 's', ห: 'h', ฬ: 'l', อ: '', ฮ: 'h',
};
/** RTGS value of each consonant as a syllable's final. */
const FINAL: Record<string, string> = {
  ก: 'k', ข: 'k', ค: 'k', ฆ: 'k', ง: 'ng', จ: 't', ช: 't', ซ: 't', ฌ: 't', ญ: 'n', ฎ: 't', ฏ: 't', ฐ: 't',
  ฑ: 't', ฒ: 't', ณ: 'n', ด: 't', ต: 't', ถ: 't', ท: 't', ธ: 't', น: 'n', บ: 'p', ป: 'p', พ: 'p', ฟ: 'p',
  ภ: 'p', ม: 'm', ย: 'i', ร: 'n', ล: 'n', ว: 'o', ศ: 't', ษ: 't', ส: 't', ฬ: 'n', อ: '', ฮ: '',
};
const CONSONANT = /[\u0E01-\u0E2E]/;
const LEAD = 'เแโใไ';
const TONE = /[\u0E48-\u0E4B]/g;
/** Marks that follow a consonant and make part of its vowel. */
const FOLLOW = 'ะัาำิีึืุู็';
/** True clusters (RTGS): these consonants followed by ร, ล or ว sound together. */
const CLUSTER_HEAD = 'กขคตปพผ';

const isCons = (c: string | undefined): c is string => c !== undefined && CONSONANT.test(c);

/** Drops silent letters: a consonant (with any vowel mark on it) under the thanthakhat ์. */
function dropSilent(s: string): string {
  return s.replace(/[ทตดช]ร์/g, '').replace(/[\u0E01-\u0E2E][ิุ]?์/g, '').replace(/์/g, '');
}

interface Syllable {
  initial: string;
  vowel: string;
  final: string;
  /** A written but silent last letter (วัตร): kept in the orthographic form ("watra"). */
  silent?: string;
  /** For the orthographic variant: the final was ร. */
  finalR?: boolean;
  clusterR?: boolean;
}

/** A consonant at k starts a new syllable when a vowel attaches to it (or รร follows). */
function startsSyllable(s: string[], k: number): boolean {
  const next = s[k + 1];
  return next !== undefined && (FOLLOW.includes(next) || (next === 'ร' && s[k + 2] === 'ร'));
}

/** The last letter, with no vowel of its own, is left over after the consonant at k. */
function orphanAfter(s: string[], k: number): boolean {
  return k + 2 === s.length && isCons(s[k + 1]);
}

/** Parses one Thai word (no spaces) into syllables. Unknown characters are skipped. */
/** Marks where a tone mark stood between a consonant and ร, ล or ว: that consonant carries the vowel, no cluster (แก้ว kaeo, not kwae). */
const NO_CLUSTER = '\uE000';

function syllables(word: string): Syllable[] {
  const s = [...dropSilent(word.replace(/(?<=[\u0E01-\u0E2E])[\u0E48-\u0E4B](?=[รลว])/gu, NO_CLUSTER).replace(TONE, '').replace(/ๆ/g, ''))];
  const out: Syllable[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === NO_CLUSTER) {
      i++;
      continue;
    }
    const lead = LEAD.includes(s[i]!) ? s[i++]! : '';
    // เจริญ: a lead vowel before two consonants that are no cluster, the second carrying an
    // upper vowel, belongs to the second; the first is a syllable of its own with "a".
    const c = s[i] ?? '-';
    const c2 = s[i + 1] ?? '-';
    const twoOwn = !(CLUSTER_HEAD.includes(c) && 'รลว'.includes(c2)) && !('สศ'.includes(c) && c2 === 'ร');
    if ((lead === 'เ' || lead === 'แ') && isCons(c) && isCons(c2) && 'ิีึื'.includes(s[i + 2] ?? '-') && twoOwn) {
      out.push({ initial: INITIAL[s[i]!]!, vowel: 'a', final: '' });
      i++;
    }
    let c1 = s[i];
    if (!isCons(c1)) {
      if (c1 === 'ฤ') {
        out.push({ initial: 'r', vowel: 'ue', final: '' });
      }
      i++;
      continue;
    }
    i++;
    let initial = INITIAL[c1]!;
    let clusterR = false;
    // ห before a sonorant and อ before ย are silent tone carriers.
    if ((c1 === 'ห' && 'งญนมยรลว'.includes(s[i] ?? '-')) || (c1 === 'อ' && s[i] === 'ย' && !lead)) {
      c1 = s[i++]!;
      initial = INITIAL[c1]!;
    } else if (s[i] === NO_CLUSTER) {
      i++;
    } else if (CLUSTER_HEAD.includes(c1) && 'รลว'.includes(s[i] ?? '-') && (FOLLOW.includes(s[i + 1] ?? '-') || lead || isCons(s[i + 1]))) {
      // A true cluster only when a vowel attaches after it (or a lead vowel stands before).
      const c2 = s[i]!;
      const rr = c2 === 'ร' && s[i + 1] === 'ร';
      const lateW = c2 === 'ว' && lead && !isCons(s[i + 1]);
      if (!rr && !lateW && (lead || FOLLOW.includes(s[i + 1] ?? '-') || (c2 !== 'ว' && isCons(s[i + 1]) && !FOLLOW.includes(s[i + 2] ?? '-')))) {
        initial += INITIAL[c2];
        clusterR = c2 === 'ร';
        i++;
      }
    } else if (c1 === 'ท' && s[i] === 'ร' && out.length === 0 && i - (lead ? 2 : 1) === 0 && (FOLLOW.includes(s[i + 1] ?? '-') || lead || isCons(s[i + 1]))) {
      // ทร at the start of a word is read "s" (ทรง song, ทราย sai, ทรัพย์ sap; RTGS follows the sound).
      initial = 's';
      i++;
    } else if (c1 === 'ศ' || c1 === 'ส') {
      // ศรี / สร: ร after s is silent in RTGS ("Si"), spelled in passports ("Sri").
      if (s[i] === 'ร' && FOLLOW.includes(s[i + 1] ?? '-')) {
        clusterR = true;
        i++;
      }
    }
    let vowel = '';
    let final = '';
    let finalR = false;
    let silent: string | undefined;
    const v1 = s[i];
    const v2 = s[i + 1];
    // Vowels written around the consonant.
    if (lead === 'เ') {
      if (v1 === 'ี' && v2 === 'ย' && s[i + 2] === 'ร' && s[i + 3] === 'ต') {
        // เกียรติ: ร silent, ต final; ติ is read only before another syllable (kiat, kiattisak).
        i += 4;
        const linked = s[i] === 'ิ' && i + 1 < s.length;
        if (s[i] === 'ิ') i++;
        out.push({ initial, vowel: 'ia', final: 't', clusterR });
        if (linked) out.push({ initial: 't', vowel: 'i', final: '' });
        continue;
      }
      if (v1 === 'ี' && v2 === 'ย') { vowel = 'ia'; i += 2; if (s[i] === 'ะ') i++; }
      else if (v1 === 'ื' && v2 === 'อ') { vowel = 'uea'; i += 2; if (s[i] === 'ะ') i++; }
      else if (v1 === 'า' && v2 === 'ะ') { vowel = 'o'; i += 2; }
      else if (v1 === 'า') { vowel = 'ao'; i++; }
      else if (v1 === 'อ') { vowel = 'oe'; i++; if (s[i] === 'ะ') i++; }
      else if (v1 === 'ิ') { vowel = 'oe'; i++; }
      else if (v1 === 'ะ') { vowel = 'e'; i++; }
      else if (v1 === '็') { vowel = 'e'; i++; }
      else vowel = 'e';
    } else if (lead === 'แ') {
      vowel = 'ae';
      if (v1 === 'ะ' || v1 === '็') i++;
    } else if (lead === 'โ') {
      vowel = 'o';
      if (v1 === 'ะ') i++;
    } else if (lead === 'ใ' || lead === 'ไ') {
      vowel = 'ai';
    } else if (v1 === 'ั' && v2 === 'ว') {
      vowel = 'ua'; i += 2;
    } else if (v1 === 'ั' && v2 === 'ย') {
      vowel = 'ai'; i += 2;
    } else if (v1 === 'ั') {
      vowel = 'a'; i++;
    } else if (v1 === 'า') {
      vowel = 'a'; i++;
    } else if (v1 === 'ะ') {
      vowel = 'a'; i++;
    } else if (v1 === 'ำ') {
      vowel = 'am'; i++;
    } else if (v1 === 'ิ' || v1 === 'ี') {
      vowel = 'i'; i++;
    } else if (v1 === 'ึ' || v1 === 'ื') {
      vowel = 'ue'; i++;
      if (s[i] === 'อ' && !FOLLOW.includes(s[i + 1] ?? '-')) i++;
    } else if (v1 === 'ุ' || v1 === 'ู') {
      vowel = 'u'; i++;
    } else if (v1 === 'อ' && !FOLLOW.includes(v2 ?? '-')) {
      vowel = 'o'; i++;
    } else if (v1 === 'ว' && isCons(v2) && !FOLLOW.includes(s[i + 2] ?? '-')) {
      vowel = 'ua'; i++;
    } else if (v1 === 'ร' && v2 === 'ร') {
      // รร (ro han): "an", or "a" + final when a consonant follows.
      i += 2;
      if (isCons(s[i]) && !startsSyllable(s, i)) { vowel = 'a'; final = FINAL[s[i]!] ?? ''; i++; }
      else { vowel = 'an'; }
      out.push({ initial, vowel, final, clusterR });
      continue;
    }
    // A final consonant: one that does not start the next syllable.
    const f = s[i];
    if (!final && isCons(f) && !startsSyllable(s, i) && !(vowel === 'ai' && lead) && vowel !== 'am' && vowel !== 'ao' && vowel !== 'ai') {
      // Before a last, vowel-less letter: after a vowel that needs a final (ั, short เ/แ) this
      // consonant is the final and the last letter is silent (ลักษณ์ lak, เพชร phet); otherwise
      // it starts a syllable of its own with the last letter as its final (มานพ manop).
      const closes = v1 === 'ั' || ((lead === 'เ' || lead === 'แ') && vowel.length === 1 + (lead === 'แ' ? 1 : 0));
      if (!orphanAfter(s, i) || closes || vowel === '') {
        final = FINAL[f] ?? '';
        finalR = f === 'ร';
        i++;
        if (vowel === '') vowel = 'o'; // no written vowel before a final: the implicit "o" (คน khon)
        if (closes && orphanAfter(s, i - 1)) {
          silent = s[i];
          i++;
        }
      }
    }
    if (!vowel) vowel = 'a';
    out.push({ initial, vowel, final, finalR, clusterR, silent });
  }
  return out;
}

/** RTGS romanization of a Thai word, lower case, or '' when it holds no Thai consonant. */
export function rtgs(word: string): string {
  return syllables(word).map((x) => x.initial + x.vowel + x.final).join('');
}

/**
 * The Latin comparison forms of a Thai word: RTGS, and where ร is involved an orthographic form
 * closer to how passports often spell it ("sri", "porn"). Empty for a word without Thai letters.
 */
export function thaiLatinForms(word: string): string[] {
  let forms = formsCache.get(word);
  if (!forms) {
    forms = latinForms(word);
    // Names repeat (a list of a million holds some tens of thousands of distinct Thai words).
    if (formsCache.size >= FORMS_CACHE) formsCache.clear();
    formsCache.set(word, forms);
  }
  return [...forms];
}

const FORMS_CACHE = 100_000;
const formsCache = new Map<string, readonly string[]>();

function latinForms(word: string): string[] {
  const syl = syllables(word);
  if (!syl.length) return [];
  const forms = new Set<string>([syl.map((x) => x.initial + x.vowel + x.final).join('')]);
  if (syl.some((x) => x.finalR || x.clusterR || x.silent)) {
    forms.add(
      syl
        .map((x) => {
          const initial = x.clusterR && !x.initial.endsWith('r') ? `${x.initial}r` : x.initial;
          const tail = x.finalR ? `${x.vowel}rn` : x.vowel + x.final;
          // A silent last letter is still spelled: วัตร "watra" (as in Shinawatra).
          const silent = x.silent ? `${INITIAL[x.silent] ?? ''}a` : '';
          return initial + tail + silent;
        })
        .join(''),
    );
  }
  return [...forms].filter(Boolean);
}

/** True when the token is written in Thai script. */
export function isThai(token: string): boolean {
  return /[\u0E01-\u0E5B]/.test(token);
}
