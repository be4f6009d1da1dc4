import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Redeemed } from '@ocs/functions/adapters/local-download-links.adapter';
import { createLocalServer, type LocalRoute } from '@ocs/functions/local/http-server';
import { TokenBucket } from '@ocs/functions/local/rate-limit';
import { StaticSite } from '@ocs/functions/local/static-files';
import { UnauthenticatedError } from '@ocs/shared/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';

const SITE = new StaticSite(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'site'));

/** A route whose handler answers the event it received, as JSON. */
function echoRoute(route: Pick<LocalRoute, 'method' | 'path' | 'access'>): LocalRoute {
  return {
    ...route,
    functionName: 'echo',
    handler: async (event: APIGatewayProxyEventV2) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routeKey: event.routeKey, pathParameters: event.pathParameters ?? null }),
    }),
  };
}

let server: Server | undefined;
/** A stand-in for the local OpenID provider whose token check admits what `admit` says. */
function organiserCheck(admit: () => boolean) {
  return {
    handle: async () => {},
    verifyAccessToken: async () => {
      if (!admit()) throw new UnauthenticatedError('invalid_signature');
      return { claims: { sub: 'organiser-1' }, scopes: ['ocs/admin'] };
    },
  };
}

async function serve(routes: LocalRoute[], admit?: () => boolean): Promise<string> {
  server = createLocalServer({
    routes,
    site: SITE,
    rateLimit: new TokenBucket(1000, 2000),
    ...(admit ? { oidc: organiserCheck(admit) } : {}),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
  server = undefined;
});

const ROUTES = [
  echoRoute({ method: 'GET', path: '/api/progress', access: 'public' }),
  echoRoute({ method: 'GET', path: '/api/admin/exports/{id}', access: 'organiser' }),
];

describe('local router', () => {
  it('hands a public route its event with the route key', async () => {
    const base = await serve(ROUTES);

    const res = await fetch(`${base}/api/progress`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ routeKey: 'GET /api/progress', pathParameters: null });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    const base = await serve(ROUTES);

    const missing = await fetch(`${base}/api/nothing`);
    const wrongMethod = await fetch(`${base}/api/progress`, { method: 'DELETE' });

    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('refuses every organiser route with 401 when no organiser check is configured', async () => {
    const base = await serve(ROUTES);

    const res = await fetch(`${base}/api/admin/exports/e-1`);

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('passes path parameters to an organiser route the check admits, and refuses what it does not', async () => {
    let admit = true;
    const base = await serve(ROUTES, () => admit);

    const admitted = await fetch(`${base}/api/admin/exports/e%201`);
    admit = false;
    const refused = await fetch(`${base}/api/admin/exports/e%201`);

    expect(admitted.status).toBe(200);
    expect(await admitted.json()).toEqual({
      routeKey: 'GET /api/admin/exports/{id}',
      pathParameters: { id: 'e 1' },
    });
    expect(refused.status).toBe(401);
  });
});

describe('local download links (the stand-in for presigned URLs)', () => {
  const FILE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'export', 'golden', 'DE.xml');

  async function serveDownloads(outcomes: Redeemed[]): Promise<{ base: string; tokens: string[] }> {
    const tokens: string[] = [];
    server = createLocalServer({
      routes: [],
      site: SITE,
      rateLimit: new TokenBucket(1000, 2000),
      downloads: {
        redeem: async (token) => {
          tokens.push(token);
          return outcomes.shift() ?? { kind: 'not_found' };
        },
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens };
  }

  it('serves the file’s exact bytes with its media type, as an attachment, never cached', async () => {
    const { base, tokens } = await serveDownloads([
      { kind: 'file', path: FILE, name: 'DE.xml', contentType: 'application/xml' },
    ]);
    const res = await fetch(`${base}/local-downloads/tok-1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="DE.xml"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(FILE))).toBe(true);
    expect(tokens).toEqual(['tok-1']);
  });

  it('answers 410 for a used or expired link, 404 for an unknown one, and spends no link on another method', async () => {
    const { base, tokens } = await serveDownloads([{ kind: 'gone' }, { kind: 'not_found' }]);
    const gone = await fetch(`${base}/local-downloads/tok-2`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toEqual({ error: { code: 'gone', message: expect.any(String) } });
    expect((await fetch(`${base}/local-downloads/tok-3`)).status).toBe(404);
    const head = await fetch(`${base}/local-downloads/tok-4`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    expect(tokens).toEqual(['tok-2', 'tok-3']);
  });
});
