import { createHmac, randomBytes } from 'node:crypto';
import { DedupHasher } from '@ocs/functions/crypto/dedup-hasher';
import { describe, expect, it } from 'vitest';

describe('DedupHasher', () => {
  it('matches RFC 4231 test case 6 (131-byte key, HMAC-SHA-256)', () => {
    const hasher = new DedupHasher(new Uint8Array(131).fill(0xaa));

    const mac = hasher.hash('Test Using Larger Than Block-Size Key - Hash Key First');

    expect(mac).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('matches HMAC-SHA-256 computed independently, over the UTF-8 bytes of the identity', () => {
    const secret = new Uint8Array(randomBytes(32));
    const identity = 'ocs-identity-v1\u001fDE\u001fA\u001fzoë\u001fmüller';

    const mac = new DedupHasher(secret).hash(identity);

    expect(mac).toBe(createHmac('sha256', secret).update(Buffer.from(identity, 'utf8')).digest('hex'));
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives another key under another secret', () => {
    const identity = 'ocs-identity-v1\u001fPL\u001fB\u001fpersonalNumber\u001f44051401359';

    const a = new DedupHasher(new Uint8Array(32).fill(1)).hash(identity);
    const b = new DedupHasher(new Uint8Array(32).fill(2)).hash(identity);

    expect(a).not.toBe(b);
  });

  it('is deterministic for one secret', () => {
    const hasher = new DedupHasher(new Uint8Array(48).fill(7));

    expect(hasher.hash('x')).toBe(hasher.hash('x'));
    expect(hasher.hash('x')).not.toBe(hasher.hash('y'));
  });

  it('rejects a secret shorter than 32 bytes and accepts exactly 32', () => {
    expect(() => new DedupHasher(new Uint8Array(31))).toThrow(/at least 32 bytes/);
    expect(() => new DedupHasher(new Uint8Array(0))).toThrow(/at least 32 bytes/);
    expect(() => new DedupHasher(new Uint8Array(32))).not.toThrow();
  });

  it('does not depend on the caller keeping the secret intact', () => {
    const secret = new Uint8Array(32).fill(9);
    const hasher = new DedupHasher(secret);
    const before = hasher.hash('identity');

    secret.fill(0);

    expect(hasher.hash('identity')).toBe(before);
  });
});
