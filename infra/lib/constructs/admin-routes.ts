import { ADMIN_PATH_PREFIX } from '@ocs/shared/contract/routes';
import { ADMIN_SCOPE } from '@ocs/shared/sign-in';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';

export interface AdminRoutesProps {
  readonly httpApi: apigwv2.IHttpApi;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>` */
  readonly issuer: string;
  /** App client ids whose tokens are accepted (the console's). */
  readonly audience: string[];
}

/**
 * The organisers' API surface: a JWT authorizer bound to the Cognito user pool, and the only way
 * to add an `/api/admin/*` route. Every route added here carries the authorizer and requires the
 * scope `ocs/admin` (`authorizationScopes`): only access tokens issued for the admin resource
 * server pass, and ID tokens, which carry no scope, are refused. A route outside the prefix is
 * refused, so no admin route can be created without authentication by mistake.
 */
export class AdminRoutes extends Construct {
  readonly authorizer: apigwv2.HttpAuthorizer;
  private readonly routeAuthorizer: apigwv2.IHttpRouteAuthorizer;
  private readonly httpApi: apigwv2.IHttpApi;

  constructor(scope: Construct, id: string, props: AdminRoutesProps) {
    super(scope, id);
    this.httpApi = props.httpApi;
    // Created up front (not lazily on the first route) so it is deployed and reviewable now.
    this.authorizer = new apigwv2.HttpAuthorizer(this, 'JwtAuthorizer', {
      httpApi: props.httpApi,
      authorizerName: 'organisers-jwt',
      type: apigwv2.HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: props.issuer,
      jwtAudience: props.audience,
    });
    const authorizerId = this.authorizer.authorizerId;
    this.routeAuthorizer = {
      bind: () => ({ authorizationType: 'JWT', authorizerId }),
    };
  }

  /** Adds `method path` behind the JWT authorizer. `path` must start with `/api/admin/`. */
  addRoute(id: string, method: apigwv2.HttpMethod, path: string, integration: apigwv2.HttpRouteIntegration) {
    if (!path.startsWith(ADMIN_PATH_PREFIX)) {
      throw new Error(`Admin routes live under ${ADMIN_PATH_PREFIX}; refusing '${method} ${path}'.`);
    }
    return new apigwv2.HttpRoute(this, id, {
      httpApi: this.httpApi,
      routeKey: apigwv2.HttpRouteKey.with(path, method),
      integration,
      authorizer: this.routeAuthorizer,
      authorizationScopes: [ADMIN_SCOPE],
    });
  }
}
