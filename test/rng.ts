/**
 * Seeded pseudo-random numbers for tests that must replay exactly (the matcher oracle's generated
 * names, the fault campaign's kill moments): mulberry32, a 32-bit state generator that is fast and
 * well enough spread for test data (never for anything secret).
 */

/** A generator of numbers in [0, 1). */
export type Rng = () => number;

/** The mulberry32 generator started from `seed` (taken as an unsigned 32-bit integer); the same seed gives the same numbers. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
