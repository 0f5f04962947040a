/**
 * The supervisors' dashboard (issue 14; supervisors and auditors): what the lists are catching and
 * how their hits are decided over a range of days in the checkpoint's time zone (default: the last
 * 30 days). Totals, then charts (ECharts, screens/dashboard/echarts.ts says why), each with its
 * numbers as a table; the range's tables exported as one xlsx (audited by the engine).
 *
 * On a desk joined to the centre (issue 16) a "This desk | Department" switch counts the same view
 * at the centre instead (`central.dashboard`, electron/core/central/dashboard.ts): every checkpoint
 * on an auditing desk, else PostgreSQL gives only this checkpoint (the view's `scope` says which);
 * days are then each crossing's local day at its own checkpoint.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardView, ExportResult } from '../../../shared/contract';
import { base64ToBytes, call, downloadFile } from '../api';
import { DayInput } from '../components/DayInput';
import { ScopeSwitch, type Scope } from '../components/ScopeSwitch';
import { ErrorBox, Notice } from '../components/ui';
import { formatDob } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { ChartCard } from './dashboard/ChartCard';
import {
  byCheckpointOption, byDirectionOption, byListOption, decisionsOption, numberFormat, outcomesOption, perDayOption, topEntriesOption, type ChartContext,
} from './dashboard/options';
import { ByCheckpointTable, ByDirectionTable, ByListTable, DecisionsTable, OutcomesTable, PerDayTable, TopEntriesTable } from './dashboard/tables';
import './dashboard/dashboard.css';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PRESETS = [7, 30, 90] as const;

/** Today as a day (YYYY-MM-DD) in `timeZone`. */
function localToday(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const v = (k: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === k)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')}`;
}

/** The day `n` days after `day` (calendar arithmetic). */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function Dashboard() {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  /** The range asked of the engine (absent days: its default, the last 30 days). */
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  // Counted at the centre (issue 16): offered on a joined desk to auditors and supervisors.
  const [joined, setJoined] = useState(false);
  const [scope, setScope] = useState<Scope>('desk');
  /** What is asked: the range and where it is counted (a new object for each change). */
  const request = useMemo(() => ({ range, scope }), [range, scope]);
  /** The days typed, applied with "Show". */
  const [draft, setDraft] = useState({ from: '', to: '' });
  /** What the day fields start with (set again, with a new key, after a preset or the first answer). */
  const [inputs, setInputs] = useState({ key: 0, from: '', to: '' });
  const syncInputs = useRef(true);
  const [data, setData] = useState<DashboardView | null>(null);
  /** The range the last answer (or error) was for: loading while it is not the one asked. */
  const [answered, setAnswered] = useState<object | null>(null);
  const loading = answered !== request;
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<ExportResult | null>(null);
  /** Font loads finished while the screen is open (each redraws the charts: DashboardCharts). */
  const [fontLoads, setFontLoads] = useState(0);

  useEffect(() => {
    const loaded = () => setFontLoads((n) => n + 1);
    document.fonts.addEventListener('loadingdone', loaded);
    return () => document.fonts.removeEventListener('loadingdone', loaded);
  }, []);

  useEffect(() => {
    call('central.status', {}).then((s) => setJoined(s.joined)).catch(() => undefined);
  }, []);

  useEffect(() => {
    let live = true;
    const { range: asked, scope: where } = request;
    (where === 'department' ? call('central.dashboard', asked) : call('dashboard.get', asked))
      .then((v) => {
        if (!live) return;
        setData(v);
        setError(null);
        setAnswered(request);
        if (syncInputs.current) {
          syncInputs.current = false;
          setDraft({ from: v.from, to: v.to });
          setInputs((i) => ({ key: i.key + 1, from: v.from, to: v.to }));
        }
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e);
        setAnswered(request);
      });
    return () => {
      live = false;
    };
  }, [request]);

  function preset(days: number) {
    const to = localToday(desk.timeZone);
    syncInputs.current = true;
    setExported(null);
    setRange({ from: addDays(to, -(days - 1)), to });
  }

  async function exportXlsx() {
    if (!data) return;
    setExporting(true);
    setError(null);
    setExported(null);
    try {
      const asked = { from: data.from, to: data.to, lang };
      const r = scope === 'department' ? await call('central.dashboardExport', asked) : await call('dashboard.export', asked);
      downloadFile(r.fileName, base64ToBytes(r.contentBase64), XLSX_MIME);
      setExported(r);
    } catch (e) {
      setError(e);
    } finally {
      setExporting(false);
    }
  }

  const rangeText = data ? `${formatDob(data.from, lang)} – ${formatDob(data.to, lang)}` : '';
  const nf = numberFormat(lang);
  const totals = data && {
    screenings: data.perDay.reduce((n, p) => n + p.screenings, 0),
    hits: data.perDay.reduce((n, p) => n + p.hits, 0),
    crossings: data.perDay.reduce((n, p) => n + p.crossings, 0),
    flagged: data.perDay.reduce((n, p) => n + p.flagged, 0),
    confirmed: data.byList.reduce((n, l) => n + l.confirmed, 0),
    notSame: data.byList.reduce((n, l) => n + l.notSame, 0),
  };

  return (
    <div className="screen dashboard" data-testid="screen-dashboard">
      <h2 className="screen-title">{t('dashboard.title')}</h2>
      {joined && hasRole(desk, 'supervisor', 'auditor') && (
        <ScopeSwitch
          value={scope}
          onChange={(v) => {
            setExported(null);
            setScope(v);
          }}
          label={t('dashboard.scopeLabel')}
          testId="dashboard-scope"
        />
      )}
      <section className="panel">
        <form
          className="filters dash-range"
          aria-label={t('dashboard.rangeLabel')}
          onSubmit={(e) => {
            e.preventDefault();
            setExported(null);
            setRange({ from: draft.from || undefined, to: draft.to || undefined });
          }}
        >
          <DayInput key={`from-${inputs.key}`} initial={inputs.from} label={t('dashboard.from')} invalidText={t('dashboard.badDay')}
            onChange={(d) => setDraft((r) => ({ ...r, from: d }))} testId="dash-from" />
          <DayInput key={`to-${inputs.key}`} initial={inputs.to} label={t('dashboard.to')} invalidText={t('dashboard.badDay')}
            onChange={(d) => setDraft((r) => ({ ...r, to: d }))} testId="dash-to" />
          <button type="submit" className="secondary" data-testid="dash-apply">{t('dashboard.apply')}</button>
          <span className="dash-presets" role="group" aria-label={t('dashboard.presets')}>
            {PRESETS.map((n) => (
              <button key={n} type="button" className="link-button" onClick={() => preset(n)} data-testid={`dash-last-${n}`}>
                {t('dashboard.lastDays', { count: n })}
              </button>
            ))}
          </span>
          <span className="spacer" />
          <button type="button" onClick={() => void exportXlsx()} disabled={!data || exporting} data-testid="dash-export">
            {exporting ? t('dashboard.exporting') : t('dashboard.exportXlsx')}
          </button>
        </form>
        <p className="muted small-text" data-testid="dash-range" aria-live="polite">
          {!data ? t('dashboard.loading')
            : data.scope ? t('dashboard.rangeCentre', { range: rangeText, count: data.perDay.length })
              : t('dashboard.range', { range: rangeText, count: data.perDay.length, tz: data.timeZone })}
          {data && loading && ` · ${t('dashboard.loading')}`}
        </p>
        {data?.scope && (
          <p className="muted small-text" data-testid="dash-centre-note">
            {t('dashboard.centreNote')}{data.scope === 'checkpoint' && ` ${t('dashboard.checkpointOnly')}`}
          </p>
        )}
        <ErrorBox error={error} onDismiss={() => setError(null)} />
        {exported && (
          <Notice kind="success" testId="dash-exported">
            {t('dashboard.exported', { file: exported.fileName, sha: exported.sha256.slice(0, 12) })}
          </Notice>
        )}
        {totals && (
          <dl className="counts dash-totals" data-testid="dash-totals">
            {(['screenings', 'hits', 'crossings', 'flagged', 'confirmed', 'notSame'] as const).map((k) => (
              <div key={k} data-testid={`total-${k}`}>
                <dt>{t(`dashboard.cols.${k}`)}</dt>
                <dd>{nf.format(totals[k])}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      {data && (
        <div aria-busy={loading}>
          <DashboardCharts data={data} fontLoads={fontLoads} />
        </div>
      )}
    </div>
  );
}

/**
 * The charts of one answer. Memoized: typing a day or exporting re-renders the screen, not the
 * charts (each render gives new options, and ECharts draws again); a new answer, a font load
 * finishing (`fontLoads`) or a language change do.
 */
const DashboardCharts = memo(function DashboardCharts({ data, fontLoads }: { data: DashboardView; fontLoads: number }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const range = `${formatDob(data.from, lang)} – ${formatDob(data.to, lang)}`;
  const c: ChartContext = { view: data, t, lang, nf: numberFormat(lang), range };
  const caption = (chart: string) => t('dashboard.tableCaption', { title: t(`dashboard.charts.${chart}`), range });
  const barsHeight = (rows: number, per: number) => Math.max(150, 56 + rows * per);
  return (
    <div className="dash-grid">
      <ChartCard id="perDay" wide title={t('dashboard.charts.perDay')} option={perDayOption(c)} height={300} fontLoads={fontLoads}
        table={<PerDayTable c={c} caption={caption('perDay')} />} />
      <ChartCard id="byList" title={t('dashboard.charts.byList')} option={byListOption(c)} height={barsHeight(data.byList.length, 40)} fontLoads={fontLoads}
        table={<ByListTable c={c} caption={caption('byList')} />} />
      <ChartCard id="decisions" title={t('dashboard.charts.decisions')} help={t('dashboard.thresholdsHelp')} option={decisionsOption(c)}
        height={barsHeight(data.decisions.length, 30)} fontLoads={fontLoads} table={<DecisionsTable c={c} caption={caption('decisions')} />} />
      <ChartCard id="byCheckpoint" title={t('dashboard.charts.byCheckpoint')} option={byCheckpointOption(c)} height={240} fontLoads={fontLoads}
        table={<ByCheckpointTable c={c} caption={caption('byCheckpoint')} />} />
      <ChartCard id="byDirection" title={t('dashboard.charts.byDirection')} option={byDirectionOption(c)} height={240} fontLoads={fontLoads}
        table={<ByDirectionTable c={c} caption={caption('byDirection')} />} />
      <ChartCard id="topEntries" wide title={t('dashboard.charts.topEntries')} option={topEntriesOption(c)} height={barsHeight(data.topEntries.length, 30)}
        fontLoads={fontLoads} table={<TopEntriesTable c={c} caption={caption('topEntries')} />} />
      <ChartCard id="outcomes" wide title={t('dashboard.charts.outcomes')} option={outcomesOption(c)} height={300} fontLoads={fontLoads}
        table={<OutcomesTable c={c} caption={caption('outcomes')} />} />
    </div>
  );
});
