import { parseConfig, required } from '@ocs/functions/config/config';
import { ENV } from '@ocs/functions/config/env-names';
import { afterEach, describe, expect, it, vi } from 'vitest';

const AWS = {
  OCS_RUNTIME: 'aws',
  OCS_TABLE_NAME: 'ocs-prod-table',
  OCS_INITIATIVE_ID: 'clean-rivers',
  OCS_DATA_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd',
  OCS_DEDUP_SECRET_ID: 'ocs/dedup',
  OCS_CHALLENGE_SECRET_ID: 'ocs/challenge',
};
const LOCAL = {
  OCS_RUNTIME: 'local',
  OCS_TABLE_NAME: 'ocs-local',
  OCS_INITIATIVE_ID: 'demo-initiative',
  OCS_DATA_DIR: '/tmp/ocs-data',
  OCS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
};

const errorOf = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('parseConfig accepted the environment');
};

describe('parseConfig', () => {
  it('parses the AWS environment, with defaults', () => {
    expect(parseConfig(AWS)).toEqual({
      runtime: 'aws',
      tableName: 'ocs-prod-table',
      initiativeId: 'clean-rivers',
      challengeCost: 'production',
      counterShards: 32,
      initiativeCacheSeconds: 5,
      exportGreeceCode: 'gr',
      dataKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd',
      dedupSecretId: 'ocs/dedup',
      challengeSecretId: 'ocs/challenge',
    });
  });

  it('parses the local environment, with defaults', () => {
    expect(parseConfig(LOCAL)).toEqual({
      runtime: 'local',
      tableName: 'ocs-local',
      initiativeId: 'demo-initiative',
      challengeCost: 'production',
      counterShards: 32,
      initiativeCacheSeconds: 5,
      exportGreeceCode: 'gr',
      dataDir: '/tmp/ocs-data',
      dynamoEndpoint: 'http://127.0.0.1:8000',
      localOrigin: 'http://localhost:8080',
    });
  });

  it('takes the local origin (download links point there) without a trailing slash', () => {
    expect(parseConfig({ ...LOCAL, OCS_LOCAL_ORIGIN: 'http://localhost:4321/' })).toMatchObject({
      localOrigin: 'http://localhost:4321',
    });
    expect(errorOf({ ...LOCAL, OCS_LOCAL_ORIGIN: 'not a url' })).toContain('OCS_LOCAL_ORIGIN');
  });

  it('takes a low challenge cost and a shard count from strings', () => {
    const config = parseConfig({ ...LOCAL, OCS_CHALLENGE_COST: 'low', OCS_COUNTER_SHARDS: '64' });

    expect(config.challengeCost).toBe('low');
    expect(config.counterShards).toBe(64);
  });

  it('takes the initiative cache lifetime in seconds, 0 included, and refuses a negative one', () => {
    expect(parseConfig({ ...LOCAL, OCS_INITIATIVE_CACHE_SECONDS: '0' }).initiativeCacheSeconds).toBe(0);
    expect(parseConfig({ ...AWS, OCS_INITIATIVE_CACHE_SECONDS: '30' }).initiativeCacheSeconds).toBe(30);
    expect(errorOf({ ...LOCAL, OCS_INITIATIVE_CACHE_SECONDS: '-1' })).toContain(
      'OCS_INITIATIVE_CACHE_SECONDS',
    );
  });

  it('takes the export settings: Greek code, bucket and key', () => {
    const config = parseConfig({
      ...AWS,
      OCS_EXPORT_GREECE_CODE: 'el',
      OCS_EXPORT_BUCKET: 'ocs-exports',
      OCS_EXPORT_KEY_ID: 'arn:aws:kms:eu-central-1:123456789012:key/exports',
    });

    expect(config).toMatchObject({
      exportGreeceCode: 'el',
      exportBucket: 'ocs-exports',
      exportKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/exports',
    });
    expect(() => parseConfig({ ...LOCAL, OCS_EXPORT_GREECE_CODE: 'GR' })).toThrow('OCS_EXPORT_GREECE_CODE');
  });

  it('freezes the result', () => {
    expect(Object.isFrozen(parseConfig(AWS))).toBe(true);
  });

  it('ignores variables it does not know', () => {
    expect(parseConfig({ ...AWS, PATH: '/usr/bin', AWS_REGION: 'eu-central-1' })).not.toHaveProperty('PATH');
  });

  it('accepts an AWS function that receives only the identifiers it needs (least privilege)', () => {
    const config = parseConfig({
      OCS_RUNTIME: 'aws',
      OCS_INITIATIVE_ID: 'clean-rivers',
      OCS_CHALLENGE_SECRET_ID: 'arn:x',
    });

    expect(config).toMatchObject({ runtime: 'aws', challengeSecretId: 'arn:x', tableName: undefined });
  });

  it('names a needed but missing identifier at cold start', () => {
    expect(() => required(undefined, ENV.tableName)).toThrow(
      `Invalid function configuration: ${ENV.tableName} is required by this function but not set.`,
    );
    expect(required('ocs-prod-table', ENV.tableName)).toBe('ocs-prod-table');
  });

  it('names every invalid AWS variable in one readable error', () => {
    const message = errorOf({
      OCS_RUNTIME: 'aws',
      OCS_TABLE_NAME: 'x',
      OCS_DATA_KEY_ID: '',
    });

    expect(message).toMatch(/^Invalid function configuration: /);
    expect(message).toContain(ENV.tableName);
    expect(message).toContain(ENV.initiativeId);
    expect(message).toContain(ENV.dataKeyId);
  });

  it('names the missing local variables', () => {
    const message = errorOf({
      OCS_RUNTIME: 'local',
      OCS_TABLE_NAME: 'ocs-local',
      OCS_INITIATIVE_ID: 'demo-initiative',
    });

    expect(message).toContain(ENV.dataDir);
    expect(message).toContain(ENV.dynamoEndpoint);
  });

  it.each([
    ['no runtime', {}, ENV.runtime],
    ['an unknown runtime', { OCS_RUNTIME: 'azure' }, ENV.runtime],
    ['an invalid initiative id', { ...AWS, OCS_INITIATIVE_ID: 'Clean Rivers!' }, ENV.initiativeId],
    ['a too short table name', { ...AWS, OCS_TABLE_NAME: 'x' }, ENV.tableName],
    ['an unknown challenge cost', { ...AWS, OCS_CHALLENGE_COST: 'free' }, ENV.challengeCost],
    ['zero shards', { ...AWS, OCS_COUNTER_SHARDS: '0' }, ENV.counterShards],
    ['a fractional shard count', { ...AWS, OCS_COUNTER_SHARDS: '2.5' }, ENV.counterShards],
    ['a non-numeric shard count', { ...AWS, OCS_COUNTER_SHARDS: 'many' }, ENV.counterShards],
    ['too many shards', { ...AWS, OCS_COUNTER_SHARDS: '1001' }, ENV.counterShards],
    ['an invalid DynamoDB endpoint', { ...LOCAL, OCS_DYNAMODB_ENDPOINT: 'not a url' }, ENV.dynamoEndpoint],
    ['an empty data key id', { ...AWS, OCS_DATA_KEY_ID: '' }, ENV.dataKeyId],
  ])('refuses %s, naming the variable', (_, env, variable) => {
    expect(errorOf(env)).toContain(variable);
  });

  it('names only the wrong variables', () => {
    const message = errorOf({ ...AWS, OCS_COUNTER_SHARDS: '0' });

    expect(message).toContain(ENV.counterShards);
    expect(message).not.toContain(ENV.dataKeyId);
    expect(message).not.toContain(ENV.tableName);
  });
});

describe('config', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('reads process.env once and keeps the result', async () => {
    for (const [name, value] of Object.entries(LOCAL)) vi.stubEnv(name, value);
    vi.resetModules();
    const { config } = await import('@ocs/functions/config/config');

    const first = config();
    vi.stubEnv('OCS_TABLE_NAME', 'changed-later');

    expect(config()).toBe(first);
    expect(config().tableName).toBe('ocs-local');
  });

  it('throws at cold start on an invalid environment', async () => {
    vi.stubEnv('OCS_RUNTIME', 'nope');
    vi.resetModules();
    const { config } = await import('@ocs/functions/config/config');

    expect(() => config()).toThrow(/OCS_RUNTIME/);
  });
});
