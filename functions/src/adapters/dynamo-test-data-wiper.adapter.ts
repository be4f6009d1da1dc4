import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { TestDataWipe, TestDataWiper } from '@ocs/shared/ports';
import { database } from './dynamo-errors';
import { KEY_PREFIXES } from './table-keys';

/** The only attributes the wipe reads (and, in AWS, the only ones its role may read by Scan). */
export const WIPE_SCAN_ATTRIBUTES = ['pk', 'sk'] as const;

/** Deletes in flight at once: enough to be quick, few enough not to throttle a small table. */
const PARALLEL_DELETES = 16;

/**
 * Go-live's deletion of the test data: a paged, strongly consistent Scan of the table that reads
 * only the keys (`pk`, `sk`) and keeps those of the test families (`T#`, `ET#`, `CT#`), then one
 * DeleteItem per key. A Scan because the test items are spread over as many partitions as
 * statements (their keys are dedup HMACs and receipts); it runs once per initiative, at go-live,
 * when the table holds no live statement yet. It reads no other attribute: no ciphertext, no
 * data-key reference. Stopped part-way, it leaves the rest for the next run (idempotent).
 */
export class DynamoTestDataWiper implements TestDataWiper {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async wipe(): Promise<TestDataWipe> {
    const wiped = { statements: 0, emails: 0, counters: 0 };
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page: ScanCommandOutput = await database(() =>
        this.db.send(
          new ScanCommand({
            TableName: this.tableName,
            Select: 'SPECIFIC_ATTRIBUTES',
            ProjectionExpression: '#pk, #sk',
            FilterExpression:
              'begins_with(#pk, :statement) OR begins_with(#pk, :email) OR begins_with(#pk, :counter)',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: {
              ':statement': { S: KEY_PREFIXES.testStatement },
              ':email': { S: KEY_PREFIXES.testEmail },
              ':counter': { S: KEY_PREFIXES.testCounter },
            },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      // The filter already keeps test keys only; checked again so nothing else is ever deleted.
      const keys = (page.Items ?? []).flatMap((item) => {
        const family = familyOf(item);
        return family && item.sk?.S ? [{ pk: item.pk?.S ?? '', sk: item.sk.S, family }] : [];
      });
      for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
        await Promise.all(
          keys.slice(i, i + PARALLEL_DELETES).map((key) =>
            database(() =>
              this.db.send(
                new DeleteItemCommand({
                  TableName: this.tableName,
                  Key: { pk: { S: key.pk }, sk: { S: key.sk } },
                }),
              ),
            ),
          ),
        );
      }
      for (const key of keys) wiped[key.family] += 1;
      start = page.LastEvaluatedKey;
    } while (start);
    return wiped;
  }
}

function familyOf(item: Record<string, AttributeValue>): keyof TestDataWipe | undefined {
  const pk = item.pk?.S ?? '';
  if (pk.startsWith(KEY_PREFIXES.testStatement)) return 'statements';
  if (pk.startsWith(KEY_PREFIXES.testEmail)) return 'emails';
  if (pk.startsWith(KEY_PREFIXES.testCounter)) return 'counters';
  return undefined;
}
