import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import {
  addOrganiser,
  Browser,
  discover,
  type NewOrganiser,
  organiserCli,
  parseForm,
  type SignInOutcome,
  signIn,
  totpCode,
} from '../support/organiser';

/**
 * Organiser sign-in in local mode, end to end against the running system: the CLI creates an
 * account in the server's data directory while it runs; the console's flow (authorization code,
 * PKCE S256) goes through the provider's pages with password, TOTP code and a new password; the
 * access token opens `/api/admin/*`, the ID token does not.
 */
const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
const valuesFile = inject('personalValuesFile');

function newEmail(): string {
  const email = `organiser-${randomBytes(6).toString('hex')}@example.org`;
  return email;
}

/**
 * Passwords must never rest or be logged anywhere; an organiser's e-mail address only in the
 * audit trail, whose entries name their actor (the privacy scan of the global teardown).
 */
function record(email: string, ...passwords: string[]) {
  appendFileSync(
    valuesFile,
    `${JSON.stringify(passwords)}\n${JSON.stringify({ organiserEmails: [email] })}\n`,
  );
}

async function me(token: string | undefined) {
  const res = await fetch(`${baseUrl}/api/admin/me`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function signedIn(outcome: SignInOutcome | { failedPage: string; status: number }): SignInOutcome {
  if ('failedPage' in outcome) throw new Error(`sign-in failed (${outcome.status}):\n${outcome.failedPage}`);
  return outcome;
}

describe('organiser sign-in (local OpenID provider)', () => {
  let organiser: NewOrganiser;
  let tokens: SignInOutcome;
  let firstCode: string;
  const newPassword = `new-${randomBytes(12).toString('base64url')}`;

  it('serves the discovery document at /oidc/.well-known/openid-configuration', async () => {
    const res = await fetch(`${baseUrl}/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(`${baseUrl}/oidc`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.authorization_endpoint).toBe(`${baseUrl}/oidc/auth`);
    expect(doc.token_endpoint).toBe(`${baseUrl}/oidc/token`);
    expect((await discover(baseUrl)).issuer).toBe(`${baseUrl}/oidc`);
  });

  it('creates an organiser with the CLI while the server runs (password and TOTP key URI)', async () => {
    organiser = await addOrganiser(dataDir, newEmail());
    record(organiser.email, organiser.password, newPassword);
    expect(organiser.totpUri).toMatch(/^otpauth:\/\/totp\/[^?]+\?(.+&)?secret=[A-Z2-7]+/);
    const list = await organiserCli(dataDir, ['list']);
    expect(list.stdout).toContain(organiser.email);
  });

  it('signs in with password and TOTP, sets a new password at the first sign-in, and gets an access token', async () => {
    firstCode = totpCode(organiser.totpUri);
    tokens = signedIn(await signIn(baseUrl, { ...organiser, newPassword, code: firstCode }));
    const header = decodeProtectedHeader(tokens.accessToken);
    const claims = decodeJwt(tokens.accessToken);
    expect(header.alg).toBe('RS256');
    expect(claims).toMatchObject({
      iss: `${baseUrl}/oidc`,
      aud: 'ocs-console',
      client_id: 'ocs-console',
      email: organiser.email,
    });
    expect(String(claims.scope).split(' ')).toContain('ocs/admin');
  });

  it('GET /api/admin/me answers the e-mail and sub of the access token', async () => {
    const res = await me(tokens.accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: organiser.email, sub: decodeJwt(tokens.idToken).sub });
  });

  it('refuses the ID token, no token and a malformed token with 401 unauthenticated', async () => {
    for (const token of [tokens.idToken, undefined, 'not-a-token', `${tokens.accessToken}x`]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('refuses a TOTP code already used, then accepts the new password with a fresh code', async () => {
    const reused = await signIn(baseUrl, { ...organiser, password: newPassword, code: firstCode });
    expect('failedPage' in reused && reused.status).toBe(400);
    // The next 30 s step's code is within the accepted drift, and later than the one used.
    const next = signedIn(
      await signIn(baseUrl, { ...organiser, password: newPassword, code: totpCode(organiser.totpUri, 1) }),
    );
    expect((await me(next.accessToken)).status).toBe(200);
  });

  it('answers the same for a wrong password and an unknown address, with an announced error', async () => {
    const wrong = await signIn(baseUrl, { ...organiser, password: 'wrong-password-123' });
    const unknown = await signIn(baseUrl, { ...organiser, email: newEmail() });
    for (const outcome of [wrong, unknown]) {
      if (!('failedPage' in outcome)) throw new Error('sign-in should have failed');
      expect(outcome.status).toBe(400);
      expect(outcome.failedPage).toContain('role="alert"');
      expect(parseForm(outcome.failedPage).fields).toMatchObject({
        username: 'email',
        'current-password': 'password',
        'one-time-code': 'code',
      });
    }
    const normalised = (outcome: typeof wrong) =>
      'failedPage' in outcome
        ? outcome.failedPage.replace(/value="[^"]*"/g, '').replace(/interaction\/[^/]+/g, '')
        : '';
    expect(normalised(wrong)).toBe(normalised(unknown));
  });

  it('renders the sign-in page in the language of Accept-Language', async () => {
    const as = await discover(baseUrl);
    const browser = new Browser('de-AT,de;q=0.9,en;q=0.5');
    const url = `${as.authorization_endpoint}?${new URLSearchParams({
      client_id: 'ocs-console',
      redirect_uri: `${baseUrl}/console/callback/`,
      response_type: 'code',
      scope: 'openid email ocs/admin',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'x',
    })}`;
    const { res } = await browser.follow(await browser.fetch(url), baseUrl, `${baseUrl}/console/`);
    const page = await res.text();
    expect(page).toContain('<html lang="de"');
    expect(page).toContain('Passwort');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('removes an organiser with the CLI; the next sign-in is refused', async () => {
    const removed = await organiserCli(dataDir, ['remove', organiser.email]);
    expect(removed.code).toBe(0);
    expect((await organiserCli(dataDir, ['list'])).stdout).not.toContain(organiser.email);
    const refused = await signIn(baseUrl, { ...organiser, password: newPassword });
    expect('failedPage' in refused).toBe(true);
  });

  it('signs out at the end-session endpoint: a confirmation page, then back to the console', async () => {
    const other = await addOrganiser(dataDir, newEmail());
    const otherPassword = `new-${randomBytes(12).toString('base64url')}`;
    record(other.email, other.password, otherPassword);
    const browser = new Browser('fr');
    const fresh = signedIn(await signIn(baseUrl, { ...other, newPassword: otherPassword }, browser));
    const as = await discover(baseUrl);
    const endSession = `${as.end_session_endpoint}?${new URLSearchParams({
      id_token_hint: fresh.idToken,
      post_logout_redirect_uri: `${baseUrl}/console/`,
    })}`;
    const confirm = await browser.fetch(endSession);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain('<html lang="fr"');
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const done = await browser.fetch(new URL(action, baseUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${baseUrl}/console/`);
  });
});
