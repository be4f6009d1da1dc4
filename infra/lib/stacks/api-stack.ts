import { ORIGIN_VERIFY } from '@ocs/functions/config/env-names';
import { routeKey, routeOf, routesFor } from '@ocs/shared/contract/routes';
import { Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { OcsFunction } from '../constructs/ocs-function';
import type { RouteFunctions } from './compute-stack';

export interface ApiStackProps extends StackProps {
  readonly functions: RouteFunctions;
  /** The origin authorizer (ComputeStack.originAuthorizer), attached to every citizen route. */
  readonly originAuthorizer: OcsFunction;
  /** `https://<site domain>` when the site has a known domain; CORS allows that origin only. */
  readonly siteOrigin: string | undefined;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly submitThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

/** The route whose throttling is tighter than the stage's (the one that writes). */
export const SUBMIT_ROUTE_KEY = routeKey(routeOf('submitStatement'));

/** The identity source of the origin authorizer: CloudFront's origin-verification header. */
export const ORIGIN_IDENTITY_SOURCE = `$request.header.${ORIGIN_VERIFY.header}`;

/** The Lambda proxy integration of a handler's function (payload v2, as the handlers expect). */
export function routeIntegration(handler: string, fn: lambda.IFunction): HttpLambdaIntegration {
  return new HttpLambdaIntegration(`${handler}Integration`, fn, {
    payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
  });
}

/** Access log line: no IP address, no user agent, no query string (they can identify a person). */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

/**
 * The HTTP API (payload v2). Citizen routes here, each behind the origin authorizer: HTTP APIs
 * cannot carry a WAF web ACL, so the API admits only requests that CloudFront (and its WAF) sent,
 * recognised by the origin-verification header CloudFront adds (SiteStack). A direct call to the
 * execute-api endpoint gets 401 (no header) or 403 (wrong header) from API Gateway and never
 * reaches a citizen function. The organisers' `/api/admin/*` routes are added behind the JWT
 * authorizer by the Organisers stack (AdminRoutes). Stage throttling caps the whole API and the
 * submit route; it is the backstop behind WAF's global rate rules, which start answering the
 * contract's 429 at 80% of these rates (EdgeStack), so clients see the contract body.
 */
export class ApiStack extends Stack {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** The Lambda REQUEST authorizer of every citizen route. */
  readonly originAuthorizer: HttpLambdaAuthorizer;
  /** Host name of the execute-api endpoint, the CloudFront origin of `/api/*`. */
  readonly apiDomain: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Citizen API of the online collection system (docs/citizen-api.md).',
      createDefaultStage: false,
      corsPreflight: props.siteOrigin
        ? {
            allowOrigins: [props.siteOrigin],
            allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
            allowHeaders: ['content-type', 'authorization'],
            allowCredentials: false,
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    // Simple responses (payload 2.0); API Gateway caches the answer per header value, so the
    // function runs about once per cache period, and never for a request without the header.
    this.originAuthorizer = new HttpLambdaAuthorizer('OriginVerify', props.originAuthorizer.function, {
      authorizerName: 'origin-verify',
      identitySource: [ORIGIN_IDENTITY_SOURCE],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(ORIGIN_VERIFY.cacheTtlSeconds),
    });

    // The public routes of the contract (shared/src/contract/routes.ts); organiser routes are
    // added behind the JWT authorizer by the Organisers stack.
    for (const route of routesFor('public')) {
      const fn = props.functions[route.handler].function;
      this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: routeIntegration(route.handler, fn),
        authorizer: this.originAuthorizer,
      });
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    // RouteSettings is a free-form map in CloudFormation: keys use CloudFormation's casing.
    cfnStage.routeSettings = {
      [SUBMIT_ROUTE_KEY]: {
        ThrottlingRateLimit: props.submitThrottle.rateLimit,
        ThrottlingBurstLimit: props.submitThrottle.burstLimit,
        DetailedMetricsEnabled: true,
      },
    };

    this.apiDomain = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));
  }
}
