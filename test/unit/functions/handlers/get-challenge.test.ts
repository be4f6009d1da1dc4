import { GetSecretValueCommand, InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, captureOutput, invoke } from '../../../support/lambda';
import { AWS_ENV, coldStartInAws, ddb, secretFor, sm } from './aws-env';

const load = async () => (await import('@ocs/functions/handlers/get-challenge')).handler;

describe('GET /api/challenge handler (AWS runtime, mocked SDK clients)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    coldStartInAws();
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('answers a signed, expiring challenge that is never cached', async () => {
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-challenge'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as { parameters: { algorithm: string; expiresAt: number }; signature: string };
    expect(body.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(body.parameters.algorithm).toBe('SHA-256');
    expect(body.parameters.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(600);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('uses the production difficulty unless told otherwise', async () => {
    vi.stubEnv('OCS_CHALLENGE_COST', undefined);
    const handler = await load();

    const res = await invoke(handler, apiEvent('get-challenge'));

    expect((res.json() as { parameters: { algorithm: string } }).parameters.algorithm).toBe('PBKDF2/SHA-256');
  });

  it('loads the signing secret once per cold start', async () => {
    const handler = await load();

    await invoke(handler, apiEvent('get-challenge'));
    await invoke(handler, apiEvent('get-challenge'));

    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.SecretId).toBe(AWS_ENV.OCS_CHALLENGE_SECRET_ID);
  });

  it('answers 503 when Secrets Manager fails, then 200 on the next call', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ $metadata: {}, message: 'internal' }))
      .callsFake(secretFor);
    const handler = await load();

    const first = await invoke(handler, apiEvent('get-challenge'));
    const second = await invoke(handler, apiEvent('get-challenge'));

    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(second.statusCode).toBe(200);
  });

  it('answers 503 for a secret that is too short', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const handler = await load();

    expect((await invoke(handler, apiEvent('get-challenge'))).statusCode).toBe(503);
  });
});
