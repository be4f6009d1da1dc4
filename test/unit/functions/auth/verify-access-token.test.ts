import {
  createAccessTokenVerifier,
  type JwtAuthorizerContext,
} from '@ocs/functions/auth/verify-access-token';
import { UnauthenticatedError } from '@ocs/shared/errors';
import type { UnauthenticatedReason } from '@ocs/shared/sign-in';
import {
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The local router's token check follows API Gateway's JWT authorizer: signature against the
 * issuer's JWKS (RSA only, never `none`), `iss`, `aud` (or `client_id` without `aud`), `exp`,
 * `nbf`, `iat`, and the route's scope, which ID tokens do not carry.
 */
const ISSUER = 'http://localhost:8080/oidc';
const AUDIENCE = 'ocs-console';
const NOW = new Date('2026-11-30T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

let issuerKey: CryptoKey;
let otherKey: CryptoKey;
let ecKey: CryptoKey;
let publicJwk: JWK;
let verify: ReturnType<typeof createAccessTokenVerifier>;

const KID = 'issuer-key-1';

beforeAll(async () => {
  const issuer = await generateKeyPair('RS256', { extractable: true });
  issuerKey = issuer.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  ecKey = (await generateKeyPair('ES256')).privateKey;
  publicJwk = { ...(await exportJWK(issuer.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  verify = createAccessTokenVerifier(createLocalJWKSet({ keys: [publicJwk] }), {
    issuer: ISSUER,
    audiences: [AUDIENCE],
    requiredScopes: ['ocs/admin'],
    now: () => NOW,
  });
});

const accessClaims = (): JWTPayload => ({
  iss: ISSUER,
  aud: AUDIENCE,
  client_id: AUDIENCE,
  sub: 'organiser-1',
  email: 'someone@example.org',
  scope: 'openid email ocs/admin',
  iat: nowSeconds - 60,
  exp: nowSeconds + 600,
  jti: 'abc',
});

function sign(
  claims: JWTPayload,
  options: { key?: CryptoKey; alg?: string; kid?: string | null; typ?: string } = {},
): Promise<string> {
  const header: { alg: string; kid?: string; typ?: string } = { alg: options.alg ?? 'RS256' };
  if (options.kid !== null) header.kid = options.kid ?? KID;
  if (options.typ) header.typ = options.typ;
  return new SignJWT(claims).setProtectedHeader(header).sign(options.key ?? issuerKey);
}

async function refusal(authorization: string | undefined): Promise<UnauthenticatedReason> {
  try {
    await verify(authorization);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('access token verification (the JWT authorizer rules)', () => {
  it('accepts a valid access token and hands over string claims and the scopes', async () => {
    const context: JwtAuthorizerContext = await verify(`Bearer ${await sign(accessClaims())}`);
    expect(context.scopes).toEqual(['openid', 'email', 'ocs/admin']);
    expect(context.claims).toMatchObject({
      sub: 'organiser-1',
      email: 'someone@example.org',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: String(nowSeconds + 600),
      iat: String(nowSeconds - 60),
    });
    for (const value of Object.values(context.claims)) expect(typeof value).toBe('string');
  });

  it('accepts the bare token and a lower-case scheme, as API Gateway does', async () => {
    const token = await sign(accessClaims());
    await expect(verify(token)).resolves.toBeDefined();
    await expect(verify(`bearer ${token}`)).resolves.toBeDefined();
  });

  it('refuses a missing token', async () => {
    expect(await refusal(undefined)).toBe('missing');
    expect(await refusal('')).toBe('missing');
    expect(await refusal('   ')).toBe('missing');
  });

  it('refuses malformed tokens', async () => {
    expect(await refusal('Bearer ')).toBe('malformed');
    expect(await refusal('Bearer not-a-jwt')).toBe('malformed');
    expect(await refusal('Bearer a.b')).toBe('malformed');
    expect(await refusal('Bearer a.b.c.d.e')).toBe('malformed');
    expect(await refusal('Bearer !!!.???.###')).toBe('malformed');
    expect(await refusal('Bearer eyJub3QiOiJhIGhlYWRlciJ9.e30.c2ln')).toBe('unsupported_algorithm');
    expect(await refusal('Basic dXNlcjpwYXNz')).toBe('malformed');
    // Correctly signed, but the payload is not a JSON claims set.
    const notJson = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .sign(issuerKey);
    expect(await refusal(`Bearer ${notJson}`)).toBe('malformed');
  });

  it('refuses an expired token (beyond a 5 s clock skew)', async () => {
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), exp: nowSeconds - 6 })}`)).toBe('expired');
    await expect(
      verify(`Bearer ${await sign({ ...accessClaims(), exp: nowSeconds - 4 })}`),
    ).resolves.toBeDefined();
  });

  it('refuses a token without expiry', async () => {
    const { exp: _exp, ...claims } = accessClaims();
    expect(await refusal(`Bearer ${await sign(claims)}`)).toBe('malformed');
  });

  it('refuses a token not yet valid (nbf or iat in the future)', async () => {
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), nbf: nowSeconds + 60 })}`)).toBe(
      'not_yet_valid',
    );
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), iat: nowSeconds + 60 })}`)).toBe(
      'not_yet_valid',
    );
  });

  it('refuses a wrongly signed token (another key under the same kid, an unknown kid, a changed payload)', async () => {
    expect(await refusal(`Bearer ${await sign(accessClaims(), { key: otherKey })}`)).toBe(
      'invalid_signature',
    );
    expect(await refusal(`Bearer ${await sign(accessClaims(), { kid: 'unknown' })}`)).toBe(
      'invalid_signature',
    );
    const token = await sign(accessClaims());
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...accessClaims(), sub: 'someone-else' })).toString(
      'base64url',
    );
    expect(await refusal(`Bearer ${header}.${forged}.${signature}`)).toBe('invalid_signature');
  });

  it('refuses alg none (an unsecured JWT), even with a valid payload', async () => {
    const unsecured = new UnsecuredJWT(accessClaims()).encode();
    expect(await refusal(`Bearer ${unsecured}`)).toBe('unsupported_algorithm');
    const [, payload] = unsecured.split('.');
    const noneWithKid = Buffer.from(JSON.stringify({ alg: 'none', kid: KID })).toString('base64url');
    expect(await refusal(`Bearer ${noneWithKid}.${payload}.`)).toBe('unsupported_algorithm');
  });

  it('refuses algorithms outside the allow-list (HMAC with the public key, ECDSA)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const hmac = await new SignJWT(accessClaims())
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .sign(secret);
    expect(await refusal(`Bearer ${hmac}`)).toBe('unsupported_algorithm');
    expect(await refusal(`Bearer ${await sign(accessClaims(), { key: ecKey, alg: 'ES256' })}`)).toBe(
      'unsupported_algorithm',
    );
  });

  it('refuses a token from a foreign issuer, even signed with a trusted key', async () => {
    const foreign = {
      ...accessClaims(),
      iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_other',
    };
    expect(await refusal(`Bearer ${await sign(foreign)}`)).toBe('wrong_issuer');
    const { iss: _iss, ...noIssuer } = accessClaims();
    expect(await refusal(`Bearer ${await sign(noIssuer)}`)).toBe('wrong_issuer');
  });

  it('refuses a token for another audience; client_id counts only without aud', async () => {
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), aud: 'another-client' })}`)).toBe(
      'wrong_audience',
    );
    await expect(
      verify(`Bearer ${await sign({ ...accessClaims(), aud: ['another-api', AUDIENCE] })}`),
    ).resolves.toBeDefined();
    const { aud: _aud, ...cognitoShape } = accessClaims();
    await expect(
      verify(`Bearer ${await sign({ ...cognitoShape, token_use: 'access' })}`),
    ).resolves.toBeDefined();
    expect(await refusal(`Bearer ${await sign({ ...cognitoShape, client_id: 'another-client' })}`)).toBe(
      'wrong_audience',
    );
    const { client_id: _clientId, ...neither } = cognitoShape;
    expect(await refusal(`Bearer ${await sign(neither)}`)).toBe('wrong_audience');
  });

  it('refuses an ID token: same issuer, key and audience, but no scope', async () => {
    const idToken = {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'organiser-1',
      email: 'someone@example.org',
      iat: nowSeconds - 60,
      exp: nowSeconds + 600,
      auth_time: nowSeconds - 60,
    };
    expect(await refusal(`Bearer ${await sign(idToken)}`)).toBe('insufficient_scope');
    const cognitoId = { ...idToken, token_use: 'id', scope: 'ocs/admin' };
    expect(await refusal(`Bearer ${await sign(cognitoId)}`)).toBe('not_an_access_token');
  });

  it('refuses an access token without the admin scope; accepts the scope as a scp list', async () => {
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), scope: 'openid email' })}`)).toBe(
      'insufficient_scope',
    );
    expect(await refusal(`Bearer ${await sign({ ...accessClaims(), scope: 'ocs/admins' })}`)).toBe(
      'insufficient_scope',
    );
    const { scope: _scope, ...rest } = accessClaims();
    const context = await verify(`Bearer ${await sign({ ...rest, scp: ['ocs/admin'] })}`);
    expect(context.scopes).toEqual(['ocs/admin']);
    expect(context.claims.scp).toBe('[ocs/admin]');
  });

  it('renders claims the way API Gateway passes them to the function', async () => {
    const context = await verify(
      `Bearer ${await sign({ ...accessClaims(), email_verified: true, groups: ['a', 'b'], address: { country: 'BE' } })}`,
    );
    expect(context.claims).toMatchObject({
      email_verified: 'true',
      groups: '[a b]',
      address: '{"country":"BE"}',
    });
  });
});
