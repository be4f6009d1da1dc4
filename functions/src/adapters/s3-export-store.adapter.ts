import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import type { ExportFileStore, ExportObject } from '@ocs/shared/retention';

/** Runs an S3 call; any failure becomes a dependency failure (the job stops, to resume later). */
async function s3<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyUnavailableError('database', { cause: error });
  }
}

/**
 * AWS: the export bucket as the destruction job sees it. The bucket is versioned, so a file is
 * gone only when every version of it is: the job lists object versions and delete markers (and,
 * once none is left, unfinished multipart uploads, whose parts hold data too) from the start of
 * the bucket, and deletes each by version (DeleteObjects, up to 1,000 a request) or aborts it.
 * The bucket holds exports only; all of it goes.
 */
export class S3ExportStore implements ExportFileStore {
  constructor(
    private readonly s3Client: S3Client,
    private readonly bucket: string,
  ) {}

  async list(limit: number): Promise<readonly ExportObject[]> {
    const max = Math.min(limit, 1000);
    const versions = await s3(() =>
      this.s3Client.send(new ListObjectVersionsCommand({ Bucket: this.bucket, MaxKeys: max })),
    );
    const objects: ExportObject[] = [
      ...(versions.Versions ?? []).flatMap((v) =>
        v.Key ? [{ name: v.Key, ...(v.VersionId ? { version: v.VersionId } : {}), isFile: true }] : [],
      ),
      ...(versions.DeleteMarkers ?? []).flatMap((m) =>
        m.Key ? [{ name: m.Key, ...(m.VersionId ? { version: m.VersionId } : {}), isFile: false }] : [],
      ),
    ];
    if (objects.length > 0) return objects.slice(0, max);
    const uploads = await s3(() =>
      this.s3Client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, MaxUploads: max })),
    );
    return (uploads.Uploads ?? []).flatMap((u) =>
      u.Key && u.UploadId ? [{ name: u.Key, uploadId: u.UploadId, isFile: false }] : [],
    );
  }

  async delete(objects: readonly ExportObject[]): Promise<void> {
    const stored = objects.filter((o) => o.uploadId === undefined);
    for (let i = 0; i < stored.length; i += 1000) {
      const batch = stored.slice(i, i + 1000);
      const out = await s3(() =>
        this.s3Client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: {
              Objects: batch.map((o) => ({ Key: o.name, ...(o.version ? { VersionId: o.version } : {}) })),
              Quiet: true,
            },
          }),
        ),
      );
      if ((out.Errors ?? []).length > 0) {
        throw new DependencyUnavailableError('database', {
          cause: new Error(
            `S3 refused ${out.Errors?.length} deletes (${out.Errors?.[0]?.Code ?? 'unknown'})`,
          ),
        });
      }
    }
    for (const upload of objects.filter((o) => o.uploadId !== undefined)) {
      await s3(() =>
        this.s3Client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.bucket,
            Key: upload.name,
            UploadId: upload.uploadId,
          }),
        ),
      );
    }
  }
}
