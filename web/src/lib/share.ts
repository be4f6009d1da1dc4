/**
 * Share links of the citizen pages: plain links to the networks' own share pages (nothing loads
 * from them unless the citizen follows one), and the data for the Web Share API.
 *
 * What is shared is always the initiative page of one language, never the page the citizen is on:
 * the receipt page carries the signature's identifier in its fragment, and no query string or
 * fragment of any URL ever reaches a share link (`sharedPageUrl` drops both).
 */

/** One share link: `id` is stable (tests, styling), `name` is what the link says. */
export interface ShareLink {
  readonly id: ShareNetwork;
  readonly name: string;
  readonly href: string;
}

export type ShareNetwork =
  | 'email'
  | 'mastodon'
  | 'bluesky'
  | 'x'
  | 'facebook'
  | 'linkedin'
  | 'whatsapp'
  | 'telegram';

/** What a citizen shares: the page, its title (e-mail subject, Web Share title) and a sentence. */
export interface ShareContent {
  /** An absolute http(s) URL; its query and fragment are dropped. */
  readonly url: string;
  readonly title: string;
  readonly text: string;
}

/** The data `navigator.share()` receives. */
export interface WebShareData {
  readonly title: string;
  readonly text: string;
  readonly url: string;
}

/** The initiative page of one language on the site's public origin (`https://site/de/`). */
export function initiativePageUrl(origin: string, lang: string): string {
  return sharedPageUrl(`${origin}/${lang}/`);
}

/**
 * The URL as it may be shared: absolute http(s), without query string or fragment (a fragment
 * may hold a receipt identifier; a query string may hold anything). Throws on anything else.
 */
export function sharedPageUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Only http(s) pages are shared, not ${parsed.protocol}`);
  }
  parsed.search = '';
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

const enc = encodeURIComponent;

/**
 * The share links, in the order shown: e-mail first (it needs no account anywhere), then the
 * networks. Each network gets the URL and text in the parameters its share page documents, with
 * no tracking parameter. `emailName` is the translated name of the e-mail link.
 */
export function shareLinks(content: ShareContent, emailName: string): ShareLink[] {
  const url = sharedPageUrl(content.url);
  const text = content.text.trim();
  const textAndUrl = `${text} ${url}`;
  return [
    {
      id: 'email',
      name: emailName,
      // RFC 6068: percent-encoded (a space is %20, never +); the body ends with the link on its own line.
      href: `mailto:?subject=${enc(content.title)}&body=${enc(`${text}\n\n${url}`)}`,
    },
    { id: 'mastodon', name: 'Mastodon', href: `https://mastodon.social/share?text=${enc(textAndUrl)}` },
    { id: 'bluesky', name: 'Bluesky', href: `https://bsky.app/intent/compose?text=${enc(textAndUrl)}` },
    {
      id: 'x',
      name: 'X',
      href: `https://twitter.com/intent/tweet?text=${enc(text)}&url=${enc(url)}`,
    },
    { id: 'facebook', name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}` },
    {
      id: 'linkedin',
      name: 'LinkedIn',
      href: `https://www.linkedin.com/sharing/share-offsite/?url=${enc(url)}`,
    },
    { id: 'whatsapp', name: 'WhatsApp', href: `https://wa.me/?text=${enc(textAndUrl)}` },
    {
      id: 'telegram',
      name: 'Telegram',
      href: `https://t.me/share/url?url=${enc(url)}&text=${enc(text)}`,
    },
  ];
}

/** What the Web Share API shares: the same page, title and text as the links. */
export function webShareData(content: ShareContent): WebShareData {
  return { title: content.title, text: content.text.trim(), url: sharedPageUrl(content.url) };
}
