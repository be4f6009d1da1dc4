import { Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { CitizenFunctions } from './compute-stack';

export interface ApiStackProps extends StackProps {
  readonly functions: CitizenFunctions;
  /** `https://<site domain>` when the site has a known domain; CORS allows that origin only. */
  readonly siteOrigin: string | undefined;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly submitThrottle: { readonly rateLimit: number; readonly burstLimit: number };
}

/** The citizen routes of CITIZEN-API.md, and the function each one invokes. */
export const CITIZEN_ROUTES = [
  { method: apigwv2.HttpMethod.GET, path: '/api/initiative', fn: 'getInitiative' },
  { method: apigwv2.HttpMethod.GET, path: '/api/progress', fn: 'getProgress' },
  { method: apigwv2.HttpMethod.GET, path: '/api/challenge', fn: 'getChallenge' },
  { method: apigwv2.HttpMethod.POST, path: '/api/statements', fn: 'submitStatement' },
] as const;

export const SUBMIT_ROUTE_KEY = 'POST /api/statements';

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
 * The HTTP API (payload v2). Public citizen routes here; the organisers' `/api/admin/*` routes are
 * added behind the JWT authorizer by the Organisers stack (AdminRoutes). Stage throttling caps the
 * whole API and the submit route; it is the backstop behind WAF's global rate rules, which start
 * answering the contract's 429 at 80% of these rates (EdgeStack), so clients see the contract body.
 */
export class ApiStack extends Stack {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** Host name of the execute-api endpoint, the CloudFront origin of `/api/*`. */
  readonly apiDomain: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Citizen API of the online collection system (CITIZEN-API.md).',
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

    for (const route of CITIZEN_ROUTES) {
      const fn = props.functions[route.fn].function;
      this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: new HttpLambdaIntegration(`${route.fn}Integration`, fn, {
          payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        }),
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
