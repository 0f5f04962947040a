/** i18next set-up: English and Thai, the choice kept per desk in localStorage. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { th } from './th';

export const LANGUAGES = [
  { code: 'en', label: 'English', short: 'EN' },
  { code: 'th', label: 'ไทย', short: 'ไทย' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];

const KEY = 'watchdesk.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'th') return saved;
  } catch {
    /* no storage */
  }
  return navigator.language.toLowerCase().startsWith('th') ? 'th' : 'en';
}

const lng = initialLang();
document.documentElement.lang = lng;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, th: { translation: th } },
  lng,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(l: Lang): void {
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* no storage */
  }
  document.documentElement.lang = l;
  void i18n.changeLanguage(l);
}

export function currentLang(): Lang {
  return i18n.language === 'th' ? 'th' : 'en';
}

export default i18n;
