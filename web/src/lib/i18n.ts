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

/**
 * Typed message functions of a compiled module. Messages without parameters may be called
 * without arguments (the compiled functions ignore them).
 */
export type Callable<T> = {
  readonly [K in keyof T]: T[K] extends (inputs: infer I) => infer R
    ? Record<string, never> extends I
      ? (inputs?: I) => R
      : (inputs: I) => R
    : never;
};

/** The messages every page needs (`messages/{lang}.json`), loaded by the `[lang]` layout. */
export type Messages = Callable<typeof import('./paraglide/messages/en.js')>;

/** The long texts of the receipt, privacy and accessibility pages (`messages/legal/{lang}.json`). */
export type LegalMessages = Callable<typeof import('./paraglide-legal/messages/en.js')>;

const loaders = import.meta.glob<Messages>(['./paraglide/messages/*.js', '!./paraglide/messages/_index.js']);
const legalLoaders = import.meta.glob<LegalMessages>([
  './paraglide-legal/messages/*.js',
  '!./paraglide-legal/messages/_index.js',
]);

/** Loads the messages of one language (a separate chunk per language). */
export async function loadMessages(lang: Language): Promise<Messages> {
  const load = loaders[`./paraglide/messages/${lang}.js`];
  if (!load) throw new Error(`No messages compiled for ${lang}`);
  return load();
}

/** Loads the legal texts of one language (a separate chunk per language). */
export async function loadLegalMessages(lang: Language): Promise<LegalMessages> {
  const load = legalLoaders[`./paraglide-legal/messages/${lang}.js`];
  if (!load) throw new Error(`No legal messages compiled for ${lang}`);
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
