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
const counter = (country: string, n: number) => ({ sk: { S: country }, n: { N: String(n) } });

describe('DynamoProgressStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('queries every shard partition, consistently, projecting country and count', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await new DynamoProgressStore(new DynamoDBClient({}), TABLE, 4).read();

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
      ProjectionExpression: 'sk, #n',
      ExpressionAttributeNames: { '#n': 'n' },
      ConsistentRead: true,
    });
  });

  it('sums the shards per country', async () => {
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const shard = input.ExpressionAttributeValues?.[':pk']?.S;
      if (shard === 'C#0') return { Items: [counter('PL', 3), counter('DE', 10)] };
      if (shard === 'C#1') return { Items: [counter('PL', 4), counter('EL', 1)] };
      return { Items: [counter('PL', 1)] };
    });

    const counts = await new DynamoProgressStore(new DynamoDBClient({}), TABLE, 3).read();

    expect(counts).toEqual({ PL: 8, DE: 10, EL: 1 });
  });

  it('ignores sort keys that are not Member States, and items without a count', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        counter('GR', 5),
        counter('UK', 7),
        counter('XX', 1),
        { sk: { S: 'AT' } },
        counter('AT', 2),
        {},
      ],
    });

    const counts = await new DynamoProgressStore(new DynamoDBClient({}), TABLE, 1).read();

    expect(counts).toEqual({ AT: 2 });
  });

  it('follows LastEvaluatedKey to the last page of a shard', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [counter('FR', 1)], LastEvaluatedKey: { pk: { S: 'C#0' }, sk: { S: 'FR' } } })
      .resolvesOnce({ Items: [counter('IT', 2)], LastEvaluatedKey: { pk: { S: 'C#0' }, sk: { S: 'IT' } } })
      .resolvesOnce({ Items: [counter('SE', 3)] });

    const counts = await new DynamoProgressStore(new DynamoDBClient({}), TABLE, 1).read();

    expect(counts).toEqual({ FR: 1, IT: 2, SE: 3 });
    const starts = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey);
    expect(starts).toEqual([
      undefined,
      { pk: { S: 'C#0' }, sk: { S: 'FR' } },
      { pk: { S: 'C#0' }, sk: { S: 'IT' } },
    ]);
  });

  it('answers no counts for an empty table', async () => {
    ddb.on(QueryCommand).resolves({});

    expect(await new DynamoProgressStore(new DynamoDBClient({}), TABLE, 32).read()).toEqual({});
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(32);
  });

  it('turns a query failure into DependencyUnavailableError("database")', async () => {
    ddb.on(QueryCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));

    await expect(new DynamoProgressStore(new DynamoDBClient({}), TABLE, 2).read()).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});
