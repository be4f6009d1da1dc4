import { readFileSync } from 'node:fs';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ThrottlingException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoAuditTrail } from '@ocs/functions/adapters/dynamo-audit-trail.adapter';
import { canonicalJson, GENESIS_HASH, hashEntry, verifyChain } from '@ocs/shared/audit';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORGANISER } from '../../../support/audit-chain';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const clock = { now: () => new Date('2026-05-01T09:00:00.000Z') };
const noWait = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)) };

/**
 * The audit partition of a table, emulating exactly what the adapter sends: consistent queries
 * on `pk = :pk` (optionally `AND sk > :after`, either direction, Limit, ExclusiveStartKey) and
 * puts conditioned on `attribute_not_exists(pk)`. Anything else is refused.
 */
function emulateTable() {
  const items = new Map<string, Record<string, AttributeValue>>();
  const stats = { conflicts: 0 };
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    if (input.ConditionExpression !== 'attribute_not_exists(pk)') throw new Error('unexpected condition');
    const item = input.Item ?? {};
    const key = `${item.pk?.S}|${item.sk?.S}`;
    if (items.has(key)) {
      stats.conflicts += 1;
      throw new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' });
    }
    items.set(key, item);
    return {};
  });
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    if (input.ConsistentRead !== true) throw new Error('audit reads must be consistent');
    const values = input.ExpressionAttributeValues ?? {};
    const after = values[':after']?.S;
    if (input.KeyConditionExpression !== (after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after')) {
      throw new Error(`unexpected key condition ${input.KeyConditionExpression}`);
    }
    let found = [...items.values()]
      .filter((i) => i.pk?.S === values[':pk']?.S && (after === undefined || (i.sk?.S ?? '') > after))
      .sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
    if (input.ScanIndexForward === false) found.reverse();
    const start = input.ExclusiveStartKey?.sk?.S;
    if (start !== undefined) found = found.filter((i) => (i.sk?.S ?? '') > start);
    const page = found.slice(0, input.Limit ?? found.length);
    const last = page.at(-1);
    return {
      Items: page,
      LastEvaluatedKey: page.length < found.length && last ? { pk: last.pk, sk: last.sk } : undefined,
    } as never;
  });
  return { items, stats };
}

describe('DynamoAuditTrail', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('puts the first entry at seq 1 on the genesis hash, conditionally, as canonical JSON and hash', async () => {
    const { items } = emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock);

    const entry = await trail.append(ORGANISER, 'sign_in', { authTime: '2026-05-01T08:59:00.000Z' });

    expect(entry).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-05-01T09:00:00.000Z' });
    const { hash, ...unhashed } = entry;
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: 'L' },
        sk: { S: '000000000001' },
        seq: { N: '1' },
        entry: { S: canonicalJson(unhashed) },
        hash: { S: hash },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(hash).toBe(await hashEntry(unhashed));
    expect(items.size).toBe(1);
  });

  it('reads the head with one consistent, descending query of the audit partition', async () => {
    emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock);
    expect(await trail.head()).toBeUndefined();
    await trail.append(ORGANISER, 'sign_in', {});
    const second = await trail.append(ORGANISER, 'go_live', {});

    expect(await trail.head()).toEqual(second);
    expect(ddb.commandCalls(QueryCommand).at(-1)?.args[0].input).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'L' } },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
  });

  it('never forks nor loses an entry under concurrent appends (retries lost races)', async () => {
    const { stats } = emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock, { ...noWait, maxAttempts: 100 });

    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, i) => trail.append(ORGANISER, 'initiative_updated', { n: i })),
    );

    expect(stats.conflicts).toBeGreaterThan(0);
    const listed = await trail.list();
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(listed.map((e) => e.details.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect([...appended].sort((a, b) => a.seq - b.seq)).toEqual(listed);
    expect(await verifyChain(listed)).toMatchObject({ valid: true, count: 20 });
  });

  it('backs off with full jitter, doubling up to the ceiling, then gives up as a database failure', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );
    const waits: number[] = [];
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock, {
      maxAttempts: 8,
      baseDelayMs: 10,
      maxDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    const error = await trail.append(ORGANISER, 'sign_in', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'database' });
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(8);
    expect(waits).toEqual([5, 10, 20, 40, 50, 50, 50]);
  });

  it('turns any other failure into DependencyUnavailableError("database") without retrying', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock, noWait);

    const error = await trail.append(ORGANISER, 'sign_in', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(ddb.commandCalls(PutItemCommand)).toHaveLength(1);
    ddb.on(QueryCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    await expect(trail.list()).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(trail.head()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('lists after a seq, up to a limit, across query pages, in seq order', async () => {
    emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock);
    for (let i = 0; i < 7; i++) await trail.append(ORGANISER, 'initiative_updated', { n: i });

    expect((await trail.list({ after: 2 })).map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect((await trail.list({ after: 2, limit: 3 })).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(await trail.list({ after: 7 })).toEqual([]);
    const call = ddb.commandCalls(QueryCommand).at(-1)?.args[0].input;
    expect(call?.ExpressionAttributeValues?.[':after']).toEqual({ S: '000000000007' });
  });

  it('follows LastEvaluatedKey until the limit is reached', async () => {
    const { items } = emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock);
    for (let i = 0; i < 5; i++) await trail.append(ORGANISER, 'sign_in', {});
    // A query that returns two items a page, as DynamoDB does when a page hits its size cap.
    ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
      const start = input.ExclusiveStartKey?.sk?.S ?? '';
      const rest = [...items.values()]
        .filter((i) => (i.sk?.S ?? '') > start)
        .sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
      const page = rest.slice(0, Math.min(2, input.Limit ?? 2));
      const last = page.at(-1);
      return {
        Items: page,
        LastEvaluatedKey: rest.length > page.length && last ? { pk: last.pk, sk: last.sk } : undefined,
      } as never;
    });

    expect((await trail.list()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await trail.list({ limit: 3 })).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(
      ddb
        .commandCalls(QueryCommand)
        .slice(-2)
        .map((c) => c.args[0].input.Limit),
    ).toEqual([3, 1]);
  });

  it('returns entries in the contract order, and refuses an unreadable item', async () => {
    const { items } = emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock);
    await trail.append(ORGANISER, 'go_live', { registrationNumber: 'ECI(2026)000001' });

    expect(Object.keys((await trail.list())[0] ?? {})).toEqual([
      'seq',
      'at',
      'actor',
      'action',
      'details',
      'prevHash',
      'hash',
    ]);
    items.set('L|000000000002', { pk: { S: 'L' }, sk: { S: '000000000002' }, entry: { S: '{not json' } });
    await expect(trail.head()).rejects.toThrow(/Unreadable audit item at sort key 000000000002/);
  });

  it('never sends UpdateItem or DeleteItem, and its source has no such code path', async () => {
    emulateTable();
    const trail = new DynamoAuditTrail(new DynamoDBClient({}), TABLE, clock, noWait);
    await Promise.all([trail.append(ORGANISER, 'sign_in', {}), trail.append(ORGANISER, 'go_live', {})]);
    await trail.list();

    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
    const source = readFileSync(
      new URL('../../../../functions/src/adapters/dynamo-audit-trail.adapter.ts', import.meta.url),
      'utf8',
    );
    expect(source).not.toMatch(/UpdateItem|DeleteItem|TransactWrite|BatchWrite/);
  });
});
