import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretSource } from '@ocs/shared/ports';
import type { LocalKeyProvider } from './local-key-provider.adapter';

/**
 * FOR LOCAL USE ONLY. A secret generated on first start and stored encrypted under the local key
 * provider (bound to an encryption context naming the secret), in the data directory.
 */
export class LocalSecret implements SecretSource {
  constructor(
    private readonly keys: LocalKeyProvider,
    private readonly path: string,
    private readonly name: string,
  ) {}

  /** Creates the encrypted secret file if it does not exist yet. */
  ensure(): void {
    if (existsSync(this.path)) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32);
    writeFileSync(this.path, this.keys.wrap(secret, this.context()), { mode: 0o600, flag: 'wx' });
    secret.fill(0);
  }

  async load(): Promise<Uint8Array> {
    this.ensure();
    return this.keys.decrypt(new Uint8Array(readFileSync(this.path)), this.context());
  }

  private context() {
    return { purpose: 'local-secret', secret: this.name };
  }
}
