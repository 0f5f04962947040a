/**
 * A list's versions: approve or reject a pending one, make an earlier one active again. On a list
 * whose new versions need a second supervisor, turning that off and rolling back need one too: a
 * second supervisor types their own username and password here (SecondApproval.tsx). On a desk
 * that is not a publishing desk, a list the centre publishes (`managed`) is only read here.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ListVersionDetail, type ListView } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorBox } from '../../components/ui';
import { formatDateTime } from '../../format';
import { currentLang } from '../../i18n';
import { hasRole, useDesk } from '../../session';
import { useSubmit } from '../../components/useSubmit';
import { SecondApprovalForm, type SecondApprovalValue } from './SecondApproval';
import { ManagedNotice } from './CentreActions';

/** What waits for a second supervisor's approval: turning four-eyes publishing off, or a rollback. */
type Asking = { kind: 'approvalOff' } | { kind: 'rollback'; version: ListVersionDetail };

export function VersionsPanel({ list, onChanged, managed = false }: { list: ListView; onChanged: () => Promise<void>; managed?: boolean }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const [versions, setVersions] = useState<ListVersionDetail[]>([]);
  const { busy, error, setError, run } = useSubmit();
  const supervisor = hasRole(desk, 'supervisor');
  const [asking, setAsking] = useState<Asking | null>(null);
  const approval = useSubmit();
  const load = useCallback(() => call('watchlists.versions', { listId: list.id }).then(setVersions, (e: unknown) => setError(e)), [list.id, setError]);
  useEffect(() => {
    void load();
  }, [load, list.activeVersion?.id, list.pendingVersion]);

  async function refresh() {
    await onChanged();
    await load();
  }

  async function act(f: () => Promise<unknown>) {
    await run(async () => {
      await f();
      await refresh();
    });
  }

  function ask(a: Asking | null) {
    approval.setError(null);
    setAsking(a);
  }

  async function approve(a: SecondApprovalValue) {
    if (!asking) return;
    const done = await approval.run(async () => {
      if (asking.kind === 'approvalOff') await call('watchlists.setApproval', { listId: list.id, requireApproval: false, approval: a });
      else await call('watchlists.rollback', { listId: list.id, versionId: asking.version.id, approval: a });
      return true;
    });
    if (!done) return;
    setAsking(null);
    await run(refresh);
  }

  function rollback(v: ListVersionDetail) {
    // The second supervisor's approval is the confirmation where the list asks for one.
    if (list.requireApproval) ask({ kind: 'rollback', version: v });
    else if (window.confirm(t('watchlists.rollbackConfirm', { version: v.number, list: list.name }))) void act(() => call('watchlists.rollback', { listId: list.id, versionId: v.id }));
  }

  return (
    <section className="panel" data-testid="versions-panel">
      <div className="panel-head">
        <h3>{t('watchlists.versionsTitle', { list: list.name })}</h3>
        {supervisor && (
          <label className="checkbox-inline">
            <input type="checkbox" checked={list.requireApproval} disabled={busy || approval.busy || managed} data-testid="require-approval"
              onChange={(e) => {
                if (e.target.checked) void act(() => call('watchlists.setApproval', { listId: list.id, requireApproval: true }));
                else ask({ kind: 'approvalOff' });
              }} />
            {t('watchlists.requireApproval')}
          </label>
        )}
      </div>
      {asking && (
        <SecondApprovalForm
          key={asking.kind === 'rollback' ? asking.version.id : asking.kind}
          title={asking.kind === 'rollback' ? t('fourEyes.rollbackTitle') : t('fourEyes.offTitle')}
          help={asking.kind === 'rollback' ? t('fourEyes.rollbackHelp', { list: list.name, version: asking.version.number }) : t('fourEyes.approvalOffHelp', { list: list.name })}
          submitLabel={asking.kind === 'rollback' ? t('fourEyes.rollbackSubmit') : t('fourEyes.turnOff')}
          busy={approval.busy}
          error={approval.error}
          onApprove={(a) => void approve(a)}
          onCancel={() => ask(null)}
        />
      )}
      {managed && supervisor && <ManagedNotice testId="versions-managed" />}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <table className="grid" data-testid="versions-table">
        <thead>
          <tr>
            <th className="num">{t('watchlists.colVersionNo')}</th>
            <th>{t('watchlists.colState')}</th>
            <th>{t('watchlists.colFile')}</th>
            <th>{t('watchlists.colImported')}</th>
            <th className="num">{t('watchlists.colEntries')}</th>
            <th>{t('watchlists.colChanges')}</th>
            <th>{t('watchlists.colApproved')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-testid="version-row" data-version={v.number} className={v.active ? 'selected' : ''}>
              <td className="num">{v.number}</td>
              <td>
                <span className={`badge version-${v.active ? 'active' : v.state}`} data-testid="version-state">
                  {v.active ? t('watchlists.versionActive') : t(`watchlists.versionState.${v.state}`)}
                </span>
              </td>
              <td className="small-text" title={`SHA-256 ${v.sha256}`}>{v.fileName}</td>
              <td className="small-text">{formatDateTime(v.createdAt, desk.timeZone, currentLang(), false)} · {v.createdBy}</td>
              <td className="num">{v.imported}</td>
              <td className="small-text nowrap">{v.diff && v.diff.againstVersion !== null ? `+${v.diff.added} −${v.diff.removed} ~${v.diff.changed}` : '—'}</td>
              <td className="small-text">{v.approvedBy ? `${v.approvedBy} · ${formatDateTime(v.approvedAt!, desk.timeZone, currentLang(), false)}` : ''}</td>
              <td className="right nowrap">
                {supervisor && !v.active && (v.state === 'superseded' || v.state === 'published') && (
                  <button type="button" className="secondary small" disabled={busy || approval.busy || managed} data-testid="version-rollback"
                    onClick={() => rollback(v)}>
                    {t('watchlists.rollback')}
                  </button>
                )}
                {supervisor && v.state === 'pending' && (
                  <>
                    <button type="button" className="small" disabled={busy || managed} data-testid="version-approve" onClick={() => void act(() => call('watchlists.approve', { versionId: v.id }))}>{t('watchlists.approve')}</button>{' '}
                    <button type="button" className="secondary small" disabled={busy || managed} data-testid="version-reject" onClick={() => void act(() => call('watchlists.reject', { versionId: v.id }))}>{t('watchlists.reject')}</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
