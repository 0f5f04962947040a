/**
 * A list's lifecycle (issue 13, core/watchlists/lifecycle.ts), for supervisors: rename it, correct
 * its kind, retire it (asked first: it stops being screened at once) or reactivate it. On a list
 * whose new versions need a second supervisor each change needs one too: the second supervisor
 * types their own username and password here (SecondApproval.tsx), and that approval is the
 * confirmation. A list the centre publishes: renamed and re-kinded only on a publishing desk
 * (`managed` says this desk is not one), retired and brought back only at the centre; the panel
 * says so instead of offering what the engine would refuse.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListView } from '../../../../shared/contract';
import { LIST_KINDS, type ListKind } from '../../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, Field, Notice } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { currentLang } from '../../i18n';
import { useDesk } from '../../session';
import { SecondApprovalForm, type SecondApprovalValue } from './SecondApproval';

/** One lifecycle change as the panel asks for it. */
export type LifecycleChange = { action: 'rename'; name: string } | { action: 'kind'; kind: ListKind } | { action: 'retire' } | { action: 'reactivate' };

/** Sends `change` for `listId` (with a second supervisor's approval where given); resolves to the list as it is now. */
export function sendChange(listId: string, change: LifecycleChange, approval?: SecondApprovalValue): Promise<ListView> {
  switch (change.action) {
    case 'rename':
      return call('watchlists.rename', { listId, name: change.name, approval });
    case 'kind':
      return call('watchlists.setKind', { listId, kind: change.kind, approval });
    case 'retire':
      return call('watchlists.retire', { listId, approval });
    case 'reactivate':
      return call('watchlists.reactivate', { listId, approval });
  }
}

/**
 * The panel. `managed`: a list the centre publishes on a desk that is not a publishing desk
 * (CentreActions.tsx managedElsewhere). `onChanged` reloads the lists after a change.
 */
export function LifecyclePanel({ list, onChanged, managed }: { list: ListView; onChanged: () => Promise<void>; managed: boolean }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const { busy, error, setError, run } = useSubmit();
  const approval = useSubmit();
  const [name, setName] = useState(list.name);
  const [kind, setKind] = useState<ListKind>(list.kind);
  const [confirmingRetire, setConfirmingRetire] = useState(false);
  /** The change waiting for a second supervisor's approval. */
  const [asking, setAsking] = useState<LifecycleChange | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const central = list.origin === 'central';
  const canRenameOrKind = !managed;
  const retired = Boolean(list.retiredAt);
  const working = busy || approval.busy;

  /** What a change did, for the success notice (the list's name as it was when asked). */
  function doneText(c: LifecycleChange, before: ListView): string {
    switch (c.action) {
      case 'rename':
        return t('lifecycle.renamed', { from: before.name, to: c.name });
      case 'kind':
        return t('lifecycle.kindChanged', { list: before.name, from: t(`kinds.${before.kind}`), to: t(`kinds.${c.kind}`) });
      case 'retire':
        return t('lifecycle.retiredDone', { list: before.name });
      case 'reactivate':
        return t('lifecycle.reactivatedDone', { list: before.name });
    }
  }

  /** Makes a change: asks for the second supervisor first where the list needs one. */
  function request(c: LifecycleChange) {
    setDone(null);
    setError(null);
    if (list.requireApproval) {
      approval.setError(null);
      setAsking(c);
      return;
    }
    void run(async () => {
      await sendChange(list.id, c);
      setDone(doneText(c, list));
      await onChanged();
    });
  }

  async function approve(a: SecondApprovalValue) {
    if (!asking) return;
    const c = asking;
    const ok = await approval.run(async () => {
      await sendChange(list.id, c, a);
      return true;
    });
    if (!ok) return;
    setAsking(null);
    setDone(doneText(c, list));
    await run(onChanged);
  }

  function rename(e: FormEvent) {
    e.preventDefault();
    setConfirmingRetire(false);
    request({ action: 'rename', name: name.trim() });
  }

  function changeKind(e: FormEvent) {
    e.preventDefault();
    setConfirmingRetire(false);
    request({ action: 'kind', kind });
  }

  const trimmed = name.trim();
  const approvalTexts = asking && {
    title: t(`lifecycle.approvalTitle.${asking.action}`),
    help: t('lifecycle.approvalHelp', { list: list.name }),
    submit: t(`lifecycle.approvalSubmit.${asking.action}`),
  };

  return (
    <section className="panel" data-testid="lifecycle-panel" aria-labelledby={`lifecycle-title-${list.id}`}>
      <h3 id={`lifecycle-title-${list.id}`}>{t('lifecycle.title', { list: list.name })}</h3>
      <p className="muted small-text">{t('lifecycle.help')}</p>
      {list.requireApproval && <Notice testId="lifecycle-four-eyes">{t('lifecycle.fourEyes')}</Notice>}
      {managed && <Notice testId="lifecycle-managed">{t('lifecycle.managedCentrally')}</Notice>}
      {retired && (
        <Notice kind="warning" testId="lifecycle-retired">
          {central
            ? t('lifecycle.retiredByCentre', { date: formatDateTime(list.retiredAt!, desk.timeZone, currentLang(), false) })
            : t('lifecycle.retiredHere', { date: formatDateTime(list.retiredAt!, desk.timeZone, currentLang(), false), version: list.retiredVersion?.number ?? '—' })}
        </Notice>
      )}

      <form className="lifecycle-form" onSubmit={rename} data-testid="lifecycle-rename-form">
        <Field label={t('lifecycle.nameLabel')} hint={t('lifecycle.nameHint')}>
          {(id) => (
            <input id={id} type="text" maxLength={120} autoComplete="off" value={name} readOnly={!canRenameOrKind}
              onChange={(e) => { setDone(null); setName(e.target.value); }} data-testid="lifecycle-name" />
          )}
        </Field>
        {canRenameOrKind && (
          <div className="actions">
            <button type="submit" disabled={working || !trimmed || trimmed === list.name} data-testid="lifecycle-rename">{t('lifecycle.rename')}</button>
          </div>
        )}
      </form>

      <form className="lifecycle-form" onSubmit={changeKind} data-testid="lifecycle-kind-form">
        <Field label={t('lifecycle.kindLabel')} hint={t('lifecycle.kindHint')}>
          {(id) => (
            <select id={id} value={kind} disabled={!canRenameOrKind} onChange={(e) => { setDone(null); setKind(e.target.value as ListKind); }} data-testid="lifecycle-kind">
              {LIST_KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
            </select>
          )}
        </Field>
        {canRenameOrKind && (
          <div className="actions">
            <button type="submit" disabled={working || kind === list.kind} data-testid="lifecycle-set-kind">{t('lifecycle.setKind')}</button>
          </div>
        )}
      </form>

      <div className="lifecycle-retirement" data-testid="lifecycle-retirement">
        <h4>{t('lifecycle.retirementTitle')}</h4>
        {central ? (
          <p className="muted small-text" data-testid="lifecycle-retire-at-centre">{t('lifecycle.retireAtCentre')}</p>
        ) : retired ? (
          <>
            <p className="muted small-text">{t('lifecycle.reactivateHelp')}</p>
            <button type="button" disabled={working} data-testid="lifecycle-reactivate" onClick={() => request({ action: 'reactivate' })}>{t('lifecycle.reactivate')}</button>
          </>
        ) : (
          <>
            <p className="muted small-text">{t('lifecycle.retireHelp')}</p>
            {!confirmingRetire ? (
              <button type="button" className="secondary" disabled={working} data-testid="lifecycle-retire"
                onClick={() => { setDone(null); setConfirmingRetire(true); }}>
                {t('lifecycle.retire')}
              </button>
            ) : (
              <div className="alert alert-warning" role="alertdialog" aria-modal="false" aria-labelledby={`retire-q-${list.id}`} data-testid="lifecycle-retire-confirm">
                <div className="alert-body">
                  <p id={`retire-q-${list.id}`}><b>{t('lifecycle.retireConfirmTitle', { list: list.name })}</b></p>
                  <p>{t('lifecycle.retireConfirmHelp')}</p>
                  <div className="actions">
                    <button type="button" className="danger" disabled={working} data-testid="lifecycle-retire-submit"
                      onClick={() => { setConfirmingRetire(false); request({ action: 'retire' }); }}>
                      {t('lifecycle.retireConfirm')}
                    </button>
                    <button type="button" className="secondary" data-testid="lifecycle-retire-cancel" onClick={() => setConfirmingRetire(false)}>{t('lifecycle.keep')}</button>
                  </div>
                </div>
              </div>
            )}
          </>
        )}
      </div>

      {asking && approvalTexts && (
        <SecondApprovalForm
          testId="lifecycle-approval"
          title={approvalTexts.title}
          help={approvalTexts.help}
          submitLabel={approvalTexts.submit}
          busy={approval.busy}
          error={approval.error}
          onApprove={(a) => void approve(a)}
          onCancel={() => setAsking(null)}
        />
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="lifecycle-error" />
      {done && <Notice kind="success" testId="lifecycle-done" takeFocus>{done}</Notice>}
    </section>
  );
}
