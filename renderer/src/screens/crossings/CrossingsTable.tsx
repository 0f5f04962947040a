/**
 * The crossings browser's table (issue 14): every crossing that matches the filter, one fixed-height
 * row each, however many there are. The engine filters, sorts and pages (`crossings.list` with
 * sort, order, offset and limit); the table asks for pages of PAGE rows around what is on screen
 * as the user scrolls (a short pause first, so a fast drag over a million rows does not ask for
 * every page on the way), keeps the latest KEEP_PAGES pages around the view, and takes the total
 * from the engine's latest answer.
 *
 * Libraries: TanStack Table v8 (`@tanstack/react-table`) holds the columns and the sorting state
 * (manual sorting: a header click asks the engine for the new order) and TanStack Virtual
 * (`@tanstack/react-virtual`) watches the scroll element and says which rows are in view. Both are
 * headless, so the markup (a table with its header's sort buttons and aria-sort, rows with
 * aria-rowindex, one row in the Tab order and arrow keys between rows) and the styles stay ours;
 * both are widely used and actively kept (TanStack). Past the browser's limit on an element's
 * height the rows are laid out compressed and placed from the scroll position (virtual.ts).
 *
 * Keys: Up/Down move one row, Page Up/Down a screen, Home/End the first/last crossing; Enter (or a
 * click) opens the crossing's detail.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CrossingSort, CrossingView, CrossingsFilterInput } from '../../../../shared/contract';
import { call } from '../../api';
import { BandBadge, DecisionBadge, ErrorBox } from '../../components/ui';
import { formatDateTime, formatDob, formatScore } from '../../format';
import { currentLang } from '../../i18n';
import { useDesk } from '../../session';
import type { CrossingSortState } from './filters';
import { ENGINE_DRIVEN_TABLE } from './table-options';
import { layoutFor, pagesFor, pagesToEvict, scrollToShow, windowRows } from './virtual';

/**
 * Height of a row and of the header row (px); styles.css sets the same (.cx-row, .cx-head-row). A
 * row holds three short lines (the hits column: badges; list and entry id; listed name and
 * reference), Thai's taller line height included.
 */
const ROW_PX = 64;
const HEAD_PX = 40;
/** Rows per `crossings.list` call, pages kept, rows rendered beyond the view on each side. */
const PAGE = 200;
const KEEP_PAGES = 50;
const OVERSCAN = 6;
/** The pause in scrolling before missing pages are asked for (ms). */
const FETCH_PAUSE_MS = 90;

type ListRequest = CrossingsFilterInput & { sort?: CrossingSort; order?: 'asc' | 'desc' };
interface RowData { index: number; crossing: CrossingView | null }
interface Page { gen: number; rows: CrossingView[] }
type Hit = CrossingView['hits'][number];

/** The crossing at row `i` among the pages read, or null while its page is not. */
function rowIn(pages: ReadonlyMap<number, Page>, i: number): CrossingView | null {
  return pages.get(Math.floor(i / PAGE))?.rows[i % PAGE] ?? null;
}

/** The hits strongest first (the row shows the first). */
function byScore(hits: readonly Hit[]): Hit[] {
  return [...hits].sort((a, b) => b.score - a.score);
}

/** A hit confirmed on a wanted list on a crossing recorded as passed (marked for follow-up). */
export function contradicts(c: Pick<CrossingView, 'outcome'>, h: Pick<Hit, 'decision' | 'listKind'>): boolean {
  return c.outcome === 'passed' && h.decision === 'confirmed' && h.listKind === 'wanted';
}

/**
 * `request`: the filter and sort (the table is mounted afresh for another one); `sort`: the sort
 * shown (aria-sort); `onSort`: a header was clicked; `onOpen`: a row was opened (its crossing's
 * id); `reloadToken`: changes when the crossings should be read again (after a correction).
 */
export function CrossingsTable({ request, sort, onSort, onOpen, reloadToken, nameSearch }: {
  request: ListRequest;
  sort: CrossingSortState;
  onSort: (s: CrossingSortState) => void;
  onOpen: (id: string) => void;
  reloadToken: number;
  nameSearch: boolean;
}) {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const hintId = useId();
  const [pages, setPages] = useState<ReadonlyMap<number, Page>>(() => new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The scroll position, followed only while the layout is compressed (rows are placed from it). */
  const [scrollTop, setScrollTop] = useState(0);
  /** The row in the Tab order (the last one focused, moved to or opened). */
  const [active, setActive] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const inflight = useRef(new Set<string>());
  const alive = useRef(true);
  /** A row to focus once it is rendered (after moving to it with the keyboard). */
  const focusWanted = useRef<number | null>(null);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const layout = layoutFor(total ?? 0, ROW_PX);
  // eslint-disable-next-line react-hooks/incompatible-library -- not compiled by the React Compiler; the virtualizer's answers are read in this render only
  const virtualizer = useVirtualizer({
    count: layout.total,
    getScrollElement: () => scrollRef.current,
    // Compressed, each row takes its share of the layout; else its own height.
    estimateSize: () => (layout.total ? layout.layoutPx / layout.total : ROW_PX),
    overscan: OVERSCAN,
    scrollMargin: HEAD_PX,
  });
  const viewPx = Math.max(0, (virtualizer.scrollRect?.height ?? 0) - HEAD_PX);
  // Which rows to render: the virtualizer's, or (compressed) those at the scroll position.
  const windowed = windowRows(layout, scrollTop, viewPx, OVERSCAN);
  const indices = layout.compressed
    ? Array.from({ length: Math.max(0, windowed.last - windowed.first + 1) }, (_, k) => windowed.first + k)
    : virtualizer.getVirtualItems().map((v) => v.index);
  const first = indices[0] ?? 0;
  const last = indices[indices.length - 1] ?? -1;

  const rowAt = (i: number): CrossingView | null => rowIn(pages, i);
  // The rows handed to the table change only when the rows on screen or the pages do (a new array
  // on every render would make the table recompute its row model on every render).
  const data = useMemo<RowData[]>(
    () => Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => ({ index: first + k, crossing: rowIn(pages, first + k) })),
    [first, last, pages],
  );

  // Pages on screen that are missing (or from before the last reload) are asked for after a pause.
  const needed = total === null ? [0] : pagesFor(first, last, PAGE);
  const neededKey = needed.join(',');
  const load = useCallback((p: number) => {
    const gen = reloadToken;
    const key = `${gen}:${p}`;
    inflight.current.add(key);
    call('crossings.list', { ...request, offset: p * PAGE, limit: PAGE })
      .then((r) => {
        if (!alive.current) return;
        setTotal(r.total);
        setError(null);
        setPages((prev) => {
          const next = new Map(prev);
          next.set(p, { gen, rows: r.crossings });
          for (const drop of pagesToEvict(next.keys(), p, KEEP_PAGES)) next.delete(drop);
          return next;
        });
      })
      .catch((e: unknown) => {
        if (alive.current) setError(e);
      })
      .finally(() => inflight.current.delete(key));
  }, [request, reloadToken]);
  useEffect(() => {
    const wanted = neededKey ? neededKey.split(',').map(Number) : [];
    const missing = wanted.filter((p) => pages.get(p)?.gen !== reloadToken && !inflight.current.has(`${reloadToken}:${p}`));
    if (missing.length === 0) return;
    const timer = setTimeout(() => missing.forEach(load), total === null ? 0 : FETCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [neededKey, pages, reloadToken, total, load]);

  // Focus the row moved to once it is rendered.
  useEffect(() => {
    const i = focusWanted.current;
    if (i === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${i}"]`);
    if (row) {
      focusWanted.current = null;
      row.focus({ preventScroll: true });
    }
  });

  const columns = useMemo<ColumnDef<RowData>[]>(() => [
    {
      id: 'time',
      // An accessor makes the column sortable in TanStack Table (the engine does the sorting).
      accessorFn: (r) => r.crossing?.occurredAt,
      header: () => t('crossings.colTime', { tz: desk.timeZone }),
      sortDescFirst: true,
      cell: ({ row }) => {
        const c = row.original.crossing;
        if (!c) return <span className="muted">{t('crossings.loadingRow')}</span>;
        return <span className="mono" title={`${c.occurredAt} UTC · ${c.checkpoint}`}>{formatDateTime(c.occurredAt, c.timeZone, lang)}</span>;
      },
    },
    {
      id: 'direction',
      accessorFn: (r) => r.crossing?.direction,
      header: () => t('crossings.colDirection'),
      sortDescFirst: false,
      cell: ({ row }) => row.original.crossing && t(`directions.${row.original.crossing.direction}`),
    },
    {
      id: 'outcome',
      accessorFn: (r) => r.crossing?.outcome,
      header: () => t('crossings.colOutcome'),
      sortDescFirst: false,
      cell: ({ row }) => {
        const c = row.original.crossing;
        return c && <span className={`badge outcome-${c.outcome}`}>{t(`outcomes.${c.outcome}`)}</span>;
      },
    },
    {
      id: 'traveler',
      header: () => t('crossings.colTraveler'),
      enableSorting: false,
      cell: ({ row }) => {
        const c = row.original.crossing;
        if (!c) return null;
        if (c.purged) return <span className="muted">{t('crossings.purged')}</span>;
        const facts = [formatDob(c.traveler.dateOfBirth, lang), c.traveler.nationality, c.traveler.documentNumber].filter(Boolean).join(' · ');
        return (
          <>
            <div className="cx-line">
              <span className="traveler-name">{c.travelerName}</span>
              {c.match !== null && <>{' '}<span className="badge cx-match" title={t('crossings.matchHelp')}>{t('crossings.match', { score: formatScore(c.match) })}</span></>}
            </div>
            <div className="cx-line muted small-text">{facts}</div>
          </>
        );
      },
    },
    {
      id: 'officer',
      accessorFn: (r) => r.crossing?.officer,
      header: () => t('crossings.colOfficer'),
      sortDescFirst: false,
      cell: ({ row }) => row.original.crossing?.officer,
    },
    {
      id: 'topScore',
      accessorFn: (r) => byScore(r.crossing?.hits ?? [])[0]?.score,
      header: () => t('crossings.colTopScore'),
      sortDescFirst: true,
      cell: ({ row }) => {
        const top = byScore(row.original.crossing?.hits ?? [])[0];
        if (!row.original.crossing) return null;
        if (!top) return <span className="muted">—</span>;
        return <><span className="mono">{formatScore(top.score)}</span> <BandBadge band={top.band} /></>;
      },
    },
    {
      id: 'hits',
      header: () => t('crossings.colHits'),
      enableSorting: false,
      cell: ({ row }) => {
        const c = row.original.crossing;
        if (!c) return null;
        const hits = byScore(c.hits);
        const top = hits[0];
        if (!top) return <span className="muted small-text">{t('crossings.noHits')}</span>;
        // Three lines: the badges; the list and entry id (the id is never cut: a long list name
        // gives way); the listed name and the warrant or case reference.
        const listed = top.reference ? `${top.listedName} · ${top.reference}` : top.listedName;
        return (
          <>
            <div className="cx-line cx-hit-badges">
              {c.flagged && <><span className="badge flag">{t('crossings.flagged')}</span>{' '}</>}
              <DecisionBadge decision={top.decision} />{' '}
              {hits.some((h) => contradicts(c, h)) && <><span className="badge must">{t('adjudication.contradicts')}</span>{' '}</>}
              {hits.length > 1 && <span className="muted small-text">{t('crossings.moreHits', { count: hits.length - 1 })}</span>}
            </div>
            <div className="cx-hit-entry small-text" title={`${top.list} · ${top.entryId}`}>
              <span className="cx-hit-list">{top.list}:</span><code className="cx-hit-id">{top.entryId}</code>
            </div>
            <div className="cx-line small-text" title={listed}>
              <span>{top.listedName}</span>
              {top.reference && <span className="muted"> · {top.reference}</span>}
            </div>
          </>
        );
      },
    },
  ], [t, lang, desk.timeZone]);

  const sorting: SortingState = useMemo(() => (sort ? [{ id: sort.sort, desc: sort.desc }] : []), [sort]);
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
    // The engine sorts and pages; nothing is reset when the rows change (see table-options.ts).
    ...ENGINE_DRIVEN_TABLE,
    state: { sorting },
    onSortingChange: (u: Updater<SortingState>) => {
      const next = typeof u === 'function' ? u(sorting) : u;
      const s = next[0];
      onSort(s ? { sort: s.id as CrossingSort, desc: s.desc } : null);
    },
  });

  /** Moves the active row (keyboard), scrolling it into view; it is focused once rendered. */
  function moveTo(i: number) {
    const n = layout.total;
    if (n === 0) return;
    const to = Math.min(n - 1, Math.max(0, i));
    setActive(to);
    focusWanted.current = to;
    const el = scrollRef.current;
    if (!el) return;
    const top = scrollToShow(layout, to, el.scrollTop, el.clientHeight - HEAD_PX);
    if (top !== null) el.scrollTop = top;
    const row = el.querySelector<HTMLElement>(`tr[data-index="${to}"]`);
    if (row && top === null) {
      focusWanted.current = null;
      row.focus({ preventScroll: true });
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableSectionElement>) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const perScreen = Math.max(1, Math.floor(viewPx / ROW_PX) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + perScreen, PageUp: active - perScreen, Home: 0, End: layout.total - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const c = rowAt(active);
      e.preventDefault();
      if (c) onOpen(c.id);
    }
  }

  const tabbable = indices.includes(active) ? active : first;
  const top = (i: number) => windowed.top(i);
  const nothing = total === 0;
  return (
    <div className="cx-browser">
      <div className="cx-toolbar">
        <span className="muted small-text" data-testid="crossings-total" aria-live="polite">
          {total === null ? t('crossings.loading') : t('crossings.total', { count: total })}
          {nameSearch && !sort && total !== null && ` · ${t('crossings.bestMatchFirst')}`}
        </span>
        <span id={hintId} className="muted small-text cx-keys">{t('crossings.rowHint')}</span>
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      {nothing ? (
        <p className="muted" data-testid="no-crossings">{t('crossings.none')}</p>
      ) : (
        <div
          className="cx-scroll"
          ref={scrollRef}
          onScroll={layout.compressed ? (e) => setScrollTop(e.currentTarget.scrollTop) : undefined}
          data-testid="crossings-scroll"
          data-compressed={layout.compressed}
        >
          <table className="cx-table" role="table" aria-rowcount={(total ?? 0) + 1} aria-describedby={hintId} data-testid="crossings-table">
            <thead className="cx-head" role="rowgroup">
              {table.getHeaderGroups().map((g) => (
                <tr key={g.id} className="cx-row cx-head-row" role="row" aria-rowindex={1}>
                  {g.headers.map((h) => {
                    const sorted = h.column.getIsSorted();
                    return (
                      <th key={h.id} role="columnheader" scope="col" className={`cx-c-${h.column.id}`}
                        aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                        {h.column.getCanSort() ? (
                          <button type="button" className="cx-sort" onClick={h.column.getToggleSortingHandler()} data-testid={`sort-${h.column.id}`}>
                            {flexRender(h.column.columnDef.header, h.getContext())}
                            <span className="cx-sort-mark" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                          </button>
                        ) : flexRender(h.column.columnDef.header, h.getContext())}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody className="cx-body" role="rowgroup" onKeyDown={onKeyDown} style={{ height: layout.layoutPx }}>
              {table.getRowModel().rows.map((row) => {
                const { index, crossing: c } = row.original;
                return (
                  <tr
                    key={index}
                    role="row"
                    aria-rowindex={index + 2}
                    aria-busy={c ? undefined : true}
                    data-testid={c ? 'crossing-row' : 'crossing-row-loading'}
                    data-index={index}
                    data-flagged={c ? c.flagged : undefined}
                    data-outcome={c?.outcome}
                    className={`cx-row${c?.flagged ? ' flagged' : ''}${index === active ? ' active' : ''}`}
                    style={{ transform: `translateY(${top(index)}px)` }}
                    tabIndex={index === tabbable ? 0 : -1}
                    onFocus={() => setActive(index)}
                    onClick={() => {
                      setActive(index);
                      if (c) onOpen(c.id);
                    }}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} role="cell" className={`cx-c-${cell.column.id}`}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
