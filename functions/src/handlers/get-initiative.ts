import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import type { Clock, InitiativeStore } from '@ocs/shared/ports';
import { type Config, config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { getInitiative } from '../use-cases/get-initiative';
import { makeDynamoClient, makeInitiativeStore, onFirstInvocation, systemClock } from '../wiring';

/** What GET /api/initiative needs. */
export interface GetInitiativePorts {
  readonly initiatives: InitiativeStore;
  readonly clock: Clock;
}

/** GET /api/initiative: the initiative's public facts. */
export function createGetInitiativeHandler(ports: GetInitiativePorts) {
  return apiHandler(routeKey(routeOf('getInitiative')), async () =>
    json(200, await getInitiative(ports), { cacheControl: 'public, max-age=60' }),
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetInitiativeHandler({
    initiatives: makeInitiativeStore(cfg, makeDynamoClient(cfg), systemClock),
    clock: systemClock,
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
