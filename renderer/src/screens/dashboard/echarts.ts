/**
 * ECharts for the dashboard, with only what it draws (bar and line charts, grid, legend, tooltip,
 * aria) registered on `echarts/core`, so that the bundle carries no other chart type.
 *
 * Why ECharts (Apache ECharts, a top-level Apache project, well kept): a canvas renderer (nothing
 * but a <canvas> and CSSOM styles, within the renderer's strict CSP); the `aria` option, which
 * names the chart for screen readers (role="img" and our description) and draws decal patterns
 * over the colours so that series differ without colour; complex scripts such as Thai drawn by the
 * browser's own text shaping with the bundled Noto Sans Thai; and every chart's numbers are in a
 * real <table> beside it anyway (tables.tsx).
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, TooltipComponent,
  type AriaComponentOption, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** The options the dashboard's charts use. */
export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | AriaComponentOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export { echarts };
