/**
 * Readings: the Latin spellings a word written in a Southeast Asian script is given on passports
 * and lists, ranked by how usual each is. A Thai, Khmer or Lao name has no single romanization:
 * the holder chose theirs (ณัฐ is Nat, Nut, Natt or Nath; สุนทร Sunthon, Sunthorn or Soonthorn),
 * so the matcher compares a Latin token with every reading of a word instead of one
 * transliteration, and weighs the match by the reading's cost.
 */
import { looseKey } from './phonetic';

/** One Latin spelling of a word: lower-case a-z only, and its cost (0: the most usual; each unit a less usual choice). */
export interface Reading {
  latin: string;
  cost: number;
  /** Its `looseKey` (phonetic.ts), by which a Latin token meets it. */
  key: string;
}

/** The most readings kept per word (the cheapest). */
export const MAX_READINGS = 64;
/** The highest cost a kept reading may have. */
export const MAX_READING_COST = 4;

/** A choice within a syllable: the Latin letters for one part of it, and their cost. */
export type Choice = readonly [latin: string, cost: number];

/**
 * Every way of spelling a word given the choices for each of its parts in order (onset, vowel,
 * final of each syllable ...), cheapest first: at most `MAX_READINGS`, none above
 * `MAX_READING_COST`, spellings that meet under `looseKey` once, at their lowest cost. Parts with
 * no choice are skipped.
 */
export function spellings(parts: readonly (readonly Choice[])[]): Reading[] {
  return rankSpellings(spellingCosts(parts));
}

/**
 * The spellings of `spellings` before they are ranked and merged: each distinct string with its
 * lowest cost, added to `into` (so that several ways of reading one word can be gathered first).
 */
export function spellingCosts(parts: readonly (readonly Choice[])[], into = new Map<string, number>()): Map<string, number> {
  // Part by part over the partial spellings and their cost so far, the frontier bounded to the
  // cheapest (a few times the final count, so that a cheap ending can still rescue a dearer start).
  let partial = new Map<string, number>([['', 0]]);
  for (const choices of parts) {
    if (!choices.length) continue;
    const next = new Map<string, number>();
    for (const [prefix, cost] of partial) {
      for (const [latin, c] of choices) {
        const total = cost + c;
        if (total > MAX_READING_COST) continue;
        const s = prefix + latin;
        const was = next.get(s);
        if (was === undefined || total < was) next.set(s, total);
      }
    }
    partial = next.size > MAX_READINGS * 4 ? new Map([...next].sort((a, b) => a[1] - b[1]).slice(0, MAX_READINGS * 4)) : next;
  }
  for (const [latin, cost] of partial) {
    const was = into.get(latin);
    if (latin && (was === undefined || cost < was)) into.set(latin, cost);
  }
  return into;
}

/** Spellings with their costs ranked cheapest first, those that meet under `looseKey` once (at most `MAX_READINGS`). */
export function rankSpellings(costs: ReadonlyMap<string, number>): Reading[] {
  const byKey = new Map<string, Reading>();
  for (const [latin, cost] of [...costs].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))) {
    if (byKey.size >= MAX_READINGS) break;
    const key = looseKey(latin);
    if (!byKey.has(key)) byKey.set(key, { latin, cost, key });
  }
  return [...byKey.values()];
}
