import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  ThrottlingException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoSignInMarkerStore } from '@ocs/functions/adapters/dynamo-sign-in-marker.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const CLAIM = 'attribute_not_exists(pk) OR (attribute_not_exists(recorded) AND heldUntil < :now)';
const EXPIRES = 1_780_000_000;
const at = (now: number) => ({ now, holdUntil: now + 60, expiresAt: EXPIRES });

/** The marker items, evaluating exactly the claim condition the adapter sends (else refused). */
function emulateTable() {
  const items = new Map<string, Record<string, AttributeValue>>();
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    const item = input.Item ?? {};
    const key = `${item.pk?.S}|${item.sk?.S}`;
    const existing = items.get(key);
    if (input.ConditionExpression !== undefined) {
      if (input.ConditionExpression !== CLAIM)
        throw new Error(`unexpected condition ${input.ConditionExpression}`);
      const now = Number(input.ExpressionAttributeValues?.[':now']?.N);
      const free = !existing || (existing.recorded === undefined && Number(existing.heldUntil?.N) < now);
      if (!free) {
        throw new ConditionalCheckFailedException({
          $metadata: {},
          message: 'The conditional request failed',
        });
      }
    }
    items.set(key, item);
    return {};
  });
  return items;
}

describe('DynamoSignInMarkerStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('claims a session with a conditional put that holds for a while and expires by TTL', async () => {
    ddb.on(PutItemCommand).resolves({});
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    expect(await markers.claim('sub-1', 'auth_time:1777626000', at(1_777_626_010))).toBe(true);
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: 'M#sub-1#auth_time%3A1777626000' },
        sk: { S: 'M' },
        expiresAt: { N: String(EXPIRES) },
        heldUntil: { N: '1777626070' },
      },
      ConditionExpression: CLAIM,
      ExpressionAttributeValues: { ':now': { N: '1777626010' } },
    });
  });

  it('refuses a second claim while the first holds, and any claim once confirmed', async () => {
    emulateTable();
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    expect(await markers.claim('sub-1', 'sid:abc', at(1000))).toBe(true);
    expect(await markers.claim('sub-1', 'sid:abc', at(1030))).toBe(false);
    await markers.confirm('sub-1', 'sid:abc', EXPIRES);
    expect(await markers.claim('sub-1', 'sid:abc', at(5000))).toBe(false);
  });

  it('lets a claim be taken over once released or lapsed', async () => {
    emulateTable();
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    await markers.claim('sub-1', 'sid:abc', at(1000));
    await markers.release('sub-1', 'sid:abc', EXPIRES);
    expect(await markers.claim('sub-1', 'sid:abc', at(1001))).toBe(true);
    expect(await markers.claim('sub-1', 'sid:abc', at(1061))).toBe(false);
    expect(await markers.claim('sub-1', 'sid:abc', at(1062))).toBe(true);
  });

  it('keeps a # in a subject or session from colliding with another marker', async () => {
    emulateTable();
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    expect(await markers.claim('a#1', '2', at(1000))).toBe(true);
    expect(await markers.claim('a', '1#2', at(1000))).toBe(true);
  });

  it('writes with puts only: confirm and release replace the item unconditionally', async () => {
    ddb.on(PutItemCommand).resolves({});
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    await markers.confirm('sub-1', 'sid:abc', EXPIRES);
    await markers.release('sub-1', 'sid:abc', EXPIRES);

    const key = { pk: { S: 'M#sub-1#sid%3Aabc' }, sk: { S: 'M' }, expiresAt: { N: String(EXPIRES) } };
    expect(ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: TABLE, Item: { ...key, recorded: { BOOL: true } } },
      { TableName: TABLE, Item: { ...key, heldUntil: { N: '0' } } },
    ]);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('turns other failures into DependencyUnavailableError("database")', async () => {
    ddb.on(PutItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    const markers = new DynamoSignInMarkerStore(new DynamoDBClient({}), TABLE);

    await expect(markers.claim('s', 'x', at(1))).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(markers.confirm('s', 'x', 1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(markers.release('s', 'x', 1)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
