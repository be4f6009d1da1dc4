import { error } from '@sveltejs/kit';
import { loadMessages } from '#lib/i18n.ts';
import { isLanguage } from '#lib/languages.ts';
import { shareImageSpec } from '#lib/server/share-head.ts';
import { renderShareImage, shareImagePath } from '#lib/server/share-image.ts';
import type { RequestHandler } from './$types';

/**
 * The share images (`/share/{lang}-{hash}.png`), drawn at prerender: the crawler reaches each one
 * through the `og:image` tag of its language's pages. Only the current name of each is drawn.
 */
export const prerender = true;

export const GET: RequestHandler = async ({ params, url }) => {
  const lang = params.image.split('-')[0];
  if (!isLanguage(lang)) error(404, 'No such image');
  const spec = await shareImageSpec(lang, url.origin, await loadMessages(lang));
  if (shareImagePath(spec) !== url.pathname) error(404, 'No such image');
  const png = await renderShareImage(spec);
  return new Response(png, {
    headers: { 'content-type': 'image/png', 'content-length': String(png.byteLength) },
  });
};
