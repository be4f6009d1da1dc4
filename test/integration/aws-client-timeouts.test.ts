import { createServer, type Server, type Socket } from 'node:net';
import { DynamoInitiativeStore } from '@ocs/functions/adapters/dynamo-initiative-store.adapter';
import { AWS_CALL_BUDGET_MS } from '@ocs/functions/config/aws-client-limits';
import type { Config } from '@ocs/functions/config/config';
import { makeDynamoClient } from '@ocs/functions/wiring';
import { makeDedupSecret, makeKeyProvider } from '@ocs/functions/wiring-keys';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A dependency that hangs: it accepts connections on the loopback interface and never answers.
 * The clients built for AWS must give up within AWS_CALL_BUDGET_MS, as the adapters' 503 errors.
 */
let hung: Server;
const sockets: Socket[] = [];
const saved: Record<string, string | undefined> = {};
const ENV = {
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SESSION_TOKEN: 'test',
};

const AWS: Config = {
  runtime: 'aws',
  initiativeId: 'clean-rivers',
  tableName: 'ocs-test',
  challengeCost: 'low',
  counterShards: 4,
  initiativeCacheSeconds: 5,
  exportGreeceCode: 'gr',
  originSecretId: undefined,
  exportBucket: undefined,
  exportKeyId: undefined,
  exportFunction: undefined,
  emailExportFunction: undefined,
  dataKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/1',
  dedupSecretId: 'ocs/dedup',
  challengeSecretId: 'ocs/challenge',
};

beforeAll(async () => {
  hung = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const address = hung.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  for (const [key, value] of Object.entries({ ...ENV, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` })) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hung.close(resolve));
});

/** Runs `call`, returning its rejection and how long it took. */
async function timed(call: () => Promise<unknown>) {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('AWS clients against a dependency that never answers', () => {
  // Scheduling slack on a loaded 2-core machine; the budget itself is what the functions' timeouts are checked against.
  const within = AWS_CALL_BUDGET_MS + 1_500;

  it('DynamoDB gives up within the budget, as the database 503', async () => {
    const store = new DynamoInitiativeStore(makeDynamoClient(AWS), 'ocs-test');
    const { error, ms } = await timed(() => store.get());
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(within);
  }, 30_000);

  it('KMS gives up within the budget, as the keys 503', async () => {
    const keys = makeKeyProvider(AWS);
    const { error, ms } = await timed(() =>
      keys.generateDataKey({ initiative: 'clean-rivers', purpose: 'statement-data' }),
    );
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(within);
  }, 30_000);

  it('Secrets Manager gives up within the budget, as the secrets 503', async () => {
    const { error, ms } = await timed(() => makeDedupSecret(AWS).load());
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(within);
  }, 30_000);
});
