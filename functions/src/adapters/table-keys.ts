import type { InitiativeMode } from '@ocs/shared/initiative';

/**
 * The single table's item layout. Every key is derived here so the layout is in one place.
 *
 * | item        | pk                      | sk          | why this key                                   |
 * |-------------|-------------------------|-------------|------------------------------------------------|
 * | statement   | `S#<dedup HMAC hex>`    | `S`         | uniform spread: no hot partition per country    |
 * | e-mail      | `E#<statement id>`      | `E`         | apart from the statement, own retention         |
 * | counter     | `C#<shard>`             | `<date>`    | a shard's counts of one Brussels day, one Number |
 * |             |                         |             | attribute per country code; 1 query per shard   |
 * | test stmt.  | `T#<dedup HMAC hex>`    | `S`         | test mode: apart from live ones, never exported |
 * | test e-mail | `ET#<statement id>`     | `E`         | test mode; deleted at go-live                   |
 * | test counter| `CT#<shard>`            | `<date>`    | test mode counts; deleted at go-live            |
 * | data key    | `K#<ref>`               | `K`         | one record per data key, referenced by items    |
 * | challenge   | `A#<challenge nonce>`   | `A`         | single use of proof-of-work challenges          |
 * | dup. answer | `D#<answer HMAC hex>`   | `D`         | a retry of a duplicate gets the same answer     |
 * | initiative  | `INITIATIVE`            | `CONFIG`    | one initiative per deployment                   |
 * | audit entry | `L`                     | `<seq>`     | one ordered chain; seq zero-padded to 12 digits  |
 * | sign-in mark| `M#<sub>#<session>`     | `M`         | `sign_in` recorded once per organiser session   |
 * | export job  | `X`                     | `<job id>`  | few; listed newest first by one Query           |
 * | retention   | `RETENTION`             | `RUN`       | the destruction job's progress and certificates |
 *
 * Index `receipts` (sparse, on statements only): partition key `rcpt` = `R#<receipt>`, so a
 * withdrawal finds a statement by its receipt; it projects the keys and what the withdrawal
 * needs to take the count back (`country`, `cshard`, `cday`), never a ciphertext.
 */
/**
 * The partition key of each item family: a prefix (`S#...`) or, for the one initiative item, the
 * whole key. Each function's IAM policy names the families it may touch (`dynamodb:LeadingKeys`,
 * infra/lib/table-scopes.ts), so a new family is declared here first, and every key below starts
 * with one of these (a unit test checks it).
 */
export const KEY_PREFIXES = {
  statement: 'S#',
  email: 'E#',
  counter: 'C#',
  /** Test-mode statements, e-mails and counters: apart from live ones; go-live deletes them. */
  testStatement: 'T#',
  testEmail: 'ET#',
  testCounter: 'CT#',
  dataKey: 'K#',
  challenge: 'A#',
  /** Duplicate answers, keyed by submission (written by the submit function). */
  duplicate: 'D#',
  /** The organisers' audit trail: one partition, entries by sequence number. */
  audit: 'L',
  /** Sign-in markers: a session's sign-in is recorded once. */
  signInMarker: 'M#',
  /** Export jobs (requests, approvals, runs): one partition, ids sort by request time. */
  exportJob: 'X',
  initiative: 'INITIATIVE',
  /** The destruction job's record: its last run, its progress, the certificates. */
  retention: 'RETENTION',
  /** Partition keys of the `receipts` index (`rcpt`): a withdrawal's Query names one. */
  receipt: 'R#',
} as const;

/**
 * The attributes each export reads with its Scan (the filter's key attributes and the
 * projection). A Scan cannot be limited to partition-key prefixes, so in AWS each export role may
 * Scan exactly these attributes (`dynamodb:Attributes`, infra/lib/table-scopes.ts) and no others.
 */
export const SCAN_ATTRIBUTES = {
  statements: [
    'pk',
    'sk',
    'statementId',
    'country',
    'submittedAt',
    'annexRevision',
    'dk',
    'ctx',
    'iv',
    'ct',
    'mode',
  ],
  emails: ['pk', 'sk', 'dk', 'ctx', 'iv', 'ct', 'expiresAt', 'mode'],
} as const;

/** An item family: the name of one KEY_PREFIXES entry. */
export type ItemFamily = keyof typeof KEY_PREFIXES;

export const keys = {
  statement: (dedupKey: string) => ({ pk: `S#${dedupKey}`, sk: 'S' }),
  email: (statementId: string) => ({ pk: `E#${statementId}`, sk: 'E' }),
  /** A shard's counter item of one day (`YYYY-MM-DD`, Brussels); its attributes are country codes. */
  counter: (shard: number, day: string) => ({ pk: `C#${shard}`, sk: day }),
  counterPartition: (shard: number) => `C#${shard}`,
  testStatement: (dedupKey: string) => ({ pk: `T#${dedupKey}`, sk: 'S' }),
  testEmail: (statementId: string) => ({ pk: `ET#${statementId}`, sk: 'E' }),
  testCounter: (shard: number, day: string) => ({ pk: `CT#${shard}`, sk: day }),
  testCounterPartition: (shard: number) => `CT#${shard}`,
  dataKey: (ref: string) => ({ pk: `K#${ref}`, sk: 'K' }),
  challenge: (nonce: string) => ({ pk: `A#${nonce}`, sk: 'A' }),
  duplicateAnswer: (answerKey: string) => ({ pk: `D#${answerKey}`, sk: 'D' }),
  initiative: () => ({ pk: 'INITIATIVE', sk: 'CONFIG' }),
  auditEntry: (seq: number) => ({ pk: 'L', sk: String(seq).padStart(12, '0') }),
  exportJob: (id: string) => ({ pk: 'X', sk: id }),
  signInMarker: (sub: string, session: string) => ({
    pk: `M#${encodeURIComponent(sub)}#${encodeURIComponent(session)}`,
    sk: 'M',
  }),
  retention: () => ({ pk: 'RETENTION', sk: 'RUN' }),
  /** The `receipts` index key of a statement (its `rcpt` attribute): receipts compare in lower case. */
  receiptIndex: (receipt: string) => `R#${receipt.toLowerCase()}`,
} as const;

/** The sparse index of statements by receipt (see the table above), shared with the CDK table. */
export const RECEIPT_INDEX = {
  name: 'receipts',
  partitionKey: 'rcpt',
  /** Besides the table and index keys: what a withdrawal needs, and nothing personal. */
  projected: ['country', 'cshard', 'cday'],
} as const;

/** A DynamoDB key attribute map from a `{ pk, sk }` pair. */
export function keyAttributes(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

/** The item families of a mode: test statements, e-mails and counts live apart from live ones. */
export const MODE_FAMILIES = {
  live: {
    statement: keys.statement,
    email: keys.email,
    counter: keys.counter,
    partition: keys.counterPartition,
  },
  test: {
    statement: keys.testStatement,
    email: keys.testEmail,
    counter: keys.testCounter,
    partition: keys.testCounterPartition,
  },
} as const satisfies Record<InitiativeMode, unknown>;

/**
 * Everything the destruction job deletes: statements, e-mail addresses (live and test), data-key
 * records, challenge claims (they hold a claimant's dedup HMAC) and duplicate answers.
 */
export const PERSONAL_DATA_PREFIXES = [
  KEY_PREFIXES.statement,
  KEY_PREFIXES.testStatement,
  KEY_PREFIXES.email,
  KEY_PREFIXES.testEmail,
  KEY_PREFIXES.dataKey,
  KEY_PREFIXES.challenge,
  KEY_PREFIXES.duplicate,
] as const;

/** The partition-key prefixes of everything go-live deletes. */
export const TEST_DATA_PREFIXES = [
  KEY_PREFIXES.testStatement,
  KEY_PREFIXES.testEmail,
  KEY_PREFIXES.testCounter,
] as const;
