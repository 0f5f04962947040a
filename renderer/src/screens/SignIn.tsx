/** Sign-in: unlocks the encrypted database with the user's key slot. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/contract';
import { call } from '../api';
import { ErrorBox, Field, LanguageSwitch, Notice } from '../components/ui';

export function SignInScreen({ onDone, notice }: { onDone: (s: SessionView) => Promise<void>; notice?: string }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await call('auth.signIn', { username: username.trim(), password });
      setPassword('');
      await onDone(s);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div className="center-page">
      <form className="card narrow" onSubmit={submit} data-testid="signin-form" aria-labelledby="signin-title">
        <div className="card-head">
          <h1 id="signin-title">{t('app.name')} · {t('signIn.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('signIn.intro')}</p>
        {notice && <Notice kind="warning" testId="signin-notice">{notice}</Notice>}
        <Field label={t('fields.username')}>
          {(id) => <input id={id} ref={first} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />}
        </Field>
        <Field label={t('fields.password')}>
          {(id) => <input id={id} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />}
        </Field>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="signin-submit">{busy ? t('signIn.working') : t('signIn.submit')}</button>
        </div>
      </form>
    </div>
  );
}
