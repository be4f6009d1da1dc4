import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { RECEIPT_INDEX } from '../adapters/table-keys';
import { TABLE_SCHEMA } from '../config/env-names';

/** The receipts index as the CDK table declares it (a withdrawal finds a statement by receipt). */
const RECEIPTS: GlobalSecondaryIndex = {
  IndexName: RECEIPT_INDEX.name,
  KeySchema: [{ AttributeName: RECEIPT_INDEX.partitionKey, KeyType: 'HASH' }],
  Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...RECEIPT_INDEX.projected] },
};

const ATTRIBUTES = [
  { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' as const },
  { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' as const },
  { AttributeName: RECEIPT_INDEX.partitionKey, AttributeType: 'S' as const },
];

/**
 * Creates the single table locally with the key schema, index and TTL attribute the CDK table has.
 * A table created by an earlier version, without the receipts index, gets it added (statements
 * stored before then are not in it: a withdrawal cannot find them).
 */
export async function ensureTable(db: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (!indexes.some((index) => index.IndexName === RECEIPT_INDEX.name)) {
      await db.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: ATTRIBUTES,
          GlobalSecondaryIndexUpdates: [{ Create: RECEIPTS }],
        }),
      );
    }
    return 'existing';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await db.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ATTRIBUTES,
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [RECEIPTS],
    }),
  );
  await db.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    }),
  );
  return 'created';
}
