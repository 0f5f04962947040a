/**
 * Dates of birth as they arrive in watchlists and at the desk, parsed to ISO strings that keep
 * their precision (`1987`, `1987-03`, `1987-03-14`; DESIGN.md section 4). Pure; no Date objects
 * are kept, and nothing is shifted by a time zone.
 */
import { reason, type Reason } from './reasons';

export type DatePrecision = 'year' | 'month' | 'day';
export interface PartialDate {
  iso: string;
  precision: DatePrecision;
  year: number;
  month?: number;
  day?: number;
}
export type DateParse =
  | { ok: true; date: PartialDate; warning?: string }
  | { ok: false; /** Why (reasons.ts `date.*`). */ problem: Reason; /** What survives of an impossible date, e.g. its year. */ partial?: PartialDate };

/** Thai month names, full and abbreviated (with and without dots), 1-based. */
const THAI_MONTHS: [string[], number][] = [
  [['มกราคม', 'ม.ค.', 'มค'], 1], [['กุมภาพันธ์', 'ก.พ.', 'กพ'], 2], [['มีนาคม', 'มี.ค.', 'มีค'], 3],
  [['เมษายน', 'เม.ย.', 'เมย'], 4], [['พฤษภาคม', 'พ.ค.', 'พค'], 5], [['มิถุนายน', 'มิ.ย.', 'มิย'], 6],
  [['กรกฎาคม', 'ก.ค.', 'กค'], 7], [['สิงหาคม', 'ส.ค.', 'สค'], 8], [['กันยายน', 'ก.ย.', 'กย'], 9],
  [['ตุลาคม', 'ต.ค.', 'ตค'], 10], [['พฤศจิกายน', 'พ.ย.', 'พย'], 11], [['ธันวาคม', 'ธ.ค.', 'ธค'], 12],
];
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Years above this are Buddhist Era (no one on a list was born after CE 2400). */
const BE_THRESHOLD = 2400;

/**
 * Converts a Buddhist-Era year to CE. BE = CE + 543; before 1941 (BE 2484) the Thai year began on
 * 1 April, so January to March of those years are CE + 542 (Thai Calendar Act 1940).
 */
export function beToCe(beYear: number, month?: number): number {
  if (beYear < 2484 && month !== undefined && month >= 1 && month <= 3) return beYear - 542;
  return beYear - 543;
}

/** Converts a CE date's year to BE for display in the Thai UI. */
export function ceToBe(ceYear: number, month?: number): number {
  if (ceYear <= 1941 && month !== undefined && month >= 1 && month <= 3) return ceYear + 542;
  return ceYear + 543;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function build(yearRaw: number, month?: number, day?: number): DateParse {
  const isBe = yearRaw > BE_THRESHOLD;
  const year = isBe ? beToCe(yearRaw, month) : yearRaw;
  if (year < 1800 || year > 2200) return { ok: false, problem: reason('date.yearOutOfRange', { year: yearRaw }) };
  const yearOnly: PartialDate = { iso: pad(year, 4), precision: 'year', year };
  if (month === undefined) return { ok: true, date: yearOnly };
  if (month < 1 || month > 12) {
    return { ok: false, problem: reason('date.noSuchMonth', { month }), partial: yearOnly };
  }
  const ym: PartialDate = { iso: `${pad(year, 4)}-${pad(month)}`, precision: 'month', year, month };
  if (day === undefined) return { ok: true, date: ym };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, problem: reason('date.noSuchDay', { day, yearMonth: ym.iso }), partial: ym };
  }
  return {
    ok: true,
    date: { iso: `${ym.iso}-${pad(day)}`, precision: 'day', year, month, day },
  };
}

/**
 * Converts an Excel serial day number to a calendar date. The 1900 system counts 1900-01-01 as 1
 * and keeps Lotus 1-2-3's phantom 1900-02-29 (serial 60); the 1904 system counts 1904-01-01 as 0.
 * Computed in UTC arithmetic, so no time zone can shift the day.
 */
export function excelSerialToDate(serial: number, date1904 = false): DateParse {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) {
    return { ok: false, problem: reason('date.notExcelDate', { value: serial }) };
  }
  const whole = Math.floor(serial);
  let ms: number;
  if (date1904) ms = Date.UTC(1904, 0, 1) + whole * 86400000;
  else if (whole === 60) return build(1900, 2, 29); // the phantom day: report as impossible
  else ms = Date.UTC(1899, 11, 31) + (whole > 60 ? whole - 1 : whole) * 86400000;
  const d = new Date(ms);
  return build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function monthFromWord(w: string): number | undefined {
  const clean = w.toLowerCase().replace(/\s+/g, '');
  for (const [names, m] of THAI_MONTHS) {
    if (names.some((n) => clean === n || clean === n.replace(/\./g, ''))) return m;
  }
  const i = EN_MONTHS.indexOf(clean.slice(0, 3));
  return i >= 0 && /^[a-z]+\.?$/.test(clean) ? i + 1 : undefined;
}

/** Order of day and month in numeric dates (`03/11/1990`): day first (Thai, most agencies) or month first. */
export type DateOrder = 'dmy' | 'mdy';
/** The reading of an all-digit date: six digits (two-digit year) or eight (four-digit year). */
export type CompactRule = 'YYMMDD' | 'DDMMYY' | 'MMDDYY' | 'YYYYMMDD' | 'DDMMYYYY' | 'MMDDYYYY';
/** The compact readings of six-digit dates, then eight-digit ones; the first of each is the stated default. */
export const COMPACT_RULES_6: readonly CompactRule[] = ['YYMMDD', 'DDMMYY', 'MMDDYY'];
export const COMPACT_RULES_8: readonly CompactRule[] = ['YYYYMMDD', 'DDMMYYYY', 'MMDDYYYY'];
/** How a two-digit year is read: `ce` by the past rule (20YY unless after this year, else 19YY), `be` as 25YY BE by the same rule. */
export type TwoDigitEra = 'ce' | 'be';

/** Reading rules for one date column (import) or the desk's date field; every field optional. */
export interface DateRules {
  /** Workbook uses the 1904 date system (serials only). */
  date1904?: boolean;
  /** Day/month order of numeric dates; default day first. */
  order?: DateOrder;
  /** Reading of six-digit dates; absent: the desk rule (see parseDate). */
  compact6?: CompactRule;
  /** Reading of eight-digit dates; absent: the desk rule. */
  compact8?: CompactRule;
  /** How two-digit years are read; default `ce` (past rule). */
  twoDigitEra?: TwoDigitEra;
  /** "Now" for the past rule, ms since the epoch (UTC); default Date.now(). */
  now?: number;
}

/**
 * A two-digit year as a full year by the past rule (a date of birth lies in the past): `ce`
 * 20YY if that is not after the current year, else 19YY; `be` 25YY (Buddhist Era) if not after
 * the current BE year, else 24YY. The result is BE for `be` (build converts years above 2400).
 */
export function expandTwoDigitYear(yy: number, era: TwoDigitEra = 'ce', now: number = Date.now()): number {
  const ce = new Date(now).getUTCFullYear();
  if (era === 'be') {
    const y = 2500 + yy;
    return y <= ce + 543 ? y : y - 100;
  }
  const y = 2000 + yy;
  return y <= ce ? y : y - 100;
}

/** Year, month, day of all-digit `digits` under `rule` (lengths must agree), two-digit years expanded. */
function compactParts(digits: string, rule: CompactRule, era: TwoDigitEra, now: number): [number, number, number] {
  const n = (a: number, b: number) => parseInt(digits.slice(a, b), 10);
  const yy = (v: number) => expandTwoDigitYear(v, era, now);
  switch (rule) {
    case 'YYMMDD': return [yy(n(0, 2)), n(2, 4), n(4, 6)];
    case 'DDMMYY': return [yy(n(4, 6)), n(2, 4), n(0, 2)];
    case 'MMDDYY': return [yy(n(4, 6)), n(0, 2), n(2, 4)];
    case 'YYYYMMDD': return [n(0, 4), n(4, 6), n(6, 8)];
    case 'DDMMYYYY': return [n(4, 8), n(2, 4), n(0, 2)];
    case 'MMDDYYYY': return [n(4, 8), n(0, 2), n(2, 4)];
  }
}

/** Reads all-digit `digits` (6 or 8 of them, matching `rule`) as a date. */
export function readCompact(digits: string, rule: CompactRule, era: TwoDigitEra = 'ce', now: number = Date.now()): DateParse {
  if (digits.length !== (rule.length === 6 ? 6 : 8) || !/^\d+$/.test(digits)) return { ok: false, problem: reason('date.notUnderstood') };
  const [y, m, d] = compactParts(digits, rule, era, now);
  return build(y, m, d);
}

/** True when `digits` read by `rule` is a real calendar day not after `now` (a possible date of birth). */
export function compactFits(digits: string, rule: CompactRule, era: TwoDigitEra = 'ce', now: number = Date.now()): boolean {
  const p = readCompact(digits, rule, era, now);
  if (!p.ok) return false;
  const { year, month, day } = p.date;
  return Date.UTC(year, month! - 1, day) <= now;
}

/**
 * The desk rule for an all-digit date typed without a stated reading: of the readings that fit
 * the day/month order (six digits: YYMMDD and DDMMYY or MMDDYY; eight: YYYYMMDD and DDMMYYYY or
 * MMDDYYYY), the one that is a real past day; none -> `date.notUnderstood`; more than one ->
 * `date.compactAmbiguous` (the officer is asked for dd/mm/yyyy). Never an Excel serial.
 */
function compactByDeskRule(digits: string, order: DateOrder, era: TwoDigitEra, now: number): DateParse {
  const rules: CompactRule[] = digits.length === 6 ? ['YYMMDD', order === 'mdy' ? 'MMDDYY' : 'DDMMYY'] : ['YYYYMMDD', order === 'mdy' ? 'MMDDYYYY' : 'DDMMYYYY'];
  const fit = rules.filter((r) => compactFits(digits, r, era, now));
  if (fit.length === 1) return readCompact(digits, fit[0]!, era, now);
  if (fit.length > 1) {
    // Two readings giving the same day (e.g. 010101) are no ambiguity.
    const isos = new Set(fit.map((r) => { const p = readCompact(digits, r, era, now); return p.ok ? p.date.iso : ''; }));
    if (isos.size === 1) return readCompact(digits, fit[0]!, era, now);
    return { ok: false, problem: reason('date.compactAmbiguous') };
  }
  return { ok: false, problem: reason('date.notUnderstood') };
}

/**
 * Parses a date of birth written as ISO (`1987-03-14`, `1987-03`, `1987`), day/month/year with
 * `/`, `-`, `.` or spaces (`14/03/2530`; month first with `order: 'mdy'`), with English or Thai
 * month names (`14 มี.ค. 2530`, `14 Mar 1987`), an era word before or after the year (`พ.ศ. 2531`,
 * `ค.ศ. 1988`, `14 กุมภาพันธ์ พ.ศ. 2531`), Buddhist-Era years (any year above 2400), two-digit
 * years (`14/03/87`: `twoDigitEra`, past rule, see expandTwoDigitYear), all-digit dates of six
 * or eight digits (`800310`, `19800310`: by `compact6`/`compact8` when given, else the desk rule:
 * the one reading that is a real past day, several -> `date.compactAmbiguous`). A number is a
 * year (1800..2700) or an Excel serial (`date1904`); text is never read as a serial.
 */
export function parseDate(input: string | number, opts: DateRules = {}): DateParse {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 1800 && input <= 2700) return build(input);
    return excelSerialToDate(input, opts.date1904);
  }
  const order = opts.order ?? 'dmy';
  const era = opts.twoDigitEra ?? 'ce';
  const now = opts.now ?? Date.now();
  // The era is cut before the spaces around it are: `\s*` before an unanchored suffix would be tried
  // from every space of a long run (quadratic in a cell of spaces). An era word inside the text
  // stands right before a four-digit year that ends it (`14 กุมภาพันธ์ พ.ศ. 2531`).
  const s = input.normalize('NFKC').trim()
    .replace(/^[พค]\.?\s?ศ\.?/, '')
    .replace(/([พค]\.?\s?ศ\.?|b\.?e\.?)$/i, '')
    .replace(/[พค]\.?\s?ศ\.? ?(?=\d{4}$)/, '')
    .trim();
  if (!s) return { ok: false, problem: reason('date.empty') };
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$/.exec(s);
  if (m) return build(+m[1]!, m[2] ? +m[2] : undefined, m[3] ? +m[3] : undefined);
  m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})$/.exec(s);
  if (m) {
    const year = m[3]!.length === 2 ? expandTwoDigitYear(+m[3]!, era, now) : +m[3]!;
    return order === 'mdy' ? build(year, +m[1]!, +m[2]!) : build(year, +m[2]!, +m[1]!);
  }
  m = /^(\d{1,2})[/.\- ](\d{4})$/.exec(s);
  if (m) return build(+m[2]!, +m[1]!);
  // Day, month word, year: the word is everything between the digits (trimmed below), so that no
  // two quantifiers compete for the same spaces (a lazy word beside `\s*` was quadratic).
  m = /^(\d{1,2})?([^\d]+)(\d{4})$/u.exec(s);
  if (m) {
    const month = monthFromWord(m[2]!.replace(/[,-]/g, '').trim());
    if (month !== undefined) return build(+m[3]!, month, m[1] ? +m[1] : undefined);
  }
  if (/^\d{6}$|^\d{8}$/.test(s)) {
    const rule = s.length === 6 ? opts.compact6 : opts.compact8;
    return rule ? readCompact(s, rule, era, now) : compactByDeskRule(s, order, era, now);
  }
  return { ok: false, problem: reason('date.notUnderstood') };
}
