/** Display helpers: scores, partial dates (Buddhist-Era years in the Thai UI), times, countries. */
import { alpha3ToAlpha2 } from 'i18n-iso-countries';
import { ceToBe, parseDate } from '../../shared/dates';
import type { Reason } from '../../shared/reasons';
import type { Lang } from './i18n';

const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A 0..1 score as shown at the desk, e.g. 0.93. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}

/** A score change with its sign, e.g. +0.04 or −0.08. */
export function formatEffect(effect: number): string {
  if (Math.abs(effect) < 0.005) return '±0.00';
  return `${effect > 0 ? '+' : '−'}${Math.abs(effect).toFixed(2)}`;
}

/**
 * An ISO partial date (`1987`, `1987-03`, `1987-03-14`) for display: `14 Mar 1987` in English,
 * `14 มี.ค. 2530` (Buddhist Era) in Thai. Anything else is shown as it is.
 */
export function formatDob(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
  if (!m) return iso;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  const y = lang === 'th' ? `${ceToBe(year, month)}` : `${year}`;
  const mon = month !== undefined ? (lang === 'th' ? TH_MONTHS : EN_MONTHS)[month - 1] : undefined;
  return [day, mon, y].filter((p) => p !== undefined).join(' ');
}

/** What the desk will send for a typed date of birth, or an error. */
export function readDob(input: string): { iso: string } | { problem: Reason } | null {
  const s = input.trim();
  if (!s) return null;
  const p = parseDate(s);
  if (p.ok) return { iso: p.date.iso };
  return { problem: p.problem };
}

/**
 * A UTC instant as local time in the checkpoint's time zone: `2024-05-01 14:03:22` in English,
 * `01/05/2567 14:03:22` (Buddhist Era) in Thai.
 */
export function formatDateTime(iso: string, timeZone: string, lang: Lang, withSeconds = true): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined, hourCycle: 'h23',
    }).formatToParts(d);
  } catch {
    return iso;
  }
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  const time = [get('hour'), get('minute'), withSeconds ? get('second') : ''].filter(Boolean).join(':');
  const year = Number(get('year'));
  if (lang === 'th') return `${get('day')}/${get('month')}/${ceToBe(year, Number(get('month')))} ${time}`;
  return `${get('year')}-${get('month')}-${get('day')} ${time}`;
}

/** Short time of day in a time zone, e.g. 14:03. */
export function formatTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

const regionNames = new Map<Lang, Intl.DisplayNames | null>();
function displayNames(lang: Lang): Intl.DisplayNames | null {
  if (!regionNames.has(lang)) {
    try {
      regionNames.set(lang, new Intl.DisplayNames([lang], { type: 'region' }));
    } catch {
      regionNames.set(lang, null);
    }
  }
  return regionNames.get(lang) ?? null;
}

/** Country name of an ISO alpha-3 code in the UI language, or null when unknown. */
export function countryName(code: string | null | undefined, lang: Lang): string | null {
  if (!code) return null;
  const upper = code.trim().toUpperCase();
  const a2 = upper.length === 3 ? alpha3ToAlpha2(upper) : upper.length === 2 ? upper : undefined;
  if (!a2) return null;
  try {
    const name = displayNames(lang)?.of(a2);
    return name && name !== a2 ? name : null;
  } catch {
    return null;
  }
}

/** `THA (Thailand)` style label for a nationality code. */
export function nationalityLabel(code: string, lang: Lang): string {
  const name = countryName(code, lang);
  return name ? `${code} (${name})` : code;
}

/** Common nationalities at the region's checkpoints, for the datalist. */
export const COMMON_NATIONALITIES = [
  'THA', 'LAO', 'KHM', 'MMR', 'VNM', 'MYS', 'CHN', 'TWN', 'HKG', 'IDN', 'PHL', 'SGP', 'IND', 'KOR', 'JPN', 'RUS', 'GBR',
  'USA', 'AUS', 'DEU', 'FRA',
];
