import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoSignInMarkerStore } from '@ocs/functions/adapters/dynamo-sign-in-marker.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);

describe('DynamoSignInMarkerStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('claims a session with a conditional put that expires by TTL', async () => {
    ddb.on(PutItemCommand).resolves({});
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    expect(await markers.claim('sub-1', 'auth_time:1777626000', 1_780_000_000)).toBe(true);
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: 'M#sub-1#auth_time%3A1777626000' },
        sk: { S: 'M' },
        expiresAt: { N: '1780000000' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('answers false when the session was already claimed', async () => {
    ddb
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    expect(await markers.claim('sub-1', 'sid:abc', 1_780_000_000)).toBe(false);
  });

  it('keeps a # in a subject or session from colliding with another marker', async () => {
    ddb.on(PutItemCommand).resolves({});
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);
    await markers.claim('a#1', '2', 1);
    await markers.claim('a', '1#2', 1);

    const [first, second] = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.pk?.S);
    expect(first).not.toBe(second);
  });

  it('releases a marker by deleting exactly its item', async () => {
    ddb.on(DeleteItemCommand).resolves({});
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    await markers.release('sub-1', 'sid:abc');

    expect(ddb.commandCalls(DeleteItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'M#sub-1#sid%3Aabc' }, sk: { S: 'M' } },
    });
  });

  it('turns other failures into DependencyUnavailableError("database")', async () => {
    ddb.on(PutItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    ddb.on(DeleteItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    await expect(markers.claim('s', 'x', 1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(markers.release('s', 'x')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
