/**
 * Stale lists on the Screening screen (issue 11): each list's age says what it is counted from
 * (the date the file gives for itself, else the import), and a banner names every list past its
 * limit with its age, so that an officer knows the screening may miss people added since.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AgeBasis, ScreenedList } from '../../../../shared/contract';
import { formatDateTime, formatDob } from '../../format';
import { currentLang } from '../../i18n';
import { useDesk } from '../../session';

/**
 * What a list's age is counted from: "source dated 1 Mar 2024", or "imported 2026-12-06 09:12"
 * ("imported" alone when `short`, for the narrow list panel).
 */
export function ageBasisText(l: { ageBasis: AgeBasis | null; ageSince: string | null }, t: TFunction, timeZone: string, short = false): string {
  const lang = currentLang();
  if (!l.ageSince) return '';
  if (l.ageBasis === 'source') return t('stale.basisSource', { date: formatDob(l.ageSince, lang) });
  return short ? t('stale.basisImportShort') : t('stale.basisImport', { date: formatDateTime(l.ageSince, timeZone, lang, false) });
}

type StaleItem = Pick<ScreenedList, 'listId' | 'name' | 'versionNumber' | 'ageDays' | 'ageBasis' | 'ageSince' | 'staleAfterDays' | 'stale'>;

/** The warning banner naming each stale list, its age and its limit; nothing when none is stale. */
export function StaleBanner({ lists }: { lists: StaleItem[] | null }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const stale = (lists ?? []).filter((l) => l.stale);
  if (!stale.length) return null;
  return (
    <div className="alert alert-warning stale-banner" role="alert" data-testid="stale-banner">
      <div className="alert-body">
        <strong className="stale-banner-title">{t('stale.bannerTitle', { count: stale.length })}</strong>
        <ul>
          {stale.map((l) => (
            <li key={l.listId} data-testid="stale-banner-item" data-list={l.name}>
              {t('stale.bannerItem', { list: l.name, version: l.versionNumber, count: l.ageDays, basis: ageBasisText(l, t, desk.timeZone), limit: l.staleAfterDays })}
            </li>
          ))}
        </ul>
        <span>{t('stale.bannerAction')}</span>
      </div>
    </div>
  );
}
