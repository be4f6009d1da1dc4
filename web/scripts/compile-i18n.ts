/**
 * Compiles `messages/*.json`, `messages/legal/*.json` and `messages/console/*.json` with Paraglide
 * JS into `src/lib/paraglide/`, `src/lib/paraglide-legal/` and `src/lib/paraglide-console/`, with the same options as the Vite build,
 * for tools that do not run Vite (svelte-check).
 */
import { compile } from '@inlang/paraglide-js';
import { consoleParaglideOptions, legalParaglideOptions, paraglideOptions } from '../i18n.config.ts';

for (const options of [paraglideOptions, legalParaglideOptions, consoleParaglideOptions]) {
  await compile({ ...options, strategy: [...options.strategy] });
}
