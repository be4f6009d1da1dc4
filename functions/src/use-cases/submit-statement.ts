import { ANNEX_REVISION, identityKey, signingDay, validateStatement } from '@ocs/shared';
import {
  ChallengeFailedError,
  CollectionNotOpenError,
  DependencyUnavailableError,
  InitiativeNotConfiguredError,
  StatementValidationError,
} from '@ocs/shared/errors';
import {
  brusselsDate,
  collectionStatus,
  emailRetentionDeadline,
  type Initiative,
  statementDestructionDeadline,
} from '@ocs/shared/initiative';
import type {
  ChallengeReplayStore,
  ChallengeService,
  Clock,
  DuplicateAnswer,
  ExistingStatement,
  InitiativeStore,
  SealedData,
  StatementRecord,
  StatementStore,
  StoreOutcome,
} from '@ocs/shared/ports';
import { destructionDeadlineOf } from '@ocs/shared/retention';
import type { IntakeTally } from './intake-tally';
import { LatencyPadding } from './latency-padding';
import { emailAad, encodeJson, personalDataOf, statementAad } from './personal-data';

/** Seals personal data (the submit path can only encrypt). */
export interface Sealer {
  seal(plaintext: Uint8Array, aad: Uint8Array, expiresAtEpochSeconds: number): Promise<SealedData>;
}

/** Keyed hash (HMAC under the dedup secret): of an identity (the dedup key), of a duplicate's answer key. */
export interface IdentityHasher {
  hash(identity: string): string;
}

export interface SubmitStatementDeps {
  readonly initiativeId: string;
  readonly initiatives: InitiativeStore;
  readonly challenges: ChallengeService;
  readonly replay: ChallengeReplayStore;
  readonly hasher: IdentityHasher;
  readonly statementSealer: Sealer;
  readonly emailSealer: Sealer;
  readonly statements: StatementStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Holds a duplicate's answer as long as an acceptance takes; a real one by default. */
  readonly padding?: LatencyPadding;
  /** Aggregate counts of accepted and duplicate statements (never per request). */
  readonly tally?: IntakeTally;
}

export interface SubmitResult {
  /**
   * `created` (201): a new submission, answered alike whether it was stored and counted now or
   * came from a person who already supports the initiative (then nothing was stored or counted).
   * `replayed` (200): a retry of an earlier submission, with the first answer.
   * Callers cannot tell the two kinds of `created` apart, by design: nor can anyone they tell.
   */
  readonly outcome: 'created' | 'replayed';
  readonly receipt: string;
  readonly submittedAt: string;
}

/**
 * How long a retry of a submission gets the first answer (at least 24 hours by contract). A
 * duplicate's answer is kept this long; a retry of a stored statement after it is a statement of
 * a person who already supports the initiative, answered like any other duplicate: otherwise the
 * retry window itself would tell a stored statement from a duplicate.
 */
export const RETRY_WINDOW_SECONDS = 48 * 60 * 60;

/** Domain separation of the answer key from the dedup key (both HMACs under one secret). */
const ANSWER_KEY_DOMAIN = 'ocs/duplicate-answer/v1';

const epochSeconds = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 1000);
const epochSecondsOf = (instant: Date) => Math.floor(instant.getTime() / 1000);

/**
 * Submit a statement of support (POST /api/statements).
 * Input: the parsed JSON body (untrusted). Output: `SubmitResult`, or a domain error.
 * Steps:
 *  1. validate with the shared rulebook (all field errors at once)      -> StatementValidationError
 *  2. verify the proof of work (signature, expiry, solution)            -> ChallengeFailedError
 *  3. collection open? (dates in Brussels and the organisers' switch, and the destruction
 *     deadline not reached)                                              -> CollectionNotOpenError
 *     The initiative's mode says whether this is a test statement (test mode) or a live one.
 *  4. dedup key = HMAC(identity); answer key = HMAC(submission, dedup key). Claim the challenge
 *     for this submission and identity (single use, claimed before anything about stored
 *     statements is revealed, so one solved challenge cannot probe many identities), and read
 *     the statement and a kept duplicate answer at once: every path pays the same reads.
 *                                                                        -> ChallengeFailedError
 *  5. a duplicate answer kept for this submission: replay it (200); a stored statement of this
 *     submission, within the retry window: replay it (200).
 *  6. seal the personal data (cached data key; AAD = initiative, country, statement id). Every
 *     new submission does, stored or duplicate, so key-service calls and failures are alike.
 *  7. a stored statement of this person: a duplicate (below). Otherwise store the statement and
 *     count it in one transaction (under today's Brussels date); a lost race resolves like steps
 *     5 and 7. A test statement refused because the initiative went live since its mode was read
 *     (a cached read) is stored as the live statement it now is.
 * A duplicate is answered like an acceptance (no membership oracle): 201, a receipt of its own
 * that names nothing stored (the sealed data is discarded), kept under the answer key for
 * retries; its write step held until it takes as long as an acceptance's transaction typically
 * does (LatencyPadding); counted only in aggregate (IntakeTally). Nothing of it is stored or
 * counted.
 */
export class SubmitStatement {
  private readonly padding: LatencyPadding;

  constructor(private readonly deps: SubmitStatementDeps) {
    this.padding = deps.padding ?? new LatencyPadding();
  }

  async execute(body: unknown): Promise<SubmitResult> {
    const { deps } = this;
    deps.tally?.arrived();
    const now = deps.clock.now();

    const validation = validateStatement(body, { today: signingDay(now) });
    if (!validation.ok) throw new StatementValidationError(validation.errors);
    const statement = validation.value;

    // The altcha payload is never a field error: a missing one is a failed challenge (403).
    if (statement.altcha === '') throw new ChallengeFailedError('missing');
    const challenge = await deps.challenges.verify(statement.altcha);
    if (!challenge.ok) throw new ChallengeFailedError(challenge.reason);

    const state = await deps.initiatives.state();
    if (!state) throw new InitiativeNotConfiguredError();
    const { initiative } = state;
    const mode = state.lifecycle.mode;
    assertOpen(initiative, now);
    // From the destruction deadline on, the collection's data are being destroyed: nothing new
    // is taken (whatever the dates say, e.g. a submission recorded before the collection ended).
    if (brusselsDate(now) >= destructionDeadlineOf(state).deadline) {
      throw new CollectionNotOpenError('closed');
    }

    const dedupKey = deps.hasher.hash(identityKey(statement));
    const answerKey = deps.hasher.hash([ANSWER_KEY_DOMAIN, statement.submissionId, dedupKey].join('\u001f'));
    // All reads of the store at once (one round trip), on every path; nothing is revealed unless
    // the claim holds.
    const [claimed, existing, answered] = await Promise.all([
      deps.replay.claim(
        challenge.challengeId,
        { submissionId: statement.submissionId, dedupKey },
        challenge.expiresAtEpochSeconds,
      ),
      deps.statements.findByDedupKey(dedupKey, mode),
      deps.statements.findDuplicateAnswer(answerKey, epochSecondsOf(now)),
    ]);
    if (!claimed) throw new ChallengeFailedError('already_used');
    if (answered) return replayed(answered);
    if (existing && this.isRetryOf(existing, statement.submissionId, now)) return replayedStatement(existing);

    // From here on, a new submission: stored or duplicate, it pays the same key work (and fails
    // alike when the key service does), so neither errors nor key-service calls tell them apart.
    // A duplicate's sealed data is discarded; its statement id becomes its receipt.
    const statementId = deps.newId();
    const submittedAt = now.toISOString();
    const expiresAt = epochSeconds(statementDestructionDeadline(initiative));
    const personalData = await deps.statementSealer.seal(
      encodeJson(personalDataOf(statement)),
      statementAad(deps.initiativeId, statement.nationality, statementId),
      expiresAt,
    );
    // E-mail addresses follow their own retention (DPG Q16): at the latest 12 months after the
    // end of the collection period; they may outlive the statements, which go earlier.
    const email = statement.email
      ? await this.sealEmail(statement.email, statementId, epochSeconds(emailRetentionDeadline(initiative)))
      : undefined;
    // The paths part here (a transaction, or one small put): only this step is padded.
    const duplicate = { answerKey, answer: { receipt: statementId, submittedAt }, now, padded: true };
    if (existing) return this.answerDuplicate(duplicate);

    const writeStarted = this.padding.start();
    const outcome = await this.store({
      dedupKey,
      statementId,
      submissionId: statement.submissionId,
      country: statement.nationality,
      annexRevision: ANNEX_REVISION,
      submittedAt,
      personalData,
      ...(email ? { email } : {}),
      expiresAtEpochSeconds: expiresAt,
      mode,
      countDay: brusselsDate(now),
    });
    if (outcome.kind === 'duplicate') {
      // Lost a race: to this submission's own earlier attempt (a retry), or to another one. The
      // failed transaction already took a transaction's time: no padding on top.
      if (this.isRetryOf(outcome.existing, statement.submissionId, now)) {
        return replayedStatement(outcome.existing);
      }
      return this.answerDuplicate({ ...duplicate, padded: false });
    }
    this.padding.recordAccepted(writeStarted);
    deps.tally?.count('accepted');
    return { outcome: 'created', receipt: statementId, submittedAt };
  }

  /**
   * Stores and counts. A test statement refused because the initiative went live meanwhile is
   * stored again as a live one, after a fresh read of the initiative (still open?).
   */
  private async store(record: StatementRecord): Promise<Exclude<StoreOutcome, { kind: 'mode_changed' }>> {
    const outcome = await this.deps.statements.storeAndCount(record);
    if (outcome.kind !== 'mode_changed') return outcome;
    const fresh = await this.deps.initiatives.state({ fresh: true });
    if (!fresh) throw new InitiativeNotConfiguredError();
    if (fresh.lifecycle.mode !== 'live') {
      throw new DependencyUnavailableError('database', {
        cause: new Error('test-mode check failed in test mode'),
      });
    }
    assertOpen(fresh.initiative, new Date(record.submittedAt));
    const live = await this.deps.statements.storeAndCount({ ...record, mode: 'live' });
    if (live.kind === 'mode_changed') {
      throw new DependencyUnavailableError('database', {
        cause: new Error('a live write reported a mode change'),
      });
    }
    return live;
  }

  /** True for a stored statement of this very submission, within the retry window. */
  private isRetryOf(existing: ExistingStatement, submissionId: string, now: Date): boolean {
    const age = epochSecondsOf(now) - epochSecondsOf(new Date(existing.submittedAt));
    return existing.submissionId === submissionId && age < RETRY_WINDOW_SECONDS;
  }

  /**
   * A statement from a person who already supports the initiative: answered like an acceptance,
   * with a receipt of its own that names nothing stored, kept (without personal data) for
   * retries of this submission, its write held as long as an accepted write takes. Nothing is
   * stored or counted.
   */
  private async answerDuplicate(duplicate: Duplicate): Promise<SubmitResult> {
    const { deps } = this;
    const now = epochSecondsOf(duplicate.now);
    const keep = () =>
      deps.statements.keepDuplicateAnswer(
        {
          answerKey: duplicate.answerKey,
          ...duplicate.answer,
          expiresAtEpochSeconds: now + RETRY_WINDOW_SECONDS,
        },
        now,
      );
    const kept = await (duplicate.padded ? this.padding.hold(keep) : keep());
    // A concurrent retry of this same submission answered first: this is a retry of it (held too:
    // the race is rare and leaves nothing to compare).
    if (kept.kind === 'already_answered') return replayed(kept.answer);
    deps.tally?.count('duplicate');
    return {
      outcome: 'created',
      receipt: duplicate.answer.receipt,
      submittedAt: duplicate.answer.submittedAt,
    };
  }

  private async sealEmail(email: string, statementId: string, expiresAt: number) {
    const sealed = await this.deps.emailSealer.seal(
      encodeJson({ email }),
      emailAad(this.deps.initiativeId, statementId),
      expiresAt,
    );
    return { sealed, expiresAtEpochSeconds: expiresAt };
  }
}

/** Throws CollectionNotOpenError unless collection is open at `now`. */
function assertOpen(initiative: Initiative, now: Date): void {
  const status = collectionStatus(initiative, now);
  if (status !== 'open') throw new CollectionNotOpenError(status);
}

interface Duplicate {
  readonly answerKey: string;
  readonly answer: DuplicateAnswer;
  readonly now: Date;
  /** False after a lost race, whose failed transaction already took a transaction's time. */
  readonly padded: boolean;
}

const replayed = (answer: DuplicateAnswer): SubmitResult => ({
  outcome: 'replayed',
  receipt: answer.receipt,
  submittedAt: answer.submittedAt,
});
const replayedStatement = (existing: ExistingStatement): SubmitResult =>
  replayed({ receipt: existing.statementId, submittedAt: existing.submittedAt });
