/**
 * Paraglide JS compiler options, shared by the Vite plugins (dev and build) and by
 * `scripts/compile-i18n.ts` (run before svelte-check).
 *
 * `locale-modules` emits one module per locale (`messages/de.js`, ...). The site imports the
 * module of the page's language only (see `src/lib/i18n.ts`), so a page never ships the other
 * 23 languages: with 24 languages, per-message modules would carry every translation of every
 * message a page uses.
 *
 * Two projects: `project.inlang` (`messages/{lang}.json`: what every page needs, loaded with the
 * layout) and `legal.inlang` (`messages/legal/{lang}.json`: the long texts of the receipt,
 * privacy and accessibility pages, loaded by those pages only), so the long texts never weigh on
 * the sign page's first load.
 *
 * A third, `console.inlang` (`messages/console/{lang}.json`), holds the organiser console's texts
 * in the languages the console speaks; no citizen page loads them.
 */
const common = {
  outputStructure: 'locale-modules',
  strategy: ['baseLocale'],
  emitGitIgnore: true,
  emitPrettierIgnore: false,
  emitReadme: false,
  includeEslintDisableComment: false,
} as const;

export const paraglideOptions = {
  ...common,
  project: './project.inlang',
  outdir: './src/lib/paraglide',
} as const;

export const legalParaglideOptions = {
  ...common,
  project: './legal.inlang',
  outdir: './src/lib/paraglide-legal',
} as const;

export const consoleParaglideOptions = {
  ...common,
  project: './console.inlang',
  outdir: './src/lib/paraglide-console',
} as const;
