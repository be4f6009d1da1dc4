import { type DynamoDBClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import type { CountryCounts, ProgressStore } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { database } from './dynamo-errors';
import { keys } from './table-keys';

const COUNTRIES = new Set<string>(MEMBER_STATES);

/** Sums the per-country counter shards: one small query per shard partition, in parallel. */
export class DynamoProgressStore implements ProgressStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly shards: number,
  ) {}

  async read(): Promise<CountryCounts> {
    const pages = await database(() =>
      Promise.all(Array.from({ length: this.shards }, (_, shard) => this.queryShard(shard))),
    );
    const counts: Partial<Record<MemberStateCode, number>> = {};
    for (const items of pages) {
      for (const item of items) {
        const country = item.sk?.S;
        const n = Number(item.n?.N ?? 0);
        if (country && COUNTRIES.has(country)) {
          const code = country as MemberStateCode;
          counts[code] = (counts[code] ?? 0) + n;
        }
      }
    }
    return counts;
  }

  private async queryShard(shard: number): Promise<NonNullable<QueryCommandOutput['Items']>> {
    const items: NonNullable<QueryCommandOutput['Items']> = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: keys.counterPartition(shard) } },
          ProjectionExpression: 'sk, #n',
          ExpressionAttributeNames: { '#n': 'n' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
