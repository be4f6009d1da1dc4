import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Headers every API response carries. */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** A JSON response; `cacheControl` defaults to `no-store` (nothing personal is ever cached). */
export function json(
  statusCode: number,
  body: unknown,
  options: { cacheControl?: string; headers?: Record<string, string> } = {},
): HttpResponse {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'cache-control': options.cacheControl ?? 'no-store', ...options.headers },
    body: JSON.stringify(body),
  };
}

export type { APIGatewayProxyResultV2 };
