/** Time-zone arithmetic for checkpoint-local days, with Intl only (no offsets hard-coded). */

/** Offset of `tz` from UTC at the instant `ms`, in ms (e.g. +7 h for Asia/Bangkok). */
function offsetAt(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const v = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant (ISO string) at which the local day `YYYY-MM-DD` begins in `tz`, or ends
 * (the last millisecond) with `end`. Throws RangeError for an unknown time zone.
 */
export function localDayBoundaryUtc(day: string, tz: string, end = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const local = Date.UTC(y, m - 1, end ? d + 1 : d);
  let ms = local - offsetAt(local, tz);
  ms = local - offsetAt(ms, tz); // again at the found instant, in case a DST change lies between
  return new Date(end ? ms - 1 : ms).toISOString();
}

/** An instant as wall-clock time in `tz`, `YYYY-MM-DD HH:MM:SS` (the time zone is named beside it). */
export function localDateTime(iso: string, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(iso));
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}:${v('second')}`;
}
