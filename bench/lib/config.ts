import { type Config, parseConfig } from '@ocs/functions/config/config';

/** The initiative every benchmark signs (the local demo initiative's id). */
export const BENCH_INITIATIVE_ID = 'eci-2026-000001';
export const BENCH_TABLE = 'ocs-bench';

/** A real `Config` for the local runtime (only its identifiers are used by the wiring). */
export function benchConfig(dynamoEndpoint = 'http://127.0.0.1:1', dataDir = '/nonexistent'): Config {
  return parseConfig({
    OCS_RUNTIME: 'local',
    OCS_TABLE_NAME: BENCH_TABLE,
    OCS_INITIATIVE_ID: BENCH_INITIATIVE_ID,
    OCS_DATA_DIR: dataDir,
    OCS_DYNAMODB_ENDPOINT: dynamoEndpoint,
  });
}
