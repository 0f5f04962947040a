/**
 * The arithmetic of the crossings browser's virtual list (CrossingsTable.tsx): rows of one fixed
 * height, fetched from the engine in pages, and a layout that stays under the browser's limit on an
 * element's height. Pure, checked in test/unit/crossings-ui.test.ts.
 *
 * Browsers clamp an element's height (Chromium about 33.5 million px, Firefox about 17.9 million):
 * 1,000,000 rows of 56 px would be 56 million px, and the rows past the limit could not be scrolled
 * to (TanStack/virtual issue #616, a browser limit, not the library's). Past `MAX_LAYOUT_PX` the
 * rows are therefore laid out compressed: the scroll range is `MAX_LAYOUT_PX`, a scroll position
 * maps linearly onto the content (the top of the scroll range shows the first row, its end the
 * last), and each rendered row is placed at its own full height from there.
 */

/** The tallest layout asked of the browser, under every browser's clamp. */
export const MAX_LAYOUT_PX = 15_000_000;

/** How `total` rows of `rowPx` are laid out: `layoutPx` is the scroll content's height (the rows' part). */
export interface Layout {
  total: number;
  rowPx: number;
  /** The full height of the rows (total × rowPx). */
  contentPx: number;
  /** The height the browser lays out: the content's, or MAX_LAYOUT_PX when compressed. */
  layoutPx: number;
  compressed: boolean;
}

/** The layout of `total` rows of `rowPx` each. */
export function layoutFor(total: number, rowPx: number, maxPx = MAX_LAYOUT_PX): Layout {
  const contentPx = Math.max(0, total) * rowPx;
  const compressed = contentPx > maxPx;
  return { total: Math.max(0, total), rowPx, contentPx, layoutPx: compressed ? maxPx : contentPx, compressed };
}

/**
 * The content offset (px from the first row's top) at the top of the rows' viewport when the
 * scroll element is at `scrollTop` and `viewPx` of rows are visible. Uncompressed: `scrollTop`.
 */
export function contentOffset(l: Layout, scrollTop: number, viewPx: number): number {
  if (!l.compressed) return scrollTop;
  const scrollRange = l.layoutPx - viewPx;
  const contentRange = l.contentPx - viewPx;
  if (scrollRange <= 0 || contentRange <= 0) return 0;
  return (Math.min(Math.max(0, scrollTop), scrollRange) / scrollRange) * contentRange;
}

/** The scroll position whose contentOffset is `offset` (clamped to the scroll range). */
export function scrollTopFor(l: Layout, offset: number, viewPx: number): number {
  const o = Math.max(0, offset);
  if (!l.compressed) return Math.min(o, Math.max(0, l.layoutPx - viewPx));
  const scrollRange = l.layoutPx - viewPx;
  const contentRange = l.contentPx - viewPx;
  if (scrollRange <= 0 || contentRange <= 0) return 0;
  return (Math.min(o, contentRange) / contentRange) * scrollRange;
}

/**
 * The rows to render at `scrollTop` (first..last, inclusive; empty when last < first), with
 * `overscan` rows more on each side, and where each goes: its top within the rows' body.
 */
export function windowRows(l: Layout, scrollTop: number, viewPx: number, overscan: number): { first: number; last: number; top: (index: number) => number } {
  const v = contentOffset(l, scrollTop, viewPx);
  const first = Math.max(0, Math.floor(v / l.rowPx) - overscan);
  const last = Math.min(l.total - 1, Math.ceil((v + Math.max(0, viewPx)) / l.rowPx) - 1 + overscan);
  // Uncompressed, a row sits at its own offset; compressed, at its offset from the content shown at the top.
  const top = (index: number) => (l.compressed ? scrollTop + index * l.rowPx - v : index * l.rowPx);
  return { first, last, top };
}

/**
 * The scroll position that brings row `index` fully into view (the nearest edge), or null when it
 * is already; `viewPx` of rows are visible.
 */
export function scrollToShow(l: Layout, index: number, scrollTop: number, viewPx: number): number | null {
  const v = contentOffset(l, scrollTop, viewPx);
  const rowTop = index * l.rowPx;
  const rowBottom = rowTop + l.rowPx;
  if (rowTop < v) return scrollTopFor(l, rowTop, viewPx);
  if (rowBottom > v + viewPx) return scrollTopFor(l, rowBottom - viewPx, viewPx);
  return null;
}

/** The page numbers (offset / pageSize) that hold rows first..last. */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}

/**
 * Which cached pages to drop so that at most `keep` remain: the farthest from `near` first (the
 * pages around what is on screen stay).
 */
export function pagesToEvict(cached: Iterable<number>, near: number, keep: number): number[] {
  const all = [...cached];
  if (all.length <= keep) return [];
  return all.sort((a, b) => Math.abs(b - near) - Math.abs(a - near) || b - a).slice(0, all.length - keep);
}
