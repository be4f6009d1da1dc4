import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtSiteOrigin, siteOriginMismatch } from '@ocs/infra/site-origin';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SITE, SYNTH_TIMEOUT, synthOcs } from './support';

/** A deployment warns when the static build was made for another public origin (OCS_SITE_ORIGIN). */

function site(ogUrl: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocs-site-'));
  mkdirSync(join(dir, 'en'));
  const tag = ogUrl === null ? '' : `<meta property="og:url" content="${ogUrl}">`;
  writeFileSync(
    join(dir, 'en', 'index.html'),
    `<!doctype html><html><head>${tag}</head><body></body></html>`,
  );
  return dir;
}

describe('builtSiteOrigin', () => {
  it('reads the origin of the English initiative page', () => {
    expect(builtSiteOrigin(site('https://sign.example.eu/en/'))).toBe('https://sign.example.eu');
    expect(builtSiteOrigin(site('http://localhost:8080/en/'))).toBe('http://localhost:8080');
  });

  it('knows nothing of a build without preview tags', () => {
    expect(builtSiteOrigin(site(null))).toBeUndefined();
    expect(builtSiteOrigin(FIXTURE_SITE)).toBeUndefined();
    expect(builtSiteOrigin(site('not a url'))).toBeUndefined();
  });
});

describe('siteOriginMismatch', () => {
  it('accepts a build for the custom domain', () => {
    expect(siteOriginMismatch('https://sign.example.eu', 'sign.example.eu')).toBeUndefined();
  });

  it('names the build origin, the expected one and the fix', () => {
    const message = siteOriginMismatch('http://localhost:8080', 'sign.example.eu');
    expect(message).toContain('http://localhost:8080');
    expect(message).toContain('https://sign.example.eu');
    expect(message).toContain('OCS_SITE_ORIGIN');
    expect(siteOriginMismatch('https://old.example.eu', 'sign.example.eu')).toContain('old.example.eu');
  });

  it('on a trial (no custom domain) warns only about a local build', () => {
    expect(siteOriginMismatch('http://localhost:8080', undefined)).toContain('OCS_SITE_ORIGIN');
    expect(siteOriginMismatch('https://d111111abcdef8.cloudfront.net', undefined)).toBeUndefined();
    expect(siteOriginMismatch(undefined, 'sign.example.eu')).toBeUndefined();
  });
});

describe('the site stack', () => {
  it(
    'warns at synthesis when the build names another origin than the custom domain',
    () => {
      const { stacks } = synthOcs({ context: { siteSource: site('http://localhost:8080/en/') } });
      const warnings = Annotations.fromStack(stacks.site).findWarning(
        '*',
        Match.stringLikeRegexp('built for http://localhost:8080, not https://sign.example.eu'),
      );
      expect(warnings).toHaveLength(1);
    },
    SYNTH_TIMEOUT,
  );
});
