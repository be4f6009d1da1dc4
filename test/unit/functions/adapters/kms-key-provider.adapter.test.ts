import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  KMSInternalException,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { KmsKeyProvider } from '@ocs/functions/adapters/kms-key-provider.adapter';
import { EnvelopeSealer } from '@ocs/functions/crypto/envelope';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { InMemoryDataKeyStore } from '../../../support/fakes';

const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CONTEXT = Object.freeze({ initiative: 'clean-rivers', purpose: 'statement-data' });
const kms = mockClient(KMSClient);

/** Each call gets a fresh plaintext: the sealer zeroes the array it receives. */
const freshDataKey = () => ({
  KeyId: KEY_ARN,
  Plaintext: new Uint8Array(randomBytes(32)),
  CiphertextBlob: new Uint8Array(randomBytes(184)),
});

const serviceError = (name: string, fault: 'client' | 'server' = 'client') =>
  new KMSServiceException({ name, $fault: fault, $metadata: { httpStatusCode: 400 }, message: name });

describe('KmsKeyProvider', () => {
  beforeEach(() => {
    kms.reset();
  });
  afterEach(() => {
    kms.reset();
  });

  it('asks GenerateDataKey for an AES-256 key of its key id, with the exact encryption context', async () => {
    const dataKey = freshDataKey();
    kms.on(GenerateDataKeyCommand).resolves(dataKey);
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    const out = await provider.generateDataKey(CONTEXT);

    const calls = kms.commandCalls(GenerateDataKeyCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      KeyId: KEY_ARN,
      KeySpec: 'AES_256',
      EncryptionContext: { initiative: 'clean-rivers', purpose: 'statement-data' },
    });
    expect(out).toEqual({
      masterKeyId: KEY_ARN,
      plaintext: dataKey.Plaintext,
      ciphertext: dataKey.CiphertextBlob,
    });
  });

  it('passes the encryption context and key id to Decrypt and returns the plaintext', async () => {
    const plaintext = new Uint8Array(randomBytes(32));
    const blob = new Uint8Array(randomBytes(184));
    kms.on(DecryptCommand).resolves({ KeyId: KEY_ARN, Plaintext: plaintext });
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    const out = await provider.decrypt(blob, CONTEXT);

    const calls = kms.commandCalls(DecryptCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      KeyId: KEY_ARN,
      CiphertextBlob: blob,
      EncryptionContext: CONTEXT,
    });
    expect(out).toBe(plaintext);
  });

  it.each([
    ['ThrottlingException', serviceError('ThrottlingException')],
    ['AccessDeniedException', serviceError('AccessDeniedException')],
    ['KMSInternalException', new KMSInternalException({ $metadata: {}, message: 'internal' })],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('turns %s from GenerateDataKey into DependencyUnavailableError("keys")', async (_, failure) => {
    kms.on(GenerateDataKeyCommand).rejects(failure);
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    const error = await provider.generateDataKey(CONTEXT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'keys' });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it.each([
    ['ThrottlingException', serviceError('ThrottlingException')],
    ['AccessDeniedException', serviceError('AccessDeniedException')],
    ['KMSInternalException', new KMSInternalException({ $metadata: {}, message: 'internal' })],
  ])('turns %s from Decrypt into DependencyUnavailableError("keys")', async (_, failure) => {
    kms.on(DecryptCommand).rejects(failure);
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    await expect(provider.decrypt(new Uint8Array(8), CONTEXT)).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      dependency: 'keys',
    });
  });

  it.each([
    ['InvalidCiphertextException', serviceError('InvalidCiphertextException')],
    ['IncorrectKeyException', serviceError('IncorrectKeyException')],
  ])('reports %s from Decrypt as an integrity failure, not an outage to retry', async (_, failure) => {
    kms.on(DecryptCommand).rejects(failure);
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    const error = await provider.decrypt(new Uint8Array(8), CONTEXT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('Error');
    expect((error as Error).message).toMatch(/Decryption failed/);
    expect((error as Error).cause).toBe(failure);
  });

  it.each([
    ['no plaintext', { KeyId: KEY_ARN, CiphertextBlob: new Uint8Array(8) }],
    ['no ciphertext', { KeyId: KEY_ARN, Plaintext: new Uint8Array(32) }],
    ['no key id', { Plaintext: new Uint8Array(32), CiphertextBlob: new Uint8Array(8) }],
  ])('refuses an incomplete data key (%s)', async (_, output) => {
    kms.on(GenerateDataKeyCommand).resolves(output);
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    await expect(provider.generateDataKey(CONTEXT)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('refuses a Decrypt answer without plaintext', async () => {
    kms.on(DecryptCommand).resolves({ KeyId: KEY_ARN });
    const provider = new KmsKeyProvider(new KMSClient({}), KEY_ARN);

    await expect(provider.decrypt(new Uint8Array(8), CONTEXT)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});

describe('KmsKeyProvider behind EnvelopeSealer (KMS calls per submissions)', () => {
  const EXPIRES = 1_848_873_600;
  const seal = async (n: number, clock: ManualClock, stepMs: number) => {
    const sealer = new EnvelopeSealer({
      keyProvider: new KmsKeyProvider(new KMSClient({}), KEY_ARN),
      dataKeyStore: new InMemoryDataKeyStore(),
      context: CONTEXT,
      clock,
    });
    const payload = new TextEncoder().encode('{"firstNames":"Zofia"}');
    for (let i = 0; i < n; i++) {
      await sealer.seal(payload, new TextEncoder().encode(`item-${i}`), EXPIRES);
      clock.advance(stepMs);
    }
  };

  beforeEach(() => {
    kms.reset();
    kms.on(GenerateDataKeyCommand).callsFake(freshDataKey);
  });

  it('makes exactly 1 GenerateDataKey call for 1,000 seals within 5 minutes', {
    timeout: 30_000,
  }, async () => {
    // 1,000 seals spread over 4 min 59.7 s.
    await seal(1_000, new ManualClock(), 299);

    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('makes exactly 2 GenerateDataKey calls for 10,001 seals within 5 minutes', {
    timeout: 30_000,
  }, async () => {
    await seal(10_001, new ManualClock(), 0);

    expect(kms.commandCalls(GenerateDataKeyCommand)).toHaveLength(2);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });
});
