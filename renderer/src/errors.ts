/** Turns whatever a call threw into plain words for the person at the desk. */
import type { TFunction } from 'i18next';
import { ApiCallError } from '../../shared/client';
import { TransportError } from './api';

export interface Described {
  title: string;
  message: string;
  issues: { field: string; message: string }[];
  code: string;
}

/** Engine messages the UI knows, so that the Thai UI can show them in Thai. */
const KNOWN: [RegExp, string, (m: RegExpExecArray) => Record<string, string | number>][] = [
  [/^wrong username or password$/i, 'errors.known.wrongCredentials', () => ({})],
  [/^sign in first$/i, 'errors.known.signInFirst', () => ({})],
  [/^(\d+) hit\(s\) at or above review are undecided/i, 'errors.known.undecided', (m) => ({ count: Number(m[1]) })],
  [/^a confirmed hit on a wanted list cannot end as passed$/i, 'errors.known.wantedPassed', () => ({})],
  [/^this crossing is already recorded$/i, 'errors.known.alreadyRecorded', () => ({})],
  [/^the crossing is already recorded; its hits/i, 'errors.known.hitsLocked', () => ({})],
  [/^Watchdesk is already set up here/i, 'errors.known.alreadySetUp', () => ({})],
  [/^Watchdesk is not set up yet$/i, 'errors.known.notSetUp', () => ({})],
  [/^unknown time zone/i, 'errors.known.unknownTimeZone', () => ({})],
  [/^password must be at least 10 characters$/i, 'errors.known.passwordLength', () => ({})],
  [/^recovery passphrase must be at least 16 characters$/i, 'errors.known.passphraseLength', () => ({})],
  [/^the row has no name: rejected$/i, 'errors.known.rowNoName', () => ({})],
  [/^date of birth not understood \((.*)\); kept the year and month only$/i, 'errors.known.dobKeptMonth', (m) => ({ detail: m[1]! })],
  [/^date of birth not understood \((.*)\); kept the year only$/i, 'errors.known.dobKeptYear', (m) => ({ detail: m[1]! })],
  [/^date of birth not understood \((.*)\); left empty$/i, 'errors.known.dobEmpty', (m) => ({ detail: m[1]! })],
  [/^sex not understood; left empty$/i, 'errors.known.sexNotUnderstood', () => ({})],
  [/^nationality not recognised; left out$/i, 'errors.known.nationalityLeftOut', () => ({})],
  [/^nationality not recognised; screened without it$/i, 'errors.known.nationalityNotUsed', () => ({})],
  [/^Thai national ID check digit does not match/i, 'errors.known.thaiIdCheck', () => ({})],
  [/^id also used on row (\d+); this row's id made unique$/i, 'errors.known.duplicateId', (m) => ({ row: m[1]! })],
  [/^list "(.+)" is a (\S+) list, not (\S+)$/i, 'errors.known.kindMismatch', (m) => ({ list: m[1]!, actual: m[2]!, wanted: m[3]! })],
];

/** The engine's message in the UI language where it is a known one; otherwise as the engine said it. */
export function translateMessage(message: string, t: TFunction): string {
  for (const [re, key, vars] of KNOWN) {
    const m = re.exec(message);
    if (m) {
      const v = vars(m);
      if (key === 'errors.known.kindMismatch') {
        v.actual = t(`kinds.${String(v.actual)}`, { defaultValue: String(v.actual) });
        v.wanted = t(`kinds.${String(v.wanted)}`, { defaultValue: String(v.wanted) });
      }
      return t(key, v);
    }
  }
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

function fieldLabel(path: string, t: TFunction): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return t(`fields.${last}`, { defaultValue: last });
}

export function describeError(e: unknown, t: TFunction): Described {
  if (e instanceof ApiCallError) {
    const issues = (e.issues ?? []).map((i) => ({ field: fieldLabel(i.path, t), message: translateMessage(i.message, t) }));
    const wrongCredentials = /^wrong username or password$/i.test(e.message);
    return {
      title: wrongCredentials ? t('errors.titles.signInFailed') : t(`errors.titles.${e.code}`, { defaultValue: t('errors.titles.other') }),
      message: issues.length && /^malformed request/.test(e.message) ? '' : translateMessage(e.message, t),
      issues,
      code: e.code,
    };
  }
  if (e instanceof TransportError) {
    const key = e.message === 'no-harness-token' ? 'errors.noHarnessToken' : e.message === 'bad-response' ? 'errors.badResponse' : 'errors.unreachable';
    return { title: t('errors.titles.transport'), message: t(key), issues: [], code: 'transport' };
  }
  return { title: t('errors.titles.other'), message: e instanceof Error ? e.message : String(e), issues: [], code: 'other' };
}
