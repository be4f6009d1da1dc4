import { routeKey, routeOf } from '@ocs/shared/contract/routes';
import { organiserOf } from '../auth/organiser';
import type { Config } from '../config/config';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';

/**
 * GET /api/admin/me: who is signed in, `{ email, sub }`, from the verified access token. Needs
 * no configuration and no dependency: the console calls it to check its token.
 */
export function createGetMeHandler() {
  return apiHandler(routeKey(routeOf('getMe')), async (event) => {
    const { email, sub } = organiserOf(event);
    return json(200, { email, sub });
  });
}

/** The handler; it needs nothing from the configuration. */
export function fromConfig(_cfg: Config) {
  return createGetMeHandler();
}

/** The Lambda entry. */
export const handler = createGetMeHandler();
