/**
 * Phonetic keys of Latin tokens: folds under which spellings of the same name meet.
 */

/**
 * Phonetic fold of a Latin token: the spellings that romanizations of the same name use
 * interchangeably meet (ph/p, th/t, kh/k, ch/j, w/v, ee/i, oo/u, doubled letters, final -n/-l,
 * -t/-d, -rn/-n). Non-Latin tokens are returned unchanged.
 *
 * The folds are applied one after another over the whole token, each as a global replacement of
 * its leftmost non-overlapping matches: tch -> j, sch -> sh, ph -> p, th -> t, kh -> k, gh -> g,
 * dh -> d, bh -> b, ch -> j, sh -> s, ck -> k, q -> k, c before a, o, u or the end -> k, c -> s,
 * x -> ks, z -> s, v -> w; ee, ea, ie, ii, y -> i; oo, ou, uu -> u; ay, ey, ei -> ai; a run of one
 * letter -> the letter; then at the end rn -> n, l -> n, d -> t, and an h after a letter dropped.
 * (Written as passes over a buffer of letter codes, not as regular expressions: the key is made
 * for every token of every list and every reading of a Thai name, millions at an index build.)
 */
export function phoneticKey(token: string): string {
  const n = token.length;
  if (n === 0) return token;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c < LA || c > ZZ) return token;
  }
  // x -> ks may double the length.
  if (bufA.length < 2 * n) [bufA, bufB] = [new Uint8Array(4 * n), new Uint8Array(4 * n)];
  const a = bufA;
  const b = bufB;
  for (let i = 0; i < n; i++) a[i] = token.charCodeAt(i);
  // Passes from a to b or b to a. Folds that cannot make or break a match of another are one
  // pass (tch and sch; the h after p, t, k, g, d, b; ch, sh and ck), as the test checks.
  let len = n;
  let out = 0;
  for (let i = 0; i < len; ) {
    const c = a[i]!;
    if ((c === T || c === S) && a[i + 1] === C && a[i + 2] === H && i + 2 < len) {
      if (c === T) b[out++] = J; // tch -> j
      else {
        // sch -> sh
        b[out++] = S;
        b[out++] = H;
      }
      i += 3;
    } else {
      b[out++] = c;
      i++;
    }
  }
  len = out;
  out = 0;
  for (let i = 0; i < len; ) {
    const c = b[i]!;
    // ph -> p, th -> t, kh -> k, gh -> g, dh -> d, bh -> b
    if (b[i + 1] === H && i + 1 < len && (c === P || c === T || c === K || c === G || c === D || c === B)) { a[out++] = c; i += 2; }
    else { a[out++] = c; i++; }
  }
  len = out;
  out = 0;
  for (let i = 0; i < len; ) {
    const c = a[i]!;
    const next = i + 1 < len ? a[i + 1]! : -1;
    // ch -> j, sh -> s, ck -> k
    if ((c === C || c === S) && next === H) {
      b[out++] = c === C ? J : S;
      i += 2;
    } else if (c === C && next === K) {
      b[out++] = K;
      i += 2;
    } else { b[out++] = c; i++; }
  }
  len = out;
  // q -> k; c -> k before a, o, u or the end, else s; x -> ks; z -> s; v -> w.
  out = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i]!;
    if (c === Q) a[out++] = K;
    else if (c === C) {
      const next = i + 1 < len ? b[i + 1]! : -1;
      a[out++] = next === -1 || next === LA || next === O || next === U ? K : S;
    } else if (c === X) {
      a[out++] = K;
      a[out++] = S;
    }
    else if (c === ZZ) a[out++] = S;
    else if (c === V) a[out++] = W;
    else a[out++] = c;
  }
  len = out;
  // ee, ea, ie, ii, y -> i
  out = 0;
  for (let i = 0; i < len; ) {
    const c = a[i]!;
    const next = i + 1 < len ? a[i + 1]! : -1;
    if ((c === E && (next === E || next === LA)) || (c === I && (next === E || next === I))) { b[out++] = I; i += 2; }
    else { b[out++] = c === Y ? I : c; i++; }
  }
  len = out;
  // oo, ou, uu -> u
  out = 0;
  for (let i = 0; i < len; ) {
    const c = b[i]!;
    const next = i + 1 < len ? b[i + 1]! : -1;
    if ((c === O && (next === O || next === U)) || (c === U && next === U)) { a[out++] = U; i += 2; }
    else { a[out++] = c; i++; }
  }
  len = out;
  // ay, ey, ei -> ai: every y is an i by now, so only ei is left to find (in place: the same length).
  for (let i = 0; i + 1 < len; i++) {
    if (a[i] === E && a[i + 1] === I) {
      a[i] = LA;
      i++;
    }
  }
  // A run of one letter -> the letter.
  out = 0;
  for (let i = 0; i < len; i++) if (out === 0 || a[out - 1] !== a[i]) a[out++] = a[i]!;
  len = out;
  // At the end: rn -> n, then l -> n, then d -> t, then an h after a letter dropped.
  if (len >= 2 && a[len - 2] === R && a[len - 1] === N) a[--len - 1] = N;
  if (len >= 1 && a[len - 1] === L) a[len - 1] = N;
  if (len >= 1 && a[len - 1] === D) a[len - 1] = T;
  if (len >= 2 && a[len - 1] === H) len--;
  return unitsToString(a, 0, len);
}

/**
 * The string of the UTF-16 units codes[start .. end), made a slice at a time (one spread of a long
 * array would overflow the call stack).
 */
export function unitsToString(codes: Uint8Array | Uint16Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...codes.subarray(i, Math.min(end, i + 4096)));
  return s;
}

// Letter codes (a is LA, z ZZ: A and Z would read as the capitals).
const LA = 97, B = 98, C = 99, D = 100, E = 101, G = 103, H = 104, I = 105, J = 106, K = 107, L = 108, N = 110;
const O = 111, P = 112, Q = 113, R = 114, S = 115, T = 116, U = 117, V = 118, W = 119, X = 120, Y = 121, ZZ = 122;
/** phoneticKey's two letter buffers (single-threaded), grown for longer tokens. */
let bufA = new Uint8Array(64);
let bufB = new Uint8Array(64);

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
