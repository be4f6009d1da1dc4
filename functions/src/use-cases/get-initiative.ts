import type { PublicInitiative } from '@ocs/shared/contract/citizen-api';
import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { collectionStatus } from '@ocs/shared/initiative';
import type { Clock, InitiativeStore } from '@ocs/shared/ports';
import { destructionDeadlineOf } from '@ocs/shared/retention';

/**
 * Get the initiative's public facts.
 * Input: none. Output: `PublicInitiative`, with the collection status computed at `clock.now()`,
 * the mode (test or live) and the destruction deadline.
 * Steps: read the (cached) initiative; fail with InitiativeNotConfiguredError if there is none;
 * project the public fields.
 */
export async function getInitiative(deps: {
  initiatives: InitiativeStore;
  clock: Clock;
}): Promise<PublicInitiative> {
  const state = await deps.initiatives.state();
  if (!state) throw new InitiativeNotConfiguredError();
  const { initiative } = state;
  return {
    registrationNumber: initiative.registrationNumber,
    languages: initiative.languages,
    content: initiative.content,
    organisers: initiative.organisers.map(({ name, country }) => ({ name, country })),
    registerUrl: initiative.registerUrl,
    collection: {
      status: collectionStatus(initiative, deps.clock.now()),
      start: initiative.collection.start,
      end: initiative.collection.end,
    },
    ...(initiative.partialRegistration ? { partialRegistration: initiative.partialRegistration } : {}),
    ...(initiative.certificateUrl ? { certificateUrl: initiative.certificateUrl } : {}),
    dataProtectionContact: initiative.dataProtectionContact,
    mode: state.lifecycle.mode,
    destruction: { deadline: destructionDeadlineOf(state).deadline },
  };
}
