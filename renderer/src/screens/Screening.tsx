/**
 * Screening: the officer scans the passport (a reader typing the MRZ, a paste, or typing) or types
 * the traveler, screens, sees the verdict at a glance, compares each hit side by side with its
 * explanation, decides each hit, and records the crossing, all from the keyboard. The engine
 * enforces the rules of the desk; this screen shows them and the engine's answer.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../shared/client';
import type { CrossingView, HitView, ScreenedList, ScreeningResult, Traveler } from '../../../shared/contract';
import type { Thresholds } from '../../../shared/domain';
import { call } from '../api';
import { reasonMessage } from '../errors';
import { ErrorBox, Notice } from '../components/ui';
import { useSubmit } from '../components/useSubmit';
import { formatDob, formatTime, nationalityLabel } from '../format';
import { currentLang } from '../i18n';
import { hasRole, useDesk } from '../session';
import { HitCard } from './screening/HitCard';
import { ListsStatus } from './screening/ListsStatus';
import { StaleBanner } from './screening/StaleLists';
import { listAge } from '../../../shared/list-age';
import { RecordPanel } from './screening/RecordPanel';
import { hitGroups, HitList, rowHits, rowOpen } from './screening/HitList';
import { EMPTY, formFromMrz, readField, toTraveler, TravelerForm, typingIn, type FormState } from './screening/TravelerForm';
import { isOpen, Verdict } from './screening/Verdict';
import { park, unpark } from './screening/parked';
import { looksLikeMrz } from '../../../shared/mrz';

/**
 * Focuses the selected hit without scrolling the verdict away; scrolls only as far as its decision
 * buttons need to be seen.
 */
function focusHit(el: HTMLElement | null): void {
  if (!el) return;
  el.focus({ preventScroll: true });
  const row = el.querySelector('.decide-row');
  if (row && row.getBoundingClientRect().bottom > window.innerHeight) row.scrollIntoView({ block: 'nearest' });
}

/** The form with `text` in its MRZ field, filled from it when it reads. */
function withMrz(f: FormState, text: string): FormState {
  const { reading } = readField(text);
  return reading ? formFromMrz(f, reading, text) : { ...f, mrz: text };
}

/** Keys closer than this (ms) are a passport reader's burst, not a person typing; a burst ends after BURST_END_MS without a key. */
const BURST_GAP_MS = 40;
const BURST_END_MS = 150;

/** How often a screening asks again while the match index is being built, and for how long at most, in ms. */
const INDEX_POLL_MS = 500;
const INDEX_WAIT_MS = 5 * 60_000;

/** What an open screening is made of, kept across an idle lock (parked.ts). */
interface OpenScreening {
  form: FormState;
  screened: { traveler: Traveler; form: FormState } | null;
  result: ScreeningResult | null;
  selected: string | null;
  editing: boolean;
}

export function Screening() {
  const { t } = useTranslation();
  const desk = useDesk();
  // The screening this officer left open (idle lock, another screen), taken once on mount.
  const [resumed] = useState(() => unpark<OpenScreening>(desk.user.id));
  const [form, setForm] = useState<FormState>(resumed?.form ?? EMPTY);
  const [screened, setScreened] = useState<{ traveler: Traveler; form: FormState } | null>(resumed?.screened ?? null);
  const [result, setResult] = useState<ScreeningResult | null>(resumed?.result ?? null);
  const [lists, setLists] = useState<ScreenedList[] | null>(null);
  /** Each list's score bands (0..1), read-only here; refreshed with every screening. */
  const [bands, setBands] = useState<Record<string, Thresholds>>({});
  const { busy, error, setError, run } = useSubmit();
  /** Percent of the match index built, while the engine is still building its first one. */
  const [indexProgress, setIndexProgress] = useState<number | null>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<CrossingView | null>(null);
  const firstField = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  /** The hit shown in full (its decision buttons visible); the most severe open one by default. */
  const [selected, setSelected] = useState<string | null>(resumed?.selected ?? null);
  /** The form is folded to one line while a result is shown, so that the result fits the screen. */
  const [editing, setEditing] = useState(resumed?.editing ?? false);
  // Whatever is open when the screen goes away (an idle lock signs out, the officer opens another
  // screen) is kept for this officer; an empty form is not worth keeping.
  const open = useRef<OpenScreening | null>(null);
  useEffect(() => {
    const empty = !result && JSON.stringify(form) === JSON.stringify(EMPTY);
    open.current = empty ? null : { form, screened, result, selected, editing };
  }, [form, screened, result, selected, editing]);
  useEffect(() => {
    const userId = desk.user.id;
    return () => {
      if (open.current) park(userId, open.current);
    };
  }, [desk.user.id]);
  const mrz = useMemo(() => readField(form.mrz), [form.mrz]);
  const resultHead = useRef<HTMLHeadingElement>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  const recordHead = useRef<HTMLHeadingElement>(null);
  /** A passport read while the current traveler is still open: screened once this crossing is recorded. */
  const [pendingMrz, setPendingMrz] = useState<string | null>(null);
  /** Alt+M pressed once on an open traveler: a second Alt+M leaves it unrecorded. */
  const [confirmLeave, setConfirmLeave] = useState(false);
  /** Where focus goes once a new result has been rendered (set by `screen`, applied after commit). */
  const pendingFocus = useRef<'result' | 'record' | 'form' | null>(null);
  /** Bumped to apply a pending focus when nothing else re-renders (a new traveler on an empty desk). */
  const [focusTick, setFocusTick] = useState(0);
  /** False once the screen is left: a screening waiting for the index stops asking. */
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Focus moves only after React has rendered what it moves to (the form shown again, the result).
  useEffect(() => {
    const which = pendingFocus.current;
    if (which === 'form') {
      pendingFocus.current = null;
      firstField.current?.focus();
      return;
    }
    if (!which || !result) return;
    pendingFocus.current = null;
    // Focus goes to the selected hit, or to the crossing's heading, never to a button or a select:
    // a passport reader's next burst (or a stray Enter or space) must not decide or record anything.
    // Decisions and recording take their Alt keys, or a control the officer moved to on purpose.
    if (which === 'result') focusHit(document.querySelector<HTMLElement>('[data-testid="hit-card"][data-selected="true"]') ?? resultHead.current);
    else recordHead.current?.focus();
  }, [result, selected, focusTick]);

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
          ls.filter((l) => l.activeVersion).map((l) => ({ listId: l.id, name: l.name, versionNumber: l.activeVersion!.number, ...listAge(l), screenedVersion: null, loading: false })),
        ),
      )
      .catch(() => setLists(null));
    // A resumed screening gets focus where the officer left off: the selected hit, or the crossing.
    const resumedHit = document.querySelector<HTMLElement>('[data-testid="hit-card"][data-selected="true"]');
    (resumedHit ?? (document.querySelector('[data-testid="screening-result"]') ? recordHead.current : null) ?? firstField.current)?.focus();
  }, [loadBands]);

  async function screen(e: FormEvent) {
    e.preventDefault();
    const traveler = toTraveler(form);
    if (form.mrz.trim() && !mrz.reading) {
      setFormProblem(mrz.problem ? reasonMessage({ reason: mrz.problem.code, params: mrz.problem.params }, t) : t('screening.needName'));
      // Selected, so that the next scan replaces what could not be read instead of joining it.
      firstField.current?.focus();
      firstField.current?.select();
      return;
    }
    if (!traveler.fullName && !traveler.givenNames && !traveler.surname && !traveler.documentNumber && !traveler.nationalId && !traveler.mrz) {
      setFormProblem(t('screening.needName'));
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
    pendingFocus.current = r.hits.some(isOpen) ? 'result' : 'record';
    setSelected(hitGroups(r.hits).flat()[0]?.hit.hitId ?? null);
    setEditing(false);
    setResult(r);
    setLists(r.lists);
    loadBands().catch(() => undefined);
    setScreened({ traveler, form });
  }

  const reset = useCallback(() => {
    setForm(EMPTY);
    setResult(null);
    setSelected(null);
    setEditing(false);
    setScreened(null);
    setError(null);
    setFormProblem(null);
    setConfirmLeave(false);
    pendingFocus.current = 'form';
    setFocusTick((n) => n + 1);
  }, [setError]);

  /**
   * After a decision: the same decision is recorded for the duplicate entries shown in the same
   * row (each hit keeps its own decision and audit row); then the next row to decide is selected
   * and focused, or with none left the crossing's outcome.
   */
  async function onHitChanged(h: HitView) {
    if (!result) return;
    const row = hitGroups(result.hits).flat().find((r) => r.hit.hitId === h.hitId || r.duplicates.some((d) => d.hitId === h.hitId));
    const decided = new Map<string, HitView>([[h.hitId!, h]]);
    if (h.decision !== 'undecided') {
      const decision = h.decision;
      for (const d of [row?.hit, ...(row?.duplicates ?? [])]) {
        if (!d?.hitId || decided.has(d.hitId) || d.decision === decision) continue;
        const again = await run(() => call('screening.decide', { hitId: d.hitId!, decision, note: h.note ?? undefined }));
        if (again) decided.set(again.hitId!, again);
      }
    }
    const hits = result.hits.map((x) => decided.get(x.hitId!) ?? x);
    const next = hitGroups(hits).flat().find(rowOpen);
    if (next) setSelected(next.hit.hitId);
    pendingFocus.current = next ? 'result' : 'record';
    setResult({ ...result, hits });
  }

  const nextUndecided = useCallback(() => {
    const open = result ? hitGroups(result.hits).flat().filter(rowOpen) : [];
    const next = open.find((r) => r.hit.hitId !== selected) ?? open[0];
    if (!next) {
      recordHead.current?.focus();
      return;
    }
    pendingFocus.current = 'result';
    setSelected(next.hit.hitId);
    setResult((r) => (r ? { ...r } : r));
  }, [result, selected]);

  // Shortcuts of the screen (shown on its buttons): Alt+M scan a new traveler, Alt+N next hit to
  // decide, Alt+E edit the traveler; Alt+S / Alt+C decide the selected hit (HitCard).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const k = e.key.toLowerCase();
      if (k === 'm' || e.code === 'KeyM') {
        e.preventDefault();
        // Leaving a traveler whose crossing is not recorded asks for a second Alt+M.
        if (result && !confirmLeave) {
          setConfirmLeave(true);
          return;
        }
        setConfirmLeave(false);
        reset();
      } else if ((k === 'o' || e.code === 'KeyO') && result) {
        e.preventDefault();
        document.querySelector<HTMLSelectElement>('[data-testid="record-outcome"]')?.focus();
      } else if ((k === 'r' || e.code === 'KeyR') && result) {
        e.preventDefault();
        document.querySelector<HTMLFormElement>('[data-testid="record-form"]')?.requestSubmit();
      } else if ((k === 'n' || e.code === 'KeyN') && result) {
        e.preventDefault();
        nextUndecided();
      } else if ((k === 'e' || e.code === 'KeyE') && result) {
        e.preventDefault();
        setEditing(true);
        pendingFocus.current = 'form';
        setFocusTick((n) => n + 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reset, nextUndecided, result, confirmLeave]);

  // A passport reader typing while focus is not in a text field (on a hit, a heading, a button):
  // its burst never reaches the focused control (an Enter or a letter would decide a hit or pick an
  // outcome). With no traveler open it goes to the MRZ field; while one is open it waits, and is
  // put in the MRZ field once this crossing is recorded. Keys typed slower than a reader are left
  // alone unless they are part of a burst; Alt keys are shortcuts, never part of one.
  const burst = useRef<{ text: string; last: number; timer: number; select: { el: HTMLSelectElement; value: string } | null }>({ text: '', last: 0, timer: 0, select: null });
  useEffect(() => {
    const finish = () => {
      const text = burst.current.text.trim();
      burst.current.text = '';
      if (!looksLikeMrz(text)) return;
      if (result) setPendingMrz(text);
      else {
        firstField.current?.focus();
        setForm((f) => withMrz(f, text));
      }
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      const b = burst.current;
      // A reader never sends Alt, Ctrl or Meta: such a key is a person's, and ends any burst.
      if (e.altKey || e.ctrlKey || e.metaKey) {
        if (b.text) {
          window.clearTimeout(b.timer);
          finish();
        }
        return;
      }
      const el = document.activeElement;
      if (typingIn(el) && !(el instanceof HTMLSelectElement)) return;
      const now = performance.now();
      const inBurst = b.text !== '' && now - b.last < BURST_GAP_MS;
      const printable = /^[A-Za-z0-9<]$/.test(e.key);
      // Enter or space ends a burst only after a few fast keys: a key picked on a select, then
      // Enter, is a person choosing an outcome and recording it.
      if (!printable && !((e.key === 'Enter' || e.key === ' ') && inBurst && b.text.length >= 3)) return;
      // A single key on a select is its type-ahead; from the second key of a burst on, it is the
      // reader's, and the select gets back the value it had before the burst's first key.
      if (printable && !inBurst && el instanceof HTMLSelectElement) {
        b.text = e.key.toUpperCase();
        b.last = now;
        b.select = { el, value: el.value };
        return;
      }
      if (printable && inBurst && b.select) {
        const { el: select, value } = b.select;
        b.select = null;
        if (select.value !== value) {
          select.value = value;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }
      }
      if (!inBurst) b.select = null;
      e.preventDefault();
      e.stopPropagation();
      b.text = (inBurst || printable ? b.text : '') + (printable ? e.key.toUpperCase() : '\n');
      b.last = now;
      window.clearTimeout(b.timer);
      b.timer = window.setTimeout(finish, BURST_END_MS);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [result, setForm]);

  function onRecorded(c: CrossingView) {
    reset();
    setRecorded(c);
    // A passport scanned while this traveler was open is next: in the MRZ field, Enter screens it.
    if (pendingMrz) {
      setForm(withMrz(EMPTY, pendingMrz));
      setPendingMrz(null);
    }
  }

  if (!hasRole(desk, 'officer')) return <Notice>{t('screening.noScreenRole')}</Notice>;

  const lang = currentLang();
  const dirty = screened !== null && JSON.stringify(screened.form) !== JSON.stringify(form);

  const folded = result !== null && screened !== null && !editing;
  const shown = screened?.traveler;
  const groups = result ? hitGroups(result.hits) : [];
  const rows = groups.flat();
  const selectedRow = rows.find((r) => r.hit.hitId === selected) ?? null;
  const selectedHit = selectedRow?.hit ?? null;

  return (
    <div className="screen screening" data-testid="screen-screening">
      <StaleBanner lists={lists} />
      <div className={`screening-top ${folded ? 'folded' : ''}`}>
        {folded && shown && (
          <div className="panel traveler-summary" data-testid="traveler-summary">
            <span className="summary-name">{shown.fullName || [shown.surname, shown.givenNames].filter(Boolean).join(', ') || '—'}</span>
            {shown.documentNumber && <span className="mono">{shown.documentNumber}{shown.documentIssuer ? ` (${shown.documentIssuer})` : ''}</span>}
            {shown.dateOfBirth && <span>{formatDob(shown.dateOfBirth, lang)}</span>}
            {shown.nationality && <span>{nationalityLabel(shown.nationality, lang)}</span>}
            <span className="spacer" />
            <button type="button" className="secondary small" onClick={() => { setEditing(true); pendingFocus.current = 'form'; setFocusTick((n) => n + 1); }} data-testid="edit-traveler">
              {t('screening.edit')} <kbd>Alt+E</kbd>
            </button>
            <button type="button" className="secondary small" onClick={reset} data-testid="new-traveler">{t('screening.clear')} <kbd>Alt+M</kbd></button>
          </div>
        )}
        <TravelerForm
          form={form}
          setForm={setForm}
          mrz={mrz}
          onSubmit={screen}
          onReset={reset}
          busy={busy}
          problem={formProblem}
          hidden={folded}
          firstField={firstField}
          formRef={formRef}
        />
        {!folded && <ListsStatus lists={lists} bands={bands} />}
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
          <Verdict hits={rows.map((r) => (rowOpen(r) ? { ...r.hit, decision: 'undecided' as const } : r.hit))} openHits={result.hits.filter(isOpen).length} />
          {pendingMrz && <Notice kind="warning" testId="pending-scan">{t('screening.pendingScan')}</Notice>}
          {confirmLeave && <Notice kind="warning" testId="confirm-leave">{t('screening.confirmLeave')}</Notice>}
          {result.mrz && (result.mrz.warnings.length > 0 || !result.mrz.valid) && (
            <Notice kind="warning" testId="result-mrz-warnings">
              <b>{t('screening.mrzWarnings')}:</b>
              <ul className="notice-list">{result.mrz.warnings.map((w, i) => <li key={i}>{reasonMessage(w, t)}</li>)}</ul>
            </Notice>
          )}
          {result.warnings.length > 0 && (
            <Notice kind="warning" testId="screening-warnings">
              <b>{t('screening.warnings')}:</b>
              <ul className="notice-list">{result.warnings.map((w, i) => <li key={i}>{reasonMessage(w, t)}</li>)}</ul>
            </Notice>
          )}
          {result.hits.length > 1 && <HitList groups={groups} selected={selected} onSelect={(id) => { pendingFocus.current = 'result'; setSelected(id); }} />}
          {selectedRow && selectedRow.duplicates.length > 0 && (
            <Notice testId="duplicate-note">
              {t('screening.duplicateNote', { count: selectedRow.duplicates.length + 1, list: selectedRow.hit.list, refs: rowHits(selectedRow).map((d) => `${d.entryId}${d.entry.reference ? ` (${d.entry.reference})` : ''}`).join(', ') })}
            </Notice>
          )}
          {selectedHit && (
            <HitCard key={selectedHit.hitId} hit={selectedHit} traveler={screened.traveler} onChanged={(h) => void onHitChanged(h)} selected />
          )}
          <RecordPanel key={result.screeningId} result={result} dirty={dirty} onRecorded={onRecorded} buttonRef={recordButton} headRef={recordHead} />
        </section>
      )}
      {folded && <ListsStatus lists={lists} bands={bands} />}
    </div>
  );
}

