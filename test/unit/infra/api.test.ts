import { SUBMIT_ROUTE_KEY } from '@ocs/infra/stacks/api-stack';
import { routeKey, routesFor } from '@ocs/shared/contract/routes';
import { beforeAll, describe, expect, it } from 'vitest';
import { only, PRODUCTION_CONTEXT, resourcesOf, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs();
}, SYNTH_TIMEOUT);

const SITE = `https://${PRODUCTION_CONTEXT.siteDomain}`;

describe('API stack', () => {
  it("exposes exactly the contract's public routes, each to its Lambda with payload v2", () => {
    const routes = resourcesOf(synth.templates.api, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(routesFor('public').map(routeKey).sort());
    for (const [, integration] of resourcesOf(synth.templates.api, 'AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
  });

  it('throttles the stage and, more tightly, POST /api/statements', () => {
    synth.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      RouteSettings: {
        [SUBMIT_ROUTE_KEY]: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      },
    });
  });

  it('allows CORS from the site origin only, without credentials', () => {
    const api = only(synth.templates.api, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: [SITE],
      AllowCredentials: false,
      AllowMethods: ['GET', 'POST'],
    });
  });

  it('writes access logs without IP address or user agent', () => {
    const stage = only(synth.templates.api, 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    expect(settings.DestinationArn).toBeDefined();
    expect(JSON.parse(settings.Format)).toHaveProperty('requestId', '$context.requestId');
    expect(settings.Format).not.toMatch(/sourceIp|userAgent|identity/);
  });
});
