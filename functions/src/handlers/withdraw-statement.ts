import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import type { AuditTrail, ChallengeReplayStore, ChallengeService, WithdrawalStore } from '@ocs/shared/ports';
import { DynamoAuditTrail } from '../adapters/dynamo-audit-trail.adapter';
import { DynamoChallengeReplayStore } from '../adapters/dynamo-challenge-replay.adapter';
import { DynamoWithdrawalStore } from '../adapters/dynamo-withdrawal-store.adapter';
import { type Config, config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';
import type { LatencyPadding } from '../use-cases/latency-padding';
import { WithdrawStatement } from '../use-cases/withdraw-statement';
import { makeDynamoClient, newId, onFirstInvocation, systemClock, tableName } from '../wiring';
import { makeChallengeService } from '../wiring-keys';

/** What POST /api/withdrawals is built from. */
export interface WithdrawStatementPorts {
  readonly withdrawals: WithdrawalStore;
  readonly trail: AuditTrail;
  readonly replay: ChallengeReplayStore;
  /** The challenge service; its signing secret is loaded on first use (503 until it loads). */
  readonly challenges: () => Promise<ChallengeService>;
  readonly newId: () => string;
  readonly padding?: LatencyPadding;
}

/**
 * POST /api/withdrawals `{ receipt, altcha }`: a citizen withdraws the statement of that receipt.
 * Always `200 { status: "done" }` (whether or not a statement had it); 422 for a malformed
 * receipt, 403 challenge_failed, 503.
 */
export function createWithdrawStatementHandler(ports: WithdrawStatementPorts) {
  const withdrawal = new WithdrawStatement(ports);
  return apiHandler(
    routeKey(routeOf('withdrawStatement')),
    async (event) => {
      const proof = { challenges: await ports.challenges(), replay: ports.replay, newId: ports.newId };
      return json(200, await withdrawal.byCitizen(proof, event.jsonBody));
    },
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  const table = tableName(cfg);
  return createWithdrawStatementHandler({
    withdrawals: new DynamoWithdrawalStore(db, table),
    trail: new DynamoAuditTrail(db, table, systemClock),
    replay: new DynamoChallengeReplayStore(db, table),
    challenges: makeChallengeService(cfg, systemClock),
    newId,
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
