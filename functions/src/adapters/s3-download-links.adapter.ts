import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DownloadLink, DownloadLinks, ExportFileRef } from '@ocs/shared/export-job';
import type { Clock } from '@ocs/shared/ports';

export interface S3DownloadLinksOptions {
  readonly bucket: string;
  /** Key prefix of the export files (the export sink's, `exports/`). */
  readonly prefix?: string;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * AWS: a download link is a presigned GET URL (SigV4, query-string signed) for exactly one object,
 * `exports/<exportId>/<name>`, valid `expiresInSeconds`, that makes S3 answer with the file's media
 * type and as an attachment. It is signed with this function's role; S3 decrypts the object with
 * the export key on that role's behalf (the key policy names the role), so the link works for
 * nothing else and for no longer. Presigning is local computation: no call to AWS.
 */
export class S3DownloadLinks implements DownloadLinks {
  private readonly prefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly options: S3DownloadLinksOptions,
    private readonly clock: Clock,
  ) {
    this.prefix = options.prefix ?? 'exports/';
  }

  async create(file: ExportFileRef, expiresInSeconds: number): Promise<DownloadLink> {
    if (!SAFE_SEGMENT.test(file.exportId) || !SAFE_SEGMENT.test(file.name)) {
      throw new RangeError('Unsafe export file reference.');
    }
    const now = this.clock.now();
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: `${this.prefix}${file.exportId}/${file.name}`,
      ResponseContentType: file.contentType,
      ResponseContentDisposition: `attachment; filename="${file.name}"`,
      ResponseCacheControl: 'no-store',
    });
    const url = await getSignedUrl(this.s3, command, { expiresIn: expiresInSeconds, signingDate: now });
    return { url, expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString() };
  }
}
