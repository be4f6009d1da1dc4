import { shareData } from '#lib/server/share-data.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Runs at prerender only (the site is static): the link-preview texts, share image and public
 * origin of the language's pages, from the build's initiative (`src/lib/server/build-settings.ts`).
 * Depends on the language alone, so navigating within a language never fetches it again.
 */
export const load: LayoutServerLoad = async ({ params, url, untrack }) => ({
  share: await shareData(
    params.lang,
    untrack(() => url.origin),
  ),
});
