import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoInitiative } from '@ocs/functions/local/demo-initiative';
import { describe, expect, it } from 'vitest';
import { escapeAttribute, type PreviewMessages, shareHead } from '../../../web/src/lib/server/share-head.ts';

/**
 * The link-preview tags the build writes into each page of a language (the demo initiative when
 * OCS_INITIATIVE_SOURCE is unset, as in this test).
 */

const ORIGIN = 'https://sign.example.eu';
const demo = demoInitiative('demo-initiative', new Date());

/** The language's messages as the compiled ones answer them. */
function messages(lang: string): PreviewMessages {
  const json = JSON.parse(
    readFileSync(join(import.meta.dirname, `../../../web/messages/${lang}.json`), 'utf8'),
  ) as Record<string, string>;
  const text = (key: string) => () => json[key] ?? '';
  return {
    site_name: text('site_name'),
    initiative_eyebrow: text('initiative_eyebrow'),
    cta_sign: text('cta_sign'),
  };
}

/** content="…" of one tag, unescaped. */
function tag(html: string, key: string): string[] {
  return [...html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)]
    .filter((match) => match[1] === key)
    .map((match) => (match[2] ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
}

describe('shareHead', () => {
  it("writes the language's title, objectives, locale, page and image", async () => {
    const html = await shareHead('fr', '/fr/receipt/', ORIGIN, messages('fr'));
    expect(tag(html, 'og:title')).toEqual([demo.content.fr?.title]);
    expect(tag(html, 'og:description')[0]?.startsWith(demo.content.fr?.objectives.slice(0, 60) ?? '-')).toBe(
      true,
    );
    expect(tag(html, 'og:locale')).toEqual(['fr_FR']);
    expect(tag(html, 'og:site_name')).toEqual(['Initiative citoyenne européenne']);
    expect(tag(html, 'og:url')).toEqual([`${ORIGIN}/fr/`]);
    expect(tag(html, 'og:image')[0]).toMatch(/^https:\/\/sign\.example\.eu\/share\/fr-[0-9a-f]{12}\.png$/);
    expect(tag(html, 'twitter:card')).toEqual(['summary_large_image']);
    expect(html).toContain(`<link rel="alternate" hreflang="de" href="${ORIGIN}/de/receipt/">`);
  });

  it('falls back to English where the organisers gave no text', async () => {
    const html = await shareHead('fi', '/fi/', ORIGIN, messages('fi'));
    expect(tag(html, 'og:title')).toEqual([demo.content.en?.title]);
    expect(tag(html, 'og:locale')).toEqual(['fi_FI']);
  });

  it('names a different image per language', async () => {
    const [de, el] = await Promise.all([
      shareHead('de', '/de/', ORIGIN, messages('de')),
      shareHead('el', '/el/', ORIGIN, messages('el')),
    ]);
    expect(tag(de, 'og:image')[0]).not.toBe(tag(el, 'og:image')[0]);
  });
});

describe('escapeAttribute', () => {
  it('keeps quotes, ampersands and angle brackets inside the attribute', () => {
    expect(escapeAttribute(`"Rivers" & <lakes> 'too'`)).toBe(`&quot;Rivers&quot; &amp; &lt;lakes&gt; 'too'`);
  });
});
