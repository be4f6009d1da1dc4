import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ChallengeService, Clock, DataKeyStore, KeyProvider, SecretSource } from '@ocs/shared/ports';
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

const localKeys = new Map<string, LocalKeyProvider>();
function localKeyProvider(dataDir: string): LocalKeyProvider {
  let keys = localKeys.get(dataDir);
  if (!keys) {
    keys = LocalKeyProvider.open(localPaths(dataDir).masterKey);
    localKeys.set(dataDir, keys);
  }
  return keys;
}

export function makeKeyProvider(config: Config): KeyProvider {
  if (config.runtime === 'local') return localKeyProvider(config.dataDir);
  return new KmsKeyProvider(new KMSClient(awsClientOptions()), required(config.dataKeyId, ENV.dataKeyId));
}

let secretsClient: SecretsManagerClient | undefined;
function secret(config: Config, which: 'dedup' | 'challenge'): SecretSource {
  if (config.runtime === 'local') {
    const paths = localPaths(config.dataDir);
    return new LocalSecret(
      localKeyProvider(config.dataDir),
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
