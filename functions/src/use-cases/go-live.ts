import type { AuditActor } from '@ocs/shared/audit';
import { type GoLiveResponse, goLiveRequestSchema } from '@ocs/shared/contract/admin-api';
import { AlreadyLiveError, WrongConfirmationError } from '@ocs/shared/errors';
import type { InitiativeState } from '@ocs/shared/initiative';
import type { TestDataWiper } from '@ocs/shared/ports';
import { recordAction } from './audit';
import { changeInitiative, type ManageInitiativeDeps, parseInput } from './manage-initiative';

/** What go-live needs besides the initiative store, the trail and the clock. */
export interface GoLiveDeps extends ManageInitiativeDeps {
  readonly wiper: TestDataWiper;
}

/**
 * How long the request that switched the mode has to finish go-live before another may take over
 * (longer than the go-live function's timeout, so the first one is surely gone by then).
 */
export const GO_LIVE_LEASE_SECONDS = 120;

/** The confirmation matches the registration number, ignoring case and surrounding spaces. */
function confirms(typed: string, registrationNumber: string): boolean {
  return typed.trim().toUpperCase() === registrationNumber.toUpperCase();
}

/**
 * Go live (POST /api/admin/go-live): the end of test mode, irreversible.
 * Input: the organiser, the body `{ confirm: "<registration number>" }`. Output: `{ mode: "live" }`.
 * Steps:
 *  1. validate the body (422 field errors);
 *  2. read the item: live (finished, or being finished by another request) -> 409
 *     already_live; the confirmation is not the registration number -> 422 wrong_confirmation;
 *  3. in test mode: ONE conditional write on the version read sets `mode = live`, `liveSince`,
 *     `testWipePending` and a lease of GO_LIVE_LEASE_SECONDS for this request to finish (from
 *     then on every statement is live, the registered facts are locked and a test statement can
 *     no longer be written: its transaction checks the mode);
 *  4. delete every test statement, test e-mail address and test counter (`TestDataWiper`);
 *  5. record `go_live` with what was deleted; clear `testWipePending` and the lease.
 * If the process stops after 3 (timeout, crash, the trail unavailable), the item stays live with
 * `testWipePending`: once the lease ran out, the next go-live request (the same confirmation)
 * takes a new lease, runs 4 and 5 and answers 200, its entry marked `resumed`. A second request
 * while the first is finishing, or after it finished, is 409 already_live: one entry per go-live.
 */
export async function goLive(deps: GoLiveDeps, actor: AuditActor, body: unknown): Promise<GoLiveResponse> {
  const { confirm } = parseInput(goLiveRequestSchema, body);
  let resumed = false;
  const state = await changeInitiative(deps, actor, (current) => {
    const now = deps.clock.now();
    const { lifecycle } = current;
    const abandoned =
      lifecycle.testWipePending === true && (lifecycle.testWipeLeaseUntil ?? '') <= now.toISOString();
    // Live and finished, or being finished by another request right now (a double click).
    if (lifecycle.mode === 'live' && !abandoned) throw new AlreadyLiveError();
    if (!confirms(confirm, current.initiative.registrationNumber)) throw new WrongConfirmationError();
    resumed = lifecycle.mode === 'live';
    const lease = new Date(now.getTime() + GO_LIVE_LEASE_SECONDS * 1000).toISOString();
    return {
      kind: 'write',
      next: {
        initiative: current.initiative,
        lifecycle: {
          ...lifecycle,
          mode: 'live',
          liveSince: lifecycle.liveSince ?? now.toISOString(),
          testWipePending: true,
          testWipeLeaseUntil: lease,
        },
      },
    };
  });
  await finishGoLive(deps, actor, state, resumed);
  return { mode: 'live' };
}

/** Steps 4 and 5: delete the test data, record `go_live`, clear the pending flag. */
async function finishGoLive(
  deps: GoLiveDeps,
  actor: AuditActor,
  state: InitiativeState,
  resumed: boolean,
): Promise<void> {
  const wiped = await deps.wiper.wipe();
  await recordAction(deps.trail, actor, 'go_live', {
    registrationNumber: state.initiative.registrationNumber,
    liveSince: state.lifecycle.liveSince ?? null,
    testDataDeleted: { ...wiped },
    ...(resumed ? { resumed: true } : {}),
  });
  await changeInitiative(deps, actor, (current) => {
    if (!current.lifecycle.testWipePending) return { kind: 'unchanged' };
    const { testWipePending: _done, testWipeLeaseUntil: _lease, ...lifecycle } = current.lifecycle;
    return { kind: 'write', next: { initiative: current.initiative, lifecycle } };
  });
}
