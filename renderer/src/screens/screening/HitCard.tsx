/** One hit: traveler and entry side by side, the explanation in the UI language, the list's action and the decision. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldCheck, HitView, Traveler } from '../../../../shared/contract';
import { needsDecision } from '../../../../shared/domain';
import { DEFAULT_ACTIONS } from '../../../../shared/domain';
import { call } from '../../api';
import { explanationText, reasonMessage } from '../../errors';
import { BandBadge, DecisionBadge, ErrorBox, KindBadge } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { formatDob, formatEffect, formatScore, nationalityLabel } from '../../format';
import { currentLang } from '../../i18n';

export function statusOf(fields: FieldCheck[], f: FieldCheck['field']): FieldCheck | undefined {
  return fields.find((x) => x.field === f);
}

export function HitCard({ hit, traveler, onChanged }: { hit: HitView; traveler: Traveler; onChanged: (h: HitView) => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [note, setNote] = useState(hit.note ?? '');
  const { busy, error, setError, run } = useSubmit();
  const ex = hit.explanation;
  const primary = hit.entry.names.find((n) => n.kind === 'primary')?.name ?? hit.entry.names[0]?.name ?? '';
  const mustDecide = needsDecision(hit.band) && hit.decision === 'undecided';

  async function decide(decision: 'not-same-person' | 'confirmed') {
    const hitId = hit.hitId;
    if (!hitId) return;
    const decided = await run(() => call('screening.decide', { hitId, decision, note: note.trim() || undefined }));
    if (decided) onChanged(decided);
  }

  const cmp = (field: FieldCheck['field']) => {
    const c = statusOf(ex.fields, field);
    return c ? `cmp-${c.status}` : '';
  };
  const action = hit.action === DEFAULT_ACTIONS[hit.listKind] ? t(`actions.${hit.listKind}`) : hit.action;
  const travelerNames = [traveler.fullName, [traveler.givenNames, traveler.surname].filter(Boolean).join(' ')].filter(Boolean);

  return (
    <article
      className={`hit band-${hit.band}-border ${mustDecide ? 'must-decide' : ''}`}
      data-testid="hit-card"
      data-entry-id={hit.entryId}
      data-band={hit.band}
      data-decision={hit.decision}
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
        <button type="button" className={`secondary ${hit.decision === 'not-same-person' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('not-same-person')} data-testid="decide-not-same">
          {t('screening.notSame')}
        </button>
        <button type="button" className={`danger ${hit.decision === 'confirmed' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('confirmed')} data-testid="decide-confirm">
          {t('screening.confirm')}
        </button>
        {hit.decision !== 'undecided' && (
          <span className="decided" data-testid="decided">
            {t('screening.decided', { decision: t(`decisions.${hit.decision}`) })}
            {hit.note ? ` — ${hit.note}` : ''}
          </span>
        )}
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
    </article>
  );
}
