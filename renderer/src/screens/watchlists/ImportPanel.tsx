/**
 * Importing a spreadsheet as a new list version: file, options, the background job with its
 * progress. A list the centre publishes is not imported on a desk that is not a publishing desk
 * (`central`: where the desk stands; the check is disabled with the reason).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../../shared/client';
import { type CentralStatusView, type ImportReport, type ListView } from '../../../../shared/contract';
import { LIST_KINDS, type ListKind } from '../../../../shared/domain';
import { call, fileToBase64 } from '../../api';
import { ErrorBox, Field, FilePicker, Notice } from '../../components/ui';
import { reason, reasonView } from '../../../../shared/reasons';
import { ImportReportView, type JobOptions } from './ImportReportView';
import { ManagedNotice, managedElsewhere } from './CentreActions';


export function ImportPanel({ lists, onPublished, central = null }: { lists: ListView[]; onPublished: () => Promise<void>; central?: CentralStatusView | null }) {
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
  const managed = managedElsewhere(existing, central);

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
        sheet: opts.sheet, mapping: opts.mapping, dateOrder: opts.dateOrder,
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
        <Field label={t('fields.listName')} hint={existing && !managed ? t('watchlists.existingKind', { kind: t(`kinds.${existing.kind}`) }) : undefined}>
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
            <FilePicker
              id={id} resetKey={fileKey} accept=".xlsx,.xls,.csv,.tsv,.txt,.xml" multiple testId="import-file"
              chooseLabel={t('watchlists.chooseFile')} emptyLabel={t('watchlists.noFile')} names={files.map((f) => f.name)}
              onFiles={(fs) => {
                // The OFAC set: the sdn file first, then alt and add.
                fs.sort((x, y) => Number(!/sdn/i.test(x.name)) - Number(!/sdn/i.test(y.name)));
                setFiles(fs);
                setReport(null);
                setPublished(null);
                setOptions({ dryRun: true });
                if (fs[0] && !listName.trim()) setListName(fs[0].name.replace(/\.[^.]+$/, ''));
              }}
            />
          )}
        </Field>
        <div className="field field-button">
          <button type="submit" disabled={!files.length || busy || managed} data-testid="import-check" aria-describedby={managed ? 'import-managed' : undefined}>
            {job?.dryRun ? t('watchlists.checking') : t('watchlists.check')}
          </button>
        </div>
      </form>
      {managed && <div id="import-managed"><ManagedNotice testId="import-managed" /></div>}
      {/* A retired list (issue 13, LifecyclePanel.tsx): checking is allowed, publishing is refused until it is reactivated. */}
      {existing?.retiredAt && !managed && <Notice kind="warning" testId="import-retired">{t('lifecycle.importRetired', { list: existing.name })}</Notice>}
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
        <Notice kind="success" testId="import-published" takeFocus>
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
