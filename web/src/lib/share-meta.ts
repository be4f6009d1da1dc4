import { isLanguage, LANGUAGES, type Language } from './languages.ts';
import { initiativePageUrl, sharedPageUrl } from './share.ts';

/**
 * The page metadata that link previews read (Open Graph, Twitter/X card) and the language
 * alternates search engines read. Written into each page at prerender from the build-time
 * initiative (`src/hooks.server.ts`), and its texts updated in the browser from
 * `GET /api/initiative` (so an organiser's edit shows, before the next build, to crawlers that
 * run scripts).
 */

/** The share image's size in pixels (the common 1.91:1 link-preview format). */
export const SHARE_IMAGE_WIDTH = 1200;
export const SHARE_IMAGE_HEIGHT = 630;

/** Longest description, in characters: link previews cut around 200 anyway. */
export const DESCRIPTION_MAX = 200;

/** `og:locale` of each language (`language_TERRITORY`, the form Open Graph expects). */
export const OG_LOCALES: Readonly<Record<Language, string>> = {
  bg: 'bg_BG',
  cs: 'cs_CZ',
  da: 'da_DK',
  de: 'de_DE',
  el: 'el_GR',
  en: 'en_GB',
  es: 'es_ES',
  et: 'et_EE',
  fi: 'fi_FI',
  fr: 'fr_FR',
  ga: 'ga_IE',
  hr: 'hr_HR',
  hu: 'hu_HU',
  it: 'it_IT',
  lt: 'lt_LT',
  lv: 'lv_LV',
  mt: 'mt_MT',
  nl: 'nl_NL',
  pl: 'pl_PL',
  pt: 'pt_PT',
  ro: 'ro_RO',
  sk: 'sk_SK',
  sl: 'sl_SI',
  sv: 'sv_SE',
};

/**
 * A text on one line, at most `max` characters: cut at the last word boundary that fits, with an
 * ellipsis. Whitespace runs (the objectives have line breaks) become single spaces.
 */
export function shortenText(text: string, max: number = DESCRIPTION_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  const cut = space > max / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,;:.–-]+$/u, '')}…`;
}

/** The texts of a preview: the initiative's title and its objectives, shortened. */
export interface PreviewText {
  readonly title: string;
  readonly description: string;
  /** The language of title and description (English when the organisers gave none in the page's). */
  readonly contentLang: string;
}

/** Builds the preview texts from the initiative's content in one language. */
export function previewText(
  content: { readonly title: string; readonly objectives: string },
  contentLang: string,
): PreviewText {
  return { title: content.title.trim(), description: shortenText(content.objectives), contentLang };
}

/** The share image's alternative text: what the image says (the eyebrow and the title). */
export function shareImageAlt(eyebrow: string, title: string): string {
  return `${eyebrow}: ${title}`;
}

/**
 * The URL a preview of this page points to. The receipt page points to the initiative page: it
 * has nothing to show anyone else, and its fragment (the receipt) must never travel.
 */
export function previewUrl(origin: string, pathname: string, lang: string): string {
  const segments = pathname.split('/').filter(Boolean);
  if (segments.length === 0 || segments[1] === 'receipt') return initiativePageUrl(origin, lang);
  return sharedPageUrl(`${origin}${pathname}`);
}

/** `<link rel="alternate" hreflang>`: the same page in each language, and `x-default` (the chooser). */
export function languageAlternates(
  origin: string,
  pathname: string,
): { readonly hreflang: string; readonly href: string }[] {
  const segments = pathname.split('/');
  const rest = isLanguage(segments[1]) ? segments.slice(2).join('/') : '';
  return [
    ...LANGUAGES.map((lang) => ({ hreflang: lang, href: `${origin}/${lang}/${rest}` })),
    { hreflang: 'x-default', href: `${origin}/` },
  ];
}

export interface MetaInput {
  readonly lang: Language;
  readonly origin: string;
  readonly pathname: string;
  readonly siteName: string;
  readonly text: PreviewText;
  /** Absolute URL of the share image (built with the site). */
  readonly image: string;
  readonly imageAlt: string;
}

/** One `<meta>`: `property` for Open Graph, `name` for the rest. */
export type MetaTag =
  | { readonly property: string; readonly content: string }
  | { readonly name: string; readonly content: string };

/** The `<meta>` tags of a page, in order. */
export function metaTags(input: MetaInput): MetaTag[] {
  const { lang, text } = input;
  return [
    { name: 'description', content: text.description },
    { property: 'og:type', content: 'website' },
    { property: 'og:site_name', content: input.siteName },
    { property: 'og:title', content: text.title },
    { property: 'og:description', content: text.description },
    { property: 'og:url', content: previewUrl(input.origin, input.pathname, lang) },
    { property: 'og:locale', content: OG_LOCALES[lang] },
    ...LANGUAGES.filter((other) => other !== lang).map((other) => ({
      property: 'og:locale:alternate',
      content: OG_LOCALES[other],
    })),
    { property: 'og:image', content: input.image },
    { property: 'og:image:type', content: 'image/png' },
    { property: 'og:image:width', content: String(SHARE_IMAGE_WIDTH) },
    { property: 'og:image:height', content: String(SHARE_IMAGE_HEIGHT) },
    { property: 'og:image:alt', content: input.imageAlt },
    { name: 'twitter:card', content: 'summary_large_image' },
  ];
}

/**
 * Brings the prerendered preview texts up to date with the API's initiative (the image stays the
 * one drawn at build time). Only existing tags are touched.
 */
export function updatePreviewTags(doc: Document, text: PreviewText, imageAlt: string): void {
  const set = (selector: string, value: string) => {
    doc.head.querySelector(selector)?.setAttribute('content', value);
  };
  set('meta[name="description"]', text.description);
  set('meta[property="og:title"]', text.title);
  set('meta[property="og:description"]', text.description);
  set('meta[property="og:image:alt"]', imageAlt);
}
