/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { LANGUAGES } from '../../web/src/lib/languages.ts';
import { format, messages } from './messages.ts';
import { expectNoAxeViolations, gotoReady, screenshot } from './support.ts';

/**
 * Sharing on the initiative and receipt pages: plain links to the networks' share pages with the
 * initiative page (never the receipt), the Web Share button where the browser has the API, no
 * request to any other origin, and link-preview metadata with a share image in every language.
 */

interface Shared {
  title: string;
  text: string;
  url: string;
}

type Content = Record<string, { title: string; objectives: string } | undefined>;

/** The initiative's title in a language, as the API serves it (English where the organisers gave none). */
async function titleIn(page: Page, lang: string): Promise<string> {
  const response = await page.request.get('/api/initiative');
  const content = ((await response.json()) as { content: Content }).content;
  return (content[lang] ?? content.en)?.title ?? '';
}

/** Records every request of the page that leaves the site's origin. */
function foreignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin)
      foreign.push(url);
  });
  return foreign;
}

/** The share links of the page, by network. */
async function shareLinks(page: Page): Promise<Record<string, { href: string; rel: string; name: string }>> {
  const links = page.locator('section.share a[data-share]');
  await expect(links).toHaveCount(8);
  const all = await links.evaluateAll((elements) =>
    elements.map((a) => ({
      id: a.getAttribute('data-share') ?? '',
      href: a.getAttribute('href') ?? '',
      rel: a.getAttribute('rel') ?? '',
      name: a.textContent?.trim() ?? '',
    })),
  );
  return Object.fromEntries(all.map(({ id, ...link }) => [id, link]));
}

function query(href: string): URLSearchParams {
  return new URLSearchParams(href.slice(href.indexOf('?') + 1));
}

/** Replaces navigator.share with a recorder (before any page script runs). */
async function stubWebShare(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: unknown[] = [];
    Object.defineProperty(window, '__shareCalls', { value: calls });
    Object.defineProperty(Navigator.prototype, 'share', {
      configurable: true,
      value: async (data: unknown) => {
        calls.push(JSON.parse(JSON.stringify(data)));
      },
    });
    Object.defineProperty(Navigator.prototype, 'canShare', { configurable: true, value: () => true });
  });
}

/** Takes the Web Share API away, whatever this Chromium build has. */
async function removeWebShare(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (Navigator.prototype as { share?: unknown }).share;
    delete (Navigator.prototype as { canShare?: unknown }).canShare;
  });
}

test('the initiative page offers plain share links to itself, and no request leaves the site', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const foreign = foreignRequests(page, origin);
  await removeWebShare(page);
  const m = messages('de');
  await gotoReady(page, '/de/');
  const title = await titleIn(page, 'de');
  const links = await shareLinks(page);
  const pageUrl = `${origin}/de/`;
  const text = format(m.share_text_invite, { title });

  await expect(page.getByRole('heading', { name: m.share_heading ?? '' })).toBeVisible();
  await expect(page.locator('section.share button')).toHaveCount(0);
  expect(links.email?.name).toBe(m.share_email);
  expect(links.email?.href.startsWith('mailto:?')).toBe(true);
  expect(Object.fromEntries(query(links.email?.href ?? ''))).toEqual({
    subject: title,
    body: `${text}\n\n${pageUrl}`,
  });
  expect(Object.fromEntries(query(links.x?.href ?? ''))).toEqual({ text, url: pageUrl });
  expect(Object.fromEntries(query(links.telegram?.href ?? ''))).toEqual({ url: pageUrl, text });
  expect(Object.fromEntries(query(links.facebook?.href ?? ''))).toEqual({ u: pageUrl });
  expect(Object.fromEntries(query(links.linkedin?.href ?? ''))).toEqual({ url: pageUrl });
  for (const id of ['mastodon', 'bluesky', 'whatsapp']) {
    expect(Object.fromEntries(query(links[id]?.href ?? ''))).toEqual({ text: `${text} ${pageUrl}` });
  }
  const hosts = Object.fromEntries(
    Object.entries(links)
      .filter(([id]) => id !== 'email')
      .map(([id, link]) => [id, new URL(link.href).host]),
  );
  expect(hosts).toEqual({
    mastodon: 'mastodon.social',
    bluesky: 'bsky.app',
    x: 'twitter.com',
    facebook: 'www.facebook.com',
    linkedin: 'www.linkedin.com',
    whatsapp: 'wa.me',
    telegram: 't.me',
  });
  for (const link of Object.values(links)) {
    expect(link.rel.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
    expect(link.href).not.toMatch(/utm_|#/);
  }
  await expectNoAxeViolations(page, '/de/ with share links');
  await screenshot(page, 'share-initiative-de');
  expect(foreign).toEqual([]);
});

test('the receipt page shares the initiative page, never the receipt', async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? '').origin;
  const foreign = foreignRequests(page, origin);
  const receipt = randomUUID();
  const m = messages('en');
  await gotoReady(page, `/en/receipt/#${receipt}`);
  await expect(page.getByTestId('receipt-id')).toHaveText(receipt);
  const title = await titleIn(page, 'en');
  const links = await shareLinks(page);

  for (const link of Object.values(links)) {
    expect(link.href).not.toContain(receipt);
    expect(decodeURIComponent(link.href)).not.toContain(receipt);
    expect(decodeURIComponent(link.href)).not.toContain('/receipt');
  }
  expect(Object.fromEntries(query(links.x?.href ?? ''))).toEqual({
    text: format(m.share_text_supporter, { title }),
    url: `${origin}/en/`,
  });
  // The preview of the receipt page, too, is the initiative page's.
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', `${origin}/en/`);
  expect(await page.locator('head').innerHTML()).not.toContain(receipt);
  expect(foreign).toEqual([]);
});

test('where the browser has the Web Share API, a button shares the initiative page with it', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const foreign = foreignRequests(page, origin);
  await stubWebShare(page);
  const receipt = randomUUID();
  const m = messages('el');
  await gotoReady(page, `/el/receipt/#${receipt}`);
  const title = await titleIn(page, 'el');
  const button = page.getByRole('button', { name: m.share_button ?? '' });
  await expect(button).toBeVisible();
  await expectNoAxeViolations(page, '/el/receipt/ with the Web Share button');
  await button.click();

  const calls = await page.evaluate(() => (window as unknown as { __shareCalls: Shared[] }).__shareCalls);
  expect(calls).toEqual([{ title, text: format(m.share_text_supporter, { title }), url: `${origin}/el/` }]);
  expect(JSON.stringify(calls)).not.toContain(receipt);

  await gotoReady(page, '/el/');
  await page.getByRole('button', { name: m.share_button ?? '' }).click();
  const again = await page.evaluate(() => (window as unknown as { __shareCalls: Shared[] }).__shareCalls);
  expect(again).toEqual([{ title, text: format(m.share_text_invite, { title }), url: `${origin}/el/` }]);
  await screenshot(page, 'share-web-share-el');
  expect(foreign).toEqual([]);
});

/** The `<meta>` and `<link rel=alternate>` tags of the prerendered HTML, as served. */
function headTags(html: string): { meta: Map<string, string[]>; alternates: Map<string, string> } {
  const meta = new Map<string, string[]>();
  for (const match of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) {
    const [, key = '', value = ''] = match;
    meta.set(key, [...(meta.get(key) ?? []), value.replaceAll('&quot;', '"').replaceAll('&amp;', '&')]);
  }
  const alternates = new Map<string, string>();
  for (const match of html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)) {
    alternates.set(match[1] ?? '', match[2] ?? '');
  }
  return { meta, alternates };
}

test('every language has link-preview metadata with its title and a share image that resolves', async ({
  request,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const content = ((await (await request.get('/api/initiative')).json()) as { content: Content }).content;
  const images = new Set<string>();
  for (const lang of LANGUAGES) {
    const response = await request.get(`/${lang}/`);
    expect(response.status()).toBe(200);
    const { meta, alternates } = headTags(await response.text());
    const title = (content[lang] ?? content.en)?.title;
    const one = (key: string) => {
      expect(meta.get(key), `${lang} ${key}`).toHaveLength(1);
      return meta.get(key)?.[0] ?? '';
    };
    expect(one('og:title'), lang).toBe(title);
    expect(one('og:type')).toBe('website');
    expect(one('og:url')).toBe(`${origin}/${lang}/`);
    expect(one('og:locale')).toMatch(new RegExp(`^${lang}_[A-Z]{2}$`));
    expect(meta.get('og:locale:alternate')).toHaveLength(23);
    expect(one('og:site_name')).toBe(messages(lang).site_name);
    expect(one('og:description').length).toBeGreaterThan(20);
    expect(one('og:description')).toBe(one('description'));
    expect(one('og:image:alt')).toBe(`${messages(lang).initiative_eyebrow}: ${title}`);
    expect(one('twitter:card')).toBe('summary_large_image');
    expect(alternates.size).toBe(25);
    expect(alternates.get('x-default')).toBe(`${origin}/`);
    expect(alternates.get('mt')).toBe(`${origin}/mt/`);

    const image = one('og:image');
    expect(image).toMatch(new RegExp(`^${origin}/share/${lang}-[0-9a-f]{12}\\.png$`));
    images.add(image);
    const png = await request.get(image);
    expect(png.status(), image).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
    const body = await png.body();
    expect(body.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([body.readUInt32BE(16), body.readUInt32BE(20)]).toEqual([1200, 630]);
  }
  expect(images.size).toBe(LANGUAGES.length);
});

test('the title and previews follow the API once the page has it (an edit before the next build)', async ({
  page,
}) => {
  const edited = 'Clean Rivers and Lakes for Europe';
  await page.route('/api/initiative', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { content: Content };
    const en = body.content.en;
    if (en) body.content.en = { ...en, title: edited, objectives: 'Edited objectives of the initiative.' };
    await route.fulfill({ response, json: body });
  });
  await gotoReady(page, '/en/');
  await expect(page.locator('main h1')).toHaveText(edited);
  await expect(page).toHaveTitle(`${edited} – ${messages('en').site_name}`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', edited);
  await expect(page.locator('meta[property="og:description"]')).toHaveAttribute(
    'content',
    'Edited objectives of the initiative.',
  );
  const x = await page.locator('section.share a[data-share="x"]').getAttribute('href');
  expect(query(x ?? '').get('text')).toContain(edited);
});
