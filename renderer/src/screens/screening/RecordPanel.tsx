/** Recording the crossing: direction, outcome, note; the desk rules shown before the engine enforces them. */
import { useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrossingView, ScreeningResult } from '../../../../shared/contract';
import { DIRECTIONS, OUTCOMES, needsDecision, type Direction, type Outcome } from '../../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, Field, Notice } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';

const DIRECTION_KEY = 'watchdesk.direction';
function savedDirection(): Direction {
  try {
    const d = localStorage.getItem(DIRECTION_KEY);
    if (d === 'entry' || d === 'exit') return d;
  } catch {
    /* no storage */
  }
  return 'entry';
}

export function RecordPanel({
  result, dirty, onRecorded, buttonRef, headRef,
}: {
  result: ScreeningResult; dirty: boolean; onRecorded: (c: CrossingView) => void; buttonRef: RefObject<HTMLButtonElement | null>;
  /** The heading, where focus waits once nothing is left to decide (not on a control a stray key would press). */
  headRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  const flagged = result.hits.some((h) => needsDecision(h.band));
  const [direction, setDirection] = useState<Direction>(savedDirection);
  const [outcome, setOutcome] = useState<'' | Outcome>(flagged ? '' : 'passed');
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [needOutcome, setNeedOutcome] = useState(false);
  const undecided = result.hits.filter((h) => needsDecision(h.band) && h.decision === 'undecided').length;
  const confirmedWanted = result.hits.some((h) => h.decision === 'confirmed' && h.listKind === 'wanted');

  async function record(e: FormEvent) {
    e.preventDefault();
    if (!outcome) {
      setError(null);
      setNeedOutcome(true);
      return;
    }
    setNeedOutcome(false);
    const c = await run(() => call('crossings.record', { screeningId: result.screeningId, direction, outcome, note: note.trim() || undefined }));
    if (!c) return;
    try {
      localStorage.setItem(DIRECTION_KEY, direction);
    } catch {
      /* no storage */
    }
    onRecorded(c);
  }

  return (
    <form className="record" onSubmit={record} data-testid="record-form" aria-labelledby="record-title">
      <h4 id="record-title" ref={headRef} tabIndex={-1}>
        {t('screening.recordTitle')} <kbd>Alt+O</kbd> <kbd>Alt+R</kbd>
      </h4>
      <div className="record-grid">
        <fieldset className="radio-group">
          <legend>{t('screening.direction')}</legend>
          {DIRECTIONS.map((d) => (
            <label key={d} className="radio">
              <input type="radio" name="direction" value={d} checked={direction === d} onChange={() => setDirection(d)} />
              {t(`directions.${d}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('screening.outcome')}>
          {(id) => (
            <select id={id} value={outcome} onChange={(e) => { setOutcome(e.target.value as Outcome); setNeedOutcome(false); }}
              // Enter on the outcome records the crossing (a select does not submit its form by itself).
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); e.currentTarget.form?.requestSubmit(); } }}
              data-testid="record-outcome">
              <option value="" disabled>{t('screening.chooseOutcome')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcomes.${o}`)}
                  {o === 'passed' && confirmedWanted ? t('screening.notAllowedSuffix') : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('fields.note')} className="grow">
          {(id) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="record-note" />}
        </Field>
        <div className="field field-button">
          <button type="submit" ref={buttonRef} disabled={busy || dirty} data-testid="record-submit">
            {busy ? t('screening.recording') : t('screening.record')}
          </button>
        </div>
      </div>
      <div className="rules" data-testid="record-rules">
        <b>{t('screening.rulesTitle')}:</b>
        <ul>
          <li className={undecided ? 'rule-open' : 'rule-ok'}>
            {t('screening.ruleDecide')}{' '}
            {result.hits.some((h) => needsDecision(h.band)) && (
              <b data-testid="rule-undecided">{undecided ? t('screening.ruleDecideOpen', { count: undecided }) : t('screening.ruleDecideDone')}</b>
            )}
          </li>
          <li className={confirmedWanted ? (outcome === 'passed' ? 'rule-open' : 'rule-warn') : ''}>{t('screening.ruleWanted')}</li>
        </ul>
      </div>
      {needOutcome && <div className="alert alert-error" role="alert">{t('screening.needOutcome')}</div>}
      {dirty && <Notice kind="warning">{t('screening.formChanged')}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="record-error" />
    </form>
  );
}
