import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  initiativePageUrl,
  type ShareNetwork,
  sharedPageUrl,
  shareLinks,
  webShareData,
} from '../../../web/src/lib/share.ts';

/**
 * The share links of the citizen pages: each network's documented share address with the
 * initiative page and the text, correctly encoded, nothing else (no tracking parameter), and
 * never the receipt that the receipt page holds in its fragment.
 */

const RECEIPT = '0b9f2c1e-6a4d-4c7b-9e2f-3a5d7c9e1b20';
const PAGE = 'https://sign.example.eu/de/';
const content = {
  url: PAGE,
  title: 'Saubere Flüsse für Europa',
  text: 'Unterstützen Sie die Europäische Bürgerinitiative „Saubere Flüsse für Europa“:',
};

/** Where each link goes, and which query parameters it carries (all of them). */
const EXPECTED: Record<ShareNetwork, { origin: string; path: string; params: string[] }> = {
  email: { origin: 'null', path: '', params: ['subject', 'body'] },
  mastodon: { origin: 'https://mastodon.social', path: '/share', params: ['text'] },
  bluesky: { origin: 'https://bsky.app', path: '/intent/compose', params: ['text'] },
  x: { origin: 'https://twitter.com', path: '/intent/tweet', params: ['text', 'url'] },
  facebook: { origin: 'https://www.facebook.com', path: '/sharer/sharer.php', params: ['u'] },
  linkedin: { origin: 'https://www.linkedin.com', path: '/sharing/share-offsite/', params: ['url'] },
  whatsapp: { origin: 'https://wa.me', path: '/', params: ['text'] },
  telegram: { origin: 'https://t.me', path: '/share/url', params: ['url', 'text'] },
};

function byId(links: ReturnType<typeof shareLinks>, id: ShareNetwork) {
  const link = links.find((l) => l.id === id);
  if (!link) throw new Error(`no ${id} link`);
  return link;
}

/** The decoded query parameters of a link (a mailto: URL's too). */
function params(href: string): Record<string, string> {
  const query = href.slice(href.indexOf('?') + 1);
  return Object.fromEntries(
    query.split('&').map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [key, decodeURIComponent(value)];
    }),
  );
}

describe('shareLinks', () => {
  const links = shareLinks(content, 'E-Mail');

  it('offers e-mail first, then seven networks, each once', () => {
    expect(links.map((l) => l.id)).toEqual([
      'email',
      'mastodon',
      'bluesky',
      'x',
      'facebook',
      'linkedin',
      'whatsapp',
      'telegram',
    ]);
    expect(byId(links, 'email').name).toBe('E-Mail');
  });

  it.each(Object.entries(EXPECTED))('%s goes to its share page with exactly its parameters', (id, where) => {
    const href = byId(links, id as ShareNetwork).href;
    if (id === 'email') {
      expect(href.startsWith('mailto:?')).toBe(true);
    } else {
      const url = new URL(href);
      expect(url.protocol).toBe('https:');
      expect(url.origin).toBe(where.origin);
      expect(url.pathname).toBe(where.path);
      expect(url.hash).toBe('');
    }
    expect(Object.keys(params(href)).sort()).toEqual([...where.params].sort());
  });

  it('puts the page and the text where each network reads them', () => {
    const withUrl = `${content.text} ${PAGE}`;
    expect(params(byId(links, 'email').href)).toEqual({
      subject: content.title,
      body: `${content.text}\n\n${PAGE}`,
    });
    expect(params(byId(links, 'mastodon').href)).toEqual({ text: withUrl });
    expect(params(byId(links, 'bluesky').href)).toEqual({ text: withUrl });
    expect(params(byId(links, 'x').href)).toEqual({ text: content.text, url: PAGE });
    expect(params(byId(links, 'facebook').href)).toEqual({ u: PAGE });
    expect(params(byId(links, 'linkedin').href)).toEqual({ url: PAGE });
    expect(params(byId(links, 'whatsapp').href)).toEqual({ text: withUrl });
    expect(params(byId(links, 'telegram').href)).toEqual({ url: PAGE, text: content.text });
  });

  it('encodes the e-mail link as RFC 6068 asks: %20 for a space, never +', () => {
    const href = byId(links, 'email').href;
    expect(href).not.toContain('+');
    expect(href).not.toContain(' ');
    expect(href).toContain('Saubere%20Fl%C3%BCsse');
  });

  it('keeps any title and text intact through the encoding (&, #, ?, =, +, quotes, newlines, any script)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ maxLength: 200 }),
        (title, text) => {
          const result = shareLinks({ url: PAGE, title, text }, 'E-mail');
          for (const link of result) {
            expect(link.href).not.toMatch(/[\s"<>]/);
            const decoded = params(link.href);
            if (link.id === 'email') expect(decoded.subject).toBe(title);
            if (link.id === 'x' || link.id === 'telegram') {
              expect(decoded.text).toBe(text.trim());
              expect(decoded.url).toBe(PAGE);
            }
            if (link.id === 'whatsapp') expect(decoded.text).toBe(`${text.trim()} ${PAGE}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never shares the receipt: a fragment or query string of the page is dropped', () => {
    for (const url of [
      `https://sign.example.eu/en/receipt/#${RECEIPT}`,
      `https://sign.example.eu/en/?receipt=${RECEIPT}`,
      `https://user:${RECEIPT}@sign.example.eu/en/`,
    ]) {
      for (const link of shareLinks({ url, title: 'T', text: 'Support it:' }, 'E-mail')) {
        expect(link.href).not.toContain(RECEIPT);
        expect(decodeURIComponent(link.href)).not.toContain(RECEIPT);
      }
      expect(JSON.stringify(webShareData({ url, title: 'T', text: 'x' }))).not.toContain(RECEIPT);
    }
  });

  it('shares only http(s) pages', () => {
    expect(() => shareLinks({ url: 'javascript:alert(1)', title: 'T', text: 'x' }, 'E-mail')).toThrow(/http/);
    expect(() => shareLinks({ url: 'not a url', title: 'T', text: 'x' }, 'E-mail')).toThrow();
  });
});

describe('initiativePageUrl and sharedPageUrl', () => {
  it('is the initiative page of the language on the public origin', () => {
    expect(initiativePageUrl('https://sign.example.eu', 'el')).toBe('https://sign.example.eu/el/');
    expect(initiativePageUrl('http://localhost:8214', 'en')).toBe('http://localhost:8214/en/');
  });

  it('drops query, fragment and credentials', () => {
    expect(sharedPageUrl(`https://a:b@sign.example.eu/en/receipt/?x=1#${RECEIPT}`)).toBe(
      'https://sign.example.eu/en/receipt/',
    );
  });
});

describe('webShareData', () => {
  it('gives navigator.share the title, the text and the page', () => {
    expect(webShareData({ ...content, text: ` ${content.text}\n` })).toEqual({
      title: content.title,
      text: content.text,
      url: PAGE,
    });
  });
});
