/**
 * Crossings (issue 14): browse the desk's recorded crossings, however many, filtered and sorted by
 * the engine (crossings/Filters.tsx, crossings/CrossingsTable.tsx); open one for its detail
 * (crossings/Detail.tsx: the traveler, every hit with its listed name, reference, explanation and
 * decision, the list versions; supervisors correct a decision there); export what the filter
 * selects as xlsx or csv in the UI's language (components/ExportButton.tsx: progress, cancel, the
 * file's rows, name and SHA-256). An officer sees what the engine gives them (the crossings they
 * recorded and the last 24 hours at this checkpoint) and exports nothing. On a desk joined to the
 * centre, auditors and supervisors switch to the department's crossings (crossings/Department.tsx).
 *
 * The filters and the sort are kept while the user moves to another screen and back (not for
 * another user).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListView } from '../../../shared/contract';
import { call } from '../api';
import { ExportButtons, type ExportFormat } from '../components/ExportButton';
import { ScopeSwitch } from '../components/ScopeSwitch';
import { Notice } from '../components/ui';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { CrossingsTable } from './crossings/CrossingsTable';
import { DepartmentCrossings } from './crossings/Department';
import { CrossingDetailView } from './crossings/Detail';
import { FilterBar } from './crossings/Filters';
import { filterRequest, listRequest, NO_FILTERS, rangeReversed, shownSort, type CrossingFilters, type CrossingSortState } from './crossings/filters';

/** The filters and sort last used in this window, and whose they are. */
let kept: { userId: string; filters: CrossingFilters; sort: CrossingSortState } | null = null;

export function Crossings() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [filters, setFilters] = useState<CrossingFilters>(() => (kept?.userId === desk.user.id ? kept.filters : NO_FILTERS));
  const [sort, setSort] = useState<CrossingSortState>(() => (kept?.userId === desk.user.id ? kept.sort : null));
  const [resetCount, setResetCount] = useState(0);
  /** Bumped when the crossings should be read again (a decision corrected in the detail). */
  const [reloads, setReloads] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [lists, setLists] = useState<ListView[]>([]);
  // Department-wide crossings (issue 16): offered on a joined desk to auditors and supervisors.
  const [joined, setJoined] = useState(false);
  const [scope, setScope] = useState<'desk' | 'department'>('desk');

  useEffect(() => {
    call('central.status', {}).then((s) => setJoined(s.joined)).catch(() => undefined);
    call('watchlists.list', {}).then(setLists).catch(() => undefined);
  }, []);
  useEffect(() => {
    kept = { userId: desk.user.id, filters, sort };
  }, [desk.user.id, filters, sort]);

  const change = useCallback(<K extends keyof CrossingFilters>(key: K, v: CrossingFilters[K]) => {
    // A name search starting lists the best matches first (until a column is sorted).
    if (key === 'name' && typeof v === 'string' && v.trim() && !filters.name.trim()) setSort(null);
    setFilters((f) => ({ ...f, [key]: v }));
  }, [filters.name]);
  const reset = useCallback(() => {
    setFilters(NO_FILTERS);
    setSort(null);
    setResetCount((n) => n + 1);
  }, []);

  const request = useMemo(() => listRequest(filters, sort), [filters, sort]);
  const requestKey = JSON.stringify(request);
  const reversed = rangeReversed(filters);
  const startExport = useCallback(
    (format: ExportFormat) => call('crossings.exportStart', { ...filterRequest(filters), format, lang: currentLang() }),
    [filters],
  );

  const canExport = hasRole(desk, 'supervisor', 'auditor');
  const canCorrect = hasRole(desk, 'supervisor');
  const officerOnly = !canExport;
  return (
    <div className="screen" data-testid="screen-crossings">
      <h2 className="screen-title">{t('crossings.title')}</h2>
      {joined && canExport && <ScopeSwitch value={scope} onChange={setScope} />}
      {joined && canExport && scope === 'department' ? <DepartmentCrossings /> : (
        <section className="panel cx-panel">
          <FilterBar value={filters} onChange={change} onReset={reset} resetKey={resetCount} lists={lists} checkpoints={[desk.checkpointName].filter(Boolean)} />
          <p className="muted small-text">{t('crossings.utcNote')} {t('crossings.flaggedHelp')} {t('crossings.searchAudited')}</p>
          {officerOnly && <Notice kind="info" testId="crossings-officer-scope">{t('crossings.officerScope')}</Notice>}
          <div className="cx-exports">
            {canExport ? (
              <ExportButtons kind="crossings" start={startExport} disabled={reversed} />
            ) : (
              <span className="muted small-text">{t('crossings.noExportRole')}</span>
            )}
          </div>
          {reversed ? (
            <Notice kind="warning" testId="crossings-range-reversed">{t('crossings.rangeReversed')}</Notice>
          ) : (
            <CrossingsTable
              key={requestKey}
              request={request}
              sort={shownSort(filters, sort)}
              onSort={setSort}
              onOpen={setOpenId}
              reloadToken={reloads}
              nameSearch={Boolean(filters.name.trim())}
            />
          )}
        </section>
      )}
      {openId && (
        <CrossingDetailView
          id={openId}
          onClose={() => setOpenId(null)}
          canCorrect={canCorrect}
          canReport={hasRole(desk, 'officer', 'supervisor')}
          onCorrected={() => setReloads((n) => n + 1)}
        />
      )}
    </div>
  );
}
