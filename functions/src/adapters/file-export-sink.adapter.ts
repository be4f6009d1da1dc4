import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFileWriter, ExportSink } from '@ocs/shared/export';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Checks an export id or file name before it becomes a path segment. */
function segment(value: string): string {
  if (!SAFE_NAME.test(value) || value.includes('..')) throw new RangeError('Unsafe export path segment.');
  return value;
}

class FileWriter implements ExportFileWriter {
  private failure: Error | undefined;

  constructor(
    private readonly stream: WriteStream,
    private readonly partial: string,
    private readonly final: string,
  ) {
    stream.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (error: Error) => {
          this.stream.off('drain', onDrain);
          reject(error);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async close(): Promise<void> {
    await this.end();
    await rename(this.partial, this.final);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.partial, { force: true });
  }

  private end(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.stream.once('error', reject);
      this.stream.end(() => {
        this.stream.off('error', reject);
        resolve();
      });
    });
  }
}

/**
 * Local mode: export files under `<root>/<exportId>/` (root = `OCS_DATA_DIR/exports`), readable
 * by the owner only. A file is written as `<name>.partial` and renamed when complete, so a
 * reader never sees half a file under its real name.
 */
export class FileExportSink implements ExportSink {
  constructor(private readonly root: string) {}

  /** The directory of one export. */
  dir(exportId: string): string {
    return join(this.root, segment(exportId));
  }

  async create(exportId: string, name: string): Promise<ExportFileWriter> {
    const dir = this.dir(exportId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const final = join(dir, segment(name));
    const partial = `${final}.partial`;
    const stream = createWriteStream(partial, { mode: 0o600, highWaterMark: 256 * 1024 });
    return new FileWriter(stream, partial, final);
  }

  async discard(exportId: string): Promise<void> {
    await rm(this.dir(exportId), { recursive: true, force: true });
  }
}
