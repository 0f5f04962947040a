/**
 * Match keys: the normalized token variants of an entry's names, computed once when a list version
 * is imported and stored with the entry, so that building the index at start-up reads tokens
 * instead of normalizing a million names again (DESIGN.md section 5, "keys may be stored at
 * publication").
 *
 * Stored keys carry a version tag derived from what normalization makes of a fixed set of probe
 * names, so a change to the normalization rules makes old keys stale by itself: stale or missing
 * keys are recomputed from the names when the index is built.
 */
import { createHash } from 'node:crypto';
import { crossScriptVariants, nameVariants } from './normalize';

/** One token variant of one of an entry's names. */
export interface KeyVariant {
  /** Index into the entry's names. */
  name: number;
  /** A Latin form derived from another script (compared only with forms in their own script). */
  derived: boolean;
  tokens: string[];
}

/** Every variant of every name: each name's own-script forms, then its cross-script Latin forms. */
export function entryVariants(names: readonly string[]): KeyVariant[] {
  const out: KeyVariant[] = [];
  names.forEach((raw, name) => {
    const own = nameVariants(raw);
    for (const tokens of own) out.push({ name, derived: false, tokens });
    for (const tokens of crossScriptVariants(own)) out.push({ name, derived: true, tokens });
  });
  return out;
}

// Separators that normalization never leaves inside a token (it splits on every control character).
const VARIANT = '\u001e';
const VARIANT_CODE = 0x1e;
/** Largest name index accepted (the index packs it with two flags in 32 bits). */
const MAX_NAME = 2 ** 28;
const FIELD = '\u001f';

/**
 * Encoded as the version, the entry's distinct tokens, then each variant as its name index, "d" if
 * derived, and the positions of its tokens among the distinct ones (each token is stored once).
 */
function encode(variants: KeyVariant[], version: string): string {
  const at = new Map<string, number>();
  for (const v of variants) for (const t of v.tokens) if (!at.has(t)) at.set(t, at.size);
  let s = `${version}${VARIANT}${[...at.keys()].join(' ')}`;
  for (const v of variants) s += `${VARIANT}${v.name}${v.derived ? 'd' : ''}${FIELD}${v.tokens.map((t) => at.get(t)).join(' ')}`;
  return s;
}

/** Stored keys taken apart: the distinct tokens, and each variant's name, flag and token positions. */
export interface SplitKeys<T = string> {
  tokens: T[];
  variants: { name: number; derived: boolean; at: number[] }[];
}

/**
 * Probe names exercising every normalization rule (titles glued and spaced, ICAO folding, Thai,
 * Han, Cyrillic, Khmer, Myanmar U/Daw, hyphens, look-alike digits). Made up; not real people.
 */
const PROBES = [
  'นายสมชาย ใจดี', 'พ.ต.ท.ประยุทธ์ จันทร์โอชา', 'นางสาว สุดา นายาว', 'Pol. Col. Somsak Rakthai', 'MÜLLER-LÜDENSCHEIDT, Jürgen',
  'Søren Ærøskøbing', 'Þór Đoković', '王小明', '欧阳明华', 'Иван Петров', 'សុខ ចាន់', 'U Aung Min', 'Daw Khin Su', "O'Brien Jr.",
  'Ig0r Sech1n', 'Abdul-Rahman al Hassan', 'ທອງ ສີສະຫວາດ', 'ဦးအောင်', 'Nguyễn Văn Đức', 'Khun Sa',
  'ทรงเกียรติ ศรีสุข', 'นางสาวจิราพร เจริญวงศ์', 'ร.ต.อ. ประเสริฐ ทองคำ', '习近平', 'Tsai Ing-wen',
  'JP Abd al Wahid',
];

/**
 * Version tag of stored keys ("k" + 12 hex digits): changes whenever normalization gives a different
 * answer for any probe name.
 */
export const MATCH_KEYS_VERSION = `k${createHash('sha256')
  .update(PROBES.map((p) => encode(entryVariants([p]), '')).join('\n'))
  .digest('hex')
  .slice(0, 12)}`;

/** Encodes an entry's names as stored match keys (a compact string, tagged with the version). */
export function encodeMatchKeys(names: readonly string[]): string {
  return encode(entryVariants(names), MATCH_KEYS_VERSION);
}

/**
 * True when stored keys agree with what normalization makes of the names now. The index checks a
 * sample of entries with this before trusting stored keys, so a rule change that the probe names
 * miss is still caught (and every entry is then normalized anew).
 */
export function keysCurrent(names: readonly string[], stored: string | null | undefined): boolean {
  return stored === encodeMatchKeys(names);
}

/**
 * Decodes stored match keys; null when they are missing, malformed or of another version (the
 * caller then recomputes them from the names).
 */
export function decodeMatchKeys(s: string | null | undefined): KeyVariant[] | null {
  const split = splitMatchKeys(s);
  return split && split.variants.map((v) => ({ name: v.name, derived: v.derived, tokens: v.at.map((i) => split.tokens[i]!) }));
}

/** Cuts a token out of the stored string (the default reader of `splitMatchKeys`). */
const sliceToken = (s: string, start: number, end: number): string => s.slice(start, end);

/**
 * Stored keys taken apart in one pass, without building each variant's strings; null as above.
 * Each distinct token is handed to `token` as its place in `s` (so that the index can look it up
 * in place, without a string per token), and what it returns stands for the token.
 */
export function splitMatchKeys(s: string | null | undefined): SplitKeys | null;
export function splitMatchKeys<T>(s: string | null | undefined, token: (s: string, start: number, end: number) => T): SplitKeys<T> | null;
export function splitMatchKeys<T>(s: string | null | undefined, token?: (s: string, start: number, end: number) => T): SplitKeys<T | string> | null {
  const read = token ?? sliceToken;
  const v = MATCH_KEYS_VERSION.length;
  if (!s || !s.startsWith(MATCH_KEYS_VERSION) || s.charCodeAt(v) !== VARIANT_CODE) return null;
  // The distinct tokens, separated by spaces, up to the first variant: counted and checked here,
  // handed to `read` only once the whole string is known good (a rejected string leaves no token).
  const first = v + 1;
  let end = s.indexOf(VARIANT, first);
  if (end < 0) end = s.length;
  const tokensEnd = end;
  let count = 0;
  if (end > first) {
    for (let from = first; from <= end; count++) {
      let to = s.indexOf(' ', from);
      if (to < 0 || to > end) to = end;
      if (to === from) return null; // an empty token
      from = to + 1;
    }
  }
  let i: number;
  // Each variant: "<name>[d]\u001f<pos> <pos> ...", read digit by digit (a million entries at start-up).
  const variants: SplitKeys['variants'] = [];
  for (i = end + 1; i <= s.length && end < s.length; i = end + 1) {
    end = s.indexOf(VARIANT, i);
    if (end < 0) end = s.length;
    const f = s.indexOf(FIELD, i);
    if (f <= i || f >= end) return null;
    const derived = s.charCodeAt(f - 1) === 100; // 'd'
    let name = 0;
    for (let j = i; j < (derived ? f - 1 : f); j++) {
      const c = s.charCodeAt(j);
      if (c < 48 || c > 57) return null;
      name = name * 10 + c - 48;
      if (name > MAX_NAME) return null;
    }
    if (derived && f - 1 === i) return null; // no name index
    const at: number[] = [];
    let x = -1;
    for (let j = f + 1; j <= end; j++) {
      const c = j < end ? s.charCodeAt(j) : 32;
      if (c >= 48 && c <= 57) x = (x < 0 ? 0 : x * 10) + c - 48;
      else if (c === 32 && x >= 0 && x < count) {
        at.push(x);
        x = -1;
      } else return null;
    }
    variants.push({ name, derived, at });
  }
  const tokens: (T | string)[] = [];
  for (let from = first; tokens.length < count; ) {
    let to = s.indexOf(' ', from);
    if (to < 0 || to > tokensEnd) to = tokensEnd;
    tokens.push(read(s, from, to));
    from = to + 1;
  }
  return { tokens, variants };
}
