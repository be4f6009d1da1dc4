import { type ItemFamily, KEY_PREFIXES } from '@ocs/functions/adapters/table-keys';

/** The item-level DynamoDB actions a function can be given (no Scan, no batch, no PartiQL, no delete). */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:ConditionCheckItem';

/** Actions that change an item: a function with any of them also encrypts with the table's at-rest key. */
export const TABLE_WRITE_ACTIONS: ReadonlySet<TableAction> = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
]);

/** Some actions on some item families of the table, optionally only inside a TransactWriteItems. */
export interface TableGrant {
  readonly actions: readonly TableAction[];
  /** The item families (KEY_PREFIXES) whose partition keys the actions may name. */
  readonly items: readonly ItemFamily[];
  /**
   * Only as part of a TransactWriteItems (`dynamodb:EnclosingOperation`): these items are never
   * written alone, so a statement, its e-mail and its count are written together or not at all.
   */
  readonly inTransaction?: boolean;
}

/** Everything a function may do on the table. */
export type TableScope = readonly TableGrant[];

/**
 * What every organiser route needs to audit its caller (organiser-handler.ts): append to the
 * audit trail (read its head, conditional put of the next entry) and record a session's sign-in
 * once (conditional puts of a marker). No update, no delete: an entry once written stays.
 */
export const ORGANISER_AUDIT = [
  { actions: ['dynamodb:Query', 'dynamodb:PutItem'], items: ['audit'] },
  { actions: ['dynamodb:PutItem'], items: ['signInMarker'] },
] as const satisfies TableScope;

/**
 * Each function's reach into the table, one declaration per function: the role gets exactly
 * these actions, each limited to the partition-key prefixes of its item families
 * (`dynamodb:LeadingKeys`). A function added later (admin API, export, retention, audit) adds
 * its entry here and passes it to `OcsFunction.useTable`.
 *
 * The submit function may read the initiative but never write it; it may create statements,
 * e-mails and counter increments only inside the submit transaction; it has no delete at all.
 * IAM cannot inspect condition or update expressions, so within those grants the guarantee that
 * a statement is never overwritten and a counter only grows is the adapter's
 * (`attribute_not_exists`, `ADD`), backed by point-in-time recovery (docs/architecture.md).
 */
export const TABLE_SCOPES = {
  getInitiative: [{ actions: ['dynamodb:GetItem'], items: ['initiative'] }],
  getProgress: [{ actions: ['dynamodb:Query'], items: ['counter'] }],
  submitStatement: [
    // The initiative (is collection open, which annex), an earlier statement of the same person
    // (idempotent retry), and the duplicate-answer record of a submission.
    { actions: ['dynamodb:GetItem'], items: ['initiative', 'statement', 'duplicate'] },
    // Single-item conditional puts: single use of a challenge, a wrapped data key, a duplicate answer.
    { actions: ['dynamodb:PutItem'], items: ['challenge', 'dataKey', 'duplicate'] },
    // The submit transaction: statement and e-mail puts, a counter shard increment.
    {
      actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
      items: ['statement', 'email'],
      inTransaction: true,
    },
    { actions: ['dynamodb:UpdateItem'], items: ['counter'], inTransaction: true },
  ],
  getMe: ORGANISER_AUDIT,
} as const satisfies Record<string, TableScope>;

/** The `dynamodb:LeadingKeys` patterns of some item families (`S#*`; the initiative key exactly). */
export function leadingKeyPatterns(items: readonly ItemFamily[]): string[] {
  return items.map((family) => {
    const prefix = KEY_PREFIXES[family];
    return prefix.endsWith('#') ? `${prefix}*` : prefix;
  });
}

/** The IAM conditions of one grant. */
export function tableGrantConditions(grant: TableGrant): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(grant.items) },
    ...(grant.inTransaction ? { StringEquals: { 'dynamodb:EnclosingOperation': 'TransactWriteItems' } } : {}),
  };
}
