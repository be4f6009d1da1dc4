import { createHmac } from 'node:crypto';
import type { ChallengeService, ChallengeVerification, Clock } from '@ocs/shared/ports';
import { createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey as derivePbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as deriveSha } from 'altcha-lib/algorithms/sha';
import * as z from 'zod';

/**
 * Proof-of-work parameters. ALTCHA v2 "deterministic" challenges: the server picks the counter,
 * derives the key once when it creates the challenge and signs it (`keySignature`); the client
 * must search counters from 0 until it finds that key. So the client's work grows with
 * counter x cost, while the server's check of a solution is two HMACs, whatever the difficulty.
 */
export interface ChallengeDifficulty {
  readonly algorithm: 'PBKDF2/SHA-256' | 'SHA-256';
  readonly cost: number;
  readonly counterMin: number;
  readonly counterMax: number;
}

export const CHALLENGE_DIFFICULTY: Readonly<Record<'production' | 'low', ChallengeDifficulty>> =
  Object.freeze({
    // About 3,000 PBKDF2 runs of 1,000 iterations on average: ~0.5-1.5 s on a laptop core, spread
    // over the widget's workers; a bot pays the same for every statement.
    production: { algorithm: 'PBKDF2/SHA-256', cost: 1_000, counterMin: 1_500, counterMax: 4_500 },
    // For automated suites (OCS_CHALLENGE_COST=low): still signed, expiring and single use.
    low: { algorithm: 'SHA-256', cost: 1, counterMin: 20, counterMax: 200 },
  });

/** Challenges expire within 10 minutes (docs/citizen-api.md). */
export const CHALLENGE_LIFETIME_SECONDS = 600;

const payloadSchema = z.object({
  challenge: z.object({
    parameters: z
      .object({
        algorithm: z.enum(['PBKDF2/SHA-256', 'SHA-256']),
        nonce: z.string().regex(/^[0-9a-f]{32}$/),
        salt: z.string().regex(/^[0-9a-f]{32}$/),
        cost: z.number().int().positive(),
        keyLength: z.number().int().positive().max(64),
        keyPrefix: z.string().max(128),
        keySignature: z.string().max(256),
        expiresAt: z.number().int().positive(),
      })
      .loose(),
    signature: z.string().max(256),
  }),
  solution: z.object({ counter: z.number().int().nonnegative(), derivedKey: z.string().max(256) }).loose(),
});

export interface AltchaSecrets {
  /** Signs the challenge parameters. */
  readonly signature: string;
  /** Signs the derived key (the deterministic-mode fast path). */
  readonly keySignature: string;
}

/** Derives the two ALTCHA HMAC secrets from one stored secret (domain-separated). */
export function altchaSecretsFrom(secret: Uint8Array): AltchaSecrets {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest('hex');
  return {
    signature: derive('ocs/altcha/challenge-signature/v1'),
    keySignature: derive('ocs/altcha/key-signature/v1'),
  };
}

/** ALTCHA (altcha-lib v2) challenges: self-hosted, no third party, signed and expiring. */
export class AltchaChallengeService implements ChallengeService {
  constructor(
    private readonly secrets: AltchaSecrets,
    private readonly difficulty: ChallengeDifficulty,
    private readonly clock: Clock,
  ) {}

  async create(): Promise<unknown> {
    const { algorithm, cost, counterMin, counterMax } = this.difficulty;
    const expiresAt = Math.floor(this.clock.now().getTime() / 1000) + CHALLENGE_LIFETIME_SECONDS;
    return createChallenge({
      algorithm,
      cost,
      counter: randomInt(counterMax, counterMin),
      deriveKey: algorithm === 'SHA-256' ? deriveSha : derivePbkdf2,
      hmacSignatureSecret: this.secrets.signature,
      hmacKeySignatureSecret: this.secrets.keySignature,
      expiresAt,
    });
  }

  async verify(payload: string): Promise<ChallengeVerification> {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const parsed = payloadSchema.safeParse(decoded);
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    const { challenge, solution } = parsed.data;
    const expiresAt = challenge.parameters.expiresAt;
    // altcha-lib compares expiry to the wall clock; check it against our clock too.
    if (expiresAt <= this.clock.now().getTime() / 1000) return { ok: false, reason: 'expired' };
    const result = await verifySolution({
      challenge,
      solution,
      // Never called on the signed-key path; present because the API requires it.
      deriveKey: challenge.parameters.algorithm === 'SHA-256' ? deriveSha : derivePbkdf2,
      hmacSignatureSecret: this.secrets.signature,
      hmacKeySignatureSecret: this.secrets.keySignature,
    });
    if (result.verified)
      return { ok: true, challengeId: challenge.parameters.nonce, expiresAtEpochSeconds: expiresAt };
    if (result.expired) return { ok: false, reason: 'expired' };
    if (result.invalidSignature) return { ok: false, reason: 'invalid_signature' };
    return { ok: false, reason: 'invalid_solution' };
  }
}
