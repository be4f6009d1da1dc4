import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type {
  ChallengeService,
  Clock,
  DataKeyStore,
  EncryptionContext,
  KeyProvider,
  SecretSource,
} from '@ocs/shared/ports';
import {
  AltchaChallengeService,
  altchaSecretsFrom,
  CHALLENGE_DIFFICULTY,
} from './adapters/altcha-challenge.adapter';
import { KmsKeyProvider } from './adapters/kms-key-provider.adapter';
import { LocalKeyProvider } from './adapters/local-key-provider.adapter';
import { LocalSecret } from './adapters/local-secret.adapter';
import { SecretsManagerSecret } from './adapters/secrets-manager-secret.adapter';
import { type Config, required } from './config/config';
import { ENV } from './config/env-names';
import { EnvelopeSealer } from './crypto/envelope';
import { awsClientOptions, encryptionContext, lazy, localPaths } from './wiring';

/**
 * Factories for keys and secrets: AWS KMS and Secrets Manager in the cloud, the local key
 * provider and locally encrypted secrets on one machine. Only the handlers that encrypt or
 * verify challenges import this module.
 */

/**
 * The local statement key, opened on first use (not when a handler is built: after the
 * destruction job destroyed it, the local system still starts, and only what needs it fails, with
 * a 503). Any failure to open or use it is the key service's unavailability.
 */
class LocalStatementKeys implements KeyProvider {
  private keys: LocalKeyProvider | undefined;

  constructor(private readonly path: string) {}

  generateDataKey(context: EncryptionContext) {
    return this.use((keys) => keys.generateDataKey(context));
  }

  decrypt(ciphertext: Uint8Array, context: EncryptionContext) {
    return this.use((keys) => keys.decrypt(ciphertext, context));
  }

  private async use<T>(call: (keys: LocalKeyProvider) => Promise<T>): Promise<T> {
    try {
      this.keys ??= LocalKeyProvider.open(this.path);
      return await call(this.keys);
    } catch (error) {
      throw new DependencyUnavailableError('keys', { cause: error });
    }
  }
}

const localKeys = new Map<string, LocalStatementKeys>();
/** The local statement key of a data directory (one instance per directory and process). */
function localStatementKeys(dataDir: string): LocalStatementKeys {
  let keys = localKeys.get(dataDir);
  if (!keys) {
    keys = new LocalStatementKeys(localPaths(dataDir).masterKey);
    localKeys.set(dataDir, keys);
  }
  return keys;
}

/** The local secrets key (dedup and challenge secrets, organiser accounts), created on first use. */
export function localSecretsKey(dataDir: string): LocalKeyProvider {
  return LocalKeyProvider.open(localPaths(dataDir).secretsKey);
}

export function makeKeyProvider(config: Config): KeyProvider {
  if (config.runtime === 'local') return localStatementKeys(config.dataDir);
  return new KmsKeyProvider(new KMSClient(awsClientOptions()), required(config.dataKeyId, ENV.dataKeyId));
}

let secretsClient: SecretsManagerClient | undefined;
function secret(config: Config, which: 'dedup' | 'challenge'): SecretSource {
  if (config.runtime === 'local') {
    const paths = localPaths(config.dataDir);
    return new LocalSecret(
      localSecretsKey(config.dataDir),
      which === 'dedup' ? paths.dedupSecret : paths.challengeSecret,
      which,
    );
  }
  secretsClient ??= new SecretsManagerClient(awsClientOptions());
  return new SecretsManagerSecret(
    secretsClient,
    which === 'dedup'
      ? required(config.dedupSecretId, ENV.dedupSecretId)
      : required(config.challengeSecretId, ENV.challengeSecretId),
  );
}

export const makeDedupSecret = (config: Config) => secret(config, 'dedup');
export const makeChallengeSecret = (config: Config) => secret(config, 'challenge');

/**
 * The challenge service (issues and verifies the proofs of work), the one place it is built. Its
 * signing secret is loaded on first use, once per cold start; a failure is retried next time.
 */
export function makeChallengeService(config: Config, clock: Clock): () => Promise<ChallengeService> {
  const signingSecret = makeChallengeSecret(config);
  return lazy(
    async () =>
      new AltchaChallengeService(
        altchaSecretsFrom(await signingSecret.load()),
        CHALLENGE_DIFFICULTY[config.challengeCost],
        clock,
      ),
  );
}

/** An envelope sealer for one purpose, bound to the initiative's encryption context. */
export function makeSealer(
  config: Pick<Config, 'initiativeId'>,
  keyProvider: KeyProvider,
  dataKeyStore: DataKeyStore,
  purpose: string,
  clock: Clock,
) {
  return new EnvelopeSealer({
    keyProvider,
    dataKeyStore,
    context: encryptionContext(config, purpose),
    clock,
  });
}
