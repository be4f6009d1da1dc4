import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, relative as pathRelative, resolve, sep } from 'node:path';
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

/**
 * Who may frame a response: the embeddable widget (files under `embed/`) anyone, everything else
 * nobody. Decided from the file served, never from the request path, so no spelling of a URL
 * can lend a page the widget's permission.
 */
export type FrameAncestors = "'none'" | '*';

/** The directory of the build whose pages any site may frame (the progress widget). */
const EMBED_DIR = '/embed/';

export interface StaticFile {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer;
  readonly gzip?: Buffer;
  readonly br?: Buffer;
  readonly cacheControl: string;
  /** The CSP `frame-ancestors` of this file (see FrameAncestors). */
  readonly frameAncestors: FrameAncestors;
}

/** Limits of the in-memory file cache (every distinct request path may create an entry). */
export interface StaticCacheLimits {
  /** Entries kept, misses (paths with no file) included. */
  readonly maxEntries: number;
  /** Bytes of file content kept (body and its compressed forms). */
  readonly maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: StaticCacheLimits = { maxEntries: 1024, maxBytes: 64 * 1024 * 1024 };

/**
 * Percent-encoded path separators (`%2F` slash, `%5C` backslash). A decoded one would be a
 * separator the URL did not have: it could climb out of a directory after the URL parser has
 * already resolved `..` segments. Such paths answer 404, as nothing in the build is named so.
 */
const ENCODED_SEPARATOR = /%(2f|5c)/i;

const NOT_FOUND_TEXT: StaticFile = {
  status: 404,
  type: 'text/plain; charset=utf-8',
  body: Buffer.from('Not found'),
  cacheControl: 'no-cache',
  frameAncestors: "'none'",
};

const sizeOf = (file: StaticFile | null) =>
  file ? file.body.length + (file.gzip?.length ?? 0) + (file.br?.length ?? 0) : 0;

/**
 * Serves the prerendered site (web/build) the way the CDN does: `/x/` is `x/index.html`, `/x` is
 * `x.html` or `x/index.html`, anything else is `404.html` with status 404. Files are read and
 * compressed once and kept in a least-recently-used cache bounded in entries and bytes (the
 * build is immutable while the server runs; the request paths are not, and any client chooses
 * them).
 */
export class StaticSite {
  private readonly cache = new Map<string, StaticFile | null>();
  private cachedBytes = 0;
  private readonly root: string;
  private readonly limits: StaticCacheLimits;

  constructor(root: string, limits: Partial<StaticCacheLimits> = {}) {
    this.root = resolve(root);
    this.limits = { ...DEFAULT_CACHE_LIMITS, ...limits };
  }

  get available(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /** Entries and bytes the cache holds now (for tests and diagnostics). */
  get cacheSize(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.cache.size, bytes: this.cachedBytes };
  }

  lookup(pathname: string): StaticFile {
    if (ENCODED_SEPARATOR.test(pathname)) return this.notFound();
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return this.notFound();
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return this.notFound();
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
    return this.load('/404.html', 404) ?? NOT_FOUND_TEXT;
  }

  private load(relative: string, status: number): StaticFile | null {
    const key = `${status}:${relative}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Most recently used last: Map keeps insertion order, so eviction takes the first.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const file = this.read(relative, status);
    this.remember(key, file);
    return file;
  }

  private read(relative: string, status: number): StaticFile | null {
    const full = resolve(this.root, `.${sep}${normalize(relative)}`);
    if (!(full.startsWith(this.root + sep) && existsSync(full) && statSync(full).isFile())) return null;
    const body = readFileSync(full);
    const type = TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream';
    const compress = COMPRESSIBLE.test(type) && body.length > 512;
    // The path of the file inside the build, with `/` separators, decides its framing.
    const inBuild = `/${pathRelative(this.root, full).split(sep).join('/')}`;
    return {
      status,
      type,
      body,
      ...(compress
        ? {
            gzip: gzipSync(body, { level: 9 }),
            br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
          }
        : {}),
      cacheControl: inBuild.includes('/_app/immutable/')
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=0, must-revalidate',
      frameAncestors: status === 200 && inBuild.startsWith(EMBED_DIR) ? '*' : "'none'",
    };
  }

  private remember(key: string, file: StaticFile | null): void {
    const bytes = sizeOf(file);
    // A file larger than the whole budget is served but not kept.
    if (bytes > this.limits.maxBytes) return;
    this.cache.set(key, file);
    this.cachedBytes += bytes;
    for (const [oldest, entry] of this.cache) {
      if (this.cache.size <= this.limits.maxEntries && this.cachedBytes <= this.limits.maxBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= sizeOf(entry);
    }
  }
}
