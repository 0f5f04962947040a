/** The active version's entries, paged and searchable. */
import Fuse from 'fuse.js';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EntryView, type ListView } from '../../../../shared/contract';
import { call } from '../../api';
import { ErrorBox, Field } from '../../components/ui';
import { EntryTable } from './EntryTable';

export const PAGE = 100;

export function EntriesPanel({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; entries: EntryView[] }>({ total: 0, entries: [] });
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call('watchlists.entries', { listId: list.id, offset, limit: PAGE })
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [list.id, offset]);

  const fuse = useMemo(
    () => new Fuse(page.entries, { keys: ['names.name', 'entryId', 'documents.number', 'reference', 'reason'], threshold: 0.35, ignoreLocation: true }),
    [page.entries],
  );
  const shown = filter.trim() ? fuse.search(filter.trim()).map((r) => r.item) : page.entries;

  return (
    <section className="panel" data-testid="entries-panel">
      <div className="panel-head">
        <h3>{t('watchlists.entriesTitle', { list: list.name, version: list.activeVersion?.number ?? list.retiredVersion?.number ?? '—' })}</h3>
        <Field label={t('watchlists.filter')} className="inline-field">
          {(id) => <input id={id} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('watchlists.filterPlaceholder')} data-testid="entries-filter" />}
        </Field>
      </div>
      <ErrorBox error={error} />
      <div className="muted small-text">
        {t('watchlists.showing', { from: page.total ? offset + 1 : 0, to: offset + page.entries.length, total: page.total })}
        {filter.trim() && ` · ${t('watchlists.filtered', { count: shown.length })}`}
      </div>
      <EntryTable entries={shown} />
      {page.total > PAGE && (
        <div className="pager">
          <button type="button" className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('watchlists.prev')}</button>
          <button type="button" className="secondary small" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>{t('watchlists.next')}</button>
        </div>
      )}
    </section>
  );
}
