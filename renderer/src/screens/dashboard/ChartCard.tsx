/**
 * One dashboard chart in its panel: a heading, the chart (echarts-for-react's core component over
 * our trimmed `echarts/core`, canvas renderer), and a "Show as table" toggle revealing the same
 * numbers as a table. The chart's container carries role="img" and the description (ECharts' aria
 * option); the table is in the page while hidden, so the toggle can point at it.
 */
import EChartsReactCore from 'echarts-for-react/esm/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { echarts, type ChartOption } from './echarts';

export function ChartCard({ id, title, help, option, height, table, wide = false, fontLoads }: {
  id: string; title: string; help?: ReactNode; option: ChartOption; height: number; table: ReactNode; wide?: boolean;
  /**
   * Font loads finished so far: the parent renders again after each (a canvas keeps the glyphs it
   * was drawn with, e.g. a fallback's before the Thai subset of Noto Sans Thai arrived), which gives
   * a new option and so a new drawing. Shown as `data-font-loads`.
   */
  fontLoads: number;
}) {
  const { t } = useTranslation();
  const [showTable, setShowTable] = useState(false);
  const tableId = `dash-${id}-table`;
  return (
    <section className={`panel dash-card${wide ? ' dash-wide' : ''}`} aria-labelledby={`dash-${id}-title`} data-testid={`chart-${id}`} data-font-loads={fontLoads}>
      <div className="panel-head">
        <h3 id={`dash-${id}-title`}>{title}</h3>
        <button
          type="button"
          className="secondary small"
          aria-expanded={showTable}
          aria-controls={tableId}
          data-testid={`toggle-table-${id}`}
          onClick={() => setShowTable((v) => !v)}
        >
          {showTable ? t('dashboard.hideTable') : t('dashboard.showTable')}
        </button>
      </div>
      {help && <p className="muted small-text dash-help">{help}</p>}
      <EChartsReactCore
        echarts={echarts}
        option={option}
        notMerge
        opts={{ renderer: 'canvas' }}
        style={{ height, width: '100%' }}
        data-testid={`chart-${id}-canvas`}
      />
      <div id={tableId} className="dash-table-box" hidden={!showTable}>
        {table}
      </div>
    </section>
  );
}
