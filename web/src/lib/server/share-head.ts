import { contentFor } from '../initiative.ts';
import type { Language } from '../languages.ts';
import { languageAlternates, metaTags, previewText, shareImageAlt } from '../share-meta.ts';
import { buildInitiative } from './build-initiative.ts';
import { type ShareImageSpec, shareImagePath } from './share-image.ts';

/**
 * The link-preview tags of the prerendered pages, written into their `<head>` by
 * `src/hooks.server.ts`: plain HTML, so they cost the pages no script.
 */

/** The messages of the page's language that previews and images use (`loadMessages` in `i18n.ts`). */
export interface PreviewMessages {
  site_name(): string;
  initiative_eyebrow(): string;
  cta_sign(): string;
}

/** The share image of one language, from the build's initiative and the language's messages. */
export async function shareImageSpec(
  lang: Language,
  origin: string,
  m: PreviewMessages,
): Promise<ShareImageSpec> {
  const initiative = await buildInitiative();
  const { content, lang: titleLang } = contentFor(initiative, lang);
  return {
    lang,
    eyebrow: m.initiative_eyebrow(),
    title: content.title.trim(),
    titleLang,
    cta: m.cta_sign(),
    host: new URL(origin).host,
  };
}

/** Escapes a value for a double-quoted HTML attribute. */
export function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** The `<meta>` and `<link rel="alternate">` tags of one page, as HTML. */
export async function shareHead(
  lang: Language,
  pathname: string,
  origin: string,
  m: PreviewMessages,
): Promise<string> {
  const [initiative, spec] = await Promise.all([buildInitiative(), shareImageSpec(lang, origin, m)]);
  const { content, lang: contentLang } = contentFor(initiative, lang);
  const tags = metaTags({
    lang,
    origin,
    pathname,
    siteName: m.site_name(),
    text: previewText(content, contentLang),
    image: `${origin}${shareImagePath(spec)}`,
    imageAlt: shareImageAlt(spec.eyebrow, spec.title),
  });
  const attribute = (name: string, value: string) => `${name}="${escapeAttribute(value)}"`;
  return [
    ...tags.map((tag) =>
      'property' in tag
        ? `<meta ${attribute('property', tag.property)} ${attribute('content', tag.content)}>`
        : `<meta ${attribute('name', tag.name)} ${attribute('content', tag.content)}>`,
    ),
    ...languageAlternates(origin, pathname).map(
      (alternate) =>
        `<link rel="alternate" ${attribute('hreflang', alternate.hreflang)} ${attribute('href', alternate.href)}>`,
    ),
  ].join('\n    ');
}
