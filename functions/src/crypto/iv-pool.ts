import { randomFillSync } from 'node:crypto';

const IV_BYTES = 12;

/**
 * 96-bit GCM nonces cut from a pooled random buffer: one `randomFill` system call per 4,096 IVs
 * instead of one per statement. Each IV is copied out, so a refill never changes an IV in use.
 * Random IVs are safe here because a data key seals at most 10,000 messages (collision odds
 * below 2^-64).
 */
export class IvPool {
  private readonly pool: Buffer;
  private offset: number;

  constructor(ivsPerRefill = 4096) {
    if (!Number.isInteger(ivsPerRefill) || ivsPerRefill < 1) {
      throw new RangeError('ivsPerRefill must be a positive integer.');
    }
    this.pool = Buffer.allocUnsafeSlow(IV_BYTES * ivsPerRefill);
    this.offset = this.pool.length;
  }

  next(): Uint8Array {
    if (this.offset + IV_BYTES > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const iv = new Uint8Array(IV_BYTES);
    iv.set(this.pool.subarray(this.offset, this.offset + IV_BYTES));
    this.offset += IV_BYTES;
    return iv;
  }
}
