import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { markEdgeStack } from '../region';

export interface EdgeStackProps extends StackProps {
  /** Requests to /api/ per client IP within 5 minutes before WAF answers 429. */
  readonly rateLimit: number;
  /** Requests per second the API stage accepts; WAF's global rule answers 429 below it. */
  readonly apiRateLimit: number;
  /** Requests per second the submit route accepts; WAF's global rule answers 429 below it. */
  readonly submitRateLimit: number;
}

/**
 * Share of API Gateway's throttling rate at which WAF's global rules start answering 429 with the
 * contract body, so that under sustained load clients meet WAF (contract body, Retry-After) before
 * API Gateway (its own body). CloudFront cannot rewrite a 429 (custom error responses do not accept
 * that status), hence this ordering.
 */
export const WAF_GLOBAL_SHARE_OF_API_THROTTLE = 0.8;

/** The contract's 429 body (docs/citizen-api.md), returned by WAF's rate rules. */
export const RATE_LIMITED_BODY = JSON.stringify({
  error: { code: 'rate_limited', message: 'Too many requests. Please wait a moment and try again.' },
});
/** Seconds a throttled client is asked to wait. */
export const RETRY_AFTER_SECONDS = 60;

/**
 * How WAF's path rules see a path before they compare it: percent-decoded, then normalised
 * (`//`, `/./`, `/../` resolved), then lower-cased. API Gateway decodes the path before it
 * routes, so `/api/%73tatements` reaches the submit function: the rules must match what the
 * origin routes, not the bytes the client sent. Lower-casing only widens what the rules count.
 */
export const PATH_TRANSFORMATIONS: wafv2.CfnWebACL.TextTransformationProperty[] = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
  { priority: 2, type: 'LOWERCASE' },
];

/** AWS managed rule groups, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/**
 * The CloudFront web ACL. CloudFront accepts only web ACLs created in us-east-1, so this is the
 * one stack outside the EU; it holds rules and metrics, no personal data. Sampled requests (which
 * would copy client IPs and headers to us-east-1) are switched off, and nothing is logged here.
 */
export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    markEdgeStack(this);

    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: false,
    });

    const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, index) => ({
      name,
      priority: 10 + index,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          // The API itself enforces the contract's 16 KiB limit with a 413; the generic 8 KB body
          // rule would answer a 403 instead, so it only counts.
          ...(name === 'AWSManagedRulesCommonRuleSet'
            ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    }));

    const pathStartsWith = (prefix: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: PATH_TRANSFORMATIONS,
      },
    });
    const methodIs = (method: string): wafv2.CfnWebACL.ByteMatchStatementProperty => ({
      fieldToMatch: { method: {} },
      positionalConstraint: 'EXACTLY',
      searchString: method,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    });
    const perMinuteBelow = (perSecond: number) =>
      Math.max(10, Math.floor(perSecond * 60 * WAF_GLOBAL_SHARE_OF_API_THROTTLE));
    const rateRule = (
      name: string,
      priority: number,
      rateBasedStatement: wafv2.CfnWebACL.RateBasedStatementProperty,
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: 'rate-limited',
            responseHeaders: [{ name: 'Retry-After', value: String(RETRY_AFTER_SECONDS) }],
          },
        },
      },
      statement: { rateBasedStatement },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Online collection system: AWS managed rules, per-IP and global rate limits on the API.',
      visibilityConfig: visibility('ocs-web-acl'),
      customResponseBodies: {
        'rate-limited': { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY },
      },
      rules: [
        rateRule('api-rate-limit-per-ip', 1, {
          aggregateKeyType: 'IP',
          limit: props.rateLimit,
          evaluationWindowSec: 300,
          scopeDownStatement: pathStartsWith('/api/'),
        }),
        rateRule('submit-global-rate-limit', 2, {
          aggregateKeyType: 'CONSTANT',
          limit: perMinuteBelow(props.submitRateLimit),
          evaluationWindowSec: 60,
          scopeDownStatement: {
            andStatement: {
              statements: [pathStartsWith('/api/statements'), { byteMatchStatement: methodIs('POST') }],
            },
          },
        }),
        rateRule('api-global-rate-limit', 3, {
          aggregateKeyType: 'CONSTANT',
          limit: perMinuteBelow(props.apiRateLimit),
          evaluationWindowSec: 60,
          scopeDownStatement: pathStartsWith('/api/'),
        }),
        ...managed,
      ],
    });
  }
}
