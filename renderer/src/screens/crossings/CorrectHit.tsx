/**
 * A hit of a recorded crossing as the crossings list shows it: the current decision, whether and
 * how a supervisor corrected it (the first decision kept beside it), and for supervisors a
 * "Correct…" form (the decision and a mandatory reason; Enter saves, Escape cancels). The engine
 * keeps the replaced decision and warns when the recorded crossing contradicts the new one.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrossingView, HitCorrectionResult } from '../../../../shared/contract';
import type { Decision } from '../../../../shared/domain';
import { call } from '../../api';
import { BandBadge, DecisionBadge, ErrorBox, Field } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { formatScore } from '../../format';
import { CorrectionNote } from '../screening/Adjudication';

type CrossingHit = CrossingView['hits'][number];

/** `contradicts`: the hit is confirmed on a wanted list but its crossing was recorded as passed (marked for follow-up). */
export function CrossingHitLine({ hit, contradicts, canCorrect, onCorrected }: {
  hit: CrossingHit; contradicts: boolean; canCorrect: boolean; onCorrected: (r: HitCorrectionResult) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const c = hit.correction;
  return (
    <div className="hit-line" data-testid="crossing-hit" data-hit-id={hit.hitId} data-decision={hit.decision}>
      <code>{hit.list}:{hit.entryId}</code> <span className="mono">{formatScore(hit.score)}</span> <BandBadge band={hit.band} />{' '}
      <DecisionBadge decision={hit.decision} />
      {contradicts && <>{' '}<span className="badge must" data-testid="crossing-contradicts">{t('adjudication.contradicts')}</span></>}
      {/* A corrected hit's note is the correction's reason, shown with the correction below. */}
      {hit.note && !c && <span className="muted"> “{hit.note}”</span>}
      {c && <CorrectionNote correction={c} testId="crossing-correction" block />}
      {canCorrect && hit.decision !== 'undecided' && !open && (
        <>
          {' '}
          <button ref={button} type="button" className="link-button small-text" onClick={() => setOpen(true)} data-testid="correct-hit">
            {t('adjudication.correct')}<span className="sr-only"> {hit.list}:{hit.entryId}</span>
          </button>
        </>
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
    </div>
  );
}

function CorrectionForm({ hit, onCancel, onSaved }: { hit: CrossingHit; onCancel: () => void; onSaved: (r: HitCorrectionResult) => void }) {
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
