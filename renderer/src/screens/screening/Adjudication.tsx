/**
 * The desk's side of a hit (issue 11): the earlier clearance of the same document against the same
 * entry (shown, applied only with Alt+P), who decided and who approved, a supervisor's correction,
 * and the supervisor's approval typed on the officer's desk (four eyes). The engine enforces each
 * rule; these pieces only show them.
 */
import { useTranslation } from 'react-i18next';
import type { CorrectionView, HitView } from '../../../../shared/contract';
import { ApprovalCredentialsForm, type ApprovalCredentials } from '../../components/ApprovalForm';
import { formatDateTime } from '../../format';
import { currentLang } from '../../i18n';
import { useDesk } from '../../session';

/** A time as the desk shows it: the checkpoint's zone, the UI's calendar. */
export function useDeskTime(): (iso: string | null | undefined) => string {
  const { timeZone } = useDesk();
  const lang = currentLang();
  return (iso) => (iso ? formatDateTime(iso, timeZone, lang, false) : '');
}

/** The earlier clearance beside the hit, never instead of it; its button (Alt+P) applies it as a new decision. */
export function PreviousClearanceNote({ hit, selected, disabled, onApply }: { hit: HitView; selected: boolean; disabled: boolean; onApply: () => void }) {
  const { t } = useTranslation();
  const time = useDeskTime();
  const p = hit.previousClearance;
  // Once applied, the hit's own decision line says so (who cleared it first, when, why).
  if (!p || (hit.decision === 'not-same-person' && hit.repeatsHitId === p.hitId)) return null;
  return (
    <section className="previous-clearance" data-testid="previous-clearance" aria-labelledby={`previous-${hit.hitId}`}>
      <div className="previous-text">
        <b id={`previous-${hit.hitId}`}>{t('adjudication.previousTitle')}:</b>{' '}
        <span data-testid="previous-by">{t('adjudication.previousText', { decision: t(`decisions.${p.decision}`), user: p.decidedBy, time: time(p.decidedAt) })}</span>
        {' · '}
        <span data-testid="previous-note">{p.note ? t('adjudication.previousNote', { note: p.note }) : t('adjudication.previousNoNote')}</span>
        <div className="small-text muted">{t('adjudication.previousHelp')}</div>
      </div>
      {hit.decision !== 'not-same-person' && (
        <button type="button" className="secondary" disabled={disabled} onClick={onApply} data-testid="apply-previous">
          {t('adjudication.applyPrevious')} {selected && <kbd>Alt+P</kbd>}
        </button>
      )}
    </section>
  );
}

/** Who decided and when, who approved, whether it repeats an earlier clearance, and a supervisor's correction. */
export function DecisionTrail({ hit }: { hit: HitView }) {
  const { t } = useTranslation();
  const time = useDeskTime();
  const c = hit.correction;
  const p = hit.previousClearance;
  return (
    <>
      {hit.decidedBy && <span data-testid="decided-by">{' · '}{t('adjudication.decidedBy', { user: hit.decidedBy, time: time(hit.decidedAt) })}</span>}
      {hit.approvedBy && <>{' '}<span className="badge approved" data-testid="approved-by">{t('adjudication.approvedBy', { user: hit.approvedBy })}</span></>}
      {hit.repeatsHitId && (
        <>{' '}<span className="badge repeated" data-testid="repeated">
          {t('adjudication.appliedPrevious')}
          {p && p.hitId === hit.repeatsHitId ? ` (${t('adjudication.previousText', { decision: t(`decisions.${p.decision}`), user: p.decidedBy, time: time(p.decidedAt) })})` : ''}
        </span></>
      )}
      {c && <CorrectionNote correction={c} testId="correction" />}
    </>
  );
}

/** A supervisor's correction of a decision: who, when, why, and the original decision kept. */
export function CorrectionNote({ correction: c, testId, block = false }: { correction: CorrectionView; testId: string; block?: boolean }) {
  const { t } = useTranslation();
  const time = useDeskTime();
  const Tag = block ? 'div' : 'span';
  return (
    <Tag className={`correction-note${block ? ' small-text' : ''}`} data-testid={testId}>
      <span className="badge corrected">{t('adjudication.correctedBadge')}</span>{' '}
      {t('adjudication.corrected', { user: c.correctedBy, time: time(c.correctedAt), reason: c.reason })}{' '}
      <span className="muted">
        {t('adjudication.original', { decision: t(`decisions.${c.original.decision}`), user: c.original.decidedBy ?? '—', time: time(c.original.decidedAt) })}
        {c.original.note ? ` “${c.original.note}”` : ''}
      </span>
    </Tag>
  );
}

/**
 * The supervisor's username and password, typed on the officer's desk to clear a strong hit on a
 * list with four eyes (the shared approval form, components/ApprovalForm.tsx, with this desk's texts).
 */
export function ApprovalForm({ hit, busy, error, onApprove, onCancel }: {
  hit: HitView; busy: boolean; error: unknown; onApprove: (a: ApprovalCredentials) => void; onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <ApprovalCredentialsForm
      texts={{
        title: t('adjudication.approvalTitle'), help: t('adjudication.approvalHelp', { list: hit.list }),
        username: t('adjudication.supervisorUsername'), password: t('adjudication.supervisorPassword'),
        submit: t('adjudication.approveAndClear'), busy: t('adjudication.approving'), cancel: t('adjudication.cancel'),
      }}
      busy={busy}
      error={error}
      onApprove={onApprove}
      onCancel={onCancel}
      testId="approval-form"
      fieldTestId="approval"
      heading="h5"
    />
  );
}
