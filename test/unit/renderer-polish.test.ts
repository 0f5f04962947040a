/**
 * Small renderer pieces behind issue 14's polish: the day fields' text in each language
 * (renderer/src/components/day-text.ts, used by DayInput.tsx: the Thai field shows what its Thai
 * placeholder asks for, not an ISO day) and the dashboard's per-day axes
 * (renderer/src/screens/dashboard/options.ts: the first and last day, today, always labelled).
 */
import { describe, expect, it } from 'vitest';
import type { DashboardView } from '../../shared/contract';
import { dayPlaceholder, dayText, readDay } from '../../renderer/src/components/day-text';
import { dayAxis, numberFormat, outcomesOption, perDayOption, type ChartContext } from '../../renderer/src/screens/dashboard/options';

describe('day fields', () => {
  it('show an ISO day in English and day/month/Buddhist-Era year in Thai, as their placeholders say', () => {
    expect(dayText('2026-11-08', 'en')).toBe('2026-11-08');
    expect(dayText('2026-11-08', 'th')).toBe('08/11/2569');
    expect(dayPlaceholder('th')).toBe('วว/ดด/ปปปป');
    expect(dayPlaceholder('en')).toBe('YYYY-MM-DD');
    // Not an ISO day: left as it is.
    expect(dayText('', 'th')).toBe('');
    expect(dayText('2026-11', 'th')).toBe('2026-11');
  });

  it('read back what they show to the same day, in either language (the 1941 calendar change included)', () => {
    for (const iso of ['2026-11-08', '2024-02-29', '2000-01-01', '1999-12-31', '1940-02-15', '1940-04-01']) {
      expect(readDay(dayText(iso, 'th')), iso).toBe(iso);
      expect(readDay(dayText(iso, 'en')), iso).toBe(iso);
    }
    expect(readDay('2026-11')).toBeNull();
    expect(readDay('31/02/2569')).toBeNull();
  });
});

describe('dashboard per-day charts', () => {
  const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 10, 8 + i)).toISOString().slice(0, 10));
  const view = {
    from: days[0], to: days[29], timeZone: 'Asia/Bangkok',
    perDay: days.map((day) => ({ day, screenings: 0, hits: 0, crossings: 0, flagged: 0 })),
    outcomes: days.map((day) => ({ day, passed: 0, 'refused-entry': 0, held: 0, referred: 0 })),
  } as unknown as DashboardView;
  const c: ChartContext = { view, t: ((k: string) => k) as unknown as ChartContext['t'], lang: 'en', nf: numberFormat('en'), range: '' };

  it('always label the first and the last day (today), whatever interval fits between them', () => {
    for (const option of [perDayOption(c), outcomesOption(c)]) {
      const x = option.xAxis as ReturnType<typeof dayAxis>;
      expect(x.type).toBe('category');
      expect(x.data).toHaveLength(30);
      expect(x.data[0]).toBe('8 Nov');
      expect(x.data[29]).toBe('7 Dec');
      expect(x.axisLabel).toMatchObject({ showMinLabel: true, showMaxLabel: true, hideOverlap: true });
    }
  });
});
