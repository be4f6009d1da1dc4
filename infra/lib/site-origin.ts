import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The public origin a static build was made for (OCS_SITE_ORIGIN of `npm run build:web`): the
 * build writes it into every page's link-preview tags. Read back here so a deployment can say when
 * the build names another site (link previews, share images and language alternates would point
 * there).
 */

const OG_URL = /<meta property="og:url" content="([^"]+)"/;

/** The origin in the `og:url` of the build's English initiative page, or undefined when it has none. */
export function builtSiteOrigin(siteDir: string): string | undefined {
  const page = join(siteDir, 'en', 'index.html');
  if (!existsSync(page)) return undefined;
  const url = OG_URL.exec(readFileSync(page, 'utf8'))?.[1];
  if (!url) return undefined;
  try {
    return new URL(url.replaceAll('&amp;', '&')).origin;
  } catch {
    return undefined;
  }
}

/**
 * Why the build does not fit the deployment, or undefined when it does (or cannot be known: a
 * build without preview tags, or a trial on CloudFront's own domain, whose name is known only
 * once deployed, unless the build was made for a local address).
 */
export function siteOriginMismatch(
  built: string | undefined,
  siteDomain: string | undefined,
): string | undefined {
  if (built === undefined) return undefined;
  const hint =
    'Rebuild with `OCS_SITE_ORIGIN=https://<site domain> npm run build:web` (docs/web.md, sharing).';
  if (siteDomain !== undefined) {
    const expected = `https://${siteDomain}`;
    return built === expected
      ? undefined
      : `The site was built for ${built}, not ${expected}: link previews and share images would point there. ${hint}`;
  }
  const host = new URL(built).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]'
    ? `The site was built for ${built}: link previews and share images would point there. ${hint}`
    : undefined;
}
