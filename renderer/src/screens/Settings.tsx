/** Settings and maintenance (admin): idle lock, retention and purge, the offline warning of a joined desk, encrypted backup, key rotation. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../shared/contract';
import { base64ToBytes, call, downloadFile } from '../api';
import { ErrorBox, Field, Notice } from '../components/ui';
import { formatDateTime } from '../format';
import { currentLang } from '../i18n';
import { useDesk } from '../session';
import { StaleLimitPanel } from './StaleLimitPanel';
import { CentrePanel } from '../components/SyncStatus';

export function Settings({ onSaved }: { onSaved?: (s: SettingsView) => void }) {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [idle, setIdle] = useState('');
  const [retention, setRetention] = useState('');
  const [offlineHours, setOfflineHours] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Kept as a key and its values, so that it follows a change of language.
  const [notice, setNotice] = useState<{ key: string; vars?: Record<string, string | number> } | null>(null);
  const [backupPass, setBackupPass] = useState('');
  const [rotate, setRotate] = useState({ password: '', passphrase: '' });

  useEffect(() => {
    call('settings.get', {}).then((s) => {
      setSettings(s);
      setIdle(String(s.idleMinutes));
      setRetention(String(s.retentionDays));
      setOfflineHours(String(s.offlineLimitHours));
    }, setError);
  }, []);

  async function act(name: string, fn: () => Promise<{ key: string; vars?: Record<string, string | number> }>) {
    setBusy(name);
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  function save(e: FormEvent) {
    e.preventDefault();
    void act('save', async () => {
      const s = await call('settings.update', { idleMinutes: Number(idle), retentionDays: Number(retention), offlineLimitHours: Number(offlineHours) });
      setSettings(s);
      onSaved?.(s);
      return { key: 'settings.saved' };
    });
  }

  return (
    <div className="screen" data-testid="screen-settings">
      <h2 className="screen-title">{t('settings.title')}</h2>
      {notice && <Notice kind="success" testId="settings-notice">{t(notice.key, notice.vars)}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <div className="settings-grid">
        <form className="panel" onSubmit={save} data-testid="settings-form">
          <h3>{t('settings.deskTitle')}</h3>
          <Field label={t('settings.idleMinutes')} hint={t('settings.idleHelp')}>
            {(id) => <input id={id} type="number" min={1} max={240} value={idle} onChange={(e) => setIdle(e.target.value)} data-testid="idle-minutes" required />}
          </Field>
          <Field label={t('settings.retentionDays')} hint={t('settings.retentionHelp')}>
            {(id) => <input id={id} type="number" min={0} max={36500} value={retention} onChange={(e) => setRetention(e.target.value)} data-testid="retention-days" required />}
          </Field>
          <Field label={t('settings.offlineLimitHours')} hint={t('settings.offlineHelp')}>
            {(id) => <input id={id} type="number" min={1} max={8760} value={offlineHours} onChange={(e) => setOfflineHours(e.target.value)} data-testid="offline-hours" required />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy !== null || !settings}>{t('settings.save')}</button>
          </div>
        </form>

        <StaleLimitPanel canEdit />

        <CentrePanel />

        <section className="panel">
          <h3>{t('settings.purgeTitle')}</h3>
          <p className="muted small-text">{t('settings.retentionHelp')}</p>
          <p className="small-text" data-testid="last-purge">
            {t('settings.lastPurge', { time: settings?.lastPurgeAt ? formatDateTime(settings.lastPurgeAt, desk.timeZone, lang, false) : t('settings.never') })}
          </p>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy !== null} data-testid="purge-now"
              onClick={() => void act('purge', async () => {
                const r = await call('retention.purge', {});
                setSettings(await call('settings.get', {}));
                return r.cutoff
                  ? { key: 'settings.purged', vars: { screenings: r.screenings, crossings: r.crossings, hits: r.hits, cutoff: formatDateTime(r.cutoff, desk.timeZone, lang, false) } }
                  : { key: 'settings.purgeOff' };
              })}>
              {busy === 'purge' ? t('settings.purging') : t('settings.purgeNow')}
            </button>
          </div>
        </section>

        <form className="panel" data-testid="backup-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('backup', async () => {
              const r = await call('backup.create', { recoveryPassphrase: backupPass });
              setBackupPass('');
              downloadFile(r.fileName, base64ToBytes(r.contentBase64), 'application/octet-stream');
              return { key: 'settings.backedUp', vars: { file: r.fileName, size: Math.ceil(r.bytes / 1024), sha: r.sha256.slice(0, 12) } };
            });
          }}>
          <h3>{t('settings.backupTitle')}</h3>
          <p className="muted small-text">{t('settings.backupHelp')}</p>
          <Field label={t('settings.passphrase')}>
            {(id) => <input id={id} type="password" value={backupPass} onChange={(e) => setBackupPass(e.target.value)} autoComplete="off" required data-testid="backup-passphrase" />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy !== null || !backupPass} data-testid="backup-now">{busy === 'backup' ? t('settings.backingUp') : t('settings.backupNow')}</button>
          </div>
        </form>

        <form className="panel" data-testid="rotate-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('rotate', async () => {
              const r = await call('keys.rotate', { password: rotate.password, recoveryPassphrase: rotate.passphrase });
              setRotate({ password: '', passphrase: '' });
              return { key: 'settings.rotated', vars: { from: r.previousKeyId, to: r.keyId } };
            });
          }}>
          <h3>{t('settings.rotateTitle')}</h3>
          <p className="muted small-text">{t('settings.rotateHelp')}</p>
          <Field label={t('settings.yourPassword')}>
            {(id) => <input id={id} type="password" value={rotate.password} onChange={(e) => setRotate({ ...rotate, password: e.target.value })} autoComplete="current-password" required />}
          </Field>
          <Field label={t('settings.passphrase')}>
            {(id) => <input id={id} type="password" value={rotate.passphrase} onChange={(e) => setRotate({ ...rotate, passphrase: e.target.value })} autoComplete="off" required />}
          </Field>
          <div className="actions">
            <button type="submit" className="warning-button" disabled={busy !== null || !rotate.password || !rotate.passphrase} data-testid="rotate-key">
              {busy === 'rotate' ? t('settings.rotating') : t('settings.rotate')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
