import { type AuditPage, auditQuerySchema } from '@ocs/shared/contract/admin-api';
import { type Config, config } from '../config/config';
import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { listAudit } from '../use-cases/audit';
import { parseInput } from '../use-cases/manage-initiative';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';

/**
 * GET /api/admin/audit?after=<seq>: the entries after `seq` (all without it) and whether the
 * whole chain verifies. 422 for an `after` that is not a non-negative integer.
 */
export function createGetAuditHandler(ports: OrganiserAuditPorts) {
  return organiserHandler('getAudit', ports, async (event) => {
    const { after } = parseInput(auditQuerySchema, event.queryStringParameters ?? {});
    const page: AuditPage = await listAudit(ports.trail, after ?? 0);
    return json(200, page);
  });
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetAuditHandler(makeOrganiserAuditPorts(cfg, makeDynamoClient(cfg)));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
