import type { TestDataWiper } from '@ocs/shared/ports';
import { DynamoTestDataWiper } from '../adapters/dynamo-test-data-wiper.adapter';
import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { goLive } from '../use-cases/go-live';
import {
  makeDynamoClient,
  makeInitiativeAdminStore,
  makeOrganiserAuditPorts,
  onFirstInvocation,
  tableName,
} from '../wiring';
import type { AdminInitiativePorts } from './get-admin-initiative';

/** What POST /api/admin/go-live needs: the initiative item and the deletion of the test data. */
export interface GoLivePorts extends AdminInitiativePorts {
  readonly wiper: TestDataWiper;
}

/**
 * POST /api/admin/go-live `{ confirm: "<registration number>" }`: test mode ends, irreversibly;
 * the test statements and their counts are deleted; records `go_live`. 409 already_live, 422
 * wrong_confirmation.
 */
export function createGoLiveHandler(ports: GoLivePorts) {
  return organiserHandler(
    'goLive',
    ports,
    async (event, { actor }) => json(200, await goLive(ports, actor, event.jsonBody)),
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  const db = makeDynamoClient(cfg);
  return createGoLiveHandler({
    ...makeOrganiserAuditPorts(cfg, db),
    initiatives: makeInitiativeAdminStore(cfg, db),
    wiper: new DynamoTestDataWiper(db, tableName(cfg)),
  });
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
