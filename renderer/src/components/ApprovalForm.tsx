/**
 * A second person's approval typed on the asking person's desk (four eyes): a supervisor's
 * username and password, checked by the engine (electron/core/watchlists/four-eyes.ts
 * checkApproval). One form for every place that asks for it: the officer's clearance of a strong
 * hit (screening/Adjudication.tsx) and a supervisor turning a four-eyes setting off or rolling a
 * list back (watchlists/SecondApproval.tsx).
 * Focus starts in the username; Enter approves, Escape cancels. The password is cleared after every
 * attempt (it is never kept on the desk); after a refusal focus goes where the fix is: the username
 * when the account is the wrong one (or none was typed), else the password.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiCallError } from '../../../shared/client';
import type { ReasonCode } from '../../../shared/reasons';
import { ErrorBox, Field } from './ui';

/** The approving supervisor's username (trimmed) and password, as the engine's ApprovalSchema takes them. */
export interface ApprovalCredentials {
  username: string;
  password: string;
}

/** Refusals that name the wrong account (a fix in the username), not a wrong password. */
const ACCOUNT_WRONG: readonly ReasonCode[] = ['approval.sameAsOfficer', 'approval.sameAsRequester', 'approval.notSupervisor'];

/** The texts of an approval form, already translated by the caller (each place keeps its own i18n keys). */
export interface ApprovalFormTexts {
  title: string;
  help: string;
  username: string;
  password: string;
  submit: string;
  /** The submit button's text while the call runs. */
  busy: string;
  cancel: string;
}

/**
 * The approval form. `testId` marks the form; `fieldTestId` prefixes its parts
 * (`<prefix>-username`, `-password`, `-submit`, `-cancel`, `-error`). `heading` is the title's
 * level in the page around it.
 */
export function ApprovalCredentialsForm({ texts, busy, error, onApprove, onCancel, testId, fieldTestId, heading: Heading = 'h4' }: {
  texts: ApprovalFormTexts; busy: boolean; error: unknown;
  onApprove: (a: ApprovalCredentials) => void; onCancel: () => void;
  testId: string; fieldTestId: string; heading?: 'h4' | 'h5';
}) {
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
    const accountWrong = error instanceof ApiCallError && ACCOUNT_WRONG.includes(error.reason);
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
      <Heading id={`${id}-title`}>{texts.title}</Heading>
      <p id={`${id}-help`} className="small-text">{texts.help}</p>
      <div className="approval-fields">
        <Field label={texts.username}>
          {(fid) => (
            <input id={fid} ref={userRef} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} maxLength={64} data-testid={`${fieldTestId}-username`} />
          )}
        </Field>
        <Field label={texts.password}>
          {(fid) => (
            <input id={fid} ref={passwordRef} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" maxLength={256} data-testid={`${fieldTestId}-password`} />
          )}
        </Field>
        <div className="approval-actions">
          <button type="submit" disabled={busy} data-testid={`${fieldTestId}-submit`}>
            {busy ? texts.busy : texts.submit} <kbd>Enter</kbd>
          </button>
          <button type="button" className="secondary" onClick={onCancel} data-testid={`${fieldTestId}-cancel`}>
            {texts.cancel} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
      <ErrorBox error={error} testId={`${fieldTestId}-error`} />
    </form>
  );
}
