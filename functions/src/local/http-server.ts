import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { MAX_BODY_BYTES } from '@ocs/shared/contract/citizen-api';
import { type HttpMethod, matchPath, type RouteAccess, routeKey } from '@ocs/shared/contract/routes';
import { LOCAL_OIDC_PATH } from '@ocs/shared/sign-in';
import { LOCAL_DOWNLOAD_PATH, type Redeemed } from '../adapters/local-download-links.adapter';
import type { AccessTokenVerifier } from '../auth/verify-access-token';
import { logger } from '../http/logger';
import { authorizeAdminRequest } from './admin-authorizer';
import {
  fromHandlerResult,
  type HttpApiHandler,
  lambdaContext,
  newRequestId,
  toHttpApiEvent,
} from './api-gateway';
import type { TokenBucket } from './rate-limit';
import type { StaticSite } from './static-files';

/** One API route: what API Gateway's route table holds in AWS. */
export interface LocalRoute {
  readonly method: HttpMethod;
  /** `{name}` marks a path parameter, as in API Gateway. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly functionName: string;
  readonly handler: HttpApiHandler;
}

export interface LocalServerOptions {
  readonly routes: readonly LocalRoute[];
  readonly site: StaticSite;
  readonly rateLimit: TokenBucket;
  /** Organiser sign-in: the local OpenID provider under `/oidc`, and its token verifier for `/api/admin/*`. */
  readonly oidc?: {
    handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
    readonly verifyAccessToken: AccessTokenVerifier;
  };
  /** Export download links (the local stand-in for presigned S3 URLs), served under `/local-downloads/`. */
  readonly downloads?: { redeem(token: string): Promise<Redeemed> };
}

/** Bodies above this are cut off without reading further (API Gateway has a 10 MB cap). */
const READ_LIMIT = 1024 * 1024;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > READ_LIMIT) {
        resolve('too_large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The local stand-in for CloudFront + API Gateway: `/api/*` goes through the route table to the
 * same Lambda handlers, as HTTP API v2 events; everything else is the prerendered site.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const { routes, site, rateLimit } = options;

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const matching = routes
      .map((route) => ({ route, params: matchPath(route.path, pathname) }))
      .filter((m) => m.params !== undefined);
    if (matching.length === 0) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'No such API route.' } });
      return;
    }
    const found = matching.find((m) => m.route.method === req.method);
    if (!found) {
      sendJson(
        res,
        405,
        { error: { code: 'method_not_allowed', message: 'Method not allowed on this route.' } },
        { allow: matching.map((m) => m.route.method).join(', ') },
      );
      return;
    }
    const { route, params } = found;
    const wait = rateLimit.take();
    if (wait > 0) {
      req.resume();
      sendJson(
        res,
        429,
        { error: { code: 'rate_limited', message: 'Too many requests; please retry later.' } },
        { 'retry-after': String(wait) },
      );
      return;
    }
    // The JWT authorizer of organiser routes (see admin-authorizer.ts); throttled requests never
    // reach it, and neither reads the body.
    let authorizer: Awaited<ReturnType<AccessTokenVerifier>> | undefined;
    if (route.access === 'organiser') {
      const outcome = await authorizeAdminRequest(
        options.oidc?.verifyAccessToken,
        req.headers.authorization,
        routeKey(route),
        newRequestId(),
      );
      if ('refused' in outcome) {
        req.resume();
        sendJson(res, outcome.refused.statusCode, JSON.parse(outcome.refused.body), outcome.refused.headers);
        return;
      }
      authorizer = outcome.context;
    }
    const body = await readBody(req);
    if (body === 'too_large') {
      sendJson(res, 413, {
        error: { code: 'too_large', message: `The request body exceeds ${MAX_BODY_BYTES} bytes.` },
      });
      return;
    }
    const requestId = newRequestId();
    const key = routeKey(route);
    const hasParams = params !== undefined && Object.keys(params).length > 0;
    const event = toHttpApiEvent(req, body, key, requestId, hasParams ? params : undefined);
    if (authorizer) Object.assign(event.requestContext, { authorizer: { jwt: authorizer } });
    const result = fromHandlerResult(
      await route.handler(event, lambdaContext(route.functionName, requestId)),
    );
    const payload = typeof result.body === 'string' ? result.body : '';
    const bytes = result.isBase64Encoded ? Buffer.from(payload, 'base64') : Buffer.from(payload, 'utf8');
    res.writeHead(result.statusCode, {
      ...SECURITY_HEADERS,
      ...Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      'content-length': bytes.length,
      'x-request-id': requestId,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (!site.available) {
      res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('The site is not built. Run `npm run build:web` (npm start does it for you).\n');
      return;
    }
    const file = site.lookup(pathname);
    const accept = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] =
      file.br && /\bbr\b/.test(accept)
        ? (['br', file.br] as const)
        : file.gzip && /\bgzip\b/.test(accept)
          ? (['gzip', file.gzip] as const)
          : ([undefined, file.body] as const);
    res.writeHead(file.status, {
      ...SECURITY_HEADERS,
      // Pages carry their own CSP (SvelteKit, hashes); frame-ancestors can only come as a header,
      // and the file served decides it (never the request path).
      'content-security-policy': `frame-ancestors ${file.frameAncestors}`,
      'content-type': file.type,
      'cache-control': file.cacheControl,
      'content-length': body.length,
      vary: 'accept-encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * One export file through a single-use link: its exact bytes, with its media type, as an
   * attachment, never cached. A used or expired link is 410, an unknown one 404. GET only: a HEAD
   * would spend the link.
   */
  async function handleDownload(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const downloads = options.downloads;
    if (!downloads) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'No such download.' } });
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'Use GET.' } }, { allow: 'GET' });
      return;
    }
    const redeemed = await downloads.redeem(pathname.slice(LOCAL_DOWNLOAD_PATH.length));
    if (redeemed.kind === 'not_found') {
      sendJson(res, 404, { error: { code: 'not_found', message: 'No such download link.' } });
      return;
    }
    if (redeemed.kind === 'gone') {
      sendJson(res, 410, { error: { code: 'gone', message: 'This download link was used or has expired.' } });
      return;
    }
    const { size } = await stat(redeemed.path);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': redeemed.contentType,
      'content-length': size,
      'content-disposition': `attachment; filename="${redeemed.name}"`,
      'cache-control': 'no-store',
    });
    try {
      await pipeline(createReadStream(redeemed.path), res);
    } catch (error) {
      // The browser went away mid-download (or the file vanished): the link is spent either way.
      logger.warn('download interrupted', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }

  return createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const work =
      pathname === '/api' || pathname.startsWith('/api/')
        ? handleApi(req, res, pathname)
        : pathname.startsWith(LOCAL_DOWNLOAD_PATH)
          ? handleDownload(req, res, pathname)
          : options.oidc && (pathname === LOCAL_OIDC_PATH || pathname.startsWith(`${LOCAL_OIDC_PATH}/`))
            ? options.oidc.handle(req, res)
            : Promise.resolve(handleStatic(req, res, pathname));
    work.catch((error: unknown) => {
      // The handlers map every error themselves; reaching this is a bug in the local server.
      logger.error('local server failure', { errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal_error', message: 'Local server error.' } });
      else res.destroy();
    });
  });
}
