import { defineParams } from '@sveltejs/kit/params';
import { isLanguage } from './lib/languages.ts';

/** Route parameter matchers: `[lang=lang]` accepts the 24 official EU languages only. */
export const params = defineParams({
  lang: (param) => (isLanguage(param) ? param : undefined),
});
