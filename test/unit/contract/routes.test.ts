import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseConfig } from '@ocs/functions/config/config';
import type { RouteHandlerModule } from '@ocs/functions/local/api-gateway';
import { localRoutes } from '@ocs/functions/local/boot';
import type { StatementRequest } from '@ocs/shared/contract/citizen-api';
import {
  ADMIN_PATH_PREFIX,
  handlerModule,
  matchPath,
  ROUTES,
  type Route,
  routeKey,
  routeOf,
  routesFor,
} from '@ocs/shared/contract/routes';
import type { StatementField } from '@ocs/shared/validation/fields';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..', '..');
const HANDLERS_DIR = join(REPO, 'functions', 'src', 'handlers');
/** Handler modules that serve no route: the API's Lambda authorizer and the Cognito token trigger. */
const AUTHORIZERS = ['verify-origin', 'add-email-claim'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'paraglide' || name.startsWith('paraglide-') ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** Every whole string literal in the source that is an API path (prefixes and `*` patterns left out). */
function apiPathLiterals(files: readonly string[]): { file: string; path: string }[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/['"`](\/api\/[A-Za-z0-9_\-/{}]*)['"`]/g)]
      .map((m) => m[1] ?? '')
      .filter((path) => !path.endsWith('/') && !path.endsWith('*'))
      .map((path) => ({ file: relative(REPO, file), path })),
  );
}

const inContract = (path: string) =>
  ROUTES.some((r) => r.path === path || matchPath(r.path, path) !== undefined);

describe('the route table', () => {
  it('names each handler once and each method and path once', () => {
    expect(new Set(ROUTES.map((r) => r.handler)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
  });

  it('keeps organiser routes under the admin prefix and public routes out of it', () => {
    for (const route of ROUTES as readonly Route[]) {
      expect(route.path.startsWith('/api/'), routeKey(route)).toBe(true);
      expect(route.path.startsWith(ADMIN_PATH_PREFIX), routeKey(route)).toBe(route.access === 'organiser');
    }
  });

  it('holds the five citizen routes of docs/citizen-api.md', () => {
    expect(routesFor('public').map(routeKey).sort()).toEqual(
      [
        'GET /api/challenge',
        'GET /api/initiative',
        'GET /api/progress',
        'POST /api/statements',
        'POST /api/withdrawals',
      ].sort(),
    );
  });

  it('finds the route of a handler', () => {
    expect(routeOf('submitStatement')).toEqual({
      handler: 'submitStatement',
      method: 'POST',
      path: '/api/statements',
      access: 'public',
    });
  });
});

describe('handler modules', () => {
  it("exist for every route's handler, with a factory, a wiring from the configuration and a Lambda entry", async () => {
    for (const route of ROUTES) {
      const file = join(HANDLERS_DIR, `${handlerModule(route.handler)}.ts`);
      expect(existsSync(file), file).toBe(true);
      const module = (await import(file)) as RouteHandlerModule & Record<string, unknown>;
      const factory = `create${route.handler.charAt(0).toUpperCase()}${route.handler.slice(1)}Handler`;
      expect(typeof module[factory], `${file}: ${factory}`).toBe('function');
      expect(typeof module.fromConfig, `${file}: fromConfig`).toBe('function');
      expect(typeof module.handler, `${file}: handler`).toBe('function');
    }
  });

  it('serve a route each, except the authorizers', () => {
    const modules = readdirSync(HANDLERS_DIR).map((f) => f.replace(/\.ts$/, ''));
    const served = ROUTES.map((r) => handlerModule(r.handler));
    expect(modules.filter((m) => !AUTHORIZERS.includes(m)).sort()).toEqual([...served].sort());
  });

  it('are named in kebab case after the handler', () => {
    expect(handlerModule('submitStatement')).toBe('submit-statement');
    expect(handlerModule('getInitiative')).toBe('get-initiative');
  });
});

describe('the local router', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocs-routes-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves exactly the routes of the table, each by its handler module', async () => {
    const config = parseConfig({
      OCS_RUNTIME: 'local',
      OCS_INITIATIVE_ID: 'clean-rivers',
      OCS_TABLE_NAME: 'ocs-test',
      OCS_DATA_DIR: dataDir,
      OCS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
    });

    const routes = await localRoutes(config);

    expect(routes.map((r) => `${routeKey(r)} ${r.access} ${r.functionName}`).sort()).toEqual(
      ROUTES.map((r) => `${routeKey(r)} ${r.access} ${handlerModule(r.handler)}`).sort(),
    );
    for (const route of routes) expect(typeof route.handler).toBe('function');
  });
});

describe('no route outside the table', () => {
  it('in the web client, the handlers, the local server, the CDK app or the shared code', () => {
    const files = [
      ...sourceFiles(join(REPO, 'web', 'src')),
      ...sourceFiles(join(REPO, 'functions', 'src')),
      ...sourceFiles(join(REPO, 'infra', 'lib')),
      ...sourceFiles(join(REPO, 'shared', 'src')),
    ];
    const literals = apiPathLiterals(files);

    expect(literals.length).toBeGreaterThan(0);
    expect(literals.filter((l) => !inContract(l.path))).toEqual([]);
  });

  it('would notice one', () => {
    const probe = join(mkdtempSync(join(tmpdir(), 'ocs-probe-')), 'probe.ts');
    const files = [probe];
    writeFileSync(probe, "fetch('/api/signatures'); const ok = '/api/progress';");

    expect(
      apiPathLiterals(files)
        .filter((l) => !inContract(l.path))
        .map((l) => l.path),
    ).toEqual(['/api/signatures']);
  });
});

describe('matchPath', () => {
  it('matches literal segments exactly and decodes parameters', () => {
    expect(matchPath('/api/progress', '/api/progress')).toEqual({});
    expect(matchPath('/api/progress', '/api/progress/')).toBeUndefined();
    expect(matchPath('/api/admin/exports/{id}', '/api/admin/exports/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/api/admin/exports/{id}/approve', '/api/admin/exports/x/approve')).toEqual({ id: 'x' });
  });

  it('refuses an empty or undecodable parameter and a different number of segments', () => {
    expect(matchPath('/api/admin/exports/{id}', '/api/admin/exports/')).toBeUndefined();
    expect(matchPath('/api/admin/exports/{id}', '/api/admin/exports/%E0%A4%A')).toBeUndefined();
    expect(matchPath('/api/admin/exports/{id}', '/api/admin/exports/x/y')).toBeUndefined();
  });
});

describe('the citizen API types', () => {
  it('carry exactly the fields the validation knows', () => {
    expectTypeOf<keyof StatementRequest>().toEqualTypeOf<StatementField>();
  });
});
