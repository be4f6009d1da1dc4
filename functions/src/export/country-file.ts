import { createHash, type Hash } from 'node:crypto';
import type { ExportFileSummary, ExportFileWriter } from '@ocs/shared/export';
import type { MemberStateCode } from '@ocs/shared/statement';

/**
 * One country file on its way to the sink: text is gathered into chunks of about `chunkChars`,
 * each chunk encoded once, hashed (SHA-256 of the exact bytes written) and written with
 * backpressure. Memory: one chunk.
 */
export class CountryFile {
  private pending = '';
  private bytes = 0;
  private statements = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    readonly country: MemberStateCode,
    private readonly writer: ExportFileWriter,
    private readonly chunkChars: number,
  ) {}

  /** Appends text; true when a chunk is full and `flush()` should be awaited. */
  add(text: string, isStatement = false): boolean {
    this.pending += text;
    if (isStatement) this.statements += 1;
    return this.pending.length >= this.chunkChars;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(chunk);
    this.bytes += chunk.length;
    await this.writer.write(chunk);
  }

  /** Flushes, completes the file and returns its manifest line. */
  async close(): Promise<ExportFileSummary> {
    await this.flush();
    await this.writer.close();
    return {
      country: this.country,
      statements: this.statements,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
  }

  abort(): Promise<void> {
    return this.writer.abort();
  }
}
