/**
 * A supervisor's correction of a recorded crossing's hit, as the crossing's detail view offers it
 * (Detail.tsx): a "Correct…" button, then the form (the new decision and a mandatory reason; Enter
 * saves, Escape cancels and gives focus back to the button). The engine keeps the replaced
 * decision and warns when the recorded crossing contradicts the new one.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HitCorrectionResult } from '../../../../shared/contract';
import type { Decision } from '../../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, Field } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';

/** What the correction needs of a hit: its id, its list and entry (to name it), and its decision now. */
export interface CorrectableHit {
  hitId: string;
  list: string;
  entryId: string;
  decision: Decision;
}

/** "Correct…" on a decided hit, and its form once opened; `onCorrected` gets the engine's answer (the hit and any warnings). */
export function CorrectionAction({ hit, onCorrected }: { hit: CorrectableHit; onCorrected: (r: HitCorrectionResult) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  if (hit.decision === 'undecided') return null;
  return (
    <>
      {!open && (
        <button ref={button} type="button" className="link-button small-text" onClick={() => setOpen(true)} data-testid="correct-hit">
          {t('adjudication.correct')}<span className="sr-only"> {hit.list}:{hit.entryId}</span>
        </button>
      )}
      {open && (
        <CorrectionForm
          hit={hit}
          onCancel={() => {
            setOpen(false);
            requestAnimationFrame(() => button.current?.focus());
          }}
          onSaved={(r) => {
            setOpen(false);
            onCorrected(r);
          }}
        />
      )}
    </>
  );
}

function CorrectionForm({ hit, onCancel, onSaved }: { hit: CorrectableHit; onCancel: () => void; onSaved: (r: HitCorrectionResult) => void }) {
  const { t } = useTranslation();
  const [decision, setDecision] = useState<Exclude<Decision, 'undecided'>>(hit.decision === 'confirmed' ? 'not-same-person' : 'confirmed');
  const [why, setWhy] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const first = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!why.trim()) {
      setProblem(t('adjudication.reasonRequired'));
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    const r = await run(() => call('screening.correct', { hitId: hit.hitId, decision, reason: why.trim() }));
    if (r) onSaved(r);
  }

  return (
    <form
      className="correction-form"
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      aria-label={t('adjudication.correctLabel', { list: hit.list, entry: hit.entryId })}
      data-testid="correction-form"
    >
      <Field label={t('adjudication.newDecision')}>
        {(id) => (
          <select id={id} ref={first} value={decision} onChange={(e) => setDecision(e.target.value as typeof decision)}
            // Enter saves from the select too (a select does not submit its form by itself).
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); e.currentTarget.form?.requestSubmit(); } }}
            data-testid="correction-decision">
            <option value="not-same-person">{t('decisions.not-same-person')}</option>
            <option value="confirmed">{t('decisions.confirmed')}</option>
          </select>
        )}
      </Field>
      <Field label={t('adjudication.reason')} className="correction-reason">
        {(id) => (
          <input id={id} ref={reasonRef} value={why} onChange={(e) => setWhy(e.target.value)} maxLength={2000} autoComplete="off"
            aria-invalid={problem !== null} data-testid="correction-reason" />
        )}
      </Field>
      <div className="correction-actions">
        <button type="submit" disabled={busy} data-testid="correction-save">
          {busy ? t('adjudication.saving') : t('adjudication.saveCorrection')} <kbd>Enter</kbd>
        </button>
        <button type="button" className="secondary" onClick={onCancel} data-testid="correction-cancel">
          {t('adjudication.cancel')} <kbd>Esc</kbd>
        </button>
      </div>
      {problem && <div className="alert alert-error" role="alert" data-testid="correction-problem"><div className="alert-body">{problem}</div></div>}
      <ErrorBox error={error} testId="correction-error" />
    </form>
  );
}
