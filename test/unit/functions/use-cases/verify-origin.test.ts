import * as crypto from 'node:crypto';
import { OriginVerifier } from '@ocs/functions/use-cases/verify-origin';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = 'Q7v9'.repeat(16);
const verifier = () => new OriginVerifier(new TextEncoder().encode(SECRET));

describe('OriginVerifier', () => {
  afterEach(() => {
    vi.mocked(crypto.timingSafeEqual).mockClear();
  });

  it('authorizes the exact secret', () => {
    expect(verifier().check(SECRET)).toEqual({ authorized: true });
  });

  it.each([
    ['a wrong value of the same length', 'x'.repeat(64)],
    ['the secret with one character changed', `${SECRET.slice(0, 63)}${SECRET.endsWith('a') ? 'b' : 'a'}`],
    ['a prefix of the secret', SECRET.slice(0, 32)],
    ['the secret with a suffix', `${SECRET}x`],
    ['the secret in another case', SECRET.toUpperCase()],
    ['the secret with surrounding space', ` ${SECRET} `],
    ['the secret twice, comma-joined (a repeated header)', `${SECRET},${SECRET}`],
  ])('refuses %s as a mismatch', (_, presented) => {
    expect(verifier().check(presented)).toEqual({ authorized: false, reason: 'mismatch' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
  ])('refuses %s as missing', (_, presented) => {
    expect(verifier().check(presented)).toEqual({ authorized: false, reason: 'missing' });
  });

  it('compares equal-length SHA-256 digests in constant time, whatever length was presented', () => {
    const origin = verifier();

    for (const presented of ['a', SECRET, 'z'.repeat(10_000)]) origin.check(presented);

    const calls = vi.mocked(crypto.timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(3);
    for (const [a, b] of calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new OriginVerifier(new Uint8Array(31))).toThrow(/at least 32 bytes/);
  });
});
