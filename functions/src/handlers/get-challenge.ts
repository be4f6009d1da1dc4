import {
  AltchaChallengeService,
  altchaSecretsFrom,
  CHALLENGE_DIFFICULTY,
} from '../adapters/altcha-challenge.adapter';
import { config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import { createChallenge } from '../use-cases/create-challenge';
import { lazy, systemClock } from '../wiring';
import { makeChallengeSecret } from '../wiring-keys';

const cfg = config();
const challengeSecret = makeChallengeSecret(cfg);
// The signing secret is loaded once per cold start, on first use.
const challenges = lazy(
  async () =>
    new AltchaChallengeService(
      altchaSecretsFrom(await challengeSecret.load()),
      CHALLENGE_DIFFICULTY[cfg.challengeCost],
      systemClock,
    ),
);

/** GET /api/challenge: a signed ALTCHA challenge, expiring within 10 minutes, single use. */
export const handler = apiHandler('GET /api/challenge', async () =>
  json(200, await createChallenge({ challenges: await challenges() })),
);
