import { type AuditActor, CITIZEN_ACTOR } from '@ocs/shared/audit';
import {
  adminWithdrawalRequestSchema,
  WITHDRAWAL_DONE,
  type WithdrawalResponse,
  withdrawalRequestSchema,
} from '@ocs/shared/contract/withdrawal';
import { ChallengeFailedError } from '@ocs/shared/errors';
import type { AuditTrail, ChallengeReplayStore, ChallengeService, WithdrawalStore } from '@ocs/shared/ports';
import { recordAction } from './audit';
import { LatencyPadding } from './latency-padding';
import { parseInput } from './manage-initiative';

/**
 * Typical duration of a withdrawal that found its statement (an index query, then a three-item
 * transaction), ms, before one was measured in this execution environment. Withdrawals are rare,
 * so this default stands in most of the time; in-region, a Query and a transaction take a few
 * milliseconds each.
 */
export const WITHDRAWAL_PADDING_DEFAULT_MS = 25;

export interface WithdrawStatementDeps {
  readonly withdrawals: WithdrawalStore;
  readonly trail: AuditTrail;
  /** Holds a withdrawal that found nothing as long as one that found its statement; a real one by default. */
  readonly padding?: LatencyPadding;
}

/** What the citizen's route checks its proof of work with (single use). */
export interface ProofOfWork {
  readonly challenges: ChallengeService;
  readonly replay: ChallengeReplayStore;
  readonly newId: () => string;
}

/** The claimant a withdrawal's challenge is claimed for: nothing that links it to a receipt. */
const WITHDRAWAL_CLAIMANT = 'withdrawal';

/**
 * Withdraw a statement of support by its receipt: `POST /api/withdrawals` (a citizen) and
 * `POST /api/admin/withdrawals` (an organiser, on a citizen's written request).
 * Input: the body (untrusted); the organiser for the admin route. Output: always `{ status:
 * "done" }`, or a domain error that does not depend on the receipt (422 for a malformed one,
 * 403 for a failed proof of work, 503).
 * Steps:
 *  1. validate the body (a UUID receipt; 422 field errors otherwise);
 *  2. citizen route: verify the proof of work and claim the challenge for this request (single
 *     use; the claim records a random id, never the receipt)            -> ChallengeFailedError;
 *  3. delete the statement with that receipt, its e-mail, and take its count back, in one
 *     transaction (`WithdrawalStore`); a receipt that names no stored statement (never issued,
 *     a duplicate's decoy receipt, already withdrawn, destroyed) changes nothing;
 *  4. a withdrawal that found nothing waits as long as one that found its statement typically
 *     takes (`LatencyPadding`), so the time does not tell them apart either;
 *  5. record `withdrawal` in the audit trail with empty details: never the receipt, and nothing
 *     that says whether it matched (docs/threat-model.md).
 * A retry is harmless: the statement is gone, the second request finds nothing and answers alike.
 */
export class WithdrawStatement {
  private readonly padding: LatencyPadding;

  constructor(private readonly deps: WithdrawStatementDeps) {
    this.padding = deps.padding ?? new LatencyPadding({ defaultMs: WITHDRAWAL_PADDING_DEFAULT_MS });
  }

  /** The organisers' route: `actor` is the signed-in organiser. */
  async byOrganiser(actor: AuditActor, body: unknown): Promise<WithdrawalResponse> {
    const { receipt } = parseInput(adminWithdrawalRequestSchema, body);
    return this.withdraw(receipt, actor);
  }

  /** The citizens' route: a proof of work instead of a sign-in. */
  async byCitizen(proof: ProofOfWork, body: unknown): Promise<WithdrawalResponse> {
    const { receipt, altcha } = parseInput(withdrawalRequestSchema, body);
    if (!altcha) throw new ChallengeFailedError('missing');
    const challenge = await proof.challenges.verify(altcha);
    if (!challenge.ok) throw new ChallengeFailedError(challenge.reason);
    const claimed = await proof.replay.claim(
      challenge.challengeId,
      { submissionId: proof.newId(), dedupKey: WITHDRAWAL_CLAIMANT },
      challenge.expiresAtEpochSeconds,
    );
    if (!claimed) throw new ChallengeFailedError('already_used');
    return this.withdraw(receipt, CITIZEN_ACTOR);
  }

  private async withdraw(receipt: string, actor: AuditActor): Promise<WithdrawalResponse> {
    const startedAt = this.padding.start();
    const outcome = await this.deps.withdrawals.withdraw(receipt);
    if (outcome === 'withdrawn') this.padding.recordAccepted(startedAt);
    else await this.padding.holdSince(startedAt);
    await recordAction(this.deps.trail, actor, 'withdrawal', {});
    return WITHDRAWAL_DONE;
  }
}
