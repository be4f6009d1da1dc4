import { type Config, config } from '../config/config';
import { organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { recordSubmission } from '../use-cases/manage-initiative';
import { onFirstInvocation } from '../wiring';
import { type AdminInitiativePorts, adminInitiativePorts } from './get-admin-initiative';

/**
 * POST /api/admin/submission `{ date }`: the date the initiative was submitted to the Commission
 * (it moves the destruction deadline); answers like GET /api/admin/initiative; records
 * `submission_recorded`.
 */
export function createRecordSubmissionHandler(ports: AdminInitiativePorts) {
  return organiserHandler(
    'recordSubmission',
    ports,
    async (event, { actor }) => json(200, await recordSubmission(ports, actor, event.jsonBody)),
    { jsonBody: true },
  );
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createRecordSubmissionHandler(adminInitiativePorts(cfg));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
