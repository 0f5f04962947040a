import { describe, expect, it } from 'vitest';
import { localDayBoundaryUtc } from '../../electron/core/time';

describe('checkpoint-local days', () => {
  it('starts and ends a Bangkok day at 17:00 UTC the day before', () => {
    expect(localDayBoundaryUtc('2026-11-29', 'Asia/Bangkok')).toBe('2026-11-28T17:00:00.000Z');
    expect(localDayBoundaryUtc('2026-11-29', 'Asia/Bangkok', true)).toBe('2026-11-29T16:59:59.999Z');
  });
  it('follows daylight saving time', () => {
    expect(localDayBoundaryUtc('2026-07-01', 'Europe/Berlin')).toBe('2026-06-30T22:00:00.000Z');
    expect(localDayBoundaryUtc('2026-01-01', 'Europe/Berlin')).toBe('2025-12-31T23:00:00.000Z');
  });
  it('is plain UTC for UTC', () => {
    expect(localDayBoundaryUtc('2026-11-29', 'UTC')).toBe('2026-11-29T00:00:00.000Z');
  });
});
