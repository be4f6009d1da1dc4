import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { canonicalContext } from '@ocs/functions/adapters/local-key-provider.adapter';
import { gcmOpen, gcmSeal } from '@ocs/functions/crypto/aes-gcm';
import type { Initiative } from '@ocs/shared/initiative';
import type {
  ChallengeClaimant,
  ChallengeReplayStore,
  ChallengeService,
  ChallengeVerification,
  Clock,
  DataKey,
  DataKeyRecord,
  DataKeyStore,
  DuplicateAnswer,
  DuplicateAnswerRecord,
  EncryptionContext,
  ExistingStatement,
  InitiativeStore,
  KeepAnswerOutcome,
  KeyProvider,
  StatementRecord,
  StatementStore,
  StoreOutcome,
} from '@ocs/shared/ports';
import { nonceOf } from './citizens';

/**
 * Port fakes for the CPU benchmarks: each keeps the port's contract (first claimant owns a
 * challenge, one statement per dedup key) in a Map and does no I/O, so what is measured is the
 * use case's own work. They keep only what the contract needs, so memory stays flat over tens
 * of thousands of statements.
 */

/** A clock the benchmark moves by hand (the KMS simulation runs hours in seconds). */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.now()) {}

  now(): Date {
    return new Date(this.ms);
  }

  set(ms: number): void {
    this.ms = ms;
  }
}

/**
 * Proof of work excluded: every payload verifies at once, and its challenge id is the nonce
 * `fakeAltcha` put in it (so the replay store still sees one challenge per statement).
 */
export class NonceChallengeService implements ChallengeService {
  constructor(private readonly clock: Clock) {}

  async create(): Promise<unknown> {
    return {};
  }

  async verify(payload: string): Promise<ChallengeVerification> {
    return {
      ok: true,
      challengeId: nonceOf(payload),
      expiresAtEpochSeconds: Math.floor(this.clock.now().getTime() / 1000) + 600,
    };
  }
}

export class MemoryReplayStore implements ChallengeReplayStore {
  private readonly claims = new Map<string, ChallengeClaimant>();

  async claim(challengeId: string, claimant: ChallengeClaimant): Promise<boolean> {
    const owner = this.claims.get(challengeId);
    if (owner && (owner.submissionId !== claimant.submissionId || owner.dedupKey !== claimant.dedupKey)) {
      return false;
    }
    this.claims.set(challengeId, { submissionId: claimant.submissionId, dedupKey: claimant.dedupKey });
    return true;
  }
}

export class MemoryStatementStore implements StatementStore {
  private readonly byDedupKey = new Map<string, ExistingStatement>();
  readonly counts = new Map<string, number>();

  async findByDedupKey(dedupKey: string): Promise<ExistingStatement | undefined> {
    return this.byDedupKey.get(dedupKey);
  }

  async storeAndCount(record: StatementRecord): Promise<StoreOutcome> {
    const existing = this.byDedupKey.get(record.dedupKey);
    if (existing) return { kind: 'duplicate', existing };
    this.byDedupKey.set(record.dedupKey, {
      statementId: record.statementId,
      submissionId: record.submissionId,
      submittedAt: record.submittedAt,
    });
    this.counts.set(record.country, (this.counts.get(record.country) ?? 0) + 1);
    return { kind: 'stored' };
  }

  private readonly answers = new Map<string, DuplicateAnswerRecord>();

  async findDuplicateAnswer(answerKey: string, now: number): Promise<DuplicateAnswer | undefined> {
    const kept = this.answers.get(answerKey);
    return kept && kept.expiresAtEpochSeconds > now
      ? { receipt: kept.receipt, submittedAt: kept.submittedAt }
      : undefined;
  }

  async keepDuplicateAnswer(record: DuplicateAnswerRecord, now: number): Promise<KeepAnswerOutcome> {
    const kept = await this.findDuplicateAnswer(record.answerKey, now);
    if (kept) return { kind: 'already_answered', answer: kept };
    this.answers.set(record.answerKey, record);
    return { kind: 'kept' };
  }

  get size(): number {
    return this.byDedupKey.size;
  }
}

export class MemoryDataKeyStore implements DataKeyStore {
  readonly records = new Map<string, DataKeyRecord>();

  async put(record: DataKeyRecord): Promise<void> {
    this.records.set(record.ref, record);
  }

  async get(ref: string): Promise<DataKeyRecord | undefined> {
    return this.records.get(ref);
  }
}

export class MemoryInitiativeStore implements InitiativeStore {
  constructor(private value: Initiative | undefined) {}

  async get(): Promise<Initiative | undefined> {
    return this.value;
  }

  async createIfAbsent(initiative: Initiative): Promise<boolean> {
    if (this.value) return false;
    this.value = initiative;
    return true;
  }
}

/**
 * A key provider with KMS semantics in memory (the local key provider's wrapping, without its
 * master-key file): AES-256 data keys wrapped under a master key, bound to the context.
 */
export class MemoryKeyProvider implements KeyProvider {
  generateCalls = 0;
  private readonly master: KeyObject = createSecretKey(randomBytes(32));

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    this.generateCalls += 1;
    const plaintext = new Uint8Array(randomBytes(32));
    const iv = randomBytes(12);
    const sealed = gcmSeal(this.master, iv, plaintext, canonicalContext(context));
    const ciphertext = new Uint8Array(12 + sealed.length);
    ciphertext.set(iv, 0);
    ciphertext.set(sealed, 12);
    return { masterKeyId: 'bench:memory-master-key', plaintext, ciphertext };
  }

  async decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    return gcmOpen(
      this.master,
      ciphertext.subarray(0, 12),
      ciphertext.subarray(12),
      canonicalContext(context),
    );
  }
}
