import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localPaths } from '../wiring';
import { startDynamoDbLocal } from './dynamodb-local';
import { parseLocalConfig } from './local-config';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local (data in OCS_DATA_DIR), the local
 * key provider, and one HTTP server on PORT serving the built site and routing /api/* to the same
 * handlers Lambda runs. Stops cleanly on SIGINT/SIGTERM, DynamoDB Local included.
 */
const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const siteDir = resolve(repoRoot, 'web', 'build');

async function main() {
  // The environment is read here, once (local-config.ts); nothing below reads process.env.
  const local = parseLocalConfig(process.env);
  mkdirSync(local.dataDir, { recursive: true, mode: 0o700 });
  const dynamo = await startDynamoDbLocal(localPaths(local.dataDir).dynamodb, local.dynamoPort);
  let shuttingDown = false;
  const stopJava = () => {
    try {
      process.kill(dynamo.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopJava);

  // Powertools' logger takes its service name from the environment when its module loads.
  process.env.POWERTOOLS_SERVICE_NAME ??= 'ocs-local';
  const { bootLocalSystem } = await import('./boot');
  const system = await bootLocalSystem(local.functions(dynamo.endpoint), {
    siteDir,
    port: local.port,
    rateLimit: local.rateLimit,
  });

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
