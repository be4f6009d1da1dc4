import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CachedInitiativeStore } from '@ocs/functions/adapters/cached-initiative-store';
import { DynamoChallengeReplayStore } from '@ocs/functions/adapters/dynamo-challenge-replay.adapter';
import { DynamoDataKeyStore } from '@ocs/functions/adapters/dynamo-data-key-store.adapter';
import { DynamoInitiativeStore } from '@ocs/functions/adapters/dynamo-initiative-store.adapter';
import { DynamoStatementStore } from '@ocs/functions/adapters/dynamo-statement-store.adapter';
import type { Config } from '@ocs/functions/config/config';
import { buildSubmitStatement, type SubmitStatementPorts } from '@ocs/functions/handlers/submit-statement';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { startDynamoDbLocal } from '@ocs/functions/local/dynamodb-local';
import { ensureTable } from '@ocs/functions/local/table';
import type { SubmitStatement } from '@ocs/functions/use-cases/submit-statement';
import { makeDynamoClient, newId, systemClock, tableName } from '@ocs/functions/wiring';
import { FakeKeyProvider } from '../../test/support/fakes';
import { nonceChallenges } from './citizens';
import { benchConfig } from './config';
import type { BenchContext } from './measure';

export interface DynamoLocalSubmit {
  readonly config: Config;
  readonly db: DynamoDBClient;
  readonly table: string;
  /**
   * The REAL SubmitStatement over the REAL DynamoDB adapters, built by the submit handler's own
   * factory, with an in-memory key provider and nonce challenges; `extra` overrides ports.
   */
  build(extra?: Partial<SubmitStatementPorts>): Promise<SubmitStatement>;
}

/**
 * DynamoDB Local in a temporary directory with the project's table (ensureTable) and the demo
 * initiative, live, cleaned up by the context; for the benchmarks that drive the use case over it.
 */
export async function dynamoLocalSubmit(ctx: BenchContext, name: string): Promise<DynamoLocalSubmit> {
  const root = mkdtempSync(join(tmpdir(), `ocs-bench-${name}-`));
  ctx.defer(() => rmSync(root, { recursive: true, force: true }));
  ctx.log('starting DynamoDB Local');
  const local = await startDynamoDbLocal(join(root, 'dynamodb'));
  ctx.defer(() => local.stop());

  const config = benchConfig(local.endpoint, root);
  const table = tableName(config);
  const db = makeDynamoClient(config);
  ctx.defer(() => db.destroy());
  await ensureTable(db, table);
  const initiativeStore = new DynamoInitiativeStore(db, table);
  const initiative = demoInitiative(config.initiativeId, new Date());
  await initiativeStore.createIfAbsent(initiative);
  // Live, as a collecting initiative is: the figures are those of live statements (a test
  // statement's transaction also checks the initiative's mode).
  await initiativeStore.replace(0, {
    initiative,
    lifecycle: { mode: 'live', liveSince: new Date().toISOString() },
  });
  const build = (extra: Partial<SubmitStatementPorts> = {}) =>
    buildSubmitStatement({
      initiativeId: config.initiativeId,
      initiatives: new CachedInitiativeStore(initiativeStore, systemClock),
      replay: new DynamoChallengeReplayStore(db, table),
      statements: new DynamoStatementStore(db, table, { shards: config.counterShards }),
      dataKeys: new DynamoDataKeyStore(db, table),
      keyProvider: new FakeKeyProvider(),
      clock: systemClock,
      newId,
      secrets: async () => ({ dedupSecret: randomBytes(32), challenges: nonceChallenges(systemClock) }),
      ...extra,
    });
  return { config, db, table, build };
}
