import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoInitiativeStore } from '@ocs/functions/adapters/dynamo-initiative-store.adapter';
import { DynamoProgressStore } from '@ocs/functions/adapters/dynamo-progress-store.adapter';
import { DynamoStatementStore } from '@ocs/functions/adapters/dynamo-statement-store.adapter';
import { DynamoTestDataWiper } from '@ocs/functions/adapters/dynamo-test-data-wiper.adapter';
import { ensureTable } from '@ocs/functions/local/table';
import type { StatementRecord } from '@ocs/shared/ports';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamo, scanAll } from '../support/table';
import { testInitiative } from '../unit/functions/support/data';

/**
 * The test-mode storage on DynamoDB Local itself (a table of its own): the test statement's
 * transaction and its check of the initiative's mode, the per-day counters, and go-live's
 * deletion of the test data, which leaves every other item alone.
 */
const table = `ocs-test-mode-${randomUUID().slice(0, 8)}`;
let db: DynamoDBClient;
let initiatives: DynamoInitiativeStore;
let statements: DynamoStatementStore;

function record(
  mode: 'test' | 'live',
  country: 'PL' | 'DE',
  countDay: string,
  email = false,
): StatementRecord {
  const id = randomUUID();
  const sealed = {
    dataKeyRef: 'ref',
    context: { purpose: 'statement-data' },
    iv: new Uint8Array(12),
    ciphertext: new Uint8Array(32),
  };
  return {
    dedupKey: randomUUID().replace(/-/g, ''),
    statementId: id,
    submissionId: randomUUID(),
    country,
    annexRevision: 1,
    submittedAt: `${countDay}T10:00:00.000Z`,
    personalData: sealed,
    ...(email ? { email: { sealed, expiresAtEpochSeconds: 2_000_000_000 } } : {}),
    expiresAtEpochSeconds: 2_000_000_000,
    mode,
    countDay,
  };
}

beforeAll(async () => {
  db = localDynamo(inject('dynamoEndpoint'));
  await ensureTable(db, table);
  initiatives = new DynamoInitiativeStore(db, table);
  statements = new DynamoStatementStore(db, table, { shards: 4 });
  await initiatives.createIfAbsent(testInitiative());
});

afterAll(async () => {
  await db.send(new DeleteTableCommand({ TableName: table }));
  db.destroy();
});

describe('test mode on DynamoDB Local', () => {
  it('stores test statements apart and counts them per day and country; then go-live deletes exactly them', async () => {
    const progress = new DynamoProgressStore(db, table, 4);
    const test = [
      record('test', 'PL', '2026-11-27', true),
      record('test', 'PL', '2026-11-28'),
      record('test', 'DE', '2026-11-28'),
    ];
    for (const r of test) expect(await statements.storeAndCount(r)).toEqual({ kind: 'stored' });
    expect(await progress.read('test')).toEqual({ PL: 2, DE: 1 });
    expect(await progress.readDays('test')).toEqual([
      { date: '2026-11-27', counts: { PL: 1 } },
      { date: '2026-11-28', counts: { PL: 1, DE: 1 } },
    ]);
    expect(await progress.read('live')).toEqual({});
    expect(await statements.findByDedupKey(test[0]?.dedupKey ?? '', 'test')).toMatchObject({
      statementId: test[0]?.statementId,
    });
    expect(await statements.findByDedupKey(test[0]?.dedupKey ?? '', 'live')).toBeUndefined();

    // Go live: the mode switches, and a test statement can no longer be written.
    const state = await initiatives.state();
    expect(state?.lifecycle.mode).toBe('test');
    expect(
      await initiatives.replace(state?.version ?? 0, {
        initiative: testInitiative(),
        lifecycle: { mode: 'live' },
      }),
    ).toBe(true);
    const late = record('test', 'PL', '2026-11-28');
    expect(await statements.storeAndCount(late)).toEqual({ kind: 'mode_changed' });
    expect(await statements.findByDedupKey(late.dedupKey, 'test')).toBeUndefined();
    expect(await statements.storeAndCount({ ...late, mode: 'live' })).toEqual({ kind: 'stored' });

    const before = await scanAll(db, table);
    const wiped = await new DynamoTestDataWiper(db, table).wipe();
    const after = await scanAll(db, table);

    expect(wiped.statements).toBe(3);
    expect(wiped.emails).toBe(1);
    expect(wiped.counters).toBeGreaterThanOrEqual(2);
    expect(after.filter((i) => /^(T|ET|CT)#/.test(i.pk?.S ?? ''))).toEqual([]);
    expect(after).toHaveLength(before.length - wiped.statements - wiped.emails - wiped.counters);
    expect(after.map((i) => i.pk?.S).sort()).toEqual(
      before
        .map((i) => i.pk?.S)
        .filter((pk) => !/^(T|ET|CT)#/.test(pk ?? ''))
        .sort(),
    );
    expect(await progress.read('live')).toEqual({ PL: 1 });
    expect(await progress.read('test')).toEqual({});
    expect(await new DynamoTestDataWiper(db, table).wipe()).toEqual({
      statements: 0,
      emails: 0,
      counters: 0,
    });
  });
});
