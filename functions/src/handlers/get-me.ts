import { organiserOf } from '../auth/organiser';
import { apiHandler } from '../http/api-handler';
import { json } from '../http/responses';

/**
 * GET /api/admin/me: who is signed in, `{ email, sub }`, from the verified access token. Needs
 * no configuration and no dependency: the console calls it to check its token.
 */
export function createGetMeHandler() {
  return apiHandler('GET /api/admin/me', async (event) => {
    const { email, sub } = organiserOf(event);
    return json(200, { email, sub });
  });
}

export const handler = createGetMeHandler();
