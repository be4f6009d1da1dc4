import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from '../config/env-names';
import { startDynamoDbLocal } from './dynamodb-local';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local (data in OCS_DATA_DIR), the local
 * key provider, and one HTTP server on PORT serving the built site and routing /api/* to the same
 * handlers Lambda runs. Stops cleanly on SIGINT/SIGTERM, DynamoDB Local included.
 */
const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dataDir = resolve(process.env[ENV.dataDir] ?? '.data');
const port = Number(process.env.PORT ?? 8080);
const siteDir = resolve(repoRoot, 'web', 'build');

async function main() {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { localPaths } = await import('../wiring');
  const dynamo = await startDynamoDbLocal(
    localPaths(dataDir).dynamodb,
    process.env.OCS_DYNAMODB_PORT ? Number(process.env.OCS_DYNAMODB_PORT) : undefined,
  );
  let shuttingDown = false;
  const stopJava = () => {
    try {
      process.kill(dynamo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopJava);

  // The handlers read their configuration once, at import (cold start): set it first.
  process.env[ENV.runtime] = 'local';
  process.env[ENV.dataDir] = dataDir;
  process.env[ENV.dynamoEndpoint] = dynamo.endpoint;
  process.env[ENV.tableName] ??= 'ocs-local';
  process.env[ENV.initiativeId] ??= 'eci-2026-000001';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'ocs-local';
  const { bootLocalSystem } = await import('./boot');
  const system = await bootLocalSystem({ siteDir, port });

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n${signal}: stopping the local system...`);
    await system.close();
    await dynamo.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
