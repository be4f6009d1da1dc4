import {
  DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoProgressStore } from '@ocs/functions/adapters/dynamo-progress-store.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
/** A counter item: one shard's counts of one day, one Number attribute per country code. */
const day = (date: string, counts: Record<string, number>) => ({
  pk: { S: 'C#0' },
  sk: { S: date },
  ...Object.fromEntries(Object.entries(counts).map(([cc, n]) => [cc, { N: String(n) }])),
});
const store = (shards: number) => new DynamoProgressStore(new DynamoDBClient({}), TABLE, shards);

describe('DynamoProgressStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('queries every live shard partition (C#), consistently', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store(4).read('live');

    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.ExpressionAttributeValues?.[':pk']?.S).sort()).toEqual([
      'C#0',
      'C#1',
      'C#2',
      'C#3',
    ]);
    expect(inputs[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true,
    });
  });

  it('queries the test shards (CT#) in test mode, never the live ones', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store(3).read('test');
    await store(3).readDays('test');

    const partitions = ddb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S);
    expect(new Set(partitions)).toEqual(new Set(['CT#0', 'CT#1', 'CT#2']));
  });

  it('sums every day of every shard per country', async () => {
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const shard = input.ExpressionAttributeValues?.[':pk']?.S;
      if (shard === 'C#0')
        return { Items: [day('2026-11-01', { PL: 3, DE: 10 }), day('2026-11-02', { PL: 1 })] };
      if (shard === 'C#1') return { Items: [day('2026-11-02', { PL: 4, EL: 1 })] };
      return { Items: [day('2026-11-03', { PL: 1 })] };
    });

    expect(await store(3).read('live')).toEqual({ PL: 9, DE: 10, EL: 1 });
  });

  it('gives the counts per day, summed over shards, in date order', async () => {
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const shard = input.ExpressionAttributeValues?.[':pk']?.S;
      if (shard === 'C#0') return { Items: [day('2026-11-02', { PL: 1 }), day('2026-11-01', { DE: 2 })] };
      return { Items: [day('2026-11-02', { PL: 4, EL: 1 }), day('2026-10-31', { AT: 1 })] };
    });

    expect(await store(2).readDays('live')).toEqual([
      { date: '2026-10-31', counts: { AT: 1 } },
      { date: '2026-11-01', counts: { DE: 2 } },
      { date: '2026-11-02', counts: { PL: 5, EL: 1 } },
    ]);
  });

  it('ignores attributes that are not Member States or not numbers, and sort keys that are not dates', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        day('2026-11-01', { GR: 5, UK: 7, XX: 1, AT: 2 }),
        { pk: { S: 'C#0' }, sk: { S: '2026-11-02' }, AT: { S: '3' } },
        { pk: { S: 'C#0' }, sk: { S: 'AT' }, n: { N: '9' } },
        {},
      ],
    });

    expect(await store(1).read('live')).toEqual({ AT: 2 });
    expect(await store(1).readDays('live')).toEqual([
      { date: '2026-11-01', counts: { AT: 2 } },
      { date: '2026-11-02', counts: {} },
    ]);
  });

  it('follows LastEvaluatedKey to the last page of a shard', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [day('2026-11-01', { FR: 1 })],
        LastEvaluatedKey: { pk: { S: 'C#0' }, sk: { S: '2026-11-01' } },
      })
      .resolvesOnce({
        Items: [day('2026-11-02', { IT: 2 })],
        LastEvaluatedKey: { pk: { S: 'C#0' }, sk: { S: '2026-11-02' } },
      })
      .resolvesOnce({ Items: [day('2026-11-03', { SE: 3 })] });

    expect(await store(1).read('live')).toEqual({ FR: 1, IT: 2, SE: 3 });
    const starts = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey);
    expect(starts).toEqual([
      undefined,
      { pk: { S: 'C#0' }, sk: { S: '2026-11-01' } },
      { pk: { S: 'C#0' }, sk: { S: '2026-11-02' } },
    ]);
  });

  it('answers no counts for an empty table', async () => {
    ddb.on(QueryCommand).resolves({});

    expect(await store(32).read('live')).toEqual({});
    expect(await store(32).readDays('live')).toEqual([]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(64);
  });

  it('turns a query failure into DependencyUnavailableError("database")', async () => {
    ddb.on(QueryCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));

    await expect(store(2).read('live')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
