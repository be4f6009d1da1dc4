import { ANNEX_REVISION, identityKey, signingDay, validateStatement } from '@ocs/shared';
import {
  AlreadySignedError,
  ChallengeFailedError,
  CollectionNotOpenError,
  InitiativeNotConfiguredError,
  StatementValidationError,
} from '@ocs/shared/errors';
import { addMonths, collectionStatus, statementDestructionDeadline } from '@ocs/shared/initiative';
import type {
  ChallengeReplayStore,
  ChallengeService,
  Clock,
  ExistingStatement,
  InitiativeStore,
  SealedData,
  StatementStore,
} from '@ocs/shared/ports';
import { emailAad, encodeJson, personalDataOf, statementAad } from './personal-data';

/** Seals personal data (the submit path can only encrypt). */
export interface Sealer {
  seal(plaintext: Uint8Array, aad: Uint8Array, expiresAtEpochSeconds: number): Promise<SealedData>;
}

/** Keyed hash of an identity (the dedup key). */
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
}

export interface SubmitResult {
  /** `created`: stored and counted now (201); `replayed`: a retry of a stored statement (200). */
  readonly outcome: 'created' | 'replayed';
  readonly receipt: string;
  readonly submittedAt: string;
}

const epochSeconds = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 1000);

/**
 * Submit a statement of support (POST /api/statements).
 * Input: the parsed JSON body (untrusted). Output: `SubmitResult`, or a domain error.
 * Steps:
 *  1. validate with the shared rulebook (all field errors at once)      -> StatementValidationError
 *  2. verify the proof of work (signature, expiry, solution)            -> ChallengeFailedError
 *  3. collection open? (dates in Brussels and the organisers' switch)   -> CollectionNotOpenError
 *  4. dedup key = HMAC(identity); claim the challenge for this submission and identity (single
 *     use, claimed before anything about stored statements is revealed, so one solved challenge
 *     cannot probe many identities)                                     -> ChallengeFailedError
 *  5. stored already? same submission: replay (200); else AlreadySignedError (409). A duplicate
 *     costs no key-service call and no statement write.
 *  6. seal the personal data (cached data key; AAD = initiative, country, statement id)
 *  7. store the statement and count it in one transaction; a lost race resolves like step 5.
 */
export class SubmitStatement {
  constructor(private readonly deps: SubmitStatementDeps) {}

  async execute(body: unknown): Promise<SubmitResult> {
    const { deps } = this;
    const now = deps.clock.now();

    const validation = validateStatement(body, { today: signingDay(now) });
    if (!validation.ok) throw new StatementValidationError(validation.errors);
    const statement = validation.value;

    // The altcha payload is never a field error: a missing one is a failed challenge (403).
    if (statement.altcha === '') throw new ChallengeFailedError('missing');
    const challenge = await deps.challenges.verify(statement.altcha);
    if (!challenge.ok) throw new ChallengeFailedError(challenge.reason);

    const initiative = await deps.initiatives.get();
    if (!initiative) throw new InitiativeNotConfiguredError();
    const status = collectionStatus(initiative, now);
    if (status !== 'open') throw new CollectionNotOpenError(status);

    const dedupKey = deps.hasher.hash(identityKey(statement));
    // Both reads of the store at once (one round trip); nothing is revealed unless the claim holds.
    const [claimed, existing] = await Promise.all([
      deps.replay.claim(
        challenge.challengeId,
        { submissionId: statement.submissionId, dedupKey },
        challenge.expiresAtEpochSeconds,
      ),
      deps.statements.findByDedupKey(dedupKey),
    ]);
    if (!claimed) throw new ChallengeFailedError('already_used');
    if (existing) return this.resolveExisting(existing, statement.submissionId);

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
      ? await this.sealEmail(
          statement.email,
          statementId,
          epochSeconds(addMonths(initiative.collection.end, 12)),
        )
      : undefined;

    const outcome = await deps.statements.storeAndCount({
      dedupKey,
      statementId,
      submissionId: statement.submissionId,
      country: statement.nationality,
      annexRevision: ANNEX_REVISION,
      submittedAt,
      personalData,
      ...(email ? { email } : {}),
      expiresAtEpochSeconds: expiresAt,
    });
    if (outcome.kind === 'duplicate') return this.resolveExisting(outcome.existing, statement.submissionId);
    return { outcome: 'created', receipt: statementId, submittedAt };
  }

  private resolveExisting(existing: ExistingStatement, submissionId: string): SubmitResult {
    if (existing.submissionId !== submissionId) throw new AlreadySignedError();
    return { outcome: 'replayed', receipt: existing.statementId, submittedAt: existing.submittedAt };
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
