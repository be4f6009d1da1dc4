import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { WithdrawalStore, WithdrawOutcome } from '@ocs/shared/ports';
import { logger } from '../http/logger';
import { database } from './dynamo-errors';
import { KEY_PREFIXES, keyAttributes, keys, MODE_FAMILIES, RECEIPT_INDEX } from './table-keys';

export interface WithdrawalStoreOptions {
  /** Attempts when the transaction conflicts with another on the same counter item. */
  readonly maxAttempts?: number;
  /** Waits between conflict retries; a short jittered backoff by default. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives the write capacity each transaction consumed (for the benchmark). */
  readonly onConsumedCapacity?: (writeUnits: number) => void;
}

/** What the index says about the statement of a receipt: where it is, where it was counted. */
interface Located {
  readonly pk: string;
  readonly sk: string;
  readonly mode: 'live' | 'test';
  readonly country: string;
  readonly shard: number;
  readonly day: string;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function located(item: Record<string, AttributeValue> | undefined): Located | undefined {
  const pk = item?.pk?.S;
  const sk = item?.sk?.S;
  const country = item?.country?.S;
  const shard = Number(item?.cshard?.N);
  const day = item?.cday?.S;
  if (!pk || !sk || !country || !day || !Number.isInteger(shard)) return undefined;
  if (pk.startsWith(KEY_PREFIXES.statement)) return { pk, sk, mode: 'live', country, shard, day };
  if (pk.startsWith(KEY_PREFIXES.testStatement)) return { pk, sk, mode: 'test', country, shard, day };
  return undefined;
}

/**
 * Withdrawal by receipt over the single table. A statement is keyed by its dedup HMAC, not its
 * receipt, so it is found through the sparse `receipts` index (partition key `rcpt` =
 * `R#<receipt>`, written with the statement; the index projects the keys and the counter it was
 * counted in, never a ciphertext). Then ONE TransactWriteItems: delete the statement if it still
 * carries that receipt, take its count back on exactly the counter item it was counted in (`ADD
 * #cc :-1`, only while `#cc >= 1`), and delete its e-mail item (`E#<receipt>`, absent or not). A
 * cancelled transaction whose statement condition failed means another withdrawal (or the
 * destruction) came first: `not_found`, nothing changed.
 *
 * The index is eventually consistent: a statement stored a moment (normally well under a second)
 * before its withdrawal may not be found yet; the route answers the same either way, and the
 * citizen page cannot be reached that fast (the receipt page, then a proof of work).
 */
export class DynamoWithdrawalStore implements WithdrawalStore {
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: WithdrawalStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.sleep = options.sleep ?? sleepMs;
  }

  async withdraw(receipt: string): Promise<WithdrawOutcome> {
    const rcpt = keys.receiptIndex(receipt);
    const out = await database(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: RECEIPT_INDEX.name,
          KeyConditionExpression: '#r = :r',
          ExpressionAttributeNames: { '#r': RECEIPT_INDEX.partitionKey },
          ExpressionAttributeValues: { ':r': { S: rcpt } },
        }),
      ),
    );
    const found = (out.Items ?? []).map(located).filter((l) => l !== undefined);
    let outcome: WithdrawOutcome = 'not_found';
    // One statement per receipt; a live and a test one can never share a (random) receipt.
    for (const statement of found) {
      if ((await this.delete(statement, rcpt, receipt)) === 'withdrawn') outcome = 'withdrawn';
    }
    return outcome;
  }

  private async delete(statement: Located, rcpt: string, receipt: string): Promise<WithdrawOutcome> {
    let withCounter = true;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.db.send(
          new TransactWriteItemsCommand({
            TransactItems: this.transactItems(statement, rcpt, receipt, withCounter),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        const units = (out.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        this.options.onConsumedCapacity?.(units);
        return 'withdrawn';
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        // The statement is gone (another withdrawal, the destruction) or is not this receipt's.
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'not_found';
        if (withCounter && reasons[1]?.Code === 'ConditionalCheckFailed') {
          // Its counter is already at zero: the counts were changed outside this system. The
          // statement still goes; the count is not taken below zero.
          logger.warn('withdrawal: the counter of the statement was already at zero', {
            mode: statement.mode,
            day: statement.day,
          });
          withCounter = false;
          continue;
        }
        const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
        if (conflict && attempt < this.maxAttempts) {
          await this.sleep(Math.random() * 5 * 2 ** attempt);
          continue;
        }
        throw new DependencyUnavailableError('database', { cause: error });
      }
    }
  }

  private transactItems(
    statement: Located,
    rcpt: string,
    receipt: string,
    withCounter: boolean,
  ): TransactWriteItem[] {
    const family = MODE_FAMILIES[statement.mode];
    const items: TransactWriteItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: keyAttributes({ pk: statement.pk, sk: statement.sk }),
          ConditionExpression: '#r = :r',
          ExpressionAttributeNames: { '#r': RECEIPT_INDEX.partitionKey },
          ExpressionAttributeValues: { ':r': { S: rcpt } },
        },
      },
    ];
    if (withCounter) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keyAttributes(family.counter(statement.shard, statement.day)),
          UpdateExpression: 'ADD #cc :minus',
          ConditionExpression: '#cc >= :one',
          ExpressionAttributeNames: { '#cc': statement.country },
          ExpressionAttributeValues: { ':minus': { N: '-1' }, ':one': { N: '1' } },
        },
      });
    }
    items.push({
      Delete: { TableName: this.tableName, Key: keyAttributes(family.email(receipt.toLowerCase())) },
    });
    return items;
  }
}
