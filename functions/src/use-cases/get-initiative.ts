import { InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { type CollectionStatus, collectionStatus, type Initiative } from '@ocs/shared/initiative';
import type { Clock, InitiativeStore } from '@ocs/shared/ports';

/** The public facts of the initiative (GET /api/initiative). */
export interface PublicInitiative {
  readonly registrationNumber: string;
  readonly languages: Initiative['languages'];
  readonly content: Initiative['content'];
  readonly organisers: ReadonlyArray<{ readonly name: string; readonly country: string }>;
  readonly registerUrl: string;
  readonly collection: { readonly status: CollectionStatus; readonly start: string; readonly end: string };
  readonly partialRegistration?: string;
  readonly certificateUrl?: string;
  readonly dataProtectionContact: Initiative['dataProtectionContact'];
}

/**
 * Get the initiative's public facts.
 * Input: none. Output: `PublicInitiative`, with the collection status computed at `clock.now()`.
 * Steps: read the (cached) initiative; fail with InitiativeNotConfiguredError if there is none;
 * project the public fields.
 */
export async function getInitiative(deps: {
  initiatives: InitiativeStore;
  clock: Clock;
}): Promise<PublicInitiative> {
  const initiative = await deps.initiatives.get();
  if (!initiative) throw new InitiativeNotConfiguredError();
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
  };
}
