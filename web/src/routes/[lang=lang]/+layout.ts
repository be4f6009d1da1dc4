import { loadMessages } from '#lib/i18n.ts';
import type { LayoutLoad } from './$types';

/** Every page under `/{lang}/` gets the compiled messages of its language (one chunk each). */
export const load: LayoutLoad = async ({ params }) => ({
  lang: params.lang,
  m: await loadMessages(params.lang),
});
