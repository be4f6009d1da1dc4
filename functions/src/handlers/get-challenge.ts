import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import type { ChallengeService } from '@ocs/shared/ports';
import { type Config, config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { onFirstInvocation, systemClock } from '../wiring';
import { makeChallengeService } from '../wiring-keys';

/** What GET /api/challenge needs. */
export interface GetChallengePorts {
  /** The challenge service; resolved on each request (the wiring loads its secret once, on first use). */
  readonly challenges: () => Promise<ChallengeService>;
}

/** GET /api/challenge: a signed ALTCHA challenge, expiring within 10 minutes, single use, never cached. */
export function createGetChallengeHandler(ports: GetChallengePorts) {
  return apiHandler(routeKey(routeOf('getChallenge')), async () =>
    json(200, await (await ports.challenges()).create()),
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetChallengeHandler({ challenges: makeChallengeService(cfg, systemClock) });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
