import { RECEIPT_INDEX } from '@ocs/functions/adapters/table-keys';
import { TABLE_SCHEMA } from '@ocs/functions/config/env-names';
import { type Initiative, statementDestructionDeadline } from '@ocs/shared/initiative';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { InitiativeSeed } from '../constructs/initiative-seed';
import { LogBucket, PrivateBucket } from '../constructs/secure-bucket';

export interface DataStackProps extends StackProps {
  readonly initiative: Initiative;
  /** At-rest key of the table (not the envelope key). */
  readonly storageKey: kms.IKey;
  /** The export bucket's own key, whose policy names the export readers (KeysStack). */
  readonly exportKey: kms.IKey;
  /** Days an export may stay in the bucket before the legal deadline applies. */
  readonly exportRetentionDays: number;
  /** Who may do what with export files: the bucket policy names them (KeysStack roles). */
  readonly exportAccess: ExportAccess;
}

/**
 * The roles the export bucket's policy names, by what they do with the files `exports/<id>/<name>`.
 * No identity policy grants anything on the bucket: like the export key's policy, the bucket's
 * own policy is the one place that says who may write, delete or read an export.
 */
export interface ExportAccess {
  /** The export functions: write files (multipart upload), delete them when a run fails. */
  readonly writers: readonly iam.IRole[];
  /** The routes that read jobs: delete the files of a run that died. */
  readonly discarders: readonly iam.IRole[];
  /** The download route: its presigned links read files (with its role). */
  readonly readers: readonly iam.IRole[];
  /** The destruction job: may delete every object version of the bucket; nothing else may. */
  readonly deleters: readonly iam.IRole[];
}

/** What the export bucket's policy lets the destruction job do: list, delete every version, abort uploads. */
export const EXPORT_DELETION_ACTIONS = {
  bucket: ['s3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  objects: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload'],
} as const;

/** Days PITR keeps deleted items recoverable: the delay between a deletion and the end of its backups. */
export const PITR_RECOVERY_DAYS = 14;

/** Days S3 keeps server access logs of the data buckets (who downloaded an export). */
export const DATA_ACCESS_LOG_DAYS = 730;

/**
 * Stateful data: the single table and the export bucket. Everything is retained on stack
 * deletion and the table refuses deletion outright; destroying data is a deliberate act.
 */
export class DataStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly exportBucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.storageKey),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: PITR_RECOVERY_DAYS,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Statements by receipt, for withdrawals: sparse (only statements carry `rcpt`), and it
      // projects the counter a statement was counted in, never a ciphertext.
      globalSecondaryIndexes: [
        {
          indexName: RECEIPT_INDEX.name,
          partitionKey: { name: RECEIPT_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...RECEIPT_INDEX.projected],
        },
      ],
    });

    this.accessLogs = new LogBucket(this, 'AccessLogs', { retentionDays: DATA_ACCESS_LOG_DAYS }).bucket;

    // The legal outer limit (21 months after collection starts) as an absolute date; S3 expects midnight UTC.
    const deadline = new Date(`${statementDestructionDeadline(props.initiative)}T00:00:00Z`);
    this.exportBucket = new PrivateBucket(this, 'Exports', {
      // Imported: given the Key object, later grants on the bucket would edit the key policy,
      // which names its readers itself.
      encryptionKey: kms.Key.fromKeyArn(this, 'ExportKey', props.exportKey.keyArn),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'exports-transfer-copy',
          expiration: Duration.days(props.exportRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'exports-legal-deadline',
          expirationDate: deadline,
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    }).bucket;
    // The destruction job deletes every export file (every version) on the legal day; it reads none.
    if (props.exportAccess.deleters.length > 0) {
      this.exportBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DestructionJobMayListTheVersions',
          principals: [...props.exportAccess.deleters],
          actions: [...EXPORT_DELETION_ACTIONS.bucket],
          resources: [this.exportBucket.bucketArn],
        }),
      );
      this.exportBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DestructionJobMayDeleteEveryVersion',
          principals: [...props.exportAccess.deleters],
          actions: [...EXPORT_DELETION_ACTIONS.objects],
          resources: [this.exportBucket.arnForObjects('*')],
        }),
      );
    }

    const { writers, discarders, readers } = props.exportAccess;
    const files = this.exportBucket.arnForObjects('exports/*');
    for (const statement of [
      new iam.PolicyStatement({
        sid: 'ExportFunctionsWriteExportFiles',
        principals: [...writers],
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: [files],
      }),
      new iam.PolicyStatement({
        sid: 'ExportRoutesDeleteFilesOfDeadRuns',
        principals: [...discarders],
        actions: ['s3:DeleteObject'],
        resources: [files],
      }),
      new iam.PolicyStatement({
        sid: 'DownloadLinksReadExportFiles',
        principals: [...readers],
        actions: ['s3:GetObject'],
        resources: [files],
      }),
      new iam.PolicyStatement({
        sid: 'ListOneExportsFiles',
        principals: [...writers, ...discarders],
        actions: ['s3:ListBucket'],
        resources: [this.exportBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['exports/*'] } },
      }),
    ]) {
      this.exportBucket.addToResourcePolicy(statement);
    }

    new InitiativeSeed(this, 'InitiativeSeed', {
      table: this.table,
      tableKey: props.storageKey,
      initiative: props.initiative,
    });
  }
}
