/**
 * The crossings browser's pure parts (issue 14): the request its filters make
 * (renderer/src/screens/crossings/filters.ts) and the virtual list's arithmetic
 * (renderer/src/screens/crossings/virtual.ts): every one of 1,000,000 rows reachable under the
 * browser's limit on an element's height, the rows placed contiguously, pages asked for and kept.
 */
import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../../shared/contract';
import { filterRequest, isFiltered, listRequest, NO_FILTERS, rangeReversed, shownSort } from '../../renderer/src/screens/crossings/filters';
import { contentOffset, layoutFor, MAX_LAYOUT_PX, pagesFor, pagesToEvict, scrollToShow, scrollTopFor, windowRows } from '../../renderer/src/screens/crossings/virtual';

const ROW = 56;
const VIEW = 500;

describe('crossings filters', () => {
  it('leaves empty filters out, trims texts, and makes a request the contract accepts', () => {
    expect(filterRequest(NO_FILTERS)).toEqual({
      from: undefined, to: undefined, checkpoint: undefined, officer: undefined, direction: undefined, outcome: undefined,
      list: undefined, band: undefined, decision: undefined, flaggedOnly: false, name: undefined, document: undefined,
    });
    const f = { ...NO_FILTERS, name: '  สมชาย ทองดี ', document: ' AA 123 ', outcome: 'held' as const, flaggedOnly: true, officer: '   ' };
    const r = listRequest(f, { sort: 'officer', desc: false });
    expect(r).toMatchObject({ name: 'สมชาย ทองดี', document: 'AA 123', outcome: 'held', flaggedOnly: true, officer: undefined, sort: 'officer', order: 'asc' });
    expect(requestSchemas['crossings.list'].safeParse({ ...r, offset: 0, limit: 200 }).success).toBe(true);
    expect(requestSchemas['crossings.exportStart'].safeParse({ ...filterRequest(f), format: 'csv', lang: 'th' }).success).toBe(true);
    // No sort chosen: none is sent (the engine's default; best match first with a name search).
    expect(listRequest(f, null)).not.toHaveProperty('sort');
  });

  it('knows when a filter is set, a range is reversed, and which sort the table shows', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, flaggedOnly: true })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, band: 'strong' })).toBe(true);
    expect(rangeReversed({ ...NO_FILTERS, from: '2026-03-02', to: '2026-03-01' })).toBe(true);
    expect(rangeReversed({ ...NO_FILTERS, from: '2026-03-01', to: '2026-03-01' })).toBe(false);
    expect(rangeReversed({ ...NO_FILTERS, from: '2026-03-02' })).toBe(false);
    expect(shownSort(NO_FILTERS, null)).toEqual({ sort: 'time', desc: true });
    expect(shownSort({ ...NO_FILTERS, name: 'somchai' }, null)).toBeNull();
    expect(shownSort({ ...NO_FILTERS, name: 'somchai' }, { sort: 'topScore', desc: true })).toEqual({ sort: 'topScore', desc: true });
  });
});

describe('crossings virtual list', () => {
  it('lays out small lists at full height and 1,000,000 rows compressed under the limit', () => {
    expect(layoutFor(1000, ROW)).toMatchObject({ compressed: false, layoutPx: 56_000, contentPx: 56_000 });
    const big = layoutFor(1_000_000, ROW);
    expect(big.compressed).toBe(true);
    expect(big.layoutPx).toBe(MAX_LAYOUT_PX);
    expect(big.layoutPx).toBeLessThan(17_000_000); // under Firefox's clamp, and so under Chromium's
    expect(big.contentPx).toBe(56_000_000);
    expect(layoutFor(0, ROW)).toMatchObject({ total: 0, layoutPx: 0, compressed: false });
  });

  it('reaches the first and the last of 1,000,000 rows, and places the rendered rows one under another', () => {
    const l = layoutFor(1_000_000, ROW);
    const maxScroll = l.layoutPx - VIEW;
    const atTop = windowRows(l, 0, VIEW, 0);
    expect(atTop.first).toBe(0);
    expect(atTop.top(0)).toBe(0);
    const atEnd = windowRows(l, maxScroll, VIEW, 0);
    expect(atEnd.last).toBe(999_999);
    // The last row's bottom is the bottom of the view: scrollTop + VIEW in the body's coordinates.
    expect(atEnd.top(999_999) + ROW).toBeCloseTo(maxScroll + VIEW, 6);
    for (const scrollTop of [0, 1, 12_345.5, 7_000_000, maxScroll - 1, maxScroll]) {
      const w = windowRows(l, scrollTop, VIEW, 3);
      for (let i = w.first; i < w.last; i++) expect(w.top(i + 1) - w.top(i)).toBeCloseTo(ROW, 6);
      // Every row that shows in the view [scrollTop, scrollTop + VIEW) is rendered.
      const v = contentOffset(l, scrollTop, VIEW);
      expect(w.first).toBeLessThanOrEqual(Math.floor(v / ROW));
      expect(w.last).toBeGreaterThanOrEqual(Math.min(999_999, Math.ceil((v + VIEW) / ROW) - 1));
      expect(w.last - w.first + 1).toBeLessThanOrEqual(Math.ceil(VIEW / ROW) + 1 + 6);
    }
  });

  it('scrolls by the keyboard so that a row far down is in view, and not when it already is', () => {
    for (const l of [layoutFor(1_000_000, ROW), layoutFor(5_000, ROW)]) {
      const to = scrollToShow(l, 654_321 % l.total, 0, VIEW);
      expect(to).not.toBeNull();
      const w = windowRows(l, to!, VIEW, 0);
      const i = 654_321 % l.total;
      expect(w.top(i)).toBeGreaterThanOrEqual(to! - 1e-6);
      expect(w.top(i) + ROW).toBeLessThanOrEqual(to! + VIEW + 1e-6);
      expect(scrollToShow(l, i, to!, VIEW)).toBeNull();
      // Back to the first row.
      expect(scrollToShow(l, 0, to!, VIEW)).toBe(0);
      expect(scrollTopFor(l, contentOffset(l, 1234, VIEW), VIEW)).toBeCloseTo(1234, 6);
    }
  });

  it('asks for the pages of the rows on screen, and keeps those nearest to the view', () => {
    expect(pagesFor(0, 0, 200)).toEqual([0]);
    expect(pagesFor(190, 230, 200)).toEqual([0, 1]);
    expect(pagesFor(5, 4, 200)).toEqual([]);
    expect(pagesToEvict([0, 1, 2], 1, 5)).toEqual([]);
    expect(pagesToEvict([0, 1, 2, 3, 4000, 3999], 3, 4).sort((a, b) => a - b)).toEqual([3999, 4000]);
  });
});
