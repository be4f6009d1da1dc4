/**
 * Compiles `messages/*.json` and `messages/legal/*.json` with Paraglide JS into
 * `src/lib/paraglide/` and `src/lib/paraglide-legal/`, with the same options as the Vite build,
 * for tools that do not run Vite (svelte-check).
 */
import { compile } from '@inlang/paraglide-js';
import { legalParaglideOptions, paraglideOptions } from '../i18n.config.ts';

for (const options of [paraglideOptions, legalParaglideOptions]) {
  await compile({ ...options, strategy: [...options.strategy] });
}
