import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import * as oauth from 'oauth4webapi';
import { TOTP, URI } from 'otpauth';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** Runs `npm run organiser -- <args>` (the same entry) against a data directory. */
export async function organiserCli(
  dataDir: string,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(
      resolve(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['functions/src/local/organiser.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, OCS_DATA_DIR: dataDir } },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

export interface NewOrganiser {
  readonly email: string;
  readonly password: string;
  readonly totpUri: string;
}

/** `add <email>`: the printed `password:` and `totp:` lines. */
export async function addOrganiser(dataDir: string, email: string): Promise<NewOrganiser> {
  const { stdout, code, stderr } = await organiserCli(dataDir, ['add', email]);
  if (code !== 0) throw new Error(`organiser add failed (${code}): ${stderr}`);
  const password = /^password: (\S+)$/m.exec(stdout)?.[1];
  const totpUri = /^totp: (otpauth:\/\/totp\/\S+)$/m.exec(stdout)?.[1];
  if (!password || !totpUri) throw new Error(`unexpected organiser add output:\n${stdout}`);
  return { email, password, totpUri };
}

/** The current TOTP code of a key URI (`offsetSteps` moves to the next or previous 30 s step). */
export function totpCode(totpUri: string, offsetSteps = 0): string {
  const totp = URI.parse(totpUri);
  if (!(totp instanceof TOTP)) throw new Error('not a TOTP URI');
  return totp.generate({ timestamp: Date.now() + offsetSteps * totp.period * 1000 });
}

/** A cookie jar for one browser. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(readonly acceptLanguage = 'en') {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.acceptLanguage);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects on this origin until a page answers (or the console callback is reached). */
  async follow(res: Response, base: string, stopAt: string): Promise<{ res: Response; url: string }> {
    let current = res;
    let url = res.url;
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const location = new URL(current.headers.get('location') ?? '', base).href;
      url = location;
      if (location.startsWith(stopAt)) return { res: current, url: location };
      await current.arrayBuffer();
      current = await this.fetch(location);
    }
    return { res: current, url };
  }
}

/** The form of a sign-in page, its inputs found by their `autocomplete` tokens. */
export function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in page:\n${html}`);
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = input[0];
    const token = /\sautocomplete="([^"]+)"/.exec(tag)?.[1];
    const name = /\sname="([^"]+)"/.exec(tag)?.[1];
    if (token && name) fields[token] = name;
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}

export const CONSOLE_CLIENT: oauth.Client = { client_id: 'ocs-console' };

/** Discovery of the local issuer, with oauth4webapi (http allowed: localhost only). */
export async function discover(baseUrl: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(`${baseUrl}/oidc`);
  const response = await oauth.discoveryRequest(issuer, {
    algorithm: 'oidc',
    [oauth.allowInsecureRequests]: true,
  });
  return oauth.processDiscoveryResponse(issuer, response);
}

export interface SignInOutcome {
  readonly accessToken: string;
  readonly idToken: string;
}

/**
 * The console's sign-in, driven without a browser: authorization request with PKCE S256, the
 * provider's forms (e-mail, password, TOTP; a new password when asked), the code at the callback,
 * and the token request, all with oauth4webapi.
 */
export async function signIn(
  baseUrl: string,
  who: { email: string; password: string; totpUri: string; newPassword?: string; code?: string },
  browser = new Browser(),
): Promise<SignInOutcome | { failedPage: string; status: number }> {
  const as = await discover(baseUrl);
  const redirectUri = `${baseUrl}/console/callback/`;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email ocs/admin',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();

  let { res } = await browser.follow(await browser.fetch(url.href), baseUrl, redirectUri);
  let page = await res.text();
  let form = parseForm(page);
  const login = new URLSearchParams({
    [form.fields.username ?? 'email']: who.email,
    [form.fields['current-password'] ?? 'password']: who.password,
    [form.fields['one-time-code'] ?? 'code']: who.code ?? totpCode(who.totpUri),
  });
  const posted = await browser.fetch(new URL(form.action, baseUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: login,
  });
  let step = await browser.follow(posted, baseUrl, redirectUri);
  if (!step.url.startsWith(redirectUri)) {
    page = await step.res.text();
    form = parseForm(page);
    const newPasswordField = form.fields['new-password'];
    if (!newPasswordField || !who.newPassword) return { failedPage: page, status: step.res.status };
    res = await browser.fetch(new URL(form.action, baseUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ [newPasswordField]: who.newPassword }),
    });
    step = await browser.follow(res, baseUrl, redirectUri);
    if (!step.url.startsWith(redirectUri))
      return { failedPage: await step.res.text(), status: step.res.status };
  }

  const params = oauth.validateAuthResponse(as, CONSOLE_CLIENT, new URL(step.url), state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    CONSOLE_CLIENT,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    { [oauth.allowInsecureRequests]: true },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, CONSOLE_CLIENT, response);
  if (!tokens.id_token) throw new Error('no ID token');
  return { accessToken: tokens.access_token, idToken: tokens.id_token };
}

/** A signed-in organiser: their address, their subject and an access token for `/api/admin/*`. */
export interface OrganiserSession {
  readonly email: string;
  readonly sub: string;
  readonly accessToken: string;
}

/**
 * A new organiser account in the running system's data directory (the CLI), signed in through the
 * console's flow (a new password at the first sign-in). `record` receives the account's secrets,
 * for suites that keep a list of values that must not leak.
 */
export async function newOrganiserSession(
  baseUrl: string,
  dataDir: string,
  record: (...values: string[]) => void = () => {},
): Promise<OrganiserSession> {
  const email = `organiser-${crypto.randomUUID().slice(0, 12)}@example.org`;
  const organiser = await addOrganiser(dataDir, email);
  const newPassword = `new-${crypto.randomUUID()}`;
  record(organiser.password, newPassword);
  const outcome = await signIn(baseUrl, { ...organiser, newPassword });
  if ('failedPage' in outcome) throw new Error(`sign-in failed (${outcome.status}):\n${outcome.failedPage}`);
  const claims = JSON.parse(
    Buffer.from(outcome.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
  );
  return { email, sub: String(claims.sub), accessToken: outcome.accessToken };
}

/** One organiser API call with a bearer token (or none): status, headers and the JSON body. */
export async function adminCall(
  baseUrl: string,
  token: string | undefined,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}
