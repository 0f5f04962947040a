/**
 * The checkpoint's stale-list limit (issue 11): days after which a list is flagged on the
 * Screening screen, unless the list sets its own. Supervisors and admins change it (audited).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api';
import { ErrorBox, Field, Notice } from '../components/ui';
import { useSubmit } from '../components/useSubmit';

export function StaleLimitPanel({ canEdit, onSaved }: { canEdit: boolean; onSaved?: () => void }) {
  const { t } = useTranslation();
  const [stored, setStored] = useState<number | null>(null);
  const [days, setDays] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, run } = useSubmit();

  useEffect(() => {
    call('settings.get', {}).then((s) => {
      setStored(s.staleDays);
      setDays(String(s.staleDays));
    }, setError);
  }, [setError]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const s = await run(() => call('settings.setStaleLimit', { staleDays: Number(days) }));
    if (!s) return;
    setStored(s.staleDays);
    setSaved(true);
    onSaved?.();
  }

  return (
    <form className="panel stale-limit" onSubmit={(e) => void save(e)} data-testid="stale-limit-form">
      <h3>{t('stale.limitTitle')}</h3>
      <p className="muted small-text">{t('stale.limitHelp')}</p>
      <Field label={t('stale.limitLabel')}>
        {(id) => (
          <input id={id} type="number" min={1} max={3650} required value={days} readOnly={!canEdit}
            onChange={(e) => { setSaved(false); setDays(e.target.value); }} data-testid="stale-limit-days" />
        )}
      </Field>
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="stale-limit-error" />
      {saved && stored !== null && <Notice kind="success" testId="stale-limit-saved">{t('stale.limitSaved', { count: stored })}</Notice>}
      {canEdit ? (
        <div className="actions">
          <button type="submit" disabled={busy || stored === null || String(stored) === days} data-testid="stale-limit-save">{t('stale.limitSave')}</button>
        </div>
      ) : <p className="muted small-text">{t('stale.readOnly')}</p>}
    </form>
  );
}
