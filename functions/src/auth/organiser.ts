import { UnauthenticatedError } from '@ocs/shared/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The signed-in organiser, from the claims the JWT authorizer (or the local router) verified. */
export interface Organiser {
  readonly sub: string;
  readonly email: string;
}

/**
 * Reads the organiser from `event.requestContext.authorizer.jwt.claims`. The gateway only lets
 * verified tokens through, so a missing claim means a route was wired without the authorizer:
 * refused as unauthenticated rather than trusted.
 */
export function organiserOf(event: APIGatewayProxyEventV2): Organiser {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
  const claims = context.authorizer?.jwt?.claims ?? {};
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '' || typeof email !== 'string' || email === '') {
    throw new UnauthenticatedError('missing');
  }
  return { sub, email };
}
