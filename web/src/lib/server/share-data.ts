import { loadMessages } from '../i18n.ts';
import { contentFor } from '../initiative.ts';
import type { Language } from '../languages.ts';
import { previewText, type ShareData, shareImageAlt } from '../share-meta.ts';
import { buildInitiative } from './build-initiative.ts';
import { type ShareImageSpec, shareImagePath } from './share-image.ts';

/** The share image of one language, from the build's initiative and the language's messages. */
export async function shareImageSpec(lang: Language, origin: string): Promise<ShareImageSpec> {
  const [initiative, m] = await Promise.all([buildInitiative(), loadMessages(lang)]);
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

/** The share data of one language's pages (the `[lang]` layout's server load, at prerender). */
export async function shareData(lang: Language, origin: string): Promise<ShareData> {
  const [initiative, spec] = await Promise.all([buildInitiative(), shareImageSpec(lang, origin)]);
  const { content, lang: contentLang } = contentFor(initiative, lang);
  return {
    origin,
    text: previewText(content, contentLang),
    image: `${origin}${shareImagePath(spec)}`,
    imageAlt: shareImageAlt(spec.eyebrow, spec.title),
  };
}
