/**
 * The desk and its centre (issue 16), on a desk that joined one; nothing at all on a desk that
 * never did. `SyncStatus` sits in the header: when the desk last synced, what waits to be sent, a
 * warning once it has been offline past its limit (like a stale list), and a "Sync now" button.
 * While signed in it asks the engine where the desk stands every minute (central.status) and syncs
 * every five (central.sync); both are background calls that do not keep an idle session alive, and
 * are made past api.ts's lost-session signal, so that an expired session is noticed, as before, at
 * the user's next own call or by the idle lock, never in the middle of typing.
 * `CentrePanel` is the read-only Settings panel: desk, checkpoint, the centre's address without its
 * password, and the department root key's fingerprint in groups of four.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CentralStatusView } from '../../../shared/contract';
import { api, call } from '../api';
import { describeError, reasonMessage } from '../errors';
import { formatDateTime } from '../format';
import { currentLang } from '../i18n';
import { useDesk } from '../session';

/** How often the header asks where the desk stands, and how often it syncs, in ms. */
export const STATUS_POLL_MS = 60_000;
export const SYNC_EVERY_MS = 5 * 60_000;

/** "just now", "5 min ago", "3 h ago", "2 days ago" in the UI language. */
export function agoText(iso: string, now: number, t: TFunction): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return t('central.justNow');
  if (minutes < 60) return t('central.minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('central.hoursAgo', { count: hours });
  return t('central.daysAgo', { count: Math.floor(hours / 24) });
}

/** The fingerprint in groups of four hex digits, for reading aloud or comparing with paper. */
export function groupedFingerprint(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The header's sync status and its "Sync now" button; renders nothing on a desk that never joined. */
export function SyncStatus() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CentralStatusView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  const syncing = useRef(false);

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.call('central.status', {}));
    } catch {
      /* keep what was shown: a lost session is noticed at the user's next own call */
    }
    setNow(Date.now());
  }, []);

  /** One sync: `own` when the user asked for it (Sync now), else the timer's. */
  const sync = useCallback(async (own: boolean) => {
    if (syncing.current) return;
    syncing.current = true;
    setBusy(true);
    try {
      await (own ? call('central.sync', {}) : api.call('central.sync', {}));
      setFailure(null);
    } catch (e) {
      // The timer's failures show through the status (central.lastError); the user's own, as they came.
      if (own) setFailure(e);
    } finally {
      syncing.current = false;
      setBusy(false);
      await refresh();
    }
  }, [refresh]);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api.call('central.status', {}).then((s) => {
        if (!live) return;
        setStatus(s);
        setNow(Date.now());
      }, () => undefined);
    };
    load();
    const timer = window.setInterval(load, STATUS_POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);

  const joined = status?.joined ?? false;
  const lastSyncAt = status?.lastSyncAt ?? null;
  // The first status after sign-in: sync at once when the last one is older than the interval.
  const firstCheck = useRef(true);
  useEffect(() => {
    if (!joined || !firstCheck.current) return;
    const timer = window.setTimeout(() => {
      firstCheck.current = false;
      if (!lastSyncAt || Date.now() - Date.parse(lastSyncAt) > SYNC_EVERY_MS) void sync(false);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [joined, lastSyncAt, sync]);

  useEffect(() => {
    if (!joined) return;
    const timer = window.setInterval(() => void sync(false), SYNC_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [joined, sync]);

  if (!status?.joined) return null;
  const problem = failure ? describeError(failure, t).message : status.lastError ? reasonMessage(status.lastError, t) : null;
  const when = status.lastSyncAt ? t('central.synced', { ago: agoText(status.lastSyncAt, now, t) }) : t('central.neverSynced');
  const waiting = status.waiting ? t('central.waiting', { count: status.waiting }) : t('central.nothingWaiting');
  const title = [
    status.offline ? t('central.offlineTitle', { hours: status.offlineLimitHours }) : null,
    problem ? t('central.lastError', { reason: problem }) : null,
  ].filter(Boolean).join('\n');
  return (
    <span className={status.offline ? 'sync-status offline' : 'sync-status'} data-testid="sync-status" data-offline={status.offline ? 'true' : 'false'}
      role="status" aria-label={t('central.label')} title={title || undefined}>
      {status.offline && <span className="badge stale" data-testid="sync-offline">{t('central.offline', { hours: status.offlineLimitHours })}</span>}
      {!status.offline && problem && <span className="badge stale" data-testid="sync-problem">{t('central.notSynced')}</span>}
      <span className="user" data-testid="sync-text">{when} · {waiting}</span>
      <button type="button" className="secondary small" disabled={busy} data-testid="sync-now" onClick={() => void sync(true)}>
        {busy ? t('central.syncing') : t('central.syncNow')}
      </button>
    </span>
  );
}

/** The read-only Centre panel of the Settings screen; renders nothing on a desk that never joined. */
export function CentrePanel() {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const [status, setStatus] = useState<CentralStatusView | null>(null);

  useEffect(() => {
    call('central.status', {}).then(setStatus, () => setStatus(null));
  }, []);

  if (!status?.joined) return null;
  const time = (iso: string | null) => (iso ? formatDateTime(iso, desk.timeZone, lang, false) : t('central.never'));
  const rows: [string, string, string][] = [
    ['deskName', t('central.deskName'), status.deskName ?? '-'],
    ['checkpoint', t('central.checkpoint'), status.checkpoint ?? '-'],
    ['publisher', t('central.publisher'), status.publisher ? t('central.yes') : t('central.no')],
    ['url', t('central.url'), status.url ?? '-'],
    ['root', t('central.root'), status.rootFingerprint ? groupedFingerprint(status.rootFingerprint) : '-'],
    ['lastSync', t('central.lastSync'), time(status.lastSyncAt)],
    ['waiting', t('central.waitingLabel'), String(status.waiting)],
    ['offlineLimit', t('central.offlineLimit'), String(status.offlineLimitHours)],
  ];
  return (
    <section className="panel" data-testid="centre-panel">
      <h3>{t('central.panelTitle')}</h3>
      <p className="muted small-text">{t('central.panelHelp')}</p>
      <dl className="centre-facts">
        {rows.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`centre-${key}`} className={key === 'root' || key === 'url' ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      {status.lastError && <p className="small-text" data-testid="centre-error">{t('central.lastError', { reason: reasonMessage(status.lastError, t) })}</p>}
    </section>
  );
}
