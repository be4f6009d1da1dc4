import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { setCollection } from '../use-cases/manage-initiative';
import { onFirstInvocation } from '../wiring';
import { type AdminInitiativePorts, adminInitiativePorts } from './get-admin-initiative';

/**
 * POST /api/admin/collection `{ action: "open" | "pause" }`: the organisers' switch; answers the
 * status; records `collection_opened` or `collection_paused` when the switch moved.
 */
export function createSetCollectionHandler(ports: AdminInitiativePorts) {
  return organiserHandler(
    'setCollection',
    ports,
    async (event, { actor }) => json(200, await setCollection(ports, actor, event.jsonBody)),
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createSetCollectionHandler(adminInitiativePorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
