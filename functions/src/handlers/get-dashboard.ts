import type { InitiativeStore, ProgressStore } from '@ocs/shared/ports';
import { DynamoProgressStore } from '../adapters/dynamo-progress-store.adapter';
import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { getDashboard } from '../use-cases/get-dashboard';
import {
  makeDynamoClient,
  makeInitiativeAdminStore,
  makeOrganiserAuditPorts,
  onFirstInvocation,
  tableName,
} from '../wiring';

/** What GET /api/admin/dashboard needs. */
export interface GetDashboardPorts extends OrganiserAuditPorts {
  readonly initiatives: InitiativeStore;
  readonly progress: ProgressStore;
}

/**
 * GET /api/admin/dashboard: the counts of the current mode per Member State and per day, the
 * Member States at their threshold and the projected goal date. Never cached: the console polls it.
 */
export function createGetDashboardHandler(ports: GetDashboardPorts) {
  return organiserHandler('getDashboard', ports, async () => json(200, await getDashboard(ports)));
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createGetDashboardHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    initiatives: makeInitiativeAdminStore(cfg, db),
    progress: new DynamoProgressStore(db, tableName(cfg), cfg.counterShards),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
