import { CONSOLE_CALLBACK_PATH, CONSOLE_SIGN_OUT_PATH } from '@ocs/shared/sign-in';
import * as oauth from 'oauth4webapi';
import { type ConsoleConfig, cognitoAuthorizationServer, isLoopback } from './config.ts';

/**
 * Organiser sign-in in the browser with oauth4webapi: OpenID Connect authorization code flow with
 * PKCE (S256), `state` and `nonce`. Tokens live in memory only (see session.svelte.ts): a reload
 * signs the organiser out. Only what the redirect round trip needs (the PKCE verifier, state,
 * nonce and the page to return to) is kept in session storage, and only until the callback.
 */

/** The session storage key of a sign-in under way (removed at the callback). */
export const PENDING_KEY = 'ocs-console-sign-in';

/** What survives the redirect to the provider and back. Never a token. */
export interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  /** A console path to return to after sign-in. */
  readonly returnTo: string;
}

/** The tokens of a signed-in organiser, held in memory. */
export interface Tokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  readonly expiresAt: number;
}

/** Where a sign-in may return to: a console page of this site, nothing else. */
export function safeReturnPath(path: string | null | undefined): string {
  const ok = path?.startsWith('/console/') && !path.includes('\\') && !path.startsWith(CONSOLE_CALLBACK_PATH);
  return ok && path ? path : '/console/';
}

interface HttpOptions {
  [oauth.allowInsecureRequests]?: boolean;
  [oauth.customFetch]?: (url: string, init: RequestInit) => Promise<Response>;
}

/** oauth4webapi refuses plain http unless told; the console allows it for localhost only. */
function httpOptions(config: ConsoleConfig, fetchFn?: typeof fetch): HttpOptions {
  const options: HttpOptions = {};
  if (isLoopback(new URL(config.issuer))) options[oauth.allowInsecureRequests] = true;
  if (fetchFn) options[oauth.customFetch] = (url, init) => fetchFn(url, init);
  return options;
}

/** The provider's metadata: discovered at the issuer (same origin), or Cognito's fixed endpoints. */
export async function authorizationServer(
  config: ConsoleConfig,
  fetchFn?: typeof fetch,
): Promise<oauth.AuthorizationServer> {
  if (config.provider === 'cognito') return cognitoAuthorizationServer(config);
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: 'oidc',
    ...httpOptions(config, fetchFn),
  });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** A new sign-in: fresh PKCE verifier, state and nonce. */
export function newPendingSignIn(returnTo: string): PendingSignIn {
  return {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo: safeReturnPath(returnTo),
  };
}

/** The authorization request URL for a pending sign-in, in the console's language. */
export async function authorizationUrl(
  as: oauth.AuthorizationServer,
  config: ConsoleConfig,
  origin: string,
  pending: PendingSignIn,
  lang: string,
): Promise<URL> {
  if (!as.authorization_endpoint) throw new Error('The provider has no authorization endpoint.');
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: `${origin}${CONSOLE_CALLBACK_PATH}`,
    response_type: 'code',
    scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    // Cognito's managed login reads `lang`; OpenID providers read `ui_locales`.
    ...(config.provider === 'cognito' ? { lang } : { ui_locales: lang }),
  }).toString();
  return url;
}

/** Reads a pending sign-in back (and forgets it: a callback URL works once). */
export function takePendingSignIn(storage: Pick<Storage, 'getItem' | 'removeItem'>): PendingSignIn | null {
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    if (
      typeof value.verifier === 'string' &&
      typeof value.state === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.returnTo === 'string'
    ) {
      return { ...(value as PendingSignIn), returnTo: safeReturnPath(value.returnTo) };
    }
  } catch {
    // A damaged entry is no sign-in.
  }
  return null;
}

/** Why a callback did not sign the organiser in. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    /** `no_pending`: no sign-in was started in this tab; `provider`: the provider refused; `exchange`: the code exchange failed. */
    readonly reason: 'no_pending' | 'provider' | 'exchange',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The callback: checks `state` (and `iss`), exchanges the code with the PKCE verifier, checks the
 * ID token's claims and `nonce`, and returns the tokens for memory.
 */
export async function completeSignIn(
  as: oauth.AuthorizationServer,
  config: ConsoleConfig,
  callbackUrl: URL,
  pending: PendingSignIn | null,
  options: { fetch?: typeof fetch; now?: () => number } = {},
): Promise<Tokens> {
  if (!pending) throw new SignInError('no_pending', 'No sign-in was started in this tab.');
  const client: oauth.Client = { client_id: config.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
  } catch (error) {
    throw new SignInError(
      'provider',
      error instanceof Error ? error.message : 'The provider refused the sign-in.',
    );
  }
  try {
    const redirectUri = `${callbackUrl.origin}${CONSOLE_CALLBACK_PATH}`;
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri,
      pending.verifier,
      httpOptions(config, options.fetch),
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    const now = options.now?.() ?? Date.now();
    // A few seconds early, so a request is never sent with a token about to lapse.
    const lifetime = Math.max((result.expires_in ?? 300) - 10, 0) * 1000;
    return { accessToken: result.access_token, idToken: result.id_token ?? '', expiresAt: now + lifetime };
  } catch (error) {
    throw new SignInError('exchange', error instanceof Error ? error.message : 'The code exchange failed.');
  }
}

/**
 * Where sign-out sends the browser: the provider's end-session endpoint (OpenID RP-initiated
 * logout, with the ID token as hint), Cognito's `/logout`, or straight back to the console when
 * the provider has neither.
 */
export function signOutUrl(
  as: oauth.AuthorizationServer,
  config: ConsoleConfig,
  origin: string,
  idToken: string | null,
): string {
  const back = `${origin}${CONSOLE_SIGN_OUT_PATH}`;
  if (!as.end_session_endpoint) return back;
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams(
    config.provider === 'cognito'
      ? { client_id: config.clientId, logout_uri: back }
      : {
          client_id: config.clientId,
          post_logout_redirect_uri: back,
          ...(idToken ? { id_token_hint: idToken } : {}),
        },
  ).toString();
  return url.href;
}
