/**
 * The audit trail (auditor, admin): browse and filter the rows, verify the chain and its head, and
 * export the rows of the chosen days and action as xlsx or csv (issue 14; `audit.exportStart`, with
 * progress, cancel and the file's SHA-256: components/ExportButton.tsx).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView, AuditVerifyResult } from '../../../shared/contract';
import { parseDate } from '../../../shared/dates';
import { call } from '../api';
import { ExportButtons, type ExportFormat } from '../components/ExportButton';
import { ErrorBox, Field, Notice, Pager } from '../components/ui';
import { formatDateTime } from '../format';
import { currentLang } from '../i18n';
import { useDesk } from '../session';

const PAGE = 50;

function detailText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** A day as typed (ISO, DD/MM/YYYY, Buddhist Era) → YYYY-MM-DD, '' when empty, null when not a full day. */
function readDay(text: string): string | null {
  if (!text.trim()) return '';
  const p = parseDate(text);
  return p.ok && p.date.precision === 'day' ? p.date.iso : null;
}

export function Audit() {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const [action, setAction] = useState('');
  const [actor, setActor] = useState<{ id: string; name: string } | null>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; entries: AuditEntryView[]; actions: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const from = readDay(fromText);
  const to = readDay(toText);
  const exportable = from !== null && to !== null && !(from && to && from > to);
  const startExport = useCallback(
    (format: ExportFormat) => call('audit.exportStart', { format, lang: currentLang(), action: action || undefined, from: from || undefined, to: to || undefined }),
    [action, from, to],
  );

  useEffect(() => {
    if (from === null || to === null) return;
    let live = true;
    call('audit.list', { action: action || undefined, actorId: actor?.id, from: from || undefined, to: to || undefined, offset, limit: PAGE })
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [action, actor, from, to, offset, verified]);

  async function verify() {
    setVerifying(true);
    setError(null);
    try {
      setVerified(await call('audit.verify', {}));
    } catch (e) {
      setError(e);
    } finally {
      setVerifying(false);
    }
  }

  const actionLabel = (a: string) => t(`auditActions.${a}`, { defaultValue: a });
  const total = data?.total ?? 0;
  const filtered = Boolean(action || actor || fromText || toText);
  return (
    <div className="screen" data-testid="screen-audit">
      <div className="panel-head">
        <h2 className="screen-title">{t('audit.title')}</h2>
        <button type="button" onClick={() => void verify()} disabled={verifying} data-testid="audit-verify">
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
      {verified && (
        <Notice kind={verified.ok ? 'success' : 'warning'} testId="audit-verify-result">
          <div data-ok={verified.ok}>
            <strong>
              {verified.ok
                ? t('audit.intact', { rows: verified.rows, seq: verified.headSeq, hash: verified.headHash.slice(0, 12) })
                : t('audit.broken', { seq: verified.firstBrokenSeq })}
            </strong>
            {!verified.ok && <div className="mono small-text">{verified.message}</div>}
            <div className="small-text">
              {verified.externalHeadSeq !== null
                ? t('audit.headOutside', { seq: verified.externalHeadSeq, hash: (verified.externalHeadHash ?? '').slice(0, 12) })
                : t('audit.noHeadOutside')}
            </div>
          </div>
        </Notice>
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <section className="panel">
        <div className="filters">
          <Field label={t('audit.action')} className="inline-field">
            {(id) => (
              <select id={id} value={action} onChange={(e) => { setAction(e.target.value); setOffset(0); }} data-testid="audit-action">
                <option value="">{t('audit.allActions')}</option>
                {(data?.actions ?? []).map((a) => <option key={a} value={a}>{actionLabel(a)}</option>)}
              </select>
            )}
          </Field>
          {actor && (
            <span className="badge role" data-testid="audit-actor-filter">
              {t('audit.user')}: {actor.name}{' '}
              <button type="button" className="link-button" aria-label={t('app.dismiss')} onClick={() => { setActor(null); setOffset(0); }}>×</button>
            </span>
          )}
          <Field label={t('crossings.from')} className="inline-field day-input">
            {(id) => <input id={id} size={11} value={fromText} onChange={(e) => { setFromText(e.target.value); setOffset(0); }}
              placeholder={lang === 'th' ? 'วว/ดด/ปปปป' : 'YYYY-MM-DD'} aria-invalid={from === null} className={from === null ? 'invalid' : ''} data-testid="audit-from" />}
          </Field>
          <Field label={t('crossings.to')} className="inline-field day-input">
            {(id) => <input id={id} size={11} value={toText} onChange={(e) => { setToText(e.target.value); setOffset(0); }}
              placeholder={lang === 'th' ? 'วว/ดด/ปปปป' : 'YYYY-MM-DD'} aria-invalid={to === null} className={to === null ? 'invalid' : ''} data-testid="audit-to" />}
          </Field>
          {filtered && (
            <button type="button" className="link-button" onClick={() => { setAction(''); setActor(null); setFromText(''); setToText(''); setOffset(0); }}>
              {t('audit.reset')}
            </button>
          )}
          <span className="spacer" />
          <span className="muted small-text" data-testid="audit-total">
            {t('audit.total', { count: total })}
            {total > PAGE && ` · ${t('audit.showing', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}`}
          </span>
        </div>
        <p className="muted small-text">{t('audit.idsOnly')}</p>
        <div className="audit-export" role="group" aria-label={t('auditExport.label')} data-testid="audit-export-group">
          <span className="small-text audit-export-label">
            <b>{t('auditExport.label')}</b>{' '}
            <span className="muted">{t('auditExport.help')}</span>
            {actor && <span className="warn-text" data-testid="audit-export-actor-note"> {t('auditExport.actorIgnored')}</span>}
          </span>
          <ExportButtons kind="audit" testIdPrefix="audit-" start={startExport} disabled={!exportable} />
        </div>
        {data && data.entries.length === 0 ? (
          <p className="muted" data-testid="audit-none">{t('audit.none')}</p>
        ) : (
          <table className="grid audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th className="num">{t('audit.colSeq')}</th>
                <th>{t('audit.colTime', { tz: desk.timeZone })}</th>
                <th>{t('audit.colUser')}</th>
                <th>{t('audit.colAction')}</th>
                <th>{t('audit.colDetails')}</th>
                <th>{t('audit.colHash')}</th>
              </tr>
            </thead>
            <tbody>
              {(data?.entries ?? []).map((e) => (
                <tr key={e.seq} data-testid="audit-row" data-action={e.action} className={e.action === 'denied' || e.action.startsWith('auth.fail') || e.action === 'audit.tailMissing' ? 'audit-alert' : ''}>
                  <td className="num mono">{e.seq}</td>
                  <td className="nowrap mono">{formatDateTime(e.at, desk.timeZone, lang)}</td>
                  <td>
                    {e.actorId ? (
                      <button type="button" className="link-button" title={t('audit.onlyUser')} onClick={() => { setActor({ id: e.actorId!, name: e.actorName ?? e.actorId!.slice(0, 8) }); setOffset(0); }}>
                        {e.actorName ?? e.actorId.slice(0, 8)}
                      </button>
                    ) : (
                      <span className="muted">{t('audit.system')}</span>
                    )}
                  </td>
                  <td className="nowrap" title={e.action}>{actionLabel(e.action)}</td>
                  <td className="audit-details small-text">
                    {e.subject && (
                      <div className="muted">
                        {t('audit.colSubject')}: {e.subjectName ? <b>{e.subjectName}</b> : null} <span className="mono">{e.subject}</span>
                      </div>
                    )}
                    <div className="mono">{detailText(e.details)}</div>
                  </td>
                  <td className="mono small-text" title={e.hash}>{e.hash.slice(0, 10)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager offset={offset} total={total} page={PAGE} onOffset={setOffset} prev={t('audit.prev')} next={t('audit.next')} />
      </section>
    </div>
  );
}
