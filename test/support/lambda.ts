import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** Fixture events, a Lambda context and an invoker: how unit tests and benchmarks call a handler. */

export type FixtureEvent =
  | 'post-statement'
  | 'post-statement-base64'
  | 'get-challenge'
  | 'get-initiative'
  | 'get-progress'
  | 'get-admin-me';

/** A fresh copy of a fixture API Gateway (HTTP API, payload v2) event, with overrides. */
export function apiEvent(
  name: FixtureEvent,
  overrides: { body?: string; headers?: Record<string, string>; isBase64Encoded?: boolean } = {},
): APIGatewayProxyEventV2 {
  const url = new URL(`../fixtures/events/${name}.json`, import.meta.url);
  const event = JSON.parse(readFileSync(url, 'utf8')) as APIGatewayProxyEventV2;
  if (overrides.headers) event.headers = { ...event.headers, ...overrides.headers };
  if (overrides.body !== undefined) event.body = overrides.body;
  if (overrides.isBase64Encoded !== undefined) event.isBase64Encoded = overrides.isBase64Encoded;
  return event;
}

/**
 * An organiser route's event, as API Gateway passes it after the JWT authorizer (the claims of
 * the `get-admin-me` fixture): `route` is the route table's `METHOD /path`; a `body` is sent as
 * JSON; `query` becomes `queryStringParameters`.
 */
export function adminEvent(
  route: string,
  options: { body?: unknown; rawBody?: string; query?: Record<string, string>; signedIn?: boolean } = {},
): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = route.split(' ');
  const event = apiEvent('get-admin-me');
  event.routeKey = route;
  event.rawPath = path;
  event.requestContext.routeKey = route;
  event.requestContext.http = { ...event.requestContext.http, method, path };
  if (options.body !== undefined || options.rawBody !== undefined) {
    event.headers = { ...event.headers, 'content-type': 'application/json' };
    event.body = options.rawBody ?? JSON.stringify(options.body);
  }
  if (options.query) {
    event.queryStringParameters = options.query;
    event.rawQueryString = new URLSearchParams(options.query).toString();
  }
  if (options.signedIn === false) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  return event;
}

/** The fixture POST event with a JSON body of our choosing. */
export function postStatement(body: unknown, headers?: Record<string, string>): APIGatewayProxyEventV2 {
  return apiEvent('post-statement', { body: JSON.stringify(body), ...(headers ? { headers } : {}) });
}

export const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

/** A Lambda context as the runtime passes it. */
export function lambdaContext(awsRequestId = REQUEST_ID): Context {
  const functionName = 'ocs-submit-statement';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Calls a middy handler as the Lambda runtime would and returns its structured result. */
export async function invoke(
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>,
  event: APIGatewayProxyEventV2,
  context: Context = lambdaContext(),
): Promise<Response & { json: () => Record<string, unknown> }> {
  const out = (await handler(event, context)) as Response;
  return { ...out, json: () => JSON.parse(out.body) as Record<string, unknown> };
}

/** Everything written to stdout and stderr (the Powertools logger writes there) until `restore`. */
export function captureOutput() {
  const chunks: string[] = [];
  const original = { out: process.stdout.write, err: process.stderr.write };
  const record = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    rest.find((r): r is () => void => typeof r === 'function')?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = record;
  process.stderr.write = record;
  return {
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    restore: () => {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    },
  };
}
