import { AdminRoutes } from '@ocs/infra/constructs/admin-routes';
import {
  CONSOLE_CONFIG_FILE,
  consoleConfig,
  ORGANISER_PASSWORD_POLICY,
} from '@ocs/infra/stacks/organisers-stack';
import { routeKey, routesFor } from '@ocs/shared/contract/routes';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CONFIG_PATH, parseConsoleConfig } from '../../../web/src/lib/console/config.ts';
import { only, PRODUCTION_CONTEXT, resourcesOf, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs();
}, SYNTH_TIMEOUT);

const SITE = `https://${PRODUCTION_CONTEXT.siteDomain}`;

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

  it('serves the managed login pages (newer version, Cognito styles) on its own domain', () => {
    synth.templates.organisers.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      ManagedLoginVersion: 2,
    });
    const branding = only(synth.templates.organisers, 'AWS::Cognito::ManagedLoginBranding');
    expect(branding.Properties).toMatchObject({
      UseCognitoProvidedValues: true,
      ClientId: { Ref: expect.stringMatching(/Console/) },
    });
  });

  it('defines the resource server `ocs` with the scope `admin` (ocs/admin)', () => {
    const server = only(synth.templates.organisers, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties).toMatchObject({
      Identifier: 'ocs',
      Scopes: [{ ScopeName: 'admin', ScopeDescription: expect.any(String) }],
    });
  });

  it('gives the console a public client: authorization code only, scopes openid email ocs/admin, callbacks on the site', () => {
    const client = only(synth.templates.organisers, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [`${SITE}/console/callback/`],
      LogoutURLs: [`${SITE}/console/`],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
    });
    const scopes = JSON.stringify(client.Properties.AllowedOAuthScopes);
    expect(scopes).toContain('"openid"');
    expect(scopes).toContain('"email"');
    expect(scopes).toContain('/admin');
    expect(scopes).not.toContain('profile');
    expect(client.Properties.AllowedOAuthFlows).not.toContain('implicit');
    expect(client.Properties.AllowedOAuthFlows).not.toContain('client_credentials');
  });

  it('adds the e-mail claim to access tokens with a version 2 pre token generation trigger', () => {
    expect(pool()).toMatchObject({
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaVersion: 'V2_0',
          LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^AddEmailClaim/), 'Arn'] },
        },
      },
    });
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

  it('puts every organiser route of the contract behind the authorizer, requiring the scope ocs/admin', () => {
    const routes = resourcesOf(synth.templates.organisers, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey)).toContain('GET /api/admin/me');
    for (const [, route] of routes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizationScopes: ['ocs/admin'],
        AuthorizerId: { Ref: expect.stringMatching(/^AdminRoutesJwtAuthorizer/) },
      });
    }
  });

  it('puts every admin route added through AdminRoutes behind the JWT authorizer with the admin scope', () => {
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
        AuthorizationScopes: ['ocs/admin'],
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

  it("has exactly the contract's organiser routes; its only functions are the Cognito trigger and CDK's deployment provider", () => {
    const routes = resourcesOf(synth.templates.organisers, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(routesFor('organiser').map(routeKey).sort());
    const functions = resourcesOf(synth.templates.organisers, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functions).toHaveLength(2);
    // The second writes the console's configuration file at deploy time (see below).
    expect(functions.filter((id) => !id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(1);
  });
});

describe("Organisers stack: the console's configuration", () => {
  it('writes /console/config.json into the site bucket without pruning the site, and invalidates it', () => {
    const deployment = only(synth.templates.organisers, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties).toMatchObject({
      Prune: false,
      DistributionPaths: [`/${CONSOLE_CONFIG_FILE}`],
      DestinationBucketName: { 'Fn::ImportValue': expect.stringMatching(/SiteBucket/) },
    });
  });

  it('leaves that file out of the site upload, so a site deployment neither overwrites nor deletes it', () => {
    const upload = only(synth.templates.site, 'Custom::CDKBucketDeployment');
    expect(upload.Properties).toMatchObject({ Exclude: [CONSOLE_CONFIG_FILE] });
  });

  it('says what the console reads: Cognito, its issuer, the client and the sign-in domain', () => {
    const written = consoleConfig({
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
      clientId: 'client-1',
      authOrigin: 'https://ocs.auth.eu-central-1.amazoncognito.com',
    });
    expect(parseConsoleConfig(written, SITE)).toEqual({
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc',
      clientId: 'client-1',
      scope: 'openid email ocs/admin',
      provider: 'cognito',
      authOrigin: 'https://ocs.auth.eu-central-1.amazoncognito.com',
    });
    expect(`/${CONSOLE_CONFIG_FILE}`).toBe(CONSOLE_CONFIG_PATH);
  });
});
