/**
 * Time limits of every AWS SDK client the functions build in AWS. A dependency that hangs must
 * end in `DependencyUnavailableError` (the contract's 503) long before the function's own
 * timeout, which would instead give API Gateway's bare error. The worst case of one call is
 * AWS_CALL_BUDGET_MS; the CDK app refuses a function whose timeout does not exceed it with room
 * for the handler's own work (infra/lib/constructs/ocs-function.ts), and a test compares it
 * with every function's timeout in the template.
 */
export const AWS_CLIENT_LIMITS = {
  /** One retry: a transient error or a timeout gets a second chance, then 503. */
  maxAttempts: 2,
  /** TCP and TLS set-up; in-region endpoints answer in milliseconds. */
  connectionTimeoutMs: 500,
  /** The whole request and response of one attempt; DynamoDB, KMS and Secrets Manager answer in tens of ms. */
  requestTimeoutMs: 1_000,
  /**
   * The longest wait the SDK's standard retry strategy takes before its first retry: a random
   * share of its throttling base delay (1 s). A `Retry-After` hint could lengthen it; DynamoDB,
   * KMS and Secrets Manager send none, and a hung endpoint sends nothing at all.
   */
  firstRetryDelayMaxMs: 1_000,
} as const;

/** The longest one AWS call can take before it fails: every attempt times out, plus the wait between. */
export const AWS_CALL_BUDGET_MS =
  AWS_CLIENT_LIMITS.maxAttempts *
    (AWS_CLIENT_LIMITS.connectionTimeoutMs + AWS_CLIENT_LIMITS.requestTimeoutMs) +
  (AWS_CLIENT_LIMITS.maxAttempts - 1) * AWS_CLIENT_LIMITS.firstRetryDelayMaxMs;
