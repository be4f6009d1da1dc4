import type { ErrorCode } from '@ocs/shared/contract/citizen-api';

/**
 * Transport-level request problems (before the use case sees the body). Their codes are part of
 * the Citizen API contract.
 */
export type RequestProblemCode = Extract<
  ErrorCode,
  'malformed_json' | 'too_large' | 'unsupported_media_type' | 'not_found' | 'method_not_allowed'
>;

const STATUS: Readonly<Record<RequestProblemCode, number>> = {
  malformed_json: 400,
  too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
};

export class RequestProblemError extends Error {
  override readonly name = 'RequestProblemError';
  readonly status: number;
  constructor(
    readonly code: RequestProblemCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
