import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { RetentionRecord, RetentionStore, VersionedRetentionRecord } from '@ocs/shared/retention';
import { database, isConditionFailed } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/**
 * The destruction job's record: one item (`RETENTION`/`RUN`) holding the record as JSON (`data`)
 * and a `version` every write is conditional on, so a run that holds the job never loses a change
 * and two runs never interleave. It holds no personal data: counts, dates, and for a batch being
 * deleted the keys of its items (statement keys are dedup HMACs, as in the table itself), cleared
 * once the batch is gone.
 */
export class DynamoRetentionStore implements RetentionStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(): Promise<VersionedRetentionRecord> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.retention()),
          ConsistentRead: true,
        }),
      ),
    );
    const data = out.Item?.data?.S;
    const version = Number(out.Item?.version?.N ?? '0');
    if (!data) return { record: { certificates: [] }, version: 0 };
    const record = JSON.parse(data) as RetentionRecord;
    return { record: { ...record, certificates: record.certificates ?? [] }, version };
  }

  async write(record: RetentionRecord, expectedVersion: number): Promise<boolean> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...keyAttributes(keys.retention()),
              data: { S: JSON.stringify(record) },
              version: { N: String(expectedVersion + 1) },
            },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
            ...(expectedVersion === 0
              ? {}
              : {
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
                }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && isConditionFailed(error.cause)) return false;
      throw error;
    }
  }
}
