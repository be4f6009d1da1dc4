import { routesFor } from '@ocs/shared/contract/routes';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { AdminRoutes } from '../constructs/admin-routes';
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
 * threat protection), the console's public app client (authorization code + PKCE), and the JWT
 * authorizer in front of every `/api/admin/*` route (`adminRoutes.addRoute`).
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

    this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    const siteUrl = `https://${props.siteHost}`;
    this.consoleClient = this.userPool.addClient('Console', {
      userPoolClientName: 'organiser-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
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

    this.adminRoutes = new AdminRoutes(this, 'AdminRoutes', {
      httpApi: props.httpApi,
      issuer: `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      audience: [this.consoleClient.userPoolClientId],
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
    new CfnOutput(this, 'SignInUrl', { value: authOrigin(props.authDomainPrefix, this.region) });
  }
}
