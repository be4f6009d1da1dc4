import {
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  verifyChain,
} from '@ocs/shared/audit';
import type { AuditTrail, Clock, SignInMarkerStore } from '@ocs/shared/ports';
import { PART_A_FIELDS, PART_B_FIELDS } from '@ocs/shared/validation/fields';

/**
 * JWT claims as the organiser routes receive them: API Gateway HTTP API's JWT authorizer passes
 * them in `event.requestContext.authorizer.jwt.claims` (numbers may arrive as strings there).
 */
export type JwtClaims = Readonly<Record<string, unknown>>;

/**
 * Names of a signatory's personal data (the Annex III fields, the optional e-mail) and of the
 * handles that point at one statement. An audit entry's details never carry them; a caller that
 * tries is a bug, refused before anything is written.
 */
export const SIGNATORY_FIELDS: readonly string[] = [
  'firstNames',
  'familyNames',
  ...PART_A_FIELDS,
  ...PART_B_FIELDS,
  'email',
  'receipt',
  'statementId',
  'dedupKey',
];

/** How long a sign-in marker lives: longer than a session's refresh tokens (Cognito's default: 30 days). */
export const SIGN_IN_MARKER_TTL_SECONDS = 31 * 24 * 3600;

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function epochSeconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The audit actor of an authenticated organiser: the token's `sub` and `email` (null when the
 * token carries no e-mail claim). Throws when there is no `sub`: the authorizer only lets through
 * tokens from the configured issuer, which always set it, so its absence is a misconfiguration.
 */
export function actorFromClaims(claims: JwtClaims): AuditActor {
  const sub = nonEmptyString(claims.sub);
  if (!sub) throw new TypeError('The access token carries no subject (sub).');
  return { sub, email: nonEmptyString(claims.email) ?? null };
}

function signatoryFieldIn(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (SIGNATORY_FIELDS.includes(key)) return here;
    const nested = signatoryFieldIn(child, here);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Records one organiser (or system) action.
 * Input: the trail, who acted, what, and details (no signatory data: field names of changed
 * settings, a digest, ids of exports, counts). Output: the appended entry.
 * Steps: refuse details that name a signatory field (a bug in the caller); append.
 */
export async function recordAction(
  trail: AuditTrail,
  actor: AuditActor,
  action: AuditAction,
  details: AuditDetails = {},
): Promise<AuditEntry> {
  const field = signatoryFieldIn(details, '');
  if (field) throw new TypeError(`Audit details must not carry signatory data (found '${field}').`);
  return trail.append(actor, action, details);
}

/**
 * What identifies one sign-in session in a token: `sid` (OpenID Connect session id) when the
 * provider sets it, else `auth_time` (when the user authenticated; Cognito sets it on access
 * tokens and keeps it across refreshes), else `iat` (then a session is one token).
 */
export function sessionOf(claims: JwtClaims): { key: string; authTime?: number } {
  const authTime = epochSeconds(claims.auth_time);
  const sid = nonEmptyString(claims.sid);
  if (sid) return { key: `sid:${sid}`, ...(authTime ? { authTime } : {}) };
  if (authTime) return { key: `auth_time:${authTime}`, authTime };
  const iat = epochSeconds(claims.iat);
  if (iat) return { key: `iat:${iat}` };
  throw new TypeError('The access token carries neither sid, auth_time nor iat.');
}

/** How long a claim holds before another request may take it over (longer than any append). */
export const SIGN_IN_CLAIM_HOLD_SECONDS = 60;

/**
 * Records `sign_in` once per organiser session, on the first organiser request whose token
 * belongs to a session not seen before (the console has no server-side sign-in step of its own:
 * the identity provider signs organisers in, so the API notices the first use of a new session).
 * Input: the trail, the marker store, a clock, the token's claims. Output: whether this call
 * recorded it, and the entry when it did.
 * Steps: claim the marker `M#<sub>#<session>` for a minute (conditional put); if it is recorded or
 * held by a concurrent request, nothing to do; else append `sign_in` with the time of
 * authentication and confirm the marker. If the append fails, release the claim (so a later
 * request records the sign-in) and rethrow; if the process dies mid-way, the claim lapses.
 */
export async function recordSignInOnce(
  deps: { trail: AuditTrail; markers: SignInMarkerStore; clock: Clock },
  claims: JwtClaims,
  markerTtlSeconds = SIGN_IN_MARKER_TTL_SECONDS,
): Promise<{ recorded: false } | { recorded: true; entry: AuditEntry }> {
  const actor = actorFromClaims(claims);
  const session = sessionOf(claims);
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const expiresAt = now + markerTtlSeconds;
  const times = { now, holdUntil: now + SIGN_IN_CLAIM_HOLD_SECONDS, expiresAt };
  if (!(await deps.markers.claim(actor.sub, session.key, times))) return { recorded: false };
  const details: AuditDetails = session.authTime
    ? { authTime: new Date(session.authTime * 1000).toISOString() }
    : {};
  let entry: AuditEntry;
  try {
    entry = await deps.trail.append(actor, 'sign_in', details);
  } catch (error) {
    await deps.markers.release(actor.sub, session.key, expiresAt).catch(() => undefined);
    throw error;
  }
  // The entry is written: the request succeeds even if this fails (the claim then lapses, and
  // at worst a later request of the session records a second sign_in).
  await deps.markers.confirm(actor.sub, session.key, expiresAt).catch(() => undefined);
  return { recorded: true, entry };
}

/**
 * The trail as `GET /api/admin/audit?after=<seq>` answers it.
 * Input: the trail and `after` (0 for everything). Output: the entries with `seq > after`, and
 * whether the WHOLE chain verifies (not only the page: a page is only as good as what it
 * continues). Steps: list every entry (organiser actions are few: thousands at most), verify the
 * chain from the genesis hash, keep the page.
 */
export async function listAudit(
  trail: AuditTrail,
  after = 0,
): Promise<{ entries: readonly AuditEntry[]; chainValid: boolean }> {
  const all = await trail.list();
  const verification = await verifyChain(all);
  return { entries: all.filter((e) => e.seq > after), chainValid: verification.valid };
}
