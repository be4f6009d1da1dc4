import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, only, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

/** A trial deployment: no custom domain, so the CloudFront domain is only known at deploy time. */
let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs({ nag: true, context: { siteDomain: '', certificateArn: '' } });
}, SYNTH_TIMEOUT);

describe('Without a custom domain', () => {
  it('configures no CORS at all: only the site itself (same origin through CloudFront) can read the API', () => {
    const api = only(synth.templates.api, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it("derives the console's callback URLs from the distribution's own domain", () => {
    const client = only(synth.templates.organisers, 'AWS::Cognito::UserPoolClient');
    const callback = JSON.stringify(client.Properties.CallbackURLs);
    expect(callback).toContain('https://');
    expect(callback).toMatch(/ExportsOutputFnGetAttDistribution[A-Za-z0-9]*DomainName/);
    expect(callback).toContain('/console/callback');
  });

  it('warns that TLS 1.2 cannot be enforced, and still passes cdk-nag with that one reasoned acknowledgement', () => {
    const warnings = synth.stacks.site.distribution.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(JSON.stringify(warnings)).toMatch(/also accepts TLS 1\.0\/1\.1/);
    expect(nagFindings(synth.app)).toEqual([]);
  });
});
