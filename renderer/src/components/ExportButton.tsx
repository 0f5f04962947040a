/**
 * "Export xlsx" / "Export csv" for an export the engine writes in a worker (issue 14): `start`
 * asks for the job (`crossings.exportStart`, `audit.exportStart`), then this follows it with
 * `exports.status` (rows done of the total, and a Cancel button, `exports.cancel`) and, once it is
 * done, takes the file (`exports.take`, which the engine audits with the filter, row count and
 * SHA-256) and downloads it, saying how many rows, the file's name and the start of its SHA-256.
 *
 * The job followed is kept per `kind` across screen changes: back on the screen, its progress
 * shows again, and a job that finished meanwhile is taken then. Used by the Crossings and Audit
 * screens.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import { reason, reasonView } from '../../../shared/reasons';
import { base64ToBytes, call, downloadFile } from '../api';
import { ErrorBox, Notice } from './ui';

export type ExportFormat = 'xlsx' | 'csv';

const POLL_MS = 300;
const MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Job { jobId: string; format: ExportFormat }
/** The job each kind of export follows in this window (kept while the screen is left). */
const followed = new Map<string, Job>();
/** Jobs whose file is being taken: taken once, even if the screen is left and opened again meanwhile. */
const taking = new Set<string>();

type Outcome =
  | { kind: 'done'; rows: number; fileName: string; sha256: string }
  | { kind: 'cancelled' };

/**
 * The two export buttons, the progress of a running export with its Cancel button, and what
 * came of it. `kind` names the export (one followed job per kind); `testIdPrefix` prefixes every
 * test id (`export-xlsx`, `export-csv`, `export-progress`, `export-progress-text`, `export-cancel`,
 * `export-done`, `export-cancelled`, `export-error`); `disabled` while the screen's filter cannot
 * be exported (a reversed range).
 */
export function ExportButtons({ kind, start, disabled = false, testIdPrefix = '' }: {
  kind: string;
  start: (format: ExportFormat) => Promise<{ jobId: string }>;
  disabled?: boolean;
  testIdPrefix?: string;
}) {
  const { t } = useTranslation();
  const id = (s: string) => `${testIdPrefix}${s}`;
  const [job, setJob] = useState<Job | null>(() => followed.get(kind) ?? null);
  const [starting, setStarting] = useState<ExportFormat | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number | null }>({ done: 0, total: null });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);

  // Follows the job until it ends; leaving the screen stops following (the job runs on, kept in `followed`).
  useEffect(() => {
    if (!job) return;
    followed.set(kind, job);
    let live = true;
    const finish = () => {
      if (followed.get(kind)?.jobId === job.jobId) followed.delete(kind);
      if (!live) return;
      setJob(null);
      setCancelling(false);
      setProgress({ done: 0, total: null });
    };
    const follow = async (): Promise<void> => {
      // Being taken by this screen as it was before (left and opened again meanwhile): that one delivers it.
      if (taking.has(job.jobId)) {
        while (taking.has(job.jobId)) {
          await sleep(POLL_MS);
          if (!live) return;
        }
        finish();
        return;
      }
      for (;;) {
        const s = await call('exports.status', { jobId: job.jobId });
        if (!live) return;
        if (s.state === 'running') {
          setProgress({ done: s.done, total: s.total });
          await sleep(POLL_MS);
          if (!live) return;
          continue;
        }
        if (s.state === 'done') {
          taking.add(job.jobId);
          try {
            const r = await call('exports.take', { jobId: job.jobId });
            // Taken (and audited): the file is delivered even if the screen was left meanwhile.
            downloadFile(r.fileName, base64ToBytes(r.contentBase64), MIME[job.format]);
            if (live) setOutcome({ kind: 'done', rows: r.rows, fileName: r.fileName, sha256: r.sha256 });
          } finally {
            taking.delete(job.jobId);
          }
        } else if (s.state === 'cancelled') {
          if (live) setOutcome({ kind: 'cancelled' });
        } else if (live) {
          setError(new ApiCallError(s.error ?? { code: 'internal', ...reasonView(reason('internal.error')) }));
        }
        finish();
        return;
      }
    };
    follow().catch((e: unknown) => {
      finish();
      // A job the engine no longer knows (signed out, another user, already taken) is simply gone.
      if (live && !(e instanceof ApiCallError && e.code === 'not_found')) setError(e);
    });
    return () => {
      live = false;
    };
  }, [job, kind]);

  // Focus follows the work: Cancel while it runs (the export button it replaces is disabled).
  const running = job !== null;
  useEffect(() => {
    if (running) cancelButton.current?.focus();
  }, [running]);

  async function begin(format: ExportFormat) {
    if (job || starting) return;
    setError(null);
    setOutcome(null);
    setStarting(format);
    try {
      const { jobId } = await start(format);
      setProgress({ done: 0, total: null });
      setJob({ jobId, format });
    } catch (e) {
      setError(e);
    } finally {
      setStarting(null);
    }
  }

  function cancel() {
    if (!job) return;
    setCancelling(true);
    call('exports.cancel', { jobId: job.jobId }).catch((e: unknown) => {
      setCancelling(false);
      if (!(e instanceof ApiCallError && e.code === 'not_found')) setError(e);
    });
  }

  const busyWith = starting ?? job?.format ?? null;
  const progressText = progress.total === null
    ? t('exportJob.counting')
    : t('exportJob.progress', { done: progress.done.toLocaleString(), total: progress.total.toLocaleString() });
  return (
    <div className="export-job" data-testid={id('export')}>
      <div className="export-actions">
        {(['xlsx', 'csv'] as const).map((f) => (
          <button key={f} type="button" className="secondary" onClick={() => void begin(f)} disabled={disabled || busyWith !== null} data-testid={id(`export-${f}`)}>
            {busyWith === f ? t('exportJob.exporting') : t(`exportJob.${f}`)}
          </button>
        ))}
      </div>
      {job && (
        <div className="import-progress export-progress" data-testid={id('export-progress')} data-done={progress.done} data-total={progress.total ?? ''}>
          <progress max={progress.total || 1} value={progress.total === null ? undefined : progress.done} aria-label={t('exportJob.progressLabel', { format: job.format })} aria-valuetext={progressText} />
          <span className="num nowrap" data-testid={id('export-progress-text')}>{progressText}</span>
          <button type="button" className="secondary small" ref={cancelButton} onClick={cancel} disabled={cancelling} data-testid={id('export-cancel')}>
            {cancelling ? t('exportJob.cancelling') : t('exportJob.cancel')}
          </button>
        </div>
      )}
      {outcome?.kind === 'done' && (
        <Notice kind="success" testId={id('export-done')} takeFocus>
          {t('exportJob.done', { rows: outcome.rows, file: outcome.fileName, sha: outcome.sha256.slice(0, 12) })}
        </Notice>
      )}
      {outcome?.kind === 'cancelled' && <Notice kind="info" testId={id('export-cancelled')} takeFocus>{t('exportJob.cancelled')}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} testId={id('export-error')} />
    </div>
  );
}
