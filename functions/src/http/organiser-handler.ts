import type { AuditActor } from '@ocs/shared/audit';
import { type HandlerName, routeKey, routeOf } from '@ocs/shared/contract/routes';
import type { AuditTrail, Clock, SignInMarkerStore } from '@ocs/shared/ports';
import { type Organiser, organiserOf } from '../auth/organiser';
import { actorFromClaims, type JwtClaims, recordSignInOnce } from '../use-cases/audit';
import { type ApiEvent, type ApiHandlerOptions, apiHandler } from './api-handler';
import type { HttpResponse } from './responses';

/** What every organiser route needs besides its own ports: the audit trail and the sign-in markers. */
export interface OrganiserAuditPorts {
  readonly trail: AuditTrail;
  readonly markers: SignInMarkerStore;
  readonly clock: Clock;
}

/** Who calls an organiser route: from the verified access token. */
export interface OrganiserRequest {
  readonly organiser: Organiser;
  /** The audit trail's actor for this organiser (`sub` and e-mail). */
  readonly actor: AuditActor;
  readonly claims: JwtClaims;
}

/**
 * Builds the handler of an organiser route (access `organiser` in the route table): the house
 * middleware chain, then the organiser from the claims the JWT authorizer verified (401 when
 * none reached the function), then `sign_in` recorded once per session in the audit trail (the
 * identity provider signs organisers in; the API sees a session's first use), then `handle`.
 * A failure to record the sign-in is a dependency failure (503): no organiser action runs
 * unaudited.
 */
export function organiserHandler(
  handler: HandlerName,
  ports: OrganiserAuditPorts,
  handle: (event: ApiEvent, request: OrganiserRequest) => Promise<HttpResponse>,
  options: ApiHandlerOptions = {},
) {
  const route = routeOf(handler);
  if (route.access !== 'organiser') {
    throw new Error(`organiserHandler serves organiser routes only; '${handler}' is ${route.access}.`);
  }
  return apiHandler(
    routeKey(route),
    async (event) => {
      const organiser = organiserOf(event);
      const claims = claimsOf(event);
      await recordSignInOnce(ports, claims);
      return handle(event, { organiser, actor: actorFromClaims(claims), claims });
    },
    options,
  );
}

function claimsOf(event: ApiEvent): JwtClaims {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } };
  return context.authorizer?.jwt?.claims ?? {};
}
