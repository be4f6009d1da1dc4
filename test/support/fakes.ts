import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes } from 'node:crypto';
import type {
  Initiative,
  InitiativeLifecycle,
  InitiativeMode,
  InitiativeState,
} from '@ocs/shared/initiative';
import type {
  ChallengeClaimant,
  ChallengeReplayStore,
  ChallengeService,
  ChallengeVerification,
  CountryCounts,
  DataKey,
  DataKeyRecord,
  DataKeyStore,
  DayCounts,
  DuplicateAnswer,
  DuplicateAnswerRecord,
  EncryptionContext,
  ExistingStatement,
  InitiativeAdminStore,
  KeepAnswerOutcome,
  KeyProvider,
  ProgressStore,
  SealedData,
  StatementRecord,
  StatementStore,
  StoreOutcome,
  TestDataWipe,
  TestDataWiper,
  WithdrawalStore,
  WithdrawOutcome,
} from '@ocs/shared/ports';

/** A promise with its resolve and reject exposed, to hold an async dependency mid-flight. */
export function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and immediate run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const canonical = (context: EncryptionContext) =>
  Buffer.from(
    JSON.stringify(
      Object.keys(context)
        .sort()
        .map((k) => [k, context[k]]),
    ),
  );

/**
 * In-memory fakes of the ports, with each port's contract (the first claimant owns a challenge,
 * one statement per dedup key, context-bound data keys) and no I/O. The unit tests and the
 * benchmarks use these same fakes.
 */

/**
 * A key provider with KMS semantics (context-bound wrapping under a master key), counting calls.
 * `failNext` queues failures; `gate` holds generateDataKey until the test releases it.
 */
export class FakeKeyProvider implements KeyProvider {
  readonly masterKeyId = 'fake:master-key';
  generateCalls = 0;
  decryptCalls = 0;
  readonly contexts: EncryptionContext[] = [];
  /** Every plaintext handed out, by reference (to check that the caller zeroes it). */
  readonly issuedPlaintexts: Uint8Array[] = [];
  gate: Promise<void> | undefined;
  private readonly failures: unknown[] = [];
  private readonly master = createSecretKey(randomBytes(32));

  failNext(error: unknown): void {
    this.failures.push(error);
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    this.generateCalls += 1;
    this.contexts.push({ ...context });
    if (this.gate) await this.gate;
    if (this.failures.length > 0) throw this.failures.shift();
    const plaintext = new Uint8Array(randomBytes(32));
    this.issuedPlaintexts.push(plaintext);
    return { masterKeyId: this.masterKeyId, plaintext, ciphertext: this.wrap(plaintext, context) };
  }

  async decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    this.decryptCalls += 1;
    const iv = ciphertext.subarray(0, 12);
    const tag = ciphertext.subarray(ciphertext.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', this.master, iv);
    decipher.setAAD(canonical(context));
    decipher.setAuthTag(tag);
    return new Uint8Array(
      Buffer.concat([decipher.update(ciphertext.subarray(12, ciphertext.length - 16)), decipher.final()]),
    );
  }

  private wrap(plaintext: Uint8Array, context: EncryptionContext): Uint8Array {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv);
    cipher.setAAD(canonical(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
  }
}

/** Data key records in memory; `events` records the order of puts for ordering assertions. */
export class InMemoryDataKeyStore implements DataKeyStore {
  readonly records = new Map<string, { record: DataKeyRecord; expiresAt: number }>();
  putCalls = 0;
  getCalls = 0;
  putGate: Promise<void> | undefined;
  failPut: unknown;

  async put(record: DataKeyRecord, expiresAtEpochSeconds: number): Promise<void> {
    this.putCalls += 1;
    if (this.putGate) await this.putGate;
    if (this.failPut !== undefined) throw this.failPut;
    this.records.set(record.ref, {
      record: { ...record, ciphertext: new Uint8Array(record.ciphertext) },
      expiresAt: expiresAtEpochSeconds,
    });
  }

  async get(ref: string): Promise<DataKeyRecord | undefined> {
    this.getCalls += 1;
    return this.records.get(ref)?.record;
  }
}

/**
 * The initiative item in memory, with the store's contract: `replace` writes only on the version
 * read. `lifecycle` defaults to test mode (a new initiative). `beforeReplace` runs just before a
 * write, to let a concurrent writer come first; `failNext` queues failures of reads and writes.
 */
export class FakeInitiativeStore implements InitiativeAdminStore {
  getCalls = 0;
  replaceCalls = 0;
  version = 0;
  beforeReplace: (() => void) | undefined;
  private readonly failures: unknown[] = [];

  constructor(
    public value: Initiative | undefined,
    public lifecycle: InitiativeLifecycle = { mode: 'test' },
  ) {}

  failNext(error: unknown): void {
    this.failures.push(error);
  }

  async get(): Promise<Initiative | undefined> {
    return (await this.state())?.initiative;
  }

  async state(): Promise<InitiativeState | undefined> {
    this.getCalls += 1;
    if (this.failures.length > 0) throw this.failures.shift();
    return this.value && { initiative: this.value, lifecycle: { ...this.lifecycle }, version: this.version };
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    if (this.value) return false;
    this.value = initiative;
    return true;
  }

  async replace(
    expectedVersion: number,
    next: { readonly initiative: Initiative; readonly lifecycle: InitiativeLifecycle },
  ): Promise<boolean> {
    this.replaceCalls += 1;
    this.beforeReplace?.();
    if (this.failures.length > 0) throw this.failures.shift();
    if (!this.value || this.version !== expectedVersion) return false;
    this.value = structuredClone(next.initiative);
    this.lifecycle = { ...next.lifecycle };
    this.version += 1;
    return true;
  }
}

/** Counts per day and country in memory, for the progress and dashboard use cases. */
export class FakeProgressStore implements ProgressStore {
  readonly days: Record<InitiativeMode, DayCounts[]> = { test: [], live: [] };

  /** Adds `n` statements of `country` on `date` to `mode`'s counts. */
  add(mode: InitiativeMode, date: string, counts: CountryCounts): this {
    const days = this.days[mode];
    const day = days.find((d) => d.date === date);
    const merged: Record<string, number> = { ...day?.counts };
    for (const [code, n] of Object.entries(counts)) merged[code] = (merged[code] ?? 0) + (n ?? 0);
    const next = { date, counts: merged };
    this.days[mode] = [...days.filter((d) => d.date !== date), next].sort((a, b) =>
      a.date.localeCompare(b.date),
    );
    return this;
  }

  async read(mode: InitiativeMode): Promise<CountryCounts> {
    const sum: Record<string, number> = {};
    for (const day of this.days[mode]) {
      for (const [code, n] of Object.entries(day.counts)) sum[code] = (sum[code] ?? 0) + (n ?? 0);
    }
    return sum;
  }

  async readDays(mode: InitiativeMode): Promise<readonly DayCounts[]> {
    return this.days[mode];
  }
}

/** A wiper over an InMemoryStatementStore's test data; `failNext` makes the next wipe fail. */
export class FakeTestDataWiper implements TestDataWiper {
  calls = 0;
  failure: unknown;

  constructor(private readonly store: InMemoryStatementStore) {}

  async wipe(): Promise<TestDataWipe> {
    this.calls += 1;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    const statements = this.store.testStatements.size;
    const emails = [...this.store.testStatements.values()].filter((r) => r.email).length;
    const counters = this.store.testCounts.size;
    this.store.testStatements.clear();
    this.store.testCounts.clear();
    return { statements, emails, counters };
  }
}

/**
 * A challenge service whose verdict the test sets: one verdict for every payload, or a function
 * of the payload (the benchmarks read a per-statement challenge id out of it).
 */
export class FakeChallengeService implements ChallengeService {
  readonly verified: string[] = [];
  result: ChallengeVerification | ((payload: string) => ChallengeVerification) = {
    ok: true,
    challengeId: '0123456789abcdef0123456789abcdef',
    expiresAtEpochSeconds: 1_795_860_600,
  };

  /** `record: false` keeps no payload (long benchmark runs). */
  constructor(private readonly options: { readonly record?: boolean } = {}) {}

  async create(): Promise<unknown> {
    return { parameters: { algorithm: 'SHA-256' }, signature: 'fake' };
  }

  async verify(payload: string): Promise<ChallengeVerification> {
    if (this.options.record !== false) this.verified.push(payload);
    return typeof this.result === 'function' ? this.result(payload) : this.result;
  }
}

/** The replay store's contract in memory: the first claimant owns a challenge. */
export class InMemoryReplayStore implements ChallengeReplayStore {
  readonly claims = new Map<string, { claimant: ChallengeClaimant; expiresAt: number }>();
  calls = 0;

  async claim(challengeId: string, claimant: ChallengeClaimant, expiresAtEpochSeconds: number) {
    this.calls += 1;
    const owner = this.claims.get(challengeId);
    if (
      owner &&
      (owner.claimant.submissionId !== claimant.submissionId || owner.claimant.dedupKey !== claimant.dedupKey)
    ) {
      return false;
    }
    this.claims.set(challengeId, { claimant: { ...claimant }, expiresAt: expiresAtEpochSeconds });
    return true;
  }
}

/**
 * Statements and counters in memory, with the store's contract: one statement per dedup key (per
 * mode: live `statements` and `counts`, test `testStatements` and `testCounts`), one live
 * duplicate answer per answer key. `beforeStore` / `beforeKeep` run just before a write, to let a
 * competitor win a race. `currentMode`, when set, is the initiative's mode the test-statement
 * transaction checks (a test statement written after go-live is `mode_changed`).
 */
export class InMemoryStatementStore implements StatementStore {
  readonly statements = new Map<string, StatementRecord>();
  readonly counts = new Map<string, number>();
  readonly testStatements = new Map<string, StatementRecord>();
  readonly testCounts = new Map<string, number>();
  currentMode: (() => InitiativeMode) | undefined;
  readonly answers = new Map<string, DuplicateAnswerRecord>();
  findCalls = 0;
  storeCalls = 0;
  answerFindCalls = 0;
  keepCalls = 0;
  beforeStore: ((record: StatementRecord) => void) | undefined;
  beforeKeep: ((record: DuplicateAnswerRecord) => void) | undefined;

  async findDuplicateAnswer(
    answerKey: string,
    nowEpochSeconds: number,
  ): Promise<DuplicateAnswer | undefined> {
    this.answerFindCalls += 1;
    return this.liveAnswer(answerKey, nowEpochSeconds);
  }

  async keepDuplicateAnswer(
    record: DuplicateAnswerRecord,
    nowEpochSeconds: number,
  ): Promise<KeepAnswerOutcome> {
    this.keepCalls += 1;
    this.beforeKeep?.(record);
    const kept = this.liveAnswer(record.answerKey, nowEpochSeconds);
    if (kept) return { kind: 'already_answered', answer: kept };
    this.answers.set(record.answerKey, { ...record });
    return { kind: 'kept' };
  }

  private liveAnswer(answerKey: string, nowEpochSeconds: number): DuplicateAnswer | undefined {
    const kept = this.answers.get(answerKey);
    if (!kept || kept.expiresAtEpochSeconds <= nowEpochSeconds) return undefined;
    return { receipt: kept.receipt, submittedAt: kept.submittedAt };
  }

  async findByDedupKey(dedupKey: string, mode: InitiativeMode): Promise<ExistingStatement | undefined> {
    this.findCalls += 1;
    const found = (mode === 'test' ? this.testStatements : this.statements).get(dedupKey);
    return found && existing(found);
  }

  async storeAndCount(record: StatementRecord): Promise<StoreOutcome> {
    this.storeCalls += 1;
    this.beforeStore?.(record);
    if (record.mode === 'test' && this.currentMode?.() === 'live') return { kind: 'mode_changed' };
    const [statements, counts] =
      record.mode === 'test' ? [this.testStatements, this.testCounts] : [this.statements, this.counts];
    const found = statements.get(record.dedupKey);
    if (found) return { kind: 'duplicate', existing: existing(found) };
    statements.set(record.dedupKey, record);
    counts.set(record.country, (counts.get(record.country) ?? 0) + 1);
    return { kind: 'stored' };
  }
}

/**
 * Withdrawal over an InMemoryStatementStore, with the store's contract: the statement of a
 * receipt (live or test) goes, with its e-mail (part of the record here) and one from its
 * country's count of its mode; nothing else is touched. `withdrawn` lists what went.
 */
export class FakeWithdrawalStore implements WithdrawalStore {
  calls = 0;
  readonly withdrawn: StatementRecord[] = [];
  failure: unknown;
  /** Runs before each answer (a test moves its clock by how long this outcome "took"). */
  onAnswer: ((outcome: WithdrawOutcome) => void) | undefined;

  constructor(private readonly store: InMemoryStatementStore) {}

  async withdraw(receipt: string): Promise<WithdrawOutcome> {
    this.calls += 1;
    if (this.failure !== undefined) throw this.failure;
    const outcome = this.remove(receipt.toLowerCase());
    this.onAnswer?.(outcome);
    return outcome;
  }

  private remove(receipt: string): WithdrawOutcome {
    for (const [statements, counts] of [
      [this.store.statements, this.store.counts],
      [this.store.testStatements, this.store.testCounts],
    ] as const) {
      for (const [dedupKey, record] of statements) {
        if (record.statementId !== receipt) continue;
        statements.delete(dedupKey);
        counts.set(record.country, Math.max(0, (counts.get(record.country) ?? 0) - 1));
        this.withdrawn.push(record);
        return 'withdrawn';
      }
    }
    return 'not_found';
  }
}

const existing = (r: StatementRecord): ExistingStatement => ({
  statementId: r.statementId,
  submissionId: r.submissionId,
  submittedAt: r.submittedAt,
});

/** A sealer that records what it is asked to seal; its "ciphertext" is a copy of the plaintext. */
export class RecordingSealer {
  readonly calls: { plaintext: Uint8Array; aad: Uint8Array; expiresAt: number }[] = [];
  failure: unknown;

  constructor(private readonly ref: string) {}

  async seal(plaintext: Uint8Array, aad: Uint8Array, expiresAt: number): Promise<SealedData> {
    this.calls.push({ plaintext: new Uint8Array(plaintext), aad: new Uint8Array(aad), expiresAt });
    if (this.failure !== undefined) throw this.failure;
    return {
      dataKeyRef: this.ref,
      context: { initiative: 'test', purpose: this.ref },
      iv: new Uint8Array(12),
      ciphertext: new Uint8Array(plaintext),
    };
  }
}

/** A keyed-hash stand-in: SHA-256 hex of the identity string. */
export const sha256Hasher = {
  hash: (identity: string) => createHash('sha256').update(identity, 'utf8').digest('hex'),
};
