import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '@ocs/shared/ports';
import type { ExportFileStore, StatementKeyDestroyer } from '@ocs/shared/retention';
import { DynamoAuditTrail } from '../adapters/dynamo-audit-trail.adapter';
import { DynamoPersonalDataTable } from '../adapters/dynamo-personal-data-table.adapter';
import { DynamoRetentionStore } from '../adapters/dynamo-retention-store.adapter';
import { FileExportStore } from '../adapters/file-export-store.adapter';
import { KmsKeyDestroyer } from '../adapters/kms-key-destroyer.adapter';
import { S3ExportStore } from '../adapters/s3-export-store.adapter';
import { type Config, required } from '../config/config';
import { ENV } from '../config/env-names';
import { localExportsDir } from '../export/wiring';
import { RunRetention } from '../use-cases/run-retention';
import {
  awsClientOptions,
  makeDynamoClient,
  makeInitiativeAdminStore,
  newId,
  systemClock,
  tableName,
} from '../wiring';

/** What a caller may replace: the clock (tests drive the job with one of their own). */
export interface RetentionOverrides {
  readonly clock?: Clock;
}

/** The export files of this world: the local exports directory, or the export bucket. */
function exportFiles(config: Config): ExportFileStore {
  if (config.runtime === 'local') return new FileExportStore(localExportsDir(config.dataDir));
  return new S3ExportStore(
    new S3Client(awsClientOptions({ requestTimeoutMs: 10_000 })),
    required(config.exportBucket, ENV.exportBucket),
  );
}

/** The statement key of this world: the KMS key in AWS, the local master key locally. */
async function statementKey(config: Config): Promise<StatementKeyDestroyer> {
  if (config.runtime === 'local') {
    // Loaded only in local mode, so the Lambda bundle never carries the local key files' code.
    const { LocalKeyDestroyer } = await import('../local/local-key-destroyer');
    return new LocalKeyDestroyer(config.dataDir);
  }
  return new KmsKeyDestroyer(new KMSClient(awsClientOptions()), required(config.dataKeyId, ENV.dataKeyId));
}

/**
 * The destruction job wired for this world (AWS or local), on the system clock unless the caller
 * passes one: the table, the job's record, the audit trail, the export files and the statement key.
 */
export async function makeRunRetention(
  config: Config,
  overrides: RetentionOverrides = {},
): Promise<RunRetention> {
  const db = makeDynamoClient(config);
  const table = tableName(config);
  const clock = overrides.clock ?? systemClock;
  return new RunRetention({
    initiatives: makeInitiativeAdminStore(config, db),
    store: new DynamoRetentionStore(db, table),
    table: new DynamoPersonalDataTable(db, table),
    exportFiles: exportFiles(config),
    key: await statementKey(config),
    trail: new DynamoAuditTrail(db, table, clock),
    clock,
    newId,
  });
}
