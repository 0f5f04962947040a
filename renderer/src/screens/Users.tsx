/** Users and roles (admin): create accounts, change roles, disable or enable, reset passwords. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_NAMES, type RoleName, type UserAccountView } from '../../../shared/contract';
import { call } from '../api';
import { ErrorBox, Field, Notice } from '../components/ui';
import { formatDateTime } from '../format';
import { currentLang } from '../i18n';
import { useDesk } from '../session';
import { PASSWORD_RULES } from '../../../shared/passwords';
import { useSubmit } from '../components/useSubmit';

type Editing = { id: string; mode: 'roles' | 'password' | 'enable' } | null;

/** Role checkboxes, each with what the role does. */
function RolePicker({ value, onChange, idPrefix }: { value: RoleName[]; onChange: (r: RoleName[]) => void; idPrefix: string }) {
  const { t } = useTranslation();
  return (
    <div className="role-picker" role="group" aria-label={t('users.roles')}>
      {ROLE_NAMES.map((r) => (
        <label key={r} className="checkbox role-option" title={t(`roleHelp.${r}`)}>
          <input
            type="checkbox"
            checked={value.includes(r)}
            data-testid={`${idPrefix}-role-${r}`}
            onChange={(e) => onChange(e.target.checked ? ROLE_NAMES.filter((x) => x === r || value.includes(x)) : value.filter((x) => x !== r))}
          />
          <span>
            <b>{t(`roles.${r}`)}</b> <span className="muted small-text role-help">{t(`roleHelp.${r}`)}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

export function Users() {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const [users, setUsers] = useState<UserAccountView[] | null>(null);
  const submitting = useSubmit();
  const { busy, error, setError } = submitting;
  // Kept as a key and its values, so that it follows a change of language.
  const [notice, setNotice] = useState<{ key: string; user: string } | null>(null);
  const [form, setForm] = useState({ username: '', password: '', confirm: '', roles: ['officer'] as RoleName[] });
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [editRoles, setEditRoles] = useState<RoleName[]>([]);
  const [editPw, setEditPw] = useState({ password: '', confirm: '' });

  const load = useCallback(() => call('users.list', {}).then(setUsers, setError), [setError]);
  useEffect(() => {
    void load();
  }, [load]);

  async function save(fn: () => Promise<UserAccountView>) {
    setNotice(null);
    await submitting.run(async () => {
      const u = await fn();
      setNotice({ key: 'users.saved', user: u.username });
      setEditing(null);
      await load();
    });
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setFormProblem(null);
    if (form.password !== form.confirm) return setFormProblem(t('users.mismatch'));
    if (!form.roles.length) return setFormProblem(t('users.needRole'));
    setNotice(null);
    await submitting.run(async () => {
      const u = await call('users.create', { username: form.username.trim(), password: form.password, roles: form.roles });
      setNotice({ key: 'users.created', user: u.username });
      setForm({ username: '', password: '', confirm: '', roles: ['officer'] });
      await load();
    });
  }

  function startEdit(u: UserAccountView, mode: 'roles' | 'password' | 'enable') {
    setEditing({ id: u.id, mode });
    setEditRoles(u.roles as RoleName[]);
    setEditPw({ password: '', confirm: '' });
    setError(null);
    setNotice(null);
  }

  function submitPassword(u: UserAccountView, mode: 'password' | 'enable') {
    if (editPw.password !== editPw.confirm) {
      setError(null);
      setNotice(null);
      setFormProblem(t('users.mismatch'));
      return;
    }
    setFormProblem(null);
    void save(() =>
      mode === 'enable'
        ? call('users.update', { userId: u.id, disabled: false, password: editPw.password })
        : call('users.resetPassword', { userId: u.id, password: editPw.password }),
    );
  }

  return (
    <div className="screen" data-testid="screen-users">
      <h2 className="screen-title">{t('users.title')}</h2>
      {notice && <Notice kind="success" testId="users-notice">{t(notice.key, { user: notice.user })}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <div className="users-layout">
        <form className="panel" onSubmit={create} data-testid="user-create-form" aria-labelledby="user-create-title">
          <h3 id="user-create-title">{t('users.createTitle')}</h3>
          <Field label={t('fields.username')}>
            {(id) => <input id={id} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="off" required />}
          </Field>
          <Field label={t('fields.password')}>
            {(id) => <input id={id} type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" required />}
          </Field>
          <Field label={t('fields.passwordConfirm')}>
            {(id) => <input id={id} type="password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} autoComplete="new-password" required />}
          </Field>
          <p className="muted small-text">{t('users.policy', PASSWORD_RULES)}</p>
          <div className="field">
            <label>{t('users.roles')}</label>
            <RolePicker value={form.roles} onChange={(roles) => setForm({ ...form, roles })} idPrefix="new" />
          </div>
          {formProblem && !editing && <p className="warn-text" data-testid="user-form-problem">{formProblem}</p>}
          <div className="actions">
            <button type="submit" disabled={busy} data-testid="user-create">{busy ? t('users.creating') : t('users.create')}</button>
          </div>
        </form>

        <section className="panel" aria-labelledby="users-list-title">
          <h3 id="users-list-title">{t('users.listTitle')}</h3>
          <table className="grid users-table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('users.colUser')}</th>
                <th>{t('users.colRoles')}</th>
                <th>{t('users.colState')}</th>
                <th>{t('users.colPassword')}</th>
                <th>{t('users.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {(users ?? []).map((u) => {
                const mine = u.id === desk.user.id;
                const edit = editing?.id === u.id ? editing.mode : null;
                return (
                  <tr key={u.id} data-testid="user-row" data-username={u.username} className={u.disabled ? 'disabled-row' : ''}>
                    <td>
                      <b>{u.username}</b> {mine && <span className="muted small-text">({t('users.you')})</span>}
                    </td>
                    <td>
                      {edit === 'roles' ? (
                        <div className="inline-edit">
                          <RolePicker value={editRoles} onChange={setEditRoles} idPrefix={`edit-${u.username}`} />
                          <div className="actions">
                            <button type="button" className="small" disabled={busy || !editRoles.length} data-testid="save-roles"
                              onClick={() => void save(() => call('users.update', { userId: u.id, roles: editRoles }))}>
                              {t('users.saveRoles')}
                            </button>
                            <button type="button" className="secondary small" onClick={() => setEditing(null)}>{t('users.cancel')}</button>
                          </div>
                        </div>
                      ) : (
                        <span className="role-badges">
                          {u.roles.map((r) => <span key={r} className={`badge role role-${r}`}>{t(`roles.${r}`)}</span>)}
                        </span>
                      )}
                    </td>
                    <td>
                      {u.department === 'revoked' ? (
                        <span className="badge state-disabled">{t('users.departmentRevoked')}</span>
                      ) : u.disabled ? (
                        <span className="badge state-disabled">{t('users.disabled')}</span>
                      ) : u.department === 'elsewhere' ? (
                        <span className="badge state-locked">{t('users.departmentElsewhere')}</span>
                      ) : u.lockedUntil ? (
                        <span className="badge state-locked">{t('users.locked', { time: formatDateTime(u.lockedUntil, desk.timeZone, lang, false) })}</span>
                      ) : (
                        <span className="badge ok">{t('users.active')}</span>
                      )}
                      {!u.disabled && !u.hasKeySlot && (u.department === null || u.department === 'here') && (
                        <div className="muted small-text" title={t('users.noSlotHelp')}>{t('users.noSlot')}</div>
                      )}
                      {u.department && (
                        <div className="muted small-text" data-testid="department-account">{t('users.department')}</div>
                      )}
                    </td>
                    <td className="nowrap small-text">{u.passwordChangedAt ? formatDateTime(u.passwordChangedAt, desk.timeZone, lang, false) : '—'}</td>
                    <td>
                      {edit === 'password' || edit === 'enable' ? (
                        <div className="inline-edit" data-testid="password-edit">
                          {edit === 'enable' && <p className="muted small-text">{t('users.enableHelp')}</p>}
                          <input type="password" aria-label={t('users.newPassword')} placeholder={t('users.newPassword')} value={editPw.password}
                            onChange={(e) => setEditPw({ ...editPw, password: e.target.value })} autoComplete="new-password" />
                          <input type="password" aria-label={t('users.newPasswordConfirm')} placeholder={t('users.newPasswordConfirm')} value={editPw.confirm}
                            onChange={(e) => setEditPw({ ...editPw, confirm: e.target.value })} autoComplete="new-password" />
                          {formProblem && <p className="warn-text small-text">{formProblem}</p>}
                          <div className="actions">
                            <button type="button" className="small" disabled={busy || !editPw.password} data-testid="save-password" onClick={() => submitPassword(u, edit)}>
                              {t('users.save')}
                            </button>
                            <button type="button" className="secondary small" onClick={() => { setEditing(null); setFormProblem(null); }}>{t('users.cancel')}</button>
                          </div>
                        </div>
                      ) : u.department ? (
                        // Changed only at the centre (the desk refuses: central.accountManagedCentrally).
                        <div className="muted small-text">{t('users.departmentHelp')}</div>
                      ) : (
                        <div className="row-actions">
                          {!u.disabled && (
                            <button type="button" className="secondary small" data-testid="edit-roles" disabled={busy} onClick={() => startEdit(u, 'roles')}>{t('users.editRoles')}</button>
                          )}
                          {!u.disabled && (
                            <button type="button" className="secondary small" data-testid="reset-password" disabled={busy} onClick={() => startEdit(u, 'password')}>{t('users.resetPassword')}</button>
                          )}
                          {u.disabled ? (
                            <button type="button" className="secondary small" data-testid="enable-user" disabled={busy} onClick={() => startEdit(u, 'enable')}>{t('users.enable')}</button>
                          ) : (
                            !mine && (
                              <button type="button" className="danger small" data-testid="disable-user" disabled={busy}
                                onClick={() => {
                                  if (window.confirm(t('users.confirmDisable', { user: u.username }))) void save(() => call('users.update', { userId: u.id, disabled: true }));
                                }}>
                                {t('users.disable')}
                              </button>
                            )
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
