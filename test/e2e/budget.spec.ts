import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';

/**
 * The sign page's first load: at most 60 KB of JavaScript and CSS, gzipped, excluding the ALTCHA
 * proof-of-work worker (docs/benchmarks.md, targets). Measured in the browser on what it actually
 * fetched, gzipped at level 9 like a CDN would. What loads once a nationality is chosen (the form with the shared
 * rulebook, and the ALTCHA widget) is reported alongside; it is not part of the first load.
 */

const BUDGET = 60 * 1024;
const WORKER = /\/(pbkdf2|sha|argon2id|scrypt)[-.][^/]*\.js$/;

interface Fetched {
  url: string;
  gzip: number;
}

function record(page: Page): Fetched[] {
  const fetched: Fetched[] = [];
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    const url = response.url();
    if ((type !== 'script' && type !== 'stylesheet') || WORKER.test(url)) return;
    try {
      fetched.push({ url, gzip: gzipSync(await response.body(), { level: 9 }).length });
    } catch {
      // Redirects and aborted loads have no body.
    }
  });
  return fetched;
}

const sum = (items: readonly Fetched[]) => items.reduce((total, item) => total + item.gzip, 0);

test('the sign page first load stays within 60 KB of gzipped JS and CSS in every tested language', async ({
  browser,
}) => {
  const report: Record<string, { firstLoad: number; afterNationality: number; files: number }> = {};
  for (const lang of ['en', 'de', 'el', 'bg', 'ga']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = record(page);
    await page.goto(`/${lang}/sign/`);
    await page.waitForLoadState('networkidle');
    const firstLoad = sum(fetched);
    const files = fetched.length;
    await page.locator('#f-nationality').selectOption('PL');
    await expect(page.locator('altcha-widget')).toBeVisible();
    await page.waitForLoadState('networkidle');
    report[lang] = { firstLoad, afterNationality: sum(fetched) - firstLoad, files };
    await context.close();
    expect(firstLoad, `${lang}: ${firstLoad} bytes`).toBeLessThanOrEqual(BUDGET);
  }
  const out = join(import.meta.dirname, '../../test-output');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'sign-page-bytes.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('sign page JS+CSS, gzipped bytes:', JSON.stringify(report));
});
