import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  ExportFailedError,
  type SealedStatement,
  type StatementMode,
  type StatementSource,
} from '@ocs/shared/export';
import type { MemberStateCode } from '@ocs/shared/statement';
import { database } from './dynamo-errors';
import { keys } from './table-keys';

export interface DynamoStatementSourceOptions {
  /** Items read per Scan page at most (DynamoDB also stops a page at 1 MB). */
  readonly pageSize?: number;
}

const STATEMENT_KEY = keys.statement('');

/**
 * The statements of the table for the export: a parallel Scan (one segment per call of `scan`),
 * strongly consistent so a statement stored just before the export is not missed, filtered to
 * statement items and projected to what the export needs. A statement item carries `mode: 'test'`
 * when it was signed in test mode; an item without `mode` is live. An item lacking a field fails
 * the export (`malformed_statement`) instead of being skipped.
 */
export class DynamoStatementSource implements StatementSource {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: DynamoStatementSourceOptions = {},
  ) {}

  async *scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedStatement[]> {
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const out: ScanCommandOutput = await database(() =>
        this.db.send(
          new ScanCommand({
            TableName: this.tableName,
            Segment: segment,
            TotalSegments: totalSegments,
            ConsistentRead: true,
            FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
            ProjectionExpression: 'statementId, country, submittedAt, annexRevision, dk, ctx, iv, ct, #mode',
            ExpressionAttributeNames: { '#mode': 'mode' },
            ExpressionAttributeValues: { ':prefix': { S: STATEMENT_KEY.pk }, ':sk': { S: STATEMENT_KEY.sk } },
            ...(this.options.pageSize ? { Limit: this.options.pageSize } : {}),
            ExclusiveStartKey: start,
          }),
        ),
      );
      const items = out.Items ?? [];
      if (items.length > 0) yield items.map(statementOf);
      start = out.LastEvaluatedKey;
    } while (start);
  }
}

function text(item: Record<string, AttributeValue>, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new ExportFailedError('malformed_statement');
  return value;
}

function bytes(item: Record<string, AttributeValue>, name: string): Uint8Array {
  const value = item[name]?.B;
  if (value === undefined) throw new ExportFailedError('malformed_statement');
  return value;
}

function modeOf(item: Record<string, AttributeValue>): StatementMode {
  const mode = item.mode?.S;
  if (mode === undefined || mode === 'live') return 'live';
  if (mode === 'test') return 'test';
  throw new ExportFailedError('malformed_statement');
}

/** A raw statement item as a `SealedStatement` (the engine checks each field's form). */
export function statementOf(item: Record<string, AttributeValue>): SealedStatement {
  const annexRevision = Number(item.annexRevision?.N);
  const context: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(item.ctx?.M ?? {})) {
    if (v.S === undefined) throw new ExportFailedError('malformed_statement');
    context.push([k, v.S]);
  }
  return {
    statementId: text(item, 'statementId'),
    country: text(item, 'country') as MemberStateCode,
    submittedAt: text(item, 'submittedAt'),
    annexRevision,
    mode: modeOf(item),
    personalData: {
      dataKeyRef: text(item, 'dk'),
      context: Object.fromEntries(context),
      iv: bytes(item, 'iv'),
      ciphertext: bytes(item, 'ct'),
    },
  };
}
