import { ENV } from '../config/env-names';
import { parseLocalConfig } from '../local/local-config';
import { describeOutcome } from '../retention/describe';
import { makeRunRetention } from '../retention/wiring';
import { LocalDataError, openLocalDynamo } from './local-dynamo';

/**
 * `npm run retention [-- --endpoint <url>]`: runs the destruction job once against the local
 * system (OCS_DATA_DIR, default `.data`), on the system clock, and prints what it did. It uses the
 * DynamoDB Local of a running `npm start` (found through its pid file), or starts DynamoDB Local
 * on the data directory for the time of the run. Exit codes: 0 done (nothing due, or destroyed),
 * 1 another run in progress or stopped early, 2 the run failed or the local data cannot be read.
 */
export const USAGE = 'Usage: npm run retention [-- --endpoint <DynamoDB Local url>]';

function endpointArg(args: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 2 && args[0] === '--endpoint' && args[1]) return args[1];
  throw new LocalDataError(USAGE);
}

async function main(args: readonly string[]): Promise<number> {
  const local = parseLocalConfig(process.env);
  const dynamo = await openLocalDynamo({
    dataDir: local.dataDir,
    table: local.functions('http://127.0.0.1:1').tableName ?? 'ocs-local',
    endpoint: endpointArg(args) ?? process.env[ENV.dynamoEndpoint],
  });
  try {
    const outcome = await (await makeRunRetention(local.functions(dynamo.endpoint))).execute();
    console.log(describeOutcome(outcome));
    return outcome.status === 'not_due' || outcome.status === 'destroyed' ? 0 : 1;
  } finally {
    await dynamo.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason =
      error instanceof LocalDataError ? error.message : error instanceof Error ? error.name : 'error';
    console.error(`retention: ${reason}`);
    process.exit(2);
  },
);
