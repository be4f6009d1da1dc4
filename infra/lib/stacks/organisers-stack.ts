import { routesFor } from '@ocs/shared/contract/routes';
import { ADMIN_RESOURCE_SERVER, ADMIN_SCOPE } from '@ocs/shared/sign-in';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { AdminRoutes } from '../constructs/admin-routes';
import { handlerEntry, OcsFunction } from '../constructs/ocs-function';
import { routeIntegration } from './api-stack';
import type { RouteFunctions } from './compute-stack';

export interface OrganisersStackProps extends StackProps {
  readonly httpApi: apigwv2.IHttpApi;
  /** The route functions (ComputeStack); the contract's organiser routes invoke theirs. */
  readonly functions: RouteFunctions;
  /** Host name of the site (custom domain or CloudFront domain): callback URLs derive from it. */
  readonly siteHost: string;
  readonly authDomainPrefix: string;
  readonly consoleCallbackPath: string;
  readonly consoleSignOutPath: string;
  /** Named in the functions' environment, as every function of the app. */
  readonly initiativeId: string;
  /** Prefix of the function names (`<deploymentName>-<slug>`), as in the Compute stack. */
  readonly deploymentName: string;
  /** The site's bucket and distribution (Site stack): the console's configuration file is written there. */
  readonly siteBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
}

/**
 * The console's run-time configuration, served as `/console/config.json` (the console's
 * `web/src/lib/console/config.ts` reads it). The Site stack's upload leaves this one file alone;
 * this stack writes it, because the user pool and the client exist only once the site's domain
 * is known.
 */
export const CONSOLE_CONFIG_FILE = 'console/config.json';

/** What `/console/config.json` says in AWS: Cognito's issuer, the console's client, the sign-in domain. */
export function consoleConfig(options: { issuer: string; clientId: string; authOrigin: string }): {
  issuer: string;
  clientId: string;
  provider: 'cognito';
  authOrigin: string;
} {
  return {
    issuer: options.issuer,
    clientId: options.clientId,
    provider: 'cognito',
    authOrigin: options.authOrigin,
  };
}

/** Password policy of organiser accounts (they can export every statement). */
export const ORGANISER_PASSWORD_POLICY = {
  minLength: 14,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(3),
} as const;

/** `https://<prefix>.auth.<region>.amazoncognito.com`: the sign-in pages and token endpoint. */
export function authOrigin(prefix: string, region: string): string {
  return `https://${prefix}.auth.${region}.amazoncognito.com`;
}

/**
 * Organiser identities: a Cognito user pool (MFA required, no self sign-up, strong passwords,
 * threat protection), its managed login pages, the resource server `ocs` with the scope
 * `ocs/admin`, the console's public app client (authorization code + PKCE, scopes
 * `openid email ocs/admin`), a pre token generation trigger that puts the e-mail address into
 * access tokens, and the JWT authorizer in front of every `/api/admin/*` route
 * (`adminRoutes.addRoute`), which requires the scope `ocs/admin`: ID tokens are refused.
 *
 * Deployed after the Site stack because the callback URLs derive from the site's domain, which,
 * without a custom domain, is only known once the distribution exists.
 */
export class OrganisersStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly consoleClient: cognito.UserPoolClient;
  readonly adminRoutes: AdminRoutes;

  constructor(scope: Construct, id: string, props: OrganisersStackProps) {
    super(scope, id, props);

    this.userPool = new cognito.UserPool(this, 'Organisers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: false },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: ORGANISER_PASSWORD_POLICY,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Managed login (the newer version): its pages come in the console's language when the
    // authorization request carries `lang` (de, en, es, fr, it, pt-BR among others).
    this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    const adminScope = new cognito.ResourceServerScope({
      scopeName: ADMIN_RESOURCE_SERVER.scopeName,
      scopeDescription: 'Organiser API (console)',
    });
    const adminApi = this.userPool.addResourceServer('AdminApi', {
      identifier: ADMIN_RESOURCE_SERVER.identifier,
      userPoolResourceServerName: 'organiser-api',
      scopes: [adminScope],
    });

    // Cognito access tokens carry no e-mail address: this trigger adds it (event version 2,
    // available with the Plus feature plan), so the admin functions read it from the claims.
    const addEmailClaim = new OcsFunction(this, 'AddEmailClaim', {
      entry: handlerEntry('add-email-claim'),
      functionName: `${props.deploymentName}-add-email-claim`,
      role: functionRole(this, 'AddEmailClaimRole', 'Cognito pre token generation: adds the e-mail claim.'),
      description: 'Cognito pre token generation trigger: e-mail claim in access tokens',
      initiativeId: props.initiativeId,
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      addEmailClaim.function,
      cognito.LambdaVersion.V2_0,
    );

    const siteUrl = `https://${props.siteHost}`;
    this.consoleClient = this.userPool.addClient('Console', {
      userPoolClientName: 'organiser-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.resourceServer(adminApi, adminScope),
        ],
        callbackUrls: [`${siteUrl}${props.consoleCallbackPath}`],
        logoutUrls: [`${siteUrl}${props.consoleSignOutPath}`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(8),
    });

    // The managed login pages need a style for the client; Cognito's defaults are used.
    new cognito.CfnManagedLoginBranding(this, 'ConsoleLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.adminRoutes = new AdminRoutes(this, 'AdminRoutes', {
      httpApi: props.httpApi,
      issuer,
      audience: [this.consoleClient.userPoolClientId],
    });

    // The console's configuration: written next to the site (never pruned by it), then
    // invalidated in CloudFront so the console reads it at once.
    new s3deploy.BucketDeployment(this, 'ConsoleConfig', {
      sources: [
        s3deploy.Source.jsonData(
          CONSOLE_CONFIG_FILE,
          consoleConfig({
            issuer,
            clientId: this.consoleClient.userPoolClientId,
            authOrigin: authOrigin(props.authDomainPrefix, this.region),
          }),
        ),
      ],
      destinationBucket: props.siteBucket,
      prune: false,
      distribution: props.distribution,
      distributionPaths: [`/${CONSOLE_CONFIG_FILE}`],
    });
    // The organiser routes of the contract (shared/src/contract/routes.ts), each behind the JWT authorizer.
    for (const route of routesFor('organiser')) {
      this.adminRoutes.addRoute(
        `${route.handler}Route`,
        apigwv2.HttpMethod[route.method],
        route.path,
        routeIntegration(route.handler, props.functions[route.handler].function),
      );
    }

    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Organiser user pool.',
    });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
    new CfnOutput(this, 'ConsoleScopes', { value: `openid email ${ADMIN_SCOPE}` });
    new CfnOutput(this, 'SignInUrl', { value: authOrigin(props.authDomainPrefix, this.region) });
  }
}

/** A function's own execution role (no permission beyond its log group, which OcsFunction grants). */
function functionRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
  });
}
