/**
 * One crossing with everything about it (`crossings.get`, which the engine audits as
 * `crossing.view`: who looked at this person): the crossing (time in the checkpoint's zone with
 * UTC in its title, checkpoint, direction, outcome, officer, its own note), the traveler (every
 * field), every hit (listed name, list and kind, warrant or case reference, score, band, the
 * decision with its note, who decided and when, a supervisor's correction; the traveler and entry
 * side by side and the explanation, as the screening desk shows them: screening/HitCard.tsx
 * HitBody) and the list versions the screening was checked against.
 *
 * A modal side panel: the desk behind is inert, focus goes to the title and stays in the panel
 * (Tab wraps), Escape or Close shuts it and focus returns to the row that opened it. Supervisors
 * correct a hit's decision here (CorrectHit.tsx).
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CrossingDetail, HitCorrectionResult, HitView } from '../../../../shared/contract';
import { call } from '../../api';
import { BandBadge, DecisionBadge, ErrorBox, KindBadge, LanguageSwitch, Notice } from '../../components/ui';
import { reasonMessage } from '../../errors';
import { formatDateTime, formatDob, formatScore, nationalityLabel } from '../../format';
import { currentLang } from '../../i18n';
import { DecisionTrail } from '../screening/Adjudication';
import { HitBody } from '../screening/HitCard';
import { HitReportButton } from '../screening/HitReport';
import { actionText } from '../screening/Verdict';
import { CorrectionAction } from './CorrectHit';
import { contradicts } from './CrossingsTable';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** "—" for an empty value, as a printed form says it. */
const or = (v: ReactNode) => (v === null || v === undefined || v === '' ? '—' : v);
/** A number or code in monospace, or the same "—" as every other empty field (not a monospace one). */
const monoOr = (v: string | null | undefined) => (v ? <span className="mono">{v}</span> : '—');

/**
 * The detail of crossing `id`. `canCorrect`: the supervisor's correction is offered;
 * `canReport`: the printable hit report (officers and supervisors); `onCorrected`: a hit's
 * decision changed (the list behind reads its rows again).
 */
export function CrossingDetailView({ id, onClose, canCorrect, canReport, onCorrected }: {
  id: string; onClose: () => void; canCorrect: boolean; canReport: boolean; onCorrected: () => void;
}) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<CrossingDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The last correction saved here (its warnings), shown and focused. */
  const [corrected, setCorrected] = useState<HitCorrectionResult | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const correctedNotice = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    call('crossings.get', { id }).then(
      (d) => {
        if (live) setDetail(d);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [id]);

  // A modal: the desk behind takes no focus, clicks or reading; focus returns to the opener after.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    // The panel opens at its top: the title (in the sticky header) takes focus without scrolling.
    if (panel.current) panel.current.scrollTop = 0;
    title.current?.focus({ preventScroll: true });
    return () => {
      root?.removeAttribute('inert');
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
  useEffect(() => {
    if (corrected) correctedNotice.current?.focus();
  }, [corrected]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    // Keys in a dialog opened from here (the hit report) are that dialog's.
    if (!(e.target instanceof Node) || !panel.current?.contains(e.target)) return;
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab') {
      const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
      const firstItem = items[0];
      const lastItem = items[items.length - 1];
      if (!firstItem || !lastItem) return;
      if (e.shiftKey && (document.activeElement === firstItem || document.activeElement === panel.current || document.activeElement === title.current)) {
        e.preventDefault();
        lastItem.focus();
      } else if (!e.shiftKey && document.activeElement === lastItem) {
        e.preventDefault();
        firstItem.focus();
      }
    }
  }

  function saved(r: HitCorrectionResult) {
    setCorrected(r);
    setDetail((d) => (d ? { ...d, hits: d.hits.map((h) => (h.hitId === r.hit.hitId ? r.hit : h)) } : d));
    onCorrected();
  }

  const name = detail ? (detail.purged ? t('crossings.purged') : detail.travelerName) : '';
  return createPortal(
    <div className="cx-detail-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div
        ref={panel}
        className="cx-detail"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cx-detail-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="crossing-detail"
        data-crossing-id={id}
      >
        <header className="cx-detail-head">
          <h2 id="cx-detail-title" ref={title} tabIndex={-1} data-testid="detail-title">
            {t('crossings.detail.title')}{name && <span className="cx-detail-name">: {name}</span>}
          </h2>
          <span className="spacer" />
          <LanguageSwitch />
          <button type="button" className="secondary" onClick={onClose} data-testid="detail-close">
            {t('crossings.detail.close')} <kbd>Esc</kbd>
          </button>
        </header>
        <p className="muted small-text">{t('crossings.detail.audited')}</p>
        <ErrorBox error={error} onDismiss={() => setError(null)} testId="detail-error" />
        {corrected && (
          <div ref={correctedNotice} tabIndex={-1} className="focus-target" data-testid="correction-done">
            <Notice kind={corrected.warnings.length ? 'warning' : 'success'}>
              {t('adjudication.correctionSaved', { list: corrected.hit.list, entry: corrected.hit.entryId, decision: t(`decisions.${corrected.hit.decision}`) })}
              {corrected.warnings.map((w) => <div key={w.reason} className="correction-warning" data-testid="correction-warning" data-reason={w.reason}><b>{reasonMessage(w, t)}</b></div>)}
            </Notice>
          </div>
        )}
        {!detail ? (!error && <p className="muted" data-testid="detail-loading">{t('crossings.detail.loading')}</p>) : (
          <DetailBody d={detail} canCorrect={canCorrect} canReport={canReport} onCorrected={saved} />
        )}
      </div>
    </div>,
    document.body,
  );
}

function DetailBody({ d, canCorrect, canReport, onCorrected }: { d: CrossingDetail; canCorrect: boolean; canReport: boolean; onCorrected: (r: HitCorrectionResult) => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const time = (iso: string) => formatDateTime(iso, d.timeZone, lang);
  const tr = d.traveler;
  return (
    <>
      {/* The crossing and the traveler side by side (one above the other in a narrow window), so that
          the hits start within the first screen. */}
      <div className="cx-detail-top">
        <section className="cx-detail-section" aria-labelledby="cx-d-crossing">
          <h3 id="cx-d-crossing">{t('crossings.detail.crossing')}</h3>
          <dl className="cx-facts" data-testid="detail-crossing">
            <dt>{t('crossings.detail.time')}</dt>
            <dd><span className="mono" title={`${d.occurredAt} UTC`} data-testid="detail-time">{time(d.occurredAt)}</span> <span className="muted">({d.timeZone})</span></dd>
            <dt>{t('crossings.detail.checkpoint')}</dt>
            <dd>{d.checkpoint}</dd>
            <dt>{t('crossings.colDirection')}</dt>
            <dd data-testid="detail-direction">{t(`directions.${d.direction}`)}</dd>
            <dt>{t('crossings.colOutcome')}</dt>
            <dd data-testid="detail-outcome"><span className={`badge outcome-${d.outcome}`}>{t(`outcomes.${d.outcome}`)}</span>{d.flagged && <> <span className="badge flag">{t('crossings.flagged')}</span></>}</dd>
            <dt>{t('crossings.colOfficer')}</dt>
            <dd data-testid="detail-officer">{d.officer}</dd>
            <dt>{t('crossings.detail.screenedAt')}</dt>
            <dd><span className="mono" title={`${d.screenedAt} UTC`}>{time(d.screenedAt)}</span></dd>
            <dt>{t('crossings.detail.note')}</dt>
            <dd data-testid="detail-note">{d.note ? d.note : <span className="muted">{t('crossings.detail.noNote')}</span>}</dd>
          </dl>
        </section>

        <section className="cx-detail-section" aria-labelledby="cx-d-traveler">
          <h3 id="cx-d-traveler">{t('crossings.detail.traveler')}</h3>
          {d.purged ? <p className="muted" data-testid="detail-purged">{t('crossings.detail.purged')}</p> : (
            <dl className="cx-facts" data-testid="detail-traveler">
              <dt>{t('fields.fullName')}</dt><dd className="traveler-name">{or(tr.fullName)}</dd>
              <dt>{t('fields.surname')}</dt><dd>{or(tr.surname)}</dd>
              <dt>{t('fields.givenNames')}</dt><dd>{or(tr.givenNames)}</dd>
              <dt>{t('fields.dateOfBirth')}</dt><dd>{or(formatDob(tr.dateOfBirth, lang))}</dd>
              <dt>{t('fields.sex')}</dt><dd>{or(tr.sex && t(`sexes.${tr.sex}`))}</dd>
              <dt>{t('fields.nationality')}</dt><dd>{or(tr.nationality && nationalityLabel(tr.nationality, lang))}</dd>
              <dt>{t('fields.documentNumber')}</dt><dd data-testid="detail-document">{monoOr(tr.documentNumber)}</dd>
              <dt>{t('fields.documentIssuer')}</dt><dd>{or(tr.documentIssuer && nationalityLabel(tr.documentIssuer, lang))}</dd>
              <dt>{t('fields.nationalId')}</dt><dd>{monoOr(tr.nationalId)}</dd>
              <dt>{t('crossings.detail.mrz')}</dt><dd>{tr.mrz ? <pre className="mono cx-mrz">{tr.mrz}</pre> : '—'}</dd>
            </dl>
          )}
        </section>
      </div>

      <section className="cx-detail-section" aria-labelledby="cx-d-hits" data-testid="detail-hits">
        <h3 id="cx-d-hits">{t('crossings.detail.hits', { count: d.hits.length })}</h3>
        {d.hits.length === 0 && <p className="muted">{t('crossings.detail.noHits')}</p>}
        {d.hits.map((h) => (
          <DetailHit key={h.hitId ?? `${h.listId}:${h.entryId}`} hit={h} d={d} canCorrect={canCorrect} canReport={canReport} onCorrected={onCorrected} />
        ))}
      </section>

      <section className="cx-detail-section" aria-labelledby="cx-d-versions">
        <h3 id="cx-d-versions">{t('crossings.detail.versions')}</h3>
        {d.listVersions.length === 0 ? <p className="muted">{t('crossings.detail.noVersions')}</p> : (
          <table className="grid compact cx-versions" data-testid="detail-versions">
            <thead>
              <tr><th scope="col">{t('crossings.detail.list')}</th><th scope="col" className="num">{t('crossings.detail.version')}</th></tr>
            </thead>
            <tbody>
              {d.listVersions.map((v) => (
                <tr key={v.versionId} data-testid="detail-version">
                  <td>{v.list}</td>
                  <td className="num">{v.number}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** One hit of the crossing: who is listed, where, why, and what was decided by whom. */
function DetailHit({ hit, d, canCorrect, canReport, onCorrected }: {
  hit: HitView; d: CrossingDetail; canCorrect: boolean; canReport: boolean; onCorrected: (r: HitCorrectionResult) => void;
}) {
  const { t } = useTranslation();
  const listed = hit.entry.names.find((n) => n.kind === 'primary')?.name ?? hit.entry.names[0]?.name ?? '';
  const headingId = `cx-hit-${hit.hitId ?? hit.entryId}`;
  return (
    <article className={`hit cx-hit band-${hit.band}-border`} aria-labelledby={headingId}
      data-testid="crossing-hit" data-hit-id={hit.hitId ?? ''} data-entry-id={hit.entryId} data-decision={hit.decision}>
      <header className="hit-head">
        <span className={`score band-${hit.band}`}>{formatScore(hit.score)}</span>
        <BandBadge band={hit.band} />
        <h4 id={headingId} className="hit-name" data-testid="detail-listed-name">{listed}</h4>
        <span className="hit-list">{t('screening.onList', { list: hit.list })} <KindBadge kind={hit.listKind} /></span>
        <span className="muted small-text">{t('screening.entryRef', { id: hit.entryId, row: hit.sourceRow })}</span>
        <span className="spacer" />
        <DecisionBadge decision={hit.decision} />
      </header>
      <dl className="cx-facts cx-hit-facts">
        <dt>{t('crossings.detail.reference')}</dt>
        <dd data-testid="detail-reference"><b>{or(hit.entry.reference)}</b></dd>
        <dt>{t('crossings.detail.decision')}</dt>
        <dd data-testid="detail-decision">
          {t(`decisions.${hit.decision}`)}
          <DecisionTrail hit={hit} />
          {contradicts(d, hit) && <>{' '}<span className="badge must" data-testid="crossing-contradicts">{t('adjudication.contradicts')}</span></>}
        </dd>
        {/* A corrected hit's note is the correction's reason, shown with the correction. */}
        {!hit.correction && (
          <>
            <dt>{t('crossings.detail.hitNote')}</dt>
            <dd data-testid="detail-hit-note">{hit.note ? hit.note : <span className="muted">{t('crossings.detail.noNote')}</span>}</dd>
          </>
        )}
        <dt>{t('screening.action')}</dt>
        <dd>{actionText(hit, t)}</dd>
      </dl>
      {(canCorrect || canReport) && hit.hitId && (
        <div className="cx-hit-actions">
          {canCorrect && <CorrectionAction hit={{ hitId: hit.hitId, list: hit.list, entryId: hit.entryId, decision: hit.decision }} onCorrected={onCorrected} />}
          {canReport && <HitReportButton hit={hit} />}
        </div>
      )}
      {d.purged ? null : <HitBody hit={hit} traveler={d.traveler} />}
    </article>
  );
}
