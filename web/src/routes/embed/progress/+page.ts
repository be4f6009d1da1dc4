import { DEFAULT_LANGUAGE, loadMessages } from '#lib/i18n.ts';
import type { PageLoad } from './$types';

/** Prerendered in English; the page switches to `?lang=xx` in the browser (see +page.svelte). */
export const load: PageLoad = async () => ({ m: await loadMessages(DEFAULT_LANGUAGE) });
