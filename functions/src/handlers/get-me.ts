import type { MeResponse } from '@ocs/shared/contract/admin-api';
import { type Config, config } from '../config/config';

import { type OrganiserAuditPorts, organiserHandler } from '../http/organiser-handler';
import { json } from '../http/responses';
import { makeDynamoClient, makeOrganiserAuditPorts, onFirstInvocation } from '../wiring';

/**
 * GET /api/admin/me: who is signed in, `{ email, sub }`, from the verified access token. The
 * console calls it first after sign-in, so this is where a session's `sign_in` is usually
 * recorded in the audit trail (any organiser route records it on a session's first use).
 */
export function createGetMeHandler(ports: OrganiserAuditPorts) {
  return organiserHandler('getMe', ports, async (_event, { organiser }) => {
    const me: MeResponse = { email: organiser.email, sub: organiser.sub };
    return json(200, me);
  });
}

/** The handler over the adapters `config` selects (AWS or local); built once per cold start. */
export function fromConfig(cfg: Config) {
  return createGetMeHandler(makeOrganiserAuditPorts(cfg, makeDynamoClient(cfg)));
}

/** The Lambda entry. */
export const handler = onFirstInvocation(() => fromConfig(config()));
