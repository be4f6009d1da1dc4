import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { ExportSink } from '@ocs/shared/export';
import { DynamoDataKeyStore } from '../adapters/dynamo-data-key-store.adapter';
import { DynamoStatementSource } from '../adapters/dynamo-statement-source.adapter';
import { FileExportSink } from '../adapters/file-export-sink.adapter';
import { S3ExportSink } from '../adapters/s3-export-sink.adapter';
import { type Config, required } from '../config/config';
import { ENCRYPTION_CONTEXT, ENV } from '../config/env-names';
import {
  awsClientOptions,
  encryptionContext,
  makeDynamoClient,
  makeInitiativeStore,
  systemClock,
  tableName,
} from '../wiring';
import { makeKeyProvider } from '../wiring-keys';
import { type ExportSettings, RunExport } from './run-export';

/** Local mode: where export files live (`<exportId>/<CC>.xml`, `<exportId>/manifest.json`). */
export const localExportsDir = (dataDir: string) => join(dataDir, 'exports');

/** The export sink of this world: files under OCS_DATA_DIR locally, the export bucket in AWS. */
export function makeExportSink(config: Config): ExportSink {
  if (config.runtime === 'local') return new FileExportSink(localExportsDir(config.dataDir));
  // One 8 MB part of a multipart upload takes well under a second in-region; 30 s allows a slow one.
  return new S3ExportSink(new S3Client(awsClientOptions({ requestTimeoutMs: 30_000 })), {
    bucket: required(config.exportBucket, ENV.exportBucket),
    ...(config.exportKeyId ? { kmsKeyId: config.exportKeyId } : {}),
  });
}

/**
 * The export use case wired for this world: the table's statements and data-key records, the key
 * provider (KMS in AWS: this function's role is the only one the key policy lets Decrypt
 * statement data keys, under the statements' encryption context), and the sink.
 */
export function makeRunExport(config: Config, settings: Partial<ExportSettings> = {}): RunExport {
  const db = makeDynamoClient(config);
  const table = tableName(config);
  return new RunExport({
    initiativeId: config.initiativeId,
    initiatives: makeInitiativeStore(config, db, systemClock),
    source: new DynamoStatementSource(db, table),
    keyProvider: makeKeyProvider(config),
    dataKeyStore: new DynamoDataKeyStore(db, table),
    context: encryptionContext(config, ENCRYPTION_CONTEXT.statementPurpose),
    sink: makeExportSink(config),
    clock: systemClock,
    settings: { greece: config.exportGreeceCode ?? 'gr', ...settings },
  });
}
