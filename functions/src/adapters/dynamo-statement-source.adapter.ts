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
import type { SealedData } from '@ocs/shared/ports';
import type { MemberStateCode } from '@ocs/shared/statement';
import { database } from './dynamo-errors';
import { keys, SCAN_ATTRIBUTES } from './table-keys';

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

  scan(segment: number, totalSegments: number): AsyncGenerator<readonly SealedStatement[]> {
    return scanFamily(this.db, this.tableName, {
      segment,
      totalSegments,
      key: STATEMENT_KEY,
      attributes: SCAN_ATTRIBUTES.statements,
      pageSize: this.options.pageSize,
      read: statementOf,
    });
  }
}

/** One segment of a parallel Scan of one item family. */
export interface FamilyScan<T> {
  readonly segment: number;
  readonly totalSegments: number;
  /** The family's key with an empty id: items whose pk begins with its pk and whose sk is its sk. */
  readonly key: { readonly pk: string; readonly sk: string };
  /** Exactly the attributes the export role may Scan (SCAN_ATTRIBUTES). */
  readonly attributes: readonly string[];
  readonly pageSize?: number | undefined;
  readonly read: (item: Record<string, AttributeValue>) => T;
}

/**
 * Pages of one segment of a strongly consistent parallel Scan, filtered to one item family and
 * projected to the attributes its reader may have (each through a placeholder: `mode` is a
 * reserved word).
 */
export async function* scanFamily<T>(
  db: DynamoDBClient,
  tableName: string,
  scan: FamilyScan<T>,
): AsyncGenerator<readonly T[]> {
  const names = Object.fromEntries(scan.attributes.map((a, i) => [`#a${i}`, a]));
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out: ScanCommandOutput = await database(() =>
      db.send(
        new ScanCommand({
          TableName: tableName,
          Segment: scan.segment,
          TotalSegments: scan.totalSegments,
          ConsistentRead: true,
          // Explicit: the export role may Scan only with SPECIFIC_ATTRIBUTES (table-scopes.ts).
          Select: 'SPECIFIC_ATTRIBUTES',
          FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk',
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':prefix': { S: scan.key.pk }, ':sk': { S: scan.key.sk } },
          ...(scan.pageSize ? { Limit: scan.pageSize } : {}),
          ExclusiveStartKey: start,
        }),
      ),
    );
    const items = out.Items ?? [];
    if (items.length > 0) yield items.map(scan.read);
    start = out.LastEvaluatedKey;
  } while (start);
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

/** An item's `mode`: absent or `live` is live, `test` is test; anything else is malformed. */
export function modeOf(item: Record<string, AttributeValue>): StatementMode {
  const mode = item.mode?.S;
  if (mode === undefined || mode === 'live') return 'live';
  if (mode === 'test') return 'test';
  throw new ExportFailedError('malformed_statement');
}

/** The sealed data of an item (`dk`, `ctx`, `iv`, `ct`), as statement and e-mail items store it. */
export function sealedDataOf(item: Record<string, AttributeValue>): SealedData {
  const context: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(item.ctx?.M ?? {})) {
    if (v.S === undefined) throw new ExportFailedError('malformed_statement');
    context.push([k, v.S]);
  }
  return {
    dataKeyRef: text(item, 'dk'),
    context: Object.fromEntries(context),
    iv: bytes(item, 'iv'),
    ciphertext: bytes(item, 'ct'),
  };
}

/** A raw statement item as a `SealedStatement` (the engine checks each field's form). */
export function statementOf(item: Record<string, AttributeValue>): SealedStatement {
  return {
    statementId: text(item, 'statementId'),
    country: text(item, 'country') as MemberStateCode,
    submittedAt: text(item, 'submittedAt'),
    annexRevision: Number(item.annexRevision?.N),
    mode: modeOf(item),
    personalData: sealedDataOf(item),
  };
}
