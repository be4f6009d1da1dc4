/**
 * Names of the environment variables the functions read, shared with the CDK app so the two can
 * never disagree. Values are read once, at cold start, by `config.ts`. No secret is ever passed
 * in an environment variable: only the identifiers of where secrets live.
 */
export const ENV = {
  /** `aws` (KMS, Secrets Manager) or `local` (local key provider, secrets in OCS_DATA_DIR). */
  runtime: 'OCS_RUNTIME',
  /** The single DynamoDB table. */
  tableName: 'OCS_TABLE_NAME',
  /** Slug of the initiative this deployment serves; names it in every encryption context. */
  initiativeId: 'OCS_INITIATIVE_ID',
  /** KMS key (ARN or alias) that issues the statement data keys (envelope encryption). */
  dataKeyId: 'OCS_DATA_KEY_ID',
  /** Secrets Manager secret holding the deduplication HMAC secret (encrypted under its own key). */
  dedupSecretId: 'OCS_DEDUP_SECRET_ID',
  /** Secrets Manager secret holding the ALTCHA challenge signing secret. */
  challengeSecretId: 'OCS_CHALLENGE_SECRET_ID',
  /** Secrets Manager secret holding the origin-verification value CloudFront sends to the API (AWS only). */
  originSecretId: 'OCS_ORIGIN_SECRET_ID',
  /** `production` (default) or `low` (cheap proof of work for automated suites). */
  challengeCost: 'OCS_CHALLENGE_COST',
  /** Number of counter shards per country (spreads counter writes over partitions). */
  counterShards: 'OCS_COUNTER_SHARDS',
  /** Seconds a function keeps the initiative in memory (default 5; 0 reads it on every request). */
  initiativeCacheSeconds: 'OCS_INITIATIVE_CACHE_SECONDS',
  /** Local mode: where the local key provider keeps its master key and the encrypted secrets. */
  dataDir: 'OCS_DATA_DIR',
  /** Local mode: DynamoDB Local endpoint. */
  dynamoEndpoint: 'OCS_DYNAMODB_ENDPOINT',
  /** The export function: S3 bucket of export files (AWS only; locally they go to OCS_DATA_DIR/exports). */
  exportBucket: 'OCS_EXPORT_BUCKET',
  /** The export function: KMS key of the export objects (SSE-KMS; the bucket default when unset). */
  exportKeyId: 'OCS_EXPORT_KEY_ID',
  /** How exports write Greece: `gr` (default, as the Commission's OCS 4) or `el` (older OCS). */
  exportGreeceCode: 'OCS_EXPORT_GREECE_CODE',
  /** The approve function: name of the statements export function it starts (AWS only). */
  exportFunction: 'OCS_EXPORT_FUNCTION',
  /** The approve function: name of the e-mail export function it starts (AWS only). */
  emailExportFunction: 'OCS_EMAIL_EXPORT_FUNCTION',
  /** Local mode: the origin the local server is reached at (download links point there). */
  localOrigin: 'OCS_LOCAL_ORIGIN',
} as const;

/** DynamoDB table key schema and TTL attribute, shared with the CDK table definition. */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; the legal destruction deadline. TTL is a backstop, not the mechanism. */
  ttlAttribute: 'expiresAt',
} as const;

/** Encryption context keys and values; the KMS key policy conditions on exactly these. */
export const ENCRYPTION_CONTEXT = {
  initiativeKey: 'initiative',
  purposeKey: 'purpose',
  statementPurpose: 'statement-data',
  emailPurpose: 'email-data',
} as const;

/**
 * Origin verification (AWS only): CloudFront adds this header, carrying a secret generated at
 * deploy time, to every request it forwards to the HTTP API; the API's Lambda authorizer refuses
 * citizen requests without it, so nobody can call the execute-api endpoint and skip the WAF.
 */
export const ORIGIN_VERIFY = {
  /** Lower case: HTTP API payload v2 events carry header names in lower case. */
  header: 'x-ocs-origin-verify',
  /** Seconds API Gateway caches the authorizer's answer per header value. */
  cacheTtlSeconds: 300,
} as const;
