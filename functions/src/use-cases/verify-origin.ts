import { createHash, timingSafeEqual } from 'node:crypto';

/** The outcome of one origin check. `reason` goes to the log; the presented value never does. */
export type OriginCheck =
  | { readonly authorized: true }
  | { readonly authorized: false; readonly reason: 'missing' | 'mismatch' };

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Verify that a request came through the site's CloudFront distribution (the HTTP API's Lambda
 * authorizer, AWS only; docs/architecture.md, trust boundary 2).
 *
 * Input: the value of the origin-verification header as API Gateway received it, or none.
 * Output: authorized, or refused with the reason (`missing` or `mismatch`).
 * Steps: hash the presented value and the secret with SHA-256, so both sides have the same length
 * whatever a caller sends (timingSafeEqual requires it, and the secret's length does not leak),
 * then compare the digests in constant time.
 */
export class OriginVerifier {
  private readonly expected: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new Error('The origin-verification secret must have at least 32 bytes.');
    this.expected = sha256(secret);
  }

  check(presented: string | undefined): OriginCheck {
    if (presented === undefined || presented === '') return { authorized: false, reason: 'missing' };
    const matches = timingSafeEqual(sha256(Buffer.from(presented, 'utf8')), this.expected);
    return matches ? { authorized: true } : { authorized: false, reason: 'mismatch' };
  }
}
