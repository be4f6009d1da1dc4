import { loadLegalMessages } from '#lib/i18n.ts';
import type { PageLoad } from './$types';

/** This page's long texts, in their own chunk (see i18n.config.ts). */
export const load: PageLoad = async ({ params }) => ({ legal: await loadLegalMessages(params.lang) });
