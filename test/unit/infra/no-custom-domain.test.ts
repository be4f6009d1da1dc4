import { buildOcsApp } from '@ocs/infra/app';
import { loadConfig } from '@ocs/infra/config';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, only, PRODUCTION_CONTEXT, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

const NO_DOMAIN = { siteDomain: '', certificateArn: '' };

/** A trial deployment: no custom domain, so the CloudFront domain is only known at deploy time. */
let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs({ nag: true, context: { ...NO_DOMAIN, trial: 'true' } });
}, SYNTH_TIMEOUT);

describe('Without a custom domain', () => {
  it('refuses to synthesise unless the deployment is declared a trial, naming the fix', () => {
    const app = new App({ context: { ...PRODUCTION_CONTEXT, ...NO_DOMAIN } });
    expect(() => loadConfig(app.node)).toThrow(/no custom domain.*TLS 1\.0 and 1\.1.*-c trial=true/s);
    // A configuration built some other way cannot slip past either: the app checks it too.
    const config = {
      ...loadConfig(new App({ context: { ...PRODUCTION_CONTEXT } }).node),
      siteDomain: undefined,
    };
    expect(() => buildOcsApp(new App(), config, { nag: false })).toThrow(/no custom domain/);
  });

  it('refuses trial=false explicitly, and accepts a custom domain without trial', () => {
    const trialFalse = new App({ context: { ...PRODUCTION_CONTEXT, ...NO_DOMAIN, trial: 'false' } });
    expect(() => loadConfig(trialFalse.node)).toThrow(/no custom domain/);
    const production = loadConfig(new App({ context: { ...PRODUCTION_CONTEXT } }).node);
    expect(production.trial).toBe(false);
    expect(production.siteDomain?.name).toBe('sign.example.eu');
  });

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

  it('as a trial, warns that TLS 1.2 cannot be enforced, and passes cdk-nag with that one reasoned acknowledgement', () => {
    const warnings = synth.stacks.site.distribution.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(JSON.stringify(warnings)).toMatch(/Trial deployment.*also accepts TLS 1\.0\/1\.1/);
    expect(nagFindings(synth.app)).toEqual([]);
  });
});
