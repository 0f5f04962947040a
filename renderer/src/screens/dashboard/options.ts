/**
 * The dashboard's charts as ECharts options, built from DashboardView in the UI's language: axis
 * labels, series names and the aria description translated, numbers formatted by the UI's locale.
 * Animation is off (the numbers matter, and screenshots are stable).
 */
import type { TFunction } from 'i18next';
import type { DashboardView } from '../../../../shared/contract';
import { OUTCOMES } from '../../../../shared/domain';
import type { Lang } from '../../i18n';
import type { ChartOption } from './echarts';

/** Series colours: each differs from the others in lightness too, and the aria decals add patterns. */
export const COLORS = {
  screenings: '#1d4e89', hits: '#b42318', crossings: '#067647', flagged: '#c26a00',
  confirmed: '#b42318', notSame: '#067647', undecided: '#8a94a6',
  passed: '#067647', 'refused-entry': '#b42318', held: '#6b2fa3', referred: '#c26a00',
} as const;

const FONT = "'Noto Sans Thai', system-ui, sans-serif";
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TH_MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];

/** A day on an axis: `7 Mar` / `7 มี.ค.` (the year is in the range above the charts). */
export function shortDay(iso: string, lang: Lang): string {
  const [, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${(lang === 'th' ? TH_MONTHS : EN_MONTHS)[m - 1]}`;
}

/** Numbers as the UI's locale writes them (Arabic digits in Thai too, as the desk shows them). */
export function numberFormat(lang: Lang): Intl.NumberFormat {
  return new Intl.NumberFormat(lang === 'th' ? 'th-TH' : 'en-US');
}

export interface ChartContext {
  view: DashboardView;
  t: TFunction;
  lang: Lang;
  nf: Intl.NumberFormat;
  /** The range as the screen writes it (e.g. `1 Mar 2026 – 30 Mar 2026`). */
  range: string;
}

/** What every chart shares (the tooltip's pointer shades the whole category under it). */
function base(c: ChartContext, description: string): ChartOption {
  return {
    animation: false,
    aria: { enabled: true, decal: { show: true }, label: { enabled: true, description } },
    textStyle: { fontFamily: FONT },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => c.nf.format(Number(v)), confine: true },
    legend: { top: 0, left: 0, textStyle: { fontFamily: FONT } },
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
  };
}

const valueAxis = (c: ChartContext) => ({ type: 'value' as const, minInterval: 1, axisLabel: { formatter: (v: number) => c.nf.format(v) } });
const categories = (data: string[], horizontal: boolean) => ({
  type: 'category' as const, data, inverse: horizontal,
  axisLabel: horizontal ? { width: 220, overflow: 'truncate' as const } : { hideOverlap: true },
});

/**
 * The days of a per-day chart: labels as many as fit (ECharts' automatic interval, overlaps
 * hidden), the first and the last day always (today, at the end, is often the only day with any
 * data; the neighbour of a forced label gives way if they would touch).
 */
export const dayAxis = (labels: string[]) => ({
  type: 'category' as const, data: labels,
  axisLabel: { hideOverlap: true, showMinLabel: true, showMaxLabel: true },
});

/** A description for screen readers: what the chart shows, for which days, and where its numbers are. */
function aria(c: ChartContext, chart: string): string {
  return c.t('dashboard.chartAria', { title: c.t(`dashboard.charts.${chart}`), range: c.range });
}

/** Screenings and hits (bars), crossings and flagged crossings (lines), per day. */
export function perDayOption(c: ChartContext): ChartOption {
  const d = c.view.perDay;
  return {
    ...base(c, aria(c, 'perDay')),
    xAxis: dayAxis(d.map((p) => shortDay(p.day, c.lang))),
    yAxis: valueAxis(c),
    series: [
      { type: 'bar', name: c.t('dashboard.cols.screenings'), data: d.map((p) => p.screenings), color: COLORS.screenings },
      { type: 'bar', name: c.t('dashboard.cols.hits'), data: d.map((p) => p.hits), color: COLORS.hits },
      { type: 'line', name: c.t('dashboard.cols.crossings'), data: d.map((p) => p.crossings), color: COLORS.crossings, symbolSize: 6 },
      { type: 'line', name: c.t('dashboard.cols.flagged'), data: d.map((p) => p.flagged), color: COLORS.flagged, symbol: 'diamond', symbolSize: 8, lineStyle: { type: 'dashed' } },
    ],
  };
}

/** Decisions stacked per category (a list, or a list and band), horizontal bars. */
function decisionBars(c: ChartContext, chart: string, labels: string[], rows: { confirmed: number; notSame: number; undecided: number }[]): ChartOption {
  return {
    ...base(c, aria(c, chart)),
    xAxis: valueAxis(c),
    yAxis: categories(labels, true),
    series: (['confirmed', 'notSame', 'undecided'] as const).map((k) => ({
      type: 'bar' as const, name: c.t(`dashboard.cols.${k}`), stack: 'decisions', data: rows.map((r) => r[k]), color: COLORS[k], barMaxWidth: 28,
    })),
  };
}

/** Hits per list, stacked by their current decision. */
export function byListOption(c: ChartContext): ChartOption {
  return decisionBars(c, 'byList', c.view.byList.map((l) => l.list), c.view.byList);
}

/** Hits per list and band, stacked by decision: whether a list's thresholds are right. */
export function decisionsOption(c: ChartContext): ChartOption {
  return decisionBars(c, 'decisions', c.view.decisions.map((d) => `${d.list} · ${c.t(`bands.${d.band}`)}`), c.view.decisions);
}

/** Crossings and flagged crossings per category (checkpoint or direction). */
function crossingBars(c: ChartContext, chart: string, labels: string[], rows: { crossings: number; flagged: number }[]): ChartOption {
  return {
    ...base(c, aria(c, chart)),
    xAxis: categories(labels, false),
    yAxis: valueAxis(c),
    series: [
      { type: 'bar', name: c.t('dashboard.cols.crossings'), data: rows.map((r) => r.crossings), color: COLORS.crossings, barMaxWidth: 48 },
      { type: 'bar', name: c.t('dashboard.cols.flagged'), data: rows.map((r) => r.flagged), color: COLORS.flagged, barMaxWidth: 48 },
    ],
  };
}

export function byCheckpointOption(c: ChartContext): ChartOption {
  return crossingBars(c, 'byCheckpoint', c.view.byCheckpoint.map((k) => k.checkpoint), c.view.byCheckpoint);
}

export function byDirectionOption(c: ChartContext): ChartOption {
  return crossingBars(c, 'byDirection', c.view.byDirection.map((d) => c.t(`directions.${d.direction}`)), c.view.byDirection);
}

/** The entries hit most often: hits and confirmed hits, horizontal bars, most first. */
export function topEntriesOption(c: ChartContext): ChartOption {
  const e = c.view.topEntries;
  return {
    ...base(c, aria(c, 'topEntries')),
    xAxis: valueAxis(c),
    yAxis: categories(e.map((x) => `${x.listedName} (${x.list})`), true),
    series: [
      { type: 'bar', name: c.t('dashboard.cols.hits'), data: e.map((x) => x.hits), color: COLORS.screenings, barMaxWidth: 20 },
      { type: 'bar', name: c.t('dashboard.cols.confirmed'), data: e.map((x) => x.confirmed), color: COLORS.confirmed, barMaxWidth: 20 },
    ],
  };
}

/** Crossings per day by outcome, stacked bars. */
export function outcomesOption(c: ChartContext): ChartOption {
  const d = c.view.outcomes;
  return {
    ...base(c, aria(c, 'outcomes')),
    xAxis: dayAxis(d.map((p) => shortDay(p.day, c.lang))),
    yAxis: valueAxis(c),
    series: OUTCOMES.map((o) => ({ type: 'bar' as const, name: c.t(`outcomes.${o}`), stack: 'outcomes', data: d.map((p) => p[o]), color: COLORS[o] })),
  };
}
