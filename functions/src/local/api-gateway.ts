import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Config } from '../config/config';

/** A Lambda handler for HTTP API payload v2, as the handlers in `functions/src/handlers` export. */
export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** What the module of a route's handler exports (the local router loads it by the handler's name). */
export interface RouteHandlerModule {
  /** The handler over the adapters the configuration selects (here: the local ones). */
  fromConfig(config: Config): HttpApiHandler;
  /** The Lambda entry, which CDK's function points at. */
  readonly handler: HttpApiHandler;
}

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event for a request, exactly the shape
 * Lambda receives behind API Gateway, so the local server runs the very same handlers.
 */
export function toHttpApiEvent(
  req: IncomingMessage,
  body: Buffer,
  routeKey: string,
  requestId: string,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies.push(
        ...String(value)
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = headers['content-type'] ?? '';
  const text = /^(application\/(json|x-www-form-urlencoded)|text\/)/i.test(contentType);
  let isBase64Encoded = !text;
  let bodyString: string | undefined;
  if (body.length > 0) {
    if (text) {
      try {
        bodyString = new TextDecoder('utf-8', { fatal: true }).decode(body);
      } catch {
        isBase64Encoded = true;
      }
    }
    if (isBase64Encoded) bodyString = body.toString('base64');
  }
  const now = new Date();
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of url.searchParams)
    queryStringParameters[k] = queryStringParameters[k] ? `${queryStringParameters[k]},${v}` : v;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(bodyString !== undefined ? { body: bodyString } : {}),
    isBase64Encoded: body.length > 0 ? isBase64Encoded : false,
  };
}

/** A Lambda context for one local invocation (30 s budget, as the deployed functions have). */
export function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export const newRequestId = (): string => randomUUID();

/** Normalises what a v2 handler returned (a structured result, or a bare value) for writing. */
export function fromHandlerResult(
  result: unknown,
): Required<Pick<APIGatewayProxyStructuredResultV2, 'statusCode'>> & APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    return result as APIGatewayProxyStructuredResultV2 & { statusCode: number };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result),
  };
}
