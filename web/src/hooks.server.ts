import type { Handle } from '@sveltejs/kit/hooks';
import { isLanguage, languageFromPath, loadMessages } from '#lib/i18n.ts';
import { shareHead } from '#lib/server/share-head.ts';

/**
 * Runs while pages are prerendered (there is no server at run time): writes the page's
 * language into `<html lang>`, so the static HTML is right before any script runs, and, on the
 * pages of a language, the link-preview tags (Open Graph, Twitter/X card, language alternates)
 * of the build's initiative and public origin (`src/lib/server/build-settings.ts`).
 */
export const handle: Handle = async ({ event, resolve }) => {
  const { pathname, origin } = event.url;
  const first = pathname.split('/')[1];
  const head = isLanguage(first) ? await shareHead(first, pathname, origin, await loadMessages(first)) : '';
  return resolve(event, {
    transformPageChunk: ({ html }) =>
      html
        .replace('<html lang="en">', `<html lang="${languageFromPath(pathname)}">`)
        .replace('</head>', head ? `  ${head}\n  </head>` : '</head>'),
  });
};
