/**
 * "This desk | Department" (issue 16): which data a screen shows on a desk joined to the centre,
 * the desk's own or the department's at the centre. Used by Crossings (screens/crossings/Department.tsx)
 * and the Dashboard; `label` names the group for screen readers, `testId` tells the two apart.
 */
import { useTranslation } from 'react-i18next';

/** The two scopes a joined desk offers its auditors and supervisors. */
export type Scope = 'desk' | 'department';

export function ScopeSwitch({ value, onChange, label, testId = 'crossings-scope' }: {
  value: Scope;
  onChange: (v: Scope) => void;
  /** The group's accessible name (default: the Crossings screen's). */
  label?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={label ?? t('centralCrossings.switchLabel')} data-testid={testId}>
      {(['desk', 'department'] as const).map((v) => (
        <button key={v} type="button" className={value === v ? 'active' : ''} aria-pressed={value === v} onClick={() => onChange(v)} data-testid={`scope-${v}`}>
          {t(`centralCrossings.${v}`)}
        </button>
      ))}
    </div>
  );
}
