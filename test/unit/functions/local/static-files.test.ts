import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLocalServer } from '@ocs/functions/local/http-server';
import { TokenBucket } from '@ocs/functions/local/rate-limit';
import { StaticSite } from '@ocs/functions/local/static-files';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'ocs-static-'));
const page = (name: string) => `<!doctype html><title>${name}</title><p>${name.repeat(200)}</p>`;
const files: Record<string, string> = {
  'index.html': page('home'),
  '404.html': page('missing'),
  'sign/index.html': page('sign'),
  'embed/progress/index.html': page('widget'),
  '_app/immutable/app.js': 'console.log(1);'.repeat(100),
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

const title = (body: Buffer) => /<title>([^<]*)<\/title>/.exec(body.toString())?.[1];

/** Sends one GET through the local server's request handler, without a socket. */
function get(path: string): Promise<{ status: number; headers: Record<string, string | number> }> {
  const server = createLocalServer({
    routes: [],
    site: new StaticSite(root),
    rateLimit: new TokenBucket(1, 1),
  });
  return new Promise((resolve) => {
    let status = 0;
    let headers: Record<string, string | number> = {};
    const sink = {
      headersSent: false,
      writeHead(code: number, head: Record<string, string | number>) {
        status = code;
        headers = head;
        sink.headersSent = true;
        return sink;
      },
      end() {
        resolve({ status, headers });
      },
    };
    const res = sink as unknown as ServerResponse;
    const req = { url: path, method: 'GET', headers: {} } as unknown as IncomingMessage;
    server.emit('request', req, res);
  });
}

describe('StaticSite: framing follows the file served', () => {
  it('lets any site frame the widget and no site frame a page', () => {
    const site = new StaticSite(root);
    expect(site.lookup('/embed/progress/').frameAncestors).toBe('*');
    expect(site.lookup('/sign/').frameAncestors).toBe("'none'");
    expect(site.lookup('/').frameAncestors).toBe("'none'");
    expect(site.lookup('/no/such/page').frameAncestors).toBe("'none'");
  });

  it('decides from the file, however the path is spelled', () => {
    const site = new StaticSite(root);
    const widget = site.lookup('/%65mbed/progress/');
    expect(title(widget.body)).toBe('widget');
    expect(widget.frameAncestors).toBe('*');
  });

  it('sends the file’s frame-ancestors from the local server: a page reached through /embed/ is never frameable', async () => {
    const climbed = await get('/embed/..%2Fsign/');
    expect(climbed.status).toBe(404);
    expect(climbed.headers['content-security-policy']).toBe("frame-ancestors 'none'");

    const widget = await get('/%65mbed/progress/');
    expect(widget.status).toBe(200);
    expect(widget.headers['content-security-policy']).toBe('frame-ancestors *');

    const sign = await get('/sign/');
    expect(sign.status).toBe(200);
    expect(sign.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });
});

describe('StaticSite: encoded path separators', () => {
  it.each([
    '/sign%2Findex.html',
    '/sign%2findex.html',
    '/embed/..%2Fsign/',
    '/embed/progress%5C..%5C..%5Csign/',
    '/sign%5cindex.html',
  ])('answers 404 to %s', (path) => {
    const file = new StaticSite(root).lookup(path);
    expect(file.status).toBe(404);
    expect(title(file.body)).toBe('missing');
  });

  it('still serves ordinary encoded characters', () => {
    expect(new StaticSite(root).lookup('/s%69gn/').status).toBe(200);
  });
});

describe('StaticSite: bounded cache', () => {
  it('keeps at most maxEntries entries, misses included, however many paths clients invent', () => {
    const site = new StaticSite(root, { maxEntries: 8 });
    for (let i = 0; i < 500; i++) site.lookup(`/probe-${i}`);
    expect(site.cacheSize.entries).toBeLessThanOrEqual(8);
    expect(site.lookup('/sign/').status).toBe(200);
  });

  it('keeps at most maxBytes of content, evicting the least recently used first', () => {
    const site = new StaticSite(root, { maxBytes: 4_000 });
    site.lookup('/sign/');
    site.lookup('/');
    site.lookup('/embed/progress/');
    site.lookup('/_app/immutable/app.js');
    expect(site.cacheSize.bytes).toBeGreaterThan(0);
    expect(site.cacheSize.bytes).toBeLessThanOrEqual(4_000);
  });

  it('serves a file larger than the whole budget without keeping it', () => {
    const site = new StaticSite(root, { maxBytes: 100 });
    expect(title(site.lookup('/sign/').body)).toBe('sign');
    expect(site.cacheSize.bytes).toBe(0);
  });

  it('keeps the default bound for a server started without limits', () => {
    const site = new StaticSite(root);
    for (let i = 0; i < 3_000; i++) site.lookup(`/p${i}`);
    expect(site.cacheSize.entries).toBeLessThanOrEqual(1024);
  });
});
