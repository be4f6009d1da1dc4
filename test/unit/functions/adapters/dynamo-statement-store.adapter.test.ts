import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoStatementStore } from '@ocs/functions/adapters/dynamo-statement-store.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { DuplicateAnswerRecord, StatementRecord } from '@ocs/shared/ports';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const TABLE = 'ocs-test';
const DEDUP = 'a'.repeat(64);
const ddb = mockClient(DynamoDBClient);

const sealed = (ref: string) => ({
  dataKeyRef: ref,
  context: { initiative: 'clean-rivers', purpose: 'statement-data' },
  iv: new Uint8Array(12).fill(1),
  ciphertext: new Uint8Array(40).fill(2),
});

function record(overrides: Partial<StatementRecord> = {}): StatementRecord {
  return {
    dedupKey: DEDUP,
    statementId: '11111111-2222-4333-8444-555555555555',
    submissionId: '6f1c0d9e-4a53-4a43-9b8f-1a2b3c4d5e6f',
    country: 'PL',
    annexRevision: 1,
    submittedAt: '2026-11-28T10:00:00.000Z',
    personalData: sealed('key-ref-1'),
    expiresAtEpochSeconds: 1_848_873_600,
    mode: 'live',
    countDay: '2026-11-28',
    ...overrides,
  };
}

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    $metadata: {},
    message: 'Transaction cancelled',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

function store(options: Partial<ConstructorParameters<typeof DynamoStatementStore>[2]> = {}) {
  return new DynamoStatementStore(new DynamoDBClient({}), TABLE, {
    shards: 32,
    pickShard: () => 7,
    sleep: async () => {},
    ...options,
  });
}

describe('DynamoStatementStore.storeAndCount', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('writes ONE transaction: the statement if absent, and ADD 1 to its country on the shard item of the day', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});

    const outcome = await store().storeAndCount(record());

    expect(outcome).toEqual({ kind: 'stored' });
    const calls = ddb.commandCalls(TransactWriteItemsCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.TransactItems).toHaveLength(2);
    expect(input?.TransactItems?.[0]).toEqual({
      Put: {
        TableName: TABLE,
        Item: {
          pk: { S: `S#${DEDUP}` },
          sk: { S: 'S' },
          statementId: { S: '11111111-2222-4333-8444-555555555555' },
          submissionId: { S: '6f1c0d9e-4a53-4a43-9b8f-1a2b3c4d5e6f' },
          country: { S: 'PL' },
          annexRevision: { N: '1' },
          submittedAt: { S: '2026-11-28T10:00:00.000Z' },
          dk: { S: 'key-ref-1' },
          ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
          iv: { B: new Uint8Array(12).fill(1) },
          ct: { B: new Uint8Array(40).fill(2) },
          expiresAt: { N: '1848873600' },
          cshard: { N: '7' },
          cday: { S: '2026-11-28' },
          // The sparse receipts index: a withdrawal finds the statement by its receipt.
          rcpt: { S: 'R#11111111-2222-4333-8444-555555555555' },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(input?.TransactItems?.[1]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: { S: 'C#7' }, sk: { S: '2026-11-28' } },
        UpdateExpression: 'ADD #cc :one',
        ExpressionAttributeNames: { '#cc': 'PL' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      },
    });
  });

  it('writes a test statement to the test families, tagged, and checks in the same transaction that the initiative is still in test mode', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});

    const outcome = await store().storeAndCount(
      record({
        mode: 'test',
        email: { sealed: sealed('email-key-ref'), expiresAtEpochSeconds: 1_856_649_600 },
      }),
    );

    expect(outcome).toEqual({ kind: 'stored' });
    const items = ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(
      items.map((i) => i.Put?.Item?.pk?.S ?? i.Update?.Key?.pk?.S ?? i.ConditionCheck?.Key?.pk?.S),
    ).toEqual([`T#${DEDUP}`, 'CT#7', 'ET#11111111-2222-4333-8444-555555555555', 'INITIATIVE']);
    expect(items[0]?.Put?.Item).toMatchObject({
      mode: { S: 'test' },
      cshard: { N: '7' },
      cday: { S: '2026-11-28' },
      rcpt: { S: 'R#11111111-2222-4333-8444-555555555555' },
    });
    expect(items[1]?.Update).toMatchObject({
      Key: { sk: { S: '2026-11-28' } },
      ExpressionAttributeNames: { '#cc': 'PL' },
    });
    expect(items[2]?.Put?.Item).toMatchObject({ mode: { S: 'test' } });
    expect(items[3]).toEqual({
      ConditionCheck: {
        TableName: TABLE,
        Key: { pk: { S: 'INITIATIVE' }, sk: { S: 'CONFIG' } },
        ConditionExpression: 'attribute_not_exists(#mode) OR #mode = :test',
        ExpressionAttributeNames: { '#mode': 'mode' },
        ExpressionAttributeValues: { ':test': { S: 'test' } },
      },
    });
  });

  it('writes a live statement without a mode tag and without the initiative check', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});

    await store().storeAndCount(record());

    const items = ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.some((i) => i.ConditionCheck)).toBe(false);
    expect(items[0]?.Put?.Item?.mode).toBeUndefined();
  });

  it('answers `mode_changed` when the initiative went live before a test statement was written', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(canceled('None', 'None', 'ConditionalCheckFailed'));

    const outcome = await store().storeAndCount(record({ mode: 'test' }));

    expect(outcome).toEqual({ kind: 'mode_changed' });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('adds the e-mail item to the same transaction only when there is one', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});

    await store().storeAndCount(
      record({ email: { sealed: sealed('email-key-ref'), expiresAtEpochSeconds: 1_856_649_600 } }),
    );

    const items = ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(3);
    expect(items?.[2]).toEqual({
      Put: {
        TableName: TABLE,
        Item: {
          pk: { S: 'E#11111111-2222-4333-8444-555555555555' },
          sk: { S: 'E' },
          statementId: { S: '11111111-2222-4333-8444-555555555555' },
          dk: { S: 'email-key-ref' },
          ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
          iv: { B: new Uint8Array(12).fill(1) },
          ct: { B: new Uint8Array(40).fill(2) },
          expiresAt: { N: '1856649600' },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });

  it('picks the shard among the configured number of shards', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const pickShard = vi.fn(() => 3);

    await store({ shards: 5, pickShard }).storeAndCount(record());

    expect(pickShard).toHaveBeenCalledWith(5);
  });

  it('spreads counter writes over all shards by default', { timeout: 30_000 }, async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const s = new DynamoStatementStore(new DynamoDBClient({}), TABLE, { shards: 4 });

    for (let i = 0; i < 200; i++) await s.storeAndCount(record());

    const shards = new Set(
      ddb
        .commandCalls(TransactWriteItemsCommand)
        .map((c) => c.args[0].input.TransactItems?.[1]?.Update?.Key?.pk?.S),
    );
    expect(shards).toEqual(new Set(['C#0', 'C#1', 'C#2', 'C#3']));
  });

  it('reports the consumed write capacity', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({
      ConsumedCapacity: [
        { TableName: TABLE, CapacityUnits: 4 },
        { TableName: TABLE, CapacityUnits: 2 },
      ],
    });
    const onConsumedCapacity = vi.fn();

    await store({ onConsumedCapacity }).storeAndCount(record());

    expect(onConsumedCapacity).toHaveBeenCalledWith(6);
    expect(ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.ReturnConsumedCapacity).toBe(
      'TOTAL',
    );
  });

  it('answers `duplicate` with the existing record when the statement condition fails', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(canceled('ConditionalCheckFailed', 'None'));
    ddb.on(GetItemCommand).resolves({
      Item: {
        statementId: { S: 'first-statement' },
        submissionId: { S: 'first-submission' },
        submittedAt: { S: '2026-11-27T09:00:00.000Z' },
      },
    });

    const outcome = await store().storeAndCount(record());

    expect(outcome).toEqual({
      kind: 'duplicate',
      existing: {
        statementId: 'first-statement',
        submissionId: 'first-submission',
        submittedAt: '2026-11-27T09:00:00.000Z',
      },
    });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: { S: `S#${DEDUP}` }, sk: { S: 'S' } },
      ConsistentRead: true,
    });
  });

  it('fails as unavailable when the condition failed but the existing statement cannot be read', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(canceled('ConditionalCheckFailed', 'None'));
    ddb.on(GetItemCommand).resolves({});

    await expect(store().storeAndCount(record())).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('retries a transaction conflict on another shard', async () => {
    ddb
      .on(TransactWriteItemsCommand)
      .rejectsOnce(canceled('None', 'TransactionConflict'))
      .rejectsOnce(canceled('None', 'TransactionConflict'))
      .resolves({});
    const shards = [3, 11, 29];
    const sleep = vi.fn(async () => {});

    const outcome = await store({ pickShard: () => shards.shift() ?? 0, sleep }).storeAndCount(record());

    expect(outcome).toEqual({ kind: 'stored' });
    const used = ddb
      .commandCalls(TransactWriteItemsCommand)
      .map((c) => c.args[0].input.TransactItems?.[1]?.Update?.Key?.pk?.S);
    expect(used).toEqual(['C#3', 'C#11', 'C#29']);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('waits briefly between conflict retries by default', async () => {
    ddb.on(TransactWriteItemsCommand).rejectsOnce(canceled('None', 'TransactionConflict')).resolves({});
    const s = new DynamoStatementStore(new DynamoDBClient({}), TABLE, { shards: 2 });

    const outcome = await s.storeAndCount(record());

    expect(outcome).toEqual({ kind: 'stored' });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(2);
  });

  it('gives up after maxAttempts conflicts with DependencyUnavailableError("database")', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(canceled('None', 'TransactionConflict'));

    const error = await store({ maxAttempts: 4 })
      .storeAndCount(record())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'database' });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(4);
  });

  it('tries 6 times by default', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(canceled('None', 'TransactionConflict'));

    await expect(store().storeAndCount(record())).rejects.toBeInstanceOf(DependencyUnavailableError);

    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(6);
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ $metadata: {}, message: 'throttled' })],
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ $metadata: {}, message: 'exceeded' }),
    ],
    ['InternalServerError', new InternalServerError({ $metadata: {}, message: 'internal' })],
    ['a cancellation for throttling', canceled('ThrottlingError', 'None')],
  ])('turns %s into DependencyUnavailableError("database") without retrying', async (_, failure) => {
    ddb.on(TransactWriteItemsCommand).rejects(failure);

    const error = await store()
      .storeAndCount(record())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'database' });
    expect((error as Error).cause).toBe(failure);
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });
});

describe('DynamoStatementStore.findByDedupKey', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('reads the statement item consistently, projecting only what a retry needs', async () => {
    ddb.on(GetItemCommand).resolves({
      Item: {
        statementId: { S: 'sid' },
        submissionId: { S: 'sub' },
        submittedAt: { S: '2026-11-28T10:00:00.000Z' },
      },
    });

    const found = await store().findByDedupKey(DEDUP, 'live');

    expect(found).toEqual({
      statementId: 'sid',
      submissionId: 'sub',
      submittedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `S#${DEDUP}` }, sk: { S: 'S' } },
      ProjectionExpression: 'statementId, submissionId, submittedAt',
      ConsistentRead: true,
    });
  });

  it('looks a test statement up among the test statements (T#)', async () => {
    ddb.on(GetItemCommand).resolves({});

    await store().findByDedupKey(DEDUP, 'test');

    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input.Key).toEqual({
      pk: { S: `T#${DEDUP}` },
      sk: { S: 'S' },
    });
  });

  it('answers undefined for no item or an incomplete one', async () => {
    ddb
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { statementId: { S: 'sid' } } });

    expect(await store().findByDedupKey(DEDUP, 'live')).toBeUndefined();
    expect(await store().findByDedupKey(DEDUP, 'live')).toBeUndefined();
  });

  it('turns a read failure into DependencyUnavailableError("database")', async () => {
    ddb.on(GetItemCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'x' }));

    await expect(store().findByDedupKey(DEDUP, 'live')).rejects.toMatchObject({ dependency: 'database' });
  });
});

const ANSWER_KEY = 'b'.repeat(64);
const NOW = 1_795_860_000;

function answer(overrides: Partial<DuplicateAnswerRecord> = {}): DuplicateAnswerRecord {
  return {
    answerKey: ANSWER_KEY,
    receipt: '99999999-8888-4777-8666-555555555555',
    submittedAt: '2026-11-28T10:00:00.000Z',
    expiresAtEpochSeconds: NOW + 172_800,
    ...overrides,
  };
}

const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({
    $metadata: {},
    message: 'The conditional request failed',
    ...(item ? { Item: item } : {}),
  });

describe('DynamoStatementStore duplicate answers', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('keeps a duplicate answer in one conditional put: receipt, time and expiry only', async () => {
    ddb.on(PutItemCommand).resolves({});

    const outcome = await store().keepDuplicateAnswer(answer(), NOW);

    expect(outcome).toEqual({ kind: 'kept' });
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: `D#${ANSWER_KEY}` },
        sk: { S: 'D' },
        receipt: { S: '99999999-8888-4777-8666-555555555555' },
        submittedAt: { S: '2026-11-28T10:00:00.000Z' },
        expiresAt: { N: String(NOW + 172_800) },
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': { N: String(NOW) } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('answers as the concurrent retry that kept its answer first (from the refused put)', async () => {
    ddb.on(PutItemCommand).rejects(
      conditionFailed({
        receipt: { S: 'winner-receipt' },
        submittedAt: { S: '2026-11-28T09:59:59.000Z' },
        expiresAt: { N: String(NOW + 100) },
      }),
    );

    const outcome = await store().keepDuplicateAnswer(answer(), NOW);

    expect(outcome).toEqual({
      kind: 'already_answered',
      answer: { receipt: 'winner-receipt', submittedAt: '2026-11-28T09:59:59.000Z' },
    });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('reads the winner when the refused put does not return it', async () => {
    ddb.on(PutItemCommand).rejects(conditionFailed());
    ddb.on(GetItemCommand).resolves({
      Item: {
        receipt: { S: 'winner-receipt' },
        submittedAt: { S: '2026-11-28T09:59:59.000Z' },
        expiresAt: { N: String(NOW + 100) },
      },
    });

    const outcome = await store().keepDuplicateAnswer(answer(), NOW);

    expect(outcome).toMatchObject({ kind: 'already_answered', answer: { receipt: 'winner-receipt' } });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: { S: `D#${ANSWER_KEY}` }, sk: { S: 'D' } },
      ConsistentRead: true,
    });
  });

  it('fails as unavailable when the put is refused but no answer can be read', async () => {
    ddb.on(PutItemCommand).rejects(conditionFailed());
    ddb.on(GetItemCommand).resolves({});

    await expect(store().keepDuplicateAnswer(answer(), NOW)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });

  it('turns a failed put into DependencyUnavailableError("database")', async () => {
    const failure = new ThrottlingException({ $metadata: {}, message: 'throttled' });
    ddb.on(PutItemCommand).rejects(failure);

    const error = await store()
      .keepDuplicateAnswer(answer(), NOW)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'DependencyUnavailableError', dependency: 'database' });
    expect((error as Error).cause).toBe(failure);
  });

  it('finds a kept answer with a consistent read of its key', async () => {
    ddb.on(GetItemCommand).resolves({
      Item: {
        receipt: { S: 'kept-receipt' },
        submittedAt: { S: '2026-11-28T10:00:00.000Z' },
        expiresAt: { N: String(NOW + 1) },
      },
    });

    const found = await store().findDuplicateAnswer(ANSWER_KEY, NOW);

    expect(found).toEqual({ receipt: 'kept-receipt', submittedAt: '2026-11-28T10:00:00.000Z' });
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `D#${ANSWER_KEY}` }, sk: { S: 'D' } },
      ProjectionExpression: 'receipt, submittedAt, expiresAt',
      ConsistentRead: true,
    });
  });

  it('reads an expired answer that TTL has not removed yet as absent', async () => {
    ddb.on(GetItemCommand).resolves({
      Item: {
        receipt: { S: 'old-receipt' },
        submittedAt: { S: '2026-11-26T10:00:00.000Z' },
        expiresAt: { N: String(NOW) },
      },
    });

    expect(await store().findDuplicateAnswer(ANSWER_KEY, NOW)).toBeUndefined();
  });

  it('looks a test statement up among the test statements (T#)', async () => {
    ddb.on(GetItemCommand).resolves({});

    await store().findByDedupKey(DEDUP, 'test');

    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input.Key).toEqual({
      pk: { S: `T#${DEDUP}` },
      sk: { S: 'S' },
    });
  });

  it('answers undefined for no item or an incomplete one', async () => {
    ddb
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { receipt: { S: 'r' }, expiresAt: { N: String(NOW + 10) } } });

    expect(await store().findDuplicateAnswer(ANSWER_KEY, NOW)).toBeUndefined();
    expect(await store().findDuplicateAnswer(ANSWER_KEY, NOW)).toBeUndefined();
  });
});
