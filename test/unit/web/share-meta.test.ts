import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../web/src/lib/languages.ts';
import {
  DESCRIPTION_MAX,
  languageAlternates,
  type MetaTag,
  metaTags,
  OG_LOCALES,
  previewText,
  previewUrl,
  shareImageAlt,
  shortenText,
  updatePreviewTags,
} from '../../../web/src/lib/share-meta.ts';

/** Link-preview metadata: Open Graph and Twitter/X card tags, and the language alternates. */

const ORIGIN = 'https://sign.example.eu';
const RECEIPT = '0b9f2c1e-6a4d-4c7b-9e2f-3a5d7c9e1b20';

function content(tags: MetaTag[], key: string): string[] {
  return tags
    .filter((tag) => ('property' in tag ? tag.property : tag.name) === key)
    .map((tag) => tag.content);
}

describe('shortenText', () => {
  it('keeps a short text, on one line', () => {
    expect(shortenText('Clean rivers.\n\nFor everyone.')).toBe('Clean rivers. For everyone.');
  });

  it('cuts a long text at a word boundary, with an ellipsis, within the limit', () => {
    const text = 'word '.repeat(100);
    const short = shortenText(text, 50);
    expect(Array.from(short).length).toBeLessThanOrEqual(50);
    expect(short.endsWith('word…')).toBe(true);
  });

  it('drops punctuation before the ellipsis', () => {
    expect(shortenText('Alpha beta, gamma delta epsilon', 14)).toBe('Alpha beta…');
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const greek = 'Ευρωπαϊκή πρωτοβουλία πολιτών 🌍 '.repeat(20);
    const short = shortenText(greek);
    expect(Array.from(short).length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('cuts inside a word only when no space is near', () => {
    expect(shortenText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('previewUrl', () => {
  it('is the page itself, without query or fragment', () => {
    expect(previewUrl(ORIGIN, '/de/privacy/', 'de')).toBe(`${ORIGIN}/de/privacy/`);
    expect(previewUrl(ORIGIN, '/de/', 'de')).toBe(`${ORIGIN}/de/`);
  });

  it('is the initiative page for the receipt page (which has nothing to show others)', () => {
    expect(previewUrl(ORIGIN, '/el/receipt/', 'el')).toBe(`${ORIGIN}/el/`);
  });
});

describe('languageAlternates', () => {
  it('names the same page in all 24 languages and the language chooser as x-default', () => {
    const alternates = languageAlternates(ORIGIN, '/fr/sign/');
    expect(alternates).toHaveLength(25);
    expect(alternates.map((a) => a.hreflang)).toEqual([...LANGUAGES, 'x-default']);
    expect(alternates.find((a) => a.hreflang === 'ga')?.href).toBe(`${ORIGIN}/ga/sign/`);
    expect(alternates.at(-1)?.href).toBe(`${ORIGIN}/`);
  });
});

describe('OG_LOCALES', () => {
  it('has one language_TERRITORY locale per site language, whose language is that language', () => {
    expect(Object.keys(OG_LOCALES).sort()).toEqual([...LANGUAGES].sort());
    for (const lang of LANGUAGES) expect(OG_LOCALES[lang]).toMatch(new RegExp(`^${lang}_[A-Z]{2}$`));
  });
});

describe('metaTags', () => {
  const text = previewText(
    { title: ' Saubere Flüsse für Europa ', objectives: 'Wir fordern die Kommission auf. '.repeat(20) },
    'de',
  );
  const tags = metaTags({
    lang: 'de',
    origin: ORIGIN,
    pathname: '/de/receipt/',
    siteName: 'Europäische Bürgerinitiative',
    text,
    image: `${ORIGIN}/share/de-0123456789ab.png`,
    imageAlt: shareImageAlt('Europäische Bürgerinitiative', text.title),
  });

  it('carries title, shortened objectives, page, language and image', () => {
    expect(content(tags, 'og:title')).toEqual(['Saubere Flüsse für Europa']);
    expect(content(tags, 'og:description')).toEqual([text.description]);
    expect(content(tags, 'description')).toEqual([text.description]);
    expect(Array.from(text.description).length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(content(tags, 'og:type')).toEqual(['website']);
    expect(content(tags, 'og:site_name')).toEqual(['Europäische Bürgerinitiative']);
    expect(content(tags, 'og:url')).toEqual([`${ORIGIN}/de/`]);
    expect(content(tags, 'og:locale')).toEqual(['de_DE']);
    expect(content(tags, 'og:locale:alternate')).toHaveLength(23);
    expect(content(tags, 'og:locale:alternate')).not.toContain('de_DE');
    expect(content(tags, 'og:image')).toEqual([`${ORIGIN}/share/de-0123456789ab.png`]);
    expect(content(tags, 'og:image:type')).toEqual(['image/png']);
    expect(content(tags, 'og:image:width')).toEqual(['1200']);
    expect(content(tags, 'og:image:height')).toEqual(['630']);
    expect(content(tags, 'og:image:alt')).toEqual([
      'Europäische Bürgerinitiative: Saubere Flüsse für Europa',
    ]);
    expect(content(tags, 'twitter:card')).toEqual(['summary_large_image']);
  });

  it('never carries a receipt, whatever the page', () => {
    const fromReceipt = metaTags({
      lang: 'en',
      origin: ORIGIN,
      pathname: '/en/receipt/',
      siteName: 'ECI',
      text,
      image: `${ORIGIN}/share/en-0123456789ab.png`,
      imageAlt: 'alt',
    });
    expect(JSON.stringify(fromReceipt)).not.toContain('receipt');
    expect(JSON.stringify(fromReceipt)).not.toContain(RECEIPT);
  });
});

describe('updatePreviewTags', () => {
  it('sets the texts of the prerendered tags that exist, and nothing else', () => {
    const tags = new Map<string, string>([
      ['meta[name="description"]', 'old'],
      ['meta[property="og:title"]', 'old'],
      ['meta[property="og:description"]', 'old'],
    ]);
    const doc = {
      head: {
        querySelector: (selector: string) =>
          tags.has(selector)
            ? { setAttribute: (_: string, value: string) => tags.set(selector, value) }
            : null,
      },
    } as unknown as Document;
    updatePreviewTags(doc, previewText({ title: 'New', objectives: 'New objectives.' }, 'en'), 'ECI: New');
    expect(Object.fromEntries(tags)).toEqual({
      'meta[name="description"]': 'New objectives.',
      'meta[property="og:title"]': 'New',
      'meta[property="og:description"]': 'New objectives.',
    });
  });
});
