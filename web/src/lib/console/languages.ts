import type { Language } from '../languages.ts';

/** The languages the console speaks (a subset of the site's 24; `web/console.inlang` lists the same). */
export const CONSOLE_LANGUAGES = ['de', 'en', 'fr'] as const satisfies readonly Language[];
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

export function isConsoleLanguage(value: unknown): value is ConsoleLanguage {
  return typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}
