/**
 * One hit: its decision first (Alt+S not the same person, Alt+C confirmed, Alt+P apply the earlier
 * clearance, on the selected hit; a supervisor's approval asked inline where the list wants four
 * eyes), the list's action, then traveler and entry side by side and the explanation in the UI language.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldCheck, HitView, Traveler } from '../../../../shared/contract';
import { needsDecision } from '../../../../shared/domain';
import { call } from '../../api';
import { explanationText, reasonMessage } from '../../errors';
import { BandBadge, DecisionBadge, ErrorBox, KindBadge } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { formatDob, formatEffect, formatScore, nationalityLabel } from '../../format';
import { currentLang } from '../../i18n';
import { actionText } from './Verdict';
import { HitReportButton } from './HitReport';
import { ApprovalForm, DecisionTrail, PreviousClearanceNote } from './Adjudication';

export function statusOf(fields: FieldCheck[], f: FieldCheck['field']): FieldCheck | undefined {
  return fields.find((x) => x.field === f);
}

export function HitCard({ hit, traveler, onChanged, selected = false }: { hit: HitView; traveler: Traveler; onChanged: (h: HitView) => void; selected?: boolean }) {
  const { t } = useTranslation();
  const [note, setNote] = useState(hit.note ?? '');
  const { busy, error, setError, run } = useSubmit();
  const primary = hit.entry.names.find((n) => n.kind === 'primary')?.name ?? hit.entry.names[0]?.name ?? '';
  const mustDecide = needsDecision(hit.band) && hit.decision === 'undecided';

  /** Clearing a strong hit on a four-eyes list first asks for the supervisor (the engine refuses it without). */
  const [approving, setApproving] = useState<null | 'decide' | 'previous'>(null);
  const approval = useSubmit();
  const notSameButton = useRef<HTMLButtonElement>(null);

  async function decide(decision: 'not-same-person' | 'confirmed') {
    const hitId = hit.hitId;
    if (!hitId) return;
    if (decision === 'not-same-person' && hit.clearanceNeedsApproval) return openApproval('decide');
    setApproving(null);
    const decided = await run(() => call('screening.decide', { hitId, decision, note: note.trim() || undefined }));
    if (decided) onChanged(decided);
  }

  async function applyPrevious() {
    const hitId = hit.hitId;
    if (!hitId || !hit.previousClearance || hit.decision === 'not-same-person') return;
    if (hit.clearanceNeedsApproval) return openApproval('previous');
    const decided = await run(() => call('screening.applyPrevious', { hitId }));
    if (decided) onChanged(decided);
  }

  function openApproval(what: 'decide' | 'previous') {
    approval.setError(null);
    setError(null);
    setApproving(what);
  }

  async function approve(a: { username: string; password: string }) {
    const hitId = hit.hitId;
    if (!hitId) return;
    const decided = await approval.run(() => approving === 'previous'
      ? call('screening.applyPrevious', { hitId, approval: a })
      : call('screening.decide', { hitId, decision: 'not-same-person', note: note.trim() || undefined, approval: a }));
    if (decided) {
      setApproving(null);
      onChanged(decided);
    }
  }

  // The decision keys act on the selected hit only.
  const decideRef = useRef(decide);
  const applyRef = useRef(applyPrevious);
  /** The hit as last rendered: a decision key that repeats its decision records nothing more. */
  const hitRef = useRef(hit);
  useEffect(() => {
    decideRef.current = decide;
    applyRef.current = applyPrevious;
    hitRef.current = hit;
  });
  useEffect(() => {
    if (!selected) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const k = e.key.toLowerCase();
      if (k === 's' || e.code === 'KeyS') {
        e.preventDefault();
        if (hitRef.current.decision !== 'not-same-person') void decideRef.current('not-same-person');
      } else if (k === 'c' || e.code === 'KeyC') {
        e.preventDefault();
        if (hitRef.current.decision !== 'confirmed') void decideRef.current('confirmed');
      } else if (k === 'p' || e.code === 'KeyP') {
        e.preventDefault();
        void applyRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);

  const action = actionText(hit, t);

  return (
    <article
      tabIndex={-1}
      className={`hit band-${hit.band}-border ${mustDecide ? 'must-decide' : ''}`}
      data-testid="hit-card"
      data-entry-id={hit.entryId}
      data-band={hit.band}
      data-decision={hit.decision}
      data-selected={selected}
      aria-label={`${primary} ${formatScore(hit.score)}`}
    >
      <header className="hit-head">
        <span className={`score band-${hit.band}`} data-testid="hit-score">{formatScore(hit.score)}</span>
        <BandBadge band={hit.band} />
        <span className="hit-name">{primary}</span>
        <span className="hit-list">
          {t('screening.onList', { list: hit.list })} <KindBadge kind={hit.listKind} />
        </span>
        <span className="muted small-text">{t('screening.entryRef', { id: hit.entryId, row: hit.sourceRow })}</span>
        <span className="spacer" />
        {mustDecide ? <span className="badge must">{t('screening.mustDecide')}</span> : <DecisionBadge decision={hit.decision} />}
      </header>

      <div className={`action-text kind-${hit.listKind}-action`} data-testid="hit-action">
        <b>{t('screening.action')}:</b> {action}
      </div>

      <div className="decide-row">
        <label className="decide-label" htmlFor={`note-${hit.hitId}`}>{t('screening.decide')}</label>
        <input
          id={`note-${hit.hitId}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('screening.notePlaceholder')}
          data-testid="decision-note"
          maxLength={2000}
        />
        <button ref={notSameButton} type="button" className={`secondary ${hit.decision === 'not-same-person' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('not-same-person')} data-testid="decide-not-same"
          aria-describedby={hit.clearanceNeedsApproval ? `needs-approval-${hit.hitId}` : undefined}>
          {t('screening.notSame')} {selected && <kbd>Alt+S</kbd>}
        </button>
        <button type="button" className={`danger ${hit.decision === 'confirmed' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('confirmed')} data-testid="decide-confirm">
          {t('screening.confirm')} {selected && <kbd>Alt+C</kbd>}
        </button>
        {hit.decision !== 'undecided' && (
          <span className="decided" data-testid="decided">
            {t('screening.decided', { decision: t(`decisions.${hit.decision}`) })}
            {hit.note && !hit.correction ? ` — ${hit.note}` : ''} <DecisionTrail hit={hit} />
          </span>
        )}
        {hit.clearanceNeedsApproval && hit.decision === 'undecided' && (
          <span id={`needs-approval-${hit.hitId}`} className="small-text muted" data-testid="needs-approval">{t('adjudication.needsApproval')}</span>
        )}
        <HitReportButton hit={hit} />
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      {approving && (
        <ApprovalForm
          hit={hit}
          busy={approval.busy}
          error={approval.error}
          onApprove={(a) => void approve(a)}
          onCancel={() => {
            setApproving(null);
            notSameButton.current?.focus();
          }}
        />
      )}
      <PreviousClearanceNote hit={hit} selected={selected} disabled={busy || approval.busy || !hit.hitId} onApply={() => void applyPrevious()} />

      <HitBody hit={hit} traveler={traveler} />
    </article>
  );
}

/**
 * A hit's traveler and listed entry side by side (names, date of birth, sex, nationality,
 * documents, reference, reason) and why it matched (the explanation in the UI language: name
 * tokens, parts left unmatched, field checks). Shown by the screening desk's hit card and by the
 * crossings browser's detail view (renderer/src/screens/crossings/Detail.tsx).
 */
export function HitBody({ hit, traveler }: { hit: HitView; traveler: Traveler }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const ex = hit.explanation;
  const cmp = (field: FieldCheck['field']) => {
    const c = statusOf(ex.fields, field);
    return c ? `cmp-${c.status}` : '';
  };
  const travelerNames = [traveler.fullName, [traveler.givenNames, traveler.surname].filter(Boolean).join(' ')].filter(Boolean);
  return (
    <div className="hit-body">
      <div className="compare">
        <h5>{t('screening.compare')}</h5>
        <table className="grid compact compare-table">
          <thead>
            <tr><th /><th>{t('screening.travelerCol')}</th><th>{t('screening.entryCol')}</th></tr>
          </thead>
          <tbody>
            <tr>
              <th>{t('screening.names')}</th>
              <td>{travelerNames.map((n) => <div key={n}>{n}</div>)}</td>
              <td>
                {hit.entry.names.map((n, i) => (
                  <div key={i} className={n.name === ex.matchedName ? 'matched-name' : n.kind === 'alias' ? 'alias' : ''}>
                    {n.name}
                    {n.kind === 'alias' && <span className="muted"> ({t('watchlists.alias')})</span>}
                  </div>
                ))}
              </td>
            </tr>
            <tr className={cmp('dateOfBirth')}>
              <th>{t('screening.dob')}</th>
              <td>{formatDob(traveler.dateOfBirth, lang)}</td>
              <td>{formatDob(hit.entry.dateOfBirth, lang)}</td>
            </tr>
            <tr className={cmp('sex')}>
              <th>{t('screening.sex')}</th>
              <td>{traveler.sex ? t(`sexes.${traveler.sex}`) : ''}</td>
              <td>{hit.entry.sex ? t(`sexes.${hit.entry.sex}`) : ''}</td>
            </tr>
            <tr className={cmp('nationality')}>
              <th>{t('screening.nationality')}</th>
              <td>{traveler.nationality ? nationalityLabel(traveler.nationality, lang) : ''}</td>
              <td>{hit.entry.nationalities.map((n) => nationalityLabel(n, lang)).join(', ')}</td>
            </tr>
            <tr className={cmp('document')}>
              <th>{t('screening.documents')}</th>
              <td className="mono">{traveler.documentNumber}{traveler.documentIssuer ? ` (${traveler.documentIssuer})` : ''}</td>
              <td className="mono">{hit.entry.documents.map((d) => <div key={d.number}>{d.number}{d.issuer ? ` (${d.issuer})` : ''}</div>)}</td>
            </tr>
            <tr>
              <th>{t('screening.reference')}</th>
              <td />
              <td data-testid="hit-reference"><b>{hit.entry.reference}</b></td>
            </tr>
            <tr>
              <th>{t('screening.reason')}</th>
              <td />
              <td>{hit.entry.reason}</td>
            </tr>
            {hit.entry.remarks && (
              <tr>
                <th>{t('screening.remarks')}</th>
                <td />
                <td>{hit.entry.remarks}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <div className="explanation" data-testid="explanation">
        <h5>{t('screening.why')} <span className="muted">· {t('screening.nameScore', { score: formatScore(ex.nameScore) })}</span></h5>
        <p className="summary" data-testid="explanation-summary">{explanationText(ex, t)}</p>
        {ex.tokens.length > 0 && (
          <table className="grid compact tokens">
            <thead>
              <tr>
                <th>{t('screening.tokenQuery')}</th>
                <th />
                <th>{t('screening.tokenEntry')}</th>
                <th>{t('screening.tokenKind')}</th>
                <th className="num">{t('screening.tokenSimilarity')}</th>
              </tr>
            </thead>
            <tbody>
              {ex.tokens.map((tk, i) => (
                <tr key={i} className={`token-${tk.kind}`}>
                  <td className="mono">{tk.query}</td>
                  <td className="arrow">{tk.kind === 'exact' ? '=' : '≈'}</td>
                  <td className="mono">{tk.entry}</td>
                  <td>{t(`screening.tokenKinds.${tk.kind}`, { defaultValue: tk.kind })}</td>
                  <td className="num">{formatScore(tk.similarity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {ex.unmatchedQuery.length > 0 && <div className="small-text warn-text">{t('screening.unmatchedQuery', { parts: ex.unmatchedQuery.join(', ') })}</div>}
        {ex.unmatchedEntry.length > 0 && <div className="small-text warn-text">{t('screening.unmatchedEntry', { parts: ex.unmatchedEntry.join(', ') })}</div>}
        {ex.fields.length > 0 && (
          <>
            <h6>{t('screening.fieldChecks')}</h6>
            <table className="grid compact fields">
              <thead>
                <tr>
                  <th>{t('screening.fieldCol')}</th>
                  <th>{t('screening.statusCol')}</th>
                  <th className="num">{t('screening.effectCol')}</th>
                  <th>{t('screening.detailCol')}</th>
                </tr>
              </thead>
              <tbody>
                {ex.fields.map((f, i) => (
                  <tr key={i} className={`cmp-${f.status}`}>
                    <td>{t(`screening.fieldNames.${f.field}`)}</td>
                    <td>{t(`screening.fieldStatus.${f.status}`)}</td>
                    <td className="num mono">{formatEffect(f.effect)}</td>
                    <td>{f.reason ? reasonMessage(f, t) : f.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
