import { UnauthenticatedError } from '@ocs/shared/errors';
import type { UnauthenticatedReason } from '@ocs/shared/sign-in';
import { decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * The rules of API Gateway's HTTP API JWT authorizer, applied to one bearer token:
 * - the token is a signed JWT (JWS compact form) whose `alg` is in the allow-list (RSA only, as
 *   API Gateway: never `none`, never a symmetric key) and whose `kid` names a key of the issuer's
 *   JWKS, and the signature verifies with that key;
 * - `iss` equals the configured issuer;
 * - `aud` is one of the configured audiences; only when there is no `aud`, `client_id` is
 *   (Cognito access tokens carry the app client id in `client_id` and have no `aud`);
 * - `exp` is in the future; `nbf` and `iat`, when present, are not (a small clock skew allowed);
 * - the token's scopes (`scope`, space-separated, or `scp`) include at least one required scope.
 *   This is what refuses ID tokens, which carry no scope; a Cognito `token_use` of `id` is refused
 *   on its own as well.
 */
export interface AccessTokenRules {
  readonly issuer: string;
  readonly audiences: readonly string[];
  /** At least one of these must be among the token's scopes (the route's `authorizationScopes`). */
  readonly requiredScopes: readonly string[];
  /** Default `['RS256']`. */
  readonly algorithms?: readonly string[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. Default 5. */
  readonly clockToleranceSeconds?: number;
  /** For tests: the current time. */
  readonly now?: () => Date;
}

/**
 * What the authorizer hands to the function: `event.requestContext.authorizer.jwt` in an HTTP API
 * payload v2 event. Claim values are strings, as API Gateway renders them (numbers in decimal,
 * arrays as `[a b]`, objects as JSON).
 */
export interface JwtAuthorizerContext {
  readonly claims: Record<string, string>;
  readonly scopes: string[];
}

/** A verifier: the `Authorization` header value in, the authorizer context out, or an UnauthenticatedError. */
export type AccessTokenVerifier = (authorization: string | undefined) => Promise<JwtAuthorizerContext>;

const fail = (reason: UnauthenticatedReason): never => {
  throw new UnauthenticatedError(reason);
};

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The token of an `Authorization` header: `Bearer <token>`, or the bare token (API Gateway accepts both). */
export function bearerToken(authorization: string | undefined): string {
  const value = authorization?.trim() ?? '';
  if (value === '') return fail('missing');
  const match = /^bearer\s+(.+)$/i.exec(value);
  const token = (match ? match[1] : value)?.trim() ?? '';
  if (!COMPACT_JWS.test(token)) return fail('malformed');
  return token;
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** A claim value as API Gateway passes it to the function. */
function claimString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimString).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function reasonOf(error: unknown): UnauthenticatedReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'unsupported_algorithm';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return 'invalid_signature';
  }
  return 'malformed';
}

/** Builds a verifier for `rules`, with the issuer's keys from `keys` (a local or remote JWKS). */
export function createAccessTokenVerifier(
  keys: JWTVerifyGetKey,
  rules: AccessTokenRules,
): AccessTokenVerifier {
  const algorithms = [...(rules.algorithms ?? ['RS256'])];
  const tolerance = rules.clockToleranceSeconds ?? 5;
  const audiences = new Set(rules.audiences);
  const now = rules.now ?? (() => new Date());

  return async (authorization) => {
    const token = bearerToken(authorization);
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return fail('malformed');
    }
    // Checked before any key lookup: `none` and HMAC tokens never reach the verification.
    if (typeof alg !== 'string' || !algorithms.includes(alg)) return fail('unsupported_algorithm');

    const currentDate = now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: rules.issuer,
        algorithms,
        clockTolerance: tolerance,
        currentDate,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return fail(reasonOf(error));
    }
    // jose does not refuse an `iat` in the future; API Gateway does.
    if (typeof payload.iat === 'number' && payload.iat > currentDate.getTime() / 1000 + tolerance) {
      return fail('not_yet_valid');
    }
    const aud = payload.aud;
    if (aud !== undefined) {
      const listed = Array.isArray(aud) ? aud : [aud];
      if (!listed.some((a) => audiences.has(a))) return fail('wrong_audience');
    } else if (typeof payload.client_id !== 'string' || !audiences.has(payload.client_id)) {
      return fail('wrong_audience');
    }
    if (payload.token_use === 'id') return fail('not_an_access_token');
    const scopes = scopesOf(payload);
    if (!rules.requiredScopes.some((s) => scopes.includes(s))) return fail('insufficient_scope');

    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload)) claims[name] = claimString(value);
    return { claims, scopes };
  };
}
