import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoInitiativeStore } from '@ocs/functions/adapters/dynamo-initiative-store.adapter';
import { DependencyUnavailableError, InitiativeNotConfiguredError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { testInitiative } from '../support/data';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const KEY = { pk: { S: 'INITIATIVE' }, sk: { S: 'CONFIG' } };

describe('DynamoInitiativeStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('reads the initiative item through the schema', async () => {
    ddb.on(GetItemCommand).resolves({ Item: { ...KEY, data: { M: marshall(testInitiative()) } } });

    const initiative = await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).get();

    expect(initiative).toEqual(testInitiative());
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      ConsistentRead: true,
    });
  });

  it('reads a seeded item (no lifecycle attributes) as a new initiative: test mode, version 0', async () => {
    ddb.on(GetItemCommand).resolves({ Item: { ...KEY, data: { M: marshall(testInitiative()) } } });

    const state = await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).state();

    expect(state).toEqual({ initiative: testInitiative(), lifecycle: { mode: 'test' }, version: 0 });
  });

  it('reads the lifecycle attributes and the version, ignoring malformed dates', async () => {
    ddb.on(GetItemCommand).resolves({
      Item: {
        ...KEY,
        data: { M: marshall(testInitiative()) },
        mode: { S: 'live' },
        liveSince: { S: '2026-11-20T09:00:00.000Z' },
        submittedOn: { S: '2027-12-01' },
        withdrawnOn: { S: 'yesterday' },
        testWipePending: { BOOL: true },
        testWipeLeaseUntil: { S: '2026-11-20T09:02:00.000Z' },
        version: { N: '7' },
      },
    });

    const state = await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).state();

    expect(state?.lifecycle).toEqual({
      mode: 'live',
      liveSince: '2026-11-20T09:00:00.000Z',
      submittedOn: '2027-12-01',
      testWipePending: true,
      testWipeLeaseUntil: '2026-11-20T09:02:00.000Z',
    });
    expect(state?.version).toBe(7);
  });

  it('replaces the whole item on the version read, with the next version', async () => {
    ddb.on(PutItemCommand).resolves({});
    const store = new DynamoInitiativeStore(new DynamoDBClient({}), TABLE);

    const written = await store.replace(3, {
      initiative: testInitiative({ enabled: false }),
      lifecycle: { mode: 'live', liveSince: '2026-11-20T09:00:00.000Z', submittedOn: '2027-12-01' },
    });

    expect(written).toBe(true);
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': { N: '3' } },
    });
    expect(input?.Item).toEqual({
      ...KEY,
      data: { M: marshall(testInitiative({ enabled: false }), { removeUndefinedValues: true }) },
      mode: { S: 'live' },
      liveSince: { S: '2026-11-20T09:00:00.000Z' },
      submittedOn: { S: '2027-12-01' },
      version: { N: '4' },
    });
  });

  it('replaces the seeded item (no version attribute) as version 0', async () => {
    ddb.on(PutItemCommand).resolves({});

    await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).replace(0, {
      initiative: testInitiative(),
      lifecycle: { mode: 'test' },
    });

    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input.ConditionExpression).toBe(
      'attribute_exists(pk) AND (attribute_not_exists(#version) OR #version = :expected)',
    );
  });

  it('answers false, writing nothing, when the version moved on', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'moved' }));

    expect(
      await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).replace(1, {
        initiative: testInitiative(),
        lifecycle: { mode: 'test' },
      }),
    ).toBe(false);
  });

  it('fills schema defaults on read (an organiser without a role is a member)', async () => {
    const stored = testInitiative();
    const organisers = stored.organisers.map(({ name, country }) => ({ name, country }));
    ddb.on(GetItemCommand).resolves({ Item: { ...KEY, data: { M: marshall({ ...stored, organisers }) } } });

    const initiative = await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).get();

    expect(initiative?.organisers.map((o) => o.role)).toEqual(['member', 'member']);
  });

  it('answers undefined when there is no initiative item', async () => {
    ddb.on(GetItemCommand).resolves({});

    expect(await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).get()).toBeUndefined();
  });

  it('refuses a corrupt item as not configured, naming the invalid paths only', async () => {
    const corrupt = {
      ...testInitiative(),
      registrationNumber: 'not a number',
      registerUrl: 'http://insecure',
    };
    ddb.on(GetItemCommand).resolves({ Item: { ...KEY, data: { M: marshall(corrupt) } } });

    const error = await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE)
      .get()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InitiativeNotConfiguredError);
    const cause = (error as Error).cause as Error;
    expect(cause.message).toMatch(/registrationNumber/);
    expect(cause.message).toMatch(/registerUrl/);
    expect(cause.message).not.toMatch(/not a number|insecure/);
  });

  it('creates the item only if absent, storing what it reads back', async () => {
    let stored: Record<string, AttributeValue> | undefined;
    ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      stored = input.Item;
      return {};
    });
    ddb.on(GetItemCommand).callsFake(() => ({ Item: stored }));
    const store = new DynamoInitiativeStore(new DynamoDBClient({}), TABLE);

    const created = await store.createIfAbsent(testInitiative());
    const read = await store.get();

    expect(created).toBe(true);
    expect(read).toEqual(testInitiative());
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(input?.Item).toMatchObject(KEY);
  });

  it('answers false when the initiative exists already', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' }));

    expect(
      await new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).createIfAbsent(testInitiative()),
    ).toBe(false);
  });

  it('refuses to store an invalid initiative', async () => {
    ddb.on(PutItemCommand).resolves({});
    const invalid = {
      ...testInitiative(),
      collection: { start: '2026-11-01', end: '2028-01-01', enabled: true },
    };

    await expect(
      new DynamoInitiativeStore(new DynamoDBClient({}), TABLE).createIfAbsent(invalid),
    ).rejects.toThrow();
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('turns database failures into DependencyUnavailableError("database")', async () => {
    ddb.on(GetItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));
    ddb.on(PutItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'throttled' }));
    const store = new DynamoInitiativeStore(new DynamoDBClient({}), TABLE);

    await expect(store.get()).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.createIfAbsent(testInitiative())).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(
      store.replace(0, { initiative: testInitiative(), lifecycle: { mode: 'test' } }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
