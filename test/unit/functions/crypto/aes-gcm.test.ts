import { createSecretKey, randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal } from '@ocs/functions/crypto/aes-gcm';
import { describe, expect, it } from 'vitest';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const empty = new Uint8Array(0);

describe('gcmSeal / gcmOpen (AES-256-GCM)', () => {
  it('matches the GCM specification test case 13 (zero key, zero IV, empty plaintext)', () => {
    const key = createSecretKey(new Uint8Array(32));

    const sealed = gcmSeal(key, new Uint8Array(12), empty, empty);

    expect(toHex(sealed)).toBe('530f8afbc74536b9a963b4f1c4cb738b');
  });

  it('matches the GCM specification test case 14 (zero key, zero IV, one zero block)', () => {
    const key = createSecretKey(new Uint8Array(32));

    const sealed = gcmSeal(key, new Uint8Array(12), new Uint8Array(16), empty);

    expect(toHex(sealed)).toBe('cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919');
  });

  it('returns the ciphertext followed by a 16-byte tag', () => {
    const key = createSecretKey(randomBytes(32));

    const sealed = gcmSeal(key, randomBytes(12), new Uint8Array(100), hex('0102'));

    expect(sealed).toBeInstanceOf(Uint8Array);
    expect(sealed.length).toBe(116);
  });

  it('opens what it sealed', () => {
    const key = createSecretKey(randomBytes(32));
    const iv = randomBytes(12);
    const plaintext = new TextEncoder().encode('{"firstNames":"Zofia"}');
    const aad = new TextEncoder().encode('item-1');

    const opened = gcmOpen(key, iv, gcmSeal(key, iv, plaintext, aad), aad);

    expect(opened).toEqual(plaintext);
  });

  it('opens an empty plaintext', () => {
    const key = createSecretKey(randomBytes(32));
    const iv = randomBytes(12);

    expect(gcmOpen(key, iv, gcmSeal(key, iv, empty, empty), empty)).toEqual(empty);
  });

  it('refuses another key, another IV, another AAD, and every flipped byte', () => {
    const key = createSecretKey(randomBytes(32));
    const iv = new Uint8Array(randomBytes(12));
    const aad = new TextEncoder().encode('item-1');
    const sealed = gcmSeal(key, iv, new TextEncoder().encode('personal data'), aad);

    expect(() => gcmOpen(createSecretKey(randomBytes(32)), iv, sealed, aad)).toThrow();
    expect(() => gcmOpen(key, randomBytes(12), sealed, aad)).toThrow();
    expect(() => gcmOpen(key, iv, sealed, new TextEncoder().encode('item-2'))).toThrow();
    for (let i = 0; i < sealed.length; i++) {
      const tampered = new Uint8Array(sealed);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(() => gcmOpen(key, iv, tampered, aad)).toThrow();
    }
  });

  it('refuses input shorter than a tag', () => {
    const key = createSecretKey(randomBytes(32));

    expect(() => gcmOpen(key, randomBytes(12), new Uint8Array(15), empty)).toThrow(/too short/);
  });
});
