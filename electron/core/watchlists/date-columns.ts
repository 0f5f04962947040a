/**
 * The reading rule of a date-of-birth column, decided from the whole column before any of its
 * rows is converted (issue 13): the day/month order of numeric dates, the reading of six- and
 * eight-digit dates (YYMMDD, DDMMYY, YYYYMMDD, ...), and whether two-digit years are Buddhist Era.
 * A prescan feeds every cell of the column to a DateColumnScan (counts only: bounded memory),
 * then `decide` gives the rule (shared/dates.ts DateRules) and what the report says about it.
 */
import type { ImportDateColumn, ImportProblem } from '../../../shared/contract';
import {
  COMPACT_RULES_6, COMPACT_RULES_8, compactFits, parseDate, type CompactRule, type DateOrder, type DateParse, type DateRules,
} from '../../../shared/dates';
import { reason, reasonView } from '../../../shared/reasons';
import type { Cell } from '../spreadsheet/types';

/** What a date-of-birth cell holds, as the rules read it. */
export type DobInput =
  | { kind: 'number'; value: number }
  | { kind: 'text'; text: string }
  | { kind: 'compact'; digits: string };

/**
 * The date a cell holds, before any rule: a date-formatted number is a serial (or a year); a
 * number that is not date-formatted and has six or eight digits (or its display text has, which
 * keeps leading zeros: format `000000`) is a compact date, since a serial that large is after
 * 2173; in a compact column (`compactColumn`) five- and seven-digit numbers lost a leading zero
 * and are compact too. Text is compact when it is six or eight digits, else text (never a serial).
 * Returns null for an empty cell.
 */
export function dobInput(c: Cell | undefined, compactColumn = false): DobInput | null {
  if (!c || c.v === null) return null;
  if (typeof c.v === 'number') {
    const v = c.v;
    if (!c.date && Number.isInteger(v) && v > 0) {
      const w = c.w?.trim() ?? '';
      if (/^\d{6}$|^\d{8}$/.test(w) && Number(w) === v) return { kind: 'compact', digits: w };
      const digits = String(v);
      if (digits.length === 6 || digits.length === 8) return { kind: 'compact', digits };
      if (compactColumn && (digits.length === 5 || digits.length === 7)) return { kind: 'compact', digits: `0${digits}` };
    }
    return { kind: 'number', value: v };
  }
  const text = (typeof c.v === 'string' ? c.v : String(c.v)).trim();
  if (!text) return null;
  if (/^\d{6}$|^\d{8}$/.test(text)) return { kind: 'compact', digits: text };
  if (compactColumn && /^\d{5}$|^\d{7}$/.test(text)) return { kind: 'compact', digits: `0${text}` };
  return { kind: 'text', text };
}

/** Parses a date-of-birth input by the column's rules. */
export function parseDob(input: DobInput, rules: DateRules): DateParse {
  return input.kind === 'number' ? parseDate(input.value, rules) : parseDate(input.kind === 'text' ? input.text : input.digits, rules);
}

/** A date-of-birth column's settled rule and its report line. */
export interface DateColumnRule {
  rules: DateRules;
  /** True when the column holds compact dates (five- and seven-digit values lost a leading zero). */
  compactColumn: boolean;
  report: ImportDateColumn;
  /** Warnings about the rule (order assumed or in conflict, compact reading assumed or mixed). */
  problems: ImportProblem[];
}

/** What the mapping may state about a date column. */
export interface GivenDateRules {
  dateOrder?: DateOrder;
  compactDates?: CompactRule;
}

/** Numeric day/month/year with `/`, `-`, `.` or a space; the year has two or four digits. */
const NUMERIC_DATE = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})$/;
/** A four-digit year closing a text (month-word, ISO or bare year forms). */
const FOUR_DIGIT_YEAR = /(?:^|\D)(\d{4})(?:\D|$)/;

/**
 * Counts over one date-of-birth column (every value below the header), from which `decide`
 * settles the rule. Memory is a handful of counters, whatever the column's length.
 */
export class DateColumnScan {
  private dayFirst = 0;
  private monthFirst = 0;
  private undecided = 0;
  private dayFirstRow: number | null = null;
  private monthFirstRow: number | null = null;
  private beYears = 0;
  private ceYears = 0;
  private readonly counts = new Map<6 | 8, { total: number; fit: Map<CompactRule, number> }>();

  /** @param now "now" for the past rule of two-digit years, ms since the epoch. */
  constructor(private readonly now: number = Date.now()) {}

  /** Adds one cell of the column (row number as the spreadsheet shows it). */
  add(c: Cell | undefined, rowNumber: number): void {
    const input = dobInput(c);
    if (!input) return;
    if (input.kind === 'number') {
      const v = input.value;
      if (Number.isInteger(v) && v >= 1800 && v <= 2700) this.year(v);
      return;
    }
    if (input.kind === 'compact') {
      const n = input.digits.length as 6 | 8;
      let k = this.counts.get(n);
      if (!k) this.counts.set(n, (k = { total: 0, fit: new Map() }));
      k.total++;
      for (const r of n === 6 ? COMPACT_RULES_6 : COMPACT_RULES_8) if (compactFits(input.digits, r, 'ce', this.now)) k.fit.set(r, (k.fit.get(r) ?? 0) + 1);
      if (n === 8) {
        const y1 = +input.digits.slice(0, 4);
        this.year(y1 >= 1800 ? y1 : +input.digits.slice(4));
      }
      return;
    }
    const s = input.text.normalize('NFKC');
    const m = NUMERIC_DATE.exec(s);
    if (m) {
      const a = +m[1]!;
      const b = +m[2]!;
      if (a > 12 && b >= 1 && b <= 12) {
        this.dayFirst++;
        this.dayFirstRow ??= rowNumber;
      } else if (b > 12 && a >= 1 && a <= 12) {
        this.monthFirst++;
        this.monthFirstRow ??= rowNumber;
      } else if (a <= 12 && b <= 12 && a !== b) this.undecided++;
      if (m[3]!.length === 4) this.year(+m[3]!);
      return;
    }
    const y = FOUR_DIGIT_YEAR.exec(s);
    if (y) this.year(+y[1]!);
  }

  private year(y: number): void {
    if (y > 2400 && y <= 2700) this.beYears++;
    else if (y >= 1800 && y <= 2200) this.ceYears++;
  }

  /**
   * The column's rule. Order: as given; else month first when only values with a number over 12
   * in the second position are seen, day first when only ones over 12 in the first, the majority
   * when both (a conflict, reported; a tie is day first); day first, reported, when values are
   * seen that cannot tell. Compact dates: as given; else the one reading (of those agreeing with
   * the order) that fits every value; several fit -> the first of YYMMDD/DDMMYY/MMDDYY
   * (YYYYMMDD/DDMMYYYY/MMDDYYYY), reported; none fits all -> the one fitting most, reported.
   * Two-digit years are Buddhist Era when the column's four-digit years are mostly BE.
   */
  decide(sheet: string, column: string, headerRow: number, given: GivenDateRules = {}): DateColumnRule {
    const problems: ImportProblem[] = [];
    const warn = (r: ReturnType<typeof reason>) => problems.push({ severity: 'warning', sheet, row: headerRow, column, ...reasonView(r) });
    let order: DateOrder = 'dmy';
    let orderSource: ImportDateColumn['orderSource'];
    if (given.dateOrder) {
      order = given.dateOrder;
      orderSource = 'given';
    } else if (this.dayFirst && this.monthFirst) {
      order = this.monthFirst > this.dayFirst ? 'mdy' : 'dmy';
      orderSource = 'conflict';
      warn(reason('column.dateOrderConflict', { dayFirstRow: this.dayFirstRow!, monthFirstRow: this.monthFirstRow!, order: order === 'mdy' ? 'mm/dd' : 'dd/mm' }));
    } else if (this.monthFirst) {
      order = 'mdy';
      orderSource = 'detected';
    } else if (this.dayFirst) orderSource = 'detected';
    else if (this.undecided) {
      orderSource = 'default';
      warn(reason('column.dateOrderAssumed'));
    } else orderSource = 'none';

    const rules: DateRules = { order, twoDigitEra: this.beYears > this.ceYears ? 'be' : 'ce', now: this.now };
    const compact: ImportDateColumn['compact'] = [];
    for (const digits of [6, 8] as const) {
      const all = digits === 6 ? COMPACT_RULES_6 : COMPACT_RULES_8;
      const k = this.counts.get(digits);
      const givenRule = given.compactDates && all.includes(given.compactDates) ? given.compactDates : undefined;
      if (!k && !givenRule) continue;
      const total = k?.total ?? 0;
      const fitOf = (r: CompactRule) => k?.fit.get(r) ?? 0;
      let rule: CompactRule;
      let source: ImportDateColumn['compact'][number]['source'];
      if (givenRule) {
        rule = givenRule;
        source = 'given';
      } else {
        // The day/month readings that disagree with an order the file or the mapping states are out.
        const allowed = all.filter((r) => !(orderSource !== 'default' && orderSource !== 'none' && (order === 'dmy' ? r.startsWith('MMDD') : r.startsWith('DDMM'))));
        const fitAll = allowed.filter((r) => fitOf(r) === total);
        if (fitAll.length === 1) {
          rule = fitAll[0]!;
          source = 'detected';
        } else if (fitAll.length > 1) {
          rule = fitAll[0]!;
          source = 'default';
          warn(reason('column.compactDateAssumed', { digits, rule }));
        } else {
          rule = allowed.reduce((best, r) => (fitOf(r) > fitOf(best) ? r : best), allowed[0]!);
          source = 'mixed';
          warn(reason('column.compactDateMixed', { digits, rule, fitting: fitOf(rule), count: total }));
        }
      }
      if (digits === 6) rules.compact6 = rule;
      else rules.compact8 = rule;
      compact.push({ digits, rule, source, values: total, fitting: fitOf(rule) });
    }
    return {
      rules,
      compactColumn: compact.length > 0,
      problems,
      report: {
        sheet, column, order, orderSource, dayFirst: this.dayFirst, monthFirst: this.monthFirst, undecided: this.undecided,
        dayFirstRow: this.dayFirstRow, monthFirstRow: this.monthFirstRow, compact, twoDigitYears: rules.twoDigitEra!,
      },
    };
  }
}

/** One line of text for a date column's rule (CLI report), English. */
export function dateColumnLine(d: ImportDateColumn): string {
  const why: Record<ImportDateColumn['orderSource'], string> = {
    given: 'set in the mapping',
    detected: d.order === 'mdy'
      ? `detected: ${d.monthFirst} date(s) with a number over 12 second, first on row ${d.monthFirstRow}`
      : `detected: ${d.dayFirst} date(s) with a number over 12 first, first on row ${d.dayFirstRow}`,
    conflict: `conflict: ${d.dayFirst} day first (row ${d.dayFirstRow}), ${d.monthFirst} month first (row ${d.monthFirstRow}); the majority used`,
    default: `assumed: no date tells (${d.undecided} could be either)`,
    none: 'no numeric day/month dates',
  };
  const compact = d.compact.map((c) => `; ${c.digits}-digit dates read as ${c.rule} (${c.source}, ${c.fitting} of ${c.values} fit)`).join('');
  return `dates in ${d.sheet} column ${d.column}: ${d.order === 'mdy' ? 'month first (mm/dd)' : 'day first (dd/mm)'}, ${why[d.orderSource]}${compact}; two-digit years ${d.twoDigitYears === 'be' ? 'Buddhist Era' : 'in the past (19YY/20YY)'}`;
}
