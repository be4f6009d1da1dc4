import { WIPE_SCAN_ATTRIBUTES } from '@ocs/functions/adapters/dynamo-test-data-wiper.adapter';
import {
  type ItemFamily,
  KEY_PREFIXES,
  RECEIPT_INDEX,
  SCAN_ATTRIBUTES,
} from '@ocs/functions/adapters/table-keys';

/**
 * The DynamoDB actions a function can be given: item-level ones; Scan (keys only) for go-live and
 * the destruction job; BatchWriteItem for the destruction job alone (its deletes). No PartiQL.
 */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:BatchWriteItem';

/** Actions that change an item: a function with any of them also encrypts with the table's at-rest key. */
export const TABLE_WRITE_ACTIONS: ReadonlySet<TableAction> = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

/** Some actions on some item families of the table, optionally only inside a TransactWriteItems. */
export interface TableGrant {
  readonly actions: readonly TableAction[];
  /** The item families (KEY_PREFIXES) whose partition keys the actions may name (`dynamodb:LeadingKeys`). */
  readonly items: readonly ItemFamily[];
  /**
   * Only as part of a TransactWriteItems (`dynamodb:EnclosingOperation`): these items are never
   * written alone, so a statement, its e-mail and its count are written together or not at all.
   */
  readonly inTransaction?: boolean;
  /**
   * On this index instead of the table (its ARN `<table>/index/<name>`). `dynamodb:LeadingKeys`
   * then applies to the INDEX's partition key, so `items` names the index's key family.
   */
  readonly index?: string;
}

/**
 * A Scan of the whole table, allowed to return only `attributes` (`dynamodb:Attributes` with
 * `dynamodb:Select = SPECIFIC_ATTRIBUTES`). A Scan names no partition key, so it cannot be held to
 * item families; it is held to the attributes its code reads instead: never a counter's value,
 * a challenge, an audit entry or anything else its code has no use for.
 */
export interface TableScanGrant {
  readonly scan: readonly string[];
}

/** Everything a function may do on the table. */
export type TableScope = readonly (TableGrant | TableScanGrant)[];

/** True for a Scan grant. */
export function isScanGrant(grant: TableGrant | TableScanGrant): grant is TableScanGrant {
  return 'scan' in grant;
}

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
 * A withdrawal: find the statement by receipt on the `receipts` index (whose partition keys are
 * `R#<receipt>`: LeadingKeys on an index Query names the index's key), then, inside one
 * transaction only, delete it and its e-mail item and take its count back. No read of the table
 * itself: the index projects the keys and the counter, never a ciphertext.
 */
const WITHDRAWAL = [
  { actions: ['dynamodb:Query'], items: ['receipt'], index: RECEIPT_INDEX.name },
  {
    actions: ['dynamodb:DeleteItem'],
    items: ['statement', 'testStatement', 'email', 'testEmail'],
    inTransaction: true,
  },
  { actions: ['dynamodb:UpdateItem'], items: ['counter', 'testCounter'], inTransaction: true },
] as const satisfies TableScope;

/** The organiser routes that change the initiative item: read it, put its next version. */
const INITIATIVE_WRITER = [
  { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], items: ['initiative'] },
  ...ORGANISER_AUDIT,
] as const satisfies TableScope;

/** Appending to the audit trail only (the export runs record their end as `system`). */
export const AUDIT_APPEND = [
  { actions: ['dynamodb:Query', 'dynamodb:PutItem'], items: ['audit'] },
] as const satisfies TableScope;

/**
 * Each function's reach into the table, one declaration per function: the role gets exactly
 * these actions, each limited to the partition-key prefixes of its item families
 * (`dynamodb:LeadingKeys`). A function added later (export, retention, withdrawal) adds its
 * entry here and passes it to `OcsFunction.useTable`.
 *
 * The submit function may read the initiative but never write it (it checks its mode inside the
 * transaction of a test statement); it may create statements, e-mails and counter increments
 * only inside the submit transaction; it has no delete at all. The organiser functions may read
 * and put the initiative item and append to the audit trail; none reads a statement or an
 * e-mail. Go-live may Scan (keys only) and delete, on the test families only.
 * IAM cannot inspect condition or update expressions, so within those grants the guarantee that
 * a statement is never overwritten and a counter only grows is the adapter's
 * (`attribute_not_exists`, `ADD`), backed by point-in-time recovery (docs/architecture.md).
 */
export const TABLE_SCOPES = {
  getInitiative: [{ actions: ['dynamodb:GetItem'], items: ['initiative'] }],
  // The initiative (registration date, mode), the counters of the mode.
  getProgress: [
    { actions: ['dynamodb:GetItem'], items: ['initiative'] },
    { actions: ['dynamodb:Query'], items: ['counter', 'testCounter'] },
  ],
  submitStatement: [
    // The initiative (is collection open, which annex, which mode), an earlier statement of the
    // same person (idempotent retry), and the duplicate-answer record of a submission.
    { actions: ['dynamodb:GetItem'], items: ['initiative', 'statement', 'testStatement', 'duplicate'] },
    // Single-item conditional puts: single use of a challenge, a wrapped data key, a duplicate answer.
    { actions: ['dynamodb:PutItem'], items: ['challenge', 'dataKey', 'duplicate'] },
    // The submit transaction: statement and e-mail puts, a counter shard increment; in test
    // mode, the check that the initiative is still in test mode.
    {
      actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
      items: ['statement', 'email', 'testStatement', 'testEmail'],
      inTransaction: true,
    },
    { actions: ['dynamodb:UpdateItem'], items: ['counter', 'testCounter'], inTransaction: true },
    { actions: ['dynamodb:ConditionCheckItem'], items: ['initiative'], inTransaction: true },
  ],
  getMe: ORGANISER_AUDIT,
  getAdminInitiative: [{ actions: ['dynamodb:GetItem'], items: ['initiative'] }, ...ORGANISER_AUDIT],
  updateInitiative: INITIATIVE_WRITER,
  setCollection: INITIATIVE_WRITER,
  recordSubmission: INITIATIVE_WRITER,
  goLive: [
    ...INITIATIVE_WRITER,
    // The test items are spread over as many partitions as statements: found by a Scan that
    // may read the keys and nothing else, deleted one by one, on the test families only.
    { scan: WIPE_SCAN_ATTRIBUTES },
    { actions: ['dynamodb:DeleteItem'], items: ['testStatement', 'testEmail', 'testCounter'] },
  ],
  getDashboard: [
    { actions: ['dynamodb:GetItem'], items: ['initiative'] },
    { actions: ['dynamodb:Query'], items: ['counter', 'testCounter'] },
    ...ORGANISER_AUDIT,
  ],
  getAudit: ORGANISER_AUDIT,
  // Export routes: jobs only (a conditional put to create, conditional updates for transitions).
  requestExport: [
    ...ORGANISER_AUDIT,
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], items: ['exportJob'] },
  ],
  requestEmailExport: [
    ...ORGANISER_AUDIT,
    // The e-mails' retention deadline follows from the collection period.
    { actions: ['dynamodb:GetItem'], items: ['initiative'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], items: ['exportJob'] },
  ],
  approveExport: [
    ...ORGANISER_AUDIT,
    { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], items: ['exportJob'] },
  ],
  // Reading a job fails a dead run (a conditional update), hence UpdateItem.
  getExport: [
    ...ORGANISER_AUDIT,
    { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], items: ['exportJob'] },
  ],
  listExports: [
    ...ORGANISER_AUDIT,
    { actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], items: ['exportJob'] },
  ],
  createExportDownload: [...ORGANISER_AUDIT, { actions: ['dynamodb:GetItem'], items: ['exportJob'] }],
  // The export functions: their job, the initiative, data-key records, and the Scan of what they export.
  exportStatements: [
    ...AUDIT_APPEND,
    { actions: ['dynamodb:GetItem'], items: ['initiative', 'dataKey', 'exportJob'] },
    { actions: ['dynamodb:UpdateItem'], items: ['exportJob'] },
    { scan: SCAN_ATTRIBUTES.statements },
  ],
  exportEmails: [
    ...AUDIT_APPEND,
    { actions: ['dynamodb:GetItem'], items: ['dataKey', 'exportJob'] },
    { actions: ['dynamodb:UpdateItem'], items: ['exportJob'] },
    { scan: SCAN_ATTRIBUTES.emails },
  ],
  // The citizen's withdrawal: single use of its proof of work, the withdrawal, its audit entry.
  withdrawStatement: [
    { actions: ['dynamodb:PutItem'], items: ['challenge'] },
    ...WITHDRAWAL,
    ...AUDIT_APPEND,
  ],
  adminWithdrawStatement: [...WITHDRAWAL, ...ORGANISER_AUDIT],
  getRetention: [{ actions: ['dynamodb:GetItem'], items: ['initiative', 'retention'] }, ...ORGANISER_AUDIT],
  // The destruction job: the initiative (its deadline), its own record, a keys-only Scan of the
  // table, deletes (in batches) on the personal families only, and its audit entries. It reads
  // no statement and never touches a counter, the initiative, the trail's entries or markers.
  runRetention: [
    { actions: ['dynamodb:GetItem'], items: ['initiative'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], items: ['retention'] },
    { scan: WIPE_SCAN_ATTRIBUTES },
    {
      actions: ['dynamodb:BatchWriteItem'],
      items: ['statement', 'testStatement', 'email', 'testEmail', 'dataKey', 'challenge', 'duplicate'],
    },
    ...AUDIT_APPEND,
  ],
} as const satisfies Record<string, TableScope>;

/** The `dynamodb:LeadingKeys` patterns of some item families (`S#*`; the initiative key exactly). */
export function leadingKeyPatterns(items: readonly ItemFamily[]): string[] {
  return items.map((family) => {
    const prefix = KEY_PREFIXES[family];
    return prefix.endsWith('#') ? `${prefix}*` : prefix;
  });
}

/** The IAM conditions of one grant. */
export function tableGrantConditions(
  grant: TableGrant | TableScanGrant,
): Record<string, Record<string, unknown>> {
  if (isScanGrant(grant)) {
    return {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...grant.scan] },
      StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    };
  }
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(grant.items) },
    ...(grant.inTransaction ? { StringEquals: { 'dynamodb:EnclosingOperation': 'TransactWriteItems' } } : {}),
  };
}
