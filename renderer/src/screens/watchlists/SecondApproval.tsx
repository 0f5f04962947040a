/**
 * A second supervisor's approval typed on the asking supervisor's desk (four eyes that holds,
 * issue 15): turning a four-eyes setting off, or rolling back a list whose new versions need a
 * second supervisor. The shared approval form (components/ApprovalForm.tsx) with the four-eyes
 * texts; the engine checks it (watchlists/four-eyes.ts).
 */
import { useTranslation } from 'react-i18next';
import { ApprovalCredentialsForm, type ApprovalCredentials } from '../../components/ApprovalForm';

/** The second supervisor's username and password. */
export type SecondApprovalValue = ApprovalCredentials;

/** The form: `title`, `help` and `submitLabel` say what is being approved; `testId` marks the form. */
export function SecondApprovalForm({ title, help, submitLabel, busy, error, onApprove, onCancel, testId = 'second-approval' }: {
  title: string; help: string; submitLabel: string; busy: boolean; error: unknown;
  onApprove: (a: SecondApprovalValue) => void; onCancel: () => void; testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <ApprovalCredentialsForm
      texts={{ title, help, username: t('fourEyes.username'), password: t('fourEyes.password'), submit: submitLabel, busy: t('fourEyes.approving'), cancel: t('fourEyes.cancel') }}
      busy={busy}
      error={error}
      onApprove={onApprove}
      onCancel={onCancel}
      testId={testId}
      fieldTestId="second-approval"
    />
  );
}
