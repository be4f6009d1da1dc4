import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import { FIELD_ORDER } from '@ocs/shared';
import { MAX_BODY_BYTES } from '@ocs/shared/contract/citizen-api';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mapError } from './error-map';
import { logger } from './logger';
import { RequestProblemError } from './problems';
import type { HttpResponse } from './responses';

/** The request event after the JSON body middleware: `jsonBody` holds the parsed body. */
export type ApiEvent = APIGatewayProxyEventV2 & { jsonBody?: unknown };

type ApiMiddleware = MiddlewareObj<ApiEvent, HttpResponse, Error, Context, { startedAt?: number }>;

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}

/**
 * Parses a JSON request body: 415 unless the media type is application/json (UTF-8), 413 above
 * `maxBytes` (16 KiB unless a route needs more), 400 unless the body is a JSON object. The body
 * never reaches a log line.
 */
export function jsonBody(maxBytes: number = MAX_BODY_BYTES): ApiMiddleware {
  return {
    name: 'jsonBody',
    before: (request) => {
      const { event } = request;
      const contentType = header(event, 'content-type') ?? '';
      const [mediaType = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
      const charset = params
        .find((p) => p.startsWith('charset='))
        ?.slice('charset='.length)
        .replace(/"/g, '');
      if (
        mediaType !== 'application/json' ||
        (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      ) {
        throw new RequestProblemError('unsupported_media_type', 'Send the body as application/json (UTF-8).');
      }
      const raw = event.body ?? '';
      const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (bytes.length > maxBytes) {
        throw new RequestProblemError('too_large', `The request body exceeds ${maxBytes} bytes.`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new RequestProblemError('malformed_json', 'The request body is not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new RequestProblemError('malformed_json', 'The request body must be a JSON object.');
      }
      event.jsonBody = parsed;
    },
  };
}

/**
 * Maps any error to its HTTP response (see error-map.ts) and writes the access log line:
 * route, status, stable code, duration. Unexpected errors are logged by name and stack frames
 * only; an error's message may echo input, so it is never logged.
 */
export function accessLogAndErrors(route: string): ApiMiddleware {
  const elapsed = (startedAt: number | undefined) =>
    startedAt === undefined ? undefined : Math.round((performance.now() - startedAt) * 100) / 100;
  return {
    name: 'accessLogAndErrors',
    before: (request) => {
      request.internal.startedAt = performance.now();
    },
    after: (request) => {
      logger.info('request', {
        route,
        status: request.response?.statusCode,
        durationMs: elapsed(request.internal.startedAt),
      });
    },
    onError: (request) => {
      const error = request.error;
      const mapped = mapError(error, request.context.awsRequestId);
      request.response = mapped.response;
      const base = {
        route,
        status: mapped.response.statusCode,
        code: mapped.code,
        durationMs: elapsed(request.internal.startedAt),
      };
      if (mapped.unexpected) {
        logger.error('request failed unexpectedly', { ...base, ...describeError(error) });
      } else if (mapped.response.statusCode >= 500) {
        logger.warn('dependency unavailable', { ...base, ...describeError(error) });
      } else {
        logger.info('request refused', { ...base, ...refusalDetails(error) });
      }
    },
  };
}

/** Names and stack frames of an error chain, without messages (they may echo input). */
function describeError(error: unknown): Record<string, unknown> {
  const chain: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    chain.push(current.name);
    current = current.cause;
  }
  // Only the "at ..." frames: a stack starts with the message, which may span several lines.
  const frames =
    error instanceof Error
      ? (error.stack ?? '')
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .slice(0, 7)
          .map((f) => f.trim())
      : [];
  return { errorChain: chain, frames };
}

const CONTRACT_FIELDS: ReadonlySet<string> = new Set(FIELD_ORDER);

/** For a 422: which contract fields failed with which codes; unknown field names are not echoed. */
function refusalDetails(error: unknown): Record<string, unknown> {
  if (error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors)) {
    return {
      fieldErrors: error.errors.map((e: { field: string; code: string }) => ({
        field: CONTRACT_FIELDS.has(e.field) ? e.field : '(unknown field)',
        code: e.code,
      })),
    };
  }
  if (error && typeof error === 'object' && 'reason' in error) return { reason: error.reason };
  return {};
}

/** Options of a handler: whether it reads a JSON body, and how large one may be. */
export interface ApiHandlerOptions {
  readonly jsonBody?: boolean;
  /** Body size limit in bytes; MAX_BODY_BYTES (16 KiB) by default. */
  readonly maxBodyBytes?: number;
}

/** Builds an API Gateway (HTTP API, payload v2) handler with the house middleware chain. */
export function apiHandler(
  route: string,
  handle: (event: ApiEvent) => Promise<HttpResponse>,
  options: ApiHandlerOptions = {},
) {
  const chain = middy<ApiEvent, HttpResponse, Error, Context, { startedAt?: number }>()
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(accessLogAndErrors(route));
  if (options.jsonBody) chain.use(jsonBody(options.maxBodyBytes));
  return chain.handler((event) => handle(event));
}
