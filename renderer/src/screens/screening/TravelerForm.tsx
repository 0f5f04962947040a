/**
 * The traveler form of the Screening screen: the passport's MRZ first (a reader typing a burst that
 * ends in Enter, a paste, or typing; read as it arrives by shared/mrz.ts and filling the fields),
 * then the fields an officer types. MRZ text typed into any other field moves to the MRZ field.
 */
import { type Dispatch, type FormEvent, type KeyboardEvent, type RefObject, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { Traveler } from '../../../../shared/contract';
import { SEXES, type Sex } from '../../../../shared/domain';
import { looksLikeMrz, MrzError, mrzTravelerFields, readMrz, type MrzReading } from '../../../../shared/mrz';
import type { Reason } from '../../../../shared/reasons';
import { Field } from '../../components/ui';
import { COMMON_NATIONALITIES, formatDob, nationalityLabel, readDob } from '../../format';
import { currentLang } from '../../i18n';
import { MrzStatus } from './MrzStatus';

/** The traveler form as typed (strings), with the MRZ field. */
export interface FormState {
  fullName: string;
  givenNames: string;
  surname: string;
  dateOfBirth: string;
  sex: '' | Sex;
  nationality: string;
  documentNumber: string;
  documentIssuer: string;
  nationalId: string;
  /** The machine-readable zone as read or pasted, its lines separated by newlines. */
  mrz: string;
}
/** An empty form. */
export const EMPTY: FormState = { fullName: '', givenNames: '', surname: '', dateOfBirth: '', sex: '', nationality: '', documentNumber: '', documentIssuer: '', nationalId: '', mrz: '' };

/** The MRZ field read: a complete zone, or why not (null, null while empty). */
export function readField(text: string): { reading: MrzReading | null; problem: Reason | null } {
  if (!text.trim()) return { reading: null, problem: null };
  try {
    return { reading: readMrz(text), problem: null };
  } catch (e) {
    if (e instanceof MrzError) return { reading: null, problem: e.problem };
    throw e;
  }
}

/** The form filled from an MRZ: its fields replace what an earlier MRZ (or typing) put there. */
export function formFromMrz(f: FormState, r: MrzReading, text: string): FormState {
  const m = mrzTravelerFields(r);
  return {
    ...EMPTY, mrz: text, surname: m.surname ?? '', givenNames: m.givenNames ?? '', dateOfBirth: m.dateOfBirth ?? '', sex: m.sex ?? '',
    nationality: m.nationality ?? '', documentNumber: m.documentNumber ?? '', documentIssuer: m.documentIssuer ?? '', nationalId: m.nationalId ?? f.nationalId,
  };
}

/** True when focus is in a field that takes typing (where plain keys are text, not shortcuts). */
export function typingIn(el: Element | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

/** The traveler as the engine takes it: fields trimmed, codes uppercased, empty ones left out. */
export function toTraveler(f: FormState): Traveler {
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
  t.nationalId = s(f.nationalId)?.replace(/[\s-]+/g, '');
  t.mrz = s(f.mrz);
  for (const k of Object.keys(t) as (keyof Traveler)[]) if (t[k] === undefined) delete t[k];
  return t;
}

export function TravelerForm({ form, setForm, mrz, onSubmit, onReset, busy, problem, hidden, firstField, formRef }: {
  form: FormState;
  setForm: Dispatch<SetStateAction<FormState>>;
  mrz: { reading: MrzReading | null; problem: Reason | null };
  onSubmit: (e: FormEvent) => void;
  onReset: () => void;
  busy: boolean;
  /** Why the form was not screened, in the UI language. */
  problem: string | null;
  hidden: boolean;
  firstField: RefObject<HTMLTextAreaElement | null>;
  formRef: RefObject<HTMLFormElement | null>;
}) {
  const { t } = useTranslation();
  const lang = currentLang();
  const dob = readDob(form.dateOfBirth);

  /**
   * A field's change; MRZ text typed or pasted into a field other than the MRZ (a passport reader
   * typing wherever focus is) is moved to the MRZ field, and focus with it, never kept as a name.
   */
  const set = (k: keyof FormState) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    if (k !== 'mrz' && looksLikeMrz(value)) {
      firstField.current?.focus();
      setMrz(`${form.mrz.trim() ? `${form.mrz.trimEnd()}\n` : ''}${value.trim()}`, { ...form, [k]: '' });
      return;
    }
    setForm((f) => ({ ...f, [k]: value }));
  };

  /** The MRZ field's new text: a complete zone fills the traveler fields at once. */
  function setMrz(text: string, base: FormState = form) {
    const { reading } = readField(text);
    setForm(reading ? formFromMrz(base, reading, text) : { ...base, mrz: text });
  }

  /** Enter after a complete MRZ screens (a reader ends its burst with Enter); before that it starts the next line. */
  function onMrzKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key !== 'Enter' || e.shiftKey) return;
    if (mrz.reading || !form.mrz.trim()) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    }
  }

  return (
    <form ref={formRef} className="panel traveler-form" onSubmit={onSubmit} data-testid="traveler-form" aria-labelledby="traveler-title" hidden={hidden}>
      <div className="panel-head">
        <h3 id="traveler-title">{t('screening.formTitle')}</h3>
        <button type="button" className="secondary small" onClick={onReset} data-testid={hidden ? undefined : 'new-traveler'}>{t('screening.clear')} <kbd>Alt+M</kbd></button>
      </div>
      <div className="form-grid">
        <Field label={t('fields.mrz')} className="span-4" hint={<MrzStatus reading={mrz.reading} problem={mrz.problem} />}>
          {(id) => (
            <textarea
              id={id}
              ref={firstField}
              className="mono mrz-input"
              rows={2}
              value={form.mrz}
              onChange={(e) => setMrz(e.target.value)}
              onKeyDown={onMrzKey}
              autoComplete="off"
              spellCheck={false}
              maxLength={300}
              placeholder={t('screening.mrzPlaceholder')}
              data-testid="f-mrz"
            />
          )}
        </Field>
        <div className="or-split span-4"><span>{t('screening.orType')}</span></div>
        <Field label={t('fields.fullName')} className="span-4">
          {(id) => <input id={id} value={form.fullName} onChange={set('fullName')} autoComplete="off" spellCheck={false} maxLength={300} data-testid="f-fullName" />}
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
        <Field label={t('fields.documentIssuer')} className="span-1">
          {(id) => <input id={id} value={form.documentIssuer} onChange={set('documentIssuer')} list="nationalities" autoComplete="off" maxLength={60} placeholder={t('screening.nationalityPlaceholder')} />}
        </Field>
        <Field label={t('fields.nationalId')} className="span-1">
          {(id) => <input id={id} value={form.nationalId} onChange={set('nationalId')} autoComplete="off" spellCheck={false} maxLength={40} className="mono" data-testid="f-nationalId" />}
        </Field>
        <datalist id="nationalities">
          {COMMON_NATIONALITIES.map((c) => <option key={c} value={c}>{nationalityLabel(c, lang)}</option>)}
        </datalist>
      </div>
      {problem && <div className="alert alert-error" role="alert" data-testid="form-problem">{problem}</div>}
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="screen-submit">
          {busy ? t('screening.working') : t('screening.submit')} <kbd>{t('screening.submitHint')}</kbd>
        </button>
      </div>
    </form>
  );
}
