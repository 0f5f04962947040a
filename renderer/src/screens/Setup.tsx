/** First-run setup: the admin account, the recovery passphrase and the checkpoint's identity. */
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/contract';
import { call } from '../api';
import { ErrorBox, Field, LanguageSwitch } from '../components/ui';
import { RestoreScreen } from './Restore';
import { MIN_PASSPHRASE_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULES } from '../../../shared/passwords';
import { useSubmit } from '../components/useSubmit';

function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Bangkok';
  } catch {
    return 'Asia/Bangkok';
  }
}

function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function SetupScreen({ onDone }: { onDone: (s: SessionView) => Promise<void> }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    adminUsername: 'admin', password: '', passwordConfirm: '', recoveryPassphrase: '', recoveryPassphraseConfirm: '',
    checkpointName: '', timeZone: defaultTimeZone(),
  });
  const [problems, setProblems] = useState<string[]>([]);
  const { busy, error, setError, run } = useSubmit();
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return ['Asia/Bangkok', 'Asia/Vientiane', 'Asia/Phnom_Penh', 'Asia/Yangon', 'UTC'];
    }
  }, []);
  const [restoring, setRestoring] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p: string[] = [];
    if ([...form.password].length < MIN_PASSWORD_LENGTH) p.push('setup.shortPassword');
    else if (form.password !== form.passwordConfirm) p.push('setup.mismatchPassword');
    if ([...form.recoveryPassphrase].length < MIN_PASSPHRASE_LENGTH) p.push('setup.shortPassphrase');
    else if (form.recoveryPassphrase !== form.recoveryPassphraseConfirm) p.push('setup.mismatchPassphrase');
    else if (form.recoveryPassphrase === form.password) p.push('setup.passphraseSameAsPassword');
    if (!knownTimeZone(form.timeZone.trim())) p.push('setup.badTimeZone');
    setProblems(p);
    setError(null);
    if (p.length) return;
    await run(async () => {
      const s = await call('app.setup', {
        adminUsername: form.adminUsername.trim(), password: form.password, recoveryPassphrase: form.recoveryPassphrase,
        checkpointName: form.checkpointName.trim(), timeZone: form.timeZone.trim(),
      });
      await onDone(s);
    });
  }

  if (restoring) return <RestoreScreen onDone={onDone} onBack={() => setRestoring(false)} />;
  return (
    <div className="center-page">
      <form className="card setup" onSubmit={submit} data-testid="setup-form" aria-labelledby="setup-title">
        <div className="card-head">
          <h1 id="setup-title">{t('app.name')} · {t('setup.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('setup.intro')}</p>
        <p className="small-text">
          <button type="button" className="link-button" onClick={() => setRestoring(true)} data-testid="restore-link">{t('restore.link')}</button>
        </p>

        <fieldset>
          <legend>{t('setup.account')}</legend>
          <Field label={t('fields.adminUsername')}>
            {(id) => <input id={id} value={form.adminUsername} onChange={set('adminUsername')} autoComplete="username" required maxLength={64} />}
          </Field>
          <div className="row2">
            <Field label={t('fields.password')} hint={t('setup.passwordHint', PASSWORD_RULES)}>
              {(id) => <input id={id} type="password" value={form.password} onChange={set('password')} autoComplete="new-password" required />}
            </Field>
            <Field label={t('fields.passwordConfirm')}>
              {(id) => <input id={id} type="password" value={form.passwordConfirm} onChange={set('passwordConfirm')} autoComplete="new-password" required />}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('setup.recovery')}</legend>
          <div className="alert alert-warning recovery-help" data-testid="recovery-help">{t('setup.recoveryHelp')}</div>
          <div className="row2">
            <Field label={t('fields.recoveryPassphrase')} hint={t('setup.passphraseHint', PASSWORD_RULES)}>
              {(id) => <input id={id} type="password" value={form.recoveryPassphrase} onChange={set('recoveryPassphrase')} autoComplete="off" required />}
            </Field>
            <Field label={t('fields.recoveryPassphraseConfirm')}>
              {(id) => <input id={id} type="password" value={form.recoveryPassphraseConfirm} onChange={set('recoveryPassphraseConfirm')} autoComplete="off" required />}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('setup.checkpoint')}</legend>
          <div className="row2">
            <Field label={t('fields.checkpointName')}>
              {(id) => <input id={id} value={form.checkpointName} onChange={set('checkpointName')} required maxLength={120} />}
            </Field>
            <Field label={t('fields.timeZone')} hint={t('setup.timeZoneHint')}>
              {(id) => (
                <>
                  <input id={id} value={form.timeZone} onChange={set('timeZone')} list={`${id}-zones`} required maxLength={64} />
                  <datalist id={`${id}-zones`}>
                    {zones.map((z) => <option key={z} value={z} />)}
                  </datalist>
                </>
              )}
            </Field>
          </div>
        </fieldset>

        {problems.length > 0 && (
          <div className="alert alert-error" role="alert" data-testid="setup-problems">
            <ul className="issues">{problems.map((p) => <li key={p}>{t(p, PASSWORD_RULES)}</li>)}</ul>
          </div>
        )}
        <ErrorBox error={error} />
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="setup-submit">
            {busy ? t('setup.working') : t('setup.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
