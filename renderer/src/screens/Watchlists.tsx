/**
 * Watchlists: import a spreadsheet (check first, then publish), the lists and their entries. On a
 * desk joined to a centre (issue 16), where each list comes from, the centre's retirements, and on
 * a publishing desk the supervisor's "Publish to centre" / "Retire at centre" (watchlists/CentreActions.tsx).
 * A supervisor manages a list's lifecycle (issue 13): rename, kind, retire, reactivate
 * (watchlists/LifecyclePanel.tsx). A retired list is shown as such, with the version it had, and
 * its entries stay readable.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ListView } from '../../../shared/contract';
import { call } from '../api';
import { ErrorBox, KindBadge, Notice } from '../components/ui';
import { formatDateTime } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { EntriesPanel } from './watchlists/EntriesPanel';
import { ImportPanel } from './watchlists/ImportPanel';
import { Bands, SettingsPanel } from './watchlists/SettingsPanel';
import { VersionsPanel } from './watchlists/VersionsPanel';
import { LifecyclePanel } from './watchlists/LifecyclePanel';
import { StaleLimitPanel } from './StaleLimitPanel';
import { ageBasisText } from './screening/StaleLists';
import {
  CentreListButtons, CentreOutcome, managedElsewhere, OriginBadge, RetiredBadge, useCentralStatus, useCentreActions,
} from './watchlists/CentreActions';

export function Watchlists() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [lists, setLists] = useState<ListView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [openList, setOpenList] = useState<ListView | null>(null);
  const [historyList, setHistoryList] = useState<ListView | null>(null);
  const [settingsList, setSettingsList] = useState<ListView | null>(null);
  const [manageList, setManageList] = useState<ListView | null>(null);

  const reload = useCallback(
    () =>
      call('watchlists.list', {}).then(
        (l) => {
          setLists(l);
          setOpenList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
          setHistoryList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
          setSettingsList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
          setManageList((o) => (o ? l.find((x) => x.id === o.id) ?? null : null));
        },
        (e: unknown) => setError(e),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const central = useCentralStatus();
  const centre = useCentreActions(reload);
  const canRead = hasRole(desk, 'supervisor', 'officer', 'auditor');
  const canHistory = hasRole(desk, 'supervisor', 'auditor');
  const showOrigin = Boolean(central?.joined) || lists.some((l) => l.origin === 'central');
  const canPublish = Boolean(central?.joined && central.publisher) && hasRole(desk, 'supervisor');
  return (
    <div className="screen" data-testid="screen-watchlists">
      <h2 className="screen-title">{t('watchlists.title')}</h2>
      {hasRole(desk, 'supervisor') ? <ImportPanel lists={lists} onPublished={reload} central={central} /> : <Notice>{t('watchlists.noImportRole')}</Notice>}
      <section className="panel">
        <h3>{t('watchlists.listsTitle')}</h3>
        <ErrorBox error={error} onDismiss={() => setError(null)} />
        <CentreOutcome centre={centre} />
        {lists.length === 0 ? (
          <p className="muted" data-testid="no-lists">{t('watchlists.noLists')}</p>
        ) : (
          <table className="grid" data-testid="lists-table">
            <thead>
              <tr>
                <th>{t('watchlists.colName')}</th>
                <th>{t('watchlists.colKind')}</th>
                {showOrigin && <th>{t('centreLists.colOrigin')}</th>}
                <th className="num">{t('watchlists.colVersion')}</th>
                <th className="num">{t('watchlists.colEntries')}</th>
                <th className="num">{t('watchlists.colAge')}</th>
                <th>{t('watchlists.colState')}</th>
                <th>{t('watchlists.colBands')}</th>
                <th>{t('watchlists.colFile')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr key={l.id} data-testid="list-row" data-list={l.name} data-origin={l.origin ?? 'local'} data-retired={l.retiredAt ? 'true' : undefined}
                  className={[openList?.id === l.id ? 'selected' : '', l.retiredAt ? 'retired-list' : ''].filter(Boolean).join(' ') || undefined}>
                  <td><b>{l.name}</b></td>
                  <td><KindBadge kind={l.kind} /></td>
                  {showOrigin && <td><OriginBadge list={l} /></td>}
                  <td className="num" data-testid="list-version">
                    {l.activeVersion ? l.activeVersion.number : l.retiredVersion
                      ? <span className="muted" title={t('lifecycle.retiredVersionTitle')}>{t('lifecycle.retiredVersion', { version: l.retiredVersion.number })}</span>
                      : t('watchlists.noVersion')}
                  </td>
                  <td className="num" data-testid="list-count">{l.activeVersion?.entryCount ?? 0}</td>
                  <td className="num">
                    {l.ageDays === null ? '—' : t('watchlists.ageDays', { count: l.ageDays })}
                    {l.ageSince && <div className="muted small-text" data-testid="list-age-basis">{ageBasisText(l, t, desk.timeZone)}</div>}
                  </td>
                  <td>
                    {l.retiredAt && l.origin !== 'central' ? <LocalRetiredBadge list={l} timeZone={desk.timeZone} /> : <RetiredBadge list={l} />}
                    {l.activeVersion &&
                      (l.stale ? <span className="badge stale" data-testid="stale">{t('watchlists.stale')}</span> : <span className="badge ok">{t('watchlists.current')}</span>)}
                    {l.pendingVersion !== null && <> <span className="badge pending" data-testid="pending">{t('watchlists.pendingBadge', { version: l.pendingVersion })}</span></>}
                  </td>
                  <td className="nowrap"><Bands list={l} /></td>
                  <td className="small-text" title={l.activeVersion ? `${l.activeVersion.fileName}\nSHA-256 ${l.activeVersion.sha256}` : ''}>
                    {l.activeVersion ? `${l.activeVersion.fileName} · ${formatDateTime(l.activeVersion.createdAt, desk.timeZone, currentLang(), false)}` : ''}
                  </td>
                  <td className="right">
                    {canRead && (l.activeVersion || l.retiredVersion) && (
                      <button type="button" className="secondary small" onClick={() => setOpenList(openList?.id === l.id ? null : l)} data-testid="view-entries">
                        {openList?.id === l.id ? t('watchlists.hide') : t('watchlists.view')}
                      </button>
                    )}{' '}
                    {canHistory && (
                      <button type="button" className="secondary small" onClick={() => setHistoryList(historyList?.id === l.id ? null : l)} data-testid="view-versions">
                        {historyList?.id === l.id ? t('watchlists.hideVersions') : t('watchlists.versions')}
                      </button>
                    )}{' '}
                    <button type="button" className="secondary small" onClick={() => setSettingsList(settingsList?.id === l.id ? null : l)} data-testid="view-settings">
                      {settingsList?.id === l.id ? t('watchlists.hideSettings') : t('watchlists.settings')}
                    </button>
                    {hasRole(desk, 'supervisor') && (
                      <>
                        {' '}
                        <button type="button" className="secondary small" onClick={() => setManageList(manageList?.id === l.id ? null : l)} data-testid="view-lifecycle"
                          aria-expanded={manageList?.id === l.id}>
                          {manageList?.id === l.id ? t('lifecycle.hide') : t('lifecycle.manage')}
                        </button>
                      </>
                    )}
                    {canPublish && <CentreListButtons list={l} centre={centre} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {settingsList && (
        <SettingsPanel key={settingsList.id} list={settingsList} canEdit={hasRole(desk, 'supervisor', 'admin')} onChanged={reload}
          managed={managedElsewhere(settingsList, central)} />
      )}
      {manageList && <LifecyclePanel key={manageList.id} list={manageList} onChanged={reload} managed={managedElsewhere(manageList, central)} />}
      {historyList && <VersionsPanel list={historyList} onChanged={reload} managed={managedElsewhere(historyList, central)} />}
      {openList && <EntriesPanel key={`${openList.id}:${openList.activeVersion?.id ?? ''}`} list={openList} />}
      {hasRole(desk, 'supervisor') && <StaleLimitPanel canEdit onSaved={() => void reload()} />}
    </div>
  );
}

/** "Retired" for a list retired at this desk (watchlists.retire): the date in its title. */
function LocalRetiredBadge({ list, timeZone }: { list: ListView; timeZone: string }) {
  const { t } = useTranslation();
  return (
    <span className="badge retired" data-testid="list-retired" data-retired-by="desk"
      title={t('lifecycle.retiredBadgeTitle', { date: formatDateTime(list.retiredAt!, timeZone, currentLang(), false) })}>
      {t('lifecycle.retiredBadge')}
    </span>
  );
}
