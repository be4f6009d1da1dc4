import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_SCOPE, LOCAL_CONSOLE_CLIENT_ID, LOCAL_OIDC_PATH } from '@ocs/shared/sign-in';
import { createLocalJWKSet } from 'jose';
import { errors, type Provider } from 'oidc-provider';
import { type AccessTokenVerifier, createAccessTokenVerifier } from '../../auth/verify-access-token';
import { logger } from '../../http/logger';
import { cookieKeys, openOrganiserStore, publicKeys, signingKeys } from './local-files';
import { PasswordPolicyError } from './organiser-store';
import { SignInPages } from './pages';
import { ADMIN_RESOURCE, createLocalProvider } from './provider';

/** The local OpenID provider as the local server uses it. */
export interface LocalOidc {
  /** `<origin>/oidc` */
  readonly issuer: string;
  /** Serves a request whose path is `/oidc` or under it. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Verifies the bearer token of an `/api/admin/*` request with the JWT authorizer's rules. */
  readonly verifyAccessToken: AccessTokenVerifier;
}

const INTERACTION = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|password))?$/;
const FORM_LIMIT = 16 * 1024;
/** How long a first sign-in may take between the password step and the new password. */
const PENDING_MS = 10 * 60_000;

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > FORM_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        tooLarge || !type.startsWith('application/x-www-form-urlencoded')
          ? undefined
          : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      ),
    );
    req.on('error', reject);
  });
}

/**
 * Builds the local OpenID provider for a site origin (`http://localhost:<port>`): keys and
 * accounts from the data directory, the provider mounted under `/oidc`, and the sign-in
 * interactions (login, new password at first sign-in) served by this module.
 */
export async function createLocalOidc(options: { origin: string; dataDir: string }): Promise<LocalOidc> {
  const { origin, dataDir } = options;
  const keys = await signingKeys(dataDir);
  const organisers = openOrganiserStore(dataDir);
  const pages = new SignInPages();
  const provider: Provider = createLocalProvider({
    origin,
    signingKeys: keys,
    cookieKeys: cookieKeys(dataDir),
    organisers,
    pages,
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => {
    logger.error('local OpenID provider failure', { errorName: error.name });
  });
  const callback = provider.callback();
  /** First sign-ins that passed password and code, waiting for the new password (by interaction uid). */
  const pending = new Map<string, { accountId: string; expires: number }>();

  const verifyAccessToken = createAccessTokenVerifier(createLocalJWKSet(publicKeys(keys)), {
    issuer: provider.issuer,
    audiences: [LOCAL_CONSOLE_CLIENT_ID],
    requiredScopes: [ADMIN_SCOPE],
  });

  const finishLogin = (req: IncomingMessage, res: ServerResponse, accountId: string) =>
    provider.interactionFinished(
      req,
      res,
      { login: { accountId, remember: false, amr: ['pwd', 'otp'] } },
      { mergeWithLastSubmission: false },
    );

  async function interaction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    step: string | undefined,
  ) {
    const acceptLanguage = req.headers['accept-language'];
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      req.resume();
      pages.problem(res, { lang: pages.language(undefined, acceptLanguage), kind: 'expired', status: 400 });
      return;
    }
    const lang = pages.language(details.params.ui_locales, acceptLanguage);
    const base = `${LOCAL_OIDC_PATH}/interaction/${uid}`;
    if (details.uid !== uid) {
      req.resume();
      pages.problem(res, { lang, kind: 'expired', status: 400 });
      return;
    }
    for (const [key, entry] of pending) if (entry.expires < Date.now()) pending.delete(key);
    const waiting = pending.get(uid);

    if (details.prompt.name === 'consent') {
      // Only reached if the console asks for more than its grant holds: grant what it may have.
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('consent without a session');
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: LOCAL_CONSOLE_CLIENT_ID });
      if (!grant) throw new Error('grant not found');
      grant.addOIDCScope('openid email');
      grant.addResourceScope(ADMIN_RESOURCE, ADMIN_SCOPE);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }

    if (req.method === 'GET' && step === undefined) {
      if (waiting) pages.newPassword(res, { lang, action: `${base}/password` });
      else pages.login(res, { lang, action: `${base}/login` });
      return;
    }
    if (req.method !== 'POST' || step === undefined) {
      req.resume();
      res.writeHead(405, { allow: step ? 'POST' : 'GET' });
      res.end();
      return;
    }
    const form = (await readForm(req)) ?? new URLSearchParams();

    if (step === 'login') {
      const email = form.get('email') ?? '';
      const result = await organisers.signIn(email, form.get('password') ?? '', form.get('code') ?? '');
      if (!result.ok) {
        pages.login(res, { lang, action: `${base}/login`, email, error: result.reason });
        return;
      }
      if (result.organiser.mustChangePassword) {
        pending.set(uid, { accountId: result.organiser.id, expires: Date.now() + PENDING_MS });
        // Post/redirect/get: reloading the new-password page never resubmits the password.
        res.writeHead(303, { location: base, 'cache-control': 'no-store', 'content-length': 0 });
        res.end();
        return;
      }
      await finishLogin(req, res, result.organiser.id);
      return;
    }

    if (!waiting) {
      pages.problem(res, { lang, kind: 'expired', status: 400 });
      return;
    }
    try {
      await organisers.changePassword(waiting.accountId, form.get('newPassword') ?? '');
    } catch (error) {
      if (!(error instanceof PasswordPolicyError)) throw error;
      pages.newPassword(res, { lang, action: `${base}/password`, error: error.problem });
      return;
    }
    pending.delete(uid);
    await finishLogin(req, res, waiting.accountId);
  }

  return {
    issuer: provider.issuer,
    verifyAccessToken,
    handle: async (req, res) => {
      const url = req.url ?? '/';
      const pathname = new URL(url, 'http://localhost').pathname;
      const match = INTERACTION.exec(pathname);
      if (match?.[1]) {
        try {
          await interaction(req, res, match[1], match[2]);
        } catch (error) {
          logger.error('local sign-in failure', {
            errorName: error instanceof Error ? error.name : typeof error,
          });
          if (!res.headersSent) {
            const lang = pages.language(undefined, req.headers['accept-language']);
            pages.problem(res, { lang, kind: 'generic', status: 500 });
          }
        }
        return;
      }
      // Mounted like `app.use('/oidc', provider.callback())`: the provider sees the path below the
      // mount point and derives its endpoints' URLs from `originalUrl`.
      const rest = url.slice(LOCAL_OIDC_PATH.length);
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
      await callback(req, res);
    },
  };
}
