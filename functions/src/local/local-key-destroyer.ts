import { LocalKeyProvider } from '../adapters/local-key-provider.adapter';
import { localPaths } from '../wiring';
import { migrateLocalSecrets } from './local-keys';

/**
 * FOR LOCAL MODE. Destroys the local statement key: the master key file of the data directory,
 * which wrapped every data key of the statements and e-mail addresses (LocalKeyProvider.destroy:
 * a tombstone, so it is never created again, then the file). Before that, anything an earlier
 * version still kept under the master key (the secrets, the organiser accounts) is moved to the
 * secrets key, so the local system still starts and organisers still sign in afterwards.
 */
export class LocalKeyDestroyer {
  constructor(private readonly dataDir: string) {}

  async destroy(now: Date): Promise<{ readonly deletionDate: string }> {
    migrateLocalSecrets(this.dataDir);
    return { deletionDate: LocalKeyProvider.destroy(localPaths(this.dataDir).masterKey, now) };
  }
}
