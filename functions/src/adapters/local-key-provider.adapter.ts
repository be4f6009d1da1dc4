import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The file that says a key was destroyed (and when): the key is never created again there. */
export const tombstoneOf = (keyPath: string) => `${keyPath}.destroyed`;

/** When the key at `keyPath` was destroyed, or undefined while it was not. */
export function localKeyDestroyedAt(keyPath: string): string | undefined {
  const tombstone = tombstoneOf(keyPath);
  if (!existsSync(tombstone)) return undefined;
  try {
    const { destroyedAt } = JSON.parse(readFileSync(tombstone, 'utf8')) as { destroyedAt?: unknown };
    return typeof destroyedAt === 'string' ? destroyedAt : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A local key was destroyed (by the destruction job): what it protected cannot be read again. */
export class LocalKeyDestroyedError extends Error {
  override readonly name = 'LocalKeyDestroyedError';
  constructor(readonly destroyedAt: string) {
    super(`The local key was destroyed (${destroyedAt}); what it protected can no longer be read.`);
  }
}

/**
 * FOR LOCAL USE ONLY. A key provider with KMS semantics on node:crypto: GenerateDataKey returns a
 * fresh AES-256 key and its ciphertext under a master key kept in a file of the data directory;
 * Decrypt fails unless the encryption context is exactly the one the key was issued with (it is
 * the AES-GCM additional data). Anyone who can read the data directory can read everything:
 * production uses AWS KMS.
 *
 * `destroy` is the local counterpart of KMS key deletion: it leaves a tombstone (so the key is
 * never created again in its place) and deletes the key file; from then on every use, by this
 * process or another, fails with LocalKeyDestroyedError.
 */
export class LocalKeyProvider implements KeyProvider {
  private readonly master: KeyObject;

  private constructor(
    master: Uint8Array,
    private readonly path: string,
  ) {
    this.master = createSecretKey(master);
  }

  /** Loads the master key from `path`, creating it (mode 0600) on first use; never after `destroy`. */
  static open(path: string): LocalKeyProvider {
    const destroyedAt = localKeyDestroyedAt(path);
    if (destroyedAt) throw new LocalKeyDestroyedError(destroyedAt);
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      try {
        writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    chmodSync(path, 0o600);
    const master = readFileSync(path);
    if (master.length !== 32) throw new Error(`The local master key at ${path} is not 32 bytes.`);
    return new LocalKeyProvider(master, path);
  }

  /**
   * Destroys the key at `path` for good: the tombstone first (no process creates it again), then
   * the file, overwritten before it is unlinked. Idempotent; returns when it was destroyed.
   */
  static destroy(path: string, at: Date): string {
    const already = localKeyDestroyedAt(path);
    if (already) {
      rmSync(path, { force: true });
      return already;
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const destroyedAt = at.toISOString();
    writeFileSync(tombstoneOf(path), `${JSON.stringify({ destroyedAt })}\n`, { mode: 0o600 });
    if (existsSync(path)) {
      writeFileSync(path, randomBytes(32));
      rmSync(path, { force: true });
    }
    return destroyedAt;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const plaintext = new Uint8Array(randomBytes(32));
    return { masterKeyId: LOCAL_MASTER_KEY_ID, plaintext, ciphertext: this.wrap(plaintext, context) };
  }

  async decrypt(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    return this.unwrap(ciphertext, context);
  }

  /** Decrypts what `wrap` encrypted under this key and `context`. */
  unwrap(ciphertext: Uint8Array, context: EncryptionContext): Uint8Array {
    this.assertAlive();
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
    this.assertAlive();
    const iv = randomBytes(IV_BYTES);
    const sealed = gcmSeal(this.master, iv, plaintext, canonicalContext(context));
    const out = new Uint8Array(MAGIC.length + IV_BYTES + sealed.length);
    out.set(MAGIC, 0);
    out.set(iv, MAGIC.length);
    out.set(sealed, MAGIC.length + IV_BYTES);
    return out;
  }

  /** A key destroyed by another process (the retention CLI) is not used from memory either. */
  private assertAlive(): void {
    const destroyedAt = localKeyDestroyedAt(this.path);
    if (destroyedAt) throw new LocalKeyDestroyedError(destroyedAt);
  }
}
