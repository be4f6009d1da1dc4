import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock, EncryptionContext } from '@ocs/shared/ports';
import { CachedInitiativeStore } from './adapters/cached-initiative-store';
import { DynamoAuditTrail } from './adapters/dynamo-audit-trail.adapter';
import { DynamoInitiativeStore } from './adapters/dynamo-initiative-store.adapter';
import { DynamoSignInMarkerStore } from './adapters/dynamo-sign-in-marker.adapter';
import { AWS_CLIENT_LIMITS } from './config/aws-client-limits';
import { type Config, required } from './config/config';
import { ENCRYPTION_CONTEXT, ENV } from './config/env-names';

/**
 * Factories the handler modules (the composition roots) call once, at cold start. They pick the
 * AWS or the local adapter from the configuration; the use cases never know which world they
 * run in. Key and secret factories are in `wiring-keys.ts`, so the handlers that need neither
 * never load the KMS or Secrets Manager clients.
 */

export const systemClock: Clock = { now: () => new Date() };

export const newId = (): string => randomUUID();

/**
 * Where the local key provider and the local secrets live inside OCS_DATA_DIR. Two keys, as in
 * AWS: the master key issues the data keys of statements and e-mail addresses (the statement key:
 * the destruction job destroys it); the secrets key encrypts the dedup and challenge secrets and
 * the organiser accounts (the secrets key: it outlives the statements).
 */
export const localPaths = (dataDir: string) => ({
  masterKey: join(dataDir, 'keys', 'local-master.key'),
  secretsKey: join(dataDir, 'keys', 'local-secrets.key'),
  dedupSecret: join(dataDir, 'keys', 'dedup-secret.enc'),
  challengeSecret: join(dataDir, 'keys', 'challenge-secret.enc'),
  dynamodb: join(dataDir, 'dynamodb'),
});

/** The table name, for the functions that use the table. */
export function tableName(config: Config): string {
  return required(config.tableName, ENV.tableName);
}

/**
 * Options every AWS SDK client in Lambda is built with (DynamoDB, KMS, Secrets Manager, S3):
 * AWS_CLIENT_LIMITS. A long-running function (the export) may allow a longer request for its
 * large uploads; its own timeout is minutes, not seconds.
 */
export function awsClientOptions(overrides: { readonly requestTimeoutMs?: number } = {}) {
  return {
    maxAttempts: AWS_CLIENT_LIMITS.maxAttempts,
    requestHandler: {
      connectionTimeout: AWS_CLIENT_LIMITS.connectionTimeoutMs,
      requestTimeout: overrides.requestTimeoutMs ?? AWS_CLIENT_LIMITS.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  };
}

export function makeDynamoClient(config: Config): DynamoDBClient {
  if (config.runtime === 'local') {
    return new DynamoDBClient({
      endpoint: config.dynamoEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
      // One process serves every request locally (in AWS, one request per execution
      // environment): requests queue for a connection instead of timing out.
      requestHandler: {
        // DynamoDB Local serialises writes in SQLite: a few connections keep it busy; more
        // only add contention.
        httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }),
        connectionTimeout: 30_000,
        requestTimeout: 60_000,
      },
    });
  }
  return new DynamoDBClient(awsClientOptions());
}

/** The initiative store, kept in memory for `initiativeCacheSeconds` (every submission needs it). */
export function makeInitiativeStore(config: Config, db: DynamoDBClient, clock: Clock) {
  return new CachedInitiativeStore(
    new DynamoInitiativeStore(db, tableName(config)),
    clock,
    config.initiativeCacheSeconds * 1000,
  );
}

/** The encryption context of a purpose: it names the initiative, and the key policy checks it. */
export function encryptionContext(config: Pick<Config, 'initiativeId'>, purpose: string): EncryptionContext {
  return Object.freeze({
    [ENCRYPTION_CONTEXT.initiativeKey]: config.initiativeId,
    [ENCRYPTION_CONTEXT.purposeKey]: purpose,
  });
}

/**
 * A lazily created value whose creation may fail (secrets loaded on first use, once per cold
 * start). A failure is not cached: the next call tries again.
 */
export function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= create().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/**
 * The Lambda entry of a handler module: builds the handler from the process's configuration on
 * the first invocation, once per execution environment, and hands every event to it. Importing
 * the module builds nothing, so tests, benchmarks and the local router can import its factory.
 */
export function onFirstInvocation<E, C, R>(
  build: () => (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  let built: ((event: E, context: C) => Promise<R>) | undefined;
  return async (event, context) => {
    built ??= build();
    return built(event, context);
  };
}

/**
 * The initiative store of the organiser routes: no cache (an organiser's change is read back at
 * once, and every write is conditional on the version just read).
 */
export function makeInitiativeAdminStore(config: Config, db: DynamoDBClient): DynamoInitiativeStore {
  return new DynamoInitiativeStore(db, tableName(config));
}

/** The audit trail and sign-in markers every organiser route writes to (organiser-handler.ts). */
export function makeOrganiserAuditPorts(config: Config, db: DynamoDBClient) {
  const table = tableName(config);
  return {
    trail: new DynamoAuditTrail(db, table, systemClock),
    markers: new DynamoSignInMarkerStore(db, table),
    clock: systemClock,
  };
}
