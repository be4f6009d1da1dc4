import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';

export function localDynamo(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Every raw item of the table (DynamoDB Local; test-sized tables only). */
export async function scanAll(
  db: DynamoDBClient,
  tableName: string,
): Promise<NonNullable<ScanCommandOutput['Items']>> {
  const items: NonNullable<ScanCommandOutput['Items']> = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out: ScanCommandOutput = await db.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Number of statement items (pk `S#...`). */
export async function countStatements(db: DynamoDBClient, tableName: string): Promise<number> {
  return (await scanAll(db, tableName)).filter((item) => item.pk?.S?.startsWith('S#')).length;
}
