import { DataKeyring } from '@ocs/functions/crypto/data-keyring';
import { EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeKeyProvider, InMemoryDataKeyStore } from '../../../support/fakes';

const CONTEXT = { initiative: 'clean-rivers', purpose: 'statement-data' };
const aad = new TextEncoder().encode('item');

async function world(maxUses = 2) {
  const provider = new FakeKeyProvider();
  const store = new InMemoryDataKeyStore();
  const sealer = new EnvelopeSealer({
    keyProvider: provider,
    dataKeyStore: store,
    context: CONTEXT,
    clock: new ManualClock(),
    policy: { maxAgeMs: 60_000, maxUses },
  });
  const sealed = [];
  for (let i = 0; i < 6; i++)
    sealed.push(await sealer.seal(new TextEncoder().encode(`secret ${i}`), aad, 1_900_000_000));
  return { provider, store, sealed };
}

describe('DataKeyring', () => {
  it('unwraps each data key once, however many statements and concurrent callers use it', async () => {
    const { provider, store, sealed } = await world();
    const keyring = new DataKeyring(provider, store, CONTEXT);
    for (const s of sealed) keyring.prefetch(s.dataKeyRef);
    await keyring.ready();
    await Promise.all(sealed.map((s) => keyring.load(s.dataKeyRef)));
    expect(provider.decryptCalls).toBe(3);
    expect(keyring.decryptCalls).toBe(3);
    expect(keyring.size).toBe(3);
    const opened = sealed.map((s) => {
      const key = keyring.get(s.dataKeyRef);
      if (!key) throw new Error('key not held');
      return new TextDecoder().decode(keyring.open(key, s.iv, s.ciphertext, aad));
    });
    expect(opened).toEqual(['secret 0', 'secret 1', 'secret 2', 'secret 3', 'secret 4', 'secret 5']);
  });

  it('asks the key service with the expected context, not the one stored beside the key', async () => {
    const { provider, store, sealed } = await world();
    const ref = sealed[0]?.dataKeyRef ?? '';
    const record = store.records.get(ref);
    if (!record) throw new Error('no record');
    store.records.set(ref, {
      ...record,
      record: { ...record.record, context: { initiative: 'x', purpose: 'y' } },
    });
    await expect(new DataKeyring(provider, store, CONTEXT).load(ref)).resolves.toBeDefined();
    await expect(
      new DataKeyring(provider, store, { ...CONTEXT, purpose: 'email-data' }).load(ref),
    ).rejects.toThrow();
  });

  it('zeroes the plaintext key the key service returned', async () => {
    const returned: Uint8Array[] = [];
    const real = await world();
    const spy = {
      generateDataKey: real.provider.generateDataKey.bind(real.provider),
      decrypt: async (ciphertext: Uint8Array, context: Record<string, string>) => {
        const plaintext = await real.provider.decrypt(ciphertext, context);
        returned.push(plaintext);
        return plaintext;
      },
    };
    await new DataKeyring(spy, real.store, CONTEXT).load(real.sealed[0]?.dataKeyRef ?? '');
    expect(returned).toHaveLength(1);
    expect(returned[0]?.length).toBe(32);
    expect([...(returned[0] ?? [])].every((b) => b === 0)).toBe(true);
  });

  it('reports an unknown reference through ready(), and drops every key on dispose()', async () => {
    const { provider, store, sealed } = await world();
    const keyring = new DataKeyring(provider, store, CONTEXT);
    keyring.prefetch('no-such-key');
    keyring.prefetch(sealed[0]?.dataKeyRef ?? '');
    await expect(keyring.ready()).rejects.toThrow('Unknown data key reference.');
    keyring.dispose();
    expect(keyring.size).toBe(0);
    expect(keyring.get(sealed[0]?.dataKeyRef ?? '')).toBeUndefined();
  });
});
