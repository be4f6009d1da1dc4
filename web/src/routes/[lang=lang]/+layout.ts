import { loadMessages } from '#lib/i18n.ts';
import type { LayoutLoad } from './$types';

/**
 * Every page under `/{lang}/` gets the compiled messages of its language (one chunk each), and
 * the share data the layout's server load computed at prerender.
 */
export const load: LayoutLoad = async ({ params, data }) => ({
  ...data,
  lang: params.lang,
  m: await loadMessages(params.lang),
});
