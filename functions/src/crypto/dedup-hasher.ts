import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * The deduplication key: HMAC-SHA256 of the signatory's canonical identity under a secret that
 * exists only encrypted at rest and in this process's memory. Without the secret, the stored key
 * reveals nothing and cannot be recomputed from a guessed identity.
 */
export class DedupHasher {
  private readonly key: KeyObject;

  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new Error('The deduplication secret must have at least 32 bytes.');
    this.key = createSecretKey(secret);
  }

  /** Hex HMAC of `identity` (the output of `identityKey`). */
  hash(identity: string): string {
    return createHmac('sha256', this.key).update(identity, 'utf8').digest('hex');
  }
}
