import type { AuditAction, AuditActor, AuditDetails, AuditEntry } from './audit';
import type { ChallengeFailure } from './errors';
import type { Initiative, InitiativeLifecycle, InitiativeMode, InitiativeState } from './initiative';
import type { MemberStateCode } from './statement';

/**
 * Ports: what the use cases need from the outside world. Adapters (DynamoDB, KMS, Secrets Manager,
 * the local key provider, ALTCHA) implement them in `functions/`; unit tests use in-memory fakes.
 */

/** Key/value pairs bound to a data key; the wrong context makes Decrypt fail. */
export type EncryptionContext = Readonly<Record<string, string>>;

/** A fresh data key: its plaintext (kept in memory only) and its ciphertext under the master key. */
export interface DataKey {
  /** Identifier of the master key that wrapped it (KMS key ARN, or the local key id). */
  readonly masterKeyId: string;
  readonly plaintext: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Envelope-encryption key service: AWS KMS in the cloud, the local key provider on one machine. */
export interface KeyProvider {
  /** Issues a new AES-256 data key bound to `context`. */
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /** Unwraps a data key; fails unless `context` is exactly the one it was issued with. */
  decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}

/** A secret generated at deploy (or first local start), stored only encrypted. */
export interface SecretSource {
  /** The secret's bytes; callers load it once per cold start. */
  load(): Promise<Uint8Array>;
}

/** Where a data key's ciphertext is kept, so statements carry only a short reference to it. */
export interface DataKeyRecord {
  readonly ref: string;
  readonly masterKeyId: string;
  readonly ciphertext: Uint8Array;
  readonly context: EncryptionContext;
  readonly createdAt: string;
}

export interface DataKeyStore {
  /** Persists a data key record before any ciphertext refers to it. */
  put(record: DataKeyRecord, expiresAtEpochSeconds: number): Promise<void>;
  get(ref: string): Promise<DataKeyRecord | undefined>;
}

/** Personal data sealed with AES-256-GCM under a data key. */
export interface SealedData {
  readonly dataKeyRef: string;
  readonly context: EncryptionContext;
  readonly iv: Uint8Array;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly ciphertext: Uint8Array;
}

/** A stored statement of support, as the store sees it: no plaintext personal data. */
export interface StatementRecord {
  /** HMAC of the signatory's identity (hex); the item key, so writes spread over partitions. */
  readonly dedupKey: string;
  /** The receipt handed to the citizen (UUID). */
  readonly statementId: string;
  readonly submissionId: string;
  readonly country: MemberStateCode;
  readonly annexRevision: number;
  /** ISO 8601 instant. */
  readonly submittedAt: string;
  readonly personalData: SealedData;
  /** The optional e-mail for updates: sealed under its own purpose, stored in its own item. */
  readonly email?: { readonly sealed: SealedData; readonly expiresAtEpochSeconds: number };
  /** Legal destruction deadline, epoch seconds. */
  readonly expiresAtEpochSeconds: number;
  /**
   * `test`: a test statement (test mode), stored and counted apart from live ones, and only while
   * the initiative is still in test mode (the write checks it), so go-live can delete them all.
   */
  readonly mode: InitiativeMode;
  /** The Brussels date it is counted under (the counter item of that day). */
  readonly countDay: string;
}

/** What is already stored under a dedup key (enough to answer a retry or a duplicate). */
export interface ExistingStatement {
  readonly statementId: string;
  readonly submissionId: string;
  readonly submittedAt: string;
}

export type StoreOutcome =
  | { readonly kind: 'stored' }
  /** Another statement with the same dedup key won a race; it is returned. */
  | { readonly kind: 'duplicate'; readonly existing: ExistingStatement }
  /** A test statement, refused because the initiative went live meanwhile: nothing was written. */
  | { readonly kind: 'mode_changed' };

/**
 * What a duplicate statement was answered: a receipt of its own that names nothing stored, and
 * its time. Kept (without personal data) so that a retry of the same submission gets the same
 * answer as the first attempt, as a retry of a stored statement does.
 */
export interface DuplicateAnswer {
  readonly receipt: string;
  /** ISO 8601 instant. */
  readonly submittedAt: string;
}

export interface DuplicateAnswerRecord extends DuplicateAnswer {
  /** Keyed hash (hex) of the submission id and the dedup key: only a retry can find it. */
  readonly answerKey: string;
  /** Epoch seconds after which the answer is gone (and read as absent before TTL removes it). */
  readonly expiresAtEpochSeconds: number;
}

export type KeepAnswerOutcome =
  | { readonly kind: 'kept' }
  /** A concurrent retry of the same submission kept its answer first; that answer is returned. */
  | { readonly kind: 'already_answered'; readonly answer: DuplicateAnswer };

export interface StatementStore {
  /** The statement of this dedup key among the statements of `mode` (test and live ones never meet). */
  findByDedupKey(dedupKey: string, mode: InitiativeMode): Promise<ExistingStatement | undefined>;
  /**
   * Stores the statement and adds one to the country's counter of its mode and day in ONE
   * transaction: both or neither. Throws DependencyUnavailableError when the store fails
   * (nothing written).
   */
  storeAndCount(record: StatementRecord): Promise<StoreOutcome>;
  /** The answer kept for a duplicate under `answerKey`, unless absent or expired at `nowEpochSeconds`. */
  findDuplicateAnswer(answerKey: string, nowEpochSeconds: number): Promise<DuplicateAnswer | undefined>;
  /**
   * Keeps a duplicate's answer unless a live one is already kept under the same key (first
   * writer wins). Throws DependencyUnavailableError when the store fails.
   */
  keepDuplicateAnswer(record: DuplicateAnswerRecord, nowEpochSeconds: number): Promise<KeepAnswerOutcome>;
}

/** What a withdrawal found: a stored statement with that receipt (now gone), or none. */
export type WithdrawOutcome = 'withdrawn' | 'not_found';

/** Withdrawal of a statement by its receipt (the citizen's and the organisers' routes). */
export interface WithdrawalStore {
  /**
   * Deletes the statement whose receipt is `receipt` (live or test), its e-mail address, and takes
   * its count back (the counter it was counted in), in ONE transaction. `not_found` when no
   * stored statement has that receipt (never had, a duplicate's receipt, already withdrawn or
   * destroyed): idempotent. Throws DependencyUnavailableError when the store fails.
   */
  withdraw(receipt: string): Promise<WithdrawOutcome>;
}

/** Who presents a challenge: one submission of one identity. */
export interface ChallengeClaimant {
  readonly submissionId: string;
  readonly dedupKey: string;
}

/** Signed-challenge single use: the first statement that presents a challenge owns it. */
export interface ChallengeReplayStore {
  /**
   * Marks the challenge used by `claimant`. Returns false when another submission or another
   * identity already used it; true when it is new or owned by the same claimant (a retry).
   */
  claim(challengeId: string, claimant: ChallengeClaimant, expiresAtEpochSeconds: number): Promise<boolean>;
}

/** A verified proof-of-work payload. */
export type ChallengeVerification =
  | { readonly ok: true; readonly challengeId: string; readonly expiresAtEpochSeconds: number }
  | { readonly ok: false; readonly reason: ChallengeFailure };

export interface ChallengeService {
  /** A new signed challenge, as the ALTCHA widget consumes it (JSON-serialisable). */
  create(): Promise<unknown>;
  /** Checks signature, expiry and solution; stateless (single use is the replay store's job). */
  verify(payload: string): Promise<ChallengeVerification>;
}

export interface InitiativeStore {
  get(): Promise<Initiative | undefined>;
  /**
   * The whole item: the initiative, its lifecycle (mode, submission date, ...) and its version.
   * `fresh` bypasses any cache (a caller that just learnt the item changed).
   */
  state(options?: { readonly fresh?: boolean }): Promise<InitiativeState | undefined>;
  /** Creates the item only if it does not exist yet (seeding never overwrites). */
  createIfAbsent(initiative: Initiative): Promise<boolean>;
}

/** The organisers' changes of the initiative item. */
export interface InitiativeAdminStore extends InitiativeStore {
  /**
   * Writes the initiative and its lifecycle as the next version, only if the item is still at
   * `expectedVersion` (optimistic concurrency: what the caller checked is what it replaces).
   * Returns false, writing nothing, when another write came first.
   */
  replace(
    expectedVersion: number,
    next: { readonly initiative: Initiative; readonly lifecycle: InitiativeLifecycle },
  ): Promise<boolean>;
}

/** What go-live deleted of the test data. */
export interface TestDataWipe {
  readonly statements: number;
  readonly emails: number;
  /** Counter items (one per shard and day). */
  readonly counters: number;
}

/** Deletes every test statement, test e-mail address and test counter (go-live). */
export interface TestDataWiper {
  /** Idempotent and resumable: a second run deletes what the first one left. */
  wipe(): Promise<TestDataWipe>;
}

/** Counts per country, summed over shards. */
export type CountryCounts = Readonly<Partial<Record<MemberStateCode, number>>>;

/** The counts of one day (Brussels date), summed over shards. */
export interface DayCounts {
  readonly date: string;
  readonly counts: CountryCounts;
}

export interface ProgressStore {
  /** Counts per country of the statements of `mode`. */
  read(mode: InitiativeMode): Promise<CountryCounts>;
  /** The same per day, in date order (days without a statement are absent). */
  readDays(mode: InitiativeMode): Promise<readonly DayCounts[]>;
}

export interface Clock {
  now(): Date;
}

/** Which part of the audit trail to list: entries with `seq > after`, at most `limit` of them. */
export interface AuditListOptions {
  readonly after?: number;
  readonly limit?: number;
}

/**
 * The organisers' audit trail (see `audit.ts`): append-only and hash-chained. Concurrent appends
 * never fork the chain nor lose an entry; nothing is ever updated or deleted.
 */
export interface AuditTrail {
  /** Appends the next entry (seq, prevHash and hash follow from the current head) and returns it. */
  append(actor: AuditActor, action: AuditAction, details: AuditDetails): Promise<AuditEntry>;
  /** Entries in seq order after `after` (default 0), all of them unless `limit` is given. */
  list(options?: AuditListOptions): Promise<readonly AuditEntry[]>;
  /** The last entry, or undefined while the trail is empty. */
  head(): Promise<AuditEntry | undefined>;
}

/** Epoch seconds of a marker claim: the present, the end of the hold, the marker's expiry (TTL). */
export interface SignInMarkerTimes {
  readonly now: number;
  readonly holdUntil: number;
  readonly expiresAt: number;
}

/**
 * One marker per organiser session, so `sign_in` is recorded once per session, not per request.
 * A claim holds for a short while; it becomes permanent when confirmed (the entry is written) and
 * is given up when released (the entry could not be written) or when it lapses (the writer died).
 */
export interface SignInMarkerStore {
  /**
   * Claims the session until `times.holdUntil`; true when this call got it (a new session, or an
   * earlier claim released or lapsed before `times.now`), false when it is recorded or held.
   */
  claim(sub: string, session: string, times: SignInMarkerTimes): Promise<boolean>;
  /** Marks the session recorded, for good (until the marker expires). */
  confirm(sub: string, session: string, expiresAtEpochSeconds: number): Promise<void>;
  /** Gives a claim up at once, so the next request of the session records the sign-in. */
  release(sub: string, session: string, expiresAtEpochSeconds: number): Promise<void>;
}
