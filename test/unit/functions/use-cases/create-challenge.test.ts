import { createChallenge } from '@ocs/functions/use-cases/create-challenge';
import { describe, expect, it } from 'vitest';
import { FakeChallengeService } from '../support/fakes';

describe('createChallenge', () => {
  it('returns what the challenge service creates', async () => {
    const challenges = new FakeChallengeService();
    const created = { parameters: { algorithm: 'SHA-256', nonce: 'n' }, signature: 's' };
    challenges.create = async () => created;

    expect(await createChallenge({ challenges })).toBe(created);
  });
});
