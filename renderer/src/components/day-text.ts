/**
 * Days as typed in a day field (DayInput.tsx): read with the engine's own parser (shared/dates.ts
 * parseDate), written the way the field's placeholder asks for in the UI's language.
 */
import { ceToBe, parseDate } from '../../../shared/dates';
import type { Lang } from '../i18n';

/** The ISO day (`2026-11-08`) a text means, or null (empty, not understood, or not a whole day). */
export function readDay(text: string): string | null {
  const p = text.trim() ? parseDate(text) : null;
  return p?.ok && p.date.precision === 'day' ? p.date.iso : null;
}

/** What a day field's placeholder shows: `YYYY-MM-DD` in English, `วว/ดด/ปปปป` (day/month/Buddhist-Era year) in Thai. */
export function dayPlaceholder(lang: Lang): string {
  return lang === 'th' ? 'วว/ดด/ปปปป' : 'YYYY-MM-DD';
}

/**
 * An ISO day (`2026-11-08`) as its field shows it, in the form of dayPlaceholder: `2026-11-08` in
 * English, `08/11/2569` (Buddhist-Era year) in Thai; readDay reads either back to the same day.
 * Anything that is not an ISO day is returned as it is.
 */
export function dayText(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || lang !== 'th') return iso;
  const month = Number(m[2]);
  return `${m[3]}/${m[2]}/${ceToBe(Number(m[1]), month)}`;
}
