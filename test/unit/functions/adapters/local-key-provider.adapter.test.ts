import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalContext,
  LOCAL_MASTER_KEY_ID,
  LocalKeyProvider,
} from '@ocs/functions/adapters/local-key-provider.adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CONTEXT = { initiative: 'clean-rivers', purpose: 'statement-data' };

describe('LocalKeyProvider', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocs-lkp-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the master key (32 bytes, mode 0600) in a new directory on first use', () => {
    const path = join(dir, 'keys', 'nested', 'local-master.key');

    LocalKeyProvider.open(path);

    expect(readFileSync(path)).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys', 'nested')).mode & 0o077).toBe(0);
  });

  it('reuses the master key: a data key from one instance opens with the next', async () => {
    const path = join(dir, 'master.key');
    const first = LocalKeyProvider.open(path);
    const keyBytes = readFileSync(path);
    const dataKey = await first.generateDataKey(CONTEXT);
    const expected = new Uint8Array(dataKey.plaintext);

    const second = LocalKeyProvider.open(path);

    expect(readFileSync(path).equals(keyBytes)).toBe(true);
    expect(await second.decrypt(dataKey.ciphertext, CONTEXT)).toEqual(expected);
  });

  it('issues fresh 32-byte data keys under its local master key id', async () => {
    const provider = LocalKeyProvider.open(join(dir, 'master.key'));

    const a = await provider.generateDataKey(CONTEXT);
    const b = await provider.generateDataKey(CONTEXT);

    expect(a.masterKeyId).toBe(LOCAL_MASTER_KEY_ID);
    expect(a.plaintext).toHaveLength(32);
    expect(Buffer.from(a.plaintext).equals(Buffer.from(b.plaintext))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from(a.plaintext))).toBe(false);
  });

  it('tightens the mode of an existing master key file to 0600', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, new Uint8Array(32).fill(3), { mode: 0o644 });

    LocalKeyProvider.open(path);

    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a master key file that is not 32 bytes', () => {
    const path = join(dir, 'master.key');
    writeFileSync(path, new Uint8Array(16), { mode: 0o600 });

    expect(() => LocalKeyProvider.open(path)).toThrow(/not 32 bytes/);
  });

  it('fails to decrypt under another encryption context', async () => {
    const provider = LocalKeyProvider.open(join(dir, 'master.key'));
    const { ciphertext } = await provider.generateDataKey(CONTEXT);

    await expect(provider.decrypt(ciphertext, { ...CONTEXT, purpose: 'email-data' })).rejects.toThrow(
      /wrong key or encryption context/,
    );
    await expect(provider.decrypt(ciphertext, { initiative: 'clean-rivers' })).rejects.toThrow();
    await expect(provider.decrypt(ciphertext, { ...CONTEXT, extra: 'x' })).rejects.toThrow();
  });

  it('does not care about the order of the context keys', async () => {
    const provider = LocalKeyProvider.open(join(dir, 'master.key'));
    const dataKey = await provider.generateDataKey({ initiative: 'clean-rivers', purpose: 'statement-data' });
    const expected = new Uint8Array(dataKey.plaintext);

    const out = await provider.decrypt(dataKey.ciphertext, {
      purpose: 'statement-data',
      initiative: 'clean-rivers',
    });

    expect(out).toEqual(expected);
    expect(canonicalContext({ b: '2', a: '1' })).toEqual(canonicalContext({ a: '1', b: '2' }));
  });

  it('keeps contexts apart that only a naive concatenation would confuse', () => {
    expect(canonicalContext({ a: 'b=c' })).not.toEqual(canonicalContext({ 'a=b': 'c' }));
  });

  it('fails to decrypt a ciphertext from another master key', async () => {
    const mine = LocalKeyProvider.open(join(dir, 'mine.key'));
    const theirs = LocalKeyProvider.open(join(dir, 'theirs.key'));
    const { ciphertext } = await theirs.generateDataKey(CONTEXT);

    await expect(mine.decrypt(ciphertext, CONTEXT)).rejects.toThrow(/wrong key or encryption context/);
  });

  it('refuses bytes that are not its format', async () => {
    const provider = LocalKeyProvider.open(join(dir, 'master.key'));
    const { ciphertext } = await provider.generateDataKey(CONTEXT);
    const wrongMagic = new Uint8Array(ciphertext);
    wrongMagic[0] = 0x00;
    const flippedBody = new Uint8Array(ciphertext);
    flippedBody[flippedBody.length - 1] = (flippedBody[flippedBody.length - 1] ?? 0) ^ 0xff;

    await expect(provider.decrypt(new Uint8Array(0), CONTEXT)).rejects.toThrow(/Not a local key provider/);
    await expect(provider.decrypt(new TextEncoder().encode('OCSLKP1'), CONTEXT)).rejects.toThrow(
      /Not a local key provider/,
    );
    await expect(provider.decrypt(new Uint8Array(200).fill(0x41), CONTEXT)).rejects.toThrow(
      /Not a local key provider/,
    );
    await expect(provider.decrypt(wrongMagic, CONTEXT)).rejects.toThrow(/Not a local key provider/);
    await expect(provider.decrypt(flippedBody, CONTEXT)).rejects.toThrow(/wrong key or encryption context/);
  });

  it('wraps arbitrary bytes bound to a context (for local secrets)', async () => {
    const provider = LocalKeyProvider.open(join(dir, 'master.key'));
    const secret = new Uint8Array(40).fill(5);

    const wrapped = provider.wrap(secret, { purpose: 'local-secret', secret: 'dedup' });

    expect(await provider.decrypt(wrapped, { purpose: 'local-secret', secret: 'dedup' })).toEqual(secret);
    await expect(
      provider.decrypt(wrapped, { purpose: 'local-secret', secret: 'challenge' }),
    ).rejects.toThrow();
  });
});
