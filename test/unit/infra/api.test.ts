import { AdminRoutes } from '@ocs/infra/constructs/admin-routes';
import { SUBMIT_ROUTE_KEY } from '@ocs/infra/stacks/api-stack';
import { ORGANISER_PASSWORD_POLICY } from '@ocs/infra/stacks/organisers-stack';
import { routeKey, routesFor } from '@ocs/shared/contract/routes';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
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

describe('Organisers stack: the user pool', () => {
  const pool = () =>
    resourcesOf(synth.templates.organisers, 'AWS::Cognito::UserPool')[0]?.[1].Properties ?? {};

  it('requires MFA (TOTP) for every organiser', () => {
    expect(pool()).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  it('has no self sign-up: only an administrator creates organiser accounts', () => {
    expect(pool()).toMatchObject({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  it('enforces a strong password policy and threat protection (Plus tier), and refuses deletion', () => {
    expect(pool()).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: ORGANISER_PASSWORD_POLICY.minLength,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    expect(ORGANISER_PASSWORD_POLICY.minLength).toBeGreaterThanOrEqual(14);
  });

  it('gives the console a public client: authorization code (with PKCE) only, callbacks on the site domain', () => {
    const client = only(synth.templates.organisers, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [`${SITE}/console/callback`],
      LogoutURLs: [`${SITE}/console/`],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(client.Properties.AllowedOAuthFlows).not.toContain('implicit');
  });
});

describe('Organisers stack: the admin API', () => {
  it('binds a JWT authorizer to the user pool issuer and the console client', () => {
    const authorizer = only(synth.templates.organisers, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: expect.stringMatching(/Console/) }],
        Issuer: {
          'Fn::Join': ['', expect.arrayContaining(['https://cognito-idp.eu-central-1.amazonaws.com/'])],
        },
      },
    });
  });

  it('puts every admin route added through AdminRoutes behind the JWT authorizer', () => {
    const stack = new Stack(new App(), 'AdminRoutesProbe', { env: { region: 'eu-central-1' } });
    const httpApi = new apigwv2.HttpApi(stack, 'Api');
    const adminRoutes = new AdminRoutes(stack, 'Admin', {
      httpApi,
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_example',
      audience: ['client'],
    });
    adminRoutes.addRoute(
      'Export',
      apigwv2.HttpMethod.POST,
      '/api/admin/exports',
      new HttpUrlIntegration('Export', 'https://example.org/'),
    );
    adminRoutes.addRoute(
      'Initiative',
      apigwv2.HttpMethod.PUT,
      '/api/admin/initiative',
      new HttpUrlIntegration('Initiative', 'https://example.org/'),
    );
    const routes = resourcesOf(Template.fromStack(stack), 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(2);
    for (const [, route] of routes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: expect.stringMatching(/^AdminJwtAuthorizer/) },
      });
    }
  });

  it('refuses to add an admin route outside /api/admin/', () => {
    expect(() =>
      synth.stacks.organisers.adminRoutes.addRoute(
        'Outside',
        apigwv2.HttpMethod.GET,
        '/api/statements',
        new HttpUrlIntegration('Outside', 'https://example.org/'),
      ),
    ).toThrow(/Admin routes live under \/api\/admin\//);
  });

  it("has exactly the contract's organiser routes, and no placeholder function", () => {
    const routes = resourcesOf(synth.templates.organisers, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(routesFor('organiser').map(routeKey).sort());
    expect(resourcesOf(synth.templates.organisers, 'AWS::Lambda::Function')).toEqual([]);
  });
});
