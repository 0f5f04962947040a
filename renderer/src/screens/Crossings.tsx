/** Crossings: browse recorded crossings (flagged only, date range), export them, and (supervisors) correct a hit's decision. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrossingView, HitCorrectionResult } from '../../../shared/contract';
import { base64ToBytes, call, downloadFile } from '../api';
import { ErrorBox, Field, Notice, Pager } from '../components/ui';
import { formatDateTime, formatDob } from '../format';
import { parseDate } from '../../../shared/dates';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { reasonMessage } from '../errors';
import { CrossingHitLine } from './crossings/CorrectHit';
import { DepartmentCrossings, ScopeSwitch } from './crossings/Department';

const PAGE = 100;
const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
} as const;

export function Crossings() {
  const { t } = useTranslation();
  const desk = useDesk();
  const lang = currentLang();
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [resetCount, setResetCount] = useState(0);
  const [data, setData] = useState<{ total: number; crossings: CrossingView[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const [exported, setExported] = useState<{ rows: number; fileName: string; sha256: string } | null>(null);
  /** The last correction saved here (its warnings), shown and focused; the list is read again. */
  const [corrected, setCorrected] = useState<HitCorrectionResult | null>(null);
  const [reloads, setReloads] = useState(0);
  const correctedNotice = useRef<HTMLDivElement>(null);
  // Department-wide crossings (issue 16): offered on a joined desk to auditors and supervisors.
  const [joined, setJoined] = useState(false);
  const [scope, setScope] = useState<'desk' | 'department'>('desk');
  useEffect(() => {
    call('central.status', {}).then((s) => setJoined(s.joined)).catch(() => undefined);
  }, []);
  useEffect(() => {
    if (corrected) correctedNotice.current?.focus();
  }, [corrected]);

  useEffect(() => {
    let live = true;
    call('crossings.list', { flaggedOnly, from: from || undefined, to: to || undefined, offset, limit: PAGE })
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [flaggedOnly, from, to, offset, reloads]);

  async function exportAs(format: 'xlsx' | 'csv') {
    setExporting(format);
    setError(null);
    setExported(null);
    try {
      const r = await call('crossings.export', { format, flaggedOnly, from: from || undefined, to: to || undefined });
      downloadFile(r.fileName, base64ToBytes(r.contentBase64), MIME[format]);
      setExported(r);
    } catch (e) {
      setError(e);
    } finally {
      setExporting(null);
    }
  }

  const canExport = hasRole(desk, 'supervisor', 'auditor');
  const canCorrect = hasRole(desk, 'supervisor');
  const total = data?.total ?? 0;
  return (
    <div className="screen" data-testid="screen-crossings">
      <h2 className="screen-title">{t('crossings.title')}</h2>
      {joined && canExport && <ScopeSwitch value={scope} onChange={setScope} />}
      {joined && canExport && scope === 'department' ? <DepartmentCrossings /> : (
      <section className="panel">
        <div className="filters">
          <label className="checkbox" title={t('crossings.flaggedHelp')}>
            <input type="checkbox" checked={flaggedOnly} onChange={(e) => { setFlaggedOnly(e.target.checked); setOffset(0); }} data-testid="flagged-only" />
            {t('crossings.flaggedOnly')}
          </label>
          <DayInput key={`from-${resetCount}`} label={t('crossings.from')} onChange={(d) => { setFrom(d); setOffset(0); }} testId="filter-from" />
          <DayInput key={`to-${resetCount}`} label={t('crossings.to')} onChange={(d) => { setTo(d); setOffset(0); }} testId="filter-to" />
          <span className="muted small-text">{t('crossings.utcNote')}</span>
          {(flaggedOnly || from || to) && (
            <button type="button" className="link-button" onClick={() => { setFlaggedOnly(false); setFrom(''); setTo(''); setOffset(0); setResetCount((n) => n + 1); }}>
              {t('crossings.reset')}
            </button>
          )}
          <span className="spacer" />
          {canExport ? (
            <>
              <button type="button" className="secondary" onClick={() => void exportAs('xlsx')} disabled={exporting !== null} data-testid="export-xlsx">
                {exporting === 'xlsx' ? t('crossings.exporting') : t('crossings.exportXlsx')}
              </button>
              <button type="button" className="secondary" onClick={() => void exportAs('csv')} disabled={exporting !== null} data-testid="export-csv">
                {exporting === 'csv' ? t('crossings.exporting') : t('crossings.exportCsv')}
              </button>
            </>
          ) : (
            <span className="muted small-text">{t('crossings.noExportRole')}</span>
          )}
        </div>
        <p className="muted small-text">{t('crossings.flaggedHelp')}</p>
        {exported && (
          <Notice kind="success" testId="export-done">
            {t('crossings.exported', { rows: exported.rows, file: exported.fileName, sha: exported.sha256.slice(0, 12) })}
          </Notice>
        )}
        {corrected && (
          <div ref={correctedNotice} tabIndex={-1} className="focus-target" data-testid="correction-done">
            <Notice kind={corrected.warnings.length ? 'warning' : 'success'}>
              {t('adjudication.correctionSaved', { list: corrected.hit.list, entry: corrected.hit.entryId, decision: t(`decisions.${corrected.hit.decision}`) })}
              {corrected.warnings.map((w) => <div key={w.reason} className="correction-warning" data-testid="correction-warning" data-reason={w.reason}><b>{reasonMessage(w, t)}</b></div>)}
            </Notice>
          </div>
        )}
        <ErrorBox error={error} onDismiss={() => setError(null)} />
        <div className="muted small-text" data-testid="crossings-total">
          {t('crossings.total', { count: total })}
          {total > PAGE && ` · ${t('crossings.showing', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}`}
        </div>
        {data && data.crossings.length === 0 ? (
          <p className="muted" data-testid="no-crossings">{t('crossings.none')}</p>
        ) : (
          <table className="grid crossings-table" data-testid="crossings-table">
            <thead>
              <tr>
                <th>{t('crossings.colTime', { tz: desk.timeZone })}</th>
                <th>{t('crossings.colDirection')}</th>
                <th>{t('crossings.colOutcome')}</th>
                <th>{t('crossings.colTraveler')}</th>
                <th>{t('crossings.colOfficer')}</th>
                <th>{t('crossings.colHits')}</th>
              </tr>
            </thead>
            <tbody>
              {(data?.crossings ?? []).map((c) => (
                <tr key={c.id} data-testid="crossing-row" data-flagged={c.flagged} className={c.flagged ? 'flagged' : ''}>
                  <td className="nowrap mono" title={`${c.occurredAt} UTC · ${c.checkpoint}`}>{formatDateTime(c.occurredAt, c.timeZone, lang)}</td>
                  <td>{t(`directions.${c.direction}`)}</td>
                  <td><span className={`badge outcome-${c.outcome}`}>{t(`outcomes.${c.outcome}`)}</span></td>
                  <td>
                    <div className="traveler-name">{c.travelerName}</div>
                    <div className="muted small-text">
                      {[formatDob(c.traveler.dateOfBirth, lang), c.traveler.nationality, c.traveler.documentNumber].filter(Boolean).join(' · ')}
                    </div>
                  </td>
                  <td>{c.officer}</td>
                  <td>
                    {c.flagged && <span className="badge flag">{t('crossings.flagged')}</span>}
                    {c.hits.map((h) => (
                      <CrossingHitLine key={h.hitId} hit={h} contradicts={c.outcome === 'passed' && h.decision === 'confirmed' && h.listKind === 'wanted'}
                        canCorrect={canCorrect} onCorrected={(r) => { setCorrected(r); setReloads((n) => n + 1); }} />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager offset={offset} total={total} page={PAGE} onOffset={setOffset} prev={t('crossings.prev')} next={t('crossings.next')} />
      </section>
      )}
    </div>
  );
}

/**
 * A day typed as 2024-05-01, 01/05/2024 or with a Buddhist-Era year (01/05/2567), read with the
 * same parser as the engine; reports the ISO day, or '' while empty. Invalid text keeps the last
 * applied value and is marked.
 */
function DayInput({ label, onChange, testId }: { label: string; onChange: (iso: string) => void; testId: string }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [text, setText] = useState('');
  const parsed = text.trim() ? parseDate(text) : null;
  const iso = parsed?.ok && parsed.date.precision === 'day' ? parsed.date.iso : null;
  const invalid = parsed !== null && iso === null;
  return (
    <Field label={label} className="inline-field day-input">
      {(id) => (
        <>
          <input
            id={id}
            value={text}
            onChange={(e) => {
              const v = e.target.value;
              setText(v);
              if (!v.trim()) onChange('');
              else {
                const p = parseDate(v);
                if (p.ok && p.date.precision === 'day') onChange(p.date.iso);
              }
            }}
            placeholder={lang === 'th' ? 'วว/ดด/ปปปป' : 'YYYY-MM-DD'}
            aria-invalid={invalid}
            className={invalid ? 'invalid' : ''}
            title={invalid ? t('crossings.badDay') : ''}
            data-testid={testId}
            size={11}
          />
          {iso && <span className="small-text muted day-reading">{formatDob(iso, lang)}</span>}
          {invalid && <span className="small-text warn-text">{t('crossings.badDay')}</span>}
        </>
      )}
    </Field>
  );
}
