import { type AuditAction, type AuditActor, type AuditDetails, changeDetails } from '@ocs/shared/audit';
import {
  type AdminInitiative,
  type CollectionResponse,
  collectionRequestSchema,
  fieldErrorsFromZod,
  submissionRequestSchema,
} from '@ocs/shared/contract/admin-api';
import {
  DependencyUnavailableError,
  InitiativeNotConfiguredError,
  InvalidRequestError,
  LiveLockedError,
} from '@ocs/shared/errors';
import {
  brusselsDate,
  changedRegisteredFacts,
  type Initiative,
  type InitiativeLifecycle,
  type InitiativeState,
  initiativeUpdateSchema,
  organiserCollectionStatus,
} from '@ocs/shared/initiative';
import type { AuditTrail, Clock, InitiativeAdminStore } from '@ocs/shared/ports';
import { destructionDeadline } from '@ocs/shared/retention';
import type * as z from 'zod';
import { recordAction } from './audit';

/** What the organisers' initiative routes need. */
export interface ManageInitiativeDeps {
  readonly initiatives: InitiativeAdminStore;
  readonly trail: AuditTrail;
  readonly clock: Clock;
}

/** Conditional writes lost to a concurrent one are re-planned this many times before a 503. */
export const MAX_WRITE_ATTEMPTS = 5;

/** The answer of GET /api/admin/initiative for a state of the item at `now`. */
export function adminInitiativeView(state: InitiativeState, now: Date): AdminInitiative {
  const { initiative, lifecycle } = state;
  return {
    initiative,
    mode: lifecycle.mode,
    status: organiserCollectionStatus(initiative, now),
    submittedOn: lifecycle.submittedOn ?? null,
    destruction: destructionDeadline({
      collectionStart: initiative.collection.start,
      submittedOn: lifecycle.submittedOn,
      withdrawnOn: lifecycle.withdrawnOn,
    }),
  };
}

/** The item, read past any cache; a missing one is the operator's misconfiguration (503). */
export async function currentState(initiatives: InitiativeAdminStore): Promise<InitiativeState> {
  const state = await initiatives.state({ fresh: true });
  if (!state) throw new InitiativeNotConfiguredError();
  return state;
}

/** What a change of the item does: nothing, or the next item and its audit entry. */
export type Plan =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'write';
      readonly next: { readonly initiative: Initiative; readonly lifecycle: InitiativeLifecycle };
      /** The entry that records the change; none when the caller records it itself (go-live). */
      readonly audit?: { readonly action: AuditAction; readonly details: AuditDetails };
    };

/**
 * Applies a change to the item: read it, plan the change (which may refuse with a domain error),
 * write it conditionally on the version read, then record its audit entry. A write that lost to
 * a concurrent one is planned again on the new item (what was checked is what is replaced).
 * A plan that changes nothing writes nothing and records nothing. Returns the item as it is now.
 */
export async function changeInitiative(
  deps: ManageInitiativeDeps,
  actor: AuditActor,
  plan: (state: InitiativeState) => Plan | Promise<Plan>,
): Promise<InitiativeState> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const state = await currentState(deps.initiatives);
    const decided = await plan(state);
    if (decided.kind === 'unchanged') return state;
    if (!(await deps.initiatives.replace(state.version, decided.next))) continue;
    // Written; then recorded (a failure here is a 503 and leaves the change unrecorded: the
    // table is the same for both, so it takes an outage between two writes a few ms apart).
    if (decided.audit) await recordAction(deps.trail, actor, decided.audit.action, decided.audit.details);
    return { ...decided.next, version: state.version + 1 };
  }
  throw new DependencyUnavailableError('database', {
    cause: new Error(`the initiative kept changing during ${MAX_WRITE_ATTEMPTS} attempts`),
  });
}

/** Parses a body (or query) with `schema`, or throws InvalidRequestError with every field error. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InvalidRequestError(fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

/**
 * Replace the initiative (PUT /api/admin/initiative).
 * Input: the organiser, the body (untrusted). Output: the admin view of the item afterwards.
 * Steps: validate the body with the initiative schema (every field error at once: 422); keep the
 * stored collection switch whatever the body says (it belongs to POST /api/admin/collection);
 * after go-live, refuse any change of a registered fact (409 live_locked); nothing changed:
 * answer as it is, no write, no entry; else write it and record `initiative_updated` with the
 * changed field paths and a digest of the old and new values (never the values).
 */
export async function updateInitiative(
  deps: ManageInitiativeDeps,
  actor: AuditActor,
  body: unknown,
): Promise<AdminInitiative> {
  const update = parseInput(initiativeUpdateSchema, body);
  const state = await changeInitiative(deps, actor, async (current) => {
    const initiative: Initiative = {
      ...update,
      collection: { ...update.collection, enabled: current.initiative.collection.enabled },
    };
    if (current.lifecycle.mode === 'live') {
      const locked = changedRegisteredFacts(current.initiative, initiative);
      if (locked.length > 0) throw new LiveLockedError(locked);
    }
    const change = await changeDetails(current.initiative, initiative);
    if (change.changedFields.length === 0) return { kind: 'unchanged' };
    return {
      kind: 'write',
      next: { initiative, lifecycle: current.lifecycle },
      audit: { action: 'initiative_updated', details: { ...change } },
    };
  });
  return adminInitiativeView(state, deps.clock.now());
}

/**
 * Open or pause the collection (POST /api/admin/collection).
 * Input: the organiser, the body `{ action: "open" | "pause" }`. Output: the status afterwards.
 * Steps: validate (422); flip the organisers' switch unless it is already so (then no write and
 * no entry); record `collection_opened` or `collection_paused`. The status also depends on the
 * dates: opening before the start or after the end sets the switch, and the status says
 * `not_started` or `closed`. Functions that keep the initiative in memory apply it within
 * OCS_INITIATIVE_CACHE_SECONDS.
 */
export async function setCollection(
  deps: ManageInitiativeDeps,
  actor: AuditActor,
  body: unknown,
): Promise<CollectionResponse> {
  const { action } = parseInput(collectionRequestSchema, body);
  const enabled = action === 'open';
  const now = deps.clock.now();
  const state = await changeInitiative(deps, actor, (current) => {
    if (current.initiative.collection.enabled === enabled) return { kind: 'unchanged' };
    const initiative = {
      ...current.initiative,
      collection: { ...current.initiative.collection, enabled },
    };
    return {
      kind: 'write',
      next: { initiative, lifecycle: current.lifecycle },
      audit: {
        action: enabled ? 'collection_opened' : 'collection_paused',
        details: { status: organiserCollectionStatus(initiative, now) },
      },
    };
  });
  return { status: organiserCollectionStatus(state.initiative, now) };
}

/**
 * Record the date of submission to the Commission (POST /api/admin/submission).
 * Input: the organiser, the body `{ date }`. Output: the admin view afterwards.
 * Steps: validate (a real date, 422): not after today (Brussels) and not before the collection
 * started; the same date again changes nothing; else store it (a correction replaces an earlier
 * date) and record `submission_recorded` with the date, the earlier one and the destruction
 * deadline it gives (one month after it, unless an earlier rule applies).
 */
export async function recordSubmission(
  deps: ManageInitiativeDeps,
  actor: AuditActor,
  body: unknown,
): Promise<AdminInitiative> {
  const { date } = parseInput(submissionRequestSchema, body);
  const now = deps.clock.now();
  if (date > brusselsDate(now)) {
    throw new InvalidRequestError([
      { field: 'date', code: 'invalid_date', message: 'The submission date cannot be in the future.' },
    ]);
  }
  const state = await changeInitiative(deps, actor, (current) => {
    if (date < current.initiative.collection.start) {
      throw new InvalidRequestError([
        {
          field: 'date',
          code: 'invalid_date',
          message: 'The submission date cannot be before the collection started.',
        },
      ]);
    }
    if (current.lifecycle.submittedOn === date) return { kind: 'unchanged' };
    const lifecycle = { ...current.lifecycle, submittedOn: date };
    const deadline = destructionDeadline({
      collectionStart: current.initiative.collection.start,
      submittedOn: date,
      withdrawnOn: lifecycle.withdrawnOn,
    });
    return {
      kind: 'write',
      next: { initiative: current.initiative, lifecycle },
      audit: {
        action: 'submission_recorded',
        details: {
          submittedOn: date,
          previous: current.lifecycle.submittedOn ?? null,
          deadline: deadline.deadline,
          rule: deadline.rule,
        },
      },
    };
  });
  return adminInitiativeView(state, now);
}
