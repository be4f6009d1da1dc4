import { handler } from '@ocs/functions/handlers/add-email-claim';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';

function event(userAttributes: Record<string, string>): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_AbCdEfGhI',
    userName: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789abcdefghij' },
    request: { userAttributes, groupConfiguration: {}, scopes: ['openid', 'email', 'ocs/admin'] },
    response: { claimsAndScopeOverrideDetails: {} },
  };
}

describe('Cognito pre token generation trigger (e-mail claim)', () => {
  it('adds the e-mail address to the access token only', async () => {
    const result = await handler(event({ sub: 'x', email: 'organiser@example.org', email_verified: 'true' }));
    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { email: 'organiser@example.org' } },
    });
  });

  it('adds nothing when the user has no e-mail attribute', async () => {
    const result = await handler(event({ sub: 'x' }));
    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({});
  });
});
