/**
 * The date a list's file gives for itself (issue 11), so that the list's age is counted from the
 * source rather than from the import:
 * - the UN consolidated list XML: the root's `dateGenerated` attribute (an ISO instant, UTC);
 * - a spreadsheet: an "as of" / "updated" date in the title rows above the header, English or
 *   Thai ("ปรับปรุงล่าสุด 1 มี.ค. 2567", Buddhist-Era years; shared/dates.ts parseDate), written
 *   after the label or in the next cell (text or an Excel date);
 * - the OFAC SDN legacy CSV set (sdn/alt/add) carries no date at all (only its XML form has a
 *   `Publish_Date`, which Watchdesk does not import); the EU's consolidated list (its XML root's
 *   `generationDate`) has no importer here. Those lists are aged from their import.
 * A date in the future or more than SOURCE_DATE_MAX_YEARS old is reported and not used.
 */
import type { ImportProblem } from '../../../shared/contract';
import { parseDate } from '../../../shared/dates';
import { SOURCE_DATE_MAX_YEARS, sourceDateProblem } from '../../../shared/list-age';
import { reason, reasonView } from '../../../shared/reasons';
import { cellText, type Sheet } from '../spreadsheet/read';

/** A date the file announces for itself, where it was found. */
export interface FoundSourceDate {
  /** The ISO day, or null when the date was announced but not understood as a full day. */
  day: string | null;
  /** The text it was read from (a title row, an attribute value), for the import report. */
  text: string;
  sheet: string;
  /** Row number as the spreadsheet shows it (0 for an XML attribute). */
  row: number;
  column: string | null;
}

/** Labels of a list's own date in a title row, English and Thai; the date follows (group 1). */
const EN_LABEL = String.raw`\b(?:last\s+)?updated?(?:\s+(?:on|at))?|\bas\s+(?:of|at)|\bdated|\bdate\s+of\s+update`;
const TH_LABEL = String.raw`(?:ปรับปรุง(?:ข้อมูล)?(?:ล่าสุด)?|อั[ปพ]เด[ตท](?:ล่าสุด)?|แก้ไขล่าสุด|(?:ข้อมูล\s*)?ณ\s*วันที่|วันที่ปรับปรุง)(?:\s*(?:เมื่อ|วันที่))*`;
const LABEL = new RegExp(String.raw`(?:${EN_LABEL}|${TH_LABEL})\s*[:：\-–]?\s*(.*)$`, 'iu');

/** An ISO day from a date as written, or null unless it names a whole day. */
function dayOf(text: string | number, date1904: boolean): string | null {
  const cleaned = typeof text === 'number' ? text : text.replace(/\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:น\.?|hrs?\.?)?$/iu, '').replace(/[\s.,;)\]]+$/u, '').trim();
  const p = parseDate(cleaned, { date1904 });
  return p.ok && p.date.precision === 'day' ? p.date.iso : null;
}

/** The UN XML's `dateGenerated` (e.g. `2026-02-27T00:00:09.554Z`) as a found date, or null when absent. */
export function unDateGenerated(value: unknown): FoundSourceDate | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const v = value.trim();
  const ok = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));
  const day = ok ? new Date(/T/.test(v) ? v : `${v}T00:00:00Z`).toISOString().slice(0, 10) : null;
  return { day, text: v.slice(0, 60), sheet: 'CONSOLIDATED_LIST', row: 0, column: 'dateGenerated' };
}

/**
 * The "as of" / "updated" date in a sheet's title rows (the rows above `headerIndex`), or null.
 * A label without any digit after it ("Updated list of wanted persons") is no date.
 */
export function titleRowDate(sheet: Sheet, headerIndex: number): FoundSourceDate | null {
  for (let i = 0; i < Math.min(headerIndex, sheet.rows.length); i++) {
    const row = sheet.rows[i]!;
    for (let j = 0; j < row.length; j++) {
      const text = cellText(row[j]);
      const m = LABEL.exec(text);
      if (!m) continue;
      let value: string | number = m[1]!.trim();
      if (!value) {
        const next = row.slice(j + 1).find((c) => cellText(c));
        value = next && typeof next.v === 'number' && next.date ? next.v : cellText(next);
      }
      if (typeof value === 'string' && !/\d/.test(value)) continue;
      return { day: dayOf(value, sheet.date1904), text: text.slice(0, 60), sheet: sheet.name, row: sheet.rowNumbers[i] ?? i + 1, column: null };
    }
  }
  return null;
}

/**
 * The source date to store for a version, judged at `now`: the found day when it is believable,
 * else null with a warning for the import report (`import.sourceDate*`).
 */
export function judgeSourceDate(found: FoundSourceDate | null, now: Date): { sourceDate: string | null; problem: ImportProblem | null } {
  if (!found) return { sourceDate: null, problem: null };
  const at = { severity: 'warning' as const, sheet: found.sheet, row: found.row, column: found.column };
  if (!found.day) return { sourceDate: null, problem: { ...at, ...reasonView(reason('import.sourceDateUnreadable', { text: found.text })) } };
  const why = sourceDateProblem(found.day, now);
  if (why === 'future') return { sourceDate: null, problem: { ...at, ...reasonView(reason('import.sourceDateFuture', { date: found.day })) } };
  if (why === 'tooOld') return { sourceDate: null, problem: { ...at, ...reasonView(reason('import.sourceDateTooOld', { date: found.day, years: SOURCE_DATE_MAX_YEARS })) } };
  return { sourceDate: found.day, problem: null };
}
