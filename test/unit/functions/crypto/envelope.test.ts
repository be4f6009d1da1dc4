import { DEFAULT_DATA_KEY_POLICY, EnvelopeOpener, EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import type { SealedData } from '@ocs/shared/ports';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { deferred, FakeKeyProvider, flush, InMemoryDataKeyStore } from '../../../support/fakes';

const CONTEXT = Object.freeze({ initiative: 'clean-rivers', purpose: 'statement-data' });
/** 2028-08-01T00:00:00Z: collection start 2026-11-01 + 21 months. */
const EXPIRES = 1_848_873_600;
const encoder = new TextEncoder();
const aad = (statementId: string, country = 'PL', initiative = 'clean-rivers') =>
  encoder.encode(`ocs/statement/v1\u001f${initiative}\u001f${country}\u001f${statementId}`);
const plaintext = encoder.encode(
  JSON.stringify({ firstNames: 'Zofia', familyNames: 'Kowalska', documentNumber: '44051401359' }),
);

function setup() {
  const keys = new FakeKeyProvider();
  const store = new InMemoryDataKeyStore();
  const clock = new ManualClock();
  const sealer = new EnvelopeSealer({ keyProvider: keys, dataKeyStore: store, context: CONTEXT, clock });
  const opener = new EnvelopeOpener(keys, store);
  return { keys, store, clock, sealer, opener };
}

async function sealMany(sealer: EnvelopeSealer, n: number, expiresAt = EXPIRES): Promise<SealedData[]> {
  const out: SealedData[] = [];
  for (let i = 0; i < n; i++) out.push(await sealer.seal(plaintext, aad(`s-${i}`), expiresAt));
  return out;
}

describe('EnvelopeSealer', () => {
  it('reuses one data key across statements', async () => {
    const { keys, store, sealer } = setup();

    const sealed = await sealMany(sealer, 3);

    expect(keys.generateCalls).toBe(1);
    expect(store.putCalls).toBe(1);
    expect(new Set(sealed.map((s) => s.dataKeyRef)).size).toBe(1);
  });

  it('uses the documented policy: 5 minutes or 10,000 statements', () => {
    expect(DEFAULT_DATA_KEY_POLICY).toEqual({ maxAgeMs: 300_000, maxUses: 10_000 });
  });

  it('asks for a new data key after exactly 10,000 uses', { timeout: 30_000 }, async () => {
    const { keys, sealer } = setup();

    const first = await sealMany(sealer, 10_000);
    const callsAfter10000 = keys.generateCalls;
    const next = await sealer.seal(plaintext, aad('s-10000'), EXPIRES);

    expect(callsAfter10000).toBe(1);
    expect(keys.generateCalls).toBe(2);
    expect(next.dataKeyRef).not.toBe(first[0]?.dataKeyRef);
  });

  it('reuses the key at 4:59.999 and rotates at exactly 5:00', async () => {
    const { keys, clock, sealer } = setup();
    const first = await sealer.seal(plaintext, aad('a'), EXPIRES);

    clock.advance(5 * 60_000 - 1);
    const atEdge = await sealer.seal(plaintext, aad('b'), EXPIRES);
    const callsAtEdge = keys.generateCalls;
    clock.advance(1);
    const atFive = await sealer.seal(plaintext, aad('c'), EXPIRES);

    expect(callsAtEdge).toBe(1);
    expect(atEdge.dataKeyRef).toBe(first.dataKeyRef);
    expect(keys.generateCalls).toBe(2);
    expect(atFive.dataKeyRef).not.toBe(first.dataKeyRef);
  });

  it('makes one key-provider call for concurrent seals (single flight)', async () => {
    const { keys, sealer } = setup();
    const gate = deferred();
    keys.gate = gate.promise;

    const pending = Array.from({ length: 100 }, (_, i) => sealer.seal(plaintext, aad(`s-${i}`), EXPIRES));
    await flush();
    gate.resolve();
    const sealed = await Promise.all(pending);

    expect(keys.generateCalls).toBe(1);
    expect(new Set(sealed.map((s) => s.dataKeyRef)).size).toBe(1);
  });

  it('makes one key-provider call for concurrent seals during a rotation', async () => {
    const { keys, clock, sealer } = setup();
    await sealer.seal(plaintext, aad('first'), EXPIRES);
    clock.advance(5 * 60_000);
    const gate = deferred();
    keys.gate = gate.promise;

    const pending = Array.from({ length: 100 }, (_, i) => sealer.seal(plaintext, aad(`s-${i}`), EXPIRES));
    await flush();
    gate.resolve();
    const sealed = await Promise.all(pending);

    expect(keys.generateCalls).toBe(2);
    expect(new Set(sealed.map((s) => s.dataKeyRef)).size).toBe(1);
  });

  it('still makes exactly 2 key-provider calls for 10,001 concurrent seals', {
    timeout: 30_000,
  }, async () => {
    const { keys, sealer } = setup();

    const sealed = await Promise.all(
      Array.from({ length: 10_001 }, (_, i) => sealer.seal(plaintext, aad(`s-${i}`), EXPIRES)),
    );

    expect(keys.generateCalls).toBe(2);
    const perKey = new Map<string, number>();
    for (const s of sealed) perKey.set(s.dataKeyRef, (perKey.get(s.dataKeyRef) ?? 0) + 1);
    expect([...perKey.values()].sort((a, b) => a - b)).toEqual([1, 10_000]);
  });

  it('propagates a key-provider failure and retries on the next seal', async () => {
    const { keys, store, sealer } = setup();
    const outage = new Error('key service down');
    keys.failNext(outage);

    await expect(sealer.seal(plaintext, aad('a'), EXPIRES)).rejects.toBe(outage);
    const after = await sealer.seal(plaintext, aad('b'), EXPIRES);

    expect(keys.generateCalls).toBe(2);
    expect(store.records.size).toBe(1);
    expect(store.records.has(after.dataKeyRef)).toBe(true);
  });

  it('fails every concurrent seal sharing a failed rotation, then retries', async () => {
    const { keys, sealer } = setup();
    const gate = deferred();
    keys.gate = gate.promise;
    keys.failNext(new Error('throttled'));

    const pending = Array.from({ length: 10 }, (_, i) =>
      sealer.seal(plaintext, aad(`s-${i}`), EXPIRES).then(
        () => 'sealed',
        () => 'failed',
      ),
    );
    await flush();
    gate.resolve();
    const outcomes = await Promise.all(pending);
    keys.gate = undefined;
    await sealer.seal(plaintext, aad('retry'), EXPIRES);

    expect(outcomes).toEqual(Array(10).fill('failed'));
    expect(keys.generateCalls).toBe(2);
  });

  it('stores the data-key record, with its context and expiry, before any ciphertext refers to it', async () => {
    const { keys, store, clock, sealer } = setup();
    const putGate = deferred();
    store.putGate = putGate.promise;

    let settled = false;
    const pending = sealer.seal(plaintext, aad('a'), EXPIRES).then((s) => {
      settled = true;
      return s;
    });
    await flush();
    const settledBeforePut = settled;
    putGate.resolve();
    const sealed = await pending;
    const stored = store.records.get(sealed.dataKeyRef);

    expect(settledBeforePut).toBe(false);
    expect(stored?.expiresAt).toBe(EXPIRES);
    expect(stored?.record).toMatchObject({
      ref: sealed.dataKeyRef,
      masterKeyId: keys.masterKeyId,
      context: CONTEXT,
      createdAt: clock.now().toISOString(),
    });
    expect(sealed.context).toEqual(CONTEXT);
    expect(keys.contexts).toEqual([CONTEXT]);
  });

  it('fails the seal when the data-key record cannot be stored, and uses a new key next time', async () => {
    const { keys, store, sealer } = setup();
    const outage = new Error('database down');
    store.failPut = outage;

    await expect(sealer.seal(plaintext, aad('a'), EXPIRES)).rejects.toBe(outage);
    store.failPut = undefined;
    const sealed = await sealer.seal(plaintext, aad('b'), EXPIRES);

    expect(keys.generateCalls).toBe(2);
    expect(store.records.has(sealed.dataKeyRef)).toBe(true);
  });

  it('zeroes the plaintext data key even when its record cannot be stored', async () => {
    const { keys, store, sealer } = setup();
    store.failPut = new Error('database down');

    await expect(sealer.seal(plaintext, aad('a'), EXPIRES)).rejects.toThrow();

    expect(keys.issuedPlaintexts).toHaveLength(1);
    expect(keys.issuedPlaintexts[0]?.every((b) => b === 0)).toBe(true);
  });

  it('uses another data key for another expiry, and records each expiry', async () => {
    const { keys, store, sealer } = setup();

    const a = await sealer.seal(plaintext, aad('a'), EXPIRES);
    const b = await sealer.seal(plaintext, aad('b'), EXPIRES + 86_400);

    expect(keys.generateCalls).toBe(2);
    expect(a.dataKeyRef).not.toBe(b.dataKeyRef);
    expect(store.records.get(a.dataKeyRef)?.expiresAt).toBe(EXPIRES);
    expect(store.records.get(b.dataKeyRef)?.expiresAt).toBe(EXPIRES + 86_400);
  });

  it('seals concurrent items of two expiries each under a key recorded with its own expiry', async () => {
    const { keys, store, sealer } = setup();
    const expiries = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? EXPIRES : EXPIRES + 86_400));

    const sealed = await Promise.all(expiries.map((e, i) => sealer.seal(plaintext, aad(`s-${i}`), e)));

    sealed.forEach((s, i) => {
      expect(store.records.get(s.dataKeyRef)?.expiresAt).toBe(expiries[i]);
    });
    expect(keys.generateCalls).toBeGreaterThanOrEqual(2);
  });

  it('zeroes the plaintext of the data key once imported, and still seals with it', async () => {
    const { keys, sealer, opener } = setup();

    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);

    expect(keys.issuedPlaintexts).toHaveLength(1);
    expect(keys.issuedPlaintexts[0]?.every((b) => b === 0)).toBe(true);
    expect(await opener.open(sealed, aad('a'))).toEqual(plaintext);
  });

  it('carries a 96-bit IV and ciphertext plus a 16-byte tag', async () => {
    const { sealer } = setup();

    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);

    expect(sealed.iv.length).toBe(12);
    expect(sealed.ciphertext.length).toBe(plaintext.length + 16);
    expect(Buffer.from(sealed.ciphertext).includes(Buffer.from('Kowalska'))).toBe(false);
  });

  it('never repeats an IV over 100,000 seals', { timeout: 60_000 }, async () => {
    const { sealer } = setup();
    const ivs = new Set<string>();
    const small = new Uint8Array(1);
    const itemAad = new Uint8Array(1);

    for (let i = 0; i < 100_000; i++) {
      ivs.add(Buffer.from((await sealer.seal(small, itemAad, EXPIRES)).iv).toString('hex'));
    }

    expect(ivs.size).toBe(100_000);
  });
});

describe('EnvelopeOpener', () => {
  it('opens what the sealer sealed (round trip)', async () => {
    const { sealer, opener } = setup();

    const sealed = await sealer.seal(plaintext, aad('statement-1'), EXPIRES);

    expect(await opener.open(sealed, aad('statement-1'))).toEqual(plaintext);
  });

  it('refuses a ciphertext with any byte changed', async () => {
    const { sealer, opener } = setup();
    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);

    for (let i = 0; i < sealed.ciphertext.length; i++) {
      const ciphertext = new Uint8Array(sealed.ciphertext);
      ciphertext[i] = (ciphertext[i] ?? 0) ^ 0x80;
      await expect(opener.open({ ...sealed, ciphertext }, aad('a'))).rejects.toThrow();
    }
  });

  it('refuses an IV with any byte changed', async () => {
    const { sealer, opener } = setup();
    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);

    for (let i = 0; i < sealed.iv.length; i++) {
      const iv = new Uint8Array(sealed.iv);
      iv[i] = (iv[i] ?? 0) ^ 0x01;
      await expect(opener.open({ ...sealed, iv }, aad('a'))).rejects.toThrow();
    }
  });

  it('refuses the AAD of another statement, country or initiative', async () => {
    const { sealer, opener } = setup();
    const sealed = await sealer.seal(plaintext, aad('statement-1', 'PL'), EXPIRES);

    await expect(opener.open(sealed, aad('statement-2', 'PL'))).rejects.toThrow();
    await expect(opener.open(sealed, aad('statement-1', 'DE'))).rejects.toThrow();
    await expect(opener.open(sealed, aad('statement-1', 'PL', 'other-initiative'))).rejects.toThrow();
    expect(await opener.open(sealed, aad('statement-1', 'PL'))).toEqual(plaintext);
  });

  it('refuses a ciphertext moved onto another item', async () => {
    const { sealer, opener } = setup();
    const one = await sealer.seal(encoder.encode('one'), aad('statement-1'), EXPIRES);
    const two = await sealer.seal(encoder.encode('two'), aad('statement-2'), EXPIRES);

    await expect(
      opener.open({ ...two, ciphertext: one.ciphertext, iv: one.iv }, aad('statement-2')),
    ).rejects.toThrow();
  });

  it('unwraps each data key once over 1,000 opens', { timeout: 30_000 }, async () => {
    const { keys, store, sealer, opener } = setup();
    const sealed = await sealMany(sealer, 1_000);

    const opened = await Promise.all(sealed.map((s, i) => opener.open(s, aad(`s-${i}`))));

    expect(opened.every((p) => Buffer.from(p).equals(Buffer.from(plaintext)))).toBe(true);
    expect(keys.decryptCalls).toBe(1);
    expect(store.getCalls).toBe(1);
  });

  it('unwraps one data key per key, with the context stored with it', async () => {
    const { keys, clock, sealer, opener } = setup();
    const first = await sealMany(sealer, 10);
    clock.advance(5 * 60_000);
    const second = await sealMany(sealer, 10);

    for (const [i, s] of [...first, ...second].entries()) await opener.open(s, aad(`s-${i % 10}`));

    expect(keys.generateCalls).toBe(2);
    expect(keys.decryptCalls).toBe(2);
  });

  it('refuses an unknown data key reference, and does not cache the failure', async () => {
    const { keys, store, sealer } = setup();
    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);
    const record = store.records.get(sealed.dataKeyRef);
    store.records.delete(sealed.dataKeyRef);
    const opener = new EnvelopeOpener(keys, store);

    await expect(opener.open(sealed, aad('a'))).rejects.toThrow(/Unknown data key/);
    if (record) store.records.set(sealed.dataKeyRef, record);

    expect(await opener.open(sealed, aad('a'))).toEqual(plaintext);
  });

  it('fails when the stored context is not the one the key was issued with', async () => {
    const { store, sealer, opener } = setup();
    const sealed = await sealer.seal(plaintext, aad('a'), EXPIRES);
    const stored = store.records.get(sealed.dataKeyRef);
    if (!stored) throw new Error('no record');
    store.records.set(sealed.dataKeyRef, {
      ...stored,
      record: { ...stored.record, context: { ...CONTEXT, purpose: 'email-data' } },
    });

    await expect(opener.open(sealed, aad('a'))).rejects.toThrow();
  });
});
