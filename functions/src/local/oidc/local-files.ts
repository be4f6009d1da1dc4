import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { localSecretsKey } from '../../wiring-keys';
import { migrateLocalSecrets } from '../local-keys';
import { OrganiserStore, organiserFilePath } from './organiser-store';

/**
 * FOR LOCAL MODE ONLY. What the local OpenID provider keeps in the data directory: its signing
 * key (RSA 2048, RS256: API Gateway's JWT authorizer accepts RSA keys only, so local tokens are
 * signed like Cognito's) and its cookie-signing keys, each generated on first start, mode 0600;
 * and the organiser accounts, encrypted under the local secrets key.
 */
export const oidcPaths = (dataDir: string) => ({
  jwks: join(dataDir, 'oidc', 'jwks.json'),
  cookieKeys: join(dataDir, 'oidc', 'cookie-keys.json'),
  organisers: organiserFilePath(dataDir),
});

/** Reads a JSON file, creating it with `create()` (mode 0600, never overwriting) when absent. */
function ensureJson<T>(path: string, create: () => T): T {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, JSON.stringify(create()), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(path, 0o600);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The provider's private signing keys (a JWK Set), created on first start. */
export async function signingKeys(dataDir: string): Promise<{ keys: JWK[] }> {
  const path = oidcPaths(dataDir).jwks;
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk);
    ensureJson(path, () => ({ keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] }));
  }
  return ensureJson<{ keys: JWK[] }>(path, () => {
    throw new Error('unreachable: the key file was just created');
  });
}

/** The public half of the signing keys: what the provider serves at its jwks_uri. */
export function publicKeys(jwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: jwks.keys.map(({ kty, n, e, crv, x, y, kid, alg, use }) =>
      Object.fromEntries(Object.entries({ kty, n, e, crv, x, y, kid, alg, use }).filter(([, v]) => v)),
    ),
  };
}

/** Keys that sign the provider's cookies (the first signs; all verify, for rotation). */
export function cookieKeys(dataDir: string): string[] {
  return ensureJson(oidcPaths(dataDir).cookieKeys, () => [randomBytes(32).toString('base64url')]);
}

/**
 * The organiser accounts of a data directory, encrypted under the local secrets key (created if
 * this is the first use; an earlier version's file under the master key is moved over first), so
 * they survive the destruction of the statement key.
 */
export function openOrganiserStore(dataDir: string, now?: () => number): OrganiserStore {
  migrateLocalSecrets(dataDir);
  const keys = localSecretsKey(dataDir);
  const context = { purpose: 'local-organisers' };
  return new OrganiserStore(
    oidcPaths(dataDir).organisers,
    { seal: (plain) => keys.wrap(plain, context), open: (sealed) => keys.decrypt(sealed, context) },
    now,
  );
}
