import {
  GetSecretValueCommand,
  InternalServiceError,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ENV, ORIGIN_VERIFY } from '@ocs/functions/config/env-names';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, lambdaContext } from '../../../support/lambda';

const ORIGIN_SECRET_ID = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/origin-MnOpQr';
const SECRET = 'k3Vq8ZrT'.repeat(8);

/** What CDK gives the authorizer in AWS: identifiers only, never the secret itself. */
const AUTHORIZER_ENV = {
  OCS_RUNTIME: 'aws',
  OCS_INITIATIVE_ID: 'clean-rivers',
  [ENV.originSecretId]: ORIGIN_SECRET_ID,
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
};

const sm = mockClient(SecretsManagerClient);

/** An HTTP API (payload 2.0) REQUEST authorizer event, as API Gateway sends it. */
function authorizerEvent(headers: Record<string, string> = {}): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-central-1:123456789012:abcdef1234/$default/POST/api/statements',
    identitySource: Object.values(headers),
    routeKey: 'POST /api/statements',
    rawPath: '/api/statements',
    rawQueryString: '',
    cookies: [],
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: {
        method: 'POST',
        path: '/api/statements',
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'Amazon CloudFront',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: 'POST /api/statements',
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_860_000_000,
    },
  };
}

type Authorizer = (event: APIGatewayRequestAuthorizerEventV2, context: Context) => Promise<unknown>;

/** A new cold start: the environment CDK sets, a fresh module graph, the mocked Secrets Manager. */
async function coldStart(env: Record<string, string | undefined> = AUTHORIZER_ENV): Promise<Authorizer> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return (await import('@ocs/functions/handlers/verify-origin')).handler as Authorizer;
}

describe('origin authorizer handler (AWS runtime, mocked Secrets Manager)', { timeout: 30_000 }, () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    output = captureOutput();
  });
  afterEach(() => {
    output.restore();
    vi.unstubAllEnvs();
  });

  it('authorizes a request that carries the origin-verification header (simple response)', async () => {
    const handler = await coldStart();

    const result = await handler(authorizerEvent({ [ORIGIN_VERIFY.header]: SECRET }), lambdaContext());

    expect(result).toEqual({ isAuthorized: true });
  });

  it('finds the header whatever its case', async () => {
    const handler = await coldStart();

    const result = await handler(authorizerEvent({ 'X-Ocs-Origin-Verify': SECRET }), lambdaContext());

    expect(result).toEqual({ isAuthorized: true });
  });

  it.each([
    ['a wrong value', { [ORIGIN_VERIFY.header]: 'x'.repeat(64) }],
    ['a truncated value', { [ORIGIN_VERIFY.header]: SECRET.slice(0, 63) }],
    ['an empty value', { [ORIGIN_VERIFY.header]: '' }],
    ['no header at all (a direct caller)', {}],
    ['the secret in another header', { 'x-origin-verify': SECRET }],
  ])('refuses %s', async (_, headers) => {
    const handler = await coldStart();

    const result = await handler(authorizerEvent(headers), lambdaContext());

    expect(result).toEqual({ isAuthorized: false });
  });

  it('loads the secret once per cold start, by the identifier CDK set', async () => {
    const handler = await coldStart();

    for (let i = 0; i < 3; i++) {
      await handler(authorizerEvent({ [ORIGIN_VERIFY.header]: i === 1 ? 'wrong' : SECRET }), lambdaContext());
    }

    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ SecretId: ORIGIN_SECRET_ID });
  });

  it('fails closed when Secrets Manager fails (API Gateway answers 500), then recovers on the next call', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ $metadata: {}, message: 'internal' }))
      .resolves({ SecretString: SECRET });
    const handler = await coldStart();
    const event = authorizerEvent({ [ORIGIN_VERIFY.header]: SECRET });

    await expect(handler(event, lambdaContext())).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
    });
    expect(await handler(event, lambdaContext())).toEqual({ isAuthorized: true });
    expect(output.text()).toContain('origin secret unavailable');
  });

  it('fails closed on a secret that is too short', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const handler = await coldStart();

    await expect(
      handler(authorizerEvent({ [ORIGIN_VERIFY.header]: 'short' }), lambdaContext()),
    ).rejects.toThrow();
  });

  it('logs a refusal with its route and reason, never a header value or the secret', async () => {
    const handler = await coldStart();
    const attempt = 'attacker-guess-0123456789';

    await handler(authorizerEvent({ [ORIGIN_VERIFY.header]: attempt }), lambdaContext());
    await handler(authorizerEvent({ [ORIGIN_VERIFY.header]: SECRET }), lambdaContext());

    const refusals = output
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.message === 'origin check refused');
    expect(refusals).toEqual([
      expect.objectContaining({ route: 'POST /api/statements', reason: 'mismatch', level: 'INFO' }),
    ]);
    expect(output.text()).not.toContain(attempt);
    expect(output.text()).not.toContain(SECRET);
    expect(output.text()).not.toContain('198.51.100.7');
  });

  it('refuses to start without the secret identifier, naming the variable', async () => {
    const handler = await coldStart({ ...AUTHORIZER_ENV, [ENV.originSecretId]: undefined });

    await expect(handler(authorizerEvent(), lambdaContext())).rejects.toThrow(ENV.originSecretId);
  });

  it('refuses to start in local mode, which has no CloudFront (the local router never loads it)', async () => {
    const handler = await coldStart({
      OCS_RUNTIME: 'local',
      OCS_INITIATIVE_ID: 'clean-rivers',
      OCS_DATA_DIR: '/tmp/ocs-never-used',
      OCS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });

    await expect(handler(authorizerEvent(), lambdaContext())).rejects.toThrow(
      /only behind API Gateway in AWS/,
    );
    expect(sm.calls()).toHaveLength(0);
  });
});
