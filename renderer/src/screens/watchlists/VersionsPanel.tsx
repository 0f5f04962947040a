/** A list's versions: approve or reject a pending one, make an earlier one active again. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ListVersionDetail, type ListView } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorBox } from '../../components/ui';
import { formatDateTime } from '../../format';
import { currentLang } from '../../i18n';
import { hasRole, useDesk } from '../../session';
import { useSubmit } from '../../components/useSubmit';

export function VersionsPanel({ list, onChanged }: { list: ListView; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const [versions, setVersions] = useState<ListVersionDetail[]>([]);
  const { busy, error, setError, run } = useSubmit();
  const supervisor = hasRole(desk, 'supervisor');
  const load = useCallback(() => call('watchlists.versions', { listId: list.id }).then(setVersions, (e: unknown) => setError(e)), [list.id, setError]);
  useEffect(() => {
    void load();
  }, [load, list.activeVersion?.id, list.pendingVersion]);

  async function act(f: () => Promise<unknown>) {
    await run(async () => {
      await f();
      await onChanged();
      await load();
    });
  }

  return (
    <section className="panel" data-testid="versions-panel">
      <div className="panel-head">
        <h3>{t('watchlists.versionsTitle', { list: list.name })}</h3>
        {supervisor && (
          <label className="checkbox-inline">
            <input type="checkbox" checked={list.requireApproval} disabled={busy} data-testid="require-approval"
              onChange={(e) => void act(() => call('watchlists.setApproval', { listId: list.id, requireApproval: e.target.checked }))} />
            {t('watchlists.requireApproval')}
          </label>
        )}
      </div>
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
                  <button type="button" className="secondary small" disabled={busy} data-testid="version-rollback"
                    onClick={() => window.confirm(t('watchlists.rollbackConfirm', { version: v.number, list: list.name })) && void act(() => call('watchlists.rollback', { listId: list.id, versionId: v.id }))}>
                    {t('watchlists.rollback')}
                  </button>
                )}
                {supervisor && v.state === 'pending' && (
                  <>
                    <button type="button" className="small" disabled={busy} data-testid="version-approve" onClick={() => void act(() => call('watchlists.approve', { versionId: v.id }))}>{t('watchlists.approve')}</button>{' '}
                    <button type="button" className="secondary small" disabled={busy} data-testid="version-reject" onClick={() => void act(() => call('watchlists.reject', { versionId: v.id }))}>{t('watchlists.reject')}</button>
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
