import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecret } from '@ocs/functions/adapters/secrets-manager-secret.adapter';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';

const SECRET_ID = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocs/dedup-AbCdEf';
const sm = mockClient(SecretsManagerClient);

describe('SecretsManagerSecret', () => {
  beforeEach(() => {
    sm.reset();
  });

  it('loads a string secret as its UTF-8 bytes, asking for its secret id', async () => {
    const value = 'k'.repeat(64);
    sm.on(GetSecretValueCommand).resolves({ SecretString: value });

    const bytes = await new SecretsManagerSecret(new SecretsManagerClient({}), SECRET_ID).load();

    expect(Buffer.from(bytes).toString('utf8')).toBe(value);
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
  });

  it('loads a binary secret as is', async () => {
    const binary = new Uint8Array(48).fill(7);
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: binary });

    const bytes = await new SecretsManagerSecret(new SecretsManagerClient({}), SECRET_ID).load();

    expect(bytes).toEqual(binary);
  });

  it.each([
    ['an empty answer', {}],
    ['a short string', { SecretString: 'short' }],
    ['31 bytes', { SecretBinary: new Uint8Array(31) }],
  ])('refuses %s as DependencyUnavailableError("secrets")', async (_, output) => {
    sm.on(GetSecretValueCommand).resolves(output);

    await expect(
      new SecretsManagerSecret(new SecretsManagerClient({}), SECRET_ID).load(),
    ).rejects.toMatchObject({ name: 'DependencyUnavailableError', dependency: 'secrets' });
  });

  it('turns an SDK failure into DependencyUnavailableError("secrets"), cause kept', async () => {
    const failure = new ResourceNotFoundException({ $metadata: {}, message: 'not found' });
    sm.on(GetSecretValueCommand).rejects(failure);

    const error = await new SecretsManagerSecret(new SecretsManagerClient({}), SECRET_ID)
      .load()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).cause).toBe(failure);
  });
});
