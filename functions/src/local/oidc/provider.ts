import {
  ADMIN_SCOPE,
  CONSOLE_CALLBACK_PATH,
  CONSOLE_SIGN_OUT_PATH,
  LOCAL_CONSOLE_CLIENT_ID,
  LOCAL_OIDC_PATH,
} from '@ocs/shared/sign-in';
import type { JWK } from 'jose';
import {
  type Configuration,
  errors,
  interactionPolicy,
  type KoaContextWithOIDC,
  Provider,
} from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { OrganiserStore } from './organiser-store';
import type { SignInPages } from './pages';

/**
 * FOR LOCAL MODE ONLY. The local OpenID provider (oidc-provider), issuer `<origin>/oidc`, playing
 * the part Cognito plays in AWS:
 * - one public client, the console (`ocs-console`): authorization code flow, PKCE S256 required,
 *   no client secret, redirect to `/console/callback/`, sign-out back to `/console/`;
 * - access tokens are JWTs (RS256) for the admin API resource, with `scope` `ocs/admin`,
 *   `aud` and `client_id` the console's client id, `sub`, `email`, `iss`, `exp` (30 minutes, as
 *   the Cognito app client), so the local router verifies them with the JWT authorizer's rules;
 * - consent is implicit for this first-party client (a grant is created at sign-in);
 * - every authorization request asks for the password and a TOTP code again (a fresh sign-in),
 *   so a session left in a browser never signs anyone in silently.
 * Sessions, grants and codes live in the library's in-memory adapter: a restart signs everyone
 * out, which is acceptable for one machine; nothing in them is needed after a restart.
 */
export interface LocalProviderOptions {
  /** `http://localhost:<port>`: the site's origin; the issuer is this + `/oidc`. */
  readonly origin: string;
  readonly signingKeys: { keys: JWK[] };
  readonly cookieKeys: string[];
  readonly organisers: OrganiserStore;
  readonly pages: SignInPages;
}

/** The resource indicator of the admin API (RFC 8707); every access token is issued for it. */
export const ADMIN_RESOURCE = 'urn:ocs:api:admin';

/** Seconds an access token is valid (the Cognito app client's setting too). */
export const ACCESS_TOKEN_TTL = 30 * 60;

/** The issuer identifier for a site origin. */
export const localIssuer = (origin: string): string => `${origin}${LOCAL_OIDC_PATH}`;

function freshSignInPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(
    new interactionPolicy.Check(
      'fresh_sign_in',
      'every sign-in asks for the password and a TOTP code',
      (ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

/** Builds the provider; mount it under `/oidc` (see mount.ts). */
export function createLocalProvider(options: LocalProviderOptions): Provider {
  const { origin, organisers, pages } = options;

  const configuration: Configuration = {
    // The library's own in-memory adapter, passed explicitly: chosen for local mode (see above).
    adapter: createMemoryAdapter(0),
    clients: [
      {
        client_id: LOCAL_CONSOLE_CLIENT_ID,
        client_name: 'Organiser console',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${origin}${CONSOLE_CALLBACK_PATH}`],
        post_logout_redirect_uris: [`${origin}${CONSOLE_SIGN_OUT_PATH}`],
      },
    ],
    jwks: options.signingKeys as Configuration['jwks'],
    cookies: { keys: options.cookieKeys, long: { signed: true }, short: { signed: true } },
    scopes: ['openid', 'email'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    interactions: {
      policy: freshSignInPolicy(),
      url: (_ctx, interaction) => `${LOCAL_OIDC_PATH}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => pages.logout(ctx, form),
        postLogoutSuccessSource: (ctx) => pages.loggedOut(ctx),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => ADMIN_RESOURCE,
        // The code carries the resource of the authorization request: the token endpoint issues
        // the JWT access token for it without the console sending `resource` again.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator, client) => {
          if (indicator !== ADMIN_RESOURCE || client.clientId !== LOCAL_CONSOLE_CLIENT_ID) {
            throw new errors.InvalidTarget();
          }
          return {
            scope: ADMIN_SCOPE,
            audience: LOCAL_CONSOLE_CLIENT_ID,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // First-party client: consent is implied by signing in (a grant with every console scope).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client?.clientId ?? '');
      if (grantId) return oidc.provider.Grant.find(grantId);
      if (!oidc.session?.accountId || oidc.client?.clientId !== LOCAL_CONSOLE_CLIENT_ID) return undefined;
      const grant = new oidc.provider.Grant({
        clientId: LOCAL_CONSOLE_CLIENT_ID,
        accountId: oidc.session.accountId,
      });
      grant.addOIDCScope('openid email');
      grant.addResourceScope(ADMIN_RESOURCE, ADMIN_SCOPE);
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const organiser = await organisers.findById(sub);
      if (!organiser) return undefined;
      return {
        accountId: organiser.id,
        claims: () => ({ sub: organiser.id, email: organiser.email, email_verified: true }),
      };
    },
    // Cognito access tokens carry no e-mail; the AWS side adds it at token generation (see the
    // Organisers stack). Here it is added the same way, so `GET /api/admin/me` reads it in both.
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !('accountId' in token) || typeof token.accountId !== 'string') {
        return undefined;
      }
      const organiser = await organisers.findById(token.accountId);
      return organiser ? { email: organiser.email } : undefined;
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL,
      Interaction: 15 * 60,
      Session: 60 * 60,
      Grant: 60 * 60,
    },
    renderError: (ctx, out) => pages.error(ctx, out),
    enabledJWA: { authorizationSigningAlgValues: ['RS256'], idTokenSigningAlgValues: ['RS256'] },
  };

  return new Provider(localIssuer(origin), configuration);
}
