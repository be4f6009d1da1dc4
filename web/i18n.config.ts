/**
 * Paraglide JS compiler options, shared by the Vite plugin (dev and build) and by
 * `scripts/compile-i18n.ts` (run before svelte-check and the unit tests).
 *
 * `locale-modules` emits one module per locale (`messages/de.js`, ...). The site imports the
 * module of the page's language only (see `src/lib/i18n.ts`), so a page never ships the other
 * 23 languages: with 24 languages, per-message modules would carry every translation of every
 * message a page uses.
 */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  outputStructure: 'locale-modules',
  strategy: ['baseLocale'],
  emitGitIgnore: true,
  emitPrettierIgnore: false,
  emitReadme: false,
  includeEslintDisableComment: false,
} as const;
