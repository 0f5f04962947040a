/** Small shared pieces of the UI. */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Band, Decision, ListKind } from '../../../shared/domain';
import { describeError } from '../errors';
import { LANGUAGES, setLanguage } from '../i18n';

/**
 * Previous / next buttons for a list shown `page` rows at a time, from row `offset` of `total`;
 * nothing when one page holds them all. `children` (a "showing 1-50 of 120" line) goes first.
 */
export function Pager({ offset, total, page, onOffset, prev, next, children }: {
  offset: number; total: number; page: number; onOffset: (offset: number) => void; prev: string; next: string; children?: ReactNode;
}) {
  if (total <= page) return null;
  return (
    <div className="pager">
      {children}
      <button type="button" className="secondary small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - page))}>{prev}</button>
      <button type="button" className="secondary small" disabled={offset + page >= total} onClick={() => onOffset(offset + page)}>{next}</button>
    </div>
  );
}

/** An error from a call, in plain words, with any field-level issues. */
export function ErrorBox({ error, onDismiss, testId = 'error' }: { error: unknown; onDismiss?: () => void; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const d = describeError(error, t);
  return (
    <div className="alert alert-error" role="alert" data-testid={testId} data-code={d.code}>
      <div className="alert-body">
        <strong>{d.title}</strong>
        {d.message && <span className="alert-message"> {d.message}</span>}
        {d.issues.length > 0 && (
          <ul className="issues">
            {d.issues.map((i, n) => (
              <li key={n}>
                <b>{i.field}:</b> {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label={t('app.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}

/** A message; `takeFocus`: it receives focus when shown (after an action whose control went away). */
export function Notice({ kind = 'info', children, testId, takeFocus = false }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode; testId?: string; takeFocus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus]);
  return (
    <div ref={ref} tabIndex={takeFocus ? -1 : undefined} className={`alert alert-${kind}`} role="status" data-testid={testId}>
      <div className="alert-body">{children}</div>
    </div>
  );
}

export function BandBadge({ band }: { band: Band }) {
  const { t } = useTranslation();
  return <span className={`badge band-${band}`} data-band={band}>{t(`bands.${band}`)}</span>;
}

export function KindBadge({ kind }: { kind: ListKind }) {
  const { t } = useTranslation();
  return <span className={`badge kind-${kind}`}>{t(`kinds.${kind}`)}</span>;
}

export function DecisionBadge({ decision }: { decision: Decision }) {
  const { t } = useTranslation();
  return <span className={`badge decision-${decision}`}>{t(`decisions.${decision}`)}</span>;
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LANGUAGES.map((l) => (
        <button
          key={l.code}
          type="button"
          lang={l.code}
          className={i18n.language === l.code ? 'active' : ''}
          aria-pressed={i18n.language === l.code}
          data-testid={`lang-${l.code}`}
          onClick={() => setLanguage(l.code)}
        >
          {l.short}
        </button>
      ))}
    </div>
  );
}

/** A labelled form field; the label is tied to the control for screen readers and tests. */
export function Field({
  label, hint, children, className,
}: { label: string; hint?: ReactNode; children: (id: string) => ReactNode; className?: string }) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

/**
 * A keyboard-accessible file chooser: the file input is visually hidden, its label is the visible
 * button, and the chosen files' names are shown beside it. A new `resetKey` clears it.
 */
export function FilePicker({ id, resetKey, accept, multiple = false, disabled = false, testId, chooseLabel, emptyLabel, names, onFiles }: {
  id: string; resetKey: number; accept: string; multiple?: boolean; disabled?: boolean; testId: string;
  chooseLabel: string; emptyLabel: string; names: string[]; onFiles: (files: File[]) => void;
}) {
  return (
    <div className="file-picker">
      <input
        key={resetKey}
        id={id}
        type="file"
        multiple={multiple}
        className="visually-hidden"
        accept={accept}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => onFiles(Array.from(e.target.files ?? []))}
      />
      <label htmlFor={id} className="file-button">{chooseLabel}</label>
      <span className={names.length ? 'file-name' : 'file-name muted'} data-testid={`${testId}-name`}>{names.length ? names.join(' + ') : emptyLabel}</span>
    </div>
  );
}
