/** The import report: mapping, problems by row, preview, the difference from the active version; publish or cancel. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ImportReport } from '../../../../shared/contract';
import { base64ToBytes, call, downloadFile } from '../../api';
import { ErrorBox, Field, Notice } from '../../components/ui';
import { reasonMessage } from '../../errors';
import { EntryTable } from './EntryTable';
import { formatDob } from '../../format';
import { currentLang } from '../../i18n';

/** Fields a column can be mapped to (electron/core/watchlists/mapping.ts FIELDS). */
export const IMPORT_FIELDS = [
  'externalId', 'fullName', 'givenNames', 'middleName', 'surname', 'nativeName', 'aliases',
  'dateOfBirth', 'sex', 'nationality', 'passport', 'nationalId', 'reference', 'reason', 'remarks',
] as const;

export interface JobOptions {
  dryRun: boolean;
  sheet?: string;
  mapping?: Record<string, number>;
  /** Day/month order of the date-of-birth column; absent: detected from its values. */
  dateOrder?: 'dmy' | 'mdy';
}

export function ImportReportView({ report, options, onRecheck, onPublish, onCancel, busy }: {
  report: ImportReport;
  options: JobOptions;
  onRecheck: (o: JobOptions) => void;
  onPublish: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [mapping, setMapping] = useState<Record<string, number>>(report.columnMapping);
  const [error, setError] = useState<unknown>(null);
  const changed = JSON.stringify(mapping) !== JSON.stringify(report.columnMapping);
  const sheetValue = options.sheet ?? report.sheet;

  async function download() {
    if (!report.jobId) return;
    try {
      const r = await call('watchlists.exportReport', { jobId: report.jobId });
      downloadFile(r.fileName, base64ToBytes(r.contentBase64), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="report" data-testid="import-report">
      <div className="report-head">
        <div>
          <h4>{t('watchlists.reportTitle', { file: report.fileName })}</h4>
          <div className="muted small-text">
            {report.preset ? t(`watchlists.preset.${report.preset}`) : t('watchlists.reportSheet', { sheet: report.sheet, row: report.headerRow })} · {t('watchlists.sha256')}{' '}
            <code title={report.sha256}>{report.sha256.slice(0, 16)}…</code>
            {report.sourceDate && <> · <span data-testid="report-source-date">{t('stale.basisSource', { date: formatDob(report.sourceDate, currentLang()) })}</span></>}
          </div>
        </div>
        <dl className="counts">
          <div><dt>{t('watchlists.rowsRead')}</dt><dd data-testid="count-read">{report.rowsRead}</dd></div>
          <div className="good"><dt>{report.dryRun ? t('watchlists.willImport') : t('watchlists.imported')}</dt><dd data-testid="count-imported">{report.imported}</dd></div>
          <div className={report.rejected ? 'bad' : ''}><dt>{t('watchlists.rejected')}</dt><dd data-testid="count-rejected">{report.rejected}</dd></div>
          {Object.entries(report.skipped).filter(([, n]) => n > 0).map(([k, n]) => (
            <div key={k}><dt>{t(`watchlists.skipped.${k}`, { defaultValue: k })}</dt><dd data-testid={`count-skipped-${k}`}>{n}</dd></div>
          ))}
        </dl>
      </div>
      {report.sameFileAs && (
        <Notice kind="warning" testId="same-file">
          {t(report.sameFileAs.active ? 'watchlists.sameFileActive' : 'watchlists.sameFile', { version: report.sameFileAs.versionNumber })}
        </Notice>
      )}
      {report.diff && <DiffView diff={report.diff} />}
      <div className="report-body">
        {!report.preset && (
          <div className="report-mapping">
            <h5>
              {t('watchlists.mapping')} <span className="muted small-text">({t(`watchlists.mappingSource.${report.mappingSource}`)})</span>
            </h5>
            {report.sheets.length > 1 && (
              <Field label={t('watchlists.sheet')} className="inline-field">
                {(id) => (
                  <select id={id} value={sheetValue.includes(', ') ? '*' : sheetValue} disabled={busy} data-testid="sheet-select"
                    onChange={(e) => onRecheck({ dryRun: true, sheet: e.target.value })}>
                    {report.sheets.map((n) => <option key={n} value={n}>{n}</option>)}
                    <option value="*">{t('watchlists.allSheets')}</option>
                  </select>
                )}
              </Field>
            )}
            <table className="grid compact" data-testid="mapping-table">
              <thead><tr><th>{t('watchlists.mappingField')}</th><th>{t('watchlists.mappingHeader')}</th></tr></thead>
              <tbody>
                {IMPORT_FIELDS.map((field) => (
                  <tr key={field} data-field={field} className={mapping[field] === undefined ? 'unmapped' : ''}>
                    <td>{t(`mappingFields.${field}`, { defaultValue: field })}</td>
                    <td>
                      <select
                        value={mapping[field] ?? ''}
                        disabled={busy}
                        data-testid={`map-${field}`}
                        aria-label={t(`mappingFields.${field}`, { defaultValue: field })}
                        onChange={(e) => {
                          const next = { ...mapping };
                          if (e.target.value === '') delete next[field];
                          else next[field] = Number(e.target.value);
                          setMapping(next);
                        }}
                      >
                        <option value="">{t('watchlists.notMapped')}</option>
                        {report.columns.map((c) => (
                          <option key={c.index} value={c.index}>
                            {c.letter} · {c.header || t('watchlists.blankHeader')}{c.hidden ? ` (${t('watchlists.hiddenColumn')})` : ''}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">
              <button type="button" className="secondary small" disabled={!changed || busy} onClick={() => onRecheck({ dryRun: true, sheet: options.sheet, mapping, dateOrder: options.dateOrder })} data-testid="mapping-apply">
                {t('watchlists.applyMapping')}
              </button>
              <button type="button" className="secondary small" disabled={busy} onClick={() => setMapping(report.suggestedMapping)}>
                {t('watchlists.suggestedMapping')}
              </button>
            </div>
            {(report.dateColumns ?? []).map((d) => (
              <div key={`${d.sheet}/${d.column}`} className="report-dates" data-testid="report-date-column">
                <p>
                  {t('watchlists.dateColumn', { column: d.column, order: t(`watchlists.dateOrder.${d.order}`) })}{' '}
                  <span className="muted small-text">
                    ({t(`watchlists.dateWhy.${d.orderSource}`, { row: d.order === 'mdy' ? d.monthFirstRow : d.dayFirstRow, dayRow: d.dayFirstRow, monthRow: d.monthFirstRow, count: d.undecided })})
                  </span>
                  {d.compact.map((c) => <span key={c.digits}> · {t('watchlists.dateCompact', { digits: c.digits, rule: c.rule, fitting: c.fitting, count: c.values })}</span>)}
                  {d.twoDigitYears === 'be' && <span> · {t('watchlists.dateTwoDigitBe')}</span>}
                </p>
                <Field label={t('watchlists.dateOrder.label')} className="inline-field">
                  {(id) => (
                    <select id={id} value={options.dateOrder ?? ''} disabled={busy} data-testid="date-order-select"
                      onChange={(e) => onRecheck({ ...options, dryRun: true, dateOrder: e.target.value === 'mdy' || e.target.value === 'dmy' ? e.target.value : undefined })}>
                      <option value="">{t('watchlists.dateOrder.auto')}</option>
                      <option value="dmy">{t('watchlists.dateOrder.dmy')}</option>
                      <option value="mdy">{t('watchlists.dateOrder.mdy')}</option>
                    </select>
                  )}
                </Field>
              </div>
            ))}
          </div>
        )}
        <div className="report-problems">
          <h5>
            {t('watchlists.problems')}{' '}
            <span className="muted">({t('watchlists.errorsWarnings', { errors: report.errors, warnings: report.warnings })})</span>
          </h5>
          {report.problems.length === 0 ? (
            <p className="muted">{t('watchlists.noProblems')}</p>
          ) : (
            <div className="scroll-box">
              <table className="grid compact" data-testid="problems-table">
                <thead>
                  <tr>
                    <th>{t('watchlists.severity')}</th>
                    <th>{t('watchlists.sheet')}</th>
                    <th className="num">{t('watchlists.row')}</th>
                    <th>{t('watchlists.column')}</th>
                    <th>{t('watchlists.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p, i) => (
                    <tr key={i} className={`problem-${p.severity}`} data-testid="problem-row">
                      <td><span className={`badge sev-${p.severity}`}>{t(`severities.${p.severity}`)}</span></td>
                      <td className="problems-sheet">{p.sheet}</td>
                      <td className="num">{p.row}</td>
                      <td className="problems-col">{p.column ?? '—'}</td>
                      <td>{reasonMessage(p, t)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
      {report.preview.length > 0 && (
        <details className="report-preview" open={!report.diff}>
          <summary>{t('watchlists.preview', { count: report.preview.length })}</summary>
          <div className="scroll-box">
            <EntryTable entries={report.preview.slice(0, 20)} preview />
          </div>
        </details>
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <div className="actions">
        {report.dryRun && (report.imported === 0 ? (
          <Notice kind="warning">{t('watchlists.nothingToPublish')}</Notice>
        ) : (
          <button type="button" onClick={onPublish} disabled={busy || changed} title={changed ? t('watchlists.applyFirst') : undefined} data-testid="import-publish" className={report.errors ? 'warning-button' : ''}>
            {t('watchlists.publish')}
          </button>
        ))}
        <button type="button" className="secondary" onClick={() => void download()} disabled={busy || !report.jobId} data-testid="report-download">{t('watchlists.downloadReport')}</button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>{t('watchlists.cancel')}</button>
      </div>
    </div>
  );
}

export function DiffView({ diff }: { diff: NonNullable<ImportReport['diff']> }) {
  const { t } = useTranslation();
  const groups = (['added', 'changed', 'removed'] as const).filter((k) => diff.samples[k].length);
  return (
    <div className="diff" data-testid="import-diff">
      <h5>{t('watchlists.diffTitle', { version: diff.againstVersion })}</h5>
      <dl className="counts small">
        <div className="good"><dt>{t('watchlists.diffAdded')}</dt><dd data-testid="diff-added">{diff.added}</dd></div>
        <div className="warn"><dt>{t('watchlists.diffChanged')}</dt><dd data-testid="diff-changed">{diff.changed}</dd></div>
        <div className="bad"><dt>{t('watchlists.diffRemoved')}</dt><dd data-testid="diff-removed">{diff.removed}</dd></div>
        <div><dt>{t('watchlists.diffUnchanged')}</dt><dd data-testid="diff-unchanged">{diff.unchanged}</dd></div>
      </dl>
      {groups.length > 0 && (
        <table className="grid compact" data-testid="diff-table">
          <thead><tr><th>{t('watchlists.diffChange')}</th><th>{t('watchlists.colId')}</th><th className="num">{t('watchlists.colRow')}</th><th>{t('watchlists.colNames')}</th><th>{t('watchlists.diffFields')}</th></tr></thead>
          <tbody>
            {groups.flatMap((k) => diff.samples[k].map((i) => (
              <tr key={`${k}:${i.entryId}`} data-testid="diff-row" data-change={k}>
                <td><span className={`badge diff-${k}`}>{t(`watchlists.diff_${k}`)}</span></td>
                <td><code>{i.entryId}</code></td>
                <td className="num">{i.sourceRow}</td>
                <td>{i.name}</td>
                <td>{(i.fields ?? []).map((f) => t(`watchlists.diffField.${f}`, { defaultValue: f })).join(', ')}</td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
    </div>
  );
}
