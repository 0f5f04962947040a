/**
 * The crossings browser's filter bar: a search by the traveler's name and by document number, the
 * days (in the checkpoint's time zone), flagged only, and the checkpoint, officer, direction,
 * outcome, list, band and decision. Typed texts are applied once typing pauses (or at Enter), so
 * the engine is not asked for every keystroke; choices apply at once.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListView } from '../../../../shared/contract';
import { BANDS, DECISIONS, DIRECTIONS, OUTCOMES } from '../../../../shared/domain';
import { DayInput } from '../../components/DayInput';
import { Field } from '../../components/ui';
import { isFiltered, type CrossingFilters } from './filters';

/** How long typing must pause before a typed filter applies (ms). */
const TYPING_PAUSE_MS = 350;

/**
 * The filters; `onChange` gets each change (one key at a time). `resetKey` changes when the
 * filters are reset, so that the typed fields start again from the (empty) values.
 */
export function FilterBar({ value, onChange, onReset, resetKey, lists, checkpoints }: {
  value: CrossingFilters;
  onChange: <K extends keyof CrossingFilters>(key: K, v: CrossingFilters[K]) => void;
  onReset: () => void;
  resetKey: number;
  lists: readonly ListView[];
  /** Checkpoint names offered while typing (this desk's). */
  checkpoints: readonly string[];
}) {
  const { t } = useTranslation();
  const any = t('crossings.any');
  return (
    <div className="cx-filters" role="search" aria-label={t('crossings.filtersLabel')} data-testid="crossings-filters">
      <div className="cx-filter-row">
        <TypedFilter key={`name-${resetKey}`} label={t('crossings.filterName')} value={value.name} onCommit={(v) => onChange('name', v)}
          testId="filter-name" className="cx-name" hint={t('crossings.nameHint')} />
        <TypedFilter key={`document-${resetKey}`} label={t('crossings.filterDocument')} value={value.document} onCommit={(v) => onChange('document', v)}
          testId="filter-document" className="cx-document" mono />
        <DayInput key={`from-${resetKey}`} label={t('crossings.from')} initial={value.from} onChange={(d) => onChange('from', d)} testId="filter-from" invalidText={t('crossings.badDay')} />
        <DayInput key={`to-${resetKey}`} label={t('crossings.to')} initial={value.to} onChange={(d) => onChange('to', d)} testId="filter-to" invalidText={t('crossings.badDay')} />
        <label className="checkbox cx-flagged" title={t('crossings.flaggedHelp')}>
          <input type="checkbox" checked={value.flaggedOnly} onChange={(e) => onChange('flaggedOnly', e.target.checked)} data-testid="flagged-only" />
          {t('crossings.flaggedOnly')}
        </label>
        {isFiltered(value) && (
          <button type="button" className="link-button" onClick={onReset} data-testid="filter-reset">{t('crossings.reset')}</button>
        )}
      </div>
      <div className="cx-filter-row">
        <TypedFilter key={`checkpoint-${resetKey}`} label={t('crossings.filterCheckpoint')} value={value.checkpoint} onCommit={(v) => onChange('checkpoint', v)}
          testId="filter-checkpoint" suggestions={checkpoints} />
        <TypedFilter key={`officer-${resetKey}`} label={t('crossings.filterOfficer')} value={value.officer} onCommit={(v) => onChange('officer', v)} testId="filter-officer" />
        <Field label={t('crossings.colDirection')}>
          {(id) => (
            <select id={id} value={value.direction} onChange={(e) => onChange('direction', e.target.value as CrossingFilters['direction'])} data-testid="filter-direction">
              <option value="">{any}</option>
              {DIRECTIONS.map((d) => <option key={d} value={d}>{t(`directions.${d}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('crossings.colOutcome')}>
          {(id) => (
            <select id={id} value={value.outcome} onChange={(e) => onChange('outcome', e.target.value as CrossingFilters['outcome'])} data-testid="filter-outcome">
              <option value="">{any}</option>
              {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcomes.${o}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('crossings.filterList')}>
          {(id) => (
            <select id={id} value={value.list} onChange={(e) => onChange('list', e.target.value)} data-testid="filter-list">
              <option value="">{t('crossings.allLists')}</option>
              {lists.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('crossings.filterBand')}>
          {(id) => (
            <select id={id} value={value.band} onChange={(e) => onChange('band', e.target.value as CrossingFilters['band'])} data-testid="filter-band">
              <option value="">{any}</option>
              {BANDS.map((b) => <option key={b} value={b}>{t(`bands.${b}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('crossings.filterDecision')}>
          {(id) => (
            <select id={id} value={value.decision} onChange={(e) => onChange('decision', e.target.value as CrossingFilters['decision'])} data-testid="filter-decision">
              <option value="">{any}</option>
              {DECISIONS.map((d) => <option key={d} value={d}>{t(`decisions.${d}`)}</option>)}
            </select>
          )}
        </Field>
        <span className="muted small-text cx-hit-note">{t('crossings.hitFiltersNote')}</span>
      </div>
    </div>
  );
}

/**
 * A typed filter: applied `TYPING_PAUSE_MS` after typing pauses, or at once with Enter; `value`
 * is the applied value it starts from. `suggestions` are offered as the browser's own list.
 */
function TypedFilter({ label, value, onCommit, testId, className, hint, mono = false, suggestions }: {
  label: string; value: string; onCommit: (v: string) => void; testId: string; className?: string; hint?: string; mono?: boolean; suggestions?: readonly string[];
}) {
  const [text, setText] = useState(value);
  useEffect(() => {
    if (text.trim() === value.trim()) return;
    const timer = setTimeout(() => onCommit(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onCommit]);
  return (
    <Field label={label} className={className} hint={hint}>
      {(id) => (
        <>
          <input
            id={id}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                onCommit(text.trim());
              }
            }}
            className={mono ? 'mono' : undefined}
            autoComplete="off"
            spellCheck={false}
            list={suggestions?.length ? `${id}-list` : undefined}
            data-testid={testId}
          />
          {suggestions && suggestions.length > 0 && (
            <datalist id={`${id}-list`}>
              {suggestions.map((s) => <option key={s} value={s} />)}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
}
