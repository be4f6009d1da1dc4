import { createHash } from 'node:crypto';
import { inlineScriptHashes, siteContentSecurityPolicy } from '@ocs/infra/csp';
import { MANAGED_RULE_GROUPS, RATE_LIMITED_BODY } from '@ocs/infra/stacks/edge-stack';
import { siteLayout, uriRewriteFunction } from '@ocs/infra/stacks/site-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_SITE,
  PRODUCTION_CONTEXT,
  resourcesOf,
  SYNTH_TIMEOUT,
  type Synthesised,
  synthOcs,
} from './support';

type Behavior = Record<string, unknown> & { PathPattern?: string; ResponseHeadersPolicyId: unknown };
type Headers = {
  SecurityHeadersConfig: Record<string, Record<string, unknown>>;
  CustomHeadersConfig?: { Items: { Header: string; Value: string }[] };
};

let synth: Synthesised;
let distribution: Record<string, unknown> & {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Record<string, unknown>[];
};
let headersPolicies: Record<string, Headers>;

beforeAll(() => {
  synth = synthOcs();
  distribution = resourcesOf(synth.templates.site, 'AWS::CloudFront::Distribution')[0]?.[1].Properties
    .DistributionConfig as typeof distribution;
  headersPolicies = Object.fromEntries(
    resourcesOf(synth.templates.site, 'AWS::CloudFront::ResponseHeadersPolicy').map(([id, r]) => [
      id,
      r.Properties.ResponseHeadersPolicyConfig as Headers,
    ]),
  );
}, SYNTH_TIMEOUT);

const behavior = (path: string) => {
  const found = distribution.CacheBehaviors.find((b) => b.PathPattern === path);
  if (!found) throw new Error(`no behaviour ${path}`);
  return found;
};
const headersOf = (b: Behavior) => {
  const ref = (b.ResponseHeadersPolicyId as { Ref: string }).Ref;
  const policy = headersPolicies[ref];
  if (!policy) throw new Error(`no headers policy ${ref}`);
  return policy;
};
const cspOf = (b: Behavior) =>
  headersOf(b).SecurityHeadersConfig.ContentSecurityPolicy?.ContentSecurityPolicy as string;
const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe('Site stack: CloudFront', () => {
  it('serves the site bucket through origin access control only (no OAI, no public bucket)', () => {
    expect(resourcesOf(synth.templates.site, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    expect(resourcesOf(synth.templates.site, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(
      0,
    );
    const s3Origin = distribution.Origins.find((o) => o.S3OriginConfig);
    expect(s3Origin?.OriginAccessControlId).toBeDefined();
    const policies = resourcesOf(synth.templates.site, 'AWS::S3::BucketPolicy').flatMap(
      ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    expect(policies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
        }),
      ]),
    );
    for (const [, bucket] of resourcesOf(synth.templates.site, 'AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toMatchObject({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('accepts viewers on TLS 1.2 or later only (custom domain, SNI, TLSv1.2_2021) and redirects HTTP', () => {
    expect(distribution.ViewerCertificate).toEqual({
      AcmCertificateArn: PRODUCTION_CONTEXT.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(distribution.Aliases).toEqual([PRODUCTION_CONTEXT.siteDomain]);
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behavior('/api/*').ViewerProtocolPolicy).toBe('https-only');
  });

  it('routes /api/* to the HTTP API over TLS 1.2, uncached, all methods, without forwarding Host', () => {
    const api = behavior('/api/*');
    const origin = distribution.Origins.find((o) => o.Id === api.TargetOriginId);
    expect(origin).toMatchObject({
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', expect.anything()] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(api).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
  });

  it('orders the API behaviours so admin and progress rules win over the /api/* catch-all', () => {
    const paths = distribution.CacheBehaviors.map((b) => b.PathPattern);
    expect(paths.indexOf('/api/admin/*')).toBeLessThan(paths.indexOf('/api/*'));
    expect(paths.indexOf('/api/progress')).toBeLessThan(paths.indexOf('/api/*'));
  });

  it('sends HSTS (two years, subdomains, preload), nosniff and a same-origin referrer policy on every behaviour', () => {
    for (const b of [distribution.DefaultCacheBehavior, ...distribution.CacheBehaviors]) {
      const security = headersOf(b).SecurityHeadersConfig;
      expect(security.StrictTransportSecurity).toEqual({
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Preload: true,
        Override: true,
      });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    }
  });

  it("forbids inline scripts except the site build's own, hashed at synthesis (no 'unsafe-inline', no 'unsafe-eval')", () => {
    const csp = cspOf(distribution.DefaultCacheBehavior);
    const scripts = directive(csp, 'script-src');
    expect(scripts).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    const fixtureScript = '\n      window.__fixture = { started: true };\n    ';
    const hash = createHash('sha256').update(fixtureScript).digest('base64');
    expect(scripts).toContain(`'sha256-${hash}'`);
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
  });

  it('forbids framing of the site (frame-ancestors none, X-Frame-Options DENY)', () => {
    expect(directive(cspOf(distribution.DefaultCacheBehavior), 'frame-ancestors')).toBe(
      "frame-ancestors 'none'",
    );
    expect(headersOf(distribution.DefaultCacheBehavior).SecurityHeadersConfig.FrameOptions).toEqual({
      FrameOption: 'DENY',
      Override: true,
    });
  });

  it('lets any site frame the embeddable progress widget (/embed/*), and nothing else', () => {
    const embed = behavior('/embed/*');
    expect(directive(cspOf(embed), 'frame-ancestors')).toBe('frame-ancestors *');
    expect(headersOf(embed).SecurityHeadersConfig.FrameOptions).toBeUndefined();
    expect(directive(cspOf(embed), 'script-src')).not.toMatch(/unsafe-inline/);
    for (const b of distribution.CacheBehaviors.filter((x) => x.PathPattern !== '/embed/*')) {
      expect(directive(cspOf(b), 'frame-ancestors'), String(b.PathPattern)).toBe("frame-ancestors 'none'");
    }
  });

  it('allows the pages to call only their own origin and the organisers sign-in domain', () => {
    expect(directive(cspOf(distribution.DefaultCacheBehavior), 'connect-src')).toBe(
      "connect-src 'self' https://ocs-demo-initiative.auth.eu-central-1.amazoncognito.com",
    );
  });

  it('puts the WAF web ACL (from the us-east-1 edge stack) in front of the distribution', () => {
    expect(JSON.stringify(distribution.WebACLId)).toMatch(/WebAcl/);
  });

  it('keeps no CloudFront access log, whose format always records the viewer IP address', () => {
    expect(distribution.Logging).toBeUndefined();
  });

  it('answers on IPv4 only, where the per-client WAF limit counts clients, not addresses of one /64', () => {
    expect(distribution.IPV6Enabled).toBe(false);
  });
});

describe('Edge stack: the WAF web ACL', () => {
  const acl = () =>
    resourcesOf(synth.templates.edge, 'AWS::WAFv2::WebACL')[0]?.[1].Properties as {
      Scope: string;
      Rules: Record<string, unknown>[];
      VisibilityConfig: Record<string, unknown>;
      CustomResponseBodies: Record<string, { Content: string }>;
    };

  it('is a CloudFront-scoped ACL with the AWS managed rule groups', () => {
    expect(acl().Scope).toBe('CLOUDFRONT');
    const managed = acl()
      .Rules.map(
        (r) =>
          (r.Statement as { ManagedRuleGroupStatement?: { Name: string } }).ManagedRuleGroupStatement?.Name,
      )
      .filter(Boolean);
    expect(managed).toEqual([...MANAGED_RULE_GROUPS]);
  });

  it('rate-limits the API per client IP and globally, answering the contract 429 with Retry-After', () => {
    const rateRules = acl().Rules.filter((r) => (r.Statement as Record<string, unknown>).RateBasedStatement);
    expect(rateRules.map((r) => r.Name)).toEqual([
      'api-rate-limit-per-ip',
      'submit-global-rate-limit',
      'api-global-rate-limit',
    ]);
    for (const rule of rateRules) {
      expect(rule.Action).toEqual({
        Block: {
          CustomResponse: {
            ResponseCode: 429,
            CustomResponseBodyKey: 'rate-limited',
            ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
          },
        },
      });
    }
    expect(JSON.parse(acl().CustomResponseBodies['rate-limited']?.Content ?? '{}')).toEqual({
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    expect(JSON.parse(RATE_LIMITED_BODY).error.code).toBe('rate_limited');
  });

  it('starts the global limits below API Gateway throttling, so clients meet the contract body first', () => {
    const limitOf = (name: string) =>
      (
        acl().Rules.find((r) => r.Name === name)?.Statement as
          | { RateBasedStatement: { Limit: number } }
          | undefined
      )?.RateBasedStatement.Limit;
    expect(limitOf('api-global-rate-limit')).toBeLessThan(1000 * 60);
    expect(limitOf('submit-global-rate-limit')).toBeLessThan(500 * 60);
  });

  it('keeps no sampled requests (they would copy client IPs outside the EU)', () => {
    expect(acl().VisibilityConfig.SampledRequestsEnabled).toBe(false);
    for (const rule of acl().Rules) {
      expect((rule.VisibilityConfig as Record<string, unknown>).SampledRequestsEnabled).toBe(false);
    }
  });

  it('is the only thing deployed outside the EU (the edge stack holds the web ACL and its export only)', () => {
    const types = new Set(
      Object.values(synth.templates.edge.toJSON().Resources).map((r) => (r as { Type: string }).Type),
    );
    // The web ACL, plus CDK's writer that hands its ARN to the Site stack (SSM in the EU region).
    const allowed = [
      'AWS::CDK::Metadata',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::WAFv2::WebACL',
      'Custom::CrossRegionExportWriter',
    ];
    for (const type of types) expect(allowed).toContain(type);
    expect(types.has('AWS::WAFv2::WebACL')).toBe(true);
    expect(synth.stacks.edge.region).toBe('us-east-1');
  });
});

describe('Content-Security-Policy helpers', () => {
  it('hashes executable inline scripts only (not src= scripts, not JSON data blocks)', () => {
    const hashes = inlineScriptHashes(FIXTURE_SITE);
    expect(hashes).toHaveLength(2);
    for (const h of hashes) expect(h).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
  });

  it('refuses a policy longer than CloudFront accepts, naming the cause', () => {
    const many = Array.from({ length: 40 }, (_, i) => `'sha256-${'A'.repeat(43)}${i}'`);
    expect(() =>
      siteContentSecurityPolicy({ scriptHashes: many, frameAncestors: "'none'", connectSources: [] }),
    ).toThrow(/over CloudFront's limit/);
  });

  it('maps clean URLs to the static files of the build, in either SvelteKit layout', () => {
    const rewriter = (layout: 'directory' | 'file') => {
      const handler = new Function(`${uriRewriteFunction(layout)}; return handler;`)() as (e: unknown) => {
        uri: string;
      };
      return (u: string) => handler({ request: { uri: u } }).uri;
    };
    const directory = rewriter('directory');
    expect(directory('/')).toBe('/index.html');
    expect(directory('/fr/sign')).toBe('/fr/sign/index.html');
    expect(directory('/fr/sign/')).toBe('/fr/sign/index.html');
    expect(directory('/_app/start.js')).toBe('/_app/start.js');
    const file = rewriter('file');
    expect(file('/fr/sign')).toBe('/fr/sign.html');
    expect(file('/fr/')).toBe('/fr/index.html');
    expect(siteLayout(FIXTURE_SITE)).toBe('directory');
  });

  it('deploys the rewrite that matches the build (directory layout for the fixture)', () => {
    const [[, fn]] = resourcesOf(synth.templates.site, 'AWS::CloudFront::Function') as [
      [string, { Properties: { FunctionCode: string } }],
    ];
    expect(fn.Properties.FunctionCode).toBe(uriRewriteFunction('directory'));
  });
});
