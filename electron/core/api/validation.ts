/**
 * Turning a request schema's refusal (zod issues) into reason codes: the schema's own code where
 * it gave one (contract.ts writes reason codes as its messages), else one per kind of issue.
 * Only the schema's limits travel as parameters, never the values given.
 */
import type { z } from 'zod';
import type { ApiError } from '../../../shared/contract';
import { isReasonCode, reason, reasonText, reasonView, type Reason } from '../../../shared/reasons';

/** Which reason a zod issue is; `input` is the request payload (to tell a missing field). */
function issueReason(i: z.core.$ZodIssue, input: unknown): Reason {
  const limits: Record<string, number> = {};
  if ('minimum' in i) limits.minimum = Number(i.minimum);
  if ('maximum' in i) limits.maximum = Number(i.maximum);
  if (isReasonCode(i.message)) return { code: i.message, params: limits };
  switch (i.code) {
    case 'invalid_type':
      return valueAt(input, i.path) === undefined ? reason('field.required') : reason('field.invalidType', { expected: i.expected });
    case 'too_small':
      return i.origin === 'string' ? reason('field.tooShort', { minimum: limits.minimum! })
        : i.origin === 'array' || i.origin === 'set' ? reason('field.tooFew', { minimum: limits.minimum! })
          : reason('field.tooSmall', { minimum: limits.minimum! });
    case 'too_big':
      return i.origin === 'string' ? reason('field.tooLong', { maximum: limits.maximum! })
        : i.origin === 'array' || i.origin === 'set' ? reason('field.tooMany', { maximum: limits.maximum! })
          : reason('field.tooBig', { maximum: limits.maximum! });
    case 'invalid_format':
      return reason('field.invalidFormat');
    case 'invalid_value':
      return reason('field.invalidValue');
    case 'unrecognized_keys':
      return reason('field.unknownKey');
    default:
      return reason('field.invalid');
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** The `invalid_request` envelope for a payload `method`'s schema refused, naming the first problem. */
export function malformedRequest(method: string, error: z.ZodError, input: unknown): ApiError {
  const issues = error.issues.map((i) => {
    // An unknown key is named by the key itself (the schema's, never a value).
    const path = [...i.path, ...(i.code === 'unrecognized_keys' ? i.keys.slice(0, 1) : [])].map(String).join('.');
    return { path, ...reasonView(issueReason(i, input)) };
  });
  const head = reason('request.malformed', { method });
  const first = issues[0] ? `: ${issues[0].path ? `${issues[0].path} ` : ''}${issues[0].message}` : '';
  return { code: 'invalid_request', ...reasonView(head), message: `${reasonText(head)}${first}`, issues };
}
