import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/**
 * The console verifies the chain in the browser with shared/src/audit.ts and its dependencies
 * (canonicalize, zod): bundled for the browser, they must need nothing from Node, and run with
 * only what a browser offers (WebCrypto, TextEncoder).
 */
describe('shared/audit in a browser bundle', () => {
  it('bundles for the browser and hashes and verifies with only browser globals', async () => {
    const bundle = await build({
      stdin: {
        contents: `import { nextEntry, verifyChain } from './shared/src/audit.ts';
          globalThis.result = (async () => {
            const a = await nextEntry(undefined, { at: '2026-05-01T09:00:00.000Z', actor: { sub: 'org-1', email: 'ana@example.org' }, action: 'sign_in', details: {} });
            const b = await nextEntry(a, { at: '2026-05-01T09:01:00.000Z', actor: { sub: 'system', email: null }, action: 'destruction', details: { n: 3 } });
            return { hash: a.hash, ok: (await verifyChain([a, b])).valid, tampered: (await verifyChain([a, { ...b, details: { n: 4 } }])).valid };
          })();`,
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/require\(["']node:|from ["']node:/);

    // A context with browser globals only: no require, process or Buffer.
    const context: Record<string, unknown> = { crypto: globalThis.crypto, TextEncoder, Promise, Date };
    runInNewContext(code, context);
    const result = await (context.result as Promise<{ hash: string; ok: boolean; tampered: boolean }>);

    const canonical = `{"action":"sign_in","actor":{"email":"ana@example.org","sub":"org-1"},"at":"2026-05-01T09:00:00.000Z","details":{},"prevHash":"${'0'.repeat(64)}","seq":1}`;
    expect(result).toEqual({
      hash: createHash('sha256').update(canonical).digest('hex'),
      ok: true,
      tampered: false,
    });
  });
});
