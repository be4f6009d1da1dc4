import {
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type {
  ItemKey,
  PersonalDataPage,
  PersonalDataTable,
  PersonalFamily,
  PersonalItem,
} from '@ocs/shared/retention';
import { database } from './dynamo-errors';
import { WIPE_SCAN_ATTRIBUTES } from './dynamo-test-data-wiper.adapter';
import { KEY_PREFIXES, PERSONAL_DATA_PREFIXES } from './table-keys';

export interface PersonalDataTableOptions {
  /** Items a scan page evaluates (before the filter): the size of a recorded batch at most. */
  readonly pageSize?: number;
  /** Waits before re-sending unprocessed deletes; a short backoff by default. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts for the unprocessed part of a batch before giving up (503). */
  readonly maxAttempts?: number;
}

/** A batch write takes at most 25 requests (DynamoDB's limit). */
const BATCH_WRITE_MAX = 25;
/** Batch writes in flight at once. */
const PARALLEL_BATCHES = 4;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The family of a partition key; the longer prefix first (`ET#` before `E#`). */
const FAMILY_OF_PREFIX: readonly (readonly [string, PersonalFamily])[] = [
  [KEY_PREFIXES.testEmail, 'testEmails'],
  [KEY_PREFIXES.email, 'emails'],
  [KEY_PREFIXES.statement, 'statements'],
  [KEY_PREFIXES.testStatement, 'testStatements'],
  [KEY_PREFIXES.dataKey, 'dataKeys'],
  [KEY_PREFIXES.challenge, 'challengeClaims'],
  [KEY_PREFIXES.duplicate, 'duplicateAnswers'],
];

/** The personal family of a partition key, or undefined for everything the job keeps. */
export function personalFamilyOf(pk: string): PersonalFamily | undefined {
  return FAMILY_OF_PREFIX.find(([prefix]) => pk.startsWith(prefix))?.[1];
}

/**
 * The destruction job's view of the table: a strongly consistent Scan that reads the keys only
 * (`pk`, `sk`: in AWS its role may read nothing else by Scan, so never a ciphertext), filtered to
 * the personal families (statements, e-mail addresses, live and test; data-key records; challenge
 * claims; duplicate answers), and deletes by key in batches of 25 (BatchWriteItem, its role
 * limited to those families), re-sending what DynamoDB leaves unprocessed. The counters, the
 * initiative, the audit trail and the sign-in markers are never touched.
 */
export class DynamoPersonalDataTable implements PersonalDataTable {
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    options: PersonalDataTableOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 250;
    this.sleep = options.sleep ?? sleepMs;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  async scanPage(start: ItemKey | undefined): Promise<PersonalDataPage> {
    const values: Record<string, AttributeValue> = {};
    const conditions = PERSONAL_DATA_PREFIXES.map((prefix, i) => {
      values[`:p${i}`] = { S: prefix };
      return `begins_with(#pk, :p${i})`;
    });
    const page = await database(() =>
      this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          Select: 'SPECIFIC_ATTRIBUTES',
          ProjectionExpression: WIPE_SCAN_ATTRIBUTES.map((a) => `#${a}`).join(', '),
          FilterExpression: conditions.join(' OR '),
          ExpressionAttributeNames: Object.fromEntries(WIPE_SCAN_ATTRIBUTES.map((a) => [`#${a}`, a])),
          ExpressionAttributeValues: values,
          ConsistentRead: true,
          Limit: this.pageSize,
          ...(start ? { ExclusiveStartKey: { pk: { S: start.pk }, sk: { S: start.sk } } } : {}),
        }),
      ),
    );
    // The filter already keeps personal families only; checked again so nothing else is deleted.
    const items: PersonalItem[] = (page.Items ?? []).flatMap((item) => {
      const pk = item.pk?.S;
      const sk = item.sk?.S;
      const family = pk === undefined ? undefined : personalFamilyOf(pk);
      return pk !== undefined && sk !== undefined && family ? [{ pk, sk, family }] : [];
    });
    const last = page.LastEvaluatedKey;
    const next =
      last?.pk?.S !== undefined && last.sk?.S !== undefined ? { pk: last.pk.S, sk: last.sk.S } : undefined;
    return { items, ...(next ? { next } : {}) };
  }

  async deleteItems(items: readonly ItemKey[]): Promise<void> {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_MAX) {
      batches.push(
        items.slice(i, i + BATCH_WRITE_MAX).map((item) => {
          if (!personalFamilyOf(item.pk)) throw new RangeError('Only personal items are ever deleted here.');
          return { DeleteRequest: { Key: { pk: { S: item.pk }, sk: { S: item.sk } } } };
        }),
      );
    }
    for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) {
      await Promise.all(batches.slice(i, i + PARALLEL_BATCHES).map((batch) => this.write(batch)));
    }
  }

  /** One batch, re-sending its unprocessed part with a growing wait. */
  private async write(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > this.maxAttempts) {
        throw new DependencyUnavailableError('database', {
          cause: new Error(`${pending.length} deletes left unprocessed`),
        });
      }
      if (attempt > 1) await this.sleep(Math.min(50 * 2 ** attempt, 5_000));
      const out: BatchWriteItemCommandOutput = await database(() =>
        this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
      );
      pending = out.UnprocessedItems?.[this.tableName] ?? [];
    }
  }
}
