import { resolve } from 'node:path';
import { parseLocalConfig } from '@ocs/functions/local/local-config';
import { describe, expect, it } from 'vitest';

describe('parseLocalConfig', () => {
  it('defaults to port 8080, .data/, a free DynamoDB port and 1,000 requests/s', () => {
    const local = parseLocalConfig({});

    expect(local).toMatchObject({
      port: 8080,
      dataDir: resolve('.data'),
      dynamoPort: undefined,
      rateLimit: 1000,
    });
  });

  it("builds the functions' local configuration, with its defaults and the functions' own variables", () => {
    const local = parseLocalConfig({
      PORT: '8201',
      OCS_DATA_DIR: '/tmp/ocs-data',
      OCS_CHALLENGE_COST: 'low',
      OCS_INITIATIVE_CACHE_SECONDS: '0',
    });

    expect(local.functions('http://127.0.0.1:4567')).toMatchObject({
      runtime: 'local',
      dataDir: '/tmp/ocs-data',
      dynamoEndpoint: 'http://127.0.0.1:4567',
      tableName: 'ocs-local',
      initiativeId: 'eci-2026-000001',
      challengeCost: 'low',
      initiativeCacheSeconds: 0,
    });
  });

  it('reads the environment once: later changes do not reach the configuration', () => {
    const env: Record<string, string | undefined> = { OCS_CHALLENGE_COST: 'low' };
    const local = parseLocalConfig(env);

    env.OCS_CHALLENGE_COST = 'production';

    expect(local.functions('http://127.0.0.1:1').challengeCost).toBe('low');
  });

  it('names the variables that are wrong, its own and the functions', () => {
    expect(() => parseLocalConfig({ PORT: 'eighty', OCS_LOCAL_RATE_LIMIT: '0' })).toThrow(
      /Invalid local configuration: PORT: .*; OCS_LOCAL_RATE_LIMIT/,
    );
    expect(() => parseLocalConfig({ OCS_CHALLENGE_COST: 'free' })).toThrow(/OCS_CHALLENGE_COST/);
  });
});
