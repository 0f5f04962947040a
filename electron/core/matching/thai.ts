/**
 * Thai script to Latin for matching.
 *
 * A Thai word is read into syllables (onset, vowel, final), and since Thai spelling does not say
 * where a syllable ends nor which vowel is hidden, into the few likeliest readings, each with a
 * cost: สมร is sa-mon, not som-ra; วัฒนา wat-tha-na, its ฒ both a final and an onset (the linking
 * of Pali and Sanskrit words); ฉัตร chat, its ร silent. Each syllable then gives the Latin spellings
 * that people really use for it, ranked (readings.ts): the Royal Thai General System of
 * Transcription (RTGS, Royal Institute 1999) first, then the spellings passports carry: ั as u
 * (ณัฐ Nut), ธ ภ ฒ as dh, bh (Dhanin, Abhisit, Vadhana), ร written after ศ/ส (Sri), silent letters
 * spelled (Sakdi, Sittipunt), finals ล as l (-kul), ว as w (Kaew), จ ช as ch or d (Chadchart),
 * เ-อ as e or er (Prasert), เ-ีย as ea or ie, เ-ือ as ua, แ as e or ea, เ-า as au or ow.
 * Folds that every romanization shares (ph/p, th/t, ee/i, oo/u, doubled letters, an r that
 * lengthens a vowel) are left to `looseKey` (phonetic.ts) instead of being listed.
 */
import { MAX_SECOND_READINGS, rankSpellings, spellingCosts, type Choice, type Reading } from './readings';

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

/** Onset spellings beside RTGS: Pali and Sanskrit letters as their source spells them (Dhanin, Abhisit, Vadhana, Shinawatra). */
const ONSET_ALT: Record<string, Choice[]> = {
  ธ: [['dh', 1]], ภ: [['bh', 1]], ฒ: [['dh', 1], ['d', 1]], ฑ: [['d', 1], ['dh', 1]], ช: [['sh', 1]],
  // The Sanskrit values of ท, พ, ค (Sundaravej, Bidaya, Dhiravegin); ร as l, as many say it (Somluck).
  ท: [['d', 1]], พ: [['b', 1]], ค: [['g', 1]], ร: [['l', 2]], ก: [['g', 1.5]],
};
/** Final spellings beside RTGS. */
const FINAL_ALT: Record<string, Choice[]> = {
  ด: [['d', 0]], ฎ: [['d', 1]], จ: [['ch', 1], ['d', 1]], ช: [['ch', 1], ['d', 1]], ซ: [['s', 1]], ศ: [['s', 1], ['d', 1]],
  ษ: [['s', 1], ['d', 1]], ส: [['s', 1], ['d', 1]], ต: [['d', 1]], ท: [['d', 1]], ธ: [['d', 1]], ฐ: [['d', 1]], ฒ: [['d', 1]],
  ถ: [['d', 1]], บ: [['b', 1]], พ: [['b', 1]], ภ: [['b', 1]], ร: [['r', 1]], ฟ: [['f', 1]], ล: [['l', 0]], ฬ: [['l', 0]], ว: [['w', 0]],
};

/** Vowel kinds: 'A' is ั (a short a that passports may write u), the others their RTGS value. */
type Vowel = 'a' | 'A' | 'o' | 'O' | 'i' | 'ue' | 'u' | 'e' | 'ae' | 'oe' | 'ia' | 'uea' | 'ua' | 'ai' | 'Ay' | 'ao' | 'am' | 'an' | 'rue';
/** Spellings of each vowel kind, RTGS first. */
const VOWEL: Record<Vowel, Choice[]> = {
  a: [['a', 0]], A: [['a', 0], ['u', 1]], o: [['o', 0]], O: [['o', 0], ['aw', 2]], i: [['i', 0]], u: [['u', 0]],
  ue: [['ue', 0], ['u', 1], ['eu', 1]], e: [['e', 0]], ae: [['ae', 0], ['e', 1], ['ea', 1], ['a', 2]],
  oe: [['oe', 0], ['e', 0], ['eo', 1]], ia: [['ia', 0], ['ie', 1], ['ea', 1], ['e', 2]],
  uea: [['uea', 0], ['ua', 0], ['eua', 1], ['ue', 1], ['eu', 1], ['ea', 2]], ua: [['ua', 0], ['uo', 2]], ai: [['ai', 0]],
  // ั with ย: ai (Sanskrit-style spellings write aya: วิชัย Vijaya, the Sanskrit family below).
  Ay: [['ai', 0]],
  ao: [['ao', 0], ['au', 1], ['aw', 1], ['ow', 1]], am: [['am', 0], ['um', 2]], an: [['an', 0], ['un', 1]],
  // ฤ: rue (RTGS), ri (ฤทธิ์ rit), ru, roe.
  rue: [['ue', 0], ['i', 0], ['u', 1], ['oe', 1]],
};

const CONSONANT = /[\u0E01-\u0E2E]/;
const LEAD = 'เแโใไ';
const TONE = /[\u0E48-\u0E4B]/g;
/** Marks that follow a consonant and make part of its vowel. */
const FOLLOW = 'ะัาำิีึืุู็';
/** True clusters (RTGS): these consonants followed by ร, ล or ว sound together; ท only inside a word (ภัทรา phatthra; ทร starting a word is s). */
const CLUSTER_HEAD = 'กขคตปพผ';
/** Letters that start a cluster with ฤ (the cluster heads and ท: ทฤษฎี thritsadi). */
const RUE_CLUSTER = `${CLUSTER_HEAD}ท`;
/**
 * Letters that Pali and Sanskrit words often read twice, as a final and again as an onset with a
 * hidden a (ราชบุรี ratchaburi, วัฒนา watthana, ศุภชัย supphachai); other letters do so rarely.
 */
const LINKING = 'ชฒฐภธทษศสตจถ';
/** Of those, the letters nearly always read twice before another consonant (วัฒนา, รัฐบาล, ศุภชัย). */
const LINKING_ALWAYS = 'ฒฐภ';
/** Letters that seldom start a syllable inside a word. */
const RARE_ONSET = 'งญ';
/** Vowels of the short closed syllables that a silent last letter follows (เพชร, ฉัตร, สมุทร, มิตร). */
const SHORT: readonly Vowel[] = ['A', 'u', 'i', 'e', 'ae', 'o'];
/**
 * Pairs written for a doubled sound, the first a final and the second an onset (ยุทธนา yut-tha-na,
 * พุทธ, สิทธิ, อัคคี, วัฒนา ...): the first is seldom an onset of its own.
 */
const GEMINATE = new Set(['ทธ', 'ตต', 'ดด', 'ทท', 'กก', 'ปป', 'พพ', 'สส', 'นน', 'มม', 'ลล', 'ชช', 'จจ', 'ญญ', 'ฏฐ', 'ตถ', 'คค', 'กข', 'จฉ', 'ชฌ', 'ฏฎ', 'ฑฒ', 'ตท', 'บพ', 'ปผ', 'ษฐ', 'ทถ']);
/** Letters read as a final whose vowel ิ or ุ is silent at the end of a word (ชาติ chat, ธาตุ that). */
const SILENT_VOWEL = 'ตธทฒฐม';
/** Letters left silent after a final at the end of a syllable (เพชร phet, ฉัตร chat, ลักษณ์ lak). */
const LONE_SILENT = 'รษศสธฐฎต';
/** Marks where a tone mark stood between a consonant and ร, ล or ว: that consonant carries the vowel, no cluster (แก้ว kaeo, not kwae). */
const NO_CLUSTER = '\uE000';
/** What a Sanskrit-style spelling costs beyond the reading it comes from (sanskritParts), and each inherent a written after a final. */
const SANSKRIT = 1;
const INHERENT_A = 0.5;
/** The finals after which a long vowel (Syllable.long) may be spelled with a silent e, by vowel. */
const SILENT_E: Partial<Record<Vowel, readonly string[]>> = { o: ['t', 'p', 'm'], i: ['n', 't', 'k', 'p', 'm'], e: ['k', 't', 'm'] };
/** How many of a word's cheapest readings give Sanskrit-style spellings. */
const SANSKRIT_PARSES = 3;
/** How many readings of a word's syllables are kept (the cheapest). */
const PARSES = 10;

const isCons = (c: string | undefined): c is string => c !== undefined && CONSONANT.test(c);

/**
 * The spellings of a final read twice, as the next onset too (วัฒนา watthana): its RTGS final,
 * unwritten (Rajaburi), or for ศ ษ ส also d, as passports write a t before s (บุษบา Budsaba, วาสนา Wadsana).
 */
function twiceMute(f: string): Choice[] {
  return [[FINAL[f] ?? '', 0], ...('ศษส'.includes(f) ? FINAL_ALT[f]! : []), ['', 1]];
}

/** A syllable as read. */
interface Syllable {
  /** The onset's letter ('' for ฤ alone) and its RTGS value. */
  c: string;
  on: string;
  /** ร written after ศ/ส but not read (ศรี si; passports write Sri). */
  orthoR: boolean;
  v: Vowel;
  /** No vowel written: the hidden o of a closed syllable (คน khon), which Sanskrit-style spellings write a (พล Bala). */
  bare?: true;
  /** The final letter, or ''. */
  f: string;
  /** The final is read again as the next syllable's onset (เกียรติศักดิ์ kiat-ti-sak). */
  twice?: true;
  /** Letters written but not read after the syllable, as they may still be spelled (ดิ์ di or d, ร of วัตร ra). */
  mute: Choice[];
  /** The written vowel is long โ-, ี or เ- (the vowels that may take an English silent e: Chote, -ine, Anake). */
  long?: true;
}

interface Option {
  syls: Syllable[];
  next: number;
  cost: number;
}

/**
 * The word's letters with tone marks, ๆ and silent letters (under ์) taken out, and the spellings
 * of the silent letters by the position where they stood.
 */
function letters(word: string): { s: string[]; mutes: Map<number, Choice[]> } {
  // NFKC (normalize.ts) splits ำ into ํ and า: put it together again.
  const src = [...word.replace(/(?<=[\u0E01-\u0E2E])[\u0E48-\u0E4B](?=[รลว])/gu, NO_CLUSTER).replace(TONE, '').replace(/\u0E4D\u0E32/g, 'ำ').replace(/ๆ|ฯ|\u0E4D/g, '')];
  const s: string[] = [];
  const mutes = new Map<number, Choice[]>();
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    // Two letters under one ์ after a final (จันทร์ chan, กาญจน์ kan, ลักษณ์ lak): both silent.
    if ('ทตดชจษส'.includes(c) && 'รนณ'.includes(src[i + 1] ?? '-') && src[i + 2] === '์' && isCons(s.at(-1)) && 'ะัาำิีึืุู็อ'.includes(s.at(-2) ?? '-')) {
      mutes.set(s.length, [['', 0], [`${INITIAL[c] ?? ''}${INITIAL[src[i + 1]!] ?? ''}a`, 2]]);
      i += 2;
      continue;
    }
    if (isCons(c) && (src[i + 1] === '์' || ('ิุ'.includes(src[i + 1] ?? '-') && src[i + 2] === '์'))) {
      const v = src[i + 1] === 'ิ' ? 'i' : src[i + 1] === 'ุ' ? 'u' : '';
      // Spelled as a final (Sittipunt), as an onset with its vowel or an a (Sakdi, Sakti, Sivaraksa).
      // (or after a linking a: รัตน์ Ratana)
      const spelled: Choice[] = [['', 0], [FINAL[c] ?? '', 1], [(INITIAL[c] ?? '') + (v || 'a'), 1], [`a${INITIAL[c] ?? ''}${v || 'a'}`, 1.5]];
      if (v) spelled.push([(FINAL[c] ?? '') + v, 1]);
      else spelled.push([INITIAL[c] ?? '', 1]);
      mutes.set(s.length, spelled);
      i += v ? 2 : 1;
      continue;
    }
    if (c === '์') continue;
    s.push(c);
  }
  return { s, mutes };
}

/** One way to read the onset starting at k: its letter, RTGS value, where its vowel starts, and the cost. */
interface Onset {
  c: string;
  on: string;
  orthoR: boolean;
  k: number;
  cost: number;
}

/** The ways to read the onset starting at k (none when no consonant stands there). */
function onsetsAt(s: string[], k: number, lead: string, first: boolean): Onset[] {
  const c1 = s[k];
  if (!isCons(c1) || c1 === 'ฤ' || c1 === 'ฦ') return [];
  k++;
  const c2 = s[k] ?? '-';
  const after = s[k + 1] ?? '-';
  const plain: Onset = { c: c1, on: INITIAL[c1]!, orthoR: false, k, cost: 0 };
  if (c2 === NO_CLUSTER) return [{ ...plain, k: k + 1 }];
  // ห before a sonorant and อ before ย are silent tone carriers (หนู nu, อยู่ yu); ห may also be
  // read (หรเวช ho-ra-wet, สหรัถ sa-ha-rat).
  if ((c1 === 'ห' && 'งญนมยรลว'.includes(c2)) || (c1 === 'อ' && c2 === 'ย' && !lead)) {
    // (อ before ยุ is read: อยุธยา a-yut-tha-ya; it is silent only in อยู่ อย่า อย่าง อยาก.)
    return [{ c: c2, on: INITIAL[c2]!, orthoR: false, k: k + 1, cost: c1 === 'อ' && after === 'ุ' ? 1 : 0 }, ...(c1 === 'ห' || (c1 === 'อ' && after === 'ุ') ? [{ ...plain, cost: c1 === 'อ' ? 0 : 1 }] : [])];
  }
  // A vowel written after ร/ล under a lead vowel other than เ belongs to that letter (ไพรัตน์ phai-rat).
  const ownVowel = lead !== '' && 'ใไโแ'.includes(lead) && FOLLOW.includes(after) && !'ะ็'.includes(after);
  const head = c2 === 'ว' ? 'กขค' : CLUSTER_HEAD;
  if ('รลว'.includes(c2) && !ownVowel && (head.includes(c1) || (c1 === 'ท' && !first && c2 === 'ร'))) {
    // A true cluster when a vowel attaches after it or a lead vowel stands before (ประ, เปรียบ);
    // before a consonant it may be a cluster with a hidden o (พรม phrom) or the consonant's own
    // hidden o with ร/ล as its final (พร phon, พล phon): both, the latter first.
    const rr = c2 === 'ร' && after === 'ร' && !lead;
    const cluster: Onset = { c: c1, on: INITIAL[c1]! + INITIAL[c2]!, orthoR: false, k: k + 1, cost: 0 };
    // (ทร inside a word: thr, s, or ท with a hidden a before ร: สุนทรี sun-tha-ri, Soontharee.)
    if (!rr && (lead || FOLLOW.includes(after))) return [cluster, ...(c1 === 'ท' ? [{ ...cluster, on: 's', cost: 1 }, { ...plain, cost: 1 }] : [])];
    if (!rr && c2 !== 'ว' && isCons(after)) return [{ ...cluster, cost: FOLLOW.includes(s[k + 2] ?? '-') ? 1 : 0.5 }, plain];
    return [plain];
  }
  // ทร at the start of a word is read "s" (ทรง song, ทราย sai, ทรัพย์ sap).
  if (c1 === 'ท' && c2 === 'ร' && first && (FOLLOW.includes(after) || lead || isCons(after))) return [{ ...plain, on: 's', k: k + 1 }];
  // ศรี, สร, เศรษฐ: ร after s is silent in RTGS ("Si"), spelled in passports ("Sri"); under a
  // lead vowel only when no vowel follows ร (เสรี is se-ri).
  if ((c1 === 'ศ' || c1 === 'ส') && c2 === 'ร' && after !== 'ร' && ((!lead && FOLLOW.includes(after)) || (lead && (isCons(after) || after === 'ิ' || after === 'ื' || (after === 'ี' && s[k + 2] === 'ย'))))) {
    return [{ ...plain, on: 's', orthoR: true, k: k + 1 }];
  }
  return [plain];
}

/** Final: 0 none, 1 may follow, 2 must follow, 3 only a silent ย (ไทย). */
type Takes = 0 | 1 | 2 | 3;

/** The written vowels that may start at k after an onset (with the lead vowel before it, if any). */
function vowelAt(s: string[], k: number, lead: string): { v: Vowel; k: number; fin: Takes } | null {
  const v1 = s[k];
  const v2 = s[k + 1];
  if (lead === 'เ') {
    if (v1 === 'ี' && v2 === 'ย') {
      k += 2;
      if (s[k] === 'ะ') return { v: 'ia', k: k + 1, fin: 0 };
      // เกียรติ: ร is silent before ต.
      if (s[k] === 'ร' && s[k + 1] === 'ต') k++;
      return { v: 'ia', k, fin: 1 };
    }
    if (v1 === 'ื' && v2 === 'อ') return s[k + 2] === 'ะ' ? { v: 'uea', k: k + 3, fin: 0 } : { v: 'uea', k: k + 2, fin: 1 };
    if (v1 === 'า' && v2 === 'ะ') return { v: 'O', k: k + 2, fin: 0 };
    // (เยาว yao, as in เยาวลักษณ์ Yaowalak: a ว after it is its final, or the next onset.)
    if (v1 === 'า') return { v: 'ao', k: k + 1, fin: s[k + 1] === 'ว' ? 1 : 0 };
    if (v1 === 'อ') return v2 === 'ะ' ? { v: 'oe', k: k + 2, fin: 0 } : { v: 'oe', k: k + 1, fin: 1 };
    if (v1 === 'ิ') return { v: 'oe', k: k + 1, fin: 2 };
    if (v1 === 'ะ') return { v: 'e', k: k + 1, fin: 0 };
    if (v1 === '็') return { v: 'e', k: k + 1, fin: 2 };
    return { v: 'e', k, fin: 1 };
  }
  if (lead === 'แ') return v1 === 'ะ' ? { v: 'ae', k: k + 1, fin: 0 } : { v: 'ae', k: v1 === '็' ? k + 1 : k, fin: v1 === '็' ? 2 : 1 };
  if (lead === 'โ') return v1 === 'ะ' ? { v: 'o', k: k + 1, fin: 0 } : { v: 'o', k, fin: 1 };
  if (lead === 'ใ' || lead === 'ไ') return { v: 'ai', k, fin: 3 };
  if (v1 === 'ั' && v2 === 'ว') return { v: 'ua', k: k + 2, fin: 1 };
  if (v1 === 'ั' && v2 === 'ย' && !FOLLOW.includes(s[k + 2] ?? '-')) return { v: 'Ay', k: k + 2, fin: 0 };
  if (v1 === 'ั') return { v: 'A', k: k + 1, fin: 2 };
  if (v1 === 'า') return { v: 'a', k: k + 1, fin: 1 };
  if (v1 === 'ะ') return { v: 'a', k: k + 1, fin: 0 };
  if (v1 === 'ำ') return { v: 'am', k: k + 1, fin: 0 };
  if (v1 === 'ิ' || v1 === 'ี') return { v: 'i', k: k + 1, fin: 1 };
  if (v1 === 'ึ' || v1 === 'ื') return { v: 'ue', k: s[k + 1] === 'อ' && !FOLLOW.includes(s[k + 2] ?? '-') ? k + 2 : k + 1, fin: 1 };
  if (v1 === 'ุ' || v1 === 'ู') return { v: 'u', k: k + 1, fin: 1 };
  if (v1 === '็') return { v: 'o', k: k + 1, fin: 1 };
  if (v1 === 'อ' && !FOLLOW.includes(v2 ?? '-')) return { v: 'O', k: k + 1, fin: 1 };
  return null;
}

/** Every way the syllable starting at i may be read, with its cost and where the next one starts. */
function syllableOptions(s: string[], i: number, mutes: Map<number, Choice[]>, afterOpen: boolean): Option[] {
  const out: Option[] = [];
  const end = s.length;
  let k = i;
  const lead = LEAD.includes(s[k]!) ? s[k++]! : '';
  let onsetCost = 0;
  const add = (syl: Syllable, next: number, cost: number, then?: Syllable): void => {
    const last = { ...(then ?? syl), mute: [...(then ?? syl).mute, ...(mutes.get(next) ?? [])] };
    out.push({ syls: then ? [syl, last] : [last], next, cost: cost + onsetCost });
  };
  // ฤ: "rue" on its own (ฤทธิ์ rit) or after a consonant (พฤกษา phruek-sa, กฤษณ์ krit).
  const r = s[k] === 'ฤ' ? k : isCons(s[k]) && s[k + 1] === 'ฤ' && !lead ? k + 1 : -1;
  if (r >= 0) {
    // Only the letters that start a true cluster with ร (RTGS: kr, khr, tr, thr, pr, phr) do so
    // with ฤ (กฤษณ์ krit, พฤกษ์ phruek, ทฤษฎี thrit); another consonant before it keeps a hidden
    // a (นฤมล Narumon, มฤตยู Maritayu) or ends the syllable before (สมฤทธิ์ som-rit).
    const cluster = r > k && RUE_CLUSTER.includes(s[k]!);
    // ฤ alone right after such a letter is dearer: that letter is its cluster's (นพฤกษ์ na-phruek, not nop-ruek).
    const loneAfterHead = r === k && i > 0 && RUE_CLUSTER.includes(s[k - 1] ?? '-') ? 1 : 0;
    const on = (cluster ? INITIAL[s[k]!] ?? '' : '') + 'r';
    const base: Syllable = { c: 'ร', on, orthoR: false, v: 'rue', f: '', mute: [] };
    const f = s[r + 1];
    // (A letter before รร starts a syllable of its own: นฤพรรณ na-rue-phan; ฤ is never a final.)
    const closes = isCons(f) && f !== 'ฤ' && f !== 'ฦ' && !FOLLOW.includes(s[r + 2] ?? '-') && !(s[r + 2] === 'ร' && s[r + 3] === 'ร');
    if (r === k || cluster) {
      if (closes) add({ ...base, f }, r + 2, loneAfterHead);
      // Its final may be read again as the next onset, as after any vowel (กฤษดา krit-sa-da, พฤษภา phruet-sa-pha).
      if (closes && r + 2 < end && f !== 'อ' && f !== 'ย' && f !== 'ว') {
        const twice = LINKING_ALWAYS.includes(f) ? 0 : LINKING.includes(f) ? 0.5 : 1.5;
        add({ ...base, f: '', mute: twiceMute(f) }, r + 2, twice + loneAfterHead, { c: f, on: INITIAL[f]!, orthoR: false, v: 'a', f: '', mute: [] });
      }
      add(base, r + 1, (closes ? 1 : 0) + loneAfterHead);
    }
    // A consonant before ฤ may keep a hidden a (สฤษดิ์ Sarit, นฤมล Narumon).
    if (r > k) {
      const first: Syllable = { c: s[k]!, on: INITIAL[s[k]!] ?? '', orthoR: false, v: 'a', f: '', mute: [] };
      const alone = { ...base, on: 'r' };
      // (Inside a word, a letter that is no cluster head before ฤ more likely closes the syllable before.)
      const dear = cluster || i > 0 ? 1 : 0;
      if (closes) add(first, r + 2, dear, { ...alone, f });
      add(first, r + 1, dear + (closes ? 1 : 0) + (cluster ? 0.5 : 0), alone);
    }
    return out;
  }
  // เจริญ, เกษม: a lead vowel before two consonants that are no cluster belongs to the second;
  // the first is a syllable of its own with a hidden a.
  if ((lead === 'เ' || lead === 'แ') && isCons(s[k]) && isCons(s[k + 1]) && s[k + 1] !== NO_CLUSTER) {
    const cluster = (CLUSTER_HEAD.includes(s[k]!) && 'รลว'.includes(s[k + 1]!)) || ('สศ'.includes(s[k]!) && s[k + 1] === 'ร') || (s[k] === 'ห' && 'งญนมยรลว'.includes(s[k + 1]!));
    if (!cluster) {
      const upper = 'ิีึื'.includes(s[k + 2] ?? '-');
      out.push({ syls: [{ c: s[k]!, on: INITIAL[s[k]!]!, orthoR: false, v: 'a', f: '', mute: [] }], next: -(k + 1), cost: upper ? 0 : 1 });
    }
  }
  const onsets = onsetsAt(s, k, lead, i === 0);
  if (!onsets.length) return [{ syls: [], next: k + 1, cost: 0 }];
  for (const onset of onsets) {
    onsetCost = onset.cost + (i > 0 && RARE_ONSET.includes(onset.c) && s[i - 1] !== onset.c ? 1 : 0);
    syllablesAfter(onset);
  }
  return out;

  /** The syllables that may follow an onset: its vowel and final. */
  function syllablesAfter(onset: Onset): void {
  const base = { c: onset.c, on: onset.on, orthoR: onset.orthoR, mute: [] as Choice[] };
  k = onset.k;
  const written = vowelAt(s, k, lead);
  const vowels: { v: Vowel; k: number; fin: Takes; cost: number }[] = written ? [{ ...written, cost: 0 }] : [];
  if (!written) {
    // No written vowel: ว between the onset and a final is the vowel ua (สวน suan, นวล nuan).
    if (s[k] === 'ว' && isCons(s[k + 1]) && !FOLLOW.includes(s[k + 2] ?? '-')) vowels.push({ v: 'ua', k: k + 1, fin: 2, cost: 0.5 });
    // รร: "an", or "a" before a final (ธรรม tham, สุวรรณ suwan, พรรณี phanni); not when the
    // second ร starts a closed syllable of the vowel ua (รวง ruang, รวม ruam): then the first ร
    // ends a compound part (จันทร-รวง, as จันทร chanthra, chantara) and is read below.
    const ruaAfter = s[k + 2] === 'ว' && isCons(s[k + 3]) && !FOLLOW.includes(s[k + 4] ?? '-');
    if (s[k] === 'ร' && s[k + 1] === 'ร' && !FOLLOW.includes(s[k + 2] ?? '-') && !ruaAfter) {
      const f = s[k + 2];
      // (ฤ after รร starts a syllable of its own: สุวรรณ์ฤทธิ์ suwan-rit.)
      if (isCons(f) && f !== 'ฤ' && f !== 'ฦ' && !FOLLOW.includes(s[k + 3] ?? '-')) {
        add({ ...base, v: 'A', f }, k + 3, 0);
        // ... read twice before another syllable, as Pali and Sanskrit compounds read it whatever
        // the letter (ธรรมนัส Thammanat, วรรธนะ Vatthana, ธรรมศาสตร์ Thammasat, กรรมการ kammakan).
        if (k + 3 < end) {
          const cost = LINKING_ALWAYS.includes(f) ? 0 : 0.5;
          add({ ...base, v: 'A', f: '', mute: twiceMute(f) }, k + 3, cost, { c: f, on: INITIAL[f]!, orthoR: false, v: 'a', f: '', mute: [] });
        }
        // บรรจง ban-chong: รร is "an" before a syllable of its own too.
        if (k + 3 < end) add({ ...base, v: 'an', f: '' }, k + 2, 0.5);
      } else add({ ...base, v: 'an', f: '' }, k + 2, 0);
      return;
    }
    // The hidden o of a closed syllable (คน khon), or the hidden a of an open one (ธนา thana).
    vowels.push({ v: 'o', k, fin: 2, cost: 0 });
    const next = s[k];
    const explicitNext = next === undefined ? false : LEAD.includes(next) || FOLLOW.includes(s[k + 1] ?? '-') || (s[k + 1] === 'ร' && s[k + 2] === 'ร')
      || (CLUSTER_HEAD.includes(next) && 'รล'.includes(s[k + 1] ?? '-') && FOLLOW.includes(s[k + 2] ?? '-')) || s[k + 1] === 'ฤ';
    // Cheap at the start of a word before a written vowel (ธนากร tha-na-kon) and for ร after an
    // open syllable (สุรชัย su-ra-chai, วีรพงษ์ wi-ra-phong); rare at the end of a word.
    const openCost = k >= end ? 2 : (i === 0 && explicitNext) || (onset.c === 'ร' && afterOpen) ? 0 : explicitNext && afterOpen ? 0.5 : 1;
    // บ's hidden vowel is o (RTGS): บวร bowon, บริ bori, บรม borom, บดินทร์ bodin.
    if (onset.on === 'b') add({ ...base, v: 'o', f: '' }, k, openCost);
    add({ ...base, v: 'a', f: '' }, k, openCost + (onset.on === 'b' ? 0.5 : 0));
  }
  for (const w of vowels) {
    const long = written !== null && ((lead === 'โ' && w.v === 'o') || s[onset.k] === 'ี' || (lead === 'เ' && w.v === 'e' && w.k === onset.k));
    const syl: Syllable = { ...base, v: w.v, f: '', ...(!written && w.v === 'o' ? { bare: true as const } : {}), ...(long ? { long: true as const } : {}) };
    const f = s[w.k];
    // (ฤ is a syllable of its own, never a final: ภูฤทธิ์ phu-rit.)
    if (w.fin === 0 || !isCons(f) || f === NO_CLUSTER || f === 'ฤ' || f === 'ฦ') {
      if (w.fin !== 2) add(syl, w.k, w.cost);
      else if (w.v !== 'o' || written) add(syl, w.k, w.cost + 2);
      continue;
    }
    if (w.fin === 3) {
      // ไทย: a ย after ไ- is silent.
      if (f === 'ย' && !FOLLOW.includes(s[w.k + 1] ?? '-')) add(syl, w.k + 1, w.cost);
      add(syl, w.k, w.cost);
      continue;
    }
    const startsNext = FOLLOW.includes(s[w.k + 1] ?? '-') || (s[w.k + 1] === 'ร' && s[w.k + 2] === 'ร');
    if (startsNext) {
      // ติ, ตุ after a syllable: silent at the end of a word after a long vowel or ั (ชาติ chat,
      // สมบัติ sombat, ธาตุ that), read again as an onset inside one (เกียรติศักดิ์ kiattisak).
      if (SILENT_VOWEL.includes(f) && 'ิุ'.includes(s[w.k + 1]!) && (w.k + 2 >= end || isCons(s[w.k + 2]))) {
        const atEnd = w.k + 2 >= end;
        add({ ...syl, f }, w.k + 2, w.cost + (atEnd ? 0 : 1));
        add({ ...syl, f, twice: true }, w.k, w.cost + (atEnd ? 1 : 0));
      }
      if (w.fin !== 2 || written?.v === 'A') add(syl, w.k, w.cost + (w.fin === 2 ? 1 : 0));
      continue;
    }
    // พรหม phrom: ห before a sonorant final is silent.
    if (f === 'ห' && 'มนงญลวย'.includes(s[w.k + 1] ?? '-') && !FOLLOW.includes(s[w.k + 2] ?? '-')) add({ ...syl, f: s[w.k + 1]! }, w.k + 2, w.cost);
    // The consonant has no vowel of its own: this syllable's final ...
    const midR = f === 'ร' && w.k + 1 < end && written !== null;
    const closed = { ...syl, f };
    const after = w.k + 1;
    // (An อ after it is more likely its vowel: แพทองธาร phae-thong-than.)
    const vowelAfter = s[after] === 'อ' && !FOLLOW.includes(s[after + 1] ?? '-') ? 1 : 0;
    const always = LINKING_ALWAYS.includes(f) && after < end ? 0.5 : 0;
    // (Nor is a consonant that starts a cluster with a vowel of its own: ประภา pra-pha, not nop-ra-pha.)
    const clusterAfter = CLUSTER_HEAD.includes(f) && 'รล'.includes(s[after] ?? '-') && FOLLOW.includes(s[after + 1] ?? '-') ? 1 : 0;
    // (Nor, after a hidden o, is the ศ of ศรี si: นครศรี nakhon-si, not nok-rot-ri. Before
    // another vowel ศร, สร may be a final and an onset: ยศรักษา yot-rak-sa, นุศรา nut-sa-ra.)
    const srAfter = w.v === 'o' && !written && 'ศส'.includes(f) && s[after] === 'ร' && s[after + 1] === 'ี' ? 1.5 : 0;
    add(closed, after, w.cost + (midR ? 2 : 0) + vowelAfter + always + clusterAfter + srAfter);
    // ... followed by a silent letter (เพชร phet, ฉัตรชัย chatchai, สมุทร samut) ...
    if (written && (SHORT.includes(w.v) || s[after] !== 'ร') && LONE_SILENT.includes(s[after] ?? '-') && !FOLLOW.includes(s[after + 1] ?? '-') && (after + 1 >= end || (s[after] === 'ร' && isCons(s[after + 1])))) {
      const silent = s[after]!;
      const spelled: Choice[] = silent === 'ร' ? [['', 0], ['ra', 1], ['r', 1]] : [['', 0], [INITIAL[silent]!, 1], [`${INITIAL[silent]!}a`, 1]];
      add({ ...closed, mute: spelled }, after + 1, w.cost + (after + 1 >= end ? 0 : 0.5));
    }
    // ... or both a final and the next onset (วัฒนา watthana, ราชบุรี ratchaburi) ...
    // (The final of a letter read twice may go unwritten: ราชบุรี Rajaburi, ชัชวาล Chachaval.)
    if (after < end && f !== 'อ' && f !== 'ย' && f !== 'ว') {
      const cost = LINKING_ALWAYS.includes(f) ? 0 : LINKING.includes(f) ? 0.5 : 1.5;
      add({ ...closed, f: '', mute: twiceMute(f) }, after, w.cost + cost + vowelAfter + srAfter, { c: f, on: INITIAL[f]!, orthoR: false, v: 'a', f: '', mute: [] });
    }
    // ... or the onset of the next syllable (มานพ ma-nop, สุรชัย su-ra-chai).
    // (A lead เ or แ alone is seldom an open syllable before a consonant: เกษม ka-sem, not ke-som.)
    const bareLead = (w.v === 'e' || w.v === 'ae') && written !== null && written.k === k && !vowelAfter;
    const geminate = GEMINATE.has(f + (s[after] ?? '')) ? 1 : 0;
    if (w.fin === 1) add(syl, w.k, w.cost + (f === 'ร' ? 0 : 0.5) + (bareLead ? 0.5 : 0) + geminate);
  }
  }
  return out;
}

/** The cheapest ways to read a word as syllables, cheapest first. */
function parses(s: string[], mutes: Map<number, Choice[]>, shared = new Map<string, { syls: Syllable[]; cost: number }[]>()): { syls: Syllable[]; cost: number }[] {
  // The same rest of a word, reached again through a lead vowel moved (fromLead), is read once:
  // `shared` holds those readings by their letters and silent-letter places.
  const id = `${s.join('')}|${[...mutes.keys()].join(',')}`;
  const known = shared.get(id);
  if (known) return known;
  const memo = new Map<number, { syls: Syllable[]; cost: number }[]>();
  // `open`: the syllable before i ends in its vowel.
  const from = (i: number, open: boolean): { syls: Syllable[]; cost: number }[] => {
    if (i >= s.length) return [{ syls: [], cost: 0 }];
    let got = memo.get(2 * i + (open ? 1 : 0));
    if (got) return got;
    const out: { syls: Syllable[]; cost: number }[] = [];
    for (const o of syllableOptions(s, i, mutes, open)) {
      const last = o.syls.at(-1);
      // A negative `next` (a lead vowel's first consonant read alone): the lead vowel is
      // carried to the syllable after it.
      const rest = o.next < 0 ? fromLead(s[i]!, -o.next) : from(o.next, last ? !last.f && !last.mute.length : open);
      for (const r of rest) out.push({ syls: [...o.syls, ...r.syls], cost: o.cost + r.cost });
    }
    out.sort((a, b) => a.cost - b.cost);
    got = out.slice(0, PARSES);
    memo.set(2 * i + (open ? 1 : 0), got);
    return got;
  };
  // The rest of the word with the lead vowel moved before the consonant at k.
  const fromLead = (lead: string, k: number): { syls: Syllable[]; cost: number }[] => {
    const moved = [...s.slice(0, k), lead, ...s.slice(k)];
    const shifted = new Map([...mutes].map(([at, m]) => [at >= k ? at + 1 : at, m]));
    return parses(moved.slice(k), new Map([...shifted].filter(([at]) => at >= k).map(([at, m]) => [at - k, m])), shared);
  };
  const all = from(0, false);
  shared.set(id, all);
  return all;
}

/** The spelling choices of a syllable, RTGS first in each part. */
function partsOf(x: Syllable, last = false): Choice[][] {
  const onset: Choice[] = x.orthoR ? [['s', 0], ['sr', 0]] : [[x.on, 0], ...(x.on === INITIAL[x.c] ? ONSET_ALT[x.c] ?? [] : [])];
  let vowel = VOWEL[x.v];
  let fin: Choice[] = x.f ? [[FINAL[x.f] ?? '', 0], ...(FINAL_ALT[x.f] ?? [])] : [['', 0]];
  if (x.v === 'ao' && x.f === 'ว') fin = [['', 0], ['w', 0]];
  // โชค Chok or Choke.
  if (x.v === 'o' && FINAL[x.f] === 'k') fin = [...fin, ['ke', 1]];
  // The last syllable's long o, i or e may be spelled with an English silent e after its final
  // (โชติ Chote, โรม Rome; -ine), e as a (อเนก Anake, เกษม Kasame: "a" and "e" are one choice).
  else if (last && x.long && SILENT_E[x.v]?.includes(FINAL[x.f] ?? '-')) {
    const e = fin.filter(([l, c]) => l && !c).map(([l]): Choice => [`${l}e`, 1]);
    if (x.v === 'e') return [onset, [...vowel.flatMap(([v, c]) => fin.map(([l, d]): Choice => [v + l, c + d])), ...e.map(([l, c]): Choice => [`a${l}`, c])], ...(x.mute.length ? [x.mute] : [])];
    fin = [...fin, ...e];
  }
  // เ-ย is oei (เลย loei); a final ย is i (RTGS) or y.
  if (x.f === 'ย') {
    if (x.v === 'e') vowel = [['oe', 0], ['e', 1]];
    fin = [['i', 0], ['y', 0]];
  }
  return [onset, vowel, fin, ...(x.mute.length ? [x.mute] : [])];
}

/**
 * The spelling choices of a syllable as Sanskrit-style spellings write it, where a consonant that
 * Thai leaves vowelless keeps its inherent a: the hidden o is a and its final takes its a
 * (พล Bala, อุตตม Uttama, วน Vana); after a written vowel a final may take its a (วชิร Vajira,
 * กัลยาณ Kalayana, กาย Kaya); ัย is aya (วิชัย Vijaya); ฤ is ri or ru (Krishna, พฤกษ์ Phruk).
 * Onsets and finals keep their spellings of `partsOf` (Bhumibol, Dhamma); vowels and silent
 * letters only their first, or a silent letter its a (Ratanakosindra).
 */
function sanskritParts(x: Syllable): Choice[][] {
  const [onset, vowels, fins, mute] = partsOf(x);
  // (Vowels and finals keep only their usual spellings: the rarer ones are the first family's.)
  const vowel = vowels!.filter(([, c]) => c === 0);
  const fin = fins!.filter(([, c]) => c === 0);
  const initial = INITIAL[x.c] ?? '';
  // A cluster's first letter takes its Sanskrit values too (พราหมณ์ Brahmana, อินทร Indra).
  const on = x.on !== initial && x.on.startsWith(initial) && !x.orthoR ? [...onset!, ...(ONSET_ALT[x.c] ?? []).map(([l, c]): Choice => [l + x.on.slice(initial.length), c])] : onset!;
  // (ห ending a syllable is h: พราหมณ์ Brahmana.)
  if (x.f === 'ห') fin.unshift(['h', 0]);
  const rest: Choice[][] = mute ? [mute.filter(([l, c], i) => i === 0 || (l.endsWith('a') && c <= 1))] : [];
  // (ง takes no a, and its hidden o is a or o: มงคล Mangala, พงศ์ pong in Kalayanapong; nor does a final read again.)
  if (x.bare && x.f === 'ง') return [on, [['ang', 0], ['ong', INHERENT_A]], ...rest];
  if (!x.f || x.f === 'อ' || x.f === 'ง' || x.twice) {
    const v: Choice[] = x.bare && !x.f ? [['a', 0]] : x.v === 'Ay' ? [['aya', 0], ['ai', INHERENT_A]] : x.v === 'rue' ? [['i', 0], ['u', 0]] : vowel;
    return [on, v, fin, ...rest];
  }
  const inherent = [[INITIAL[x.f] ?? '', 0] as Choice, ...(ONSET_ALT[x.f] ?? [])].map(([l, c]): Choice => [`${l}a`, c]);
  // A hidden o is a with its final's a (Bala), or stays as Thai reads it (เจียรวนนท์ Chearavanont);
  // after a written vowel the final may take its a.
  if (x.bare) return [on, [...inherent.map(([l, c]): Choice => [`a${l}`, c]), ...fin.map(([l, c]): Choice => [`o${l}`, c + INHERENT_A])], ...rest];
  return [on, vowel, [...fin, ...inherent.map(([l, c]): Choice => [l, c + INHERENT_A])], ...rest];
}

/** RTGS romanization of a Thai word, lower case, or '' when it holds no Thai consonant. */
export function rtgs(word: string): string {
  return formsOf(word).rtgs;
}

/**
 * The Latin spellings of a Thai word, cheapest first (readings.ts): RTGS, then what passports
 * write for it. Empty for a word without Thai letters. The most recent words' are remembered
 * (unless `remember` is false: an index reads each word once).
 */
export function thaiReadings(word: string, remember = true): Reading[] {
  let r = readingsCache.get(word);
  if (!r) {
    const costs = new Map<string, number>();
    const ps = parsed(word);
    for (const p of ps) spellingCosts([[['', p.cost]], ...p.syls.flatMap((x, j) => partsOf(x, j === p.syls.length - 1))], costs);
    // The Sanskrit-style family (sanskritParts), from the cheapest readings only, dearer, and
    // ranked apart so that it never pushes a usual spelling out.
    const sanskrit = new Map<string, number>();
    for (const p of ps.slice(0, SANSKRIT_PARSES)) spellingCosts([[['', p.cost + SANSKRIT]], ...p.syls.flatMap(sanskritParts)], sanskrit, MAX_SECOND_READINGS * 2);
    r = rankSpellings(costs, sanskrit);
    if (!remember) return r;
    if (readingsCache.size >= READINGS_CACHE) readingsCache.clear();
    readingsCache.set(word, r);
  }
  return r;
}

/**
 * The Latin comparison forms of a Thai word for the index: RTGS, and where ร or a silent letter
 * is involved an orthographic form closer to how passports often spell it ("sri", "porn",
 * "watra"). Empty for a word without Thai letters.
 */
export function thaiLatinForms(word: string): string[] {
  return [...formsOf(word).forms];
}

/** Words whose readings are remembered (a few dozen each: only the most recent). */
const READINGS_CACHE = 4_096;
const readingsCache = new Map<string, Reading[]>();

/** Letters of a word read at the most (no name part is longer; a longer token is cut, so that hostile input costs bounded time). */
const MAX_LETTERS = 40;

function parsed(word: string): { syls: Syllable[]; cost: number }[] {
  const { s, mutes } = letters(word);
  return parses(s.slice(0, MAX_LETTERS), mutes).filter((p) => p.syls.length);
}

/** RTGS and the orthographic form of a word (remembered by the caller: romanize.ts latinForms). */
function formsOf(word: string): { rtgs: string; forms: readonly string[] } {
  return forms(parsed(word)[0]?.syls ?? []);
}

/** RTGS and the orthographic form of the cheapest reading's syllables. */
function forms(best: Syllable[]): { rtgs: string; forms: readonly string[] } {
  if (!best.length) return { rtgs: '', forms: [] };
  const rtgsForm = best.map((x) => partsOf(x).map((p) => p[0]![0]).join('')).join('');
  const ortho = best
    .map((x) => {
      const [onset, vowel, fin] = partsOf(x);
      const on = x.orthoR ? 'sr' : onset![0]![0];
      const tail = x.f === 'ร' ? `${vowel![0]![0]}rn` : vowel![0]![0] + fin![0]![0];
      // A silent last letter is still spelled: วัตร "watra" (as in Shinawatra).
      const mute = x.mute.find(([m]) => m.endsWith('a'))?.[0] ?? '';
      return on + tail + mute;
    })
    .join('');
  return { rtgs: rtgsForm, forms: [...new Set([rtgsForm, ortho])].filter(Boolean) };
}

/** True when the token is written in Thai script. */
export function isThai(token: string): boolean {
  return /[\u0E01-\u0E5B]/.test(token);
}
