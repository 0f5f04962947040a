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
  // Import (issue 4).
  [/^the cell holds a formula; formulas are not imported: rejected$/i, 'importErrors.formula', () => ({})],
  [/^the name is (\d+) characters long \(at most (\d+)\): rejected$/i, 'importErrors.nameTooLong', (m) => ({ length: Number(m[1]), max: Number(m[2]) })],
  [/^the individual has no name: rejected$/i, 'importErrors.individualNoName', () => ({})],
  [/^this column is not imported/i, 'importErrors.columnNotImported', () => ({})],
  [/^date of birth "(.*)" not understood; left out$/i, 'importErrors.dobLeftOut', (m) => ({ value: m[1]! })],
  [/^nationality "(.*)" not recognised; left out$/i, 'importErrors.nationalityLeftOut', (m) => ({ value: m[1]! })],
  [/^the file is not a complete xlsx \(zip\) file/i, 'importErrors.truncated', () => ({})],
  [/^the xlsx file would expand to more than (\d+) MB/i, 'importErrors.zipBomb', (m) => ({ mb: Number(m[1]) })],
  [/^the file is not an Excel workbook/i, 'importErrors.notWorkbook', () => ({})],
  [/^the file is binary, not text/i, 'importErrors.binary', () => ({})],
  [/^the file is an Excel workbook, not CSV/i, 'importErrors.workbookAsCsv', () => ({})],
  [/^(?:row \d+|sheet ".*") has (\d+) columns; at most (\d+) are supported$/i, 'importErrors.tooWide', (m) => ({ count: Number(m[1]), max: Number(m[2]) })],
  [/^no header row with a name column was found in the first 30 rows of sheet "(.*)"/i, 'importErrors.noHeader', (m) => ({ sheet: m[1]! })],
  [/^the workbook has no sheet named "(.*)"$/i, 'importErrors.noSheet', (m) => ({ sheet: m[1]! })],
  [/^the import was cancelled/i, 'importErrors.cancelled', () => ({})],
  [/^a different supervisor must approve/i, 'importErrors.fourEyes', () => ({})],
  [/^the mapping has no name column/i, 'importErrors.mappingNoName', () => ({})],
  [/^files of type \.(\S*) cannot be imported/i, 'importErrors.fileType', (m) => ({ ext: m[1]! })],
  [/^the workbook is damaged/i, 'importErrors.damaged', () => ({})],
  [/^an import into this list is already running$/i, 'importErrors.running', () => ({})],
  [/^the file is empty$/i, 'importErrors.empty', () => ({})],
  // Per-list bands and action (watchlists.setSettings).
  [/^thresholds: weak \(([\d.]+)\) must be below review \(([\d.]+)\)$/i, 'listSettings.errors.weakBelowReview', (m) => ({ weak: m[1]!, review: m[2]! })],
  [/^thresholds: review \(([\d.]+)\) must not be above strong \(([\d.]+)\)$/i, 'listSettings.errors.reviewAboveStrong', (m) => ({ review: m[1]!, strong: m[2]! })],
  [/^must be a score from 0 to 1$/i, 'listSettings.errors.scoreRange', () => ({})],
  // Accounts, keys and recovery (issue 5).
  [/^password must use at least \d+ different characters$/i, 'accountErrors.passwordSimple', () => ({})],
  [/^password must not contain the username$/i, 'accountErrors.passwordUsername', () => ({})],
  [/^password is too common$/i, 'accountErrors.passwordCommon', () => ({})],
  [/^password must be at most 256 characters$/i, 'accountErrors.passwordLong', () => ({})],
  [/^this account is locked after repeated failed sign-ins; try again in (\d+) minute/i, 'accountErrors.accountLocked', (m) => ({ minutes: Number(m[1]) })],
  [/^the current password is wrong$/i, 'accountErrors.currentPasswordWrong', () => ({})],
  [/^the recovery passphrase is wrong$/i, 'accountErrors.passphraseWrong', () => ({})],
  [/^at least one enabled account must keep the admin role$/i, 'accountErrors.lastAdmin', () => ({})],
  [/^you cannot disable your own account$/i, 'accountErrors.disableSelf', () => ({})],
  [/^enabling an account needs a new password/i, 'accountErrors.enableNeedsPassword', () => ({})],
  [/^that username is already taken$/i, 'accountErrors.usernameTaken', () => ({})],
  [/^recovery needs the username of an enabled admin account$/i, 'accountErrors.recoverNeedsAdmin', () => ({})],
  [/^the session expired after inactivity/i, 'accountErrors.sessionExpired', () => ({})],
  [/^your role may not call (\S+)$/i, 'accountErrors.roleMayNot', (m) => ({ method: m[1]! })],
  [/^choose at least one role$/i, 'accountErrors.needRole', () => ({})],
  [/^username: 2 to 64 letters/i, 'accountErrors.usernameFormat', () => ({})],
  [/^the account is disabled: enable it/i, 'accountErrors.accountDisabled', () => ({})],
  [/^this file is not a Watchdesk backup$/i, 'accountErrors.notBackup', () => ({})],
  [/^the backup file is damaged/i, 'accountErrors.backupDamaged', () => ({})],
  [/^restoring needs the username of an enabled admin account/i, 'accountErrors.restoreNeedsAdmin', () => ({})],
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
