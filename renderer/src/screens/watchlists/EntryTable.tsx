/** Watchlist entries as a table: the active version's entries, or an import's preview (without id and reason). */
import { useTranslation } from 'react-i18next';
import type { EntryView } from '../../../../shared/contract';
import { formatDob, nationalityLabel } from '../../format';
import { currentLang } from '../../i18n';

export function EntryTable({ entries, preview = false }: { entries: EntryView[]; preview?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLang();
  return (
    <table className={preview ? 'grid compact' : 'grid'} data-testid={preview ? 'preview-table' : 'entries-table'}>
      <thead>
        <tr>
          {!preview && <th>{t('watchlists.colId')}</th>}
          <th className="num">{t('watchlists.colRow')}</th>
          <th>{t('watchlists.colNames')}</th>
          <th>{t('watchlists.colDob')}</th>
          <th>{t('watchlists.colSex')}</th>
          <th>{t('watchlists.colNationality')}</th>
          <th>{t('watchlists.colDocuments')}</th>
          <th>{t('watchlists.colReference')}</th>
          {!preview && <th>{t('watchlists.colReason')}</th>}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.entryId}:${e.sourceRow}`} data-testid={preview ? 'preview-row' : 'entry-row'}>
            {!preview && <td><code>{e.entryId}</code></td>}
            <td className="num">{e.sourceRow}</td>
            <td>
              {e.names.map((n, i) => (
                <div key={i} className={n.kind === 'alias' ? 'alias' : 'primary-name'}>
                  {n.name}
                  {n.kind === 'alias' && <span className="muted"> ({t('watchlists.alias')})</span>}
                </div>
              ))}
            </td>
            <td className="nowrap">{formatDob(e.dateOfBirth, lang)}</td>
            <td>{e.sex ? t(`sexes.${e.sex}`) : ''}</td>
            <td>{e.nationalities.map((n) => nationalityLabel(n, lang)).join(', ')}</td>
            <td>{e.documents.map((d, i) => <div key={i}><code>{d.number}</code>{d.issuer ? ` (${d.issuer})` : ''}</div>)}</td>
            <td>{e.reference}</td>
            {!preview && <td>{e.reason}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
