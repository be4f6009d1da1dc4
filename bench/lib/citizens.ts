import { randomBytes } from 'node:crypto';
import type { Clock } from '@ocs/shared/ports';
import { germanCitizen, polishCitizen, type TestStatement } from '../../test/support/citizens';
import { FakeChallengeService } from '../../test/support/fakes';

/**
 * Distinct, valid statements of support for the benchmarks, from the test suites' generators:
 * German (Annex III Part A: address and date of birth) and Polish (Part B: PESEL with a valid
 * check digit), alternating. The generators are random; duplicates of an identity (same PESEL,
 * or same names, birth date and postal code) are drawn again, so every statement is accepted.
 */
export function distinctCitizens(count: number, options: { email?: (i: number) => boolean } = {}) {
  const seen = new Set<string>();
  const out: TestStatement[] = [];
  while (out.length < count) {
    const i = out.length;
    const citizen = i % 2 === 0 ? germanCitizen() : polishCitizen();
    const identity =
      citizen.nationality === 'PL'
        ? `PL|${String(citizen.documentNumber)}`
        : `DE|${citizen.firstNames}|${citizen.familyNames}|${String(citizen.dateOfBirth)}|${String(citizen.postalCode)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    if (options.email?.(i)) {
      citizen.email = `${citizen.familyNames.toLowerCase().replace(/[^a-z]/g, '')}${i}@example.org`;
      citizen.emailConsent = true;
    }
    out.push(citizen);
  }
  return out;
}

/** The bulk of a real production payload (base64 of the challenge and a solution). */
const ALTCHA_PADDING = Buffer.from(
  JSON.stringify({
    challenge: {
      parameters: {
        algorithm: 'PBKDF2/SHA-256',
        cost: 1000,
        expiresAt: 1_795_845_522,
        keyLength: 32,
        keyPrefix: '7dd030164c07b7cf200b4f1ad5ce4e83',
        keySignature: '4e0545dc7739c09d59555773fb5f5dbfca38e51d2fccaed0fef1ed0784d19c3d',
        salt: 'dc5df54218a4daf93fcd0d13779b76bf',
      },
      signature: '7779bebbaa1691bce17d15cfbb82ece4329bb67c314d7d1df7ad5e3293bf064a',
    },
    solution: { counter: 3141, derivedKey: '7dd030164c07b7cf200b4f1ad5ce4e839515' },
  }),
).toString('base64');

/**
 * An `altcha` field of realistic length (a real ALTCHA payload is about 700 characters of
 * base64) that carries a unique challenge nonce at its end. The benchmarks that exclude the
 * proof-of-work use `nonceChallenges`, which reads the nonce back without verifying.
 */
export function fakeAltcha(): string {
  return `${ALTCHA_PADDING}${randomBytes(16).toString('hex')}`;
}

/** The nonce `fakeAltcha` put at the end of the payload. */
export const nonceOf = (payload: string) => payload.slice(-32);

/**
 * Proof of work excluded: every payload verifies at once, and its challenge id is the nonce
 * `fakeAltcha` put in it (so the replay store still sees one challenge per statement).
 */
export function nonceChallenges(clock: Clock): FakeChallengeService {
  const challenges = new FakeChallengeService({ record: false });
  challenges.result = (payload) => ({
    ok: true,
    challengeId: nonceOf(payload),
    expiresAtEpochSeconds: Math.floor(clock.now().getTime() / 1000) + 600,
  });
  return challenges;
}
