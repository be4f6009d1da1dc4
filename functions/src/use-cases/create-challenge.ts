import type { ChallengeService } from '@ocs/shared/ports';

/**
 * Issue a proof-of-work challenge (GET /api/challenge).
 * Input: none. Output: a signed ALTCHA challenge, expiring within 10 minutes.
 */
export function createChallenge(deps: { challenges: ChallengeService }): Promise<unknown> {
  return deps.challenges.create();
}
