import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import type { Clock, DataKeyStore, EncryptionContext, KeyProvider, SealedData } from '@ocs/shared/ports';
import { gcmOpen, gcmSeal } from './aes-gcm';
import { IvPool } from './iv-pool';

/** How long a data key may be reused: at most 5 minutes or 10,000 statements (docs/design.md). */
export interface DataKeyPolicy {
  readonly maxAgeMs: number;
  readonly maxUses: number;
}

export const DEFAULT_DATA_KEY_POLICY: DataKeyPolicy = Object.freeze({
  maxAgeMs: 5 * 60_000,
  maxUses: 10_000,
});

interface CurrentKey {
  readonly ref: string;
  readonly key: KeyObject;
  readonly createdAtMs: number;
  readonly expiresAtEpochSeconds: number;
  uses: number;
}

export interface EnvelopeSealerDeps {
  readonly keyProvider: KeyProvider;
  readonly dataKeyStore: DataKeyStore;
  /** Bound to every data key this sealer asks for (initiative and purpose). */
  readonly context: EncryptionContext;
  readonly clock: Clock;
  readonly policy?: DataKeyPolicy;
  readonly ivPool?: IvPool;
}

/**
 * Envelope encryption for the submit path. One data key from the key provider seals many
 * statements (at most `maxUses`, at most `maxAgeMs`), then is dropped from memory; so KMS sees
 * about one call per 10,000 statements or per 5 minutes. The data key's ciphertext is stored once
 * (DataKeyStore) and statements carry only its reference. This class can only encrypt: it has no
 * path to unwrap a stored data key.
 */
export class EnvelopeSealer {
  private current: CurrentKey | undefined;
  private pending: Promise<CurrentKey> | undefined;
  private readonly policy: DataKeyPolicy;
  private readonly ivPool: IvPool;

  constructor(private readonly deps: EnvelopeSealerDeps) {
    this.policy = deps.policy ?? DEFAULT_DATA_KEY_POLICY;
    this.ivPool = deps.ivPool ?? new IvPool();
  }

  /**
   * Seals `plaintext` under the current data key with `aad` binding it to its item.
   * `expiresAtEpochSeconds` is the destruction deadline of the item; the data key record lives
   * exactly as long, and a key is only reused for items with the same deadline.
   */
  async seal(plaintext: Uint8Array, aad: Uint8Array, expiresAtEpochSeconds: number): Promise<SealedData> {
    const current = await this.acquire(expiresAtEpochSeconds);
    const iv = this.ivPool.next();
    return {
      dataKeyRef: current.ref,
      context: this.deps.context,
      iv,
      ciphertext: gcmSeal(current.key, iv, plaintext, aad),
    };
  }

  private usable(key: CurrentKey | undefined, expiresAt: number): key is CurrentKey {
    return (
      key !== undefined &&
      key.uses < this.policy.maxUses &&
      this.deps.clock.now().getTime() - key.createdAtMs < this.policy.maxAgeMs &&
      key.expiresAtEpochSeconds === expiresAt
    );
  }

  private async acquire(expiresAt: number): Promise<CurrentKey> {
    for (;;) {
      if (this.usable(this.current, expiresAt)) {
        this.current.uses += 1;
        return this.current;
      }
      this.current = undefined;
      // Single flight: concurrent callers share one key-provider call.
      this.pending ??= this.rotate(expiresAt).finally(() => {
        this.pending = undefined;
      });
      this.current = await this.pending;
    }
  }

  private async rotate(expiresAt: number): Promise<CurrentKey> {
    const dataKey = await this.deps.keyProvider.generateDataKey(this.deps.context);
    // The KeyObject holds its own copy; the plaintext bytes are zeroed whatever happens next.
    const key = createSecretKey(dataKey.plaintext);
    dataKey.plaintext.fill(0);
    const ref = randomUUID();
    const createdAt = this.deps.clock.now();
    await this.deps.dataKeyStore.put(
      {
        ref,
        masterKeyId: dataKey.masterKeyId,
        ciphertext: dataKey.ciphertext,
        context: this.deps.context,
        createdAt: createdAt.toISOString(),
      },
      expiresAt,
    );
    return { ref, key, createdAtMs: createdAt.getTime(), expiresAtEpochSeconds: expiresAt, uses: 0 };
  }
}

/**
 * The read side, for the roles that may decrypt (export, withdrawal, tests). Each data key is
 * unwrapped once and kept for the opener's lifetime.
 */
export class EnvelopeOpener {
  private readonly keys = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly keyProvider: KeyProvider,
    private readonly dataKeyStore: DataKeyStore,
  ) {}

  async open(sealed: SealedData, aad: Uint8Array): Promise<Uint8Array> {
    return gcmOpen(await this.key(sealed.dataKeyRef), sealed.iv, sealed.ciphertext, aad);
  }

  private key(ref: string): Promise<KeyObject> {
    let key = this.keys.get(ref);
    if (!key) {
      key = this.unwrap(ref);
      key.catch(() => this.keys.delete(ref));
      this.keys.set(ref, key);
    }
    return key;
  }

  private async unwrap(ref: string): Promise<KeyObject> {
    const record = await this.dataKeyStore.get(ref);
    if (!record) throw new Error('Unknown data key reference.');
    const plaintext = await this.keyProvider.decrypt(record.ciphertext, record.context);
    const key = createSecretKey(plaintext);
    plaintext.fill(0);
    return key;
  }
}
