/**
 * Batch screening: a passenger manifest (csv/xlsx) screened in the background by the engine, with
 * its progress and a Cancel button, then the travelers with their hits (filter, expand), the rows
 * that could not be screened, and an export built by the engine (xlsx or csv, audited).
 */
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import type { BatchJobStatus, BatchRow, HitView } from '../../../shared/contract';
import { needsDecision } from '../../../shared/domain';
import { reason, reasonView } from '../../../shared/reasons';
import { base64ToBytes, call, downloadFile, fileToBase64 } from '../api';
import { BandBadge, ErrorBox, Field, FilePicker, KindBadge, Notice } from '../components/ui';
import { explanationText, reasonMessage } from '../errors';
import { formatDob, formatScore } from '../format';
import { currentLang } from '../i18n';

const POLL_MS = 250;
const PAGE = 200;
/** Hits kept per traveler. */
const TOP = 5;
/** Minutes the engine keeps a result (electron/core/batch.ts BATCH_KEEP_MS). */
const KEEP_MINUTES = 30;
const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
} as const;

/** The batch this window follows, kept across screen changes so that coming back shows it. */
let followed: string | null = null;

const atReview = (hits: HitView[]): number => hits.filter((h) => needsDecision(h.band)).length;
const entryName = (h: HitView): string => h.entry.names.find((n) => n.kind === 'primary')?.name ?? h.entry.names[0]?.name ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function BatchScreening() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  // The job followed; back on this screen while one is followed, its progress until the engine says where it is.
  const [jobId, setJobId] = useState<string | null>(followed);
  const [running, setRunning] = useState<{ jobId: string | null; done: number; total: number | null } | null>(
    () => (followed ? { jobId: followed, done: 0, total: null } : null),
  );
  const [finished, setFinished] = useState<BatchJobStatus | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [withHitsOnly, setWithHitsOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const [exported, setExported] = useState<{ rows: number; fileName: string; sha256: string } | null>(null);
  const cancelWanted = useRef(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const resultsTitle = useRef<HTMLHeadingElement>(null);

  // Polls the followed job until it ends; stops quietly when the screen is left (the job runs on).
  useEffect(() => {
    if (!jobId) return;
    followed = jobId;
    let live = true;
    const poll = async (): Promise<void> => {
      for (;;) {
        if (cancelWanted.current) {
          cancelWanted.current = false;
          await call('screening.batchCancel', { jobId });
        }
        const s = await call('screening.batchStatus', { jobId });
        if (!live) return;
        if (s.state === 'running') {
          setRunning({ jobId, done: s.done, total: s.total });
          await sleep(POLL_MS);
          if (!live) return;
          continue;
        }
        setRunning(null);
        setCancelling(false);
        if (s.state === 'failed' || !s.result) {
          followed = null;
          setError(new ApiCallError(s.error ?? { code: 'internal', ...reasonView(reason('batch.internal')) }));
        } else setFinished(s);
        return;
      }
    };
    poll().catch((e: unknown) => {
      if (!live) return;
      followed = null;
      setRunning(null);
      setCancelling(false);
      // A result forgotten meanwhile (time limit, signed out) is simply gone.
      if (!(e instanceof ApiCallError && e.code === 'not_found')) setError(e);
    });
    return () => {
      live = false;
    };
  }, [jobId]);

  // Focus follows the work: Cancel while it runs, then the results (a disabled button would drop focus to the page).
  const isRunning = running !== null;
  useEffect(() => {
    if (isRunning) cancelButton.current?.focus();
  }, [isRunning]);
  useEffect(() => {
    if (finished) resultsTitle.current?.focus();
  }, [finished]);

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!file || running) return;
    setError(null);
    setExported(null);
    setFinished(null);
    setExpanded(new Set());
    setOffset(0);
    cancelWanted.current = false;
    setRunning({ jobId: null, done: 0, total: null });
    try {
      const started = await call('screening.batchStart', { fileName: file.name, contentBase64: await fileToBase64(file), top: TOP });
      setJobId(started.jobId);
    } catch (err) {
      setRunning(null);
      setCancelling(false);
      setError(err);
    }
  }

  function cancel() {
    setCancelling(true);
    if (!running?.jobId) {
      cancelWanted.current = true; // sent as soon as the engine names the job
      return;
    }
    call('screening.batchCancel', { jobId: running.jobId }).catch((e: unknown) => setError(e));
  }

  function clear() {
    if (finished) void call('screening.batchDiscard', { jobId: finished.jobId }).catch(() => {});
    followed = null;
    setJobId(null);
    setFinished(null);
    setExported(null);
    setExpanded(new Set());
    setFile(null);
    setFileKey((k) => k + 1);
  }

  async function exportAs(format: 'xlsx' | 'csv') {
    if (!finished) return;
    setExporting(format);
    setError(null);
    setExported(null);
    try {
      const r = await call('screening.batchExport', { jobId: finished.jobId, format, withHitsOnly });
      downloadFile(r.fileName, base64ToBytes(r.contentBase64), MIME[format]);
      setExported(r);
    } catch (e) {
      setError(e);
    } finally {
      setExporting(null);
    }
  }

  function toggle(row: number) {
    setExpanded((s) => {
      const n = new Set(s);
      if (!n.delete(row)) n.add(row);
      return n;
    });
  }

  const result = finished?.result ?? null;
  const rows = result ? (withHitsOnly ? result.rows.filter((r) => r.hits.length) : result.rows) : [];
  const shown = rows.slice(offset, offset + PAGE);
  return (
    <div className="screen" data-testid="screen-batch">
      <h2 className="screen-title">{t('batch.title')}</h2>
      <section className="panel">
        <h3>{t('batch.uploadTitle')}</h3>
        <p className="muted small-text">{t('batch.help', { minutes: KEEP_MINUTES })}</p>
        <form className="batch-form" onSubmit={(e) => void start(e)} data-testid="batch-form">
          <Field label={t('batch.file')}>
            {(id) => (
              <FilePicker
                id={id} resetKey={fileKey} accept=".csv,.xlsx,.xls,.tsv,.txt" disabled={isRunning} testId="batch-file"
                chooseLabel={t('batch.chooseFile')} emptyLabel={t('batch.noFile')} names={file ? [file.name] : []} onFiles={(fs) => setFile(fs[0] ?? null)}
              />
            )}
          </Field>
          <div className="field field-button">
            <button type="submit" disabled={!file || isRunning} data-testid="batch-start">{t('batch.start')}</button>
          </div>
        </form>
        {running && (
          <div className="import-progress batch-progress" data-testid="batch-progress" data-done={running.done} data-total={running.total ?? ''}>
            <progress
              max={running.total || 1}
              value={running.total === null ? undefined : running.done}
              aria-label={t('batch.progressLabel')}
              aria-valuetext={running.total === null ? t('batch.reading') : t('batch.progress', { done: running.done, total: running.total })}
            />
            <span className="num nowrap" data-testid="batch-progress-text">
              {running.total === null ? t('batch.reading') : t('batch.progress', { done: running.done, total: running.total })}
            </span>
            <button type="button" className="secondary small" ref={cancelButton} onClick={cancel} disabled={cancelling} data-testid="batch-cancel">
              {cancelling ? t('batch.cancelling') : t('batch.cancel')}
            </button>
          </div>
        )}
        <ErrorBox error={error} onDismiss={() => setError(null)} />
      </section>

      {finished && result && (
        <section className="panel" aria-labelledby="batch-results-title" data-testid="batch-results" data-state={finished.state}>
          <div className="panel-head">
            <h3 id="batch-results-title" ref={resultsTitle} tabIndex={-1}>
              {t('batch.resultsTitle')} <span className="muted small-text">{finished.fileName}</span>
            </h3>
            <div className="batch-actions">
              <label className="checkbox">
                <input type="checkbox" checked={withHitsOnly} onChange={(e) => { setWithHitsOnly(e.target.checked); setOffset(0); }} data-testid="batch-only-hits" />
                {t('batch.onlyWithHits')}
              </label>
              <button type="button" className="secondary" onClick={() => void exportAs('xlsx')} disabled={exporting !== null} data-testid="batch-export-xlsx">
                {exporting === 'xlsx' ? t('batch.exporting') : t('batch.exportXlsx')}
              </button>
              <button type="button" className="secondary" onClick={() => void exportAs('csv')} disabled={exporting !== null} data-testid="batch-export-csv">
                {exporting === 'csv' ? t('batch.exporting') : t('batch.exportCsv')}
              </button>
              <button type="button" className="secondary" onClick={clear} data-testid="batch-clear">{t('batch.clear')}</button>
            </div>
          </div>
          {finished.state === 'cancelled' && (
            <Notice kind="warning" testId="batch-cancelled">{t('batch.cancelled', { done: finished.done, total: finished.total ?? 0 })}</Notice>
          )}
          <dl className="batch-stats" data-testid="batch-stats">
            <div><dt>{t('batch.statTravelers')}</dt><dd data-testid="stat-travelers">{result.travelers}</dd></div>
            <div><dt>{t('batch.statWithHits')}</dt><dd data-testid="stat-with-hits">{result.rows.filter((r) => r.hits.length).length}</dd></div>
            <div><dt>{t('batch.statAtReview')}</dt><dd data-testid="stat-at-review">{result.rows.filter((r) => atReview(r.hits)).length}</dd></div>
            <div><dt>{t('batch.statProblems')}</dt><dd data-testid="stat-problems">{result.problems.length}</dd></div>
          </dl>
          {exported && (
            <Notice key={exported.sha256} kind="success" testId="batch-exported" takeFocus>
              {t('batch.exported', { rows: exported.rows, file: exported.fileName, sha: exported.sha256.slice(0, 12) })}
            </Notice>
          )}
          {rows.length === 0 ? (
            <p className="muted" data-testid="batch-empty">{withHitsOnly ? t('batch.noneWithHits') : t('batch.empty')}</p>
          ) : (
            <table className="grid batch-table" data-testid="batch-table">
              <caption className="sr-only">{t('batch.caption')}</caption>
              <thead>
                <tr>
                  <th><span className="sr-only">{t('batch.colExpand')}</span></th>
                  <th className="num">{t('batch.colRow')}</th>
                  <th>{t('batch.colId')}</th>
                  <th>{t('batch.colTraveler')}</th>
                  <th>{t('batch.colTopHit')}</th>
                  <th className="num">{t('batch.colScore')}</th>
                  <th>{t('batch.colBand')}</th>
                  <th className="num">{t('batch.colAtReview')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <TravelerRows key={r.row} row={r} open={expanded.has(r.row)} onToggle={() => toggle(r.row)} />
                ))}
              </tbody>
            </table>
          )}
          {rows.length > PAGE && (
            <div className="pager">
              <span className="muted small-text">{t('batch.showing', { from: offset + 1, to: Math.min(offset + PAGE, rows.length), total: rows.length })}</span>
              <button type="button" className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('batch.prev')}</button>
              <button type="button" className="secondary small" disabled={offset + PAGE >= rows.length} onClick={() => setOffset(offset + PAGE)}>{t('batch.next')}</button>
            </div>
          )}
        </section>
      )}

      {result && result.problems.length > 0 && (
        <section className="panel" data-testid="batch-problems">
          <h3 id="batch-problems-title">{t('batch.problemsTitle', { n: result.problems.length })}</h3>
          {/* Focusable, so that a long list can be scrolled with the keyboard. */}
          <div className="scroll-box batch-problem-box" tabIndex={0} role="region" aria-labelledby="batch-problems-title">
            <ul className="batch-problem-list">
              {result.problems.map((p, i) => (
                <li key={i} data-testid="batch-problem" data-row={p.row}>
                  <span className={`badge sev-${p.severity}`}>{t(`severities.${p.severity}`)}</span>{' '}
                  <b>{p.column ? t('batch.problemAtColumn', { row: p.row, column: p.column }) : t('batch.problemAt', { row: p.row })}</b>: {reasonMessage(p, t)}
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
    </div>
  );
}

/** One traveler's line and, when expanded, its hits. */
function TravelerRows({ row: r, open, onToggle }: { row: BatchRow; open: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const top = r.hits[0];
  const review = atReview(r.hits);
  const hitsId = `batch-hits-${r.row}`;
  return (
    <Fragment>
      <tr data-testid="batch-row" data-row={r.row} data-hits={r.hits.length} className={review ? 'at-review' : undefined}>
        <td>
          {r.hits.length > 0 && (
            <button type="button" className="link-button batch-expand" aria-expanded={open} aria-controls={open ? hitsId : undefined} onClick={onToggle} data-testid="batch-expand">
              <span aria-hidden="true">{open ? '▾' : '▸'}</span>
              <span className="sr-only">{t('batch.showHits', { row: r.row })}</span>
            </button>
          )}
        </td>
        <td className="num mono">{r.row}</td>
        <td className="mono">{r.id ?? ''}</td>
        <td>
          <div className="traveler-name">{r.name}</div>
          {r.mrz && (
            <div className="muted small-text">
              {[t('batch.mrz'), r.mrz.documentNumber, r.mrz.nationality, formatDob(r.mrz.dateOfBirth, lang)].filter(Boolean).join(' · ')}
              {!r.mrz.valid && <> <span className="badge sev-warning">{t('batch.mrzInvalid')}</span></>}
            </div>
          )}
        </td>
        <td>
          {top ? (
            <>
              <div>{top.list} <KindBadge kind={top.listKind} /></div>
              <div className="muted small-text">{entryName(top)}</div>
            </>
          ) : (
            <span className="muted">{t('batch.noHits')}</span>
          )}
        </td>
        <td className="num mono">{top ? formatScore(top.score) : ''}</td>
        <td>{top && <BandBadge band={top.band} />}</td>
        <td className={review ? 'num review-count' : 'num'} data-testid="batch-at-review">{review}</td>
      </tr>
      {open && (
        <tr className="batch-hits-row" id={hitsId}>
          <td />
          <td colSpan={7}>
            <table className="grid compact batch-hits" data-testid="batch-hits">
              <caption className="sr-only">{t('batch.hitsCaption', { row: r.row })}</caption>
              <thead>
                <tr>
                  <th className="num">{t('screening.score')}</th>
                  <th>{t('screening.band')}</th>
                  <th>{t('screening.listCol')}</th>
                  <th>{t('screening.entryCol')}</th>
                  <th>{t('screening.dob')}</th>
                  <th>{t('screening.nationality')}</th>
                  <th>{t('screening.reference')}</th>
                  <th>{t('screening.why')}</th>
                </tr>
              </thead>
              <tbody>
                {r.hits.map((h) => (
                  <tr key={`${h.listId}:${h.entryId}`} data-testid="batch-hit" data-entry-id={h.entryId}>
                    <td className="num mono">{formatScore(h.score)}</td>
                    <td><BandBadge band={h.band} /></td>
                    <td className="nowrap">{h.list} <KindBadge kind={h.listKind} /></td>
                    <td>
                      <div className="traveler-name">{entryName(h)}</div>
                      <div className="muted small-text">{t('screening.entryRef', { id: h.entryId, row: h.sourceRow })}</div>
                    </td>
                    <td className="nowrap">{formatDob(h.entry.dateOfBirth, lang)}</td>
                    <td>{h.entry.nationalities.join(', ')}</td>
                    <td>{h.entry.reference ?? ''}</td>
                    <td className="small-text">{explanationText(h.explanation, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
