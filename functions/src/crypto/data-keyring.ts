import { createSecretKey, type KeyObject } from 'node:crypto';
import type { DataKeyStore, EncryptionContext, KeyProvider } from '@ocs/shared/ports';
import { gcmOpen } from './aes-gcm';

/**
 * The decrypt side of envelope encryption for a long job (an export): each data key is fetched
 * and unwrapped ONCE, however many statements it sealed, and always with the context the caller
 * expects (initiative and purpose), never the one stored beside the key, so the key service (the
 * KMS key policy in AWS) decides whether this role may open it. `dispose()` drops every key at the
 * end of the job; the plaintext key bytes are zeroed as soon as Node holds them in a KeyObject.
 */
export class DataKeyring {
  private readonly keys = new Map<string, KeyObject>();
  private readonly pending = new Map<string, Promise<void>>();
  private calls = 0;

  constructor(
    private readonly keyProvider: KeyProvider,
    private readonly dataKeyStore: DataKeyStore,
    private readonly context: EncryptionContext,
  ) {}

  /** Number of key-service Decrypt calls so far (one per distinct data key when all goes well). */
  get decryptCalls(): number {
    return this.calls;
  }

  /** Number of data keys held. */
  get size(): number {
    return this.keys.size;
  }

  /** Starts unwrapping `ref` unless it is held or on its way. */
  prefetch(ref: string): void {
    if (this.keys.has(ref) || this.pending.has(ref)) return;
    const loading = this.unwrap(ref);
    // Failures are reported by `ready()` (or `load()`); this only avoids an unhandled rejection.
    loading.catch(() => {});
    this.pending.set(ref, loading);
  }

  /** Waits for every prefetched key; rejects with the first failure. */
  async ready(): Promise<void> {
    await Promise.all(this.pending.values());
  }

  /** The key of `ref`, unwrapping it if needed. */
  async load(ref: string): Promise<KeyObject> {
    this.prefetch(ref);
    await this.pending.get(ref);
    return this.held(ref);
  }

  /** The key of `ref` if it is held already (after `ready()`), else undefined. */
  get(ref: string): KeyObject | undefined {
    return this.keys.get(ref);
  }

  /** Opens AES-256-GCM `sealed` (ciphertext and tag) under a held key; throws when anything differs. */
  open(key: KeyObject, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
    return gcmOpen(key, iv, sealed, aad);
  }

  /** Drops every key (end of the job). */
  dispose(): void {
    this.keys.clear();
    this.pending.clear();
  }

  private held(ref: string): KeyObject {
    const key = this.keys.get(ref);
    if (!key) throw new Error('Data key not available.');
    return key;
  }

  private async unwrap(ref: string): Promise<void> {
    const record = await this.dataKeyStore.get(ref);
    if (!record) throw new Error('Unknown data key reference.');
    this.calls += 1;
    const plaintext = await this.keyProvider.decrypt(record.ciphertext, this.context);
    try {
      this.keys.set(ref, createSecretKey(plaintext));
    } finally {
      plaintext.fill(0);
    }
  }
}
