import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { DataKey, EncryptionContext, KeyProvider } from '@ocs/shared/ports';

const INTEGRITY_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * AWS KMS as the key provider. GenerateDataKey and Decrypt both carry the encryption context, so
 * the key policy can require it and CloudTrail records it. Any KMS failure surfaces as
 * `DependencyUnavailableError('keys')` (503, nothing stored).
 */
export class KmsKeyProvider implements KeyProvider {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    try {
      const out = await this.kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: { ...context },
        }),
      );
      if (!out.Plaintext || !out.CiphertextBlob || !out.KeyId) {
        throw new Error('KMS returned an incomplete data key.');
      }
      return { masterKeyId: out.KeyId, plaintext: out.Plaintext, ciphertext: out.CiphertextBlob };
    } catch (error) {
      throw new DependencyUnavailableError('keys', { cause: error });
    }
  }

  async decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    try {
      const out = await this.kms.send(
        new DecryptCommand({
          KeyId: this.keyId,
          CiphertextBlob: ciphertext,
          EncryptionContext: { ...context },
        }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext.');
      return out.Plaintext;
    } catch (error) {
      // A ciphertext that does not open (tampered, wrong key or context) is an integrity
      // failure, not an outage to retry.
      if (error instanceof Error && INTEGRITY_ERRORS.has(error.name)) {
        throw new Error('Decryption failed: wrong key, encryption context or ciphertext.', { cause: error });
      }
      throw new DependencyUnavailableError('keys', { cause: error });
    }
  }
}
