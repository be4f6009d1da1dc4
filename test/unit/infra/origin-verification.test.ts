import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ORIGIN_VERIFY } from '@ocs/functions/config/env-names';
import { ORIGIN_IDENTITY_SOURCE } from '@ocs/infra/stacks/api-stack';
import { ADMIN_PATH_PREFIX, routeKey, routesFor } from '@ocs/shared/contract/routes';
import type { DefaultStackSynthesizer } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allTemplates,
  iamStatements,
  keyLogicalIds,
  keyPolicy,
  only,
  resourcesOf,
  type Statement,
  SYNTH_TIMEOUT,
  type Synthesised,
  synthOcs,
} from './support';

/**
 * The execute-api endpoint is public and HTTP APIs cannot carry a WAF web ACL. These tests prove
 * the gap is closed by construction: CloudFront sends a deploy-time secret in an origin header, and
 * a Lambda authorizer on every citizen route admits only requests that carry it.
 */
let synth: Synthesised;
let ids: ReturnType<typeof keyLogicalIds>;
beforeAll(() => {
  synth = synthOcs();
  ids = keyLogicalIds(synth);
}, SYNTH_TIMEOUT);

const originSecretExport = () =>
  `ocs-secrets:ExportsOutputRef${synth.stacks.secrets.getLogicalId(
    synth.stacks.secrets.originSecret.node.defaultChild as import('aws-cdk-lib').CfnElement,
  )}`;

/** `arn:${AWS::Partition}:iam::<account>:role/cdk-hnb659fds-cfn-exec-role-<account>-<region>` of the Site stack. */
const siteExecutionRole = () =>
  (synth.stacks.site.synthesizer as DefaultStackSynthesizer).cloudFormationExecutionRoleArn;

type Origin = { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] };
type Behavior = { PathPattern?: string; TargetOriginId: string };
const distributionConfig = () =>
  only(synth.templates.site, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as {
    Origins: Origin[];
    CacheBehaviors: Behavior[];
    DefaultCacheBehavior: Behavior;
  };

describe('Origin verification: the API admits only what CloudFront sent', () => {
  it('puts the origin authorizer on every citizen route', () => {
    const authorizerId = resourcesOf(synth.templates.api, 'AWS::ApiGatewayV2::Authorizer')[0]?.[0];
    const routes = resourcesOf(synth.templates.api, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      routesFor('public').map(routeKey).sort(),
    );
    for (const [, route] of routes) {
      expect(route.Properties, String(route.Properties.RouteKey)).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
      });
    }
  });

  it('leaves no route of the API without an authorizer (admin routes carry the JWT authorizer)', () => {
    for (const [name, template] of Object.entries(synth.templates)) {
      for (const [id, route] of resourcesOf(template, 'AWS::ApiGatewayV2::Route')) {
        const type = route.Properties.AuthorizationType;
        expect(type === 'CUSTOM' || type === 'JWT', `${name}/${id}`).toBe(true);
        if (type === 'JWT') expect(String(route.Properties.RouteKey)).toContain(` ${ADMIN_PATH_PREFIX}`);
      }
    }
  });

  it('is a Lambda REQUEST authorizer (payload 2.0, simple responses) on the origin header, cached 300 s', () => {
    const authorizer = only(synth.templates.api, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [`$request.header.${ORIGIN_VERIFY.header}`],
      AuthorizerResultTtlInSeconds: 300,
    });
    expect(ORIGIN_IDENTITY_SOURCE).toBe('$request.header.x-ocs-origin-verify');
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toMatch(/VerifyOriginFunction/);
  });

  it('lets API Gateway invoke the authorizer function for this authorizer only', () => {
    const permissions = resourcesOf(synth.templates.api, 'AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes('VerifyOriginFunction'),
    );
    expect(permissions).toHaveLength(1);
    const authorizerId = resourcesOf(synth.templates.api, 'AWS::ApiGatewayV2::Authorizer')[0]?.[0];
    expect(permissions[0]?.[1].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', expect.arrayContaining(['/authorizers/', { Ref: authorizerId }])] },
    });
  });

  it("sends the header from CloudFront's API origin, its value a Secrets Manager dynamic reference to the origin secret", () => {
    const config = distributionConfig();
    const apiOrigins = config.Origins.filter((o) => o.OriginCustomHeaders);
    expect(apiOrigins).toHaveLength(1);
    expect(apiOrigins[0]?.OriginCustomHeaders).toEqual([
      {
        HeaderName: ORIGIN_VERIFY.header,
        HeaderValue: {
          'Fn::Join': [
            '',
            [
              '{{resolve:secretsmanager:',
              { 'Fn::ImportValue': expect.stringMatching(`^${originSecretExport()}`) },
              ':SecretString:::}}',
            ],
          ],
        },
      },
    ]);
    // Every /api/* behaviour goes to that origin; the static site's origin gets no header.
    const apiBehaviors = config.CacheBehaviors.filter((b) => b.PathPattern?.startsWith('/api/'));
    expect(apiBehaviors.map((b) => b.PathPattern).sort()).toEqual([
      '/api/*',
      '/api/admin/*',
      '/api/progress',
    ]);
    for (const b of apiBehaviors) expect(b.TargetOriginId, b.PathPattern).toBe(apiOrigins[0]?.Id);
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(apiOrigins[0]?.Id);
  });

  it('puts no secret value anywhere in the synthesised output: only the one dynamic reference, no SecretString', () => {
    for (const [name, template] of Object.entries(allTemplates(synth))) {
      const json = JSON.stringify(template);
      expect(json, name).not.toMatch(/"SecretString"/);
      // Secure references only: CDK's cross-region reader of the web ACL ARN uses a plain `ssm` one.
      const references = json.match(/\{\{resolve:(secretsmanager|ssm-secure):/g) ?? [];
      expect(references, name).toEqual(name === 'site' ? ['{{resolve:secretsmanager:'] : []);
    }
    // Beyond the templates: manifests, asset staging. Only the Site template holds the
    // reference, and tree.json, CDK's record of the construct tree, which repeats the template's properties.
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const holders = files(synth.app.outdir)
      .filter((path) => statSync(path).size < 20_000_000)
      .filter((path) => readFileSync(path, 'utf8').includes('{{resolve:secretsmanager:'))
      .map((path) => path.slice(synth.app.outdir.length + 1));
    expect(holders.sort()).toEqual([`${synth.stacks.site.artifactId}.template.json`, 'tree.json']);
  });

  it('generates the origin secret at deploy time: a recipe, 64 letters and digits, no value', () => {
    const secret = resourcesOf(synth.templates.secrets, 'AWS::SecretsManager::Secret').find(([id]) =>
      id.startsWith('OriginVerifySecret'),
    )?.[1];
    expect(secret?.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });
});

describe('Origin verification: who may read the origin secret', () => {
  it("lets only the authorizer's role and CloudFormation's execution role read it (resource policy)", () => {
    const policy = resourcesOf(synth.templates.secrets, 'AWS::SecretsManager::ResourcePolicy').find(([, p]) =>
      JSON.stringify(p.Properties.SecretId).includes('OriginVerifySecret'),
    )?.[1];
    if (!policy) throw new Error('no resource policy on the origin secret');
    const statements = (policy.Properties.ResourcePolicy as { Statement: Statement[] }).Statement;
    // Reading is refused to all but the readers; changing it to all but the deploy role (hardening tests).
    expect(statements.map((s) => s.Sid)).toEqual([
      'OnlyTheNamedReadersMayReadTheValue',
      'OnlyTheDeployRoleMayChangeTheSecret',
    ]);
    expect(statements.every((s) => s.Effect === 'Deny')).toBe(true);
    const deny = statements[0];
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'secretsmanager:GetSecretValue',
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': [
            { 'Fn::ImportValue': expect.stringMatching(/VerifyOriginRole/) },
            { 'Fn::Sub': siteExecutionRole() },
          ],
        },
      },
    });
    // The role named is the one that deploys the Site stack, where the dynamic reference is resolved.
    expect(siteExecutionRole()).toMatch(
      /^arn:\$\{AWS::Partition\}:iam::123456789012:role\/cdk-[a-z0-9]+-cfn-exec-role-123456789012-eu-central-1$/,
    );
  });

  it('lets only those two decrypt it, and only through Secrets Manager (key policy of its own key)', () => {
    const statements = keyPolicy(synth, ids.originKey);
    const decrypt = statements.filter(
      (s) => s.Effect === 'Allow' && [s.Action].flat().some((a) => /^kms:(Decrypt|\*)$/.test(a)),
    );
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0]).toMatchObject({
      Principal: {
        AWS: [
          { 'Fn::GetAtt': [expect.stringMatching(/^VerifyOriginRole/), 'Arn'] },
          { 'Fn::Sub': siteExecutionRole() },
        ],
      },
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
    });
    expect(statements.find((s) => s.Sid === 'DenyDecryptOutsideSecretsManager')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
    });
  });

  it("gives the authorizer's role no way to the HMAC secrets or any other key", () => {
    for (const id of [ids.dataKey, ids.secretsKey, ids.storageKey]) {
      expect(JSON.stringify(keyPolicy(synth, id)), id).not.toMatch(/VerifyOriginRole|cfn-exec-role/);
    }
    for (const [id, policy] of resourcesOf(synth.templates.secrets, 'AWS::SecretsManager::ResourcePolicy')) {
      if (id.startsWith('OriginVerifySecret')) continue;
      // The HMAC secrets name the deploy role only as the one principal that may change them.
      const readers = (policy.Properties.ResourcePolicy as { Statement: Statement[] }).Statement.filter(
        (s) => s.Sid !== 'OnlyTheDeployRoleMayChangeTheSecret',
      );
      expect(JSON.stringify(readers), id).not.toMatch(/VerifyOriginRole|cfn-exec-role/);
    }
    const grants = iamStatements(synth).filter(
      ({ policy, statement }) =>
        statement.Effect === 'Allow' && JSON.stringify(policy.Properties.Roles).includes('VerifyOriginRole'),
    );
    const resources = grants
      .filter(({ statement }) => !String(statement.Action).startsWith('logs:'))
      .map(({ statement }) => JSON.stringify(statement.Resource));
    // GetSecretValue on the origin secret and kms:Decrypt on the origin key; nothing else but its logs.
    expect(resources).toHaveLength(2);
    for (const resource of resources) expect(resource).toMatch(/OriginVerifySecret|OriginVerifyKey/);
  });

  it("gives the origin secret to no function but the authorizer (no other role's IAM names it)", () => {
    const readers = iamStatements(synth)
      .filter(({ statement }) => JSON.stringify(statement.Resource).includes('OriginVerify'))
      .map(({ policy }) => JSON.stringify(policy.Properties.Roles));
    expect(readers.length).toBeGreaterThan(0);
    for (const roles of readers) expect(roles).toMatch(/VerifyOriginRole/);
  });
});
