import { CONSOLE_SCOPES, LOCAL_CONSOLE_CLIENT_ID, LOCAL_OIDC_PATH } from '@ocs/shared/sign-in';
import type { AuthorizationServer } from 'oauth4webapi';
import * as z from 'zod';

/**
 * The console's run-time configuration: which OpenID provider it signs organisers in with. The
 * site serves it as `/console/config.json`, a static file:
 *
 * - local mode (`npm start`): the file of the build, `{ "issuer": "/oidc", "clientId": "ocs-console" }`
 *   (`web/static/console/config.json`); a path is resolved against the page's origin, so the
 *   same build works on any port. The console discovers the provider's endpoints from
 *   `<issuer>/.well-known/openid-configuration` (same origin).
 * - AWS: the Organisers stack overwrites the file at deploy time with the user pool's issuer, the
 *   console's client id and `provider: "cognito"` with the sign-in domain's origin. The endpoints
 *   are then Cognito's fixed paths on that domain, so the browser never fetches the discovery
 *   document from `cognito-idp.<region>.amazonaws.com` (a second origin the Content-Security-Policy
 *   would have to allow); only the token request goes to the sign-in domain.
 */

/** Where the site serves the configuration. */
export const CONSOLE_CONFIG_PATH = '/console/config.json';

const fileSchema = z.strictObject({
  /** An absolute URL, or a path on the site's origin (local mode). */
  issuer: z.string().min(1),
  clientId: z.string().min(1),
  /** `oidc` (default): discovery at the issuer. `cognito`: Cognito's endpoints on `authOrigin`. */
  provider: z.enum(['oidc', 'cognito']).default('oidc'),
  /** The Cognito sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  authOrigin: z.url({ protocol: /^https$/ }).optional(),
});

/** The configuration, resolved against the page's origin. */
export interface ConsoleConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly provider: 'oidc' | 'cognito';
  /** Cognito only: the sign-in domain's origin. */
  readonly authOrigin?: string;
}

/** The default of local mode (also what `web/static/console/config.json` says). */
export const LOCAL_CONFIG = { issuer: LOCAL_OIDC_PATH, clientId: LOCAL_CONSOLE_CLIENT_ID } as const;

export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
}

/** Checks and resolves the file's content; throws ConsoleConfigError when it is unusable. */
export function parseConsoleConfig(raw: unknown, origin: string): ConsoleConfig {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new ConsoleConfigError('The console configuration is not valid.');
  const { issuer, clientId, provider, authOrigin } = parsed.data;
  if (provider === 'cognito' && !authOrigin) {
    throw new ConsoleConfigError('A Cognito configuration needs authOrigin.');
  }
  const resolved = new URL(issuer, origin);
  // The issuer identifier has no trailing slash (it must equal the tokens' `iss` exactly).
  const issuerUrl = resolved.href.replace(/\/$/, '');
  if (resolved.protocol !== 'https:' && !isLoopback(resolved)) {
    throw new ConsoleConfigError('The issuer must use https (http only on localhost).');
  }
  return {
    issuer: issuerUrl,
    clientId,
    scope: CONSOLE_SCOPES.join(' '),
    provider,
    ...(authOrigin ? { authOrigin: new URL(authOrigin).origin } : {}),
  };
}

/** localhost and loopback addresses: the only hosts plain http is accepted for (local mode). */
export function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/**
 * Cognito's authorization server metadata, built from the sign-in domain instead of discovered
 * (see above). Cognito signs users out at `/logout` with `client_id` and `logout_uri`, not with
 * OpenID RP-initiated logout; {@link signOutUrl} knows both.
 */
export function cognitoAuthorizationServer(config: ConsoleConfig): AuthorizationServer {
  const origin = config.authOrigin ?? '';
  return {
    issuer: config.issuer,
    authorization_endpoint: `${origin}/oauth2/authorize`,
    token_endpoint: `${origin}/oauth2/token`,
    revocation_endpoint: `${origin}/oauth2/revoke`,
    end_session_endpoint: `${origin}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
  };
}

/** Fetches and parses `/console/config.json`. */
export async function loadConsoleConfig(fetchFn: typeof fetch, origin: string): Promise<ConsoleConfig> {
  const response = await fetchFn(CONSOLE_CONFIG_PATH, {
    cache: 'no-cache',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new ConsoleConfigError(`The console configuration answered ${response.status}.`);
  return parseConsoleConfig(await response.json(), origin);
}
