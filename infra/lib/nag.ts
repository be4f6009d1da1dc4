import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { OcsStacks } from './app';
import type { OcsConfig } from './config';

/** One acknowledged cdk-nag finding: where, which rule (or rule[finding]), and why. */
export interface NagSuppression {
  readonly construct: IConstruct;
  readonly ids: readonly string[];
  readonly reason: string;
}

function child(scope: IConstruct, predicate: (c: IConstruct) => boolean, what: string): IConstruct {
  const found = scope.node.children.find(predicate);
  if (!found) throw new Error(`cdk-nag suppression target not found: ${what} in ${scope.node.path}`);
  return found;
}

function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild ?? construct;
  if (!CfnResource.isCfnResource(resource))
    throw new Error(`${construct.node.path} is not a CloudFormation resource`);
  return Stack.of(resource).getLogicalId(resource);
}

/**
 * Every cdk-nag (AwsSolutions) finding the app acknowledges, each with its reason. Most concern
 * the Lambda functions that CDK itself provides (BucketDeployment, AwsCustomResource), whose
 * roles and runtimes are CDK's; the others are decisions of this design, explained inline.
 */
export function nagSuppressions(stacks: OcsStacks, config: OcsConfig): NagSuppression[] {
  const { site, data, secrets } = stacks;

  // CDK's BucketDeployment provider: a singleton function at the stack root.
  const deployment = child(
    site,
    (c) => c.node.id.startsWith('Custom::CDKBucketDeployment'),
    'BucketDeployment provider',
  );
  const account = config.account ?? '<AWS::AccountId>';
  const assetBucket = `arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${config.region}/*`;
  // CDK's AwsCustomResource provider (initiative seed): a singleton function at the stack root.
  const seedProvider = child(
    data,
    (c) => c.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    'AwsCustomResource provider',
  );

  // The Organisers stack writes the console's configuration into the same bucket with its own
  // BucketDeployment provider; it reaches the bucket through the Site stack's export.
  const consoleConfigDeployment = child(
    stacks.organisers,
    (c) => c.node.id.startsWith('Custom::CDKBucketDeployment'),
    'BucketDeployment provider (console configuration)',
  );
  const imported = Stack.of(stacks.organisers).resolve(site.exportValue(site.siteBucket.bucketArn)) as {
    'Fn::ImportValue': string;
  };

  return [
    ...bucketDeploymentSuppressions(
      deployment,
      assetBucket,
      `<${logicalId(stacks.site.siteBucket)}.Arn>/*`,
      'the static site',
    ),
    ...bucketDeploymentSuppressions(
      consoleConfigDeployment,
      assetBucket,
      `${imported['Fn::ImportValue']}/*`,
      "the console's configuration file",
    ),
    {
      construct: seedProvider,
      ids: [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ],
      reason:
        "CDK's AwsCustomResource provider uses the AWS managed basic execution policy (CloudWatch Logs only); its one data " +
        'permission is the inline PutItem on the initiative item.',
    },
    {
      construct: secrets.dedupSecret,
      ids: ['AwsSolutions-SMG4'],
      reason:
        'The dedup HMAC secret must stay the same for the whole collection: rotating it would make every later signature ' +
        'unmatchable against earlier ones, so duplicates would be counted. It is destroyed with the data.',
    },
    {
      construct: secrets.challengeSecret,
      ids: ['AwsSolutions-SMG4'],
      reason:
        'The ALTCHA signing secret protects challenges that expire within 10 minutes; rotation would need a rotation ' +
        'function and a dual-key window in the handlers for little gain. Redeploying with a new secret is the documented ' +
        'procedure if it is ever exposed.',
    },
    {
      construct: secrets.originSecret,
      ids: ['AwsSolutions-SMG4'],
      reason:
        'The origin-verification secret reaches CloudFront through a dynamic reference that CloudFormation resolves only ' +
        'when it updates the distribution, and the authorizer caches it per cold start: an automatic rotation would ' +
        'lock CloudFront out of the API. Replacing it is a documented manual procedure (docs/architecture.md).',
    },
    ...(config.siteDomain
      ? []
      : [
          {
            construct: site.distribution,
            ids: ['AwsSolutions-CFR4'],
            reason:
              'Trial deployment (`-c trial=true`) without a custom domain: the default *.cloudfront.net certificate cannot ' +
              'enforce TLS 1.2. Without trial=true, synthesis refuses to run until siteDomain and certificateArn are set ' +
              '(they enforce TLSv1.2_2021).',
          },
        ]),
    {
      construct: site.distribution,
      ids: ['AwsSolutions-CFR3'],
      reason:
        "CloudFront's standard access logs always record the viewer's IP address and cannot be limited to some paths; " +
        'the viewers of /api/statements are the citizens who sign. API requests are logged by API Gateway without any ' +
        'address, and WAF keeps request counts (docs/architecture.md).',
    },
    {
      construct: site.distribution,
      ids: ['AwsSolutions-CFR1'],
      reason:
        'EU citizens living anywhere in the world may sign; a geographic restriction would exclude them.',
    },
  ];
}

/** The findings CDK's BucketDeployment provider raises, acknowledged on one provider. */
function bucketDeploymentSuppressions(
  deployment: IConstruct,
  assetBucket: string,
  target: string,
  what: string,
): NagSuppression[] {
  return [
    {
      construct: deployment,
      ids: [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ],
      reason:
        "CDK's BucketDeployment provider uses the AWS managed basic execution policy (CloudWatch Logs only); it holds no data permission.",
    },
    {
      construct: deployment,
      ids: [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        `AwsSolutions-IAM5[Resource::${assetBucket}]`,
        `AwsSolutions-IAM5[Resource::${target}]`,
        'AwsSolutions-IAM5[Resource::*]',
      ],
      reason:
        `CDK's BucketDeployment provider copies ${what} from CDK's asset bucket into the site bucket and invalidates ` +
        'CloudFront; its object wildcards are scoped to those two buckets (public content only), and CloudFront ' +
        'invalidation has no resource-level permission.',
    },
    {
      construct: deployment,
      ids: ['AwsSolutions-L1'],
      reason:
        "CDK's BucketDeployment provider pins its own Python runtime; it runs at deploy time only and is updated with aws-cdk-lib.",
    },
  ];
}

/** Acknowledges every suppression on its construct (CDK Validations; cdk-nag reads them). */
export function applyNagSuppressions(stacks: OcsStacks, config: OcsConfig): NagSuppression[] {
  const suppressions = nagSuppressions(stacks, config);
  for (const { construct, ids, reason } of suppressions) {
    Validations.of(construct).acknowledge(...ids.map((id) => ({ id, reason })));
  }
  return suppressions;
}
