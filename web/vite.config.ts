import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglideOptions } from './i18n.config.ts';
import { LANGUAGES } from './src/lib/languages.ts';

/** The pages of each language (the sign and receipt pages are linked only from script). */
const PAGES = ['', 'sign/', 'receipt/', 'privacy/', 'accessibility/'];

/**
 * The citizen site: prerendered by adapter-static into `build/`, served by the local server
 * (`npm start`) and by CloudFront in AWS. Every page carries SvelteKit's Content-Security-Policy
 * as a `<meta http-equiv>` tag with hashes of its own inline bootstrap script, so no inline script
 * runs without a hash and nothing loads from another origin.
 */
export default defineConfig({
  plugins: [
    paraglideVitePlugin({ ...paraglideOptions, strategy: [...paraglideOptions.strategy] }),
    sveltekit({
      adapter: adapter({ pages: 'build', assets: 'build', strict: true }),
      paths: { relative: false },
      csp: {
        mode: 'hash',
        directives: {
          'default-src': ['none'],
          'script-src': ['self'],
          'style-src': ['self'],
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
          ...LANGUAGES.flatMap((lang) => PAGES.map((page) => `/${lang}/${page}` as const)),
        ],
        handleHttpError: 'fail',
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
