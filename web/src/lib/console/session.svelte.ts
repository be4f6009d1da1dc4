import type { MeResponse } from '@ocs/shared/contract/admin-api';
import type { AuthorizationServer } from 'oauth4webapi';
import { AdminApi } from './admin-api.ts';
import type { Tokens } from './auth.ts';
import type { ConsoleConfig } from './config.ts';

/**
 * The console's session, in memory only. The tokens are a module variable, not reactive state
 * and never in any storage: a reload or a new tab means signing in again. What the pages render
 * from (signed in or not, who, why the last session ended) is reactive.
 */

/** Why the organiser sees the sign-in screen. */
export type SignedOutReason = 'none' | 'expired' | 'signed_out' | 'failed';

export const session = $state({
  config: null as ConsoleConfig | null,
  as: null as AuthorizationServer | null,
  me: null as MeResponse | null,
  signedOutReason: 'none' as SignedOutReason,
});

let tokens: Tokens | null = null;

/** The access token while it is valid, else null. */
export function accessToken(now = Date.now()): string | null {
  if (!tokens || now >= tokens.expiresAt) return null;
  return tokens.accessToken;
}

/** The ID token (for the sign-out hint), else null. */
export function idToken(): string | null {
  return tokens?.idToken ?? null;
}

/** Keeps fresh tokens (after the callback). */
export function keepTokens(fresh: Tokens): void {
  tokens = fresh;
  session.signedOutReason = 'none';
}

/** Forgets the tokens and who signed in; the layout then offers sign-in, with the reason. */
export function forget(reason: SignedOutReason): void {
  tokens = null;
  session.me = null;
  session.signedOutReason = reason;
}

/** The organiser API client of this session: a 401 ends the session ("expired"). */
export const api = new AdminApi({
  token: () => accessToken(),
  onUnauthenticated: () => {
    if (tokens || session.me) forget('expired');
  },
});
