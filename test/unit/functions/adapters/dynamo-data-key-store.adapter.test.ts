import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDataKeyStore } from '@ocs/functions/adapters/dynamo-data-key-store.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { DataKeyRecord } from '@ocs/shared/ports';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const RECORD: DataKeyRecord = {
  ref: '9b2f7c1e-0d44-4a8e-9f3a-6c5b4d3e2f10',
  masterKeyId: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd',
  ciphertext: new Uint8Array([1, 2, 3, 250]),
  context: { initiative: 'clean-rivers', purpose: 'statement-data' },
  createdAt: '2026-11-28T10:00:00.000Z',
};

describe('DynamoDataKeyStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('puts the wrapped key, its context and its expiry, never overwriting', async () => {
    ddb.on(PutItemCommand).resolves({});

    await new DynamoDataKeyStore(new DynamoDBClient({}), TABLE).put(RECORD, 1_848_873_600);

    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: `K#${RECORD.ref}` },
        sk: { S: 'K' },
        masterKeyId: { S: RECORD.masterKeyId },
        edk: { B: RECORD.ciphertext },
        ctx: { M: { initiative: { S: 'clean-rivers' }, purpose: { S: 'statement-data' } } },
        createdAt: { S: RECORD.createdAt },
        expiresAt: { N: '1848873600' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('reads back what it wrote (round trip), consistently', async () => {
    let stored: Record<string, AttributeValue> | undefined;
    ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      stored = input.Item;
      return {};
    });
    ddb.on(GetItemCommand).callsFake(() => ({ Item: stored }));
    const store = new DynamoDataKeyStore(new DynamoDBClient({}), TABLE);

    await store.put(RECORD, 1_848_873_600);
    const read = await store.get(RECORD.ref);

    expect(read).toEqual(RECORD);
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: `K#${RECORD.ref}` }, sk: { S: 'K' } },
      ConsistentRead: true,
    });
  });

  it.each([
    ['no item', {}],
    ['no wrapped key', { Item: { masterKeyId: { S: 'k' }, ctx: { M: {} }, createdAt: { S: 't' } } }],
    [
      'no context',
      { Item: { masterKeyId: { S: 'k' }, edk: { B: new Uint8Array(1) }, createdAt: { S: 't' } } },
    ],
  ])('answers undefined for %s', async (_, output) => {
    ddb.on(GetItemCommand).resolves(output);

    expect(await new DynamoDataKeyStore(new DynamoDBClient({}), TABLE).get('ref')).toBeUndefined();
  });

  it('turns failures into DependencyUnavailableError("database"), a duplicate ref included', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' }));
    ddb.on(GetItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));
    const store = new DynamoDataKeyStore(new DynamoDBClient({}), TABLE);

    await expect(store.put(RECORD, 1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.get(RECORD.ref)).rejects.toMatchObject({ dependency: 'database' });
  });
});
