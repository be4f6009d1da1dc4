import { DescribeKeyCommand, type KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { StatementKeyDestroyer } from '@ocs/shared/retention';

/** KMS's shortest pending window (7 to 30 days): the key is gone for good a week later. */
export const KEY_DELETION_PENDING_DAYS = 7;

/**
 * AWS: destroys the statement key (crypto-shredding) by scheduling its deletion with the
 * shortest pending window. From that moment KMS refuses every use of the key (state
 * PendingDeletion), so no data key it wrapped, in the table, its point-in-time backups or any
 * copy, can be opened again; at the end of the window the key material is deleted. A key already
 * pending deletion is left as it is (a resumed run): its deletion date is returned.
 */
export class KmsKeyDestroyer implements StatementKeyDestroyer {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async destroy(): Promise<{ readonly deletionDate: string }> {
    try {
      const described = await this.kms.send(new DescribeKeyCommand({ KeyId: this.keyId }));
      const metadata = described.KeyMetadata;
      if (metadata?.KeyState === 'PendingDeletion' && metadata.DeletionDate) {
        return { deletionDate: metadata.DeletionDate.toISOString() };
      }
      const out = await this.kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: this.keyId, PendingWindowInDays: KEY_DELETION_PENDING_DAYS }),
      );
      if (!out.DeletionDate) throw new Error('KMS returned no deletion date');
      return { deletionDate: out.DeletionDate.toISOString() };
    } catch (error) {
      throw new DependencyUnavailableError('keys', { cause: error });
    }
  }
}
