/** Watchlists: import a spreadsheet (check first, then publish), the lists and their entries. */
import Fuse from 'fuse.js';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import { MAX_ACTION_TEXT, type EntryView, type ImportReport, type ListVersionDetail, type ListView } from '../../../shared/contract';
import { BANDS, DEFAULT_THRESHOLDS, LIST_KINDS, type Band, type ListKind } from '../../../shared/domain';
import { base64ToBytes, call, downloadFile, fileToBase64 } from '../api';
import { ErrorBox, Field, KindBadge, Notice } from '../components/ui';
import { reasonMessage } from '../errors';
import { formatDateTime, formatDob, nationalityLabel } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { reason, reasonView } from '../../../shared/reasons';

export function Watchlists() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [lists, setLists] = useState<ListView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [openList, setOpenList] = useState<ListView | null>(null);
  const [historyList, setHistoryList] = useState<ListView | null>(null);
  const [settingsList, setSettingsList] = useState<ListView | null>(null);

  const reload = useCallback(
    () =>
      call('watchlists.list', {}).then(
        (l) => {
          setLists(l);
          setOpenList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
          setHistoryList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
          setSettingsList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
        },
        (e: unknown) => setError(e),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const canRead = hasRole(desk, 'supervisor', 'officer', 'auditor');
  const canHistory = hasRole(desk, 'supervisor', 'auditor');
  return (
    <div className="screen" data-testid="screen-watchlists">
      <h2 className="screen-title">{t('watchlists.title')}</h2>
      {hasRole(desk, 'supervisor') ? <ImportPanel lists={lists} onPublished={reload} /> : <Notice>{t('watchlists.noImportRole')}</Notice>}
      <section className="panel">
        <h3>{t('watchlists.listsTitle')}</h3>
        <ErrorBox error={error} onDismiss={() => setError(null)} />
        {lists.length === 0 ? (
          <p className="muted" data-testid="no-lists">{t('watchlists.noLists')}</p>
        ) : (
          <table className="grid" data-testid="lists-table">
            <thead>
              <tr>
                <th>{t('watchlists.colName')}</th>
                <th>{t('watchlists.colKind')}</th>
                <th className="num">{t('watchlists.colVersion')}</th>
                <th className="num">{t('watchlists.colEntries')}</th>
                <th className="num">{t('watchlists.colAge')}</th>
                <th>{t('watchlists.colState')}</th>
                <th>{t('watchlists.colBands')}</th>
                <th>{t('watchlists.colFile')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr key={l.id} data-testid="list-row" data-list={l.name} className={openList?.id === l.id ? 'selected' : ''}>
                  <td><b>{l.name}</b></td>
                  <td><KindBadge kind={l.kind} /></td>
                  <td className="num" data-testid="list-version">{l.activeVersion ? l.activeVersion.number : t('watchlists.noVersion')}</td>
                  <td className="num" data-testid="list-count">{l.activeVersion?.entryCount ?? 0}</td>
                  <td className="num">{l.ageDays === null ? '—' : t('watchlists.ageDays', { count: l.ageDays })}</td>
                  <td>
                    {l.activeVersion &&
                      (l.stale ? <span className="badge stale" data-testid="stale">{t('watchlists.stale')}</span> : <span className="badge ok">{t('watchlists.current')}</span>)}
                    {l.pendingVersion !== null && <> <span className="badge pending" data-testid="pending">{t('watchlists.pendingBadge', { version: l.pendingVersion })}</span></>}
                  </td>
                  <td className="nowrap"><Bands list={l} /></td>
                  <td className="small-text" title={l.activeVersion ? `${l.activeVersion.fileName}\nSHA-256 ${l.activeVersion.sha256}` : ''}>
                    {l.activeVersion ? `${l.activeVersion.fileName} · ${formatDateTime(l.activeVersion.createdAt, desk.timeZone, currentLang(), false)}` : ''}
                  </td>
                  <td className="right">
                    {canRead && l.activeVersion && (
                      <button type="button" className="secondary small" onClick={() => setOpenList(openList?.id === l.id ? null : l)} data-testid="view-entries">
                        {openList?.id === l.id ? t('watchlists.hide') : t('watchlists.view')}
                      </button>
                    )}{' '}
                    {canHistory && (
                      <button type="button" className="secondary small" onClick={() => setHistoryList(historyList?.id === l.id ? null : l)} data-testid="view-versions">
                        {historyList?.id === l.id ? t('watchlists.hideVersions') : t('watchlists.versions')}
                      </button>
                    )}{' '}
                    <button type="button" className="secondary small" onClick={() => setSettingsList(settingsList?.id === l.id ? null : l)} data-testid="view-settings">
                      {settingsList?.id === l.id ? t('watchlists.hideSettings') : t('watchlists.settings')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {settingsList && <SettingsPanel key={settingsList.id} list={settingsList} canEdit={hasRole(desk, 'supervisor', 'admin')} onChanged={reload} />}
      {historyList && <VersionsPanel list={historyList} onChanged={reload} />}
      {openList && <EntriesPanel key={`${openList.id}:${openList.activeVersion?.id ?? ''}`} list={openList} />}
    </div>
  );
}

/** Fields a column can be mapped to (electron/core/watchlists/mapping.ts FIELDS). */
const IMPORT_FIELDS = [
  'externalId', 'fullName', 'givenNames', 'middleName', 'surname', 'nativeName', 'aliases',
  'dateOfBirth', 'sex', 'nationality', 'passport', 'nationalId', 'reference', 'reason', 'remarks',
] as const;

interface JobOptions {
  dryRun: boolean;
  sheet?: string;
  mapping?: Record<string, number>;
}

function ImportPanel({ lists, onPublished }: { lists: ListView[]; onPublished: () => Promise<void> }) {
  const { t } = useTranslation();
  const [listName, setListName] = useState('');
  const [chosenKind, setKind] = useState<ListKind>('wanted');
  const [files, setFiles] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [options, setOptions] = useState<JobOptions>({ dryRun: true });
  const [published, setPublished] = useState<(ImportReport & { listName: string }) | null>(null);
  const [job, setJob] = useState<{ id: string | null; dryRun: boolean; fraction: number } | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const existing = lists.find((l) => l.name.trim().toLowerCase() === listName.trim().toLowerCase());
  const kind = existing ? existing.kind : chosenKind;
  const busy = job !== null;

  async function run(opts: JobOptions) {
    if (!files.length) return;
    setJob({ id: null, dryRun: opts.dryRun, fraction: 0 });
    setError(null);
    setCancelled(false);
    if (opts.dryRun) setPublished(null);
    try {
      const [first, ...rest] = files;
      const name = listName.trim() || first!.name.replace(/\.[^.]+$/, '');
      const { jobId } = await call('watchlists.importStart', {
        listName: name, kind, fileName: first!.name, contentBase64: await fileToBase64(first!), dryRun: opts.dryRun,
        sheet: opts.sheet, mapping: opts.mapping,
        extraFiles: rest.length ? await Promise.all(rest.map(async (f) => ({ fileName: f.name, contentBase64: await fileToBase64(f) }))) : undefined,
      });
      setJob({ id: jobId, dryRun: opts.dryRun, fraction: 0 });
      let s = await call('watchlists.importStatus', { jobId });
      while (s.state === 'running') {
        await new Promise((r) => setTimeout(r, 250));
        s = await call('watchlists.importStatus', { jobId });
        setJob({ id: jobId, dryRun: opts.dryRun, fraction: s.fraction });
      }
      if (s.state === 'cancelled') {
        setCancelled(true);
        return;
      }
      if (s.state === 'failed' || !s.report) {
        setError(new ApiCallError(s.error ?? { code: 'internal', ...reasonView(reason('import.internal')) }));
        return;
      }
      const r = s.report;
      setOptions(opts);
      if (opts.dryRun) setReport(r);
      else {
        setReport(r.published || r.pendingApproval ? null : r);
        setPublished(r.published || r.pendingApproval ? { ...r, listName: name } : null);
        if (r.published || r.pendingApproval) {
          setFiles([]);
          setFileKey((k) => k + 1);
        }
        await onPublished();
      }
    } catch (e) {
      setError(e);
    } finally {
      setJob(null);
    }
  }

  function check(e: FormEvent) {
    e.preventDefault();
    void run({ dryRun: true });
  }

  return (
    <section className="panel">
      <h3>{t('watchlists.importTitle')}</h3>
      <p className="muted small-text">{t('watchlists.importHelp')} {t('watchlists.importFormats')}</p>
      <form className="import-form" onSubmit={check} data-testid="import-form">
        <Field label={t('fields.listName')} hint={existing ? t('watchlists.existingKind', { kind: t(`kinds.${existing.kind}`) }) : undefined}>
          {(id) => (
            <>
              <input id={id} value={listName} onChange={(e) => setListName(e.target.value)} list={`${id}-lists`} placeholder={t('watchlists.newList')} maxLength={120} />
              <datalist id={`${id}-lists`}>{lists.map((l) => <option key={l.id} value={l.name} />)}</datalist>
            </>
          )}
        </Field>
        <Field label={t('fields.kind')}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as ListKind)} disabled={Boolean(existing)}>
              {LIST_KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('fields.file')}>
          {(id) => (
            <div className="file-picker">
              <input
                key={fileKey}
                id={id}
                type="file"
                multiple
                className="visually-hidden"
                accept=".xlsx,.xls,.csv,.tsv,.txt,.xml"
                data-testid="import-file"
                onChange={(e) => {
                  const fs = Array.from(e.target.files ?? []);
                  // The OFAC set: the sdn file first, then alt and add.
                  fs.sort((x, y) => Number(!/sdn/i.test(x.name)) - Number(!/sdn/i.test(y.name)));
                  setFiles(fs);
                  setReport(null);
                  setPublished(null);
                  setOptions({ dryRun: true });
                  if (fs[0] && !listName.trim()) setListName(fs[0].name.replace(/\.[^.]+$/, ''));
                }}
              />
              <label htmlFor={id} className="file-button">
                {t('watchlists.chooseFile')}
              </label>
              <span className={files.length ? 'file-name' : 'file-name muted'} data-testid="import-file-name">
                {files.length ? files.map((f) => f.name).join(' + ') : t('watchlists.noFile')}
              </span>
            </div>
          )}
        </Field>
        <div className="field field-button">
          <button type="submit" disabled={!files.length || busy} data-testid="import-check">
            {job?.dryRun ? t('watchlists.checking') : t('watchlists.check')}
          </button>
        </div>
      </form>
      {job && (
        <div className="import-progress" data-testid="import-progress">
          <span>{job.dryRun ? t('watchlists.checking') : t('watchlists.publishing')}</span>
          <progress max={1} value={job.fraction} aria-label={t('watchlists.progress')} />
          <span className="num">{Math.round(job.fraction * 100)}%</span>
          <button
            type="button"
            className="secondary small"
            disabled={!job.id}
            onClick={() => job.id && void call('watchlists.importCancel', { jobId: job.id }).catch((e: unknown) => setError(e))}
            data-testid="import-cancel"
          >
            {t('watchlists.stop')}
          </button>
        </div>
      )}
      {cancelled && <Notice kind="warning" testId="import-cancelled">{t('watchlists.cancelledNotice')}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      {published && (
        <Notice kind="success" testId="import-published">
          {published.pendingApproval
            ? t('watchlists.pendingNotice', { version: published.versionNumber, list: published.listName })
            : t('watchlists.published', { version: published.versionNumber, list: published.listName, count: published.imported })}
        </Notice>
      )}
      {report && (
        <ImportReportView
          key={report.jobId ?? ''}
          report={report}
          options={options}
          onRecheck={(o) => void run({ ...o, dryRun: true })}
          onPublish={() => void run({ ...options, dryRun: false })}
          onCancel={() => {
            setReport(null);
            setFiles([]);
            setFileKey((k) => k + 1);
          }}
          busy={busy}
        />
      )}
    </section>
  );
}

function ImportReportView({ report, options, onRecheck, onPublish, onCancel, busy }: {
  report: ImportReport;
  options: JobOptions;
  onRecheck: (o: JobOptions) => void;
  onPublish: () => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const lang = currentLang();
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
              <button type="button" className="secondary small" disabled={!changed || busy} onClick={() => onRecheck({ dryRun: true, sheet: options.sheet, mapping })} data-testid="mapping-apply">
                {t('watchlists.applyMapping')}
              </button>
              <button type="button" className="secondary small" disabled={busy} onClick={() => setMapping(report.suggestedMapping)}>
                {t('watchlists.suggestedMapping')}
              </button>
            </div>
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
            <table className="grid compact" data-testid="preview-table">
              <thead>
                <tr>
                  <th className="num">{t('watchlists.colRow')}</th>
                  <th>{t('watchlists.colNames')}</th>
                  <th>{t('watchlists.colDob')}</th>
                  <th>{t('watchlists.colSex')}</th>
                  <th>{t('watchlists.colNationality')}</th>
                  <th>{t('watchlists.colDocuments')}</th>
                  <th>{t('watchlists.colReference')}</th>
                </tr>
              </thead>
              <tbody>
                {report.preview.slice(0, 20).map((e) => (
                  <tr key={`${e.entryId}:${e.sourceRow}`} data-testid="preview-row">
                    <td className="num">{e.sourceRow}</td>
                    <td>{e.names.map((n, i) => <div key={i} className={n.kind === 'alias' ? 'alias' : 'primary-name'}>{n.name}</div>)}</td>
                    <td className="nowrap">{formatDob(e.dateOfBirth, lang)}</td>
                    <td>{e.sex ? t(`sexes.${e.sex}`) : ''}</td>
                    <td>{e.nationalities.map((n) => nationalityLabel(n, lang)).join(', ')}</td>
                    <td>{e.documents.map((d, i) => <div key={i}><code>{d.number}</code></div>)}</td>
                    <td>{e.reference}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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

function DiffView({ diff }: { diff: NonNullable<ImportReport['diff']> }) {
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

function VersionsPanel({ list, onChanged }: { list: ListView; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const [versions, setVersions] = useState<ListVersionDetail[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const supervisor = hasRole(desk, 'supervisor');
  const load = useCallback(() => call('watchlists.versions', { listId: list.id }).then(setVersions, (e: unknown) => setError(e)), [list.id]);
  useEffect(() => {
    void load();
  }, [load, list.activeVersion?.id, list.pendingVersion]);

  async function act(f: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await f();
      await onChanged();
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" data-testid="versions-panel">
      <div className="panel-head">
        <h3>{t('watchlists.versionsTitle', { list: list.name })}</h3>
        {supervisor && (
          <label className="checkbox-inline">
            <input type="checkbox" checked={list.requireApproval} disabled={busy} data-testid="require-approval"
              onChange={(e) => void act(() => call('watchlists.setApproval', { listId: list.id, requireApproval: e.target.checked }))} />
            {t('watchlists.requireApproval')}
          </label>
        )}
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <table className="grid" data-testid="versions-table">
        <thead>
          <tr>
            <th className="num">{t('watchlists.colVersionNo')}</th>
            <th>{t('watchlists.colState')}</th>
            <th>{t('watchlists.colFile')}</th>
            <th>{t('watchlists.colImported')}</th>
            <th className="num">{t('watchlists.colEntries')}</th>
            <th>{t('watchlists.colChanges')}</th>
            <th>{t('watchlists.colApproved')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-testid="version-row" data-version={v.number} className={v.active ? 'selected' : ''}>
              <td className="num">{v.number}</td>
              <td>
                <span className={`badge version-${v.active ? 'active' : v.state}`} data-testid="version-state">
                  {v.active ? t('watchlists.versionActive') : t(`watchlists.versionState.${v.state}`)}
                </span>
              </td>
              <td className="small-text" title={`SHA-256 ${v.sha256}`}>{v.fileName}</td>
              <td className="small-text">{formatDateTime(v.createdAt, desk.timeZone, currentLang(), false)} · {v.createdBy}</td>
              <td className="num">{v.imported}</td>
              <td className="small-text nowrap">{v.diff && v.diff.againstVersion !== null ? `+${v.diff.added} −${v.diff.removed} ~${v.diff.changed}` : '—'}</td>
              <td className="small-text">{v.approvedBy ? `${v.approvedBy} · ${formatDateTime(v.approvedAt!, desk.timeZone, currentLang(), false)}` : ''}</td>
              <td className="right nowrap">
                {supervisor && !v.active && (v.state === 'superseded' || v.state === 'published') && (
                  <button type="button" className="secondary small" disabled={busy} data-testid="version-rollback"
                    onClick={() => window.confirm(t('watchlists.rollbackConfirm', { version: v.number, list: list.name })) && void act(() => call('watchlists.rollback', { listId: list.id, versionId: v.id }))}>
                    {t('watchlists.rollback')}
                  </button>
                )}
                {supervisor && v.state === 'pending' && (
                  <>
                    <button type="button" className="small" disabled={busy} data-testid="version-approve" onClick={() => void act(() => call('watchlists.approve', { versionId: v.id }))}>{t('watchlists.approve')}</button>{' '}
                    <button type="button" className="secondary small" disabled={busy} data-testid="version-reject" onClick={() => void act(() => call('watchlists.reject', { versionId: v.id }))}>{t('watchlists.reject')}</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A list's score bands (0..1) as three band-coloured values; "own" when the list overrides a default. */
function Bands({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const f = (n: number) => n.toFixed(2);
  const own = BANDS.some((b) => list.overrides[b] !== null) || list.overrides.actionText !== null;
  return (
    <span className="list-bands" data-testid="list-bands" title={t('watchlists.bandsTitle', { strong: f(list.thresholds.strong), review: f(list.thresholds.review), weak: f(list.thresholds.weak) })}>
      {BANDS.map((b) => <span key={b} className={`badge band-${b}`} data-band={b}>{f(list.thresholds[b])}</span>)}
      {own && <span className="muted small-text" title={t('watchlists.bandsOwnTitle')}>{t('watchlists.bandsOwn')}</span>}
    </span>
  );
}

type SettingsForm = Record<Band, string> & { actionText: string };

function settingsForm(l: ListView): SettingsForm {
  const o = l.overrides;
  const v = (n: number | null) => (n === null ? '' : String(n));
  return { strong: v(o.strong), review: v(o.review), weak: v(o.weak), actionText: o.actionText ?? '' };
}

/**
 * A list's own score bands and action text. Supervisors and admins edit them (empty = default;
 * the engine checks the order and audits the change); everyone else sees them read-only.
 */
function SettingsPanel({ list, canEdit, onChanged }: { list: ListView; canEdit: boolean; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const stored = useMemo(() => settingsForm(list), [list]);
  const [form, setForm] = useState<SettingsForm>(stored);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const storedKey = JSON.stringify(stored);
  // The list changed (saved here, or reloaded): the form follows it (React's "adjust state on prop change").
  const [formOf, setFormOf] = useState(storedKey);
  if (formOf !== storedKey) {
    setFormOf(storedKey);
    setForm(stored);
  }
  const changed = JSON.stringify(form) !== storedKey;
  const hasOwn = Object.values(stored).some((v) => v !== '');
  const defaultAction = t(`actions.${list.kind}`);

  async function send(payload: { thresholds: Record<Band, number | null> | null; actionText: string | null }) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await call('watchlists.setSettings', { listId: list.id, ...payload });
      setSaved(true);
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const thresholds = {} as Record<Band, number | null>;
    for (const b of BANDS) {
      const text = form[b].trim().replace(',', '.');
      if (!text) thresholds[b] = null;
      else if (/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) thresholds[b] = Number(text);
      else {
        setProblem(t('listSettings.notANumber', { field: t(`fields.${b}`) }));
        return;
      }
    }
    void send({ thresholds, actionText: form.actionText.trim() || null });
  }

  const set = (k: keyof SettingsForm) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };

  return (
    <section className="panel" data-testid="settings-panel">
      <h3>{t('listSettings.title', { list: list.name })}</h3>
      <p className="muted small-text">{t('listSettings.help')}</p>
      {!canEdit && <Notice testId="settings-readonly">{t('listSettings.readOnly')}</Notice>}
      <form className="list-settings-form" onSubmit={save} data-testid="settings-form">
        <fieldset className="band-inputs">
          <legend>{t('listSettings.thresholds')}</legend>
          {BANDS.map((b) => (
            <Field key={b} label={t(`fields.${b}`)} hint={t('listSettings.defaultValue', { value: DEFAULT_THRESHOLDS[b].toFixed(2) })} className={`band-field band-field-${b}`}>
              {(id) => (
                <input id={id} type="text" inputMode="decimal" autoComplete="off" value={form[b]} onChange={set(b)} readOnly={!canEdit}
                  placeholder={DEFAULT_THRESHOLDS[b].toFixed(2)} data-testid={`threshold-${b}`} />
              )}
            </Field>
          ))}
        </fieldset>
        <Field label={t('fields.actionText')} hint={t('listSettings.actionHint', { kind: t(`kinds.${list.kind}`) })} className="action-field">
          {(id) => (
            <textarea id={id} rows={2} maxLength={MAX_ACTION_TEXT} value={form.actionText} onChange={set('actionText')} readOnly={!canEdit}
              placeholder={defaultAction} data-testid="action-text" />
          )}
        </Field>
        {problem && <div className="alert alert-error" role="alert" data-testid="settings-problem"><div className="alert-body">{problem}</div></div>}
        <ErrorBox error={error} onDismiss={() => setError(null)} testId="settings-error" />
        {saved && !changed && <Notice kind="success" testId="settings-saved">{t('listSettings.saved')}</Notice>}
        {canEdit && (
          <div className="actions">
            <button type="submit" disabled={busy || !changed} data-testid="settings-save">{busy ? t('listSettings.saving') : t('listSettings.save')}</button>
            <button type="button" className="secondary" disabled={busy || !hasOwn} data-testid="settings-reset"
              onClick={() => { setProblem(null); void send({ thresholds: null, actionText: null }); }}>
              {t('listSettings.reset')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

const PAGE = 100;

function EntriesPanel({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; entries: EntryView[] }>({ total: 0, entries: [] });
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call('watchlists.entries', { listId: list.id, offset, limit: PAGE })
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [list.id, offset]);

  const fuse = useMemo(
    () => new Fuse(page.entries, { keys: ['names.name', 'entryId', 'documents.number', 'reference', 'reason'], threshold: 0.35, ignoreLocation: true }),
    [page.entries],
  );
  const shown = filter.trim() ? fuse.search(filter.trim()).map((r) => r.item) : page.entries;

  return (
    <section className="panel" data-testid="entries-panel">
      <div className="panel-head">
        <h3>{t('watchlists.entriesTitle', { list: list.name, version: list.activeVersion?.number ?? '—' })}</h3>
        <Field label={t('watchlists.filter')} className="inline-field">
          {(id) => <input id={id} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('watchlists.filterPlaceholder')} data-testid="entries-filter" />}
        </Field>
      </div>
      <ErrorBox error={error} />
      <div className="muted small-text">
        {t('watchlists.showing', { from: page.total ? offset + 1 : 0, to: offset + page.entries.length, total: page.total })}
        {filter.trim() && ` · ${t('watchlists.filtered', { count: shown.length })}`}
      </div>
      <table className="grid" data-testid="entries-table">
        <thead>
          <tr>
            <th>{t('watchlists.colId')}</th>
            <th className="num">{t('watchlists.colRow')}</th>
            <th>{t('watchlists.colNames')}</th>
            <th>{t('watchlists.colDob')}</th>
            <th>{t('watchlists.colSex')}</th>
            <th>{t('watchlists.colNationality')}</th>
            <th>{t('watchlists.colDocuments')}</th>
            <th>{t('watchlists.colReference')}</th>
            <th>{t('watchlists.colReason')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.id} data-testid="entry-row">
              <td><code>{e.entryId}</code></td>
              <td className="num">{e.sourceRow}</td>
              <td>
                {e.names.map((n, i) => (
                  <div key={i} className={n.kind === 'alias' ? 'alias' : 'primary-name'}>
                    {n.name}
                    {n.kind === 'alias' && <span className="muted"> ({t('watchlists.alias')})</span>}
                  </div>
                ))}
              </td>
              <td className="nowrap">{formatDob(e.dateOfBirth, lang)}</td>
              <td>{e.sex ? t(`sexes.${e.sex}`) : ''}</td>
              <td>{e.nationalities.map((n) => nationalityLabel(n, lang)).join(', ')}</td>
              <td>{e.documents.map((d) => <div key={d.number}><code>{d.number}</code>{d.issuer ? ` (${d.issuer})` : ''}</div>)}</td>
              <td>{e.reference}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.total > PAGE && (
        <div className="pager">
          <button type="button" className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('watchlists.prev')}</button>
          <button type="button" className="secondary small" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>{t('watchlists.next')}</button>
        </div>
      )}
    </section>
  );
}
