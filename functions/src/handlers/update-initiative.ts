import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { updateInitiative } from '../use-cases/manage-initiative';
import { onFirstInvocation } from '../wiring';
import { type AdminInitiativePorts, adminInitiativePorts } from './get-admin-initiative';

/**
 * The largest initiative body: 24 languages of title, objectives and annex (at most 6,400
 * characters each) fit, and the stored item stays well under DynamoDB's 400 KB.
 */
export const INITIATIVE_BODY_MAX_BYTES = 256 * 1024;

/**
 * PUT /api/admin/initiative: replaces the initiative (the collection switch excepted); 422 with
 * every field error, 409 live_locked for a registered fact after go-live; records
 * `initiative_updated` (changed paths and a digest) when something changed.
 */
export function createUpdateInitiativeHandler(ports: AdminInitiativePorts) {
  return organiserHandler(
    'updateInitiative',
    ports,
    async (event, { actor }) => json(200, await updateInitiative(ports, actor, event.jsonBody)),
    { jsonBody: true, maxBodyBytes: INITIATIVE_BODY_MAX_BYTES },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createUpdateInitiativeHandler(adminInitiativePorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
