/** A list's own score bands and action text (supervisors and admins edit, others read), and four eyes at the desk (supervisors). */
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ACTION_TEXT, type ListView } from '../../../../shared/contract';
import { BANDS, DEFAULT_THRESHOLDS, type Band } from '../../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, Field, Notice } from '../../components/ui';
import { useSubmit } from '../../components/useSubmit';
import { hasRole, useDesk } from '../../session';
import { SecondApprovalForm, type SecondApprovalValue } from './SecondApproval';
import { ManagedNotice } from './CentreActions';

/** A list's score bands (0..1) as three band-coloured values; "own" when the list overrides a default. */
export function Bands({ list }: { list: ListView }) {
  const { t } = useTranslation();
  const f = (n: number) => n.toFixed(2);
  const own = BANDS.some((b) => list.overrides[b] !== null) || list.overrides.actionText !== null;
  return (
    <span className="list-bands" data-testid="list-bands" title={t('watchlists.bandsTitle', { strong: f(list.thresholds.strong), review: f(list.thresholds.review), weak: f(list.thresholds.weak) })}>
      {BANDS.map((b) => <span key={b} className={`badge band-${b}`} data-band={b}>{f(list.thresholds[b])}</span>)}
      {own && <span className="muted small-text" title={t('watchlists.bandsOwnTitle')}>{t('watchlists.bandsOwn')}</span>}
    </span>
  );
}

export type SettingsForm = Record<Band, string> & { actionText: string; staleDays: string };

export function settingsForm(l: ListView): SettingsForm {
  const o = l.overrides;
  const v = (n: number | null) => (n === null ? '' : String(n));
  return { strong: v(o.strong), review: v(o.review), weak: v(o.weak), actionText: o.actionText ?? '', staleDays: v(o.staleDays) };
}

/**
 * A list's own score bands and action text. Supervisors and admins edit them (empty = default;
 * the engine checks the order and audits the change); everyone else sees them read-only. `managed`:
 * a list the centre publishes, on a desk that is not a publishing desk: read-only for everyone, with the reason.
 */
export function SettingsPanel({ list, canEdit: mayEdit, onChanged, managed = false }: { list: ListView; canEdit: boolean; onChanged: () => Promise<void>; managed?: boolean }) {
  const { t } = useTranslation();
  const canEdit = mayEdit && !managed;
  const stored = useMemo(() => settingsForm(list), [list]);
  const [form, setForm] = useState<SettingsForm>(stored);
  const { busy, error, setError, run } = useSubmit();
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const storedKey = JSON.stringify(stored);
  // The list changed (saved here, or reloaded): the form follows it (React's "adjust state on prop change").
  const [formOf, setFormOf] = useState(storedKey);
  if (formOf !== storedKey) {
    setFormOf(storedKey);
    setForm(stored);
  }
  const changed = JSON.stringify(form) !== storedKey;
  const hasOwn = Object.values(stored).some((v) => v !== '');
  const defaultAction = t(`actions.${list.kind}`);

  async function send(payload: { thresholds: Record<Band, number | null> | null; actionText: string | null; staleDays: number | null }) {
    setSaved(false);
    await run(async () => {
      await call('watchlists.setSettings', { listId: list.id, ...payload });
      setSaved(true);
      await onChanged();
    });
  }

  function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const thresholds = {} as Record<Band, number | null>;
    for (const b of BANDS) {
      const text = form[b].trim().replace(',', '.');
      if (!text) thresholds[b] = null;
      else if (/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) thresholds[b] = Number(text);
      else {
        setProblem(t('listSettings.notANumber', { field: t(`fields.${b}`) }));
        return;
      }
    }
    const days = form.staleDays.trim();
    if (days && !/^\d{1,4}$/.test(days)) {
      setProblem(t('listSettings.notADayCount', { field: t('stale.listLimitLabel') }));
      return;
    }
    void send({ thresholds, actionText: form.actionText.trim() || null, staleDays: days ? Number(days) : null });
  }

  const set = (k: keyof SettingsForm) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };

  return (
    <section className="panel" data-testid="settings-panel">
      <h3>{t('listSettings.title', { list: list.name })}</h3>
      <p className="muted small-text">{t('listSettings.help')}</p>
      {managed ? <ManagedNotice testId="settings-managed" /> : !canEdit && <Notice testId="settings-readonly">{t('listSettings.readOnly')}</Notice>}
      <form className="list-settings-form" onSubmit={save} data-testid="settings-form">
        <fieldset className="band-inputs">
          <legend>{t('listSettings.thresholds')}</legend>
          {BANDS.map((b) => (
            <Field key={b} label={t(`fields.${b}`)} hint={t('listSettings.defaultValue', { value: DEFAULT_THRESHOLDS[b].toFixed(2) })} className={`band-field band-field-${b}`}>
              {(id) => (
                <input id={id} type="text" inputMode="decimal" autoComplete="off" value={form[b]} onChange={set(b)} readOnly={!canEdit}
                  placeholder={DEFAULT_THRESHOLDS[b].toFixed(2)} data-testid={`threshold-${b}`} />
              )}
            </Field>
          ))}
        </fieldset>
        <Field label={t('fields.actionText')} hint={t('listSettings.actionHint', { kind: t(`kinds.${list.kind}`) })} className="action-field">
          {(id) => (
            <textarea id={id} rows={2} maxLength={MAX_ACTION_TEXT} value={form.actionText} onChange={set('actionText')} readOnly={!canEdit}
              placeholder={defaultAction} data-testid="action-text" />
          )}
        </Field>
        <Field label={t('stale.listLimitLabel')} hint={list.overrides.staleDays === null ? t('stale.listLimitHint', { count: list.staleAfterDays }) : t('stale.listLimitHintOwn')} className="stale-field">
          {(id) => (
            <input id={id} type="text" inputMode="numeric" autoComplete="off" value={form.staleDays} onChange={set('staleDays')} readOnly={!canEdit}
              placeholder={list.overrides.staleDays === null ? String(list.staleAfterDays) : ''} data-testid="stale-days" />
          )}
        </Field>
        {problem && <div className="alert alert-error" role="alert" data-testid="settings-problem"><div className="alert-body">{problem}</div></div>}
        <ErrorBox error={error} onDismiss={() => setError(null)} testId="settings-error" />
        {saved && !changed && <Notice kind="success" testId="settings-saved">{t('listSettings.saved')}</Notice>}
        {canEdit && (
          <div className="actions">
            <button type="submit" disabled={busy || !changed} data-testid="settings-save">{busy ? t('listSettings.saving') : t('listSettings.save')}</button>
            <button type="button" className="secondary" disabled={busy || !hasOwn} data-testid="settings-reset"
              onClick={() => { setProblem(null); void send({ thresholds: null, actionText: null, staleDays: null }); }}>
              {t('listSettings.reset')}
            </button>
          </div>
        )}
      </form>
      <ClearanceApprovalSetting list={list} onChanged={onChanged} managed={managed} />
    </section>
  );
}

/**
 * Four eyes at the desk: clearing a strong hit on the list needs a supervisor's approval. Turned on
 * at once (Space toggles it); turning it off asks for a second supervisor's username and password
 * first (SecondApproval.tsx). Supervisors change it, everyone else reads it. The engine audits it.
 */
function ClearanceApprovalSetting({ list, onChanged, managed }: { list: ListView; onChanged: () => Promise<void>; managed: boolean }) {
  const { t } = useTranslation();
  const canEdit = hasRole(useDesk(), 'supervisor') && !managed;
  const { busy, error, setError, run } = useSubmit();
  const approval = useSubmit();
  const [askingOff, setAskingOff] = useState(false);

  async function turnOff(a: SecondApprovalValue) {
    const done = await approval.run(async () => {
      await call('watchlists.setClearanceApproval', { listId: list.id, required: false, approval: a });
      return true;
    });
    if (!done) return;
    setAskingOff(false);
    await run(onChanged);
  }

  return (
    <div className="clearance-approval" data-testid="clearance-approval">
      <label className="checkbox">
        <input type="checkbox" checked={list.clearanceApproval} disabled={!canEdit} aria-describedby={`clearance-approval-help-${list.id}`}
          onChange={(e) => {
            // Not disabled while saving: focus stays on the box (Space toggles it again once saved).
            if (busy || approval.busy) return;
            if (!e.target.checked) {
              approval.setError(null);
              setAskingOff(true);
              return;
            }
            void run(async () => {
              await call('watchlists.setClearanceApproval', { listId: list.id, required: true });
              await onChanged();
            });
          }}
          data-testid="clearance-approval-toggle" />
        {t('adjudication.clearanceApproval')}
      </label>
      <p id={`clearance-approval-help-${list.id}`} className="muted small-text">
        {t('adjudication.clearanceApprovalHelp')}{list.clearanceApproval && canEdit && ` ${t('fourEyes.offNeedsSecond')}`}{!canEdit && !managed && ` ${t('adjudication.clearanceApprovalReadOnly')}`}
      </p>
      {askingOff && (
        <SecondApprovalForm
          testId="clearance-off-approval"
          title={t('fourEyes.offTitle')}
          help={t('fourEyes.clearanceOffHelp', { list: list.name })}
          submitLabel={t('fourEyes.turnOff')}
          busy={approval.busy}
          error={approval.error}
          onApprove={(a) => void turnOff(a)}
          onCancel={() => setAskingOff(false)}
        />
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="clearance-approval-error" />
    </div>
  );
}
