/**
 * Loads the ALTCHA widget (`altcha/external`: no inline workers and no injected styles, so it runs
 * under the site's Content-Security-Policy) with its stylesheet, its proof-of-work workers as
 * same-origin files, and the strings of the page's language. The sign page imports this module
 * dynamically once the citizen has chosen a nationality, so it is not part of the first load.
 */
import 'altcha/external';
import 'altcha/altcha.css';
import Pbkdf2Worker from 'altcha/workers/pbkdf2?worker';
import ShaWorker from 'altcha/workers/sha?worker';
import type { Language } from '../languages.ts';

for (const algorithm of ['PBKDF2/SHA-256', 'PBKDF2/SHA-384', 'PBKDF2/SHA-512']) {
  globalThis.$altcha.algorithms.set(algorithm, () => new Pbkdf2Worker());
}
for (const algorithm of ['SHA-256', 'SHA-384', 'SHA-512']) {
  globalThis.$altcha.algorithms.set(algorithm, () => new ShaWorker());
}
// Memory-hard algorithms: their larger workers are fetched only if the server asks for them.
globalThis.$altcha.algorithms.set('ARGON2ID', () =>
  import('altcha/workers/argon2id?worker').then((worker) => new worker.default()),
);
globalThis.$altcha.algorithms.set('SCRYPT', () =>
  import('altcha/workers/scrypt?worker').then((worker) => new worker.default()),
);

/** The widget's strings per language (ALTCHA names regional variants for es, fr and pt). */
const STRINGS: Readonly<Record<Language, readonly [string, () => Promise<unknown>]>> = {
  bg: ['bg', () => import('altcha/i18n/bg')],
  cs: ['cs', () => import('altcha/i18n/cs')],
  da: ['da', () => import('altcha/i18n/da')],
  de: ['de', () => import('altcha/i18n/de')],
  el: ['el', () => import('altcha/i18n/el')],
  en: ['en', () => Promise.resolve()],
  es: ['es-es', () => import('altcha/i18n/es-es')],
  et: ['et', () => import('altcha/i18n/et')],
  fi: ['fi', () => import('altcha/i18n/fi')],
  fr: ['fr-fr', () => import('altcha/i18n/fr-fr')],
  ga: ['ga', () => import('altcha/i18n/ga')],
  hr: ['hr', () => import('altcha/i18n/hr')],
  hu: ['hu', () => import('altcha/i18n/hu')],
  it: ['it', () => import('altcha/i18n/it')],
  lt: ['lt', () => import('altcha/i18n/lt')],
  lv: ['lv', () => import('altcha/i18n/lv')],
  mt: ['mt', () => import('altcha/i18n/mt')],
  nl: ['nl', () => import('altcha/i18n/nl')],
  pl: ['pl', () => import('altcha/i18n/pl')],
  pt: ['pt-pt', () => import('altcha/i18n/pt-pt')],
  ro: ['ro', () => import('altcha/i18n/ro')],
  sk: ['sk', () => import('altcha/i18n/sk')],
  sl: ['sl', () => import('altcha/i18n/sl')],
  sv: ['sv', () => import('altcha/i18n/sv')],
};

/** Registers the widget's strings for `lang`; returns the language code to give the widget. */
export async function widgetLanguage(lang: Language): Promise<string> {
  const [code, load] = STRINGS[lang];
  try {
    await load();
    return code;
  } catch {
    return 'en';
  }
}
