import { existsSync, readdirSync, statSync } from 'node:fs';
import { ORIGIN_VERIFY } from '@ocs/functions/config/env-names';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LogBucket, PrivateBucket } from '../constructs/secure-bucket';
import { API_CONTENT_SECURITY_POLICY, inlineScriptHashes, siteContentSecurityPolicy } from '../csp';
import { builtSiteOrigin, siteOriginMismatch } from '../site-origin';
import { CONSOLE_CONFIG_FILE } from './organisers-stack';

export interface SiteStackProps extends StackProps {
  /** Directory of the static build (SvelteKit adapter-static output). */
  readonly siteSource: string;
  /** Host name of the HTTP API endpoint (ApiStack.apiDomain). */
  readonly apiDomain: string;
  /**
   * The origin-verification secret (SecretsStack): CloudFront sends its value to the API in the
   * ORIGIN_VERIFY header, through a CloudFormation dynamic reference (never a value in the template).
   */
  readonly originSecret: secretsmanager.ISecret;
  /** ARN of the CloudFront web ACL (EdgeStack, us-east-1). */
  readonly webAclArn: string;
  readonly siteDomain: { readonly name: string; readonly certificateArn: string } | undefined;
  /** Origin of the organisers' sign-in pages, allowed in connect-src (token exchange). */
  readonly authOrigin: string;
}

/** Days the site bucket's S3 access logs are kept (CloudFront's fetches: no viewer address). */
export const SITE_ACCESS_LOG_DAYS = 90;

/** How the static build lays out its pages: `/x` as `x/index.html` (directory) or as `x.html` (file). */
export type SiteLayout = 'directory' | 'file';

/** Directory layout when any page below the root is an `index.html` (SvelteKit `trailingSlash: 'always'`). */
export function siteLayout(siteDir: string): SiteLayout {
  const nested = readdirSync(siteDir, { withFileTypes: true, recursive: true }).some(
    (entry) => entry.isFile() && entry.name === 'index.html' && entry.parentPath !== siteDir,
  );
  return nested ? 'directory' : 'file';
}

/**
 * CloudFront Function (viewer request) mapping clean URLs to the files of the static build:
 * `/x/` -> `/x/index.html`; `/x` -> `/x/index.html` (directory layout) or `/x.html` (file layout).
 */
export function uriRewriteFunction(layout: SiteLayout): string {
  const bare = layout === 'directory' ? "uri + '/index.html'" : "uri + '.html'";
  return `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    request.uri = ${bare};
  }
  return request;
}`;
}

/**
 * The citizen site: the static build in a private bucket behind CloudFront (origin access
 * control), `/api/*` routed to the HTTP API with the origin-verification header, security headers on every response, TLS 1.2+ when a
 * custom domain is configured, and the WAF web ACL (EdgeStack) in front of everything. Rate
 * limiting that citizens meet is WAF's, with the contract's 429 body and Retry-After (EdgeStack).
 */
export class SiteStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  readonly siteBucket: s3.Bucket;
  /** Host name viewers use: the custom domain, or the distribution's own domain. */
  readonly siteHost: string;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);

    if (!existsSync(props.siteSource) || !statSync(props.siteSource).isDirectory()) {
      throw new Error(
        `Site build not found at ${props.siteSource}. Run \`npm run build:web\` first ` +
          '(`npm run synth` does), or pass another directory with `-c siteSource=<dir>`.',
      );
    }

    const logs = new LogBucket(this, 'AccessLogs', { retentionDays: SITE_ACCESS_LOG_DAYS }).bucket;

    this.siteBucket = new PrivateBucket(this, 'Site', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site-bucket/',
      versioned: true,
      // Public content only; retained so a stack deletion never fails on a non-empty bucket.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'old-site-versions', noncurrentVersionExpiration: Duration.days(30) }],
    }).bucket;

    const scriptHashes = inlineScriptHashes(props.siteSource);
    const hsts = {
      accessControlMaxAge: Duration.days(730),
      includeSubdomains: true,
      preload: true,
      override: true,
    };
    const common = {
      strictTransportSecurity: hsts,
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
    };
    const permissionsPolicy = {
      header: 'Permissions-Policy',
      value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
      override: true,
    };

    const siteHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SiteHeaders', {
      comment: 'Citizen pages and console: strict CSP, no framing.',
      securityHeadersBehavior: {
        ...common,
        contentSecurityPolicy: {
          contentSecurityPolicy: siteContentSecurityPolicy({
            scriptHashes,
            frameAncestors: "'none'",
            connectSources: [props.authOrigin],
          }),
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          permissionsPolicy,
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const embedHeaders = new cloudfront.ResponseHeadersPolicy(this, 'EmbedHeaders', {
      comment: 'Embeddable progress widget: any site may frame it.',
      securityHeadersBehavior: {
        ...common,
        contentSecurityPolicy: {
          contentSecurityPolicy: siteContentSecurityPolicy({
            scriptHashes,
            frameAncestors: '*',
            connectSources: [],
          }),
          override: true,
        },
      },
      customHeadersBehavior: { customHeaders: [permissionsPolicy] },
    });

    const apiSecurity = {
      ...common,
      contentSecurityPolicy: { contentSecurityPolicy: API_CONTENT_SECURITY_POLICY, override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    };
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'API responses.',
      securityHeadersBehavior: apiSecurity,
    });

    const rewrite = new cloudfront.Function(this, 'UriRewrite', {
      comment: 'Clean URLs to static files',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(uriRewriteFunction(siteLayout(props.siteSource))),
    });

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket);
    // unsafeUnwrap() yields the dynamic reference `{{resolve:secretsmanager:<arn>:SecretString:::}}`,
    // not the value: CloudFormation resolves it while it deploys this stack (as its execution role,
    // which the secret's policies admit), and neither the template nor CloudFormation keeps the value.
    // CloudFront does keep it in the distribution's configuration (docs/architecture.md). The API's
    // authorizer refuses any citizen request that does not carry it.
    const apiOrigin = new origins.HttpOrigin(props.apiDomain, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY.header]: props.originSecret.secretValue.unsafeUnwrap() },
    });

    const staticBehavior = (
      responseHeadersPolicy: cloudfront.IResponseHeadersPolicy,
    ): cloudfront.BehaviorOptions => ({
      origin: siteOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy,
      functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    });
    const apiBehavior = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    });

    // GET /api/progress is cacheable for at most 60 s (docs/citizen-api.md): absorb polling surges.
    const progressCache = new cloudfront.CachePolicy(this, 'ProgressCache', {
      comment: 'Honours the origin Cache-Control up to 60 s.',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(60),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Bearer tokens of the console: CloudFront forwards Authorization on GET only when it is part of
    // the cache key; the default TTL 0 keeps admin responses out of the cache unless they opt in.
    const adminCache = new cloudfront.CachePolicy(this, 'AdminNoCache', {
      comment: 'Organiser API: Authorization in the key, nothing cached by default.',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    });

    const certificate = props.siteDomain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.siteDomain.certificateArn)
      : undefined;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Online collection system: citizen site and API',
      defaultRootObject: 'index.html',
      defaultBehavior: staticBehavior(siteHeaders),
      additionalBehaviors: {
        '/api/admin/*': apiBehavior(adminCache),
        '/api/progress': apiBehavior(progressCache),
        '/api/*': apiBehavior(cloudfront.CachePolicy.CACHING_DISABLED),
        '/embed/*': staticBehavior(embedHeaders),
      },
      ...(certificate && props.siteDomain
        ? {
            certificate,
            domainNames: [props.siteDomain.name],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // IPv4 only. WAF's per-client rate rule counts each full address, and an IPv6 subscriber
      // holds a whole /64 (2^64 addresses): one client could rotate addresses and never reach the
      // limit. WAF cannot aggregate by prefix, so CloudFront answers on IPv4 only, where one
      // address is one client (or one NAT). IPv6-only clients still reach it through their
      // network's NAT64/DNS64 or 464XLAT, as they reach every IPv4-only site.
      enableIpv6: false,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: props.webAclArn,
      // No CloudFront access logs: the standard (legacy) format always carries the viewer's IP
      // address (c-ip, x-forwarded-for) and cannot be limited to some paths, and the citizens who
      // sign are exactly the viewers of /api/statements. API requests are logged by API Gateway
      // without any address (ApiStack.ACCESS_LOG_FORMAT); WAF keeps counts, not requests.
      enableLogging: false,
    });

    new s3deploy.BucketDeployment(this, 'Upload', {
      sources: [s3deploy.Source.asset(props.siteSource)],
      // The console's configuration belongs to the Organisers stack, which writes it after this
      // stack (see CONSOLE_CONFIG_FILE): never uploaded from the build, never pruned.
      exclude: [CONSOLE_CONFIG_FILE],
      destinationBucket: this.siteBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 1024,
    });

    if (!props.siteDomain) {
      // Only reachable with `-c trial=true` (config.ts refuses to synthesise otherwise).
      Annotations.of(this.distribution).addWarningV2(
        'ocs:noCustomDomain',
        'Trial deployment without siteDomain/certificateArn: CloudFront uses its default certificate, which also ' +
          'accepts TLS 1.0/1.1. Never collect real statements on it.',
      );
    }
    const originMismatch = siteOriginMismatch(builtSiteOrigin(props.siteSource), props.siteDomain?.name);
    if (originMismatch) Annotations.of(this).addWarningV2('ocs:siteOriginMismatch', originMismatch);
    this.siteHost = props.siteDomain?.name ?? this.distribution.distributionDomainName;
    new CfnOutput(this, 'SiteUrl', { value: `https://${this.siteHost}`, description: 'The citizen site.' });
    new CfnOutput(this, 'DistributionDomain', {
      value: this.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME/ALIAS) here.',
    });
  }
}
