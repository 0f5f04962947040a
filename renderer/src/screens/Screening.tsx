/**
 * Screening: the officer types the traveler, screens, compares each hit side by side with its
 * explanation, decides each hit, and records the crossing. The engine enforces the rules of the
 * desk; this screen shows them and the engine's answer.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import type { CrossingView, HitView, ScreenedList, ScreeningResult, Traveler } from '../../../shared/contract';
import { SEXES, type Sex, type Thresholds } from '../../../shared/domain';
import { call } from '../api';
import { reasonMessage } from '../errors';
import { ErrorBox, Field, Notice } from '../components/ui';
import { useSubmit } from '../components/useSubmit';
import { COMMON_NATIONALITIES, formatDob, formatTime, nationalityLabel, readDob } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { HitCard } from './screening/HitCard';
import { ListsStatus } from './screening/ListsStatus';
import { RecordPanel } from './screening/RecordPanel';

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


/** How often a screening asks again while the match index is being built, and for how long at most, in ms. */
const INDEX_POLL_MS = 500;
const INDEX_WAIT_MS = 5 * 60_000;

export function Screening() {
  const { t } = useTranslation();
  const desk = useDesk();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [screened, setScreened] = useState<{ traveler: Traveler; form: FormState } | null>(null);
  const [result, setResult] = useState<ScreeningResult | null>(null);
  const [lists, setLists] = useState<ScreenedList[] | null>(null);
  /** Each list's score bands (0..1), read-only here; refreshed with every screening. */
  const [bands, setBands] = useState<Record<string, Thresholds>>({});
  const { busy, error, setError, run } = useSubmit();
  /** Percent of the match index built, while the engine is still building its first one. */
  const [indexProgress, setIndexProgress] = useState<number | null>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<CrossingView | null>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const resultHead = useRef<HTMLHeadingElement>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  /** Where focus goes once a new result has been rendered (set by `screen`, applied after commit). */
  const pendingFocus = useRef<'result' | 'record' | null>(null);
  /** False once the screen is left: a screening waiting for the index stops asking. */
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

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
    setRecorded(null);
    const r = await run(async () => {
      // Until the match index is ready the engine answers "index building": show its progress and
      // ask again, while this screen is open and for at most INDEX_WAIT_MS (then the officer sees why).
      const since = Date.now();
      for (;;) {
        try {
          return await call('screening.screen', { traveler });
        } catch (err) {
          const building = err instanceof ApiCallError && err.reason === 'index.building';
          if (!building || !mounted.current || Date.now() - since > INDEX_WAIT_MS) throw err;
          setIndexProgress(Number(err.params?.percent ?? 0));
          await new Promise((ok) => setTimeout(ok, INDEX_POLL_MS));
        }
      }
    });
    setIndexProgress(null);
    if (!r) return;
    // Focus moves after React has rendered the result (a requestAnimationFrame could run first).
    pendingFocus.current = r.hits.length ? 'result' : 'record';
    setResult(r);
    setLists(r.lists);
    loadBands().catch(() => undefined);
    setScreened({ traveler, form });
  }

  const reset = useCallback(() => {
    setForm(EMPTY);
    setResult(null);
    setScreened(null);
    setError(null);
    setFormProblem(null);
    requestAnimationFrame(() => firstField.current?.focus());
  }, [setError]);

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
        <Notice testId="index-building">
          <span>{t('screening.indexBuilding', { percent: indexProgress })}</span>{' '}
          <progress className="index-progress" max={100} value={indexProgress} aria-label={t('screening.indexBuildingLabel')} />
        </Notice>
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

