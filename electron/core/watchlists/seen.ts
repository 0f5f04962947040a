/**
 * Compact "seen before" tables for the row converter (mapping.ts RowConverter): which ids,
 * same-person keys and whole-row contents an import has already had, and the row of the first.
 * They hold one entry per row or more for the whole file (300,000 rows and more), so they keep no
 * JavaScript object per entry: open-addressing hash tables over typed arrays (a handful of
 * objects in all, whatever the size, so they cost the garbage collector nothing to trace).
 *
 * Exactness, table by table:
 * - StringRows (ids): exact. Keys are kept (UTF-16 code units in one growing array) and compared
 *   in full on a hash match, so two different ids are never taken for one.
 * - DigestRows (same-person keys): keyed by a 64-bit digest of the key (digest64). Two different
 *   keys with one digest (about 1 in 10^7 for a file with two million keys) can only give a wrong
 *   or missing "same person" warning: both entries are kept either way.
 * - ContentRows (whole-row contents): keyed by 128 bits of the row's SHA-256 content hash and the
 *   first row of its id (exact). Two different contents with equal 128-bit prefixes are not found
 *   by chance (about 1 in 10^27 for a million rows) nor by design (2^64 work); the entry ids and
 *   version diffs already rest on the same hash.
 */

/** Value marking an empty slot (no row number is this). */
const EMPTY = -0x80000000;
const MIN_CAPACITY = 1024;

/** Mixes a 32-bit value into a well-spread 32-bit slot index (murmur3 finalizer). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The last digest64 computed: its high and low 32 bits (unsigned). Read right after the call. */
export const digest = { hi: 0, lo: 0 };

/**
 * A 64-bit digest of a string's UTF-16 code units (two 32-bit multiply-xor lanes, cross-mixed at
 * the end, as cyrb53 does), left in `digest` (no allocation). Not cryptographic: for keys whose
 * collision costs at most a warning.
 */
export function digest64(s: string): void {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  digest.hi = h1 >>> 0;
  digest.lo = h2 >>> 0;
}

/**
 * Same-person keys (shared/same-person.ts samePersonKeys) by 64-bit digest (digest64) -> the row
 * of the first entry that had the key and its date of birth as a number (dobCode). See the file
 * comment for what a digest collision can cost (a warning).
 */
export class DigestRows {
  private keys = new Uint32Array(MIN_CAPACITY * 2);
  private rows = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private dobs = new Int32Array(MIN_CAPACITY);
  private count = 0;

  /** Number of keys held. */
  get size(): number {
    return this.count;
  }

  /** The slot of the key (digest hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const mask = this.rows.length - 1;
    for (let i = mix(lo ^ hi) & mask; ; i = (i + 1) & mask) {
      if (this.rows[i] === EMPTY) return -1;
      if (this.keys[2 * i] === hi && this.keys[2 * i + 1] === lo) return i;
    }
  }

  /** Row stored at a slot found by `find`. */
  rowAt(slot: number): number {
    return this.rows[slot]!;
  }

  /** Date-of-birth code stored at a slot found by `find`. */
  dobAt(slot: number): number {
    return this.dobs[slot]!;
  }

  /** Adds the key with its first row and dob code, unless it is there already. */
  addIfAbsent(hi: number, lo: number, row: number, dob: number): void {
    if ((this.count + 1) * 2 > this.rows.length) this.grow();
    const mask = this.rows.length - 1;
    for (let i = mix(lo ^ hi) & mask; ; i = (i + 1) & mask) {
      if (this.rows[i] === EMPTY) {
        this.keys[2 * i] = hi;
        this.keys[2 * i + 1] = lo;
        this.rows[i] = row;
        this.dobs[i] = dob;
        this.count++;
        return;
      }
      if (this.keys[2 * i] === hi && this.keys[2 * i + 1] === lo) return;
    }
  }

  private grow(): void {
    const { keys, rows, dobs } = this;
    const cap = rows.length * 2;
    this.keys = new Uint32Array(cap * 2);
    this.rows = new Int32Array(cap).fill(EMPTY);
    this.dobs = new Int32Array(cap);
    this.count = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== EMPTY) this.addIfAbsent(keys[2 * i]!, keys[2 * i + 1]!, rows[i]!, dobs[i]!);
  }
}

/**
 * A full date of birth (YYYY-MM-DD) as the number YYYYMMDD; 0 for none or a partial date (a
 * year, a month), which agrees with every date (shared/same-person.ts datesAgree).
 */
export function dobCode(dob: string | null): number {
  if (!dob || dob.length !== 10 || dob.charCodeAt(4) !== 45 || dob.charCodeAt(7) !== 45) return 0;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = dob.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  return n;
}

/** datesAgree on dob codes: false only when both are full dates and differ. */
export function dobCodesAgree(a: number, b: number): boolean {
  return !(a !== 0 && b !== 0 && a !== b);
}

/**
 * Strings (entry ids) -> the row of their first entry, exact: the keys are kept as UTF-16 code
 * units in one growing array and compared in full on a hash match.
 */
export class StringRows {
  private hashes = new Uint32Array(MIN_CAPACITY);
  private starts = new Uint32Array(MIN_CAPACITY);
  private lengths = new Uint32Array(MIN_CAPACITY);
  private rows = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private text = new Uint16Array(MIN_CAPACITY * 16);
  private used = 0;
  private count = 0;

  /** Number of keys held. */
  get size(): number {
    return this.count;
  }

  /** The row of the key's first entry, or undefined. */
  get(key: string): number | undefined {
    const h = hash32(key);
    const mask = this.rows.length - 1;
    for (let i = mix(h) & mask; ; i = (i + 1) & mask) {
      const r = this.rows[i]!;
      if (r === EMPTY) return undefined;
      if (this.hashes[i] === h && this.equals(i, key)) return r;
    }
  }

  /** Adds the key with its row; the caller has checked that it is absent (get). */
  add(key: string, row: number): void {
    if ((this.count + 1) * 2 > this.rows.length) this.grow();
    if (this.used + key.length > this.text.length) {
      const t = new Uint16Array(Math.max(this.text.length * 2, this.used + key.length));
      t.set(this.text.subarray(0, this.used));
      this.text = t;
    }
    const start = this.used;
    for (let k = 0; k < key.length; k++) this.text[start + k] = key.charCodeAt(k);
    this.used += key.length;
    this.place(hash32(key), start, key.length, row);
  }

  private place(h: number, start: number, length: number, row: number): void {
    const mask = this.rows.length - 1;
    let i = mix(h) & mask;
    while (this.rows[i] !== EMPTY) i = (i + 1) & mask;
    this.hashes[i] = h;
    this.starts[i] = start;
    this.lengths[i] = length;
    this.rows[i] = row;
    this.count++;
  }

  private equals(slot: number, key: string): boolean {
    if (this.lengths[slot] !== key.length) return false;
    const s = this.starts[slot]!;
    for (let k = 0; k < key.length; k++) if (this.text[s + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  private grow(): void {
    const { hashes, starts, lengths, rows } = this;
    const cap = rows.length * 2;
    this.hashes = new Uint32Array(cap);
    this.starts = new Uint32Array(cap);
    this.lengths = new Uint32Array(cap);
    this.rows = new Int32Array(cap).fill(EMPTY);
    this.count = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i] !== EMPTY) this.place(hashes[i]!, starts[i]!, lengths[i]!, rows[i]!);
  }
}

/** A 32-bit FNV-1a hash of a string's UTF-16 code units (slot choice only; StringRows compares keys in full). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Whole-row contents -> the row of their first entry. A key is 128 bits of the row's SHA-256
 * content hash (its first 32 hex digits) and a number standing exactly for its id (the row of the
 * id's first entry, from StringRows; -1 for no id). See the file comment on exactness.
 */
export class ContentRows {
  private keys = new Uint32Array(MIN_CAPACITY * 4);
  private ids = new Int32Array(MIN_CAPACITY);
  private rows = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private count = 0;
  private readonly w = new Uint32Array(4);

  /** Number of keys held. */
  get size(): number {
    return this.count;
  }

  /**
   * The row of the first entry with this content hash (hex, 32 digits or more) and id number,
   * or, when there is none, adds them with `row` and returns undefined.
   */
  getOrAdd(contentHashHex: string, id: number, row: number): number | undefined {
    const w = this.w;
    for (let k = 0; k < 4; k++) w[k] = parseHex8(contentHashHex, k * 8);
    if ((this.count + 1) * 2 > this.rows.length) this.grow();
    const i = this.probe(w[0]!, w[1]!, w[2]!, w[3]!, id);
    if (this.rows[i] !== EMPTY) return this.rows[i];
    this.set(i, w[0]!, w[1]!, w[2]!, w[3]!, id, row);
    return undefined;
  }

  /** The slot holding the key, or the empty slot where it goes. */
  private probe(a: number, b: number, c: number, d: number, id: number): number {
    const mask = this.rows.length - 1;
    const k = this.keys;
    for (let i = mix(a ^ id) & mask; ; i = (i + 1) & mask) {
      if (this.rows[i] === EMPTY) return i;
      if (k[4 * i] === a && k[4 * i + 1] === b && k[4 * i + 2] === c && k[4 * i + 3] === d && this.ids[i] === id) return i;
    }
  }

  private set(i: number, a: number, b: number, c: number, d: number, id: number, row: number): void {
    this.keys[4 * i] = a;
    this.keys[4 * i + 1] = b;
    this.keys[4 * i + 2] = c;
    this.keys[4 * i + 3] = d;
    this.ids[i] = id;
    this.rows[i] = row;
    this.count++;
  }

  private grow(): void {
    const { keys, ids, rows } = this;
    const cap = rows.length * 2;
    this.keys = new Uint32Array(cap * 4);
    this.ids = new Int32Array(cap);
    this.rows = new Int32Array(cap).fill(EMPTY);
    this.count = 0;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === EMPTY) continue;
      const [a, b, c, d] = [keys[4 * i]!, keys[4 * i + 1]!, keys[4 * i + 2]!, keys[4 * i + 3]!];
      this.set(this.probe(a, b, c, d, ids[i]!), a, b, c, d, ids[i]!, rows[i]!);
    }
  }
}

/** Eight hex digits of `s` from `at` as an unsigned 32-bit number (lower- or upper-case). */
function parseHex8(s: string, at: number): number {
  let n = 0;
  for (let k = at; k < at + 8; k++) {
    const c = s.charCodeAt(k);
    n = (n << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return n >>> 0;
}
