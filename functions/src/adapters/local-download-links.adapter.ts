import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DownloadLink, DownloadLinks, ExportFileRef } from '@ocs/shared/export-job';
import type { Clock } from '@ocs/shared/ports';

/** Where the local server serves download links (outside `/api/`: a link is not an API route). */
export const LOCAL_DOWNLOAD_PATH = '/local-downloads/';

/** What redeeming a local link gives. */
export type Redeemed =
  | { readonly kind: 'file'; readonly path: string; readonly name: string; readonly contentType: string }
  /** Used once already, or expired. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'not_found' };

interface LinkRecord {
  readonly exportId: string;
  readonly name: string;
  readonly contentType: string;
  readonly expiresAt: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Used and expired link records are removed this long after their expiry. */
const KEEP_TOMBSTONES_MS = 60 * 60 * 1000;

export interface LocalDownloadLinksOptions {
  /** Directory of the link records (`OCS_DATA_DIR/download-links`). */
  readonly dir: string;
  /** Directory of the export files (`OCS_DATA_DIR/exports`). */
  readonly exportsDir: string;
  /** Origin the local server is reached at, e.g. `http://localhost:8080`. */
  readonly origin: string;
}

/**
 * Local mode's stand-in for a presigned S3 URL: a random 256-bit token, valid for a few minutes
 * and for ONE download, served by the local server at `/local-downloads/<token>`. Only the token's
 * SHA-256 is kept on disk (`<dir>/<hash>.json`, owner-only), so the directory listing does not
 * hold working links. Redeeming renames the record to `<hash>.used` first: a rename succeeds once,
 * so of two concurrent downloads with one link exactly one gets the file; a used or expired link
 * answers 410, an unknown one 404.
 */
export class LocalDownloadLinks implements DownloadLinks {
  constructor(
    private readonly options: LocalDownloadLinksOptions,
    private readonly clock: Clock,
  ) {}

  async create(file: ExportFileRef, expiresInSeconds: number): Promise<DownloadLink> {
    if (!SAFE_SEGMENT.test(file.exportId) || !SAFE_SEGMENT.test(file.name)) {
      throw new RangeError('Unsafe export file reference.');
    }
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    await this.sweep();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + expiresInSeconds * 1000).toISOString();
    const record: LinkRecord = {
      exportId: file.exportId,
      name: file.name,
      contentType: file.contentType,
      expiresAt,
    };
    await writeFile(this.recordPath(token, 'json'), JSON.stringify(record), { mode: 0o600, flag: 'wx' });
    return { url: `${this.options.origin}${LOCAL_DOWNLOAD_PATH}${token}`, expiresAt };
  }

  /** Takes the link for one download: the file to serve, or why not. */
  async redeem(token: string): Promise<Redeemed> {
    if (!TOKEN.test(token)) return { kind: 'not_found' };
    const fresh = this.recordPath(token, 'json');
    const used = this.recordPath(token, 'used');
    try {
      await rename(fresh, used);
    } catch {
      const tombstone = await stat(used).catch(() => undefined);
      return tombstone ? { kind: 'gone' } : { kind: 'not_found' };
    }
    const record = JSON.parse(await readFile(used, 'utf8')) as LinkRecord;
    if (Date.parse(record.expiresAt) <= this.clock.now().getTime()) return { kind: 'gone' };
    if (!SAFE_SEGMENT.test(record.exportId) || !SAFE_SEGMENT.test(record.name)) return { kind: 'not_found' };
    const path = join(this.options.exportsDir, record.exportId, record.name);
    if (!(await stat(path).catch(() => undefined))?.isFile()) return { kind: 'not_found' };
    return { kind: 'file', path, name: record.name, contentType: record.contentType };
  }

  private recordPath(token: string, suffix: 'json' | 'used'): string {
    const hash = createHash('sha256').update(token).digest('hex');
    return join(this.options.dir, `${hash}.${suffix}`);
  }

  /** Removes records whose link expired more than an hour ago (used or not). */
  private async sweep(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const name of await readdir(this.options.dir).catch(() => [] as string[])) {
      const path = join(this.options.dir, name);
      try {
        const record = JSON.parse(await readFile(path, 'utf8')) as LinkRecord;
        if (Date.parse(record.expiresAt) + KEEP_TOMBSTONES_MS < now) await rm(path, { force: true });
      } catch {
        // Being redeemed right now, or not a record: left alone.
      }
    }
  }
}
