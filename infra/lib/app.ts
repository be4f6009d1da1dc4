import { type App, Aspects, CfnOutput, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { assertCustomDomainOrTrial, type OcsConfig } from './config';
import { applyNagSuppressions } from './nag';
import { EDGE_REGION, EuRegionGuard } from './region';
import { ApiStack } from './stacks/api-stack';
import { ComputeStack } from './stacks/compute-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeStack } from './stacks/edge-stack';
import { KeysStack } from './stacks/keys-stack';
import { OperationsStack } from './stacks/operations-stack';
import { authOrigin, OrganisersStack } from './stacks/organisers-stack';
import { SecretsStack } from './stacks/secrets-stack';
import { SiteStack } from './stacks/site-stack';

export interface OcsStacks {
  readonly keys: KeysStack;
  readonly data: DataStack;
  readonly secrets: SecretsStack;
  readonly compute: ComputeStack;
  readonly api: ApiStack;
  readonly edge: EdgeStack;
  readonly site: SiteStack;
  readonly organisers: OrganisersStack;
  readonly operations: OperationsStack;
}

/**
 * CDK feature flags the app relies on (also in cdk.json). S3 server access logs are granted by
 * bucket policy instead of ACLs; buckets get the default logging-delivery policy.
 */
export const FEATURE_FLAGS = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface BuildOptions {
  /** Register cdk-nag's AwsSolutionsChecks as a validation plugin (findings fail synthesis). Default true. */
  readonly nag?: boolean;
}

/**
 * The whole environment, in deployment order. Stateful stacks (keys, data, secrets) are apart
 * from stateless ones and carry termination protection; props between stacks are typed.
 */
export function buildOcsApp(app: App, config: OcsConfig, options: BuildOptions = {}): OcsStacks {
  assertCustomDomainOrTrial(config);
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const prefix = config.deploymentName;
  const env = { account: config.account, region: config.region };
  const stateful = { env, terminationProtection: config.terminationProtection };
  const initiativeId = config.initiative.id;

  Aspects.of(app).add(new EuRegionGuard());
  Tags.of(app).add('ocs:deployment', prefix);
  Tags.of(app).add('ocs:initiative', initiativeId);

  const keys = new KeysStack(app, `${prefix}-keys`, {
    ...stateful,
    description:
      'OCS keys: statement envelope key, secrets key, storage key, export key, and the roles they name.',
    initiativeId,
    deploymentName: prefix,
  });
  const data = new DataStack(app, `${prefix}-data`, {
    ...stateful,
    description: 'OCS data: the table and the export bucket.',
    initiative: config.initiative,
    storageKey: keys.storageKey,
    exportKey: keys.exportKey,
    exportRetentionDays: config.exportRetentionDays,
    exportAccess: {
      writers: [keys.roles.exportStatements, keys.roles.exportEmails],
      discarders: [keys.roles.getExport, keys.roles.listExports],
      readers: [keys.roles.createExportDownload],
      // The destruction job: every version of every export file, on the legal day.
      deleters: [keys.roles.runRetention],
    },
  });
  const secrets = new SecretsStack(app, `${prefix}-secrets`, {
    ...stateful,
    description:
      'OCS secrets: dedup and challenge HMAC secrets, origin-verification secret, generated at deploy time.',
    secretsKey: keys.secretsKey,
    originKey: keys.originKey,
    dedupReaders: [keys.roles.submitStatement],
    challengeReaders: [keys.roles.submitStatement, keys.roles.getChallenge, keys.roles.withdrawStatement],
    originReaders: [keys.roles.verifyOrigin],
  });
  const compute = new ComputeStack(app, `${prefix}-compute`, {
    env,
    description: 'OCS functions.',
    initiativeId,
    deploymentName: prefix,
    roles: keys.roles,
    table: data.table,
    storageKey: keys.storageKey,
    dataKey: keys.dataKey,
    secretsKey: keys.secretsKey,
    dedupSecret: secrets.dedupSecret,
    challengeSecret: secrets.challengeSecret,
    originSecret: secrets.originSecret,
    originKey: keys.originKey,
    exportBucket: data.exportBucket,
    exportKey: keys.exportKey,
    submitConcurrency: config.submitConcurrency,
    counterShards: config.counterShards,
  });
  const api = new ApiStack(app, `${prefix}-api`, {
    env,
    description: 'OCS HTTP API.',
    functions: compute.functions,
    originAuthorizer: compute.originAuthorizer,
    siteOrigin: config.siteDomain ? `https://${config.siteDomain.name}` : undefined,
    throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
    submitThrottle: { rateLimit: config.submitRateLimit, burstLimit: config.submitBurstLimit },
  });
  const edge = new EdgeStack(app, `${prefix}-edge`, {
    env: { account: config.account, region: EDGE_REGION },
    crossRegionReferences: true,
    description: 'OCS CloudFront web ACL (us-east-1 by CloudFront requirement; no personal data).',
    rateLimit: config.wafRateLimit,
    apiRateLimit: config.apiRateLimit,
    submitRateLimit: config.submitRateLimit,
  });
  const site = new SiteStack(app, `${prefix}-site`, {
    env,
    crossRegionReferences: true,
    description: 'OCS citizen site: CloudFront, static build, security headers.',
    siteSource: config.siteSource,
    apiDomain: api.apiDomain,
    originSecret: secrets.originSecret,
    webAclArn: edge.webAcl.attrArn,
    siteDomain: config.siteDomain,
    authOrigin: authOrigin(config.authDomainPrefix, config.region),
  });
  const organisers = new OrganisersStack(app, `${prefix}-organisers`, {
    env,
    description: 'OCS organisers: Cognito user pool, console client, admin API authorizer.',
    httpApi: api.httpApi,
    functions: compute.functions,
    siteHost: site.siteHost,
    authDomainPrefix: config.authDomainPrefix,
    consoleCallbackPath: config.consoleCallbackPath,
    consoleSignOutPath: config.consoleSignOutPath,
    initiativeId,
    deploymentName: prefix,
    siteBucket: site.siteBucket,
    distribution: site.distribution,
  });
  const operations = new OperationsStack(app, `${prefix}-operations`, {
    env,
    description: 'OCS operations: alarms, audit trail.',
    functions: compute.functions,
    originAuthorizer: compute.originAuthorizer,
    retentionJob: compute.retentionJob,
    submitConcurrency: config.submitConcurrency,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    httpApi: api.httpApi,
    table: data.table,
    watchedKeys: [keys.dataKey, keys.secretsKey, keys.storageKey, keys.originKey, keys.exportKey],
    topicKey: keys.storageKey,
    alarmEmail: config.alarmEmail,
  });

  new CfnOutput(api, 'ApiEndpoint', {
    value: api.httpApi.apiEndpoint,
    description:
      'Direct API endpoint, for diagnosis only: citizen routes refuse requests that did not come through CloudFront ' +
      '(401/403); browsers use the site URL + /api.',
  });

  const stacks: OcsStacks = { keys, data, secrets, compute, api, edge, site, organisers, operations };
  if (options.nag ?? true) {
    applyNagSuppressions(stacks, config);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  return stacks;
}
