import { join } from 'node:path';
import { buildOcsApp } from '@ocs/infra/app';
import { loadConfig, REPO_ROOT } from '@ocs/infra/config';
import { assertEuRegion, EU_REGIONS, EuRegionGuard, markEdgeStack } from '@ocs/infra/region';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SITE } from './support';

const configFor = (context: Record<string, string>) =>
  loadConfig(new App({ context: { siteSource: FIXTURE_SITE, trial: 'true', ...context } }).node, {});

describe('EU-only region guard', () => {
  it('accepts exactly the AWS regions inside EU Member States, eu-central-1 by default', () => {
    expect(Object.keys(EU_REGIONS).sort()).toEqual(
      ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'].sort(),
    );
    expect(configFor({}).region).toBe('eu-central-1');
    expect(configFor({ region: 'eu-west-3' }).region).toBe('eu-west-3');
  });

  it.each([
    ['us-east-1'],
    ['eu-west-2'], // London: not in the EU
    ['eu-central-2'], // Zurich: not in the EU
    ['ap-southeast-1'],
  ])('refuses %s with a clear error naming the allowed regions', (region) => {
    expect(() => configFor({ region })).toThrow(
      new RegExp(
        `'${region}', which is not an AWS region inside the European Union.*eu-central-1 \\(Frankfurt, Germany\\)`,
      ),
    );
  });

  it('refuses an environment-agnostic region (a token) as well', () => {
    expect(() => assertEuRegion(new Stack().region)).toThrow(/not an AWS region inside the European Union/);
  });

  it('puts every stack but the edge ACL in the configured EU region, and refuses at synthesis one added elsewhere', () => {
    const app = new App({
      context: { siteSource: FIXTURE_SITE, trial: 'true', 'aws:cdk:bundling-stacks': [] },
    });
    const stacks = buildOcsApp(app, loadConfig(app.node, { CDK_DEFAULT_ACCOUNT: '123456789012' }), {
      nag: false,
    });
    const regions = Object.entries(stacks).map(([name, stack]) => [name, stack.region]);
    expect(regions.filter(([name]) => name !== 'edge').every(([, region]) => region === 'eu-central-1')).toBe(
      true,
    );
    expect(stacks.edge.region).toBe('us-east-1');
    const rogue = new Stack(app, 'rogue', { env: { region: 'us-west-2', account: '123456789012' } });
    new s3.Bucket(rogue, 'Data');
    expect(() => app.synth()).toThrow(/the region of stack rogue is 'us-west-2'/);
  });

  it('refuses anything but the web ACL in the us-east-1 edge stack', () => {
    const app = new App();
    const edge = new Stack(app, 'edge', { env: { region: 'us-east-1', account: '123456789012' } });
    markEdgeStack(edge);
    new s3.Bucket(edge, 'Data');
    expect(() => new EuRegionGuard().visit(edge)).toThrow(/AWS::S3::Bucket.*may not be created in us-east-1/);
  });
});

describe('Operator configuration (CDK context)', () => {
  it('validates the initiative file with the shared schema and names each problem', () => {
    const path = join(REPO_ROOT, 'test/fixtures/infra/initiative.invalid.json');
    expect(() => configFor({ initiativeConfig: path })).toThrow(
      /initiative.invalid.json is invalid:\n {2}- id: /,
    );
    expect(() => configFor({ initiativeConfig: path })).toThrow(/registerUrl/);
  });

  it('says where to start when the initiative file is missing', () => {
    expect(() => configFor({ initiativeConfig: 'no/such/initiative.json' })).toThrow(
      /Initiative configuration not found at .*no\/such\/initiative.json\. Copy infra\/config\/initiative.example.json/,
    );
  });

  it('takes the initiative id for the encryption contexts from the file', () => {
    expect(configFor({}).initiative.id).toBe('demo-initiative');
  });

  it('requires the custom domain and its certificate together, the certificate in us-east-1', () => {
    expect(() => configFor({ siteDomain: 'sign.example.eu' })).toThrow(/go together/);
    expect(() =>
      configFor({
        siteDomain: 'sign.example.eu',
        certificateArn:
          'arn:aws:acm:eu-central-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      }),
    ).toThrow(/must be an ACM certificate in us-east-1/);
  });

  it('rejects a malformed number instead of silently using a default', () => {
    expect(() => configFor({ submitConcurrency: 'lots' })).toThrow(/submitConcurrency' must be an integer/);
  });

  it('explains how to get the site build when it is missing', () => {
    const app = new App({
      context: { siteSource: 'no/such/build', trial: 'true', 'aws:cdk:bundling-stacks': [] },
    });
    expect(() => buildOcsApp(app, loadConfig(app.node, {}), { nag: false })).toThrow(
      /Run `npm run build:web` first/,
    );
  });
});
