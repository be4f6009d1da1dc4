import { createHash } from 'node:crypto';
import { compile, paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { consoleParaglideOptions, legalParaglideOptions, paraglideOptions } from './i18n.config.ts';
import { LANGUAGES } from './src/lib/languages.ts';
import { parseBuildSettings } from './src/lib/server/build-settings.ts';

/**
 * OCS_SITE_ORIGIN and OCS_INITIATIVE_SOURCE (src/lib/server/build-settings.ts): read here too,
 * so a bad value stops the build at once. The origin is the prerender's `url.origin`, so the
 * pages' absolute URLs (link previews, share links) name the public site.
 */
const settings = parseBuildSettings(process.env, process.cwd());

/** The pages of each language (the sign and receipt pages are linked only from script). */
const PAGES = ['', 'sign/', 'receipt/', 'withdraw/', 'privacy/', 'accessibility/'];

/** The organiser console's pages (empty shells: the console renders in the browser). */
const CONSOLE_PAGES = [
  '/console/',
  '/console/callback/',
  '/console/initiative/',
  '/console/lifecycle/',
  '/console/exports/',
  '/console/withdrawal/',
  '/console/retention/',
  '/console/audit/',
] as const;

/**
 * SvelteKit's route announcer (the live region that announces the new page after a client-side
 * navigation) carries this inline `style` attribute. CSP allows exactly this one attribute
 * ('unsafe-hashes' + its hash), not inline styles in general. The e2e suite fails on any CSP
 * violation, so a change of the string in SvelteKit shows up at once.
 */
const ANNOUNCER_STYLE =
  'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';
const announcerHash = `sha256-${createHash('sha256').update(ANNOUNCER_STYLE).digest('base64')}` as const;

/**
 * The citizen site: prerendered by adapter-static into `build/`, served by the local server
 * (`npm start`) and by CloudFront in AWS. Every page carries SvelteKit's Content-Security-Policy
 * as a `<meta http-equiv>` tag with hashes of its own inline bootstrap script, so no inline script
 * runs without a hash and nothing loads from another origin.
 */
export default defineConfig({
  plugins: [
    paraglideVitePlugin({ ...paraglideOptions, strategy: [...paraglideOptions.strategy] }),
    {
      // The second and third message projects (the long legal texts, the console). Paraglide's
      // Vite plugin keeps one project per process, so these are compiled directly; in `vite dev`,
      // restart after editing messages/legal/*.json or messages/console/*.json.
      name: 'ocs-legal-messages',
      async buildStart() {
        await compile({ ...legalParaglideOptions, strategy: [...legalParaglideOptions.strategy] });
        await compile({ ...consoleParaglideOptions, strategy: [...consoleParaglideOptions.strategy] });
      },
    },
    sveltekit({
      adapter: adapter({ pages: 'build', assets: 'build', strict: true }),
      paths: { relative: false, origin: settings.siteOrigin },
      csp: {
        mode: 'hash',
        directives: {
          'default-src': ['none'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-hashes', announcerHash],
          'img-src': ['self', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'worker-src': ['self'],
          'manifest-src': ['self'],
          'form-action': ['self'],
          'base-uri': ['none'],
          'object-src': ['none'],
        },
      },
      prerender: {
        entries: [
          '*',
          '/404',
          '/embed/progress/',
          ...CONSOLE_PAGES,
          ...LANGUAGES.flatMap((lang) => PAGES.map((page) => `/${lang}/${page}` as const)),
        ],
        // The API does not exist while prerendering (pages preload /api/initiative): ignore it, fail on the rest.
        handleHttpError: ({ path, message }) => {
          if (path.startsWith('/api/')) return;
          throw new Error(message);
        },
        handleMissingId: 'fail',
      },
    }),
  ],
  build: {
    target: 'es2022',
    // Source maps would more than double what a reviewer downloads; the code is public anyway.
    sourcemap: false,
  },
  server: {
    // `vite dev` talks to a running `npm start` (or the e2e mock) for /api.
    proxy: { '/api': process.env.OCS_API_ORIGIN ?? 'http://localhost:8080' },
  },
  preview: {
    proxy: { '/api': process.env.OCS_API_ORIGIN ?? 'http://localhost:8080' },
  },
});
