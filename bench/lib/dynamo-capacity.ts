import type {
  AttributeValue,
  ConsumedCapacity,
  DynamoDBClient,
  ServiceInputTypes,
  ServiceOutputTypes,
  TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';

/**
 * Capacity accounting for the DynamoDB benchmark. A middleware on the client sets
 * `ReturnConsumedCapacity: 'TOTAL'` on every item command and records, per call, the units the
 * server reported and the units DynamoDB documents for the items written: 1 WCU per started KB
 * of item, twice that inside a transaction (prepare + commit); 1 RCU per started 4 KB of a
 * strongly consistent read. Why both: DynamoDB Local answers `ConsumedCapacity`, but it does not
 * double transactional writes, so its figure for a transaction is half of what AWS bills.
 */

export type Category =
  | 'claim'
  | 'dataKey'
  | 'duplicateAnswer'
  | 'transaction'
  | 'statementRead'
  | 'initiativeRead'
  | 'other';

export interface CapacityRecord {
  readonly command: string;
  readonly category: Category;
  readonly kind: 'write' | 'read';
  /** Units in the response's ConsumedCapacity; `undefined` when the server returned none. */
  readonly reported: number | undefined;
  /** Units from the documented rules and the item sizes. */
  readonly documented: number;
  /** Sizes (bytes, documented rules) of the items written. */
  readonly itemBytes: readonly number[];
  readonly failed: boolean;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Size of a number as DynamoDB documents it: about one byte per two significant digits, plus one. */
function numberBytes(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Size of one attribute value (DynamoDB "item size" rules). */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((n, s) => n + utf8(s), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + numberBytes(s), 0);
  if (value.BS) return value.BS.reduce((n, b) => n + b.length, 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + utf8(k) + valueBytes(v) + 1, 0);
  if (value.L) return 3 + value.L.reduce((n, v) => n + valueBytes(v) + 1, 0);
  return 0;
}

/** Size of an item: attribute names plus values. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((n, [name, value]) => n + utf8(name) + valueBytes(value), 0);
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

/** The item an Update leaves (an approximation: key plus the values it sets or adds). */
function updatedItemBytes(update: NonNullable<TransactWriteItem['Update']>): number {
  const names = Object.values(update.ExpressionAttributeNames ?? {}).reduce((n, s) => n + utf8(s), 0);
  const values = Object.values(update.ExpressionAttributeValues ?? {}).reduce((n, v) => n + valueBytes(v), 0);
  return itemBytes(update.Key ?? {}) + names + values + 4;
}

function pkOf(item: Record<string, AttributeValue> | undefined): string {
  return item?.pk?.S ?? '';
}

function classify(command: string, input: Record<string, unknown>): Category {
  if (command === 'TransactWriteItemsCommand') return 'transaction';
  const pk = pkOf((input.Item ?? input.Key) as Record<string, AttributeValue> | undefined);
  if (command === 'PutItemCommand' && pk.startsWith('A#')) return 'claim';
  if (command === 'PutItemCommand' && pk.startsWith('K#')) return 'dataKey';
  if (command === 'PutItemCommand' && pk.startsWith('D#')) return 'duplicateAnswer';
  if (command === 'GetItemCommand' && pk.startsWith('S#')) return 'statementRead';
  if (command === 'GetItemCommand' && pk === 'INITIATIVE') return 'initiativeRead';
  return 'other';
}

function reportedUnits(output: unknown): number | undefined {
  if (!output || typeof output !== 'object' || !('ConsumedCapacity' in output)) return undefined;
  const consumed = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
}

function documented(
  command: string,
  input: Record<string, unknown>,
  output: unknown,
): { units: number; sizes: number[]; kind: 'write' | 'read' } {
  if (command === 'PutItemCommand') {
    const size = itemBytes((input.Item ?? {}) as Record<string, AttributeValue>);
    return { units: writeUnits(size), sizes: [size], kind: 'write' };
  }
  if (command === 'TransactWriteItemsCommand') {
    const sizes = ((input.TransactItems ?? []) as TransactWriteItem[]).map((t) => {
      if (t.Put) return itemBytes(t.Put.Item ?? {});
      if (t.Update) return updatedItemBytes(t.Update);
      if (t.Delete) return itemBytes(t.Delete.Key ?? {});
      return itemBytes(t.ConditionCheck?.Key ?? {});
    });
    return { units: sizes.reduce((n, s) => n + 2 * writeUnits(s), 0), sizes, kind: 'write' };
  }
  if (command === 'GetItemCommand') {
    const item = (output as { Item?: Record<string, AttributeValue> } | undefined)?.Item;
    return { units: readUnits(item ? itemBytes(item) : 0), sizes: [], kind: 'read' };
  }
  return {
    units: 0,
    sizes: [],
    kind: command.startsWith('Get') || command === 'QueryCommand' ? 'read' : 'write',
  };
}

const ITEM_COMMANDS = new Set([
  'PutItemCommand',
  'GetItemCommand',
  'TransactWriteItemsCommand',
  'UpdateItemCommand',
]);

/** Adds the accounting middleware to `db`; every item command is recorded in the returned list. */
export function recordCapacity(db: DynamoDBClient): CapacityRecord[] {
  const records: CapacityRecord[] = [];
  const middleware: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!ITEM_COMMANDS.has(command)) return next(args);
      const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
      const category = classify(command, input);
      try {
        const result = await next({ ...args, input: input as ServiceInputTypes });
        const doc = documented(command, input, result.output);
        records.push({
          command,
          category,
          kind: doc.kind,
          reported: reportedUnits(result.output),
          documented: doc.units,
          itemBytes: doc.sizes,
          failed: false,
        });
        return result;
      } catch (error) {
        const doc = documented(command, input, undefined);
        records.push({
          command,
          category,
          kind: doc.kind,
          reported: undefined,
          documented: doc.units,
          itemBytes: doc.sizes,
          failed: true,
        });
        throw error;
      }
    };
  db.middlewareStack.add(middleware, { step: 'initialize', name: 'benchConsumedCapacity' });
  return records;
}
