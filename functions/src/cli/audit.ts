import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAuditTrail } from '../adapters/dynamo-audit-trail.adapter';
import { ENV } from '../config/env-names';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local';
import { localPaths, systemClock } from '../wiring';
import { AuditFileError, runAuditCli } from './audit-cli';

/**
 * `npm run audit -- verify <file>` / `npm run audit -- export [--out <file>]` (see audit-cli.ts).
 *
 * export reads the local system's table (OCS_DATA_DIR, default `.data`; table OCS_TABLE_NAME,
 * default `ocs-local`). It finds the DynamoDB Local of a running `npm start` through its pid file,
 * or starts DynamoDB Local on the data directory for the time of the export when none runs;
 * `--endpoint` (or OCS_DYNAMODB_ENDPOINT) names another one.
 */

/** The endpoint of the DynamoDB Local that `npm start` runs on `dbDir`, if one runs. */
function runningEndpoint(dbDir: string): string | undefined {
  const pidFile = join(dbDir, 'dynamodb-local.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // a stale pid file: nothing runs
  }
  let args: string[] = [];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    // Not Linux: the port cannot be read from the process.
  }
  const isDynamoDbLocal = args.some((arg) => arg.endsWith('DynamoDBLocal.jar'));
  const port = isDynamoDbLocal ? args[args.indexOf('-port') + 1] : undefined;
  if (!port || !/^\d+$/.test(port)) {
    throw new AuditFileError(
      'the local system is running; pass --endpoint <url> (npm start prints it as "DynamoDB: <url>")',
    );
  }
  return `http://127.0.0.1:${port}`;
}

async function openLocalTrail(options: { endpoint?: string; table?: string }) {
  const dataDir = resolve(process.env[ENV.dataDir] ?? '.data');
  const dbDir = localPaths(dataDir).dynamodb;
  const table = options.table ?? process.env[ENV.tableName] ?? 'ocs-local';
  let endpoint = options.endpoint ?? process.env[ENV.dynamoEndpoint] ?? runningEndpoint(dbDir);
  let started: DynamoDbLocal | undefined;
  if (!endpoint) {
    if (!existsSync(join(dbDir, 'shared-local-instance.db'))) {
      throw new AuditFileError(`no local data in ${dataDir}: run npm start once, or pass --endpoint <url>`);
    }
    started = await startDynamoDbLocal(dbDir);
    endpoint = started.endpoint;
  }
  const db = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  const close = async () => {
    db.destroy();
    await started?.stop();
  };
  try {
    await db.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    await close();
    const name = error instanceof Error ? error.name : 'error';
    throw new AuditFileError(`cannot read table ${table} at ${endpoint} (${name})`);
  }
  return { trail: new DynamoAuditTrail(db, table, systemClock), close };
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
