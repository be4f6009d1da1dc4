import { resolve } from 'node:path';
import { DynamoAuditTrail } from '../adapters/dynamo-audit-trail.adapter';
import { ENV } from '../config/env-names';
import { systemClock } from '../wiring';
import { AuditFileError, runAuditCli } from './audit-cli';
import { LocalDataError, openLocalDynamo } from './local-dynamo';

/**
 * `npm run audit -- verify <file>` / `npm run audit -- export [--out <file>]` (see audit-cli.ts).
 *
 * export reads the local system's table (OCS_DATA_DIR, default `.data`; table OCS_TABLE_NAME,
 * default `ocs-local`). It finds the DynamoDB Local of a running `npm start` through its pid file,
 * or starts DynamoDB Local on the data directory for the time of the export when none runs;
 * `--endpoint` (or OCS_DYNAMODB_ENDPOINT) names another one.
 */

async function openLocalTrail(options: { endpoint?: string; table?: string }) {
  try {
    const local = await openLocalDynamo({
      dataDir: resolve(process.env[ENV.dataDir] ?? '.data'),
      table: options.table ?? process.env[ENV.tableName] ?? 'ocs-local',
      endpoint: options.endpoint ?? process.env[ENV.dynamoEndpoint],
    });
    return { trail: new DynamoAuditTrail(local.db, local.table, systemClock), close: local.close };
  } catch (error) {
    if (error instanceof LocalDataError) throw new AuditFileError(error.message);
    throw error;
  }
}

runAuditCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  openTrail: openLocalTrail,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(`audit: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
