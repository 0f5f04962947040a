/** My account (every role): the roles held, and changing one's own password (re-wraps the key slot). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api';
import { ErrorBox, Field, Notice } from '../components/ui';
import { useDesk } from '../session';
import { PASSWORD_RULES } from '../../../shared/passwords';
import { useSubmit } from '../components/useSubmit';

export function Account() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    setDone(false);
    if (form.next !== form.confirm) return setProblem(t('account.mismatch'));
    await run(async () => {
      await call('auth.changePassword', { currentPassword: form.current, newPassword: form.next });
      setForm({ current: '', next: '', confirm: '' });
      setDone(true);
    });
  }

  return (
    <div className="screen" data-testid="screen-account">
      <h2 className="screen-title">{t('account.title')}</h2>
      <div className="settings-grid">
        <section className="panel">
          <h3>{desk.user.username}</h3>
          <p className="small-text">{t('account.yourRoles')}:</p>
          <ul className="role-list" data-testid="my-roles">
            {desk.user.roles.map((r) => (
              <li key={r}>
                <span className={`badge role role-${r}`}>{t(`roles.${r}`)}</span> <span className="muted small-text">{t(`roleHelp.${r}`)}</span>
              </li>
            ))}
          </ul>
        </section>
        <form className="panel" onSubmit={submit} data-testid="password-form">
          <h3>{t('account.changeTitle')}</h3>
          <Field label={t('account.currentPassword')}>
            {(id) => <input id={id} type="password" value={form.current} onChange={(e) => setForm({ ...form, current: e.target.value })} autoComplete="current-password" required />}
          </Field>
          <Field label={t('account.newPassword')}>
            {(id) => <input id={id} type="password" value={form.next} onChange={(e) => setForm({ ...form, next: e.target.value })} autoComplete="new-password" required />}
          </Field>
          <Field label={t('account.newPasswordConfirm')}>
            {(id) => <input id={id} type="password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} autoComplete="new-password" required />}
          </Field>
          <p className="muted small-text">{t('users.policy', PASSWORD_RULES)}</p>
          {problem && <p className="warn-text">{problem}</p>}
          <ErrorBox error={error} onDismiss={() => setError(null)} />
          {done && <Notice kind="success" testId="password-changed">{t('account.changed')}</Notice>}
          <div className="actions">
            <button type="submit" disabled={busy}>{busy ? t('account.working') : t('account.submit')}</button>
          </div>
        </form>
      </div>
    </div>
  );
}
