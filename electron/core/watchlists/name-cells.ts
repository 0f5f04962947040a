/**
 * Rules for name cells and formula-looking text (issue 13):
 *
 * - Several names in one cell. `X ALIAS Y ALIAS Z`, `X a.k.a. Y`, `X aka Y`, `X f.k.a. Y`,
 *   `X also known as Y`, `X @ Y` (Malaysian and Singaporean police usage), `X; Y`, `X | Y`, one
 *   per line, `X / Y`, `X หรือ Y` ("or"), `X นามแฝง Y` / `ชื่อแฝง` / `ฉายา` ("alias", "nickname")
 *   and `X (Y)` give the first name and its aliases. Word markers count only as whole words with
 *   a name on their left (a cell starting with one, or a marker inside a word, is not split), so
 *   that `Aka` as a surname at either end stays a name.
 * - `/` inside a name: `s/o`, `d/o`, `w/o` (son, daughter, wife of) and Malaysia's `a/l`, `a/p`
 *   (anak lelaki/perempuan) are part of the legal name as written on the identity card: they are
 *   kept, with the father's name after them, and never split. A slash glued between two words
 *   with one word on one side is that word's other spelling (`AHMED/AHMAD ALI`: slashNames); any
 *   other `/` separates two names ("MOHAMMED ALI / MUHAMMAD ALI"). Thai script uses no `/` inside names (it appears in dates and
 *   case numbers), and the Arabic transliterations of the lists write `Abd al-`, `bin`, `ibn`
 *   without one, so the rule holds for them too.
 * - Brackets: `(Y)` is an alias when Y reads as a name; it stays in the name as written when it
 *   holds digits, a title or rank alone (Mr, Dr, พ.ต.ท.), a sex, a nationality or country
 *   (toAlpha3), or a note such as `deceased`, `Jr`, `nickname`. A marker inside the bracket
 *   (`(a.k.a. Y)`) is dropped.
 * - Formula-looking text: a text value starting with `=`, `+`, `-` or `@` (after trimming; a
 *   leading tab or carriage return is trimmed away) is what a spreadsheet would evaluate. It is
 *   kept as written, as inert text (nothing here evaluates it; the UI shows it as React text), and
 *   every export neutralizes it (spreadsheet/write.ts neutralizeFormula). A cell of dashes alone
 *   (`-`, `--`, `—`) is the usual "nothing here" placeholder, not a formula: it reads as empty.
 *
 * Every scan here is linear in the cell's length (no pattern with `\s*` around a marker: those
 * are tried from every space of a long run).
 */
import { toAlpha3, toSex } from './values';

/** Word markers that put another name after them, lower case, compared without a trailing `:`. */
const WORD_MARKERS = new Set(['alias', 'aliases', 'aka', 'a.k.a.', 'a.k.a', 'a/k/a', 'fka', 'f.k.a.', 'f.k.a', '@', 'หรือ', 'นามแฝง', 'ชื่อแฝง', 'ฉายา', 'ชื่อเล่น']);
/** Thai markers that may be written glued to the name after them (`นามแฝงต้อม`). */
const GLUED_MARKERS = ['นามแฝง', 'ชื่อแฝง'];
/** The slash pairs that belong to a name (son/daughter/wife of; Malaysian anak lelaki/perempuan). */
const NAME_SLASH = /(^|[^\p{L}])([sdwSDW]\/[oO]|[aA]\/[lLpP])(?![\p{L}])/gu;
/** Stands in for a kept slash while the cell is split (a character no name holds). */
const KEPT_SLASH = '\u0000';
/** Bracketed words that are no name: notes on the person or on the entry. */
const NOT_NAME_NOTES = new Set([
  'deceased', 'dead', 'died', 'minor', 'jr', 'jr.', 'junior', 'sr', 'sr.', 'senior', 'nickname', 'alias', 'aka', 'a.k.a.',
  'the elder', 'the younger', 'ii', 'iii', 'iv', 'unknown', 'n/a', 'เสียชีวิต', 'ตาย', 'ชื่อเล่น', 'นามแฝง', 'ไม่ทราบ',
]);
/** First words of a bracketed note about the person (`(born in ...)`, `(son of ...)`), lower case. */
const NOTE_LEAD = new Set(['born', 'from', 'of', 'in', 'son', 'daughter', 'wife', 'husband', 'citizen', 'resident', 'national', 'possibly', 'probably', 'approximately', 'approx', 'age', 'aged', 'see', 'died', 'deceased', 'address', 'last', 'known']);
/** Titles and ranks that may stand alone in brackets (DESIGN.md section 5.2). */
const TITLE = /^(mr|mrs|ms|miss|dr|prof|sir|dame|sheikh|shaikh|haji|hajji|mullah|mawlawi|maulavi|imam|gen|col|maj|capt|lt|sgt|pol|นาย|นาง|นางสาว|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)\.?$/i;
/** A Thai rank written as dotted abbreviations (พ.ต.ท., ร.ต.อ., พล.ต.อ.). */
const THAI_RANK = /^(?:[\u0E01-\u0E4E]{1,3}\.){2,4}$/;

/** Anything that may split a cell: a separator, a bracket or a marker word (a cell without one is one name: the fast path). */
const MAY_SPLIT = /[;|/\n\r()（）@；／]|\b(?:alias|aliases|aka|a\.k\.a|fka|f\.k\.a|also)\b|หรือ|นามแฝง|ชื่อแฝง|ฉายา|ชื่อเล่น/i;

/** The names in a name cell: the first, then its aliases (each trimmed, none empty, no repeats). */
export function splitNameCell(cell: string): string[] {
  if (!MAY_SPLIT.test(cell)) {
    const one = trimSeparators(cell.replace(/\s+/g, ' '));
    return one ? [one] : [];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (n: string) => {
    const clean = trimSeparators(n.split(KEPT_SLASH).join('/').replace(/\s+/g, ' '));
    if (clean && !seen.has(clean)) {
      seen.add(clean);
      out.push(clean);
    }
  };
  const { rest, bracketed } = takeBrackets(cell);
  for (const part of splitOnSeparators(rest)) for (const n of splitOnWords(part)) for (const x of slashNames(n)) add(x);
  for (const b of bracketed) for (const part of splitOnSeparators(b)) for (const n of splitOnWords(part, true)) for (const x of slashNames(n)) add(x);
  return out;
}

/** Leading spaces, commas, dots, colons and dashes, and trailing ones but dots (`T.`), removed; by index, not by a pattern anchored at the end (quadratic on long runs). */
function trimSeparators(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && ' ,.:-–—'.includes(s[a]!)) a++;
  while (b > a && ' ,:-–—'.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/**
 * Takes the bracketed aliases out of a cell: `X (Y)` -> rest `X`, bracketed [`Y`]. A bracket that
 * holds no name (isNameLike) stays in the rest as written; an unbalanced or nested one is text.
 */
function takeBrackets(cell: string): { rest: string; bracketed: string[] } {
  const bracketed: string[] = [];
  let rest = '';
  let at = 0;
  for (;;) {
    const open = indexOfAny(cell, '(（', at);
    if (open < 0) break;
    const close = indexOfAny(cell, ')）', open + 1);
    if (close < 0) break;
    const inner = cell.slice(open + 1, close);
    if (indexOfAny(inner, '(（', 0) >= 0) {
      // Nested: the text up to the innermost opening bracket is text; that bracket is read next
      // (each character is looked at a bounded number of times, however deep the nesting).
      let innerOpen = close - 1;
      while (!'(（'.includes(cell[innerOpen]!)) innerOpen--;
      rest += cell.slice(at, innerOpen);
      at = innerOpen;
      continue;
    }
    const content = withoutLeadingMarker(inner.trim());
    if (isNameLike(content)) {
      bracketed.push(content);
      rest += `${cell.slice(at, open)} `;
    } else rest += cell.slice(at, close + 1);
    at = close + 1;
  }
  return { rest: rest + cell.slice(at), bracketed };
}

function indexOfAny(s: string, chars: string, from: number): number {
  for (let i = from; i < s.length; i++) if (chars.includes(s[i]!)) return i;
  return -1;
}

/** `a.k.a. Y` -> `Y` (inside a bracket the marker has nothing on its left). */
function withoutLeadingMarker(s: string): string {
  const space = s.search(/\s/);
  if (space > 0 && WORD_MARKERS.has(s.slice(0, space).toLowerCase().replace(/:$/, ''))) return s.slice(space + 1).trim();
  if (space > 0 && /^(formerly|previously)$/i.test(s.slice(0, space))) return s.slice(space + 1).trim();
  for (const m of GLUED_MARKERS) if (s.startsWith(m)) return s.slice(m.length).replace(/^[:\s]+/, '');
  return s;
}

/** True when bracketed text reads as a name (see the module comment). */
function isNameLike(s: string): boolean {
  if (!/\p{L}/u.test(s) || /\p{N}/u.test(s)) return false;
  const lower = s.toLowerCase().replace(/\s+/g, ' ');
  if (NOT_NAME_NOTES.has(lower) || WORD_MARKERS.has(lower) || TITLE.test(lower) || THAI_RANK.test(s) || toSex(s) !== null) return false;
  if (lower.length <= 1 || NOTE_LEAD.has(lower.split(' ')[0]!)) return false;
  return toAlpha3(s) === null;
}

/** Splits on `;`, `|` and line breaks, guarding the name slashes (NAME_SLASH); other slashes are slashNames's, after the marker words. */
function splitOnSeparators(s: string): string[] {
  const guarded = s.replace(/(^|\s)a\/k\/a(?=\s|$)/gi, '$1aka').replace(NAME_SLASH, (_m, before: string, pair: string) => before + pair.replace('/', KEPT_SLASH));
  return guarded.split(/[;|\n\r\uFF1B]/);
}

/**
 * The names of a part with slashes. One slash glued between two words, with a single word on one
 * side, gives that word's other spelling: `AHMED/AHMAD ALI` is `AHMED ALI` and `AHMAD ALI` (not a
 * name `AHMED` alone), and `SOMCHAI JAIDEE/JAIDI` is `SOMCHAI JAIDEE` and `SOMCHAI JAIDI`, with
 * `JAIDI` kept as well (it may be a nickname: `JOHN SMITH/JOHNNY`). Any other slash separates names.
 */
function slashNames(part: string): string[] {
  const pieces = part.split(/[/\uFF0F]/);
  if (pieces.length !== 2) return pieces;
  const [a, b] = pieces as [string, string];
  if (!/\S$/.test(a) || !/^\S/.test(b)) return pieces;
  const left = a.trim().split(/\s+/);
  const right = b.trim().split(/\s+/);
  if (left.length === 1 && right.length > 1) return [[left[0]!, ...right.slice(1)].join(' '), b];
  if (right.length === 1 && left.length > 1) return [a, [...left.slice(0, -1), right[0]!].join(' '), b];
  return pieces;
}

/**
 * Splits a part on word markers (`X ALIAS Y`): the words are read one at a time, so that a long
 * run of spaces costs one pass. A marker needs a name on its left, except inside a bracket
 * (`inBracket`), where a leading marker is dropped.
 */
function splitOnWords(part: string, inBracket = false): string[] {
  const names: string[] = [];
  let current: string[] = [];
  const words = part.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const bare = w.toLowerCase().replace(/:$/, '');
    if (WORD_MARKERS.has(bare) && (current.length > 0 || inBracket) && i < words.length - 1) {
      if (current.length) names.push(current.join(' '));
      current = [];
      continue;
    }
    if (bare === 'also' && words[i + 1]?.toLowerCase() === 'known' && words[i + 2]?.toLowerCase().replace(/:$/, '') === 'as' && current.length && i + 3 < words.length) {
      names.push(current.join(' '));
      current = [];
      i += 2;
      continue;
    }
    const glued = GLUED_MARKERS.find((m) => w.startsWith(m) && w.length > m.length);
    if (glued && current.length) {
      names.push(current.join(' '));
      current = [w.slice(glued.length).replace(/^:/, '')];
      continue;
    }
    current.push(w);
  }
  if (current.length) names.push(current.join(' '));
  return names;
}

/** A cell of dashes alone: the "nothing here" placeholder. */
export function isDashPlaceholder(s: string): boolean {
  return /^[-–—]+$/.test(s);
}

/** The character a formula-looking text starts with (`=`, `+`, `-`, `@`), or null. `text` is trimmed. */
export function formulaStart(text: string): string | null {
  const c = text[0];
  return c === '=' || c === '+' || c === '-' || c === '@' ? c : null;
}

/**
 * Share (0..1) of the letters of `values` that are Latin script (Basic Latin and the Latin
 * supplements, with their marks), or null when the values hold no letter at all.
 */
export function latinShare(values: readonly string[]): number | null {
  let latin = 0;
  let letters = 0;
  for (const v of values) {
    for (const ch of v) {
      if (!/\p{L}/u.test(ch)) continue;
      letters++;
      if (/\p{Script=Latin}/u.test(ch)) latin++;
    }
  }
  return letters ? latin / letters : null;
}
