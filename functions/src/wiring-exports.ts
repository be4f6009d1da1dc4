import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { ExportSink } from '@ocs/shared/export';
import type { DownloadLinks, ExportLauncher } from '@ocs/shared/export-job';
import { DynamoExportJobStore } from './adapters/dynamo-export-job-store.adapter';
import { FileExportSink } from './adapters/file-export-sink.adapter';
import { LambdaExportLauncher } from './adapters/lambda-export-launcher.adapter';
import { LocalDownloadLinks } from './adapters/local-download-links.adapter';
import { S3DownloadLinks } from './adapters/s3-download-links.adapter';
import { S3ExportSink } from './adapters/s3-export-sink.adapter';
import { type Config, required } from './config/config';
import { ENV } from './config/env-names';
import { InProcessExportLauncher } from './local/in-process-export-launcher';
import { awsClientOptions, systemClock, tableName } from './wiring';

/**
 * Factories of the export routes and functions: the job store, the export sink, download links
 * and the launcher of runs. Apart from `wiring.ts` so that the routes load neither the key service
 * client nor the export engine (the local launcher loads the engine on its first run).
 */

/** Local mode: where export files live (`<exportId>/<CC>.xml`, `<exportId>/manifest.json`). */
export const localExportsDir = (dataDir: string) => join(dataDir, 'exports');

/** Local mode: where the records of download links live (token hashes only). */
export const localDownloadLinksDir = (dataDir: string) => join(dataDir, 'download-links');

/** The export jobs of the table. */
export function makeExportJobStore(config: Config, db: DynamoDBClient) {
  return new DynamoExportJobStore(db, tableName(config));
}

/** The export sink of this world: files under OCS_DATA_DIR locally, the export bucket in AWS. */
export function makeExportSink(config: Config): ExportSink {
  if (config.runtime === 'local') return new FileExportSink(localExportsDir(config.dataDir));
  // One 8 MB part of a multipart upload takes well under a second in-region; 30 s allows a slow one.
  return new S3ExportSink(new S3Client(awsClientOptions({ requestTimeoutMs: 30_000 })), {
    bucket: required(config.exportBucket, ENV.exportBucket),
    ...(config.exportKeyId ? { kmsKeyId: config.exportKeyId } : {}),
  });
}

/** Local mode's download links: issued by the download route, redeemed by the local server. */
export function makeLocalDownloadLinks(config: Extract<Config, { runtime: 'local' }>): LocalDownloadLinks {
  return new LocalDownloadLinks(
    {
      dir: localDownloadLinksDir(config.dataDir),
      exportsDir: localExportsDir(config.dataDir),
      origin: config.localOrigin,
    },
    systemClock,
  );
}

/** Download links: presigned S3 URLs in AWS, single-use links served by the local server locally. */
export function makeDownloadLinks(config: Config): DownloadLinks {
  if (config.runtime === 'local') return makeLocalDownloadLinks(config);
  return new S3DownloadLinks(
    new S3Client(awsClientOptions()),
    { bucket: required(config.exportBucket, ENV.exportBucket) },
    systemClock,
  );
}

/**
 * What starts an approved export: an asynchronous invoke of the export function of its kind in
 * AWS; locally, the same runner in this process, in the background.
 */
export function makeExportLauncher(config: Config): ExportLauncher {
  if (config.runtime === 'local') {
    return new InProcessExportLauncher(async (kind) =>
      (await import('./export/wiring')).makeExportJobRunner(config, kind),
    );
  }
  return new LambdaExportLauncher(new LambdaClient(awsClientOptions()), {
    statements: required(config.exportFunction, ENV.exportFunction),
    emails: required(config.emailExportFunction, ENV.emailExportFunction),
  });
}
