import type { EuLanguage } from '@ocs/shared/initiative';

/**
 * The site's languages: the 24 official EU languages (`EU_LANGUAGES` of `@ocs/shared`).
 * Repeated here without runtime imports because SvelteKit loads the route matcher
 * (`src/params.ts`) with Node's own loader at build time, which cannot follow the shared
 * package's extensionless imports; `test/unit/web/i18n.test.ts` checks that both lists are equal.
 */
export const LANGUAGES = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fi',
  'fr',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nl',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'sv',
] as const satisfies readonly EuLanguage[];

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
