import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  Context,
} from 'aws-lambda';
import { SecretsManagerSecret } from '../adapters/secrets-manager-secret.adapter';
import { type Config, config, required } from '../config/config';
import { ENV, ORIGIN_VERIFY } from '../config/env-names';
import { logger } from '../http/logger';
import { OriginVerifier } from '../use-cases/verify-origin';
import { awsClientOptions, lazy, onFirstInvocation } from '../wiring';

/** What the origin authorizer needs. */
export interface VerifyOriginPorts {
  /** The verifier; resolved on each request (the wiring loads the secret once, on first use). */
  readonly verifier: () => Promise<OriginVerifier>;
}

function header(event: APIGatewayRequestAuthorizerEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

/** Names of an error chain, without messages (they may echo input). */
function errorChain(error: unknown): string[] {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    chain.push(current.name);
    current = current.cause;
  }
  return chain;
}

/**
 * Lambda REQUEST authorizer of the citizen routes (HTTP API, payload 2.0, simple responses):
 * authorizes a request only when it carries CloudFront's origin-verification header. API Gateway
 * caches the answer per header value (ORIGIN_VERIFY.cacheTtlSeconds), so this runs rarely. A
 * refusal makes API Gateway answer 403 `{"message":"Forbidden"}` (a missing header: 401 without
 * invoking this function); only callers who bypass the site ever see either. If the secret cannot
 * be loaded the invocation fails and API Gateway answers 500: it fails closed, and the API's 5xx
 * and the function's error alarms fire.
 */
export function createVerifyOriginHandler(ports: VerifyOriginPorts) {
  return middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult, Error, Context>()
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .handler(async (event) => {
      let check: ReturnType<OriginVerifier['check']>;
      try {
        check = (await ports.verifier()).check(header(event, ORIGIN_VERIFY.header));
      } catch (error) {
        logger.error('origin secret unavailable', { errorChain: errorChain(error) });
        throw error;
      }
      if (!check.authorized) {
        logger.info('origin check refused', { route: event.routeKey, reason: check.reason });
      }
      return { isAuthorized: check.authorized };
    });
}

/**
 * The authorizer over Secrets Manager. It exists only in AWS, like the WAF it protects: local
 * mode has no CloudFront, and its router never loads this module.
 */
export function fromConfig(cfg: Config) {
  if (cfg.runtime !== 'aws') {
    throw new Error(
      'The origin authorizer runs only behind API Gateway in AWS; local mode has no CloudFront.',
    );
  }
  const originSecret = new SecretsManagerSecret(
    new SecretsManagerClient(awsClientOptions()),
    required(cfg.originSecretId, ENV.originSecretId),
  );
  // Loaded once per cold start, on first use; a failure is not cached and is retried next time.
  return createVerifyOriginHandler({
    verifier: lazy(async () => new OriginVerifier(await originSecret.load())),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
