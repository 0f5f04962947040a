/**
 * The printable hit report (issue 11), for handing a traveler over to the police: traveler, list
 * entry, why it matched, decision, officer, times, list version and the hash of the decision's
 * audit row, and in a footer the audit anchor (the trail's head as of the printing: row, hash, root
 * key), in the UI language. Shown over the desk as one A4 sheet; the print stylesheet
 * (styles.css, "hit report") prints that sheet alone in the bundled Noto Sans Thai, so Thai glyphs
 * are embedded. In the Electron app the main process makes the PDF (printToPDF, a save dialog);
 * in the browser harness the browser's own print does, with the same stylesheet.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { HitReport, HitView } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorBox, LanguageSwitch, Notice } from '../../components/ui';
import { explanationText, reasonMessage } from '../../errors';
import { formatDateTime, formatDob, formatScore, nationalityLabel } from '../../format';
import { currentLang } from '../../i18n';
import { actionText } from './Verdict';

/** "Print report" on a decided hit; opens the report over the desk. */
export function HitReportButton({ hit }: { hit: HitView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  // Focus goes back to the button once the report has closed (and the desk is no longer inert).
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  if (!hit.hitId || hit.decision === 'undecided') return null;
  return (
    <>
      <button type="button" ref={opener} className="secondary small" onClick={() => setOpen(true)} data-testid="print-report">
        {t('hitReport.open')}
      </button>
      {open && <HitReportView hitId={hit.hitId} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A fingerprint in groups of four hex digits, for reading aloud or comparing on paper (as signing.ts groupedFingerprint). */
function groupedFingerprint(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A file name for the PDF without personal data: the day screened and the audit row. */
function pdfName(r: HitReport): string {
  return `watchdesk-hit-report-${r.screenedAt.local.slice(0, 10)}-audit-${r.audit.seq}.pdf`;
}

/** The report of one decided hit, as a dialog over the desk with Print and Close. */
export function HitReportView({ hitId, onClose }: { hitId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<HitReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [printProblem, setPrintProblem] = useState<string | null>(null);
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    call('screening.report', { hitId }).then(setReport, setError);
  }, [hitId]);
  useEffect(() => {
    if (report) title.current?.focus();
  }, [report]);
  // A modal: the desk behind it takes no focus, clicks or screen-reader reading while it is open.
  useEffect(() => {
    const desk = document.getElementById('root');
    desk?.setAttribute('inert', '');
    return () => desk?.removeAttribute('inert');
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function print() {
    if (!report) return;
    setSaved(null);
    setPrintProblem(null);
    const bridge = window.watchdesk;
    if (!bridge?.printToPdf) {
      window.print();
      return;
    }
    const r = await bridge.printToPdf({ fileName: pdfName(report) });
    if (r.ok && r.fileName) setSaved(r.fileName);
    else if (!r.ok) setPrintProblem(reasonMessage({ reason: r.reason }, t));
  }

  return createPortal(
    <div className="report-overlay" role="dialog" aria-modal="true" aria-labelledby="hit-report-title" data-testid="hit-report">
      <div className="report-toolbar">
        <button type="button" onClick={() => void print()} disabled={!report} data-testid="report-print">{t('hitReport.print')}</button>
        <button type="button" className="secondary" onClick={onClose} data-testid="report-close">{t('hitReport.close')}</button>
        <LanguageSwitch />
        <span className="spacer" />
        {saved && <Notice kind="success" testId="report-saved">{t('hitReport.saved', { file: saved })}</Notice>}
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="report-error" />
      {printProblem && <div className="alert alert-error" role="alert" data-testid="report-print-error"><div className="alert-body">{printProblem}</div></div>}
      <article className="report-sheet" lang={currentLang()}>
        <h1 id="hit-report-title" ref={title} tabIndex={-1}>{t('hitReport.title')}</h1>
        {!report ? <p className="muted">{error ? '' : t('hitReport.loading')}</p> : <ReportBody r={report} />}
      </article>
    </div>,
    document.body,
  );
}

function ReportBody({ r }: { r: HitReport }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const time = (utc: string) => formatDateTime(utc, r.timeZone, lang);
  const tr = r.traveler;
  const e = r.hit.entry;
  const travelerName = tr ? tr.fullName || [tr.givenNames, tr.surname].filter(Boolean).join(' ') : '';
  /** On paper an empty cell reads as left out: say "—". */
  const or = (v: string | null | undefined) => v || '—';
  return (
    <>
      <p className="report-sub">{t('hitReport.subtitle')}</p>
      <table className="report-table">
        <tbody>
          <tr><th>{t('hitReport.checkpoint')}</th><td data-testid="report-checkpoint">{r.checkpoint}</td></tr>
          <tr><th>{t('hitReport.screenedAt')}</th><td>{time(r.screenedAt.utc)} ({r.timeZone})</td></tr>
        </tbody>
      </table>

      <section>
        <h2>{t('hitReport.traveler')}</h2>
        {!tr ? <p>{t('hitReport.travelerPurged')}</p> : (
          <table className="report-table">
            <tbody>
              <tr><th>{t('screening.names')}</th><td className="report-strong">{or(travelerName)}</td></tr>
              <tr><th>{t('screening.dob')}</th><td>{or(formatDob(tr.dateOfBirth, lang))}</td></tr>
              <tr><th>{t('screening.sex')}</th><td>{or(tr.sex && t(`sexes.${tr.sex}`))}</td></tr>
              <tr><th>{t('screening.nationality')}</th><td>{or(tr.nationality && nationalityLabel(tr.nationality, lang))}</td></tr>
              <tr><th>{t('screening.documents')}</th><td className="mono">{or(tr.documentNumber && `${tr.documentNumber}${tr.documentIssuer ? ` (${tr.documentIssuer})` : ''}`)}</td></tr>
              {tr.nationalId && <tr><th>{t('fields.nationalId')}</th><td className="mono">{tr.nationalId}</td></tr>}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h2>{t('hitReport.entry')}</h2>
        <table className="report-table">
          <tbody>
            <tr><th>{t('hitReport.list')}</th><td data-testid="report-list">{t('hitReport.listLine', { list: r.list.name, kind: t(`kinds.${r.list.kind}`), version: r.list.versionNumber })}</td></tr>
            <tr>
              <th>{t('hitReport.listDates')}</th>
              <td>
                {t('hitReport.imported', { time: time(r.list.importedAt.utc) })}
                {r.list.sourceDate && <> · {t('stale.basisSource', { date: formatDob(r.list.sourceDate, lang) })}</>}
              </td>
            </tr>
            <tr><th>{t('hitReport.fileSha')}</th><td className="report-hash">{r.list.fileSha256}</td></tr>
            <tr><th>{t('hitReport.entryId')}</th><td>{t('hitReport.entryIdValue', { id: e.entryId, row: e.sourceRow })}</td></tr>
            <tr><th>{t('screening.reference')}</th><td className="report-ref" data-testid="report-reference">{e.reference}</td></tr>
            <tr>
              <th>{t('screening.names')}</th>
              <td>{e.names.map((n, i) => <div key={i} className={i === 0 ? 'report-strong' : ''}>{n.name}{n.kind === 'alias' ? ` (${t('watchlists.alias')})` : ''}</div>)}</td>
            </tr>
            <tr><th>{t('screening.dob')}</th><td>{or(formatDob(e.dateOfBirth, lang))}</td></tr>
            <tr><th>{t('screening.sex')}</th><td>{or(e.sex && t(`sexes.${e.sex}`))}</td></tr>
            <tr><th>{t('screening.nationality')}</th><td>{or(e.nationalities.map((n) => nationalityLabel(n, lang)).join(', '))}</td></tr>
            <tr><th>{t('screening.documents')}</th><td className="mono">{or(e.documents.map((d) => `${d.number}${d.issuer ? ` (${d.issuer})` : ''}`).join(', '))}</td></tr>
            <tr><th>{t('screening.reason')}</th><td>{or(e.reason)}</td></tr>
            {e.remarks && <tr><th>{t('screening.remarks')}</th><td className="report-remarks">{e.remarks}</td></tr>}
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t('hitReport.match')}</h2>
        <p>
          <b>{t('hitReport.score', { score: formatScore(r.hit.score), band: t(`bands.${r.hit.band}`) })}</b> — {explanationText(r.hit.explanation, t)}
        </p>
        {r.hit.explanation.fields.length > 0 && (
          <ul className="report-checks">
            {r.hit.explanation.fields.map((f, i) => <li key={i}>{t(`screening.fieldNames.${f.field}`)}: {f.reason ? reasonMessage(f, t) : f.detail}</li>)}
          </ul>
        )}
      </section>

      <section>
        <h2>{t('hitReport.decision')}</h2>
        <table className="report-table">
          <tbody>
            <tr><th>{t('hitReport.decision')}</th><td className="report-strong" data-testid="report-decision">{t(`decisions.${r.decision.decision}`)}</td></tr>
            {r.decision.note && <tr><th>{t('hitReport.note')}</th><td>{r.decision.note}</td></tr>}
            <tr><th>{t('hitReport.officer')}</th><td data-testid="report-officer">{r.decision.officer}</td></tr>
            <tr><th>{t('hitReport.decidedAt')}</th><td>{time(r.decision.decidedAt.utc)}</td></tr>
            {r.hit.correction && (
              <tr>
                <th>{t('hitReport.correction')}</th>
                <td>{t('hitReport.correctionLine', { by: r.hit.correction.correctedBy, time: time(r.hit.correction.correctedAt), reason: r.hit.correction.reason })}</td>
              </tr>
            )}
            <tr><th>{t('screening.action')}</th><td>{actionText(r.hit, t)}</td></tr>
            <tr>
              <th>{t('hitReport.crossing')}</th>
              <td>
                {r.crossing
                  ? t('hitReport.crossingLine', {
                    direction: t(`directions.${r.crossing.direction}`), outcome: t(`outcomes.${r.crossing.outcome}`), officer: r.crossing.officer, time: time(r.crossing.occurredAt.utc),
                  })
                  : t('hitReport.noCrossing')}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t('hitReport.audit')}</h2>
        <table className="report-table">
          <tbody>
            <tr><th>{t('hitReport.auditRow')}</th><td data-testid="report-audit-seq">{r.audit.seq}</td></tr>
          </tbody>
        </table>
        {/* On a line of its own: the whole hash fits the A4 width unbroken. */}
        <p className="report-hash-line"><b>{t('hitReport.auditHash')}</b><br /><span className="report-hash" data-testid="report-audit-hash">{r.audit.hash}</span></p>
        <p className="report-small">{t('hitReport.auditHelp', { seq: r.audit.seq })}</p>
      </section>

      <div className="report-signatures">
        <div className="sig">{t('hitReport.signOfficer', { officer: r.decision.officer })}</div>
        <div className="sig">{t('hitReport.signPolice')}</div>
      </div>
      <p className="report-small report-printed">{t('hitReport.printed', { user: r.printedBy, time: time(r.printedAt.utc), zone: r.timeZone })}</p>
      {/* The audit head as of this printing (its own print row): kept on paper, out of an insider's reach (issue 15). */}
      <p className="report-small report-anchor" data-testid="report-anchor">
        {t('hitReport.anchor', { seq: r.anchor.seq, hash: r.anchor.hash.slice(0, 16), root: r.anchor.root ? groupedFingerprint(r.anchor.root) : t('hitReport.anchorNoRoot') })}
      </p>
    </>
  );
}
