import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local';
import { localPaths } from '../wiring';

/** The local data cannot be reached: the message says why and what to do. */
export class LocalDataError extends Error {
  override readonly name = 'LocalDataError';
}

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
    throw new LocalDataError(
      'the local system is running; pass --endpoint <url> (npm start prints it as "DynamoDB: <url>")',
    );
  }
  return `http://127.0.0.1:${port}`;
}

/** The local table, reachable, and how to let it go. */
export interface LocalDynamo {
  readonly db: DynamoDBClient;
  readonly endpoint: string;
  readonly table: string;
  close(): Promise<void>;
}

/**
 * The local system's table for a command-line tool: the DynamoDB Local of a running `npm start`
 * (found through its pid file), or DynamoDB Local started on the data directory for the time of
 * the command when none runs; `endpoint` names another one.
 */
export async function openLocalDynamo(options: {
  readonly dataDir: string;
  readonly table: string;
  readonly endpoint?: string | undefined;
}): Promise<LocalDynamo> {
  const dbDir = localPaths(options.dataDir).dynamodb;
  let endpoint = options.endpoint ?? runningEndpoint(dbDir);
  let started: DynamoDbLocal | undefined;
  if (!endpoint) {
    if (!existsSync(join(dbDir, 'shared-local-instance.db'))) {
      throw new LocalDataError(
        `no local data in ${options.dataDir}: run npm start once, or pass --endpoint <url>`,
      );
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
    await db.send(new DescribeTableCommand({ TableName: options.table }));
  } catch (error) {
    await close();
    const name = error instanceof Error ? error.name : 'error';
    throw new LocalDataError(`cannot read table ${options.table} at ${endpoint} (${name})`);
  }
  return { db, endpoint, table: options.table, close };
}
