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

/** The most readings kept per word of one family of spellings (the cheapest). */
export const MAX_FAMILY_READINGS = 64;
/** The most readings a second family adds to a word's own (`rankSpellings`: thai.ts, Sanskrit-style spellings). */
export const MAX_SECOND_READINGS = 16;
/** The most readings kept per word: its spellings' and a second family's. */
export const MAX_READINGS = MAX_FAMILY_READINGS + MAX_SECOND_READINGS;
/** The highest cost a kept reading may have. */
export const MAX_READING_COST = 4;

/** A choice within a syllable: the Latin letters for one part of it, and their cost. */
export type Choice = readonly [latin: string, cost: number];

/**
 * Every way of spelling a word given the choices for each of its parts in order (onset, vowel,
 * final of each syllable ...), cheapest first: at most `MAX_FAMILY_READINGS`, none above
 * `MAX_READING_COST`, spellings that meet under `looseKey` once, at their lowest cost. Parts with
 * no choice are skipped.
 */
export function spellings(parts: readonly (readonly Choice[])[]): Reading[] {
  return rankSpellings(spellingCosts(parts));
}

/**
 * The spellings of `spellings` before they are ranked and merged: each distinct string with its
 * lowest cost, added to `into` (so that several ways of reading one word can be gathered first).
 * `width`: how many of the cheapest partial spellings are carried from one part to the next.
 */
export function spellingCosts(parts: readonly (readonly Choice[])[], into = new Map<string, number>(), width = MAX_FAMILY_READINGS * 4): Map<string, number> {
  // Part by part over the partial spellings and their cost so far, the frontier bounded to the
  // cheapest (a few times the final count, so that a cheap ending can still rescue a dearer start).
  let partial = new Map<string, number>([['', 0]]);
  // (Runs of parts with one choice each are spelled at once: the same spellings, less work.)
  const merged: (readonly Choice[])[] = [];
  for (const choices of parts) {
    if (!choices.length) continue;
    const last = merged.at(-1);
    if (choices.length === 1 && last?.length === 1) merged[merged.length - 1] = [[last[0]![0] + choices[0]![0], last[0]![1] + choices[0]![1]]];
    else merged.push(choices);
  }
  for (const choices of merged) {
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
    partial = next.size > width ? new Map([...next].sort((a, b) => a[1] - b[1]).slice(0, width)) : next;
  }
  for (const [latin, cost] of partial) {
    const was = into.get(latin);
    if (latin && (was === undefined || cost < was)) into.set(latin, cost);
  }
  return into;
}

/**
 * The spellings cheapest first, those of one cost in alphabetical order (so that the same readings
 * come out whatever the order they were found in). Lazily, a cost at a time: the callers stop
 * after a few dozen.
 */
function* ranked(costs: ReadonlyMap<string, number>): Generator<[string, number]> {
  const byCost = new Map<number, string[]>();
  for (const [latin, cost] of costs) {
    const same = byCost.get(cost);
    if (same) same.push(latin);
    else byCost.set(cost, [latin]);
  }
  for (const cost of [...byCost.keys()].sort((a, b) => a - b)) for (const latin of byCost.get(cost)!.sort()) yield [latin, cost];
}

/**
 * Spellings with their costs ranked cheapest first, those that meet under `looseKey` once: at most
 * `MAX_FAMILY_READINGS` of `costs`, then at most `MAX_SECOND_READINGS` of `second` (a second,
 * rarer family of spellings) that are not among them, so that the second family never pushes a
 * spelling of the first out. A spelling of both keeps its lower cost.
 */
export function rankSpellings(costs: ReadonlyMap<string, number>, second?: ReadonlyMap<string, number>): Reading[] {
  const byKey = new Map<string, Reading>();
  for (const [latin, cost] of ranked(costs)) {
    if (byKey.size >= MAX_FAMILY_READINGS) break;
    const key = looseKey(latin);
    if (!byKey.has(key)) byKey.set(key, { latin, cost, key });
  }
  if (!second?.size) return [...byKey.values()];
  const byLatin = new Map([...byKey.values()].map((r) => [r.latin, r]));
  let added = 0;
  for (const [latin, cost] of ranked(second)) {
    if (added >= MAX_SECOND_READINGS) break;
    const same = byLatin.get(latin);
    if (same) {
      same.cost = Math.min(same.cost, cost);
      continue;
    }
    const key = looseKey(latin);
    const was = byKey.get(key);
    if (was) was.cost = Math.min(was.cost, cost);
    else {
      byKey.set(key, { latin, cost, key });
      added++;
    }
  }
  return [...byKey.values()].sort((a, b) => a.cost - b.cost);
}
