/**
 * Organiser sign-in: the facts the console, the local OpenID provider, the local router and the
 * CDK app must agree on. OpenID Connect, authorization code flow with PKCE (S256); the console
 * asks for `CONSOLE_SCOPES` and sends the access token to `/api/admin/*`.
 */

/**
 * The one scope every organiser API route requires. In AWS it is the Cognito resource server
 * `ocs` with its scope `admin`; locally the OpenID provider grants it for the admin API resource.
 * ID tokens carry no scope, which is why they are refused.
 */
export const ADMIN_SCOPE = 'ocs/admin';

/** Identifier and scope name of the Cognito resource server whose full scope is `ADMIN_SCOPE`. */
export const ADMIN_RESOURCE_SERVER = { identifier: 'ocs', scopeName: 'admin' } as const;

/** What the console requests at the authorization endpoint. */
export const CONSOLE_SCOPES = ['openid', 'email', ADMIN_SCOPE] as const;

/** Where the provider sends the browser back with `?code=...&state=...` (a page of the console). */
export const CONSOLE_CALLBACK_PATH = '/console/callback/';

/** Where the provider sends the browser after sign-out. */
export const CONSOLE_SIGN_OUT_PATH = '/console/';

/** Local mode: the OpenID provider's path on the site's origin; the issuer is `<origin>/oidc`. */
export const LOCAL_OIDC_PATH = '/oidc';

/**
 * Local mode: the console's client id. Access tokens carry it as `aud` (and `client_id`), the way
 * Cognito access tokens carry the app client id in `client_id`: the audience is the console.
 */
export const LOCAL_CONSOLE_CLIENT_ID = 'ocs-console';

/** Why an access token was refused (for the access log; the answer is always the same 401). */
export type UnauthenticatedReason =
  | 'missing'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'invalid_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'not_an_access_token'
  | 'insufficient_scope';
