import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { SecretSource } from '@ocs/shared/ports';

/**
 * A secret generated at deploy time by Secrets Manager and encrypted under its own KMS key.
 * Loaded once per cold start; the value never reaches an environment variable or a log.
 */
export class SecretsManagerSecret implements SecretSource {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async load(): Promise<Uint8Array> {
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      const bytes =
        out.SecretBinary ?? (out.SecretString ? new TextEncoder().encode(out.SecretString) : undefined);
      if (!bytes || bytes.length < 32) throw new Error('The secret is missing or shorter than 32 bytes.');
      return bytes;
    } catch (error) {
      throw new DependencyUnavailableError('secrets', { cause: error });
    }
  }
}
