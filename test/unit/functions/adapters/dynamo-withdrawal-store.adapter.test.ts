import {
  DynamoDBClient,
  InternalServerError,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoWithdrawalStore } from '@ocs/functions/adapters/dynamo-withdrawal-store.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const RECEIPT = '11111111-2222-4333-8444-555555555555';
const DEDUP = 'a'.repeat(64);
const ddb = mockClient(DynamoDBClient);

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    $metadata: {},
    message: 'Transaction cancelled',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** The index entry of a statement, as the receipts index projects it. */
const indexed = (pk = `S#${DEDUP}`) => ({
  pk: { S: pk },
  sk: { S: 'S' },
  rcpt: { S: `R#${RECEIPT}` },
  country: { S: 'PL' },
  cshard: { N: '7' },
  cday: { S: '2026-11-28' },
});

const store = () => new DynamoWithdrawalStore(new DynamoDBClient({}), TABLE, { sleep: async () => {} });

describe('DynamoWithdrawalStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('finds the statement on the receipts index, then deletes it, takes its count back and deletes its e-mail in ONE transaction', async () => {
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb.on(TransactWriteItemsCommand).resolves({});

    const outcome = await store().withdraw(RECEIPT.toUpperCase());

    expect(outcome).toBe('withdrawn');
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'receipts',
      KeyConditionExpression: '#r = :r',
      ExpressionAttributeNames: { '#r': 'rcpt' },
      ExpressionAttributeValues: { ':r': { S: `R#${RECEIPT}` } },
    });
    const calls = ddb.commandCalls(TransactWriteItemsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.TransactItems).toEqual([
      {
        Delete: {
          TableName: TABLE,
          Key: { pk: { S: `S#${DEDUP}` }, sk: { S: 'S' } },
          ConditionExpression: '#r = :r',
          ExpressionAttributeNames: { '#r': 'rcpt' },
          ExpressionAttributeValues: { ':r': { S: `R#${RECEIPT}` } },
        },
      },
      {
        Update: {
          TableName: TABLE,
          Key: { pk: { S: 'C#7' }, sk: { S: '2026-11-28' } },
          UpdateExpression: 'ADD #cc :minus',
          ConditionExpression: '#cc >= :one',
          ExpressionAttributeNames: { '#cc': 'PL' },
          ExpressionAttributeValues: { ':minus': { N: '-1' }, ':one': { N: '1' } },
        },
      },
      { Delete: { TableName: TABLE, Key: { pk: { S: `E#${RECEIPT}` }, sk: { S: 'E' } } } },
    ]);
  });

  it('withdraws a test statement from the test families (CT# counter, ET# e-mail)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [indexed(`T#${DEDUP}`)] });
    ddb.on(TransactWriteItemsCommand).resolves({});

    await store().withdraw(RECEIPT);

    const items = ddb.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Delete?.Key?.pk?.S ?? i.Update?.Key?.pk?.S)).toEqual([
      `T#${DEDUP}`,
      'CT#7',
      `ET#${RECEIPT}`,
    ]);
  });

  it('answers not_found, writing nothing, when no statement has the receipt (a decoy, a withdrawn one, none)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    expect(await store().withdraw(RECEIPT)).toBe('not_found');
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('ignores an index entry that is not a statement or lacks its counter', async () => {
    const { cshard: _ignored, ...withoutShard } = indexed();
    ddb.on(QueryCommand).resolves({ Items: [indexed(`E#${RECEIPT}`), withoutShard] });

    expect(await store().withdraw(RECEIPT)).toBe('not_found');
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('answers not_found when another withdrawal (or the destruction) deleted the statement first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb.on(TransactWriteItemsCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));

    expect(await store().withdraw(RECEIPT)).toBe('not_found');
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
  });

  it('never takes a count below zero: a counter already at zero leaves it, and the statement still goes', async () => {
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb
      .on(TransactWriteItemsCommand)
      .rejectsOnce(canceled('None', 'ConditionalCheckFailed', 'None'))
      .resolves({});

    expect(await store().withdraw(RECEIPT)).toBe('withdrawn');
    const second = ddb.commandCalls(TransactWriteItemsCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(second.map((i) => Object.keys(i)[0])).toEqual(['Delete', 'Delete']);
  });

  it('retries a transaction conflict, then answers 503 when it persists', async () => {
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb
      .on(TransactWriteItemsCommand)
      .rejectsOnce(canceled('None', 'TransactionConflict', 'None'))
      .resolves({});
    expect(await store().withdraw(RECEIPT)).toBe('withdrawn');

    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb.on(TransactWriteItemsCommand).rejects(canceled('None', 'TransactionConflict', 'None'));
    await expect(store().withdraw(RECEIPT)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(4);
  });

  it('turns a failing index query or transaction into 503', async () => {
    ddb.on(QueryCommand).rejects(new InternalServerError({ $metadata: {}, message: 'boom' }));
    await expect(store().withdraw(RECEIPT)).rejects.toBeInstanceOf(DependencyUnavailableError);

    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [indexed()] });
    ddb.on(TransactWriteItemsCommand).rejects(new InternalServerError({ $metadata: {}, message: 'boom' }));
    await expect(store().withdraw(RECEIPT)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
