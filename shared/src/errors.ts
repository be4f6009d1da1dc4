import type { AdminFieldError } from './contract/admin-api';
import type { ExportState } from './export-job';
import type { RegisteredFact } from './initiative';
import type { UnauthenticatedReason } from './sign-in';
import type { FieldError } from './statement';

/**
 * Domain errors. No HTTP in them: the functions' error map turns each into a status and a stable
 * code. Messages are generic and never carry personal data.
 */

/** The statement has field errors; all of them, at once. */
export class StatementValidationError extends Error {
  override readonly name = 'StatementValidationError';
  constructor(readonly errors: readonly FieldError[]) {
    super(`The statement has ${errors.length} field error(s).`);
  }
}

/** Why a proof-of-work payload was refused (for metrics and logs; never shown in detail). */
export type ChallengeFailure =
  | 'missing'
  | 'malformed'
  | 'invalid_signature'
  | 'invalid_solution'
  | 'expired'
  | 'already_used';

/** The ALTCHA payload is missing, invalid, expired or already used. */
export class ChallengeFailedError extends Error {
  override readonly name = 'ChallengeFailedError';
  constructor(readonly reason: ChallengeFailure) {
    super('The anti-bot challenge was missing, invalid, expired or already used. Please try again.');
  }
}

/** Collection is before its start, after its end, or switched off by the organisers. */
export class CollectionNotOpenError extends Error {
  override readonly name = 'CollectionNotOpenError';
  constructor(readonly status: 'not_started' | 'closed') {
    super(
      status === 'not_started'
        ? 'Collection of statements of support has not started yet.'
        : 'Collection of statements of support is closed.',
    );
  }
}

/** A dependency (database, key service, secret store) failed; nothing was stored. */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: 'database' | 'keys' | 'secrets',
    options?: { cause?: unknown },
  ) {
    super(`A dependency (${dependency}) is unavailable; nothing was stored. Please retry.`, options);
  }
}

/** The caller is throttled. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests; please retry later.');
  }
}

/** The initiative is not configured (no item in the store). */
export class InitiativeNotConfiguredError extends Error {
  override readonly name = 'InitiativeNotConfiguredError';
  constructor(options?: { cause?: unknown }) {
    super('The initiative is not configured.', options);
  }
}

/**
 * An organiser route was called without a valid access token (missing, malformed, expired,
 * wrongly signed, from another issuer, for another audience, or without the admin scope).
 */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor(readonly reason: UnauthenticatedReason) {
    super('Sign in again: a valid access token for the organiser API is required.');
  }
}

/** An organiser request's body or query has field errors; all of them, at once (422). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(readonly errors: readonly AdminFieldError[]) {
    super(`The request has ${errors.length} field error(s).`);
  }
}

/** A change of a registered fact after go-live (409 `live_locked`). */
export class LiveLockedError extends Error {
  override readonly name = 'LiveLockedError';
  constructor(readonly fields: readonly RegisteredFact[]) {
    super(`The initiative is live: its registered facts (${fields.join(', ')}) can no longer change.`);
  }
}

/** Go-live of an initiative that is already live (409 `already_live`). */
export class AlreadyLiveError extends Error {
  override readonly name = 'AlreadyLiveError';
  constructor() {
    super('The initiative is already live; going live cannot be repeated or undone.');
  }
}

/** Go-live confirmed with something else than the registration number (422 `wrong_confirmation`). */
export class WrongConfirmationError extends Error {
  override readonly name = 'WrongConfirmationError';
  constructor() {
    super('Type the registration number of the initiative exactly to confirm going live.');
  }
}

/** No export has this id (404 `not_found`). */
export class ExportNotFoundError extends Error {
  override readonly name = 'ExportNotFoundError';
  constructor() {
    super('No export has this id.');
  }
}

/** Dual control: the organiser who requested an export may not approve it (403 `same_organiser`). */
export class SameOrganiserError extends Error {
  override readonly name = 'SameOrganiserError';
  constructor() {
    super('An export must be approved by another organiser than the one who requested it.');
  }
}

/** The export is not in a state that allows the action (409 `invalid_state`). */
export class InvalidExportStateError extends Error {
  override readonly name = 'InvalidExportStateError';
  constructor(
    readonly state: ExportState,
    readonly needed: readonly ExportState[],
  ) {
    super(`The export is ${state}; this needs it to be ${needed.join(' or ')}.`);
  }
}

/** The data an export would read are past their retention deadline (409 `retention_over`). */
export class RetentionOverError extends Error {
  override readonly name = 'RetentionOverError';
  constructor(readonly deadline: string) {
    super(`The retention period of these data ended on ${deadline}; they can no longer be exported.`);
  }
}
