import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataKey, EncryptionContext, KeyProvider } from '@ocs/shared/ports';
import { gcmOpen, gcmSeal } from '../crypto/aes-gcm';

const MAGIC = new TextEncoder().encode('OCSLKP1');
const IV_BYTES = 12;
export const LOCAL_MASTER_KEY_ID = 'local:master-key-v1';

/** Canonical bytes of an encryption context: sorted keys, so order never matters. */
export function canonicalContext(context: EncryptionContext): Uint8Array {
  const sorted = Object.keys(context)
    .sort()
    .map((k) => [k, context[k]]);
  return new TextEncoder().encode(JSON.stringify(sorted));
}

/**
 * FOR LOCAL USE ONLY. A key provider with KMS semantics on node:crypto: GenerateDataKey returns a
 * fresh AES-256 key and its ciphertext under a master key kept in a file of the data directory;
 * Decrypt fails unless the encryption context is exactly the one the key was issued with (it is
 * the AES-GCM additional data). Anyone who can read the data directory can read everything:
 * production uses AWS KMS.
 */
export class LocalKeyProvider implements KeyProvider {
  private readonly master: KeyObject;

  private constructor(master: Uint8Array) {
    this.master = createSecretKey(master);
  }

  /** Loads the master key from `path`, creating it (mode 0600) on first use. */
  static open(path: string): LocalKeyProvider {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(path, 0o600);
    const master = readFileSync(path);
    if (master.length !== 32) throw new Error(`The local master key at ${path} is not 32 bytes.`);
    return new LocalKeyProvider(master);
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const plaintext = new Uint8Array(randomBytes(32));
    return { masterKeyId: LOCAL_MASTER_KEY_ID, plaintext, ciphertext: this.wrap(plaintext, context) };
  }

  async decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    if (ciphertext.length <= MAGIC.length + IV_BYTES || !MAGIC.every((b, i) => ciphertext[i] === b)) {
      throw new Error('Not a local key provider ciphertext.');
    }
    const iv = ciphertext.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    try {
      return gcmOpen(
        this.master,
        iv,
        ciphertext.subarray(MAGIC.length + IV_BYTES),
        canonicalContext(context),
      );
    } catch {
      throw new Error('Decryption failed: wrong key or encryption context.');
    }
  }

  /** Encrypts arbitrary bytes (a secret) under the master key, bound to `context`. */
  wrap(plaintext: Uint8Array, context: EncryptionContext): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const sealed = gcmSeal(this.master, iv, plaintext, canonicalContext(context));
    const out = new Uint8Array(MAGIC.length + IV_BYTES + sealed.length);
    out.set(MAGIC, 0);
    out.set(iv, MAGIC.length);
    out.set(sealed, MAGIC.length + IV_BYTES);
    return out;
  }
}
