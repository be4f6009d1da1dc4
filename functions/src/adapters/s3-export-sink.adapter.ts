import { PassThrough } from 'node:stream';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ExportFileWriter, ExportSink } from '@ocs/shared/export';

export interface S3ExportSinkOptions {
  readonly bucket: string;
  /** Key prefix of every export, e.g. `exports/`. */
  readonly prefix?: string;
  /** Multipart part size (at least 5 MiB) and parts in flight: memory is about their product. */
  readonly partSize?: number;
  readonly queueSize?: number;
  /** The KMS key that encrypts the objects (SSE-KMS); the bucket default when absent. */
  readonly kmsKeyId?: string;
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function segment(value: string): string {
  if (!SAFE_SEGMENT.test(value) || value.includes('..')) throw new RangeError('Unsafe export key segment.');
  return value;
}

class S3Writer implements ExportFileWriter {
  private readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly upload: Upload;
  private readonly finished: Promise<unknown>;
  private failure: unknown;

  constructor(upload: (body: PassThrough) => Upload) {
    this.upload = upload(this.body);
    this.finished = this.upload.done();
    this.finished.catch((error: unknown) => {
      this.failure = error;
      this.body.destroy();
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.body.write(chunk)) return;
    // Backpressure: wait until the uploader has taken the buffered bytes, or failed.
    await Promise.race([new Promise<void>((resolve) => this.body.once('drain', resolve)), this.finished]);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.body.end();
    await this.finished;
  }

  async abort(): Promise<void> {
    this.body.destroy();
    await this.upload.abort().catch(() => {});
    await this.finished.catch(() => {});
  }
}

/**
 * AWS: export files as S3 objects `<prefix><exportId>/<name>`, streamed with multipart upload
 * (`@aws-sdk/lib-storage`): at most `queueSize` parts of `partSize` bytes are buffered, whatever
 * the size of the file. A failed or aborted upload leaves no parts behind.
 */
export class S3ExportSink implements ExportSink {
  private readonly prefix: string;

  constructor(
    private readonly s3: S3Client,
    private readonly options: S3ExportSinkOptions,
  ) {
    this.prefix = options.prefix ?? 'exports/';
  }

  /** The object key of one export file. */
  key(exportId: string, name: string): string {
    return `${this.prefix}${segment(exportId)}/${segment(name)}`;
  }

  async create(exportId: string, name: string, contentType: string): Promise<ExportFileWriter> {
    const { bucket, kmsKeyId } = this.options;
    const key = this.key(exportId, name);
    return new S3Writer(
      (body) =>
        new Upload({
          client: this.s3,
          params: {
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ...(kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: kmsKeyId } : {}),
          },
          partSize: this.options.partSize ?? 8 * 1024 * 1024,
          queueSize: this.options.queueSize ?? 2,
          leavePartsOnError: false,
        }),
    );
  }

  async discard(exportId: string): Promise<void> {
    const prefix = `${this.prefix}${segment(exportId)}/`;
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (objects.length > 0) {
        await this.s3.send(
          new DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: objects, Quiet: true },
          }),
        );
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
