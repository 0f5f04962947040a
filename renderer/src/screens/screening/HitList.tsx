/**
 * The hits of one screening as a compact list, most severe first. Hits of the same person on
 * several lists are one group under a header; duplicate entries of one list are one row that lists
 * every reference (shared/same-person.ts). The selected row is shown in full below the list.
 */
import { useTranslation } from 'react-i18next';
import type { HitView } from '../../../../shared/contract';
import { groupSamePerson } from '../../../../shared/same-person';
import { BandBadge, DecisionBadge, KindBadge } from '../../components/ui';
import { formatScore } from '../../format';
import { bySeverity, isOpen } from './Verdict';

/** One row of the list: the most severe hit of an entry and the other entries of the same list that are the same person. */
export interface HitRow {
  hit: HitView;
  duplicates: HitView[];
}

/** The hits as groups (one per person) of rows (one per list), most severe first. */
export function hitGroups(hits: readonly HitView[]): HitRow[][] {
  const sorted = [...hits].sort(bySeverity);
  return groupSamePerson(sorted, (h) => h.entry).map((person) => {
    const byList = new Map<string, HitView[]>();
    for (const h of person) byList.set(h.listId, [...(byList.get(h.listId) ?? []), h]);
    return [...byList.values()].map(([hit, ...duplicates]) => ({ hit: hit!, duplicates }));
  });
}

/** The hits of a row in the order of their source rows. */
export function rowHits(r: HitRow): HitView[] {
  return [r.hit, ...r.duplicates].sort((a, b) => a.sourceRow - b.sourceRow);
}

/** A row still needs a decision when any of its hits does. */
export function rowOpen(r: HitRow): boolean {
  return isOpen(r.hit) || r.duplicates.some(isOpen);
}

export function HitList({ groups, selected, onSelect }: { groups: HitRow[][]; selected: string | null; onSelect: (hitId: string) => void }) {
  const { t } = useTranslation();
  return (
    <table className="grid compact hit-list" data-testid="hit-list">
      <caption className="sr-only">{t('screening.hitListCaption')}</caption>
      <thead>
        <tr>
          <th className="num">{t('screening.score')}</th>
          <th>{t('screening.band')}</th>
          <th>{t('screening.entryCol')}</th>
          <th>{t('screening.listCol')}</th>
          <th>{t('fields.decision')}</th>
        </tr>
      </thead>
      {groups.map((rows, g) => (
        <tbody key={rows[0]!.hit.hitId} className={rows.length > 1 ? 'person-group' : ''} data-testid="hit-group" data-size={rows.length}>
          {rows.length > 1 && (
            <tr className="group-head">
              <th colSpan={5} scope="rowgroup">{t('screening.samePerson', { count: rows.length, n: g + 1 })}</th>
            </tr>
          )}
          {rows.map((r) => {
            const h = r.hit;
            const name = h.entry.names.find((n) => n.kind === 'primary')?.name ?? h.entry.names[0]?.name ?? '';
            const isSelected = h.hitId === selected;
            return (
              <tr key={h.hitId} className={`${isSelected ? 'selected' : ''} ${rowOpen(r) ? 'open' : ''}`} aria-selected={isSelected} data-testid="hit-row" data-decision={h.decision}>
                <td className={`num score band-${h.band}`}>{formatScore(h.score)}</td>
                <td><BandBadge band={h.band} /></td>
                <td>
                  <button type="button" className="link-button" onClick={() => h.hitId && onSelect(h.hitId)} aria-current={isSelected ? 'true' : undefined}>
                    {name}
                  </button>
                  {r.duplicates.length > 0 && (
                    <div className="small-text muted" data-testid="hit-duplicates">
                      {t('screening.duplicateEntries', { count: r.duplicates.length + 1, ids: rowHits(r).map((d) => d.entryId).join(', ') })}
                    </div>
                  )}
                </td>
                <td>{h.list} <KindBadge kind={h.listKind} /></td>
                <td>{rowOpen(r) ? <span className="badge must">{t('screening.mustDecide')}</span> : <DecisionBadge decision={h.decision} />}</td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
