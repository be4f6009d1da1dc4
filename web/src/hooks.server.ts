import type { Handle } from '@sveltejs/kit/hooks';
import { languageFromPath } from '#lib/i18n.ts';

/**
 * Runs while pages are prerendered (there is no server at run time): writes the page's
 * language into `<html lang>`, so the static HTML is right before any script runs.
 */
export const handle: Handle = ({ event, resolve }) =>
  resolve(event, {
    transformPageChunk: ({ html }) =>
      html.replace('<html lang="en">', `<html lang="${languageFromPath(event.url.pathname)}">`),
  });
