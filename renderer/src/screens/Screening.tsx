/**
 * Screening: the officer types the traveler, screens, compares each hit side by side with its
 * explanation, decides each hit, and records the crossing. The engine enforces the rules of the
 * desk; this screen shows them and the engine's answer.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import type { CrossingView, FieldCheck, HitView, ScreenedList, ScreeningResult, Traveler } from '../../../shared/contract';
import { DIRECTIONS, OUTCOMES, SEXES, needsDecision, type Direction, type Outcome, type Sex } from '../../../shared/domain';
import { DEFAULT_ACTIONS, type Thresholds } from '../../../shared/domain';
import { call } from '../api';
import { explanationText, reasonMessage } from '../errors';
import { BandBadge, DecisionBadge, ErrorBox, Field, KindBadge, Notice } from '../components/ui';
import { COMMON_NATIONALITIES, formatDob, formatEffect, formatScore, formatTime, nationalityLabel, readDob } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';

interface FormState {
  fullName: string;
  givenNames: string;
  surname: string;
  dateOfBirth: string;
  sex: '' | Sex;
  nationality: string;
  documentNumber: string;
  documentIssuer: string;
}
const EMPTY: FormState = { fullName: '', givenNames: '', surname: '', dateOfBirth: '', sex: '', nationality: '', documentNumber: '', documentIssuer: '' };

function toTraveler(f: FormState): Traveler {
  const t: Traveler = {};
  const s = (v: string): string | undefined => v.trim() || undefined;
  t.fullName = s(f.fullName);
  t.givenNames = s(f.givenNames);
  t.surname = s(f.surname);
  const dob = readDob(f.dateOfBirth);
  t.dateOfBirth = dob ? ('iso' in dob ? dob.iso : f.dateOfBirth.trim()) : undefined;
  t.sex = f.sex || undefined;
  t.nationality = s(f.nationality)?.toUpperCase();
  t.documentNumber = s(f.documentNumber)?.toUpperCase().replace(/\s+/g, '');
  t.documentIssuer = s(f.documentIssuer)?.toUpperCase();
  for (const k of Object.keys(t) as (keyof Traveler)[]) if (t[k] === undefined) delete t[k];
  return t;
}

const DIRECTION_KEY = 'watchdesk.direction';
function savedDirection(): Direction {
  try {
    const d = localStorage.getItem(DIRECTION_KEY);
    if (d === 'entry' || d === 'exit') return d;
  } catch {
    /* no storage */
  }
  return 'entry';
}

type ListStatus = ScreenedList;
/** How often a screening asks again while the match index is being built, in ms. */
const INDEX_POLL_MS = 500;

export function Screening() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [screened, setScreened] = useState<{ traveler: Traveler; form: FormState } | null>(null);
  const [result, setResult] = useState<ScreeningResult | null>(null);
  const [lists, setLists] = useState<ListStatus[] | null>(null);
  /** Each list's score bands (0..1), read-only here; refreshed with every screening. */
  const [bands, setBands] = useState<Record<string, Thresholds>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** Percent of the match index built, while the engine is still building its first one. */
  const [indexProgress, setIndexProgress] = useState<number | null>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<CrossingView | null>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const resultHead = useRef<HTMLHeadingElement>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  /** Where focus goes once a new result has been rendered (set by `screen`, applied after commit). */
  const pendingFocus = useRef<'result' | 'record' | null>(null);

  useEffect(() => {
    const which = pendingFocus.current;
    if (!which || !result) return;
    pendingFocus.current = null;
    if (which === 'result') resultHead.current?.focus();
    else recordButton.current?.focus();
  }, [result]);

  const loadBands = useCallback(
    () => call('watchlists.list', {}).then((ls) => {
      setBands(Object.fromEntries(ls.map((l) => [l.id, l.thresholds])));
      return ls;
    }),
    [],
  );

  useEffect(() => {
    loadBands()
      .then((ls) =>
        setLists(
          ls.filter((l) => l.activeVersion).map((l) => ({ listId: l.id, name: l.name, versionNumber: l.activeVersion!.number, ageDays: l.ageDays ?? 0, stale: l.stale, screenedVersion: null, loading: false })),
        ),
      )
      .catch(() => setLists(null));
    firstField.current?.focus();
  }, [loadBands]);

  const set = (k: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function screen(e: FormEvent) {
    e.preventDefault();
    const traveler = toTraveler(form);
    if (!traveler.fullName && !traveler.givenNames && !traveler.surname) {
      setFormProblem('screening.needName');
      firstField.current?.focus();
      return;
    }
    setFormProblem(null);
    setBusy(true);
    setError(null);
    setRecorded(null);
    try {
      // Until the match index is ready the engine answers "index building": show its progress and ask again.
      let r: ScreeningResult;
      for (;;) {
        try {
          r = await call('screening.screen', { traveler });
          break;
        } catch (err) {
          if (!(err instanceof ApiCallError && err.reason === 'index.building')) throw err;
          setIndexProgress(Number(err.params?.percent ?? 0));
          await new Promise((ok) => setTimeout(ok, INDEX_POLL_MS));
        }
      }
      setIndexProgress(null);
      // Focus moves after React has rendered the result (a requestAnimationFrame could run first).
      pendingFocus.current = r.hits.length ? 'result' : 'record';
      setResult(r);
      setLists(r.lists);
      loadBands().catch(() => undefined);
      setScreened({ traveler, form });
    } catch (err) {
      setIndexProgress(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const reset = useCallback(() => {
    setForm(EMPTY);
    setResult(null);
    setScreened(null);
    setError(null);
    setFormProblem(null);
    requestAnimationFrame(() => firstField.current?.focus());
  }, []);

  function onHitChanged(h: HitView) {
    setResult((r) => (r ? { ...r, hits: r.hits.map((x) => (x.hitId === h.hitId ? h : x)) } : r));
  }

  function onRecorded(c: CrossingView) {
    reset();
    setRecorded(c);
  }

  if (!hasRole(desk, 'officer')) return <Notice>{t('screening.noScreenRole')}</Notice>;

  const dob = readDob(form.dateOfBirth);
  const lang = currentLang();
  const dirty = screened !== null && JSON.stringify(screened.form) !== JSON.stringify(form);

  return (
    <div className="screen screening" data-testid="screen-screening">
      <div className="screening-top">
        <form className="panel traveler-form" onSubmit={screen} data-testid="traveler-form" aria-labelledby="traveler-title">
          <div className="panel-head">
            <h3 id="traveler-title">{t('screening.formTitle')}</h3>
            <button type="button" className="secondary small" onClick={reset} data-testid="new-traveler">{t('screening.clear')}</button>
          </div>
          <div className="form-grid">
            <Field label={t('fields.fullName')} className="span-4">
              {(id) => <input id={id} ref={firstField} value={form.fullName} onChange={set('fullName')} autoComplete="off" spellCheck={false} maxLength={300} data-testid="f-fullName" />}
            </Field>
            <div className="or-split span-4"><span>{t('screening.orSplit')}</span></div>
            <Field label={t('fields.givenNames')} className="span-2">
              {(id) => <input id={id} value={form.givenNames} onChange={set('givenNames')} autoComplete="off" spellCheck={false} maxLength={200} />}
            </Field>
            <Field label={t('fields.surname')} className="span-2">
              {(id) => <input id={id} value={form.surname} onChange={set('surname')} autoComplete="off" spellCheck={false} maxLength={200} />}
            </Field>
            <Field
              label={t('fields.dateOfBirth')}
              className="span-2"
              hint={
                dob === null ? t('screening.dobHint') : 'iso' in dob ? (
                  <span className="ok-text" data-testid="dob-reads">{t('screening.dobReads', { date: `${formatDob(dob.iso, lang)}${lang === 'th' ? ` (${dob.iso})` : ''}` })}</span>
                ) : (
                  <span className="warn-text">{t('screening.dobBad')}</span>
                )
              }
            >
              {(id) => <input id={id} value={form.dateOfBirth} onChange={set('dateOfBirth')} autoComplete="off" maxLength={40} placeholder={lang === 'th' ? 'วว/ดด/ปปปป' : 'YYYY-MM-DD'} />}
            </Field>
            <Field label={t('fields.sex')} className="span-1">
              {(id) => (
                <select id={id} value={form.sex} onChange={set('sex')}>
                  <option value="">{t('screening.sexAny')}</option>
                  {SEXES.map((s) => <option key={s} value={s}>{t(`sexes.${s}`)}</option>)}
                </select>
              )}
            </Field>
            <Field label={t('fields.nationality')} className="span-1">
              {(id) => (
                <>
                  <input id={id} value={form.nationality} onChange={set('nationality')} list="nationalities" autoComplete="off" maxLength={60} placeholder={t('screening.nationalityPlaceholder')} />
                </>
              )}
            </Field>
            <Field label={t('fields.documentNumber')} className="span-2">
              {(id) => <input id={id} value={form.documentNumber} onChange={set('documentNumber')} autoComplete="off" spellCheck={false} maxLength={40} className="mono" />}
            </Field>
            <Field label={t('fields.documentIssuer')} className="span-2">
              {(id) => <input id={id} value={form.documentIssuer} onChange={set('documentIssuer')} list="nationalities" autoComplete="off" maxLength={60} placeholder={t('screening.nationalityPlaceholder')} />}
            </Field>
            <datalist id="nationalities">
              {COMMON_NATIONALITIES.map((c) => <option key={c} value={c}>{nationalityLabel(c, lang)}</option>)}
            </datalist>
          </div>
          {formProblem && <div className="alert alert-error" role="alert">{t(formProblem)}</div>}
          <div className="actions">
            <button type="submit" disabled={busy} data-testid="screen-submit">
              {busy ? t('screening.working') : t('screening.submit')} <kbd>{t('screening.submitHint')}</kbd>
            </button>
          </div>
        </form>
        <ListsStatus lists={lists} bands={bands} />
      </div>

      {recorded && (
        <Notice kind="success" testId="record-success">
          {t('screening.recorded', {
            time: formatTime(recorded.occurredAt, recorded.timeZone),
            name: recorded.travelerName,
            direction: t(`directions.${recorded.direction}`),
            outcome: t(`outcomes.${recorded.outcome}`),
          })}
        </Notice>
      )}
      {indexProgress !== null && (
        <div className="notice info" role="status" data-testid="index-building">
          {t('screening.indexBuilding', { percent: indexProgress })}
          <progress max={100} value={indexProgress} aria-label={t('screening.indexBuildingLabel')} />
        </div>
      )}
      <ErrorBox error={error} onDismiss={() => setError(null)} />

      {result && screened && (
        <section className="panel result" data-testid="screening-result" aria-labelledby="result-title">
          <div className="panel-head">
            <h3 id="result-title" ref={resultHead} tabIndex={-1}>
              {t('screening.resultTitle')}:{' '}
              {result.hits.length ? (
                <span className="hit-count" data-testid="hit-count">{t('screening.hitsCount', { count: result.hits.length })}</span>
              ) : (
                <span className="no-hit" data-testid="no-hits">{t('screening.noHits')}</span>
              )}
            </h3>
          </div>
          {result.warnings.length > 0 && (
            <Notice kind="warning" testId="screening-warnings">
              <b>{t('screening.warnings')}:</b> {result.warnings.map((w) => reasonMessage(w, t)).join(' ')}
            </Notice>
          )}
          {result.hits.map((h, i) => (
            <HitCard key={h.hitId ?? i} hit={h} traveler={screened.traveler} onChanged={onHitChanged} />
          ))}
          <RecordPanel key={result.screeningId} result={result} dirty={dirty} onRecorded={onRecorded} buttonRef={recordButton} />
        </section>
      )}
    </div>
  );
}

function ListsStatus({ lists, bands }: { lists: ListStatus[] | null; bands: Record<string, Thresholds> }) {
  const { t } = useTranslation();
  return (
    <aside className="panel lists-status" data-testid="list-status" aria-labelledby="lists-status-title">
      <h3 id="lists-status-title">{t('screening.listsTitle')}</h3>
      {lists && lists.length === 0 && <Notice kind="warning">{t('screening.noListsLoaded')}</Notice>}
      <ul>
        {(lists ?? []).map((l) => (
          <li key={l.listId} className={l.stale ? 'stale' : ''} data-testid="list-status-item">
            <span className="list-name">{l.name}</span>
            <span className="list-meta">
              {t('screening.listVersion', { version: l.versionNumber })} · {t('screening.listAge', { count: l.ageDays })}
              {l.stale && <span className="badge stale">{t('screening.stale')}</span>}
            </span>
            {l.loading && (
              <span className="list-meta" data-testid="list-status-loading">
                {l.screenedVersion === null
                  ? t('screening.versionLoading', { version: l.versionNumber })
                  : t('screening.versionLoadingScreened', { version: l.versionNumber, screened: l.screenedVersion })}
              </span>
            )}
            {bands[l.listId] && (
              <span className="list-meta list-bands" data-testid="list-status-bands">
                {t('screening.listBands', { strong: bands[l.listId]!.strong.toFixed(2), review: bands[l.listId]!.review.toFixed(2), weak: bands[l.listId]!.weak.toFixed(2) })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function statusOf(fields: FieldCheck[], f: FieldCheck['field']): FieldCheck | undefined {
  return fields.find((x) => x.field === f);
}

function HitCard({ hit, traveler, onChanged }: { hit: HitView; traveler: Traveler; onChanged: (h: HitView) => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [note, setNote] = useState(hit.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ex = hit.explanation;
  const primary = hit.entry.names.find((n) => n.kind === 'primary')?.name ?? hit.entry.names[0]?.name ?? '';
  const mustDecide = needsDecision(hit.band) && hit.decision === 'undecided';

  async function decide(decision: 'not-same-person' | 'confirmed') {
    if (!hit.hitId) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await call('screening.decide', { hitId: hit.hitId, decision, note: note.trim() || undefined }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const cmp = (field: FieldCheck['field']) => {
    const c = statusOf(ex.fields, field);
    return c ? `cmp-${c.status}` : '';
  };
  const action = hit.action === DEFAULT_ACTIONS[hit.listKind] ? t(`actions.${hit.listKind}`) : hit.action;
  const travelerNames = [traveler.fullName, [traveler.givenNames, traveler.surname].filter(Boolean).join(' ')].filter(Boolean);

  return (
    <article
      className={`hit band-${hit.band}-border ${mustDecide ? 'must-decide' : ''}`}
      data-testid="hit-card"
      data-entry-id={hit.entryId}
      data-band={hit.band}
      data-decision={hit.decision}
      aria-label={`${primary} ${formatScore(hit.score)}`}
    >
      <header className="hit-head">
        <span className={`score band-${hit.band}`} data-testid="hit-score">{formatScore(hit.score)}</span>
        <BandBadge band={hit.band} />
        <span className="hit-name">{primary}</span>
        <span className="hit-list">
          {t('screening.onList', { list: hit.list })} <KindBadge kind={hit.listKind} />
        </span>
        <span className="muted small-text">{t('screening.entryRef', { id: hit.entryId, row: hit.sourceRow })}</span>
        <span className="spacer" />
        {mustDecide ? <span className="badge must">{t('screening.mustDecide')}</span> : <DecisionBadge decision={hit.decision} />}
      </header>

      <div className="hit-body">
        <div className="compare">
          <h5>{t('screening.compare')}</h5>
          <table className="grid compact compare-table">
            <thead>
              <tr><th /><th>{t('screening.travelerCol')}</th><th>{t('screening.entryCol')}</th></tr>
            </thead>
            <tbody>
              <tr>
                <th>{t('screening.names')}</th>
                <td>{travelerNames.map((n) => <div key={n}>{n}</div>)}</td>
                <td>
                  {hit.entry.names.map((n, i) => (
                    <div key={i} className={n.name === ex.matchedName ? 'matched-name' : n.kind === 'alias' ? 'alias' : ''}>
                      {n.name}
                      {n.kind === 'alias' && <span className="muted"> ({t('watchlists.alias')})</span>}
                    </div>
                  ))}
                </td>
              </tr>
              <tr className={cmp('dateOfBirth')}>
                <th>{t('screening.dob')}</th>
                <td>{formatDob(traveler.dateOfBirth, lang)}</td>
                <td>{formatDob(hit.entry.dateOfBirth, lang)}</td>
              </tr>
              <tr className={cmp('sex')}>
                <th>{t('screening.sex')}</th>
                <td>{traveler.sex ? t(`sexes.${traveler.sex}`) : ''}</td>
                <td>{hit.entry.sex ? t(`sexes.${hit.entry.sex}`) : ''}</td>
              </tr>
              <tr className={cmp('nationality')}>
                <th>{t('screening.nationality')}</th>
                <td>{traveler.nationality ? nationalityLabel(traveler.nationality, lang) : ''}</td>
                <td>{hit.entry.nationalities.map((n) => nationalityLabel(n, lang)).join(', ')}</td>
              </tr>
              <tr className={cmp('document')}>
                <th>{t('screening.documents')}</th>
                <td className="mono">{traveler.documentNumber}{traveler.documentIssuer ? ` (${traveler.documentIssuer})` : ''}</td>
                <td className="mono">{hit.entry.documents.map((d) => <div key={d.number}>{d.number}{d.issuer ? ` (${d.issuer})` : ''}</div>)}</td>
              </tr>
              <tr>
                <th>{t('screening.reference')}</th>
                <td />
                <td data-testid="hit-reference"><b>{hit.entry.reference}</b></td>
              </tr>
              <tr>
                <th>{t('screening.reason')}</th>
                <td />
                <td>{hit.entry.reason}</td>
              </tr>
              {hit.entry.remarks && (
                <tr>
                  <th>{t('screening.remarks')}</th>
                  <td />
                  <td>{hit.entry.remarks}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>

        <div className="explanation" data-testid="explanation">
          <h5>{t('screening.why')} <span className="muted">· {t('screening.nameScore', { score: formatScore(ex.nameScore) })}</span></h5>
          <p className="summary" data-testid="explanation-summary">{explanationText(ex, t)}</p>
          {ex.tokens.length > 0 && (
            <table className="grid compact tokens">
              <thead>
                <tr>
                  <th>{t('screening.tokenQuery')}</th>
                  <th />
                  <th>{t('screening.tokenEntry')}</th>
                  <th>{t('screening.tokenKind')}</th>
                  <th className="num">{t('screening.tokenSimilarity')}</th>
                </tr>
              </thead>
              <tbody>
                {ex.tokens.map((tk, i) => (
                  <tr key={i} className={`token-${tk.kind}`}>
                    <td className="mono">{tk.query}</td>
                    <td className="arrow">{tk.kind === 'exact' ? '=' : '≈'}</td>
                    <td className="mono">{tk.entry}</td>
                    <td>{t(`screening.tokenKinds.${tk.kind}`, { defaultValue: tk.kind })}</td>
                    <td className="num">{formatScore(tk.similarity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {ex.unmatchedQuery.length > 0 && <div className="small-text warn-text">{t('screening.unmatchedQuery', { parts: ex.unmatchedQuery.join(', ') })}</div>}
          {ex.unmatchedEntry.length > 0 && <div className="small-text warn-text">{t('screening.unmatchedEntry', { parts: ex.unmatchedEntry.join(', ') })}</div>}
          {ex.fields.length > 0 && (
            <>
              <h6>{t('screening.fieldChecks')}</h6>
              <table className="grid compact fields">
                <thead>
                  <tr>
                    <th>{t('screening.fieldCol')}</th>
                    <th>{t('screening.statusCol')}</th>
                    <th className="num">{t('screening.effectCol')}</th>
                    <th>{t('screening.detailCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {ex.fields.map((f, i) => (
                    <tr key={i} className={`cmp-${f.status}`}>
                      <td>{t(`screening.fieldNames.${f.field}`)}</td>
                      <td>{t(`screening.fieldStatus.${f.status}`)}</td>
                      <td className="num mono">{formatEffect(f.effect)}</td>
                      <td>{f.reason ? reasonMessage(f, t) : f.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>

      <div className={`action-text kind-${hit.listKind}-action`} data-testid="hit-action">
        <b>{t('screening.action')}:</b> {action}
      </div>

      <div className="decide-row">
        <label className="decide-label" htmlFor={`note-${hit.hitId}`}>{t('screening.decide')}</label>
        <input
          id={`note-${hit.hitId}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('screening.notePlaceholder')}
          data-testid="decision-note"
          maxLength={2000}
        />
        <button type="button" className={`secondary ${hit.decision === 'not-same-person' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('not-same-person')} data-testid="decide-not-same">
          {t('screening.notSame')}
        </button>
        <button type="button" className={`danger ${hit.decision === 'confirmed' ? 'chosen' : ''}`} disabled={busy || !hit.hitId} onClick={() => void decide('confirmed')} data-testid="decide-confirm">
          {t('screening.confirm')}
        </button>
        {hit.decision !== 'undecided' && (
          <span className="decided" data-testid="decided">
            {t('screening.decided', { decision: t(`decisions.${hit.decision}`) })}
            {hit.note ? ` — ${hit.note}` : ''}
          </span>
        )}
      </div>
      <ErrorBox error={error} onDismiss={() => setError(null)} />
    </article>
  );
}

function RecordPanel({
  result, dirty, onRecorded, buttonRef,
}: { result: ScreeningResult; dirty: boolean; onRecorded: (c: CrossingView) => void; buttonRef: RefObject<HTMLButtonElement | null> }) {
  const { t } = useTranslation();
  const flagged = result.hits.some((h) => needsDecision(h.band));
  const [direction, setDirection] = useState<Direction>(savedDirection);
  const [outcome, setOutcome] = useState<'' | Outcome>(flagged ? '' : 'passed');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [needOutcome, setNeedOutcome] = useState(false);
  const undecided = result.hits.filter((h) => needsDecision(h.band) && h.decision === 'undecided').length;
  const confirmedWanted = result.hits.some((h) => h.decision === 'confirmed' && h.listKind === 'wanted');

  async function record(e: FormEvent) {
    e.preventDefault();
    if (!outcome) {
      setError(null);
      setNeedOutcome(true);
      return;
    }
    setNeedOutcome(false);
    setBusy(true);
    setError(null);
    try {
      const c = await call('crossings.record', { screeningId: result.screeningId, direction, outcome, note: note.trim() || undefined });
      try {
        localStorage.setItem(DIRECTION_KEY, direction);
      } catch {
        /* no storage */
      }
      onRecorded(c);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="record" onSubmit={record} data-testid="record-form" aria-labelledby="record-title">
      <h4 id="record-title">{t('screening.recordTitle')}</h4>
      <div className="record-grid">
        <fieldset className="radio-group">
          <legend>{t('screening.direction')}</legend>
          {DIRECTIONS.map((d) => (
            <label key={d} className="radio">
              <input type="radio" name="direction" value={d} checked={direction === d} onChange={() => setDirection(d)} />
              {t(`directions.${d}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('screening.outcome')}>
          {(id) => (
            <select id={id} value={outcome} onChange={(e) => { setOutcome(e.target.value as Outcome); setNeedOutcome(false); }} data-testid="record-outcome">
              <option value="" disabled>{t('screening.chooseOutcome')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcomes.${o}`)}
                  {o === 'passed' && confirmedWanted ? t('screening.notAllowedSuffix') : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('fields.note')} className="grow">
          {(id) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="record-note" />}
        </Field>
        <div className="field field-button">
          <button type="submit" ref={buttonRef} disabled={busy || dirty} data-testid="record-submit">
            {busy ? t('screening.recording') : t('screening.record')}
          </button>
        </div>
      </div>
      <div className="rules" data-testid="record-rules">
        <b>{t('screening.rulesTitle')}:</b>
        <ul>
          <li className={undecided ? 'rule-open' : 'rule-ok'}>
            {t('screening.ruleDecide')}{' '}
            {result.hits.some((h) => needsDecision(h.band)) && (
              <b data-testid="rule-undecided">{undecided ? t('screening.ruleDecideOpen', { count: undecided }) : t('screening.ruleDecideDone')}</b>
            )}
          </li>
          <li className={confirmedWanted ? (outcome === 'passed' ? 'rule-open' : 'rule-warn') : ''}>{t('screening.ruleWanted')}</li>
        </ul>
      </div>
      {needOutcome && <div className="alert alert-error" role="alert">{t('screening.needOutcome')}</div>}
      {dirty && <Notice kind="warning">{t('screening.formChanged')}</Notice>}
      <ErrorBox error={error} onDismiss={() => setError(null)} testId="record-error" />
    </form>
  );
}
