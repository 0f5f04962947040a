/**
 * Restore from an encrypted backup, offered at first run (no database here yet): the backup file,
 * the recovery passphrase it was made with, and a new password for one of its admin accounts.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/contract';
import { call, fileToBase64 } from '../api';
import { ErrorBox, Field, LanguageSwitch } from '../components/ui';
import { useSubmit } from '../components/useSubmit';

export function RestoreScreen({ onDone, onBack }: { onDone: (s: SessionView) => Promise<void>; onBack: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [form, setForm] = useState({ username: 'admin', passphrase: '', password: '', confirm: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    if (!file) return setProblem(t('restore.needFile'));
    if (form.password !== form.confirm) return setProblem(t('account.mismatch'));
    await run(async () => {
      const s = await call('backup.restore', {
        contentBase64: await fileToBase64(file), recoveryPassphrase: form.passphrase, username: form.username.trim(), newPassword: form.password,
      });
      await onDone(s);
    });
  }

  return (
    <div className="center-page">
      <form className="card narrow" onSubmit={submit} data-testid="restore-form" aria-labelledby="restore-title">
        <div className="card-head">
          <h1 id="restore-title">{t('restore.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('restore.intro')}</p>
        <Field label={t('restore.file')}>
          {(id) => (
            <div className="file-picker">
              <input id={id} type="file" className="visually-hidden" accept=".wdbak" data-testid="restore-file"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              <label htmlFor={id} className="file-button">{t('watchlists.chooseFile')}</label>
              <span className={file ? 'file-name' : 'file-name muted'} data-testid="restore-file-name">{file ? file.name : t('watchlists.noFile')}</span>
            </div>
          )}
        </Field>
        <Field label={t('fields.recoveryPassphrase')}>
          {(id) => <input id={id} type="password" value={form.passphrase} onChange={(e) => setForm({ ...form, passphrase: e.target.value })} autoComplete="off" required />}
        </Field>
        <Field label={t('restore.adminUsername')}>
          {(id) => <input id={id} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="username" required />}
        </Field>
        <Field label={t('account.newPassword')}>
          {(id) => <input id={id} type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" required />}
        </Field>
        <Field label={t('account.newPasswordConfirm')}>
          {(id) => <input id={id} type="password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} autoComplete="new-password" required />}
        </Field>
        {problem && <p className="warn-text" data-testid="restore-problem">{problem}</p>}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onBack}>{t('restore.back')}</button>
          <button type="submit" disabled={busy} data-testid="restore-submit">{busy ? t('restore.working') : t('restore.submit')}</button>
        </div>
      </form>
    </div>
  );
}
