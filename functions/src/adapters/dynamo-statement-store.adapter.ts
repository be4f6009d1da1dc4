import {
  type AttributeValue,
  type ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { InitiativeMode } from '@ocs/shared/initiative';
import type {
  DuplicateAnswer,
  DuplicateAnswerRecord,
  ExistingStatement,
  KeepAnswerOutcome,
  SealedData,
  StatementRecord,
  StatementStore,
  StoreOutcome,
} from '@ocs/shared/ports';
import { database, isConditionFailed } from './dynamo-errors';
import { keyAttributes, keys, MODE_FAMILIES, RECEIPT_INDEX } from './table-keys';

export interface StatementStoreOptions {
  /** Counter shards per country. */
  readonly shards: number;
  /** Attempts when a transaction conflicts on a hot counter shard (each picks a new shard). */
  readonly maxAttempts?: number;
  /** Picks a shard; random by default. */
  readonly pickShard?: (shards: number) => number;
  /** Waits between conflict retries; a short jittered backoff by default. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives the write capacity each transaction consumed (for metrics and the benchmark). */
  readonly onConsumedCapacity?: (writeUnits: number) => void;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sealedAttributes(sealed: SealedData): Record<string, AttributeValue> {
  return {
    dk: { S: sealed.dataKeyRef },
    ctx: { M: Object.fromEntries(Object.entries(sealed.context).map(([k, v]) => [k, { S: v }])) },
    iv: { B: sealed.iv },
    ct: { B: sealed.ciphertext },
  };
}

/** A duplicate answer item, unless incomplete or expired at `now` (TTL deletes lazily). */
function liveAnswer(
  item: Record<string, AttributeValue> | undefined,
  nowEpochSeconds: number,
): DuplicateAnswer | undefined {
  const expiresAt = Number(item?.expiresAt?.N);
  if (!item?.receipt?.S || !item.submittedAt?.S || !(expiresAt > nowEpochSeconds)) return undefined;
  return { receipt: item.receipt.S, submittedAt: item.submittedAt.S };
}

/**
 * Statements and their counters, and the answers given to duplicates. `storeAndCount` is one
 * TransactWriteItems: put the statement if its dedup key is absent, add one to its country's
 * attribute of a random counter shard's item of the day (and put the optional e-mail item).
 * Either all are written or none, so a count never drifts from the statements stored. The
 * statement records where it was counted (`cshard`, `cday`), so a withdrawal can take exactly
 * that count back. A conflict on a hot shard cancels the whole transaction; it is retried on
 * another shard. A duplicate's answer is one small item (`D#`: receipt, time, expiry; no
 * personal data, no statement reference), put only if no live answer is kept under its key.
 *
 * Test statements (test mode) go to their own families (`T#`, `ET#`, `CT#`), tagged
 * `mode: test`, and their transaction also checks that the initiative is still in test mode: a
 * function that read the mode before go-live cannot write a test statement after it (go-live
 * deletes them all), it gets `mode_changed` and stores the statement as a live one instead.
 */
export class DynamoStatementStore implements StatementStore {
  private readonly maxAttempts: number;
  private readonly pickShard: (shards: number) => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: StatementStoreOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.pickShard = options.pickShard ?? ((n) => Math.floor(Math.random() * n));
    this.sleep = options.sleep ?? sleepMs;
  }

  async findByDedupKey(dedupKey: string, mode: InitiativeMode): Promise<ExistingStatement | undefined> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(MODE_FAMILIES[mode].statement(dedupKey)),
          ProjectionExpression: 'statementId, submissionId, submittedAt',
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Item;
    if (!item?.statementId?.S || !item.submissionId?.S || !item.submittedAt?.S) return undefined;
    return {
      statementId: item.statementId.S,
      submissionId: item.submissionId.S,
      submittedAt: item.submittedAt.S,
    };
  }

  async storeAndCount(record: StatementRecord): Promise<StoreOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.db.send(
          new TransactWriteItemsCommand({
            TransactItems: this.transactItems(record, this.pickShard(this.options.shards)),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        const units = (out.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        this.options.onConsumedCapacity?.(units);
        return { kind: 'stored' };
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (record.mode === 'test' && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
          return { kind: 'mode_changed' };
        }
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const existing = await this.findByDedupKey(record.dedupKey, record.mode);
          if (existing) return { kind: 'duplicate', existing };
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

  async findDuplicateAnswer(
    answerKey: string,
    nowEpochSeconds: number,
  ): Promise<DuplicateAnswer | undefined> {
    const out = await database(() =>
      this.db.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyAttributes(keys.duplicateAnswer(answerKey)),
          ProjectionExpression: 'receipt, submittedAt, expiresAt',
          ConsistentRead: true,
        }),
      ),
    );
    return liveAnswer(out.Item, nowEpochSeconds);
  }

  async keepDuplicateAnswer(
    record: DuplicateAnswerRecord,
    nowEpochSeconds: number,
  ): Promise<KeepAnswerOutcome> {
    try {
      await database(() =>
        this.db.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...keyAttributes(keys.duplicateAnswer(record.answerKey)),
              receipt: { S: record.receipt },
              submittedAt: { S: record.submittedAt },
              expiresAt: { N: String(record.expiresAtEpochSeconds) },
            },
            // An expired answer not yet removed by TTL may be replaced.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': { N: String(nowEpochSeconds) } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { kind: 'kept' };
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      if (!isConditionFailed(cause)) throw error;
      // A concurrent retry of the same submission won: answer as it did.
      const item = (cause as ConditionalCheckFailedException).Item;
      const answer =
        liveAnswer(item, nowEpochSeconds) ??
        (await this.findDuplicateAnswer(record.answerKey, nowEpochSeconds));
      if (!answer) throw new DependencyUnavailableError('database', { cause });
      return { kind: 'already_answered', answer };
    }
  }

  private transactItems(record: StatementRecord, shard: number): TransactWriteItem[] {
    const family = MODE_FAMILIES[record.mode];
    // Test items say so themselves too (a scan of the table shows what they are).
    const tag: Record<string, AttributeValue> = record.mode === 'test' ? { mode: { S: 'test' } } : {};
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keyAttributes(family.statement(record.dedupKey)),
            statementId: { S: record.statementId },
            submissionId: { S: record.submissionId },
            country: { S: record.country },
            annexRevision: { N: String(record.annexRevision) },
            submittedAt: { S: record.submittedAt },
            ...sealedAttributes(record.personalData),
            expiresAt: { N: String(record.expiresAtEpochSeconds) },
            // Where it was counted: a withdrawal takes exactly this count back.
            cshard: { N: String(shard) },
            cday: { S: record.countDay },
            // The key of the sparse `receipts` index: how a withdrawal finds it by its receipt.
            [RECEIPT_INDEX.partitionKey]: { S: keys.receiptIndex(record.statementId) },
            ...tag,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keyAttributes(family.counter(shard, record.countDay)),
          UpdateExpression: 'ADD #cc :one',
          ExpressionAttributeNames: { '#cc': record.country },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        },
      },
    ];
    if (record.email) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keyAttributes(family.email(record.statementId)),
            statementId: { S: record.statementId },
            ...sealedAttributes(record.email.sealed),
            expiresAt: { N: String(record.email.expiresAtEpochSeconds) },
            ...tag,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (record.mode === 'test') {
      // Last, so a cancellation reason at the end means "no longer in test mode".
      items.push({
        ConditionCheck: {
          TableName: this.tableName,
          Key: keyAttributes(keys.initiative()),
          ConditionExpression: 'attribute_not_exists(#mode) OR #mode = :test',
          ExpressionAttributeNames: { '#mode': 'mode' },
          ExpressionAttributeValues: { ':test': { S: 'test' } },
        },
      });
    }
    return items;
  }
}
