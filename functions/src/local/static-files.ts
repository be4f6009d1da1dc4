import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest)|image\/svg)/;

export interface StaticFile {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer;
  readonly gzip?: Buffer;
  readonly br?: Buffer;
  readonly cacheControl: string;
}

/**
 * Serves the prerendered site (web/build) the way the CDN does: `/x/` is `x/index.html`, `/x` is
 * `x.html` or `x/index.html`, anything else is `404.html` with status 404. Files are read and
 * compressed once and kept in memory (the build is immutable while the server runs).
 */
export class StaticSite {
  private readonly cache = new Map<string, StaticFile | null>();
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get available(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  lookup(pathname: string): StaticFile {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return this.notFound();
    }
    if (decoded.includes('\0')) return this.notFound();
    const candidates = decoded.endsWith('/')
      ? [`${decoded}index.html`]
      : [decoded, `${decoded}.html`, `${decoded}/index.html`];
    for (const candidate of candidates) {
      const file = this.load(candidate, 200);
      if (file) return file;
    }
    return this.notFound();
  }

  private notFound(): StaticFile {
    return (
      this.load('/404.html', 404) ?? {
        status: 404,
        type: 'text/plain; charset=utf-8',
        body: Buffer.from('Not found'),
        cacheControl: 'no-cache',
      }
    );
  }

  private load(relative: string, status: number): StaticFile | null {
    const key = `${status}:${relative}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const full = resolve(this.root, `.${sep}${normalize(relative)}`);
    let file: StaticFile | null = null;
    if (
      (full === this.root || full.startsWith(this.root + sep)) &&
      existsSync(full) &&
      statSync(full).isFile()
    ) {
      const body = readFileSync(full);
      const type = TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream';
      const compress = COMPRESSIBLE.test(type) && body.length > 512;
      file = {
        status,
        type,
        body,
        ...(compress
          ? {
              gzip: gzipSync(body, { level: 9 }),
              br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
            }
          : {}),
        cacheControl: relative.includes('/_app/immutable/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=0, must-revalidate',
      };
    }
    this.cache.set(key, file);
    return file;
  }
}
