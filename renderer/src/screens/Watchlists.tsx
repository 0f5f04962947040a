/** Watchlists: import a spreadsheet (check first, then publish), the lists and their entries. */
import Fuse from 'fuse.js';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntryView, ImportReport, ListView } from '../../../shared/contract';
import { LIST_KINDS, type ListKind } from '../../../shared/domain';
import { call, fileToBase64 } from '../api';
import { ErrorBox, Field, KindBadge, Notice } from '../components/ui';
import { translateMessage } from '../errors';
import { formatDateTime, formatDob, nationalityLabel } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';

export function Watchlists() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [lists, setLists] = useState<ListView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [openList, setOpenList] = useState<ListView | null>(null);

  const reload = useCallback(
    () =>
      call('watchlists.list', {}).then(
        (l) => {
          setLists(l);
          setOpenList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
        },
        (e: unknown) => setError(e),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const canRead = hasRole(desk, 'supervisor', 'officer', 'auditor');
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
                  </td>
                  <td className="small-text" title={l.activeVersion ? `${l.activeVersion.fileName}\nSHA-256 ${l.activeVersion.sha256}` : ''}>
                    {l.activeVersion ? `${l.activeVersion.fileName} · ${formatDateTime(l.activeVersion.createdAt, desk.timeZone, currentLang(), false)}` : ''}
                  </td>
                  <td className="right">
                    {canRead && l.activeVersion && (
                      <button type="button" className="secondary small" onClick={() => setOpenList(openList?.id === l.id ? null : l)} data-testid="view-entries">
                        {openList?.id === l.id ? t('watchlists.hide') : t('watchlists.view')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {openList && <EntriesPanel key={`${openList.id}:${openList.activeVersion?.id ?? ''}`} list={openList} />}
    </div>
  );
}

function ImportPanel({ lists, onPublished }: { lists: ListView[]; onPublished: () => Promise<void> }) {
  const { t } = useTranslation();
  const [listName, setListName] = useState('');
  const [chosenKind, setKind] = useState<ListKind>('wanted');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [published, setPublished] = useState<(ImportReport & { listName: string }) | null>(null);
  const [busy, setBusy] = useState<'check' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const existing = lists.find((l) => l.name.trim().toLowerCase() === listName.trim().toLowerCase());

  const kind = existing ? existing.kind : chosenKind;

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'publish');
    setError(null);
    if (dryRun) setPublished(null);
    try {
      const contentBase64 = await fileToBase64(file);
      const name = listName.trim() || file.name.replace(/\.[^.]+$/, '');
      const r = await call('watchlists.import', { listName: name, kind, fileName: file.name, contentBase64, dryRun });
      if (dryRun) setReport(r);
      else {
        setReport(null);
        setPublished(r.published ? { ...r, listName: name } : null);
        if (!r.published) setReport(r);
        setFile(null);
        setFileKey((k) => k + 1);
        await onPublished();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  function check(e: FormEvent) {
    e.preventDefault();
    void run(true);
  }

  return (
    <section className="panel">
      <h3>{t('watchlists.importTitle')}</h3>
      <p className="muted small-text">{t('watchlists.importHelp')}</p>
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
                className="visually-hidden"
                accept=".xlsx,.xls,.csv,.tsv,.txt"
                data-testid="import-file"
                onChange={(e) => {
                  const f = e.target.files?.[0] ?? null;
                  setFile(f);
                  setReport(null);
                  setPublished(null);
                  if (f && !listName.trim()) setListName(f.name.replace(/\.[^.]+$/, ''));
                }}
              />
              <label htmlFor={id} className="file-button">
                {t('watchlists.chooseFile')}
              </label>
              <span className={file ? 'file-name' : 'file-name muted'} data-testid="import-file-name">{file ? file.name : t('watchlists.noFile')}</span>
            </div>
          )}
        </Field>
        <div className="field field-button">
          <button type="submit" disabled={!file || busy !== null} data-testid="import-check">
            {busy === 'check' ? t('watchlists.checking') : t('watchlists.check')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      {published && (
        <Notice kind="success" testId="import-published">
          {t('watchlists.published', { version: published.versionNumber, list: published.listName, count: published.imported })}
        </Notice>
      )}
      {report && (
        <ImportReportView
          report={report}
          onPublish={() => void run(false)}
          onCancel={() => {
            setReport(null);
            setFile(null);
            setFileKey((k) => k + 1);
          }}
          busy={busy === 'publish'}
        />
      )}
    </section>
  );
}

function ImportReportView({ report, onPublish, onCancel, busy }: { report: ImportReport; onPublish: () => void; onCancel: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  return (
    <div className="report" data-testid="import-report">
      <div className="report-head">
        <div>
          <h4>{t('watchlists.reportTitle', { file: report.fileName })}</h4>
          <div className="muted small-text">
            {t('watchlists.reportSheet', { sheet: report.sheet, row: report.headerRow })} · {t('watchlists.sha256')}{' '}
            <code title={report.sha256}>{report.sha256.slice(0, 16)}…</code>
          </div>
        </div>
        <dl className="counts">
          <div><dt>{t('watchlists.rowsRead')}</dt><dd data-testid="count-read">{report.rowsRead}</dd></div>
          <div className="good"><dt>{report.dryRun ? t('watchlists.willImport') : t('watchlists.imported')}</dt><dd data-testid="count-imported">{report.imported}</dd></div>
          <div className={report.rejected ? 'bad' : ''}><dt>{t('watchlists.rejected')}</dt><dd data-testid="count-rejected">{report.rejected}</dd></div>
        </dl>
      </div>
      <div className="report-body">
        <div className="report-mapping">
          <h5>{t('watchlists.mapping')}</h5>
          <table className="grid compact" data-testid="mapping-table">
            <thead><tr><th>{t('watchlists.mappingField')}</th><th>{t('watchlists.mappingHeader')}</th></tr></thead>
            <tbody>
              {Object.entries(report.mapping).map(([field, header]) => (
                <tr key={field} data-field={field}>
                  <td>{t(`mappingFields.${field}`, { defaultValue: field })}</td>
                  <td><code>{header}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="report-problems">
          <h5>
            {t('watchlists.problems')} <span className="muted">({t('watchlists.problemsCount', { count: report.problems.length })})</span>
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
                      <td>{translateMessage(p.message, t)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
      {report.dryRun && (
        <div className="actions">
          {report.imported === 0 ? (
            <Notice kind="warning">{t('watchlists.nothingToPublish')}</Notice>
          ) : (
            <button type="button" onClick={onPublish} disabled={busy} data-testid="import-publish" className={errors ? 'warning-button' : ''}>
              {busy ? t('watchlists.publishing') : t('watchlists.publish')}
            </button>
          )}
          <button type="button" className="secondary" onClick={onCancel} disabled={busy}>{t('watchlists.cancel')}</button>
        </div>
      )}
    </div>
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
