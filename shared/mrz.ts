/**
 * Reading the machine-readable zone of travel documents (ICAO Doc 9303 parts 3 to 7): TD3
 * passports (2 × 44), TD1 (3 × 30) and TD2 (2 × 36) cards, MRV-A (2 × 44) and MRV-B (2 × 36) visas.
 * The layout and the check digits come from the `mrz` package; what is ours is what a desk needs
 * beyond it: a reader's burst or a paste in any shape, OCR confusions corrected only where a check
 * digit then passes, names cut at the field limit, two-digit years, expired and specimen documents,
 * and the national ID number some states put in the optional-data field. Pure: runs in the
 * renderer (to fill the form as the reader types) and in the engine (which screens what it reads).
 */
import { parse as parseMrzLines, type Details, type FieldName } from 'mrz';
import type { Sex } from './domain';
import { reason, type Reason } from './reasons';

/** The document layouts read (ICAO Doc 9303: TD3 part 4, MRV part 7, TD1/TD2 part 5 and 6). */
export type MrzFormat = 'TD3' | 'TD2' | 'TD1' | 'MRV-A' | 'MRV-B';

/** The fields a check digit covers, named as the warnings name them (reasons.ts `mrz.field.*`). */
export type MrzCheckedField = 'documentNumber' | 'birthDate' | 'expiry' | 'personalNumber' | 'composite';

/** What a machine-readable zone says, after verification and the corrections it allowed. */
export interface MrzReading {
  format: MrzFormat;
  /** The lines as read, after OCR corrections (uppercase, `<` fillers). */
  lines: string[];
  /** Document code, e.g. `P`, `PN`, `I`, `ID`, `V`. */
  documentCode: string;
  /** Issuing state or organisation (ICAO code, usually ISO 3166 alpha-3; `D` read as DEU). */
  issuer: string;
  surname: string;
  givenNames: string;
  /** The name fills its field to the last character: it may be cut, so its last part is a prefix. */
  nameCut: boolean;
  documentNumber: string | null;
  /** Nationality code (as `issuer`); null when filler. */
  nationality: string | null;
  /** `YYYY-MM-DD`, or `YYYY-MM`/`YYYY` where the MRZ has `<<` for an unknown day or month; null when unreadable. */
  dateOfBirth: string | null;
  sex: Sex | null;
  /** `YYYY-MM-DD`; null when unreadable. */
  expiry: string | null;
  /** The optional-data / personal-number field as printed, its parts separated by a space (fillers); null when empty. */
  optionalData: string | null;
  /** The holder's national ID number, where the issuing state puts it in the optional data (NATIONAL_ID_ISSUERS). */
  nationalId: string | null;
  /** Every check digit passed (after corrections). */
  valid: boolean;
  /** Check digits that failed, corrections made, cut names, expiry, specimen (reasons.ts `mrz.*`). */
  warnings: Reason[];
  /** Fields whose check digit failed; the engine does not use those dates to score. */
  failed: MrzCheckedField[];
}

/** Characters an OCR reader confuses, letter to digit (ICAO Doc 9303 part 3 uses OCR-B, where these pairs look alike). */
const LETTER_TO_DIGIT: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', G: '6', B: '8' };
const DIGIT_TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B' };
/** Where either reading is possible (document and personal numbers), only these pairs are tried. */
const PAIRS: Record<string, string> = { ...DIGIT_TO_LETTER, O: '0', I: '1', Z: '2', S: '5', G: '6', B: '8' };

/**
 * Issuing states known to put the holder's national ID number in the passport's personal-number
 * field, with the shape of that number. A number of that shape there is matched against listed
 * national IDs, decisively (DESIGN.md section 10a). Thailand's 13-digit citizen number also
 * carries its own mod-11 check digit, verified.
 */
export const NATIONAL_ID_ISSUERS: Record<string, RegExp> = {
  THA: /^\d{13}$/, // Thai citizen ID (เลขประจำตัวประชาชน)
  MYS: /^\d{12}$/, // MyKad / NRIC
  SWE: /^\d{10}$/, // personnummer
  NOR: /^\d{11}$/, // fødselsnummer
  FIN: /^\d{6}[-+A]?\d{3}[0-9A-Z]$/, // henkilötunnus
  EST: /^\d{11}$/, // isikukood
  LVA: /^\d{11}$/, // personas kods
  LTU: /^\d{11}$/, // asmens kodas
  POL: /^\d{11}$/, // PESEL
  BGR: /^\d{10}$/, // EGN
  ESP: /^\d{8}[A-Z]$/, // DNI
  ISL: /^\d{10}$/, // kennitala
  KAZ: /^\d{12}$/, // IIN
  UZB: /^\d{14}$/, // PINFL
  UKR: /^\d{8}\d{5}$/, // record number (UNZR)
  BLR: /^\d{7}[A-Z]\d{3}[A-Z]{2}\d$/, // personal number
};

/** ICAO codes that are not ISO 3166 alpha-3 but name one (Doc 9303 part 3, section 5). */
const ICAO_TO_ISO: Record<string, string> = { D: 'DEU', GBD: 'GBR', GBN: 'GBR', GBO: 'GBR', GBP: 'GBR', GBS: 'GBR' };
/** The specimen state of ICAO Doc 9303 (Utopia): no real document carries it. */
const SPECIMEN_STATES = new Set(['UTO']);

const LAYOUTS: { format: MrzFormat; lines: number; length: number; codes: RegExp }[] = [
  { format: 'TD3', lines: 2, length: 44, codes: /^P/ },
  { format: 'MRV-A', lines: 2, length: 44, codes: /^V/ },
  { format: 'TD2', lines: 2, length: 36, codes: /^[ACI]/ },
  { format: 'MRV-B', lines: 2, length: 36, codes: /^V/ },
  { format: 'TD1', lines: 3, length: 30, codes: /^[ACI]/ },
];

/** Where the name field is in each layout: line, start, end (exclusive). */
const NAME_FIELD: Record<MrzFormat, [number, number, number]> = {
  TD3: [0, 5, 44], 'MRV-A': [0, 5, 44], TD2: [0, 5, 36], 'MRV-B': [0, 5, 36], TD1: [2, 0, 30],
};

/** The check digits the `mrz` package verifies, by our names. */
const CHECKS: Partial<Record<FieldName, MrzCheckedField>> = {
  documentNumberCheckDigit: 'documentNumber', birthDateCheckDigit: 'birthDate', expirationDateCheckDigit: 'expiry',
  personalNumberCheckDigit: 'personalNumber', compositeCheckDigit: 'composite',
};
/** Most OCR confusions tried in one field before it is left as read (2^n candidates). */
const MAX_CONFUSABLE = 10;
/** Most letter/digit swaps one correction may make: beyond that it is a guess, not a reading. */
const MAX_SWAPS = 2;

/** The layouts with a composite check digit over the document number, dates and optional data. */
function compositeOf(format: MrzFormat): boolean {
  return format === 'TD3' || format === 'TD2' || format === 'TD1';
}

/** Error thrown by `readMrz` for text that is not a machine-readable zone; `problem` says why. */
export class MrzError extends Error {
  constructor(readonly problem: Reason) {
    super(problem.code);
    this.name = 'MrzError';
  }
}

/**
 * True when `text` holds MRZ characters in a run no name has: at least 25 of A–Z, 0–9 and `<`
 * with a `<` filler or five digits. Used to refuse screening an MRZ as a name, and to take a
 * passport reader's burst out of whichever field it was typed into.
 */
export function looksLikeMrz(text: string): boolean {
  const t = text.normalize('NFKC').toUpperCase().replace(/[«‹〈]/g, '<').replace(INVISIBLE, '');
  // A line 1 whose trailing fillers a reader stripped: document code, state, SURNAME<<GIVEN.
  if (/(^|\s)[PIACV][A-Z<][A-Z<]{3}[A-Z]+<<[A-Z<]*/.test(t)) return true;
  for (const run of t.match(/[A-Z0-9<]{25,}/g) ?? []) {
    if (run.includes('<') || (run.match(/\d/g)?.length ?? 0) >= 5) return true;
  }
  return false;
}

/** Characters that take no space: zero-width space, joiners, word joiner, byte-order mark. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * Lines of MRZ text as a reader or a paste delivers them: uppercased, look-alike fillers (`«`, `‹`,
 * `＜`) read as `<`, spaces inside a line dropped, empty lines skipped; one line of 88, 72 or 90
 * characters (a reader that sends no line breaks) is split into its lines.
 */
export function normalizeMrzText(text: string): string[] {
  const lines = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[«‹〈]/g, '<')
    .split(/[\r\n]+/)
    .map((l) => l.replace(/\s+/g, '').replace(INVISIBLE, ''))
    .filter(Boolean);
  if (lines.length === 1) {
    const l = lines[0]!;
    const split = l.length === 88 ? 44 : l.length === 72 ? 36 : l.length === 90 ? 30 : 0;
    if (split) return l.match(new RegExp(`.{${split}}`, 'g'))!;
  }
  return lines;
}

/**
 * Reads a machine-readable zone (`text`: its lines joined by newlines, or one burst; or the lines).
 * `now` decides two-digit years (birth in the past, expiry within 50 years either side) and expiry.
 * Throws MrzError (`mrz.unreadable`, `mrz.badCharacters`) when the text is not an MRZ of a known
 * layout; a failed check digit is not an error but a warning, and its field is listed in `failed`.
 */
export function readMrz(text: string | readonly string[], now = new Date()): MrzReading {
  const raw = normalizeMrzText(typeof text === 'string' ? text : text.join('\n'));
  const layout = LAYOUTS.find((l) => raw.length === l.lines && raw.every((x) => x.length === l.length) && l.codes.test(raw[0]!))
    // A reader that strips trailing fillers from the name line: pad it back.
    ?? LAYOUTS.find((l) => raw.length === l.lines && raw[raw.length - 1]!.length === l.length && raw.every((x) => x.length <= l.length) && l.codes.test(raw[0]!));
  if (!layout) {
    // The shape of a known layout with a document code none of them has: say that, not the shape.
    const shaped = LAYOUTS.some((l) => raw.length === l.lines && raw.every((x) => x.length === l.length));
    if (shaped) throw new MrzError(reason('mrz.unknownDocumentCode', { code: raw[0]!.slice(0, 2).replace(/[^A-Z0-9<]/g, '?') }));
    throw new MrzError(reason('mrz.unreadable', { lines: raw.length, length: Math.max(0, ...raw.map((l) => l.length)) }));
  }
  // The French identity card of 1988-2021 (2 x 36, IDFRA) has its own layout, not ICAO's TD2.
  if (layout.format === 'TD2' && raw[0]!.startsWith('IDFRA')) throw new MrzError(reason('mrz.frenchId'));
  let lines = raw.map((l) => l.padEnd(layout.length, '<'));
  if (lines.some((l) => !/^[A-Z0-9<]+$/.test(l))) throw new MrzError(reason('mrz.badCharacters'));
  const warnings: Reason[] = [];

  // Names have no check digit: a digit there can only be a misread letter, said so.
  const [nl, ns, ne] = NAME_FIELD[layout.format];
  const nameRaw = lines[nl]!.slice(ns, ne);
  const nameFixed = nameRaw.replace(/[0-9]/g, (d) => DIGIT_TO_LETTER[d] ?? '<');
  if (nameFixed !== nameRaw) {
    warnings.push(reason('mrz.nameCorrected', { from: nameRaw.replace(/[^0-9]/g, ''), to: nameFixed.split('').filter((_, i) => nameRaw[i] !== nameFixed[i]).join('') }));
    lines = replaceAt(lines, nl, ns, nameFixed);
  }

  // The `mrz` package knows TD1, TD2 and TD3; a visa has the passport's (MRV-A) or the card's
  // (MRV-B) layout with optional data where those have the last check digits.
  const visa = layout.format === 'MRV-A' || layout.format === 'MRV-B';
  const asParsed = (ls: string[]): string[] => (visa ? [(layout.format === 'MRV-A' ? 'P' : 'I<') + ls[0]!.slice(layout.format === 'MRV-A' ? 1 : 2), ls[1]!] : ls);
  const checksOf = (ls: string[]): Details[] => parseMrzLines(asParsed(ls)).details.filter((d) => {
    const name = d.field ? CHECKS[d.field] : undefined;
    return name && !(visa && (name === 'composite' || name === 'personalNumber'));
  });

  // OCR confusions, one check digit at a time: letters in digit-only fields must be digits; in
  // the document and personal numbers either reading is possible, so the fewest changes (at most
  // MAX_SWAPS) that make the check digit pass are taken, only when no other equally small change
  // would, and only where the composite check digit (which covers the field and its own check
  // digit a second time) then passes too: a misread check digit is not "corrected" into the data.
  const failed: MrzCheckedField[] = [];
  const compositePasses = (ls: string[]): boolean => currentCheck(checksOf(ls), 'compositeCheckDigit')?.valid !== false;
  for (const check of checksOf(lines)) {
    const name = CHECKS[check.field!]!;
    if (name === 'composite') continue;
    let fixed = correctField(lines, check, checksOf);
    if (fixed?.swapped && !(compositeOf(layout.format) ? compositePasses(fixed.lines) : fixed.swapped <= 1)) fixed = null;
    if (!fixed) {
      if (!currentCheck(checksOf(lines), check.field!)?.valid) failed.push(name);
      continue;
    }
    for (const c of fixed.changes) warnings.push(reason('mrz.corrected', { detail: `mrz.field.${name}`, from: c.from, to: c.to }));
    lines = fixed.lines;
  }
  const composite = currentCheck(checksOf(lines), 'compositeCheckDigit');
  if (composite && !composite.valid) failed.push('composite');
  for (const f of failed) warnings.push(reason('mrz.checkDigitFailed', { detail: `mrz.field.${f}` }));
  if (failed.includes('birthDate')) warnings.push(reason('mrz.birthDateLeftOut'));
  if (visa) warnings.push(reason('mrz.visaNumber'));

  const parsed = parseMrzLines(asParsed(lines));
  const f = parsed.fields;
  const code = (s: string): string => s.replace(/<+$/, '').replace(/</g, '');
  const issuer = isoOf(code(lines[0]!.slice(2, 5)));
  const nationalityRaw = nationalityField(layout.format, lines);
  const nationality = nationalityRaw ? isoOf(nationalityRaw) : null;
  if (SPECIMEN_STATES.has(issuer) || (nationality && SPECIMEN_STATES.has(nationality))) warnings.push(reason('mrz.specimen', { code: 'UTO' }));

  const name = lines[nl]!.slice(ns, ne);
  const [surnamePart, ...givenParts] = name.split('<<');
  const nameCut = !name.endsWith('<');
  if (nameCut) warnings.push(reason('mrz.nameCut'));

  const dates = dateFields(layout.format, lines);
  const dateOfBirth = resolveDate(dates.birth, 'birth', now);
  const expiry = resolveDate(dates.expiry, 'expiry', now);
  if (dates.birth && !dateOfBirth && !failed.includes('birthDate')) warnings.push(reason('mrz.invalidDate', { detail: 'mrz.field.birthDate' }));
  if (dates.expiry && !expiry && !failed.includes('expiry')) warnings.push(reason('mrz.invalidDate', { detail: 'mrz.field.expiry' }));
  if (expiry && expiry < now.toISOString().slice(0, 10)) warnings.push(reason('mrz.expired', { date: expiry }));

  const parts = optionalParts(layout.format, lines);
  const optionalData = parts.join(' ') || null;
  // The holder's national ID: only on a passport or identity card of the holder's own state (a
  // visa's optional data is the issuing state's, with no check digit), and only when every check
  // digit over it passed (the personal number's in a passport, the composite in every layout).
  const ownDocument = !visa && nationality === issuer;
  const nationalId = ownDocument && failed.length === 0 ? parts.find((p) => isNationalId(issuer, p)) ?? null : null;
  const sex = lines[1]![layout.format === 'TD1' ? 7 : 20];
  return {
    format: layout.format,
    lines,
    documentCode: code(lines[0]!.slice(0, 2)),
    issuer,
    surname: words(surnamePart ?? ''),
    givenNames: words(givenParts.join(' ')),
    nameCut,
    documentNumber: parsed.documentNumber ?? (f.documentNumber ? code(f.documentNumber) : null) ?? null,
    nationality,
    dateOfBirth,
    sex: sex === 'M' || sex === 'F' || sex === 'X' ? sex : null,
    expiry,
    optionalData,
    nationalId,
    valid: failed.length === 0,
    warnings,
    failed,
  };
}

/** The current state of one check digit among `checks`. */
function currentCheck(checks: Details[], field: FieldName): Details | undefined {
  return checks.find((d) => d.field === field);
}

function replaceAt(lines: string[], line: number, start: number, text: string): string[] {
  return lines.map((l, i) => (i === line ? l.slice(0, start) + text + l.slice(start + text.length) : l));
}

/**
 * The smallest set of OCR corrections inside a check digit's field (and the digit itself) that
 * makes it pass: letters where only digits may stand first, then, for a check that still fails,
 * the fewest digit/letter swaps. Null when nothing needs or helps, or when two different
 * corrections of the same size would both pass (a guess is not a correction).
 */
function correctField(lines: string[], check: Details, checksOf: (ls: string[]) => Details[]): { lines: string[]; changes: { from: string; to: string }[]; swapped: number } | null {
  const field = check.field!;
  const forced: { line: number; col: number; to: string }[] = [];
  const optional: { line: number; col: number; to: string }[] = [];
  // Dates are digits only; the document and personal numbers may hold letters.
  const datesOnly = field === 'birthDateCheckDigit' || field === 'expirationDateCheckDigit';
  check.ranges.forEach((r, i) => {
    // The first range is the check digit itself (a digit, or `<` for an empty personal number); the others are the data it covers.
    const numeric = i === 0 || datesOnly;
    for (let col = r.start; col < r.end; col++) {
      const ch = lines[r.line]![col]!;
      if (numeric && LETTER_TO_DIGIT[ch]) forced.push({ line: r.line, col, to: LETTER_TO_DIGIT[ch] });
      else if (!numeric && PAIRS[ch]) optional.push({ line: r.line, col, to: PAIRS[ch] });
    }
  });
  // A letter in a date can pass its check digit (G is 16, 6 is 6): it is still a misread digit.
  if (check.valid && !forced.length) return null;
  if (optional.length > MAX_CONFUSABLE) return null;
  const apply = (ls: string[], edits: { line: number; col: number; to: string }[]): string[] =>
    edits.reduce((acc, e) => replaceAt(acc, e.line, e.col, e.to), ls);
  const passes = (ls: string[]): boolean => currentCheck(checksOf(ls), field)?.valid === true;
  const changes = (edits: { line: number; col: number; to: string }[]) => ({
    from: edits.map((e) => lines[e.line]![e.col]).join(''),
    to: edits.map((e) => e.to).join(''),
  });
  const base = apply(lines, forced);
  if (forced.length && passes(base)) return { lines: base, changes: [changes(forced)], swapped: 0 };
  if (check.valid) return null;
  // Subsets of the ambiguous characters by size: the first size with a passing subset decides.
  for (let size = 1; size <= Math.min(MAX_SWAPS, optional.length); size++) {
    const passing: { line: number; col: number; to: string }[][] = [];
    for (let mask = 1; mask < 1 << optional.length; mask++) {
      if (popcount(mask) !== size) continue;
      const edits = optional.filter((_, i) => mask & (1 << i));
      if (passes(apply(base, edits))) passing.push(edits);
    }
    if (passing.length === 1) return { lines: apply(base, passing[0]!), changes: [changes([...forced, ...passing[0]!])], swapped: size };
    if (passing.length > 1) return null;
  }
  return null;
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

function isoOf(code: string): string {
  return ICAO_TO_ISO[code] ?? code;
}

function words(s: string): string {
  return s.replace(/<+/g, ' ').trim();
}

function nationalityField(format: MrzFormat, lines: string[]): string | null {
  const raw = format === 'TD1' ? lines[1]!.slice(15, 18) : lines[1]!.slice(10, 13);
  const c = raw.replace(/</g, '');
  return c || null;
}

function dateFields(format: MrzFormat, lines: string[]): { birth: string; expiry: string } {
  const l = lines[1]!;
  return format === 'TD1' ? { birth: l.slice(0, 6), expiry: l.slice(8, 14) } : { birth: l.slice(13, 19), expiry: l.slice(21, 27) };
}

/** The optional-data field's parts, as printed (fillers separate them; two parts are never joined into one number). */
function optionalParts(format: MrzFormat, lines: string[]): string[] {
  const raw = {
    TD3: lines[1]!.slice(28, 42),
    'MRV-A': lines[1]!.slice(28, 44),
    TD2: lines[1]!.slice(28, 35),
    'MRV-B': lines[1]!.slice(28, 36),
    // TD1: line 1 after the document number's check digit (after its overflow, where a long
    // number continues there and the check digit's place holds `<`), and line 2 before the composite.
    TD1: `${lines[0]![14] === '<' ? lines[0]!.slice(15, 30).replace(/^[^<]*</, '') : lines[0]!.slice(15, 30)}<${lines[1]!.slice(18, 29)}`,
  }[format];
  return raw.split(/<+/).filter(Boolean);
}

/** A national ID number of the shape its issuer uses (NATIONAL_ID_ISSUERS); Thai numbers also pass their own check digit. */
function isNationalId(issuer: string, value: string): boolean {
  const shape = NATIONAL_ID_ISSUERS[issuer];
  if (!shape?.test(value)) return false;
  if (issuer !== 'THA') return true;
  // Thai citizen ID: the 13th digit is (11 - sum(d_i × (13 - i)) mod 11) mod 10.
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(value[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(value[12]);
}

/**
 * A YYMMDD MRZ date as ISO, its century chosen so that a birth date is not in the future and an
 * expiry date is within 50 years of `now` (ICAO Doc 9303 part 3 leaves the century to the reader).
 * `<<` for an unknown day or month gives `YYYY-MM` or `YYYY`; null for an impossible date.
 */
export function resolveDate(yymmdd: string, kind: 'birth' | 'expiry', now = new Date()): string | null {
  const m = /^(\d\d)(\d\d|<<)(\d\d|<<)$/.exec(yymmdd);
  if (!m) return null;
  const yy = Number(m[1]);
  const month = m[2] === '<<' ? null : Number(m[2]);
  const day = m[3] === '<<' || month === null ? null : Number(m[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  const today = now.toISOString().slice(0, 10);
  const iso = (year: number): string =>
    [String(year).padStart(4, '0'), month !== null ? String(month).padStart(2, '0') : null, day !== null ? String(day).padStart(2, '0') : null].filter(Boolean).join('-');
  const nowYear = now.getUTCFullYear();
  const centuries = [Math.floor(nowYear / 100) * 100 - 100, Math.floor(nowYear / 100) * 100, Math.floor(nowYear / 100) * 100 + 100];
  let year: number | undefined;
  if (kind === 'birth') {
    // The latest century that puts the birth on or before today.
    year = centuries.map((c) => c + yy).filter((y) => iso(y).slice(0, today.length) <= today.slice(0, iso(y).length)).pop();
  } else {
    year = centuries.map((c) => c + yy).find((y) => Math.abs(y - nowYear) <= 50);
  }
  if (year === undefined) return null;
  if (day !== null) {
    const d = new Date(Date.UTC(year, month! - 1, day));
    if (d.getUTCDate() !== day) return null;
  }
  return iso(year);
}

/**
 * The traveler fields an MRZ fills (the shape of contract.ts Traveler): the name, sex, nationality,
 * the document and its issuer (not a visa's: its number is not the passport's), the national ID
 * where the issuer puts one there, and the date of birth unless its check digit failed (a misread
 * date would lower a true hit's score).
 */
export function mrzTravelerFields(r: MrzReading): {
  surname?: string; givenNames?: string; dateOfBirth?: string; sex?: Sex; nationality?: string;
  documentNumber?: string; documentIssuer?: string; nationalId?: string;
} {
  const out: ReturnType<typeof mrzTravelerFields> = {};
  if (r.surname) out.surname = r.surname;
  if (r.givenNames) out.givenNames = r.givenNames;
  if (r.dateOfBirth && !r.failed.includes('birthDate')) out.dateOfBirth = r.dateOfBirth;
  if (r.sex) out.sex = r.sex;
  if (r.nationality) out.nationality = r.nationality;
  // A visa's number is the visa's, not the passport's: it is not screened as a document.
  const visa = r.format === 'MRV-A' || r.format === 'MRV-B';
  if (r.documentNumber && !visa) out.documentNumber = r.documentNumber;
  if (r.issuer && !visa) out.documentIssuer = r.issuer;
  if (r.nationalId) out.nationalId = r.nationalId;
  return out;
}
