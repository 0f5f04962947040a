/** The lists a screening was checked against: version, age and its basis, staleness, bands, "version N loading". */
import { useTranslation } from 'react-i18next';
import type { ScreenedList } from '../../../../shared/contract';
import { type Thresholds } from '../../../../shared/domain';
import { Notice } from '../../components/ui';
import { useDesk } from '../../session';
import { ageBasisText } from './StaleLists';

export function ListsStatus({ lists, bands }: { lists: ScreenedList[] | null; bands: Record<string, Thresholds> }) {
  const { t } = useTranslation();
  const desk = useDesk();
  return (
    <aside className="panel lists-status" data-testid="list-status" aria-labelledby="lists-status-title">
      <h3 id="lists-status-title">{t('screening.listsTitle')}</h3>
      {lists && lists.length === 0 && <Notice kind="warning">{t('screening.noListsLoaded')}</Notice>}
      <ul>
        {(lists ?? []).map((l) => (
          <li key={l.listId} className={l.stale ? 'stale' : ''} data-testid="list-status-item">
            <span className="list-name">{l.name}</span>
            <span className="list-meta">
              {t('screening.listVersion', { version: l.versionNumber })} · {t('screening.listAge', { count: l.ageDays })}{' '}
              <span data-testid="list-age-basis" title={ageBasisText(l, t, desk.timeZone)}>({ageBasisText(l, t, desk.timeZone, true)})</span>
              {l.stale && <span className="badge stale" title={t('stale.limitBadge', { count: l.staleAfterDays })}>{t('screening.stale')}</span>}
            </span>
            {l.loading && (
              <span className="list-meta" data-testid="list-status-loading">
                {l.screenedVersion === null
                  ? t('screening.versionLoading', { version: l.versionNumber })
                  : t('screening.versionLoadingScreened', { version: l.versionNumber, screened: l.screenedVersion })}
              </span>
            )}
            {bands[l.listId] && (
              <span className="list-meta list-bands" data-testid="list-status-bands">
                {t('screening.listBands', { strong: bands[l.listId]!.strong.toFixed(2), review: bands[l.listId]!.review.toFixed(2), weak: bands[l.listId]!.weak.toFixed(2) })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
