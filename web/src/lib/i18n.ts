import { isLanguage, LANGUAGES, type Language } from './languages.ts';

export { isLanguage, LANGUAGES, type Language };

/**
 * The site's languages and how a page gets its messages.
 *
 * Messages are written in `web/messages/{lang}.json` (inlang message format) and compiled by
 * Paraglide JS into one ES module per language (`src/lib/paraglide/messages/{lang}.js`, generated,
 * not committed). A page imports only the module of its own language, so it never downloads the
 * other 23.
 */

export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's name in itself, for the language switcher (never translated). */
export const ENDONYMS: Readonly<Record<Language, string>> = {
  bg: 'български',
  cs: 'čeština',
  da: 'dansk',
  de: 'Deutsch',
  el: 'ελληνικά',
  en: 'English',
  es: 'español',
  et: 'eesti',
  fi: 'suomi',
  fr: 'français',
  ga: 'Gaeilge',
  hr: 'hrvatski',
  hu: 'magyar',
  it: 'italiano',
  lt: 'lietuvių',
  lv: 'latviešu',
  mt: 'Malti',
  nl: 'Nederlands',
  pl: 'polski',
  pt: 'português',
  ro: 'română',
  sk: 'slovenčina',
  sl: 'slovenščina',
  sv: 'svenska',
};

type CompiledMessages = typeof import('./paraglide/messages/en.js');

/**
 * The compiled messages of one language: typed functions, one per message key. Messages without
 * parameters may be called without arguments (the compiled functions ignore them).
 */
export type Messages = {
  readonly [K in keyof CompiledMessages]: CompiledMessages[K] extends (inputs: infer I) => infer R
    ? Record<string, never> extends I
      ? (inputs?: I) => R
      : (inputs: I) => R
    : never;
};

const loaders = import.meta.glob<Messages>(['./paraglide/messages/*.js', '!./paraglide/messages/_index.js']);

/** Loads the messages of one language (a separate chunk per language). */
export async function loadMessages(lang: Language): Promise<Messages> {
  const load = loaders[`./paraglide/messages/${lang}.js`];
  if (!load) throw new Error(`No messages compiled for ${lang}`);
  return load();
}

/** The language a path is in: its first segment when that is a language, else English. */
export function languageFromPath(pathname: string): Language {
  const first = pathname.split('/')[1];
  return isLanguage(first) ? first : DEFAULT_LANGUAGE;
}

/**
 * The first of the browser's preferred languages that the site speaks (`de-AT` counts as `de`;
 * Norwegian Bokmål never falls through to Danish: only exact primary subtags match).
 */
export function preferredLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** The same page in another language: swaps the first path segment. */
export function pathInLanguage(pathname: string, lang: Language): string {
  const segments = pathname.split('/');
  if (isLanguage(segments[1])) segments[1] = lang;
  else return `/${lang}/`;
  return segments.join('/');
}
