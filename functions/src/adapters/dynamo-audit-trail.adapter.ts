import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  canonicalJson,
  nextEntry,
} from '@ocs/shared/audit';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { AuditListOptions, AuditTrail, Clock } from '@ocs/shared/ports';
import { conditionalPut } from './dynamo-conditional-put';
import { database } from './dynamo-errors';
import { keyAttributes, keys } from './table-keys';

/** How an append that lost a race to another appender retries. */
export interface AuditAppendRetry {
  /**
   * Attempts in all, the first included (default 40; in a burst of 50 concurrent appends against
   * DynamoDB Local the unluckiest appender needed 14).
   */
  readonly maxAttempts?: number;
  /** Backoff ceiling of the first retry; doubles per retry up to `maxDelayMs` (default 10 ms). */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling (default 400 ms). */
  readonly maxDelayMs?: number;
  /** [0, 1) source for the jitter (default Math.random). */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const AUDIT_PARTITION = keys.auditEntry(0).pk;
/** DynamoDB's Query page size ceiling we ask for when listing everything. */
const PAGE = 500;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The audit trail in the single table: partition `L`, sort key = seq zero-padded, one item per
 * entry holding the canonical JSON of the entry without its hash (exactly the bytes hashed) and
 * the hash. Appends are conditional puts of the next seq (`attribute_not_exists(pk)`): of two
 * appenders that read the same head, one wins and the other re-reads the head and chains onto
 * the winner, so the chain never forks and no entry is lost. This class only ever puts and
 * queries: it has no code path that updates or deletes, and in AWS its functions get no such
 * permission on the partition.
 */
export class DynamoAuditTrail implements AuditTrail {
  private readonly retry: Required<AuditAppendRetry>;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    retry: AuditAppendRetry = {},
  ) {
    this.retry = {
      maxAttempts: retry.maxAttempts ?? 40,
      baseDelayMs: retry.baseDelayMs ?? 10,
      maxDelayMs: retry.maxDelayMs ?? 400,
      random: retry.random ?? Math.random,
      sleep: retry.sleep ?? defaultSleep,
    };
  }

  async append(actor: AuditActor, action: AuditAction, details: AuditDetails): Promise<AuditEntry> {
    const { maxAttempts, baseDelayMs, maxDelayMs, random, sleep } = this.retry;
    for (let attempt = 1; ; attempt++) {
      const head = await this.head();
      const entry = await nextEntry(head, { at: this.clock.now().toISOString(), actor, action, details });
      if (await this.putIfFree(entry)) return entry;
      if (attempt >= maxAttempts) {
        throw new DependencyUnavailableError('database', {
          cause: new Error(`audit append lost ${attempt} races for the next seq`),
        });
      }
      // Full jitter: contending appenders spread out instead of colliding again in lockstep.
      await sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
    }
  }

  async list(options: AuditListOptions = {}): Promise<readonly AuditEntry[]> {
    const after = Math.max(0, Math.floor(options.after ?? 0));
    const limit = options.limit === undefined ? undefined : Math.max(1, Math.floor(options.limit));
    const entries: AuditEntry[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out: QueryCommandOutput = await database(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk > :after',
            ExpressionAttributeValues: {
              ':pk': { S: AUDIT_PARTITION },
              ':after': { S: keys.auditEntry(after).sk },
            },
            ConsistentRead: true,
            Limit: Math.min(PAGE, limit === undefined ? PAGE : limit - entries.length),
            ExclusiveStartKey: start,
          }),
        ),
      );
      entries.push(...(out.Items ?? []).map(toEntry));
      start = out.LastEvaluatedKey;
    } while (start && (limit === undefined || entries.length < limit));
    return entries;
  }

  async head(): Promise<AuditEntry | undefined> {
    const out = await database(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: AUDIT_PARTITION } },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = out.Items?.[0];
    return item ? toEntry(item) : undefined;
  }

  /** Puts the entry unless its seq is taken; false when another appender got there first. */
  private putIfFree(entry: AuditEntry): Promise<boolean> {
    const { hash, ...unhashed } = entry;
    return conditionalPut(this.db, {
      TableName: this.tableName,
      Item: {
        ...keyAttributes(keys.auditEntry(entry.seq)),
        seq: { N: String(entry.seq) },
        entry: { S: canonicalJson(unhashed) },
        hash: { S: hash },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }
}

/**
 * An item back to an entry, fields in the contract's order. Nothing is checked here beyond
 * readability: whether the content still matches its hash is what `verifyChain` tells.
 */
function toEntry(item: Record<string, AttributeValue>): AuditEntry {
  const text = item.entry?.S;
  const hash = item.hash?.S;
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || hash === undefined) {
    throw new Error(`Unreadable audit item at sort key ${item.sk?.S ?? '?'}.`);
  }
  const { seq, at, actor, action, details, prevHash, ...rest } = parsed as AuditEntry;
  return { seq, at, actor, action, details, prevHash, ...rest, hash };
}
