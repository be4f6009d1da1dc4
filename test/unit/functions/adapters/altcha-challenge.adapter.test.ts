import {
  AltchaChallengeService,
  altchaSecretsFrom,
  CHALLENGE_DIFFICULTY,
  CHALLENGE_LIFETIME_SECONDS,
} from '@ocs/functions/adapters/altcha-challenge.adapter';
import { describe, expect, it } from 'vitest';
import { solve } from '../../../support/altcha';
import { ManualClock } from '../../../support/clock';

interface Challenge {
  parameters: { algorithm: string; expiresAt: number; nonce: string; [key: string]: unknown };
  signature: string;
}

const SECRET = new Uint8Array(64).fill(42);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const decode = (payload: string) =>
  JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    challenge: Challenge;
    solution: { counter: number; derivedKey: string };
  };

/** altcha-lib checks expiry against the wall clock as well, so tests start from real time. */
function setup(secret = SECRET) {
  const clock = new ManualClock(Date.now());
  const service = new AltchaChallengeService(altchaSecretsFrom(secret), CHALLENGE_DIFFICULTY.low, clock);
  return { clock, service };
}

async function solvedPayload(service: AltchaChallengeService) {
  const challenge = (await service.create()) as Challenge;
  return { challenge, payload: await solve(challenge) };
}

describe('altchaSecretsFrom', { timeout: 30_000 }, () => {
  it('derives two different, stable secrets from one stored secret', () => {
    const a = altchaSecretsFrom(SECRET);
    const b = altchaSecretsFrom(SECRET);
    const other = altchaSecretsFrom(new Uint8Array(64).fill(43));

    expect(a).toEqual(b);
    expect(a.signature).not.toBe(a.keySignature);
    expect(a.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(other.signature).not.toBe(a.signature);
  });
});

describe('AltchaChallengeService', { timeout: 30_000 }, () => {
  it('creates a signed challenge that verifies once solved', async () => {
    const { service } = setup();
    const { challenge, payload } = await solvedPayload(service);

    const result = await service.verify(payload);

    expect(result).toEqual({
      ok: true,
      challengeId: challenge.parameters.nonce,
      expiresAtEpochSeconds: challenge.parameters.expiresAt,
    });
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sets the expiry within 10 minutes of its clock', async () => {
    const { clock, service } = setup();

    const challenge = (await service.create()) as Challenge;

    const nowSeconds = clock.now().getTime() / 1000;
    expect(CHALLENGE_LIFETIME_SECONDS).toBeLessThanOrEqual(600);
    expect(challenge.parameters.expiresAt).toBeGreaterThan(nowSeconds);
    expect(challenge.parameters.expiresAt - nowSeconds).toBeLessThanOrEqual(600);
  });

  it('issues a new nonce for every challenge', async () => {
    const { service } = setup();

    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) nonces.add(((await service.create()) as Challenge).parameters.nonce);

    expect(nonces.size).toBe(20);
  });

  it('makes the client search counters from 0 up to a counter the server chose in [20, 200] (low cost)', async () => {
    const { service } = setup();

    const counters: number[] = [];
    for (let i = 0; i < 5; i++)
      counters.push(decode((await solvedPayload(service)).payload).solution.counter);

    for (const counter of counters) {
      expect(counter).toBeGreaterThanOrEqual(CHALLENGE_DIFFICULTY.low.counterMin);
      expect(counter).toBeLessThanOrEqual(CHALLENGE_DIFFICULTY.low.counterMax);
    }
  });

  it('verifies a solved production (PBKDF2) challenge', { timeout: 60_000 }, async () => {
    const service = new AltchaChallengeService(
      altchaSecretsFrom(SECRET),
      CHALLENGE_DIFFICULTY.production,
      new ManualClock(Date.now()),
    );
    const { challenge, payload } = await solvedPayload(service);

    const result = await service.verify(payload);

    expect(result).toMatchObject({ ok: true, challengeId: challenge.parameters.nonce });
    expect(decode(payload).solution.counter).toBeGreaterThanOrEqual(
      CHALLENGE_DIFFICULTY.production.counterMin,
    );
  });

  it('uses the production difficulty (PBKDF2, cost 1,000) when asked to', async () => {
    const service = new AltchaChallengeService(
      altchaSecretsFrom(SECRET),
      CHALLENGE_DIFFICULTY.production,
      new ManualClock(Date.now()),
    );

    const challenge = (await service.create()) as Challenge;

    expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 1_000 });
  });

  it('refuses tampered parameters as invalid_signature', async () => {
    const { service } = setup();
    const { payload } = await solvedPayload(service);
    const decoded = decode(payload);

    for (const tamper of [
      { cost: 2 },
      { expiresAt: decoded.challenge.parameters.expiresAt + 3_600 },
      { nonce: 'f'.repeat(32) },
      { keyPrefix: '00' },
    ]) {
      const forged = {
        ...decoded,
        challenge: { ...decoded.challenge, parameters: { ...decoded.challenge.parameters, ...tamper } },
      };
      expect(await service.verify(encode(forged))).toEqual({ ok: false, reason: 'invalid_signature' });
    }
  });

  it('refuses a tampered or missing signature as invalid_signature', async () => {
    const { service } = setup();
    const decoded = decode((await solvedPayload(service)).payload);
    const flipped = decoded.challenge.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));

    const tampered = await service.verify(
      encode({ ...decoded, challenge: { ...decoded.challenge, signature: flipped } }),
    );
    const empty = await service.verify(
      encode({ ...decoded, challenge: { ...decoded.challenge, signature: '' } }),
    );

    expect(tampered).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(empty).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('refuses a challenge signed under another secret as invalid_signature', async () => {
    const { payload } = await solvedPayload(setup(new Uint8Array(64).fill(1)).service);

    expect(await setup().service.verify(payload)).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('refuses a wrong derived key or counter as invalid_solution', async () => {
    const { service } = setup();
    const decoded = decode((await solvedPayload(service)).payload);
    const key = decoded.solution.derivedKey;
    const wrongKey = (key[0] === 'a' ? 'b' : 'a') + key.slice(1);

    const result = await service.verify(
      encode({ ...decoded, solution: { ...decoded.solution, derivedKey: wrongKey } }),
    );
    const notHex = await service.verify(
      encode({ ...decoded, solution: { ...decoded.solution, derivedKey: 'zz' } }),
    );

    expect(result).toEqual({ ok: false, reason: 'invalid_solution' });
    expect(notHex).toEqual({ ok: false, reason: 'invalid_solution' });
  });

  it('refuses an expired challenge by its own clock', async () => {
    const { clock, service } = setup();
    const { payload } = await solvedPayload(service);

    clock.advance(CHALLENGE_LIFETIME_SECONDS * 1000);

    expect(await service.verify(payload)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a challenge one second before it expires', async () => {
    const { clock, service } = setup();
    const { payload } = await solvedPayload(service);

    clock.advance(CHALLENGE_LIFETIME_SECONDS * 1000 - 1_000);

    expect((await service.verify(payload)).ok).toBe(true);
  });

  it('refuses a challenge that expired by the wall clock', async () => {
    const clock = new ManualClock(Date.now() - 20 * 60_000);
    const service = new AltchaChallengeService(altchaSecretsFrom(SECRET), CHALLENGE_DIFFICULTY.low, clock);
    const { payload } = await solvedPayload(service);

    expect(await service.verify(payload)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['an empty string', ''],
    ['garbage', '%%% not base64 at all %%%'],
    ['base64 of text that is not JSON', Buffer.from('hello world').toString('base64')],
    ['base64 of JSON null', encode(null)],
    ['base64 of a JSON array', encode([1, 2, 3])],
    ['base64 of a JSON number', encode(1)],
    ['JSON of the wrong shape', encode({ challenge: 1, solution: 'x' })],
    [
      'a challenge without parameters',
      encode({ challenge: { signature: 'ab' }, solution: { counter: 1, derivedKey: 'ab' } }),
    ],
    ['plain JSON, not base64', '{"challenge":{},"solution":{}}'],
  ])('answers malformed for %s, never throwing', async (_, payload) => {
    const { service } = setup();

    expect(await service.verify(payload)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('answers malformed for fields of the wrong shape', async () => {
    const { service } = setup();
    const decoded = decode((await solvedPayload(service)).payload);
    const withParams = (p: Record<string, unknown>) =>
      encode({
        ...decoded,
        challenge: { ...decoded.challenge, parameters: { ...decoded.challenge.parameters, ...p } },
      });

    for (const payload of [
      withParams({ algorithm: 'ARGON2ID' }),
      withParams({ nonce: 'ABC' }),
      withParams({ cost: -1 }),
      withParams({ keyLength: 1_000 }),
      withParams({ expiresAt: undefined }),
      encode({ ...decoded, solution: { counter: -1, derivedKey: 'ab' } }),
      encode({ ...decoded, solution: { counter: 1.5, derivedKey: 'ab' } }),
      encode({ challenge: decoded.challenge }),
    ]) {
      expect(await service.verify(payload)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('answers malformed for a huge payload, never throwing', async () => {
    const { service } = setup();
    const decoded = decode((await solvedPayload(service)).payload);
    const huge = encode({ ...decoded, solution: { ...decoded.solution, derivedKey: 'ab'.repeat(500_000) } });

    expect(await service.verify(huge)).toEqual({ ok: false, reason: 'malformed' });
    expect(await service.verify('A'.repeat(2_000_000))).toEqual({ ok: false, reason: 'malformed' });
  });
});
