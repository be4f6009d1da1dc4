import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CachedInitiativeStore } from '@ocs/functions/adapters/cached-initiative-store';
import { KmsKeyProvider } from '@ocs/functions/adapters/kms-key-provider.adapter';
import { LocalKeyProvider } from '@ocs/functions/adapters/local-key-provider.adapter';
import { LocalSecret } from '@ocs/functions/adapters/local-secret.adapter';
import { SecretsManagerSecret } from '@ocs/functions/adapters/secrets-manager-secret.adapter';
import { AWS_CLIENT_LIMITS } from '@ocs/functions/config/aws-client-limits';
import type { Config } from '@ocs/functions/config/config';
import { EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import {
  encryptionContext,
  lazy,
  localPaths,
  makeDynamoClient,
  makeInitiativeStore,
  newId,
  onFirstInvocation,
  systemClock,
} from '@ocs/functions/wiring';
import {
  makeChallengeSecret,
  makeChallengeService,
  makeDedupSecret,
  makeKeyProvider,
  makeSealer,
} from '@ocs/functions/wiring-keys';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/clock';
import { FakeKeyProvider, InMemoryDataKeyStore } from '../../support/fakes';

const common = {
  tableName: 'ocs-test',
  initiativeId: 'clean-rivers',
  challengeCost: 'low',
  counterShards: 8,
  initiativeCacheSeconds: 5,
  exportGreeceCode: 'gr',
} as const;
const AWS: Config = {
  ...common,
  runtime: 'aws',
  dataKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/1',
  dedupSecretId: 'ocs/dedup',
  challengeSecretId: 'ocs/challenge',
  originSecretId: undefined,
  exportBucket: undefined,
  exportKeyId: undefined,
  exportFunction: undefined,
  emailExportFunction: undefined,
};
const dataDir = mkdtempSync(join(tmpdir(), 'ocs-wiring-'));
const LOCAL: Config = {
  ...common,
  runtime: 'local',
  dataDir,
  dynamoEndpoint: 'http://127.0.0.1:8000',
  localOrigin: 'http://localhost:8080',
};

describe('wiring', () => {
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the initiative and the purpose in the encryption context, frozen', () => {
    const context = encryptionContext(AWS, 'statement-data');

    expect(context).toEqual({ initiative: 'clean-rivers', purpose: 'statement-data' });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('places local state inside the data directory', () => {
    expect(localPaths('/data')).toEqual({
      masterKey: '/data/keys/local-master.key',
      secretsKey: '/data/keys/local-secrets.key',
      dedupSecret: '/data/keys/dedup-secret.enc',
      challengeSecret: '/data/keys/challenge-secret.enc',
      dynamodb: '/data/dynamodb',
    });
  });

  it('uses KMS and Secrets Manager in AWS', () => {
    expect(makeKeyProvider(AWS)).toBeInstanceOf(KmsKeyProvider);
    expect(makeDedupSecret(AWS)).toBeInstanceOf(SecretsManagerSecret);
    expect(makeChallengeSecret(AWS)).toBeInstanceOf(SecretsManagerSecret);
  });

  it('uses the local key provider and local secrets in local mode', async () => {
    const keys = makeKeyProvider(LOCAL);
    const dedup = makeDedupSecret(LOCAL);
    const challenge = makeChallengeSecret(LOCAL);

    expect(dedup).toBeInstanceOf(LocalSecret);
    // The statement key is opened on first use; the secrets are under the secrets key.
    expect(existsSync(localPaths(dataDir).masterKey)).toBe(false);
    const dataKey = await keys.generateDataKey({ initiative: 'clean-rivers', purpose: 'statement-data' });
    expect(existsSync(localPaths(dataDir).masterKey)).toBe(true);
    expect(
      await keys.decrypt(dataKey.ciphertext, { initiative: 'clean-rivers', purpose: 'statement-data' }),
    ).toEqual(dataKey.plaintext);
    const [a, b] = await Promise.all([dedup.load(), challenge.load()]);
    expect(existsSync(localPaths(dataDir).secretsKey)).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(existsSync(localPaths(dataDir).dedupSecret)).toBe(true);
    expect(existsSync(localPaths(dataDir).challengeSecret)).toBe(true);
  });

  it('answers 503 (the key service) once the local statement key was destroyed, and never creates it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocs-wiring-destroyed-'));
    try {
      const cfg = { ...LOCAL, dataDir: dir };
      const context = { initiative: 'clean-rivers', purpose: 'statement-data' };
      const keys = makeKeyProvider(cfg);
      const dataKey = await keys.generateDataKey(context);
      LocalKeyProvider.destroy(localPaths(dir).masterKey, new Date('2028-08-01T10:00:00Z'));

      await expect(keys.decrypt(dataKey.ciphertext, context)).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
      await expect(keys.generateDataKey(context)).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(existsSync(localPaths(dir).masterKey)).toBe(false);
      // The secrets live under the other key: challenges and the dedup secret still load.
      expect(await makeChallengeSecret(cfg).load()).toHaveLength(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points the local DynamoDB client at the configured endpoint', async () => {
    const client = makeDynamoClient(LOCAL);

    const endpoint = await client.config.endpoint?.();

    expect(client).toBeInstanceOf(DynamoDBClient);
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(8000);
    expect(await client.config.region()).toBe('eu-central-1');
  });

  it('builds the AWS DynamoDB client with bounded retries', async () => {
    const client = makeDynamoClient(AWS);

    expect(client).toBeInstanceOf(DynamoDBClient);
    expect(await client.config.maxAttempts()).toBe(AWS_CLIENT_LIMITS.maxAttempts);
  });

  it('builds a cached initiative store', () => {
    expect(makeInitiativeStore(AWS, new DynamoDBClient({}), systemClock)).toBeInstanceOf(
      CachedInitiativeStore,
    );
  });

  it('keeps the initiative for the configured time, and not at all with 0 seconds', async () => {
    const reads = async (cfg: Config) => {
      const db = new DynamoDBClient({ region: 'eu-central-1' });
      const mock = mockClient(db);
      mock.on(GetItemCommand).resolves({});
      const store = makeInitiativeStore(cfg, db, new ManualClock());
      await store.get();
      await store.get();
      const calls = mock.commandCalls(GetItemCommand).length;
      mock.restore();
      return calls;
    };

    expect(await reads(AWS)).toBe(1);
    expect(await reads({ ...AWS, initiativeCacheSeconds: 0 })).toBe(2);
  });

  it('builds the challenge service once, from the signing secret loaded on first use', async () => {
    const challenges = makeChallengeService(LOCAL, new ManualClock());

    const [a, b] = await Promise.all([challenges(), challenges()]);

    expect(a).toBe(b);
    expect(existsSync(localPaths(dataDir).challengeSecret)).toBe(true);
    const created = (await a.create()) as { parameters: { algorithm: string } };
    expect(created.parameters.algorithm).toBe('SHA-256');
  });

  it('builds a sealer bound to the purpose', async () => {
    const keys = new FakeKeyProvider();

    const sealer = makeSealer(AWS, keys, new InMemoryDataKeyStore(), 'email-data', new ManualClock());
    const sealed = await sealer.seal(new Uint8Array(1), new Uint8Array(1), 1);

    expect(sealer).toBeInstanceOf(EnvelopeSealer);
    expect(sealed.context).toEqual({ initiative: 'clean-rivers', purpose: 'email-data' });
    expect(keys.contexts).toEqual([{ initiative: 'clean-rivers', purpose: 'email-data' }]);
  });

  it('issues random UUIDs and reads the system clock', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(newId());
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1_000);
  });
});

describe('onFirstInvocation', () => {
  it('builds the handler on the first call only, then hands it every event', async () => {
    let builds = 0;
    const entry = onFirstInvocation(() => {
      builds += 1;
      return async (event: number, context: string) => `${context}:${event * 2}`;
    });

    expect(builds).toBe(0);
    expect(await entry(1, 'a')).toBe('a:2');
    expect(await entry(2, 'b')).toBe('b:4');
    expect(builds).toBe(1);
  });

  it('builds again after a failed build (a configuration error is not kept)', async () => {
    let builds = 0;
    const entry = onFirstInvocation(() => {
      builds += 1;
      if (builds === 1) throw new Error('Invalid function configuration');
      return async (event: number) => event;
    });

    await expect(entry(1, 'a')).rejects.toThrow('Invalid function configuration');
    expect(await entry(7, 'b')).toBe(7);
  });
});

describe('lazy', () => {
  it('creates the value once and shares it, concurrent callers included', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls += 1;
      return { n: calls };
    });

    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();

    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls += 1;
      if (calls === 1) throw new Error('secrets unavailable');
      return 'ready';
    });

    await expect(get()).rejects.toThrow('secrets unavailable');

    expect(await get()).toBe('ready');
    expect(calls).toBe(2);
  });
});
