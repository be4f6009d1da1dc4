import { expect, test } from '@playwright/test';
import {
  acceptDeclarations,
  fillPole,
  openForm,
  pole,
  submitAndGetReceipt,
  waitForProofOfWork,
} from './support.ts';

/**
 * No third-party requests and a strict Content-Security-Policy: every request a page makes goes
 * to the site's own origin, scripts run only from the site (no 'unsafe-inline', no 'unsafe-eval'),
 * and the browser reports no CSP violation, through a whole visit that signs a statement.
 */

test('every request of a whole visit goes to the site itself, and no CSP violation happens', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(String(error)));

  for (const path of [
    '/',
    '/en/',
    '/de/privacy/',
    '/el/accessibility/',
    '/embed/progress/?lang=bg',
    '/404',
  ]) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  await openForm(page, 'en', 'PL');
  await fillPole(page, pole());
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  await submitAndGetReceipt(page);
  await page.waitForLoadState('networkidle');

  const foreign = requests.filter(
    (url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin,
  );
  expect(foreign).toEqual([]);
  expect(requests.length).toBeGreaterThan(10);
  expect(problems).toEqual([]);
});

test('every page carries a Content-Security-Policy without inline or eval scripts', async ({ page }) => {
  for (const path of [
    '/',
    '/en/',
    '/en/sign/',
    '/en/receipt/',
    '/en/privacy/',
    '/en/accessibility/',
    '/embed/progress/',
  ]) {
    await page.goto(path);
    const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
    expect(csp, path).toBeTruthy();
    const directives = new Map(
      (csp ?? '').split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name ?? '', values] as const;
      }),
    );
    const scripts = directives.get('script-src') ?? [];
    expect(scripts, path).toContain("'self'");
    expect(scripts.join(' '), path).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(directives.get('default-src'), path).toEqual(["'none'"]);
    expect(directives.get('connect-src'), path).toEqual(["'self'"]);
  }
});

test('the site sets no cookie and keeps personal data out of URLs', async ({ page, context }) => {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  const who = pole();
  await openForm(page, 'en', 'PL');
  await fillPole(page, who);
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  await submitAndGetReceipt(page);
  expect(await context.cookies()).toEqual([]);
  for (const url of urls) {
    expect(url).not.toContain(who.pesel);
    expect(url).not.toContain(encodeURIComponent(who.familyNames));
    // The receipt identifier is only ever in the fragment, which browsers never send.
    expect(new URL(url).search).toBe('');
  }
});
