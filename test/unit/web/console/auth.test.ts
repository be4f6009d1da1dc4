import { createHash } from 'node:crypto';
import type { AuthorizationServer } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import {
  authorizationUrl,
  completeSignIn,
  newPendingSignIn,
  PENDING_KEY,
  type PendingSignIn,
  SignInError,
  safeReturnPath,
  signOutUrl,
  takePendingSignIn,
} from '../../../../web/src/lib/console/auth.ts';
import { cognitoAuthorizationServer, parseConsoleConfig } from '../../../../web/src/lib/console/config.ts';

/**
 * The console's sign-in with oauth4webapi: the authorization request (PKCE S256, state, nonce),
 * what survives the redirect (never a token), the callback's checks and the code exchange, and
 * sign-out, against a fake token endpoint.
 */

const ORIGIN = 'http://localhost:8212';
const config = parseConsoleConfig({ issuer: '/oidc', clientId: 'ocs-console' }, ORIGIN);
const as: AuthorizationServer = {
  issuer: `${ORIGIN}/oidc`,
  authorization_endpoint: `${ORIGIN}/oidc/auth`,
  token_endpoint: `${ORIGIN}/oidc/token`,
  end_session_endpoint: `${ORIGIN}/oidc/session/end`,
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ID token as the provider's token endpoint returns it (oauth4webapi checks its claims, not its signature, there). */
function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return [
    b64url({ alg: 'RS256', typ: 'JWT' }),
    b64url({ iss: as.issuer, aud: 'ocs-console', sub: 'organiser-1', iat: now, exp: now + 300, ...claims }),
    Buffer.from('signature').toString('base64url'),
  ].join('.');
}

function tokenEndpoint(body: Record<string, unknown>, seen: { url?: string; body?: string } = {}) {
  return async (url: string | URL | Request, init?: RequestInit) => {
    seen.url = String(url);
    seen.body = String(init?.body);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function callback(pending: PendingSignIn, extra: Record<string, string> = {}): URL {
  return new URL(
    `${ORIGIN}/console/callback/?${new URLSearchParams({ code: 'the-code', state: pending.state, iss: as.issuer, ...extra })}`,
  );
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('safeReturnPath', () => {
  it('keeps console pages and refuses anything else', () => {
    expect(safeReturnPath('/console/audit/')).toBe('/console/audit/');
    expect(safeReturnPath('https://evil.example/console/')).toBe('/console/');
    expect(safeReturnPath('/en/sign/')).toBe('/console/');
    expect(safeReturnPath('/console/\\evil')).toBe('/console/');
    expect(safeReturnPath('/console/callback/')).toBe('/console/');
    expect(safeReturnPath(null)).toBe('/console/');
  });
});

describe('the authorization request', () => {
  it('asks for a code with PKCE S256, state, nonce, the console scopes and its callback', async () => {
    const pending = newPendingSignIn('/console/exports/');
    const url = await authorizationUrl(as, config, ORIGIN, pending, 'fr');
    const params = url.searchParams;

    expect(url.origin + url.pathname).toBe(as.authorization_endpoint);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('ocs-console');
    expect(params.get('redirect_uri')).toBe(`${ORIGIN}/console/callback/`);
    expect(params.get('scope')).toBe('openid email ocs/admin');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toBe(
      createHash('sha256').update(pending.verifier).digest('base64url'),
    );
    expect(params.get('state')).toBe(pending.state);
    expect(params.get('nonce')).toBe(pending.nonce);
    expect(params.get('ui_locales')).toBe('fr');
    expect(pending.returnTo).toBe('/console/exports/');
  });

  it('draws a fresh verifier, state and nonce each time', () => {
    const a = newPendingSignIn('/console/');
    const b = newPendingSignIn('/console/');
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.verifier.length).toBeGreaterThanOrEqual(43);
  });

  it('passes the language as Cognito reads it', async () => {
    const cognito = parseConsoleConfig(
      {
        issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
        clientId: 'client',
        provider: 'cognito',
        authOrigin: 'https://ocs.auth.eu-central-1.amazoncognito.com',
      },
      'https://eci.example.org',
    );
    const url = await authorizationUrl(
      cognitoAuthorizationServer(cognito),
      cognito,
      'https://eci.example.org',
      newPendingSignIn('/console/'),
      'de',
    );
    expect(url.href.startsWith('https://ocs.auth.eu-central-1.amazoncognito.com/oauth2/authorize?')).toBe(
      true,
    );
    expect(url.searchParams.get('lang')).toBe('de');
    expect(url.searchParams.has('ui_locales')).toBe(false);
  });
});

describe('the pending sign-in in session storage', () => {
  it('is read once, then gone', () => {
    const storage = new MemoryStorage();
    const pending = newPendingSignIn('/console/audit/');
    storage.items.set(PENDING_KEY, JSON.stringify(pending));

    expect(takePendingSignIn(storage)).toEqual(pending);
    expect(storage.items.size).toBe(0);
    expect(takePendingSignIn(storage)).toBeNull();
  });

  it('ignores a damaged entry and sanitises the return path', () => {
    const storage = new MemoryStorage();
    storage.items.set(PENDING_KEY, '{not json');
    expect(takePendingSignIn(storage)).toBeNull();
    storage.items.set(
      PENDING_KEY,
      JSON.stringify({ ...newPendingSignIn('/console/'), returnTo: '//evil.example/' }),
    );
    expect(takePendingSignIn(storage)?.returnTo).toBe('/console/');
  });
});

describe('the callback', () => {
  it('exchanges the code with the verifier and keeps the tokens with their expiry', async () => {
    const pending = newPendingSignIn('/console/');
    const seen: { url?: string; body?: string } = {};
    const tokens = await completeSignIn(as, config, callback(pending), pending, {
      fetch: tokenEndpoint(
        {
          access_token: 'access-1',
          token_type: 'Bearer',
          expires_in: 1800,
          id_token: idToken({ nonce: pending.nonce }),
        },
        seen,
      ),
      now: () => 1_000_000,
    });

    expect(tokens.accessToken).toBe('access-1');
    expect(tokens.idToken.split('.')).toHaveLength(3);
    expect(tokens.expiresAt).toBe(1_000_000 + (1800 - 10) * 1000);
    expect(seen.url).toBe(as.token_endpoint);
    const form = new URLSearchParams(seen.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('code_verifier')).toBe(pending.verifier);
    expect(form.get('redirect_uri')).toBe(`${ORIGIN}/console/callback/`);
    expect(form.get('client_id')).toBe('ocs-console');
  });

  it('refuses a callback without a sign-in started in this tab', async () => {
    const pending = newPendingSignIn('/console/');
    await expect(completeSignIn(as, config, callback(pending), null)).rejects.toMatchObject({
      reason: 'no_pending',
    });
  });

  it('refuses a state that is not the one sent, before any token request', async () => {
    const pending = newPendingSignIn('/console/');
    const seen: { url?: string } = {};
    const error = await completeSignIn(as, config, callback(pending, { state: 'forged' }), pending, {
      fetch: tokenEndpoint({}, seen),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).reason).toBe('provider');
    expect(seen.url).toBeUndefined();
  });

  it("reports the provider's error answer", async () => {
    const pending = newPendingSignIn('/console/');
    const url = new URL(
      `${ORIGIN}/console/callback/?${new URLSearchParams({ error: 'access_denied', state: pending.state, iss: as.issuer })}`,
    );
    await expect(completeSignIn(as, config, url, pending)).rejects.toMatchObject({ reason: 'provider' });
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const pending = newPendingSignIn('/console/');
    await expect(
      completeSignIn(as, config, callback(pending), pending, {
        fetch: tokenEndpoint({
          access_token: 'a',
          token_type: 'Bearer',
          expires_in: 60,
          id_token: idToken({ nonce: 'another' }),
        }),
      }),
    ).rejects.toMatchObject({ reason: 'exchange' });
  });

  it('refuses an answer without an ID token', async () => {
    const pending = newPendingSignIn('/console/');
    await expect(
      completeSignIn(as, config, callback(pending), pending, {
        fetch: tokenEndpoint({ access_token: 'a', token_type: 'Bearer', expires_in: 60 }),
      }),
    ).rejects.toMatchObject({ reason: 'exchange' });
  });
});

describe('sign-out', () => {
  it('goes to the end-session endpoint with the ID token hint and back to the console', () => {
    const url = new URL(signOutUrl(as, config, ORIGIN, 'id.token.here'));
    expect(url.origin + url.pathname).toBe(as.end_session_endpoint);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/console/`);
    expect(url.searchParams.get('id_token_hint')).toBe('id.token.here');
    expect(url.searchParams.get('client_id')).toBe('ocs-console');
  });

  it("uses Cognito's logout parameters, and falls back to the console without an endpoint", () => {
    const cognito = parseConsoleConfig(
      {
        issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
        clientId: 'client',
        provider: 'cognito',
        authOrigin: 'https://ocs.auth.eu-central-1.amazoncognito.com',
      },
      'https://eci.example.org',
    );
    const url = new URL(
      signOutUrl(cognitoAuthorizationServer(cognito), cognito, 'https://eci.example.org', 'x'),
    );
    expect(url.href.startsWith('https://ocs.auth.eu-central-1.amazoncognito.com/logout?')).toBe(true);
    expect(url.searchParams.get('logout_uri')).toBe('https://eci.example.org/console/');
    expect(url.searchParams.get('client_id')).toBe('client');
    expect(url.searchParams.has('id_token_hint')).toBe(false);

    const { end_session_endpoint: _none, ...withoutEnd } = as;
    expect(signOutUrl(withoutEnd, config, ORIGIN, null)).toBe(`${ORIGIN}/console/`);
  });
});
