import {
  DeleteItemCommand,
  DynamoDBClient,
  ScanCommand,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoTestDataWiper,
  WIPE_SCAN_ATTRIBUTES,
} from '@ocs/functions/adapters/dynamo-test-data-wiper.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'ocs-test';
const ddb = mockClient(DynamoDBClient);
const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
const wiper = () => new DynamoTestDataWiper(new DynamoDBClient({}), TABLE);

describe('DynamoTestDataWiper', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(DeleteItemCommand).resolves({});
  });

  it('scans consistently for the keys of the test families only, reading nothing but the keys', async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });

    await wiper().wipe();

    expect(ddb.commandCalls(ScanCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: '#pk, #sk',
      FilterExpression:
        'begins_with(#pk, :statement) OR begins_with(#pk, :email) OR begins_with(#pk, :counter)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: {
        ':statement': { S: 'T#' },
        ':email': { S: 'ET#' },
        ':counter': { S: 'CT#' },
      },
      ConsistentRead: true,
      ExclusiveStartKey: undefined,
    });
    expect(WIPE_SCAN_ATTRIBUTES).toEqual(['pk', 'sk']);
  });

  it('deletes every key found, page after page, and counts them per family', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [key('T#aa', 'S'), key('CT#3', '2026-11-27'), key('ET#s-1', 'E')],
        LastEvaluatedKey: key('ET#s-1', 'E'),
      })
      .resolvesOnce({ Items: [key('T#bb', 'S'), key('CT#3', '2026-11-28')] });

    const wiped = await wiper().wipe();

    expect(wiped).toEqual({ statements: 2, emails: 1, counters: 2 });
    expect(ddb.commandCalls(ScanCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(key('ET#s-1', 'E'));
    expect(ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual(
      [
        key('T#aa', 'S'),
        key('CT#3', '2026-11-27'),
        key('ET#s-1', 'E'),
        key('T#bb', 'S'),
        key('CT#3', '2026-11-28'),
      ].map((Key) => ({ TableName: TABLE, Key })),
    );
  });

  it('never deletes an item of another family, whatever the scan returned', async () => {
    ddb.on(ScanCommand).resolves({
      Items: [key('S#aa', 'S'), key('E#s-1', 'E'), key('C#1', '2026-11-27'), key('INITIATIVE', 'CONFIG')],
    });

    expect(await wiper().wipe()).toEqual({ statements: 0, emails: 0, counters: 0 });
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('turns a failure into DependencyUnavailableError("database"); the next run deletes what is left', async () => {
    ddb.on(ScanCommand).resolves({ Items: [key('T#aa', 'S')] });
    ddb
      .on(DeleteItemCommand)
      .rejectsOnce(new ThrottlingException({ $metadata: {}, message: 'slow down' }))
      .resolves({});

    await expect(wiper().wipe()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await wiper().wipe()).toEqual({ statements: 1, emails: 0, counters: 0 });
  });
});
