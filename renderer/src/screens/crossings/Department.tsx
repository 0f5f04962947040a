/**
 * The department's crossings at the centre (issue 16; `central.crossings`), for auditors and
 * supervisors on a joined desk: page by page, newest first, with the flagged and day filters of
 * the desk's own list plus the checkpoint. Days are each crossing's local day at its checkpoint.
 * On a desk that is not an auditing desk the centre gives only this checkpoint's (the notice says so).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CentralCrossingsResult } from '../../../../shared/contract';
import { base64ToBytes, call, downloadFile } from '../../api';
import { BandBadge, DecisionBadge, ErrorBox, Field, Notice, Pager } from '../../components/ui';
import { formatDateTime, formatDob, formatScore } from '../../format';
import { currentLang } from '../../i18n';

const PAGE = 50;
const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
} as const;

export function DepartmentCrossings() {
  const { t } = useTranslation();
  const lang = currentLang();
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [checkpoint, setCheckpoint] = useState('');
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<CentralCrossingsResult | null>(null);
  /** The request the shown page answers: a different one is still on its way. */
  const [answered, setAnswered] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const [exported, setExported] = useState<{ rows: number; fileName: string; sha256: string } | null>(null);
  const filter = { flaggedOnly, from: from || undefined, to: to || undefined, checkpoint: checkpoint || undefined };
  const rangeOk = !from || !to || from <= to;
  const request = JSON.stringify([flaggedOnly, from, to, checkpoint, offset]);
  const loading = rangeOk && answered !== request;

  useEffect(() => {
    if (!rangeOk) return;
    let live = true;
    const asked = JSON.stringify([flaggedOnly, from, to, checkpoint, offset]);
    call('central.crossings', { flaggedOnly, from: from || undefined, to: to || undefined, checkpoint: checkpoint || undefined, offset, limit: PAGE })
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setAnswered(asked));
    return () => {
      live = false;
    };
  }, [flaggedOnly, from, to, checkpoint, offset, rangeOk]);

  async function exportAs(format: 'xlsx' | 'csv') {
    setExporting(format);
    setError(null);
    setExported(null);
    try {
      const r = await call('central.crossingsExport', { format, ...filter });
      downloadFile(r.fileName, base64ToBytes(r.contentBase64), MIME[format]);
      setExported(r);
    } catch (e) {
      setError(e);
    } finally {
      setExporting(null);
    }
  }

  const refilter = (f: () => void) => {
    f();
    setOffset(0);
  };
  const total = data?.total ?? 0;
  return (
    <section className="panel" data-testid="department-crossings">
      <div className="filters">
        <label className="checkbox">
          <input type="checkbox" checked={flaggedOnly} onChange={(e) => refilter(() => setFlaggedOnly(e.target.checked))} data-testid="central-flagged-only" />
          {t('crossings.flaggedOnly')}
        </label>
        <Field label={t('crossings.from')} className="inline-field">
          {(id) => <input id={id} type="date" value={from} onChange={(e) => refilter(() => setFrom(e.target.value))} data-testid="central-from" />}
        </Field>
        <Field label={t('crossings.to')} className="inline-field">
          {(id) => <input id={id} type="date" value={to} onChange={(e) => refilter(() => setTo(e.target.value))} data-testid="central-to" />}
        </Field>
        <Field label={t('centralCrossings.checkpoint')} className="inline-field">
          {(id) => (
            <select id={id} value={checkpoint} onChange={(e) => refilter(() => setCheckpoint(e.target.value))} data-testid="central-checkpoint">
              <option value="">{t('centralCrossings.allCheckpoints')}</option>
              {(data?.checkpoints ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          )}
        </Field>
        <span className="muted small-text">{t('centralCrossings.daysNote')}</span>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => void exportAs('xlsx')} disabled={exporting !== null || !rangeOk} data-testid="central-export-xlsx">
          {exporting === 'xlsx' ? t('crossings.exporting') : t('crossings.exportXlsx')}
        </button>
        <button type="button" className="secondary" onClick={() => void exportAs('csv')} disabled={exporting !== null || !rangeOk} data-testid="central-export-csv">
          {exporting === 'csv' ? t('crossings.exporting') : t('crossings.exportCsv')}
        </button>
      </div>
      {!rangeOk && <Notice kind="warning">{t('centralCrossings.rangeReversed')}</Notice>}
      {data?.scope === 'checkpoint' && <Notice kind="info" testId="central-scope-checkpoint">{t('centralCrossings.checkpointOnly')}</Notice>}
      {exported && (
        <Notice kind="success" testId="central-export-done">
          {t('crossings.exported', { rows: exported.rows, file: exported.fileName, sha: exported.sha256.slice(0, 12) })}
        </Notice>
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} />
      <div className="muted small-text" data-testid="central-total" aria-live="polite">
        {loading ? t('centralCrossings.loading') : t('crossings.total', { count: total })}
        {total > PAGE && ` · ${t('crossings.showing', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}`}
      </div>
      {data && data.crossings.length === 0 ? (
        <p className="muted" data-testid="central-none">{t('crossings.none')}</p>
      ) : (
        <table className="grid crossings-table" data-testid="central-table">
          <thead>
            <tr>
              <th>{t('centralCrossings.colTime')}</th>
              <th>{t('centralCrossings.checkpoint')}</th>
              <th>{t('crossings.colDirection')}</th>
              <th>{t('crossings.colOutcome')}</th>
              <th>{t('crossings.colTraveler')}</th>
              <th>{t('crossings.colOfficer')}</th>
              <th>{t('crossings.colHits')}</th>
            </tr>
          </thead>
          <tbody>
            {(data?.crossings ?? []).map((c) => (
              <tr key={c.id} data-testid="central-row" data-flagged={c.flagged} className={c.flagged ? 'flagged' : ''}>
                <td className="nowrap mono" title={`${c.occurredAt} UTC · ${c.timeZone}`}>{formatDateTime(c.occurredAt, c.timeZone, lang)}</td>
                <td>
                  <div>{c.checkpoint}</div>
                  {c.desk && <div className="muted small-text">{c.desk}</div>}
                </td>
                <td>{t(`directions.${c.direction}`)}</td>
                <td><span className={`badge outcome-${c.outcome}`}>{t(`outcomes.${c.outcome}`)}</span></td>
                <td>
                  {c.purged ? <span className="muted">{t('centralCrossings.purged')}</span> : (
                    <>
                      <div className="traveler-name">{c.travelerName}</div>
                      <div className="muted small-text">
                        {[formatDob(c.traveler?.dateOfBirth, lang), c.traveler?.nationality, c.traveler?.documentNumber].filter(Boolean).join(' · ')}
                      </div>
                    </>
                  )}
                </td>
                <td>{c.officer ?? ''}</td>
                <td>
                  {c.flagged && <span className="badge flag">{t('crossings.flagged')}</span>}
                  {c.hits.map((h) => (
                    <div key={h.hitId} className="hit-line" data-testid="central-hit" data-decision={h.decision}>
                      <code>{h.list ?? h.listId ?? '?'}:{h.entryId}</code>{h.listedName && <> {h.listedName}</>}{' '}
                      <span className="mono">{formatScore(h.score)}</span> <BandBadge band={h.band} /> <DecisionBadge decision={h.decision} />
                      {h.decidedBy && <span className="muted small-text"> {t('centralCrossings.decidedBy', { user: h.decidedBy })}</span>}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} total={total} page={PAGE} onOffset={setOffset} prev={t('crossings.prev')} next={t('crossings.next')} />
    </section>
  );
}
