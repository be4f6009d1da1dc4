/**
 * Compiles `messages/*.json` with Paraglide JS into `src/lib/paraglide/` with the same options as
 * the Vite plugin, for tools that do not run Vite (svelte-check, the unit tests).
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.ts';

await compile({ ...paraglideOptions, strategy: [...paraglideOptions.strategy] });
