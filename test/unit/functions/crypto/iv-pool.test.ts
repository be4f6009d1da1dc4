import * as crypto from 'node:crypto';
import { IvPool } from '@ocs/functions/crypto/iv-pool';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, randomFillSync: vi.fn(actual.randomFillSync) };
});

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('IvPool', () => {
  afterEach(() => {
    vi.mocked(crypto.randomFillSync).mockClear();
  });

  it('hands out 96-bit IVs', () => {
    const iv = new IvPool().next();

    expect(iv).toBeInstanceOf(Uint8Array);
    expect(iv.length).toBe(12);
  });

  it('fills its buffer once per refill, not once per IV', () => {
    const pool = new IvPool(8);

    for (let i = 0; i < 8; i++) pool.next();
    const callsAfterOneRefill = vi.mocked(crypto.randomFillSync).mock.calls.length;
    pool.next();

    expect(callsAfterOneRefill).toBe(1);
    expect(vi.mocked(crypto.randomFillSync).mock.calls.length).toBe(2);
  });

  it('never repeats an IV over many refills', { timeout: 30_000 }, () => {
    const pool = new IvPool(16);
    const seen = new Set<string>();

    for (let i = 0; i < 20_000; i++) seen.add(toHex(pool.next()));

    expect(seen.size).toBe(20_000);
  });

  it('copies each IV out, so a refill never changes an IV already handed out', () => {
    const pool = new IvPool(2);
    const first = pool.next();
    const snapshot = toHex(first);

    for (let i = 0; i < 10; i++) pool.next();

    expect(toHex(first)).toBe(snapshot);
  });

  it('is not all zeros (the buffer is filled before the first IV)', () => {
    const iv = new IvPool(1).next();

    expect(iv.some((b) => b !== 0)).toBe(true);
  });
});
