/**
 * A day typed as 2024-05-01, 01/05/2024 or with a Buddhist-Era year (01/05/2567), read with the
 * same parser as the engine (shared/dates.ts parseDate); reports the ISO day, or '' while empty.
 * Invalid text keeps the last applied value and is marked with `invalidText`. `initial`: the day it
 * starts with (an ISO day), shown in the form the placeholder asks for (ISO in English, day/month/
 * Buddhist-Era year in Thai; a day already in the field is rewritten when the language changes);
 * give a new `key` to set it again from outside.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDob } from '../format';
import { currentLang } from '../i18n';
import { dayPlaceholder, dayText, readDay } from './day-text';
import { Field } from './ui';

export { readDay } from './day-text';

export function DayInput({ label, onChange, testId, invalidText, initial = '' }: {
  label: string; onChange: (iso: string) => void; testId: string; invalidText: string; initial?: string;
}) {
  useTranslation(); // drawn again when the language changes
  const lang = currentLang();
  const [text, setText] = useState(() => dayText(initial, lang));
  // The language the text was written for: a whole day is rewritten in the new language's form.
  const [textLang, setTextLang] = useState(lang);
  if (textLang !== lang) {
    setTextLang(lang);
    const day = readDay(text);
    if (day) setText(dayText(day, lang));
  }
  const iso = readDay(text);
  const invalid = text.trim() !== '' && iso === null;
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
                const d = readDay(v);
                if (d) onChange(d);
              }
            }}
            placeholder={dayPlaceholder(lang)}
            aria-invalid={invalid}
            className={invalid ? 'invalid' : ''}
            title={invalid ? invalidText : ''}
            data-testid={testId}
            size={11}
          />
          {iso && <span className="small-text muted day-reading">{formatDob(iso, lang)}</span>}
          {invalid && <span className="small-text warn-text">{invalidText}</span>}
        </>
      )}
    </Field>
  );
}
