import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoChallengeReplayStore } from '@ocs/functions/adapters/dynamo-challenge-replay.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const NONCE = '0123456789abcdef0123456789abcdef';
const EXPIRES = 1_795_860_600;
const ddb = mockClient(DynamoDBClient);
const CONDITION = 'attribute_not_exists(pk) OR (submissionId = :sid AND dedupKey = :dk)';

/**
 * A one-table emulation of exactly the condition the adapter sends (anything else is refused,
 * so a changed expression fails these tests instead of passing unnoticed).
 */
function emulateTable() {
  const items = new Map<string, Record<string, AttributeValue>>();
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    if (input.ConditionExpression !== CONDITION)
      throw new Error(`unexpected condition ${input.ConditionExpression}`);
    const item = input.Item ?? {};
    const key = `${item.pk?.S}|${item.sk?.S}`;
    const existing = items.get(key);
    const values = input.ExpressionAttributeValues ?? {};
    if (
      existing &&
      !(existing.submissionId?.S === values[':sid']?.S && existing.dedupKey?.S === values[':dk']?.S)
    ) {
      throw new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' });
    }
    items.set(key, item);
    return {};
  });
  return items;
}

describe('DynamoChallengeReplayStore', () => {
  beforeEach(() => {
    ddb.reset();
  });

  it('puts the challenge item conditionally, with claimant and expiry', async () => {
    ddb.on(PutItemCommand).resolves({});
    const replay = new DynamoChallengeReplayStore(new DynamoDBClient({}), TABLE);

    const claimed = await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);

    expect(claimed).toBe(true);
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: `A#${NONCE}` },
        sk: { S: 'A' },
        submissionId: { S: 'sub-1' },
        dedupKey: { S: 'dk-1' },
        expiresAt: { N: String(EXPIRES) },
      },
      ConditionExpression: CONDITION,
      ExpressionAttributeValues: { ':sid': { S: 'sub-1' }, ':dk': { S: 'dk-1' } },
    });
  });

  it('lets the same submission AND identity claim again (a retry)', async () => {
    emulateTable();
    const replay = new DynamoChallengeReplayStore(new DynamoDBClient({}), TABLE);

    const first = await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);
    const retry = await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);

    expect([first, retry]).toEqual([true, true]);
  });

  it('refuses another submission, another identity, or both', async () => {
    emulateTable();
    const replay = new DynamoChallengeReplayStore(new DynamoDBClient({}), TABLE);
    await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);

    const otherSubmission = await replay.claim(NONCE, { submissionId: 'sub-2', dedupKey: 'dk-1' }, EXPIRES);
    const otherIdentity = await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-2' }, EXPIRES);
    const both = await replay.claim(NONCE, { submissionId: 'sub-2', dedupKey: 'dk-2' }, EXPIRES);
    const owner = await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);

    expect([otherSubmission, otherIdentity, both, owner]).toEqual([false, false, false, true]);
  });

  it('keeps challenges apart', async () => {
    emulateTable();
    const replay = new DynamoChallengeReplayStore(new DynamoDBClient({}), TABLE);
    await replay.claim(NONCE, { submissionId: 'sub-1', dedupKey: 'dk-1' }, EXPIRES);

    expect(await replay.claim('f'.repeat(32), { submissionId: 'sub-2', dedupKey: 'dk-2' }, EXPIRES)).toBe(
      true,
    );
  });

  it('turns any other failure into DependencyUnavailableError("database")', async () => {
    ddb.on(PutItemCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    const replay = new DynamoChallengeReplayStore(new DynamoDBClient({}), TABLE);

    const error = await replay
      .claim(NONCE, { submissionId: 's', dedupKey: 'd' }, EXPIRES)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'database' });
  });
});
