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

/**
 * Parses a date of birth written as ISO (`1987-03-14`, `1987-03`, `1987`), day/month/year with
 * `/`, `-`, `.` or spaces (`14/03/2530`), with English or Thai month names (`14 มี.ค. 2530`,
 * `14 Mar 1987`), Buddhist-Era years (any year above 2400), or an Excel serial number when
 * `excelSerial` is set. Day/month order is assumed for numeric dates (Thai and most agency usage).
 */
export function parseDate(input: string | number, opts: { date1904?: boolean } = {}): DateParse {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 1800 && input <= 2700) return build(input);
    return excelSerialToDate(input, opts.date1904);
  }
  // The era is cut before the spaces around it are: `\s*` before an unanchored suffix would be tried
  // from every space of a long run (quadratic in a cell of spaces).
  const s = input.normalize('NFKC').trim().replace(/^พ\.?ศ\.?/, '').replace(/(พ\.?ศ\.?|b\.?e\.?)$/i, '').trim();
  if (!s) return { ok: false, problem: reason('date.empty') };
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$/.exec(s);
  if (m) return build(+m[1]!, m[2] ? +m[2] : undefined, m[3] ? +m[3] : undefined);
  m = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(s);
  if (m) return build(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})[/.\- ](\d{4})$/.exec(s);
  if (m) return build(+m[2]!, +m[1]!);
  // Day, month word, year: the word is everything between the digits (trimmed below), so that no
  // two quantifiers compete for the same spaces (a lazy word beside `\s*` was quadratic).
  m = /^(\d{1,2})?([^\d]+)(\d{4})$/u.exec(s);
  if (m) {
    const month = monthFromWord(m[2]!.replace(/[,-]/g, '').trim());
    if (month !== undefined) return build(+m[3]!, month, m[1] ? +m[1] : undefined);
  }
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(s)) {
    return { ok: false, problem: reason('date.twoDigitYear') };
  }
  if (/^\d+(\.\d+)?$/.test(s) && +s > 2700) return excelSerialToDate(+s, opts.date1904);
  return { ok: false, problem: reason('date.notUnderstood') };
}
