import { type Callable, preferredLanguage } from '#lib/i18n.ts';
import { type ConsoleLanguage, isConsoleLanguage } from './languages.ts';

export { CONSOLE_LANGUAGES, type ConsoleLanguage, isConsoleLanguage } from './languages.ts';

/**
 * The console's languages and messages. Its texts are a message project of their own
 * (`web/console.inlang`, `web/messages/console/{lang}.json`, compiled into
 * `src/lib/paraglide-console/`), so no citizen page ever loads them. Country names and the
 * progress figures it shares with the citizen pages come from the site's messages.
 */

/** The console's own messages. */
export type ConsoleMessages = Callable<typeof import('../paraglide-console/messages/en.js')>;

const loaders = import.meta.glob<ConsoleMessages>([
  '../paraglide-console/messages/*.js',
  '!../paraglide-console/messages/_index.js',
]);

/** Loads the console messages of one language (a chunk of its own). */
export async function loadConsoleMessages(lang: ConsoleLanguage): Promise<ConsoleMessages> {
  const load = loaders[`../paraglide-console/messages/${lang}.js`];
  if (!load) throw new Error(`No console messages compiled for ${lang}`);
  return load();
}

/** The language to start in: the one chosen before in this browser, else the browser's, else English. */
export function initialConsoleLanguage(
  stored: string | null,
  preferences: readonly string[],
): ConsoleLanguage {
  if (isConsoleLanguage(stored)) return stored;
  const preferred = preferredLanguage(
    preferences.filter((tag) => isConsoleLanguage(tag.toLowerCase().split('-')[0])),
  );
  return isConsoleLanguage(preferred) ? preferred : 'en';
}
