import { UnauthenticatedError } from '@ocs/shared/errors';
import type { AccessTokenVerifier, JwtAuthorizerContext } from '../auth/verify-access-token';
import { mapError } from '../http/error-map';
import { logger } from '../http/logger';
import type { HttpResponse } from '../http/responses';

/**
 * The local stand-in for API Gateway's JWT authorizer on `/api/admin/*`: the bearer token is
 * verified before the function runs; a refusal is the API's 401 (`unauthenticated`), and the
 * function never sees the request. Without a verifier (no provider configured) every request is
 * refused: an admin route is never open by accident.
 */
export async function authorizeAdminRequest(
  verify: AccessTokenVerifier | undefined,
  authorization: string | undefined,
  route: string,
  requestId: string,
): Promise<{ readonly context: JwtAuthorizerContext } | { readonly refused: HttpResponse }> {
  try {
    if (!verify) throw new UnauthenticatedError('missing');
    return { context: await verify(authorization) };
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    const { response } = mapError(error, requestId);
    logger.info('request refused', {
      route,
      status: response.statusCode,
      code: 'unauthenticated',
      reason: error.reason,
    });
    return { refused: response };
  }
}
