/**
 * The centre on the Watchlists screen (issue 16). On a desk that joined a centre each list says
 * where it comes from (the centre, or this desk's own import) and a list the centre retired says
 * so instead of current/stale. On a publishing desk a supervisor publishes a list at the centre or
 * retires it there (central.publish / central.retire, signed by their own key; a retirement asks
 * first), and sees the publication's sequence number and entry count, or the reason it failed.
 * On any other desk a list the centre publishes is read-only here: its import, rollback, approval
 * and settings controls are disabled with the reason (the engine refuses them anyway with
 * `central.listManagedCentrally`, store.ts assertManagedHere).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CentralStatusView, ListView, PublicationResultView } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorBox, Notice } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { currentLang } from '../../i18n';
import { useDesk } from '../../session';
import { groupedFingerprint } from '../../components/SyncStatus';

/** Where the desk stands with the centre (central.status), loaded once per mount; null until known or when it failed. */
export function useCentralStatus(): CentralStatusView | null {
  const [status, setStatus] = useState<CentralStatusView | null>(null);
  useEffect(() => {
    let live = true;
    call('central.status', {}).then(
      (s) => {
        if (live) setStatus(s);
      },
      () => {
        if (live) setStatus(null);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return status;
}

/** True when this desk may not change `list`: a list the centre publishes, on a desk that is not a publishing desk (the engine's rule). */
export function managedElsewhere(list: Pick<ListView, 'origin'> | undefined, status: CentralStatusView | null): boolean {
  return list?.origin === 'central' && !(status?.joined && status.publisher);
}

/** The list's origin as a badge: "Centre" or "This desk". */
export function OriginBadge({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const origin = list.origin ?? 'local';
  return (
    <span className={`badge origin-${origin}`} data-testid="list-origin" data-origin={origin} title={t(`centreLists.originTitle.${origin}`)}>
      {t(`centreLists.origin.${origin}`)}
    </span>
  );
}

/** "Retired" for a list the centre retired (the date in its title), else nothing. */
export function RetiredBadge({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const desk = useDesk();
  if (!list.retiredAt) return null;
  return (
    <span className="badge retired" data-testid="list-retired" title={t('centreLists.retiredTitle', { date: formatDateTime(list.retiredAt, desk.timeZone, currentLang(), false) })}>
      {t('centreLists.retired')}
    </span>
  );
}

/** The note beside a control this desk may not use on a list the centre publishes. */
export function ManagedNotice({ testId = 'list-managed' }: { testId?: string }) {
  const { t } = useTranslation();
  return <Notice testId={testId}>{t('centreLists.managedCentrally')}</Notice>;
}

/** Publishing and retiring at the centre: what is being asked, the call in flight, its result or error. */
export interface CentreActions {
  busy: boolean;
  /** The list whose call is in flight (its buttons say so). */
  working: { listId: string; action: 'publish' | 'retire' } | null;
  error: unknown;
  setError: (e: unknown) => void;
  result: PublicationResultView | null;
  /** The list a retirement waits to be confirmed for. */
  asking: ListView | null;
  publish: (l: ListView) => void;
  askRetire: (l: ListView | null) => void;
  confirmRetire: () => void;
}

/** The state of the screen's centre actions; `onDone` reloads the lists after a publication or retirement. */
export function useCentreActions(onDone: () => Promise<unknown>): CentreActions {
  const { busy, error, setError, run } = useSubmit();
  const [result, setResult] = useState<PublicationResultView | null>(null);
  const [asking, setAsking] = useState<ListView | null>(null);
  const [working, setWorking] = useState<CentreActions['working']>(null);

  const act = useCallback(async (l: ListView, action: 'publish' | 'retire') => {
    setResult(null);
    setWorking({ listId: l.id, action });
    const r = await run(() => call(action === 'publish' ? 'central.publish' : 'central.retire', { listId: l.id }));
    setWorking(null);
    if (r) setResult(r);
    await onDone();
  }, [run, onDone]);

  return {
    busy, working, error, setError, result, asking,
    publish: (l) => {
      setAsking(null);
      void act(l, 'publish');
    },
    askRetire: (l) => {
      setError(null);
      setResult(null);
      setAsking(l);
    },
    confirmRetire: () => {
      if (!asking) return;
      const l = asking;
      setAsking(null);
      void act(l, 'retire');
    },
  };
}

/** A supervisor's "Publish to centre" / "Retire at centre" buttons for one list (publishing desks only). */
export function CentreListButtons({ list, centre }: { list: ListView; centre: CentreActions }) {
  const { t } = useTranslation();
  const mine = centre.working?.listId === list.id ? centre.working.action : null;
  // A retired list keeps its version: publishing it again brings it back.
  const canPublish = list.activeVersion !== null || Boolean(list.retiredAt);
  const canRetire = list.origin === 'central' && !list.retiredAt;
  return (
    <div className="centre-actions" role="group" aria-label={t('centreLists.actionsLabel', { list: list.name })}>
      <button type="button" className="small" disabled={centre.busy || !canPublish} data-testid="centre-publish" onClick={() => centre.publish(list)}>
        {mine === 'publish' ? t('centreLists.publishing') : t('centreLists.publish')}
      </button>
      {canRetire && (
        <button type="button" className="secondary small" disabled={centre.busy} data-testid="centre-retire" onClick={() => centre.askRetire(list)}
          aria-expanded={centre.asking?.id === list.id}>
          {mine === 'retire' ? t('centreLists.retiring') : t('centreLists.retire')}
        </button>
      )}
    </div>
  );
}

/** The retirement's confirmation, and the last publication's result or error, above the lists. */
export function CentreOutcome({ centre }: { centre: CentreActions }) {
  const { t } = useTranslation();
  const r = centre.result;
  const signer = r ? groupedFingerprint(r.signer) : '';
  return (
    <>
      {centre.asking && (
        <div className="alert alert-warning centre-confirm" role="alertdialog" aria-modal="false" aria-labelledby="centre-retire-title"
          aria-describedby="centre-retire-help" data-testid="retire-confirm">
          <div className="alert-body">
            <p className="centre-confirm-title" id="centre-retire-title"><b>{t('centreLists.retireConfirmTitle', { list: centre.asking.name })}</b></p>
            <p id="centre-retire-help">{t('centreLists.retireConfirmHelp')}</p>
            <div className="actions">
              <ConfirmButton onClick={centre.confirmRetire} label={t('centreLists.retireConfirm')} />
              <button type="button" className="secondary" data-testid="retire-cancel" onClick={() => centre.askRetire(null)}>{t('centreLists.keep')}</button>
            </div>
          </div>
        </div>
      )}
      <ErrorBox error={centre.error} onDismiss={() => centre.setError(null)} testId="centre-error" />
      {r && (
        <Notice kind="success" testId="centre-result" takeFocus>
          {r.action === 'publish'
            ? t('centreLists.published', { list: r.listName, version: r.versionNumber ?? '—', seq: r.seq, entries: r.entries, signer })
            : t('centreLists.retiredDone', { list: r.listName, seq: r.seq, signer })}
        </Notice>
      )}
    </>
  );
}

/** The confirming button of the retirement; it takes focus once, when the question appears. */
function ConfirmButton({ onClick, label }: { onClick: () => void; label: string }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <button type="button" className="danger" data-testid="retire-confirm-submit" onClick={onClick} ref={ref}>
      {label}
    </button>
  );
}
