import type { InitiativeAdminStore } from '@ocs/shared/ports';
import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { adminInitiativeView, currentState } from '../use-cases/manage-initiative';
import {
  makeDynamoClient,
  makeInitiativeAdminStore,
  makeOrganiserAuditPorts,
  onFirstInvocation,
} from '../wiring';

/** What the organiser routes on the initiative item need. */
export interface AdminInitiativePorts extends OrganiserAuditPorts {
  readonly initiatives: InitiativeAdminStore;
}

/**
 * GET /api/admin/initiative: the initiative as stored (the deploy-time schema, the collection
 * switch included), its mode, the organisers' collection status, the submission date and the
 * destruction deadline.
 */
export function createGetAdminInitiativeHandler(ports: AdminInitiativePorts) {
  return organiserHandler('getAdminInitiative', ports, async () =>
    json(200, adminInitiativeView(await currentState(ports.initiatives), ports.clock.now())),
  );
}

/** The ports over the adapters `config` selects (AWS or local). */
export function adminInitiativePorts(cfg: Config): AdminInitiativePorts {
  const db = makeDynamoClient(cfg);
  return { ...makeOrganiserAuditPorts(cfg, db), initiatives: makeInitiativeAdminStore(cfg, db) };
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetAdminInitiativeHandler(adminInitiativePorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
