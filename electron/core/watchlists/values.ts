/**
 * Value rules for watchlist cells: nationality to ISO 3166 alpha-3, sex from words and titles,
 * Thai national ID check digit, document numbers.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { Sex } from '../../../shared/domain';

// Loaded with require: JSON import attributes do not survive every bundler (electron-vite).
const requireJson = createRequire(import.meta.url);
countries.registerLocale(requireJson('i18n-iso-countries/langs/en.json') as countries.LocaleData);
countries.registerLocale(requireJson('i18n-iso-countries/langs/th.json') as countries.LocaleData);

/** Demonyms and common names the country list lacks, lower case (English and Thai). */
const EXTRA_COUNTRIES: Record<string, string> = {
  thai: 'THA', 'ไทย': 'THA', cambodian: 'KHM', khmer: 'KHM', 'กัมพูชา': 'KHM', 'เขมร': 'KHM',
  lao: 'LAO', laos: 'LAO', laotian: 'LAO', 'ลาว': 'LAO', 'สปป.ลาว': 'LAO', burmese: 'MMR', burma: 'MMR',
  myanmar: 'MMR', 'พม่า': 'MMR', 'เมียนมา': 'MMR', 'เมียนมาร์': 'MMR', vietnamese: 'VNM', vietnam: 'VNM',
  'เวียดนาม': 'VNM', chinese: 'CHN', china: 'CHN', 'จีน': 'CHN', malaysian: 'MYS', 'มาเลเซีย': 'MYS',
  indonesian: 'IDN', filipino: 'PHL', philippine: 'PHL', singaporean: 'SGP', indian: 'IND',
  pakistani: 'PAK', bangladeshi: 'BGD', afghan: 'AFG', iraqi: 'IRQ', iranian: 'IRN', syrian: 'SYR',
  yemeni: 'YEM', saudi: 'SAU', egyptian: 'EGY', libyan: 'LBY', sudanese: 'SDN', somali: 'SOM',
  nigerian: 'NGA', russian: 'RUS', russia: 'RUS', ukrainian: 'UKR', american: 'USA', british: 'GBR',
  'united kingdom': 'GBR', uk: 'GBR', usa: 'USA', 'united states': 'USA', korean: 'KOR',
  'south korea': 'KOR', 'north korea': 'PRK', 'north korean': 'PRK', japanese: 'JPN', taiwanese: 'TWN',
  'hong kong': 'HKG', german: 'DEU', french: 'FRA', iran: 'IRN', syria: 'SYR', 'ญี่ปุ่น': 'JPN',
  'เกาหลีใต้': 'KOR', "democratic people's republic of korea": 'PRK', 'korea, north': 'PRK', 'korea, south': 'KOR',
  'united kingdom of great britain and northern ireland': 'GBR', 'syrian arab republic': 'SYR', 'viet nam': 'VNM',
  'russian federation': 'RUS', 'palestinian': 'PSE', 'congo, democratic republic of the': 'COD', 'cabo verde': 'CPV',
  'macedonia, the former yugoslav republic of': 'MKD', 'north macedonia': 'MKD', 'west bank': 'PSE', 'gaza': 'PSE', 'kosovo': 'XKX', 'อินเดีย': 'IND', 'รัสเซีย': 'RUS', 'สหรัฐอเมริกา': 'USA', 'อังกฤษ': 'GBR',
};

/**
 * Longest text read as a nationality, in characters: four times the longest country name (44,
 * "South Georgia and the South Sandwich Islands"), room for a qualifier and a bracketed note.
 * Longer text is no nationality, and is refused before any matching: the bracket stripping below
 * recurses once per trailing bracket pair (a cell of 20,000 "()" overflowed the stack).
 */
const MAX_NATIONALITY_TEXT = 200;

/**
 * Nationality or country (ISO alpha-2/alpha-3 code, English or Thai name, demonym) to ISO 3166
 * alpha-3, or null when not recognised (or longer than MAX_NATIONALITY_TEXT).
 */
export function toAlpha3(input: string): string | null {
  const s = input.normalize('NFKC').trim().replace(/^สัญชาติ\s*/, '').replace(/^(possibly|probably|reportedly)\s+/i, '');
  if (!s || s.length > MAX_NATIONALITY_TEXT) return null;
  const lower = s.toLowerCase().replace(/\.$/, '');
  if (EXTRA_COUNTRIES[lower]) return EXTRA_COUNTRIES[lower];
  if (/^[a-z]{3}$/i.test(s) && countries.isValid(s.toUpperCase())) return s.toUpperCase();
  if (/^[a-z]{2}$/i.test(s) && countries.isValid(s.toUpperCase())) return countries.alpha2ToAlpha3(s.toUpperCase()) ?? null;
  const found = countries.getAlpha3Code(s, 'en') ?? countries.getAlpha3Code(s, 'th');
  if (found) return found;
  // "Iran (Islamic Republic of)", "Bolivia (Plurinational State of)": the name before the brackets.
  const bare = s.replace(/\s*\([^)]*\)\s*$/, '');
  return bare !== s ? toAlpha3(bare) : null;
}

/** Splits a cell holding several nationalities ("THA; KHM", "Thai / Lao"). */
export function splitList(cell: string): string[] {
  // Split on the separators alone and trim the parts: a separator pattern with `\s*` around it
  // was tried from every space of a long run (quadratic: 2 s for a cell of 30,000 spaces).
  return cell.split(/[;|/\n]|,(?=\s*\S)/).map((s) => s.trim()).filter(Boolean);
}

const MALE = new Set(['m', 'male', 'man', 'ชาย', 'ช', 'นาย', 'mr', 'เด็กชาย', 'ด.ช.']);
const FEMALE = new Set(['f', 'female', 'woman', 'หญิง', 'ญ', 'นาง', 'นางสาว', 'น.ส.', 'mrs', 'ms', 'miss', 'เด็กหญิง', 'ด.ญ.']);

/** Sex from an English or Thai word or title, or null when not recognised. */
export function toSex(input: string): Sex | null {
  const s = input.normalize('NFKC').trim().toLowerCase().replace(/\.$/, '');
  if (!s) return null;
  if (MALE.has(s) || MALE.has(`${s}.`)) return 'M';
  if (FEMALE.has(s) || FEMALE.has(`${s}.`)) return 'F';
  if (s === 'x' || s === 'unspecified' || s === 'other') return 'X';
  return null;
}

/** Sex implied by the title a name starts with (นาย, นาง, นางสาว, Mr, Mrs, Ms...), or null. */
export function sexFromTitle(name: string): Sex | null {
  const s = name.normalize('NFKC').trim().toLowerCase();
  if (/^(นางสาว|น\.ส\.|นาง|เด็กหญิง|ด\.ญ\.)/.test(s) || /^(mrs|ms|miss)\b/.test(s)) return 'F';
  if (/^(เด็กชาย|ด\.ช\.)/.test(s) || /^mr\b/.test(s)) return 'M';
  if (/^นาย/.test(s) && !/^นายาว/.test(s)) return 'M';
  return null;
}

/**
 * Checks a Thai national ID number (13 digits): the last digit is (11 - (sum of the first 12
 * digits weighted 13..2) mod 11) mod 10 (Department of Provincial Administration).
 */
export function isValidThaiId(id: string): boolean {
  if (!/^\d{13}$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(id[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(id[12]);
}

/** Normalizes a document number as stored: upper case, letters and digits; leading zeros kept. */
export function normalizeDocumentNumber(s: string): string {
  return s.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** Most significant digits a spreadsheet number keeps (Excel: 15); a longer identifier held as a number lost its last digits. */
export const SPREADSHEET_DIGITS = 15;

/**
 * The text of an identifier cell (entry id, passport, national ID, reference), from the cell's
 * VALUE with its digits exact: a number cell holding 1234567890123 gives "1234567890123", never
 * the display text "1.23457E+12"; the display text is used when it shows the same number with
 * leading zeros (format `0000000000000`); the file's own digits (`raw`, xlsx) when it stores more
 * than a double holds. `digitsLost` is the digit count of a whole number longer than
 * SPREADSHEET_DIGITS (kept as read; the caller warns), else 0. Text cells (csv) are trimmed.
 */
export function identifierText(c: { v: string | number | boolean | null; w?: string; raw?: string } | undefined): { text: string; digitsLost: number } {
  if (!c || c.v === null) return { text: '', digitsLost: 0 };
  if (typeof c.v !== 'number') return { text: String(c.v).trim(), digitsLost: 0 };
  // The digits as the file stores them (xlsx), when more than a double holds: kept, and still flagged.
  if (c.raw && /^\d+$/.test(c.raw) && Number(c.raw) === c.v) return { text: c.raw, digitsLost: c.raw.replace(/^0+/, '').length };
  const v = c.v;
  const w = c.w?.trim() ?? '';
  if (!Number.isInteger(v)) return { text: w || String(v), digitsLost: 0 };
  const digits = wholeDigits(v);
  const bare = digits.replace(/^-/, '');
  const digitsLost = bare.length > SPREADSHEET_DIGITS ? bare.length : 0;
  if (/^0+\d*$/.test(w) && w.replace(/^0+/, '') === bare.replace(/^0+/, '')) return { text: w, digitsLost };
  return { text: digits, digitsLost };
}

/**
 * A whole number's digits as a spreadsheet shows it (format `0`): exact up to 15 digits; beyond,
 * its first 15 significant digits and zeros (`40281912345678900000`), never an exponent form and
 * never the double's binary tail (`...901248`).
 */
export function wholeDigits(v: number): string {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a < 1e15) return sign + BigInt(a).toString();
  const [mantissa, exp] = a.toExponential(SPREADSHEET_DIGITS - 1).split('e') as [string, string];
  const sig = mantissa.replace('.', '');
  return sign + sig + '0'.repeat(Number(exp) - (SPREADSHEET_DIGITS - 1));
}
