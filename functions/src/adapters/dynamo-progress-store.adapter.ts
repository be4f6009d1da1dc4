import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { InitiativeMode } from '@ocs/shared/initiative';
import type { CountryCounts, DayCounts, ProgressStore } from '@ocs/shared/ports';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { database } from './dynamo-errors';
import { MODE_FAMILIES } from './table-keys';

const COUNTRIES = new Set<string>(MEMBER_STATES);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Counts = Partial<Record<MemberStateCode, number>>;

function addItem(into: Counts, item: Record<string, AttributeValue>): void {
  for (const [name, value] of Object.entries(item)) {
    if (!COUNTRIES.has(name) || value.N === undefined) continue;
    const code = name as MemberStateCode;
    into[code] = (into[code] ?? 0) + Number(value.N);
  }
}

/**
 * Sums the counter items of a mode (`C#<shard>` live, `CT#<shard>` test): one query per shard
 * partition, in parallel; each item is one day of one shard, with one Number attribute per
 * country code. The per-country totals and the per-day counts come from the same items.
 */
export class DynamoProgressStore implements ProgressStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly shards: number,
  ) {}

  async read(mode: InitiativeMode): Promise<CountryCounts> {
    const counts: Counts = {};
    for (const items of await this.allShards(mode)) {
      for (const item of items) addItem(counts, item);
    }
    return counts;
  }

  async readDays(mode: InitiativeMode): Promise<readonly DayCounts[]> {
    const days = new Map<string, Counts>();
    for (const items of await this.allShards(mode)) {
      for (const item of items) {
        const date = item.sk?.S;
        if (!date || !DAY.test(date)) continue;
        const counts = days.get(date) ?? {};
        addItem(counts, item);
        days.set(date, counts);
      }
    }
    return [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, counts]) => ({ date, counts }));
  }

  private allShards(mode: InitiativeMode) {
    return database(() =>
      Promise.all(Array.from({ length: this.shards }, (_, shard) => this.queryShard(mode, shard))),
    );
  }

  private async queryShard(
    mode: InitiativeMode,
    shard: number,
  ): Promise<NonNullable<QueryCommandOutput['Items']>> {
    const items: NonNullable<QueryCommandOutput['Items']> = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: MODE_FAMILIES[mode].partition(shard) } },
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
