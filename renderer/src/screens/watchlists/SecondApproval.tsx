/**
 * A second supervisor's approval typed on the asking supervisor's desk (four eyes that holds,
 * issue 15): turning a four-eyes setting off, or rolling back a list whose new versions need a
 * second supervisor. The same form as the officer's desk approval (screening/Adjudication.tsx):
 * focus starts in the username, Enter approves, Escape cancels; after a refusal the password is
 * cleared and focus goes where the fix is. The engine checks it (watchlists/four-eyes.ts).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../../shared/client';
import { ErrorBox, Field } from '../../components/ui';

/** The second supervisor's username and password. */
export interface SecondApprovalValue {
  username: string;
  password: string;
}

export function SecondApprovalForm({ title, help, submitLabel, busy, error, onApprove, onCancel, testId = 'second-approval' }: {
  title: string; help: string; submitLabel: string; busy: boolean; error: unknown;
  onApprove: (a: SecondApprovalValue) => void; onCancel: () => void; testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    userRef.current?.focus();
  }, []);
  useEffect(() => {
    if (!error) return;
    const accountWrong = error instanceof ApiCallError && (error.reason === 'approval.sameAsRequester' || error.reason === 'approval.notSupervisor');
    (accountWrong || !username ? userRef : passwordRef).current?.focus();
    // Only a new refusal moves focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim()) return userRef.current?.focus();
    if (!password) return passwordRef.current?.focus();
    onApprove({ username: username.trim(), password });
    // The password is typed again for every attempt; it is never kept on the desk.
    setPassword('');
  }

  return (
    <form
      className="approval-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      data-testid={testId}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-help`}
    >
      <h4 id={`${id}-title`}>{title}</h4>
      <p id={`${id}-help`} className="small-text">{help}</p>
      <div className="approval-fields">
        <Field label={t('fourEyes.username')}>
          {(fid) => (
            <input id={fid} ref={userRef} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} maxLength={64} data-testid="second-approval-username" />
          )}
        </Field>
        <Field label={t('fourEyes.password')}>
          {(fid) => (
            <input id={fid} ref={passwordRef} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" maxLength={256} data-testid="second-approval-password" />
          )}
        </Field>
        <div className="approval-actions">
          <button type="submit" disabled={busy} data-testid="second-approval-submit">
            {busy ? t('fourEyes.approving') : submitLabel} <kbd>Enter</kbd>
          </button>
          <button type="button" className="secondary" onClick={onCancel} data-testid="second-approval-cancel">
            {t('fourEyes.cancel')} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
      <ErrorBox error={error} testId="second-approval-error" />
    </form>
  );
}
