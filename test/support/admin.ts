import { randomBytes } from 'node:crypto';
import { addOrganiser, signIn } from './organiser';

/** An organiser signed in through the local OpenID provider, and a client of the organiser API. */
export interface SignedInOrganiser {
  readonly email: string;
  readonly accessToken: string;
  /** Calls `METHOD /api/admin/...` with the access token (or `token`), a JSON body, and parses the answer. */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<AdminResponse>;
}

export interface AdminResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** Calls the organiser API at `baseUrl` with `token` (none when null). */
export async function adminCall(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminResponse> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/**
 * Creates an organiser in `dataDir` with the CLI and signs them in (password, TOTP, a new password
 * at the first sign-in), as the console does.
 */
export async function signedInOrganiser(baseUrl: string, dataDir: string): Promise<SignedInOrganiser> {
  const email = `organiser-${randomBytes(6).toString('hex')}@example.org`;
  const organiser = await addOrganiser(dataDir, email);
  const outcome = await signIn(baseUrl, {
    ...organiser,
    newPassword: `new-${randomBytes(12).toString('base64url')}`,
  });
  if ('failedPage' in outcome) throw new Error(`sign-in failed (${outcome.status})`);
  const { accessToken } = outcome;
  return {
    email,
    accessToken,
    call: (method, path, body, token) =>
      adminCall(baseUrl, token === undefined ? accessToken : token, method, path, body),
  };
}

/**
 * Takes a running local system live through the organiser API (a new organiser signs in and
 * confirms with the registration number), as organisers do before collecting: the suites and
 * benchmarks that measure the collection work on live statements.
 */
export async function goLive(baseUrl: string, dataDir: string): Promise<SignedInOrganiser> {
  const organiser = await signedInOrganiser(baseUrl, dataDir);
  const initiative = (await organiser.call('GET', '/api/admin/initiative')).body.initiative as {
    registrationNumber: string;
  };
  const live = await organiser.call('POST', '/api/admin/go-live', { confirm: initiative.registrationNumber });
  if (live.status !== 200) throw new Error(`the local system did not go live: ${live.status}`);
  return organiser;
}
