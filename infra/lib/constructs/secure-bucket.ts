import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface LogBucketProps {
  /** Days a log object is kept before S3 deletes it. */
  readonly retentionDays: number;
}

/**
 * A bucket that receives S3 server access logs:
 * private, TLS-only, S3-managed encryption (the only encryption S3 log delivery supports), and a
 * lifecycle, because logs that name clients are kept no longer than needed.
 */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}

export interface PrivateBucketProps {
  /** Customer-managed key for SSE-KMS; S3-managed encryption when absent. */
  readonly encryptionKey?: kms.IKey;
  readonly serverAccessLogsBucket: s3.IBucket;
  readonly serverAccessLogsPrefix: string;
  readonly versioned: boolean;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly removalPolicy: RemovalPolicy;
}

/** The project's defaults for a bucket that holds data: private, TLS 1.2+, encrypted, logged. */
export class PrivateBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...(props.encryptionKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
      lifecycleRules: props.lifecycleRules,
      removalPolicy: props.removalPolicy,
    });
  }
}
