/** The shell: first-run setup or sign-in, then the three screens of the desk. */
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/contract';
import { call, onSessionLost, transportKind } from './api';
import { ErrorBox, LanguageSwitch } from './components/ui';
import { SyncStatus } from './components/SyncStatus';
import { DeskContext, hasRole, type Desk } from './session';
import { Account } from './screens/Account';
import { Audit } from './screens/Audit';
import { BatchScreening } from './screens/BatchScreening';
import { Crossings } from './screens/Crossings';
import { Screening } from './screens/Screening';
import { SetupScreen } from './screens/Setup';
import { Settings } from './screens/Settings';
import { SignInScreen } from './screens/SignIn';
import { discardParked, hasParked } from './screens/screening/parked';
import { Users } from './screens/Users';
import { Watchlists } from './screens/Watchlists';

/** The dashboard and its charting library (ECharts, about 750 KB) load when first opened, not at every desk's start-up. */
const Dashboard = lazy(() => import('./screens/Dashboard').then((m) => ({ default: m.Dashboard })));

type Phase = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'setup' } | { kind: 'signin'; notice?: string } | { kind: 'desk'; desk: Desk };
type ScreenName = 'screening' | 'watchlists' | 'batch' | 'crossings' | 'dashboard' | 'audit' | 'users' | 'settings' | 'account';

/** Minutes without input after which the desk signs itself out (DESIGN.md section 4), until the engine says otherwise. */
const DEFAULT_IDLE_MINUTES = 15;

export function App() {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [screen, setScreen] = useState<ScreenName>('screening');
  // The idle-lock setting, as the engine reported it (app.status); the engine also expires idle sessions itself.
  const [idleMinutes, setIdleMinutes] = useState(DEFAULT_IDLE_MINUTES);
  /** The last sign-out was the user's own (not an idle lock): what they left open is not resumed. */
  const signedOutOnPurpose = useRef(false);

  const load = useCallback(
    () =>
      call('app.status', {}).then(
        (s) => {
          setIdleMinutes(s.idleMinutes);
          setPhase(s.initialized ? { kind: 'signin' } : { kind: 'setup' });
        },
        (e: unknown) => setPhase({ kind: 'error', error: e }),
      ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => onSessionLost(() => setPhase({ kind: 'signin', notice: 'app.sessionLost' })), []);

  const enter = useCallback(async (session: SessionView) => {
    const s = await call('app.status', {});
    const desk: Desk = { user: session.user, checkpointName: s.checkpointName ?? '', timeZone: s.timeZone ?? 'UTC' };
    setIdleMinutes(s.idleMinutes);
    // An officer back after an idle lock resumes the screening they left open (parked.ts); a
    // screening kept for anyone else is discarded.
    if (signedOutOnPurpose.current || !hasParked(session.user.id)) discardParked();
    signedOutOnPurpose.current = false;
    setScreen(
      hasRole(desk, 'officer') ? 'screening'
        : hasRole(desk, 'supervisor') ? 'watchlists'
          : hasRole(desk, 'auditor') ? 'crossings'
            : hasRole(desk, 'admin') ? 'users' : 'account',
    );
    setPhase({ kind: 'desk', desk });
  }, []);

  const signOut = useCallback(async (notice?: string) => {
    // A deliberate sign-out ends the work at the desk; an idle lock keeps it for the same officer.
    // (The screen parks what is open as it unmounts, after this: `enter` discards it.)
    signedOutOnPurpose.current = notice !== 'app.idleLocked';
    try {
      await call('auth.signOut', {});
    } catch {
      /* signed out locally either way */
    }
    setPhase({ kind: 'signin', notice });
  }, []);

  if (phase.kind === 'loading') return <div className="center-page"><p className="muted">{t('app.loading')}</p></div>;
  if (phase.kind === 'error') {
    return (
      <div className="center-page">
        <div className="card narrow">
          <h1>{t('app.name')}</h1>
          <ErrorBox error={phase.error} />
          <div className="actions">
            <button type="button" onClick={() => { setPhase({ kind: 'loading' }); void load(); }}>{t('app.retry')}</button>
          </div>
        </div>
      </div>
    );
  }
  if (phase.kind === 'setup') return <SetupScreen onDone={enter} />;
  if (phase.kind === 'signin') return <SignInScreen onDone={enter} notice={phase.notice ? t(phase.notice, { minutes: idleMinutes }) : undefined} />;

  const desk = phase.desk;
  const screens: { name: ScreenName; allowed: boolean }[] = [
    { name: 'screening', allowed: hasRole(desk, 'officer') },
    { name: 'watchlists', allowed: true },
    { name: 'batch', allowed: hasRole(desk, 'officer', 'supervisor') },
    { name: 'crossings', allowed: hasRole(desk, 'officer', 'supervisor', 'auditor') },
    { name: 'dashboard', allowed: hasRole(desk, 'supervisor', 'auditor') },
    { name: 'audit', allowed: hasRole(desk, 'auditor', 'admin') },
    { name: 'users', allowed: hasRole(desk, 'admin') },
    { name: 'settings', allowed: hasRole(desk, 'admin') },
  ];
  return (
    <DeskContext.Provider value={desk}>
      <IdleLock minutes={idleMinutes} onIdle={() => void signOut('app.idleLocked')} />
      <div className="shell">
        <header className="topbar">
          {/* The app's name with this desk's checkpoint and time zone under it (one row of header for every tab). */}
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">◉</span>
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-checkpoint" data-testid="checkpoint" title={`${desk.checkpointName} · ${desk.timeZone}`}>
                {desk.checkpointName} · {desk.timeZone}
              </span>
            </span>
          </div>
          <nav className="tabs" aria-label={t('app.navLabel')}>
            {screens.filter((s) => s.allowed).map((s) => (
              <button
                key={s.name}
                type="button"
                className={screen === s.name ? 'tab active' : 'tab'}
                aria-current={screen === s.name ? 'page' : undefined}
                data-testid={`nav-${s.name}`}
                onClick={() => setScreen(s.name)}
              >
                {t(`app.nav.${s.name}`)}
              </button>
            ))}
          </nav>
          <div className="topbar-right">
            {transportKind === 'http' && <span className="harness-tag" title={t('app.harnessNotice')}>harness</span>}
            <SyncStatus />
            <LanguageSwitch />
            <span className="user" data-testid="current-user">{t('app.signedInAs', { user: desk.user.username })}</span>
            <button
              type="button"
              className={screen === 'account' ? 'secondary small active' : 'secondary small'}
              aria-current={screen === 'account' ? 'page' : undefined}
              data-testid="nav-account"
              onClick={() => setScreen('account')}
            >
              {t('app.nav.account')}
            </button>
            <button type="button" className="secondary small" data-testid="sign-out" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          </div>
        </header>
        <main className="content">
          {screen === 'screening' && <Screening />}
          {screen === 'watchlists' && <Watchlists />}
          {screen === 'batch' && <BatchScreening />}
          {screen === 'crossings' && <Crossings />}
          {screen === 'dashboard' && <Suspense fallback={<p className="muted">{t('dashboard.loading')}</p>}><Dashboard /></Suspense>}
          {screen === 'audit' && <Audit />}
          {screen === 'users' && <Users />}
          {screen === 'settings' && <Settings onSaved={(s) => setIdleMinutes(s.idleMinutes)} />}
          {screen === 'account' && <Account />}
        </main>
      </div>
    </DeskContext.Provider>
  );
}

/** Signs the desk out after `minutes` without keyboard, mouse or touch input. */
function IdleLock({ minutes, onIdle }: { minutes: number; onIdle: () => void }) {
  const cb = useRef(onIdle);
  useEffect(() => {
    cb.current = onIdle;
  }, [onIdle]);
  useEffect(() => {
    let timer = window.setTimeout(() => cb.current(), minutes * 60_000);
    const reset = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => cb.current(), minutes * 60_000);
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [minutes]);
  return null;
}
