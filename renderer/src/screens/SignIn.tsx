/** Sign-in: unlocks the encrypted database with the user's key slot; or recovery with the passphrase. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/contract';
import { call } from '../api';
import { ErrorBox, Field, LanguageSwitch, Notice } from '../components/ui';
import { useSubmit } from '../components/useSubmit';

export function SignInScreen({ onDone, notice }: { onDone: (s: SessionView) => Promise<void>; notice?: string }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const [recovering, setRecovering] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  if (recovering) return <RecoverScreen onDone={onDone} onBack={() => setRecovering(false)} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const s = await call('auth.signIn', { username: username.trim(), password });
      setPassword('');
      await onDone(s);
    });
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
        <p className="small-text">
          <button type="button" className="link-button" onClick={() => setRecovering(true)} data-testid="recover-link">{t('recover.link')}</button>
        </p>
      </form>
    </div>
  );
}

/** Sets a new password for an admin account with the recovery passphrase, then signs in. */
function RecoverScreen({ onDone, onBack }: { onDone: (s: SessionView) => Promise<void>; onBack: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ username: '', passphrase: '', password: '', confirm: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblem(null);
    if (form.password !== form.confirm) return setProblem(t('account.mismatch'));
    await run(async () => onDone(await call('auth.recover', { username: form.username.trim(), recoveryPassphrase: form.passphrase, newPassword: form.password })));
  }

  return (
    <div className="center-page">
      <form className="card narrow" onSubmit={submit} data-testid="recover-form" aria-labelledby="recover-title">
        <div className="card-head">
          <h1 id="recover-title">{t('recover.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('recover.intro')}</p>
        <Field label={t('fields.username')}>
          {(id) => <input id={id} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="username" required />}
        </Field>
        <Field label={t('fields.recoveryPassphrase')}>
          {(id) => <input id={id} type="password" value={form.passphrase} onChange={(e) => setForm({ ...form, passphrase: e.target.value })} autoComplete="off" required />}
        </Field>
        <Field label={t('account.newPassword')}>
          {(id) => <input id={id} type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" required />}
        </Field>
        <Field label={t('account.newPasswordConfirm')}>
          {(id) => <input id={id} type="password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} autoComplete="new-password" required />}
        </Field>
        {problem && <p className="warn-text">{problem}</p>}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onBack}>{t('recover.back')}</button>
          <button type="submit" disabled={busy} data-testid="recover-submit">{busy ? t('recover.working') : t('recover.submit')}</button>
        </div>
      </form>
    </div>
  );
}
