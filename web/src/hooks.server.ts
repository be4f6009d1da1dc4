import type { Handle } from '@sveltejs/kit/hooks';
import { isLanguage, languageFromPath, loadMessages } from '#lib/i18n.ts';
import { shareHead } from '#lib/server/share-head.ts';

/**
 * The organiser console's token request goes to the identity provider's own origin in AWS (the
 * Cognito sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`, known only at deploy
 * time). The console's pages therefore allow that family of origins in `connect-src`; CloudFront's
 * header policy, enforced together with this one, narrows it to the deployment's own domain.
 * Locally the provider is on the site's origin. Citizen pages keep `connect-src 'self'`.
 */
export const CONSOLE_CONNECT_SOURCES = "connect-src 'self' https://*.amazoncognito.com";

/**
 * Runs while pages are prerendered (there is no server at run time): writes the page's
 * language into `<html lang>`, so the static HTML is right before any script runs; on the pages
 * of a language, the link-preview tags (Open Graph, Twitter/X card, language alternates) of the
 * build's initiative and public origin (`src/lib/server/build-settings.ts`); and widens
 * `connect-src` on the console's pages only (see above).
 */
export const handle: Handle = async ({ event, resolve }) => {
  const { pathname, origin } = event.url;
  const first = pathname.split('/')[1];
  const head = isLanguage(first) ? await shareHead(first, pathname, origin, await loadMessages(first)) : '';
  const isConsole = pathname.startsWith('/console/');
  return resolve(event, {
    transformPageChunk: ({ html }) => {
      const page = html.replace('<html lang="en">', `<html lang="${languageFromPath(pathname)}">`).replace(
        '</head>',
        head
          ? `  ${head}
  </head>`
          : '</head>',
      );
      return isConsole ? page.replace("connect-src 'self'", CONSOLE_CONNECT_SOURCES) : page;
    },
  });
};
