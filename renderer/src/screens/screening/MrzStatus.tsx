/** What the MRZ field holds: the document read and its check digits, or why it cannot be read yet. */
import { useTranslation } from 'react-i18next';
import type { MrzReading } from '../../../../shared/mrz';
import type { Reason } from '../../../../shared/reasons';
import { reasonMessage } from '../../errors';

export function MrzStatus({ reading, problem }: { reading: MrzReading | null; problem: Reason | null }) {
  const { t } = useTranslation();
  if (!reading) {
    return problem ? <div className="mrz-status muted" data-testid="mrz-status" aria-live="polite">{reasonMessage({ reason: problem.code, params: problem.params }, t)}</div> : null;
  }
  return (
    <div className={`mrz-status ${reading.valid ? 'ok-text' : 'warn-text'}`} data-testid="mrz-status" data-valid={reading.valid} aria-live="polite">
      <b>{t(`screening.mrzFormats.${reading.format}`)}</b>
      {' · '}
      {reading.valid ? t('screening.mrzValid') : t('screening.mrzInvalid')}
      {reading.warnings.length > 0 && (
        <ul className="mrz-warnings" data-testid="mrz-warnings">
          {reading.warnings.map((w, i) => <li key={i}>{reasonMessage({ reason: w.code, params: w.params }, t)}</li>)}
        </ul>
      )}
    </div>
  );
}
