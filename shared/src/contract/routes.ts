/**
 * The route table of the HTTP API: every route, the handler that serves it and who may call it.
 * It is the one list: the browser client takes its paths from here, each handler takes its route
 * key (for its access log), the local router and the CDK API stack build their routes from it,
 * and a unit test fails when any of them knows a route this table does not (docs/design.md,
 * "How to add a route").
 */

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * Who may call a route. `public`: anyone (the citizen API; in AWS only through CloudFront and its
 * WAF, checked by the origin authorizer). `organiser`: signed-in organisers only (in AWS the JWT
 * authorizer of the user pool); such a route lives under `ADMIN_PATH_PREFIX`.
 */
export type RouteAccess = 'public' | 'organiser';

/** One route of the API. */
export interface Route {
  readonly method: HttpMethod;
  /** The path as API Gateway writes it; a path parameter is `{name}`. */
  readonly path: string;
  /**
   * The handler's name (camelCase): the key of its function in the CDK compute stack and of its
   * role, and, in kebab case, its module `functions/src/handlers/<handler-module>.ts`.
   */
  readonly handler: string;
  readonly access: RouteAccess;
}

/** Prefix of every organiser route; CloudFront, API Gateway and the local router rely on it. */
export const ADMIN_PATH_PREFIX = '/api/admin/';

/**
 * Every route of the API. One handler serves one route (one Lambda function each, with its own
 * role, alarms and throttling); the test `test/unit/contract/routes.test.ts` checks that handler
 * names and method-path pairs are unique and that each handler module exists.
 */
export const ROUTES = [
  { handler: 'getInitiative', method: 'GET', path: '/api/initiative', access: 'public' },
  { handler: 'getProgress', method: 'GET', path: '/api/progress', access: 'public' },
  { handler: 'getChallenge', method: 'GET', path: '/api/challenge', access: 'public' },
  { handler: 'submitStatement', method: 'POST', path: '/api/statements', access: 'public' },
  { handler: 'withdrawStatement', method: 'POST', path: '/api/withdrawals', access: 'public' },
  { handler: 'getMe', method: 'GET', path: '/api/admin/me', access: 'organiser' },
  { handler: 'getAdminInitiative', method: 'GET', path: '/api/admin/initiative', access: 'organiser' },
  { handler: 'updateInitiative', method: 'PUT', path: '/api/admin/initiative', access: 'organiser' },
  { handler: 'goLive', method: 'POST', path: '/api/admin/go-live', access: 'organiser' },
  { handler: 'setCollection', method: 'POST', path: '/api/admin/collection', access: 'organiser' },
  { handler: 'recordSubmission', method: 'POST', path: '/api/admin/submission', access: 'organiser' },
  { handler: 'getDashboard', method: 'GET', path: '/api/admin/dashboard', access: 'organiser' },
  { handler: 'getAudit', method: 'GET', path: '/api/admin/audit', access: 'organiser' },
  { handler: 'requestExport', method: 'POST', path: '/api/admin/exports', access: 'organiser' },
  { handler: 'listExports', method: 'GET', path: '/api/admin/exports', access: 'organiser' },
  { handler: 'getExport', method: 'GET', path: '/api/admin/exports/{id}', access: 'organiser' },
  { handler: 'approveExport', method: 'POST', path: '/api/admin/exports/{id}/approve', access: 'organiser' },
  {
    handler: 'createExportDownload',
    method: 'POST',
    path: '/api/admin/exports/{id}/downloads',
    access: 'organiser',
  },
  { handler: 'requestEmailExport', method: 'POST', path: '/api/admin/email-exports', access: 'organiser' },
  {
    handler: 'adminWithdrawStatement',
    method: 'POST',
    path: '/api/admin/withdrawals',
    access: 'organiser',
  },
  { handler: 'getRetention', method: 'GET', path: '/api/admin/retention', access: 'organiser' },
] as const satisfies readonly Route[];

/** A route of the table, with its handler's name as a literal type. */
export type ContractRoute = (typeof ROUTES)[number];

/** The name of a handler that serves a route. */
export type HandlerName = ContractRoute['handler'];

/** The route a handler serves. */
export function routeOf(handler: HandlerName): ContractRoute {
  const route = ROUTES.find((r) => r.handler === handler);
  if (!route) throw new Error(`No route is served by handler '${handler}'.`);
  return route;
}

/** `METHOD /path`, as API Gateway names a route (`routeKey`) and the access log writes it. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The routes of one access kind. */
export function routesFor(access: RouteAccess): readonly ContractRoute[] {
  return ROUTES.filter((r) => r.access === access);
}

/** The file name (without `.ts`) of a handler's module under `functions/src/handlers/`. */
export function handlerModule(handler: string): string {
  return handler.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Matches a request path against a route path; returns the path parameters (decoded), or
 * undefined when the path does not match. A parameter matches one non-empty path segment.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const pattern = want[i] ?? '';
    const segment = got[i] ?? '';
    const name = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(pattern)?.[1];
    if (name === undefined) {
      if (pattern !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[name] = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return params;
}
