import type { WithdrawalStore } from '@ocs/shared/ports';
import { DynamoWithdrawalStore } from '../adapters/dynamo-withdrawal-store.adapter';
import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import type { LatencyPadding } from '../use-cases/latency-padding';
import { WithdrawStatement } from '../use-cases/withdraw-statement';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation, tableName } from '../wiring';

/** What POST /api/admin/withdrawals needs besides the audit ports. */
export interface AdminWithdrawStatementPorts extends OrganiserAuditPorts {
  readonly withdrawals: WithdrawalStore;
  readonly padding?: LatencyPadding;
}

/**
 * POST /api/admin/withdrawals `{ receipt }`: an organiser withdraws a statement on a citizen's
 * written request. Always `200 { status: "done" }`; records `withdrawal` (empty details).
 */
export function createAdminWithdrawStatementHandler(ports: AdminWithdrawStatementPorts) {
  const withdrawal = new WithdrawStatement(ports);
  return organiserHandler(
    'adminWithdrawStatement',
    ports,
    async (event, { actor }) => json(200, await withdrawal.byOrganiser(actor, event.jsonBody)),
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createAdminWithdrawStatementHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    withdrawals: new DynamoWithdrawalStore(db, tableName(cfg)),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
