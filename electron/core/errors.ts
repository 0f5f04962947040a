/**
 * The engine's one error hierarchy. Each class maps onto one API error code (shared/contract.ts
 * ERROR_CODES); `Engine.handle` turns any WatchdeskError into an error envelope with its code,
 * message and, where there is one, its reason code and parameters. Messages are safe to show:
 * never personal data, never internals. Anything else thrown is an internal error.
 */
import type { ApiError, ErrorCode } from '../../shared/contract';
import { reasonText, reasonView, type Reason } from '../../shared/reasons';

/** An error with its API code and its reason (code and parameters); the message is the reason's English text. */
export abstract class WatchdeskError extends Error {
  abstract readonly code: ErrorCode;
  constructor(readonly reason: Reason) {
    super(reasonText(reason));
    this.name = new.target.name;
  }
}

/** Input that is wrong in a way the user can fix. */
export class BadInputError extends WatchdeskError {
  readonly code = 'bad_input';
}
/** A record that does not exist. */
export class NotFoundError extends WatchdeskError {
  readonly code = 'not_found';
}
/** A rule of the desk or the state of the data forbids the action now (a job running, a crossing recorded). */
export class ConflictError extends WatchdeskError {
  readonly code = 'conflict';
}
/** The caller's role may not do this. */
export class ForbiddenError extends WatchdeskError {
  readonly code = 'forbidden';
}
/** The account is locked after repeated failed sign-ins. */
export class LockedError extends WatchdeskError {
  readonly code = 'locked';
}
/** Not signed in, or the credentials or key are wrong. */
export class AuthError extends WatchdeskError {
  readonly code = 'unauthenticated';
}
/** The engine is still preparing what the call needs (the match index); try again shortly. */
export class BusyError extends WatchdeskError {
  readonly code = 'busy';
}
/** A fault of the engine or the files it keeps (the message says which file and what to do). */
export class InternalError extends WatchdeskError {
  readonly code = 'internal';
}

/** The error envelope of a WatchdeskError: its API code, reason code, parameters and English text. */
export function errorEnvelope(e: WatchdeskError): ApiError {
  return { code: e.code, ...reasonView(e.reason) };
}
