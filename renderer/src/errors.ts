/**
 * Turns what a call threw, and every reason the engine reports (import problems, warnings, field
 * checks), into words in the UI's language. The engine sends reason codes with parameters
 * (shared/reasons.ts); the texts are keyed by those codes, so nothing the engine says is parsed.
 */
import type { TFunction } from 'i18next';
import { ApiCallError } from '../../shared/client';
import type { ReasonView, TokenMatchKind } from '../../shared/contract';
import { LIST_KINDS } from '../../shared/domain';
import { explanationSummary, type SummaryParts } from '../../shared/explain';
import { EN_REASONS, isReasonCode, reasonText, type ReasonParams, type ReasonTexts, type ValueTexts } from '../../shared/reasons';
import { TH_REASONS } from '../../shared/reasons-th';
import { TransportError } from './api';
import { currentLang } from './i18n';

export interface Described {
  title: string;
  message: string;
  issues: { field: string; message: string }[];
  code: string;
}

const VERSION_STATES = ['staging', 'pending', 'published', 'superseded', 'rejected'] as const;

function texts(): ReasonTexts {
  return currentLang() === 'th' ? TH_REASONS : EN_REASONS;
}

/** Parameters that are codes themselves (list kinds, version states), in the UI language. */
function valueTexts(t: TFunction): ValueTexts {
  const kinds = Object.fromEntries(LIST_KINDS.map((k) => [k, t(`kinds.${k}`)]));
  const states = Object.fromEntries(VERSION_STATES.map((s) => [s, t(`watchlists.versionState.${s}`)]));
  // Import fields (column.duplicateHeaderRead): their labels; a name that is no field shows as it is.
  const fields = t('mappingFields', { returnObjects: true }) as unknown as Record<string, string>;
  return { actual: kinds, wanted: kinds, state: states, field: fields, otherField: fields };
}

/** A reason (a code with its parameters, e.g. an import problem or a warning) in the UI language. */
export function reasonMessage(r: Pick<ReasonView, 'reason'> & { params?: ReasonParams; message?: string }, t: TFunction): string {
  // A reason from an engine older than this UI is shown as that engine wrote it.
  if (!isReasonCode(r.reason)) return r.message ?? '';
  return capitalize(reasonText({ code: r.reason, params: r.params }, texts(), valueTexts(t)));
}

/** A hit explanation's one-line summary in the UI language. */
export function explanationText(ex: SummaryParts, t: TFunction): string {
  return explanationSummary(ex, texts(), (k: TokenMatchKind) => t(`screening.tokenKinds.${k}`, { defaultValue: k }));
}

function capitalize(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

function fieldLabel(path: string, t: TFunction): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return t(`fields.${last}`, { defaultValue: last });
}

export function describeError(e: unknown, t: TFunction): Described {
  if (e instanceof ApiCallError) {
    const issues = (e.issues ?? []).map((i) => ({ field: fieldLabel(i.path, t), message: reasonMessage(i, t) }));
    return {
      title: e.reason === 'auth.wrongCredentials' ? t('errors.titles.signInFailed') : t(`errors.titles.${e.code}`, { defaultValue: t('errors.titles.other') }),
      // A refused request lists its fields; the headline would only repeat the first.
      message: issues.length && e.reason === 'request.malformed' ? '' : reasonMessage({ reason: e.reason, params: e.params, message: e.message }, t),
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
