import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CloudFront's limit on the Content-Security-Policy value of a response headers policy. */
export const CLOUDFRONT_CSP_MAX_LENGTH = 1783;

/** Script types that browsers do not execute (data blocks): CSP does not apply to them. */
const DATA_SCRIPT_TYPE = /\btype\s*=\s*["']?(application\/(ld\+)?json|text\/plain)/i;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * SHA-256 sources ('sha256-...') of every inline, executable <script> in the site's HTML files,
 * de-duplicated and sorted. SvelteKit's static build starts each page with a small inline script;
 * hashing it at synthesis lets the CSP allow exactly those scripts and never 'unsafe-inline'.
 */
export function inlineScriptHashes(siteDir: string): string[] {
  const hashes = new Set<string>();
  for (const file of htmlFiles(siteDir)) {
    const html = readFileSync(file, 'utf8');
    for (const match of html.matchAll(SCRIPT)) {
      const attributes = match[1] ?? '';
      const body = match[2] ?? '';
      if (/\bsrc\s*=/i.test(attributes) || DATA_SCRIPT_TYPE.test(attributes) || body.length === 0) continue;
      hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
    }
  }
  return [...hashes].sort();
}

export interface SitePolicyOptions {
  /** Hash sources of the inline scripts (inlineScriptHashes). */
  readonly scriptHashes: readonly string[];
  /** Who may frame the pages: `'none'` for the site, `*` for the embeddable widget. */
  readonly frameAncestors: string;
  /** Extra origins the pages may call (the organisers' sign-in domain). */
  readonly connectSources: readonly string[];
}

/** The Content-Security-Policy of the HTML pages. Scripts: same origin plus hashed inline, nothing else. */
export function siteContentSecurityPolicy(options: SitePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    ['script-src', "'self'", ...options.scriptHashes].join(' '),
    // Svelte sets style attributes; inline styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...options.connectSources].join(' '),
    // The ALTCHA widget solves its proof of work in web workers.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors}`,
    'upgrade-insecure-requests',
  ];
  const policy = directives.join('; ');
  if (policy.length > CLOUDFRONT_CSP_MAX_LENGTH) {
    throw new Error(
      `The Content-Security-Policy is ${policy.length} characters, over CloudFront's limit of ` +
        `${CLOUDFRONT_CSP_MAX_LENGTH}: the site build has ${options.scriptHashes.length} distinct inline scripts. ` +
        'Reduce them (for example one SPA fallback page, or SvelteKit pages sharing one bootstrap script).',
    );
  }
  return policy;
}

/** The Content-Security-Policy of API responses (JSON): nothing may load, nobody may frame. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
