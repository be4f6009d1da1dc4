import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/**
 * Cognito pre token generation trigger (event version 2): puts the organiser's e-mail address
 * into the access token, which Cognito does not do by itself. `GET /api/admin/me` and the audit
 * trail read it from the claims the JWT authorizer verified, as they do in local mode. Nothing is
 * logged: the event holds the address.
 */
export function addEmailClaim(event: PreTokenGenerationV2TriggerEvent): PreTokenGenerationV2TriggerEvent {
  const email = event.request.userAttributes.email;
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: email ? { email } : {} },
    },
  };
  return event;
}

export const handler = async (event: PreTokenGenerationV2TriggerEvent) => addEmailClaim(event);
