import type { AdminErrorCode, AdminFieldError } from '@ocs/shared/contract/admin-api';
import type { ErrorBody, ErrorCode, FieldErrorsBody } from '@ocs/shared/contract/citizen-api';
import {
  AlreadyLiveError,
  ChallengeFailedError,
  CollectionNotOpenError,
  DependencyUnavailableError,
  ExportNotFoundError,
  InitiativeNotConfiguredError,
  InvalidExportStateError,
  InvalidRequestError,
  LiveLockedError,
  RateLimitedError,
  RetentionOverError,
  SameOrganiserError,
  StatementValidationError,
  UnauthenticatedError,
  WrongConfirmationError,
} from '@ocs/shared/errors';
import { RequestProblemError } from './problems';
import { type HttpResponse, json } from './responses';

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 2;

/** What the error map decided, for the access log (never the error's own message). */
export interface MappedError {
  readonly response: HttpResponse;
  readonly code: string;
  /** True when the error is a bug (5xx that is not a dependency outage). */
  readonly unexpected: boolean;
}

const problem = (
  status: number,
  code: ErrorCode | AdminErrorCode,
  message: string,
  headers?: Record<string, string>,
) => {
  const body = { error: { code, message } } satisfies { error: { code: string; message: string } };
  return json(status, body, headers ? { headers } : {});
};

/** The organiser routes' refusals of an export action (dual control and the job's state). */
function organiserRefusal(error: unknown): MappedError | undefined {
  const refusal = (status: number, code: ErrorCode, message: string): MappedError => ({
    response: problem(status, code, message),
    code,
    unexpected: false,
  });
  if (error instanceof ExportNotFoundError) return refusal(404, 'not_found', error.message);
  if (error instanceof SameOrganiserError) return refusal(403, 'same_organiser', error.message);
  if (error instanceof InvalidExportStateError) return refusal(409, 'invalid_state', error.message);
  if (error instanceof RetentionOverError) return refusal(409, 'retention_over', error.message);
  return undefined;
}

/** True for errors thrown by an AWS SDK client (they carry `$metadata`). */
function isSdkError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/**
 * The one error map: domain and request errors to HTTP. 4xx carry a stable `code` and a generic
 * message; a dependency outage is 503 with Retry-After; anything else is a generic 500 with the
 * request id, and its details stay in the (personal-data-free) log.
 */
export function mapError(error: unknown, requestId: string): MappedError {
  if (error instanceof StatementValidationError) {
    const body: FieldErrorsBody = { errors: error.errors };
    return { response: json(422, body), code: 'validation_failed', unexpected: false };
  }
  if (error instanceof InvalidRequestError) {
    const body: { errors: readonly AdminFieldError[] } = { errors: error.errors };
    return { response: json(422, body), code: 'validation_failed', unexpected: false };
  }
  if (error instanceof WrongConfirmationError) {
    // Both shapes: a client that reads `error.code` and one that reads the field errors (the
    // console shows it next to the confirmation field) find the code.
    const message = error.message;
    const body = {
      error: { code: 'wrong_confirmation', message },
      errors: [{ field: 'confirm', code: 'wrong_confirmation', message }],
    };
    return { response: json(422, body), code: 'wrong_confirmation', unexpected: false };
  }
  if (error instanceof LiveLockedError) {
    const body = { error: { code: 'live_locked', message: error.message, fields: error.fields } };
    return { response: json(409, body), code: 'live_locked', unexpected: false };
  }
  if (error instanceof AlreadyLiveError) {
    return { response: problem(409, 'already_live', error.message), code: 'already_live', unexpected: false };
  }
  if (error instanceof RequestProblemError) {
    return {
      response: problem(error.status, error.code, error.message),
      code: error.code,
      unexpected: false,
    };
  }
  const refused = organiserRefusal(error);
  if (refused) return refused;
  if (error instanceof UnauthenticatedError) {
    // RFC 6750: the scheme the client must use; no detail on why the token was refused.
    return {
      response: problem(401, 'unauthenticated', error.message, { 'www-authenticate': 'Bearer' }),
      code: 'unauthenticated',
      unexpected: false,
    };
  }
  if (error instanceof ChallengeFailedError) {
    return {
      response: problem(403, 'challenge_failed', error.message),
      code: 'challenge_failed',
      unexpected: false,
    };
  }
  if (error instanceof CollectionNotOpenError) {
    return {
      response: problem(403, 'collection_not_open', error.message),
      code: 'collection_not_open',
      unexpected: false,
    };
  }
  if (error instanceof RateLimitedError) {
    return {
      response: problem(429, 'rate_limited', error.message, {
        'retry-after': String(error.retryAfterSeconds),
      }),
      code: 'rate_limited',
      unexpected: false,
    };
  }
  if (
    error instanceof DependencyUnavailableError ||
    error instanceof InitiativeNotConfiguredError ||
    isSdkError(error)
  ) {
    return {
      response: problem(
        503,
        'unavailable',
        'The service is temporarily unavailable; nothing was stored. Please retry shortly.',
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      ),
      code: 'unavailable',
      unexpected: false,
    };
  }
  const body: ErrorBody = {
    error: { code: 'internal_error', message: 'An unexpected error occurred.', requestId },
  };
  return {
    response: json(500, body),
    code: 'internal_error',
    unexpected: true,
  };
}
