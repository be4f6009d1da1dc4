import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { RECEIPT_INDEX } from '@ocs/functions/adapters/table-keys';
import { TABLE_SCHEMA } from '@ocs/functions/config/env-names';
import { REPO_ROOT } from '@ocs/infra/config';
import { INITIATIVE_ITEM_KEY, seedPutItem } from '@ocs/infra/constructs/initiative-seed';
import {
  DATA_ACCESS_LOG_DAYS,
  EXPORT_DELETION_ACTIONS,
  PITR_RECOVERY_DAYS,
} from '@ocs/infra/stacks/data-stack';
import { initiativeSchema, statementDestructionDeadline } from '@ocs/shared/initiative';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyLogicalIds, only, resourcesOf, SYNTH_TIMEOUT, type Synthesised, synthOcs } from './support';

const initiative = initiativeSchema.parse(
  JSON.parse(readFileSync(join(REPO_ROOT, 'infra/config/initiative.example.json'), 'utf8')),
);

let synth: Synthesised;
beforeAll(() => {
  synth = synthOcs();
}, SYNTH_TIMEOUT);

type Bucket = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const buckets = () => Object.values(synth.templates.data.findResources('AWS::S3::Bucket')) as Bucket[];
const exportBucket = () => {
  const found = buckets().find((b) => JSON.stringify(b.Properties.BucketEncryption).includes('aws:kms'));
  if (!found) throw new Error('export bucket not found');
  return found;
};

describe('Data stack: the table', () => {
  it('uses the shared key schema and the TTL attribute of the functions (expiresAt)', () => {
    synth.templates.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery, deletion protection, and is retained if the stack goes', () => {
    const table = only(synth.templates.data, 'AWS::DynamoDB::GlobalTable');
    const replica = (table.Properties.Replicas as Record<string, unknown>[])[0];
    expect(replica).toMatchObject({
      PointInTimeRecoverySpecification: {
        PointInTimeRecoveryEnabled: true,
        RecoveryPeriodInDays: PITR_RECOVERY_DAYS,
      },
      DeletionProtectionEnabled: true,
      Region: 'eu-central-1',
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('has the sparse receipts index (R#<receipt>): keys and the counter of a statement only, never a ciphertext', () => {
    const table = only(synth.templates.data, 'AWS::DynamoDB::GlobalTable');
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: RECEIPT_INDEX.name,
        KeySchema: [{ AttributeName: RECEIPT_INDEX.partitionKey, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['country', 'cshard', 'cday'] },
      },
    ]);
    expect(table.Properties.AttributeDefinitions).toContainEqual({
      AttributeName: RECEIPT_INDEX.partitionKey,
      AttributeType: 'S',
    });
  });

  it('is encrypted with the customer-managed storage key', () => {
    synth.templates.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          SSESpecification: {
            KMSMasterKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp(keyLogicalIds(synth).storageKey) },
          },
        }),
      ],
    });
  });
});

describe('Data stack: the export bucket', () => {
  it('is encrypted with its own customer-managed export key (bucket key on)', () => {
    expect(exportBucket().Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::ImportValue': expect.stringMatching(keyLogicalIds(synth).exportKey) },
          },
          BucketKeyEnabled: true,
        },
      ],
    });
  });

  it('blocks all public access, enforces bucket-owner objects, versioning, and is retained', () => {
    expect(exportBucket().Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(exportBucket().DeletionPolicy).toBe('Retain');
  });

  it('refuses any request without TLS 1.2 (bucket policy)', () => {
    const policies = Object.values(synth.templates.data.findResources('AWS::S3::BucketPolicy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const denies = statements.filter((s: { Effect: string }) => s.Effect === 'Deny');
    expect(denies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Principal: { AWS: '*' },
        }),
        expect.objectContaining({
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          Principal: { AWS: '*' },
        }),
      ]),
    );
    // Every bucket of the stack (exports and logs) is covered.
    expect(policies).toHaveLength(buckets().length);
  });

  it('names the destruction job, and no one else, in its policy as the deleter of every object version; no read', () => {
    const policy = Object.values(synth.templates.data.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p.Properties.Bucket).includes('Exports'),
    );
    const allows = ((policy?.Properties.PolicyDocument.Statement ?? []) as Record<string, unknown>[]).filter(
      (st) => st.Effect === 'Allow',
    );
    const jobs = allows.filter((st) => JSON.stringify(st.Principal).includes('RunRetentionRole'));
    expect(jobs.map((st) => st.Sid).sort()).toEqual([
      'DestructionJobMayDeleteEveryVersion',
      'DestructionJobMayListTheVersions',
    ]);
    expect(jobs.flatMap((st) => [st.Action].flat()).sort()).toEqual(
      [...EXPORT_DELETION_ACTIONS.bucket, ...EXPORT_DELETION_ACTIONS.objects].sort(),
    );
    // Every other statement: neither a version delete nor a version listing, and not the job.
    for (const st of allows.filter((s) => !jobs.includes(s))) {
      expect(JSON.stringify(st.Principal)).not.toMatch(/RunRetentionRole/);
      for (const action of [st.Action].flat()) {
        expect(['s3:DeleteObjectVersion', 's3:ListBucketVersions']).not.toContain(action);
      }
    }
  });

  it('deletes exports at the legal deadline (21 months after collection starts) and after the transfer window', () => {
    const rules = (exportBucket().Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] })
      .Rules;
    const deadline = statementDestructionDeadline(initiative);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Id: 'exports-legal-deadline',
          Status: 'Enabled',
          ExpirationDate: `${deadline}T00:00:00Z`,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        }),
        expect.objectContaining({
          Id: 'exports-transfer-copy',
          Status: 'Enabled',
          ExpirationInDays: 90,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
        expect.objectContaining({ ExpiredObjectDeleteMarker: true }),
      ]),
    );
  });

  it('writes server access logs to a private, TLS-only log bucket whose logs expire', () => {
    const logging = exportBucket().Properties.LoggingConfiguration as {
      DestinationBucketName: { Ref: string };
    };
    const logBucket = synth.templates.data.toJSON().Resources[logging.DestinationBucketName.Ref];
    expect(logBucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: DATA_ACCESS_LOG_DAYS })],
      },
    });
  });
});

describe('Data stack: the initiative seed', () => {
  const seed = () => {
    const resource = only(synth.templates.data, 'Custom::AWS');
    const create = JSON.parse(JSON.stringify(resource.Properties.Create));
    return { resource, create };
  };
  const callOf = (value: unknown) =>
    JSON.parse(
      (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : 'TABLE'))
        .join(''),
    );

  it('puts the initiative item once, never overwriting what organisers changed (conditional PutItem)', () => {
    const create = callOf(seed().create);
    expect(create).toMatchObject({
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { ConditionExpression: 'attribute_not_exists(pk)' },
      ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
      physicalResourceId: { id: `${INITIATIVE_ITEM_KEY.pk}#${INITIATIVE_ITEM_KEY.sk}` },
    });
    expect(callOf(seed().resource.Properties.Update)).toEqual(create);
  });

  it('stores the validated initiative as a DynamoDB map under pk=INITIATIVE, sk=CONFIG', () => {
    const { Item } = callOf(seed().create).parameters;
    expect(Item.pk).toEqual({ S: 'INITIATIVE' });
    expect(Item.sk).toEqual({ S: 'CONFIG' });
    expect(unmarshall(Item.data.M)).toEqual(initiative);
    expect(seedPutItem('t', initiative).Item.data.M).toEqual(Item.data.M);
  });

  it('lets the seeding function PutItem only the initiative partition of the table', () => {
    const [[, policy]] = resourcesOf(synth.templates.data, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('InitiativeSeed'),
    ) as [[string, Bucket]];
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['INITIATIVE'] } },
        }),
      ]),
    );
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:\*|"Resource":"\*"/);
  });
});
