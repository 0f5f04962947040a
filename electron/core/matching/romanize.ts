/**
 * The readings of a token in a Southeast Asian script (readings.ts), whichever its script, and how
 * well a Latin token matches them: the scorer (score.ts) compares a Thai-script list name with a
 * passport's Latin one through these, and the matcher (matcher.ts) retrieves by their keys.
 */
import { looseKey } from './phonetic';
import type { Reading } from './readings';
import { khmerReadings } from './khmer';
import { laoReadings } from './lao';
import { myanmarReadings } from './myanmar';
import { isThai, thaiLatinForms, thaiReadings } from './thai';

/** A script's reader: the readings of a word; `remember` false asks a reader that keeps a cache (Thai) not to keep this word's. */
type Reader = (word: string, remember?: boolean) => Reading[];
/** Scripts with readings, by the code point range their letters take (a token's first letter decides). */
const SCRIPTS: { from: number; to: number; readings: Reader }[] = [
  { from: 0x0e01, to: 0x0e7f, readings: thaiReadings },
  { from: 0x0e80, to: 0x0eff, readings: laoReadings },
  { from: 0x1780, to: 0x17ff, readings: khmerReadings },
  { from: 0x1000, to: 0x109f, readings: myanmarReadings },
];

function scriptOf(token: string): Reader | null {
  const c = token.charCodeAt(0);
  for (const s of SCRIPTS) if (c >= s.from && c <= s.to) return s.readings;
  return null;
}

/** The readings of a token (readings.ts), cheapest first; empty for a token in a script without them. */
export function readingsOf(token: string): Reading[] {
  return scriptOf(token)?.(token) ?? [];
}

const FORMS_CACHE = 50_000;
let formsCache = new Map<string, readonly string[]>();

/**
 * The Latin forms of a token the index keeps beside it for typo search (normalize.ts): Thai's
 * RTGS and orthographic forms (thai.ts), the two usual spellings of a Khmer, Lao or Myanmar
 * word; empty for other scripts. Remembered, since an import asks for the same words again and again.
 */
export function latinForms(token: string): readonly string[] {
  let f = formsCache.get(token);
  if (!f) {
    f = isThai(token) ? thaiLatinForms(token) : readingsOf(token).slice(0, 2).map((r) => r.latin);
    if (formsCache.size >= FORMS_CACHE) formsCache = new Map();
    formsCache.set(token, f);
  }
  return f;
}

/** True when the token is written in a script that has readings. */
export function hasReadings(token: string): boolean {
  return scriptOf(token) !== null;
}

/** Letters an initial may be written with beside the reading's own first letter. */
const INITIAL_ALT: Record<string, string> = { c: 'j', j: 'c', w: 'v', v: 'w' };

const KEYS_CACHE = 4_096;

/**
 * The keys of `readingKeys`, computed without remembering them (an index reads each token's once,
 * at build).
 */
export function readingKeysOnce(token: string): Map<string, number> {
  const read = scriptOf(token);
  const m = new Map<string, number>();
  for (const r of read ? read(token, false) : []) {
    if (!m.has(r.key)) m.set(r.key, r.cost);
    // Initials the token may be written with: "^" and the first letter (C. or J. for ch).
    const first = r.latin[0]!;
    for (const x of [first, INITIAL_ALT[first]]) if (x) m.set(`^${x}`, 0);
  }
  return m;
}
let keysCache = new Map<string, ReadonlyMap<string, number>>();

/**
 * The loose keys (phonetic.ts) of a token's readings, each with its lowest cost, and "^" with each
 * letter the token's initial may be written with; empty for a token in a script without readings.
 * Remembered for the most recent tokens.
 */
export function readingKeys(token: string): ReadonlyMap<string, number> {
  let keys = keysCache.get(token);
  if (!keys) {
    keys = readingKeysOnce(token);
    if (keysCache.size >= KEYS_CACHE) keysCache = new Map();
    keysCache.set(token, keys);
  }
  return keys;
}

/** Similarity of a Latin token to a reading of cost `cost` (0.95 for the usual spelling, 0.02 less per unit). */
export function readingSimilarity(cost: number): number {
  return Math.max(0.85, 0.95 - 0.02 * cost);
}

/**
 * How well a Latin token (a-z) matches a token in a script with readings: the similarity of the
 * cheapest reading it spells under `looseKey`, or 0 when it spells none.
 */
export function readingMatch(script: string, latin: string): number {
  const cost = readingKeys(script).get(looseKey(latin));
  return cost === undefined ? 0 : readingSimilarity(cost);
}
