import type { InitiativeAdminStore } from '@ocs/shared/ports';
import type { RetentionStore } from '@ocs/shared/retention';
import { DynamoRetentionStore } from '../adapters/dynamo-retention-store.adapter';
import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { getRetention } from '../use-cases/get-retention';
import {
  makeDynamoClient,
  makeInitiativeAdminStore,
  makeOrganiserAuditPorts,
  onFirstInvocation,
  tableName,
} from '../wiring';

/** What GET /api/admin/retention needs besides the audit ports. */
export interface GetRetentionPorts extends OrganiserAuditPorts {
  readonly initiatives: InitiativeAdminStore;
  readonly retention: RetentionStore;
}

/** GET /api/admin/retention: `{ deadline, rule, lastRun, certificates, status, keyDestruction }`. */
export function createGetRetentionHandler(ports: GetRetentionPorts) {
  return organiserHandler('getRetention', ports, async () => json(200, await getRetention(ports)));
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createGetRetentionHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    initiatives: makeInitiativeAdminStore(cfg, db),
    retention: new DynamoRetentionStore(db, tableName(cfg)),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
