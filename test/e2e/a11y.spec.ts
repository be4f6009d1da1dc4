/// <reference lib="dom" />
import { expect, type Page, test } from '@playwright/test';
import { messages } from './messages.ts';
import { expectNoAxeViolations, gotoReady, screenshot } from './support.ts';

/**
 * WCAG 2.1 AA: axe-core reports no violation on any page in English, German, Greek and Bulgarian
 * (with data loaded, with each form variant open and with the error summary shown); every page
 * reflows at 320 CSS pixels and at 200 % zoom without horizontal scrolling.
 */

const LANGUAGES = ['en', 'de', 'el', 'bg'] as const;
const RECEIPT = '0b9f2c1e-6a4d-4c7b-9e2f-3a5d7c9e1b20';

async function settle(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

for (const lang of LANGUAGES) {
  test.describe(`accessibility in ${lang}`, () => {
    test('initiative page', async ({ page }) => {
      await page.goto(`/${lang}/`);
      await expect(page.locator('table.countries')).toBeVisible();
      await settle(page);
      await expectNoAxeViolations(page, `/${lang}/`);
    });

    test('sign page, empty, Part A, Part B and with the error summary', async ({ page }) => {
      const m = messages(lang);
      await gotoReady(page, `/${lang}/sign/`);
      await expectNoAxeViolations(page, `/${lang}/sign/ (nationality only)`);

      await page.locator('#f-nationality').selectOption('DE');
      await expect(page.locator('#f-street')).toBeVisible();
      await expect(page.locator('altcha-widget')).toBeVisible();
      await expectNoAxeViolations(page, `/${lang}/sign/ (DE, Part A)`);

      await page.locator('#f-nationality').selectOption('PT');
      await expect(page.locator('#f-documentType')).toBeVisible();
      await page.locator('#f-documentType').selectOption('passport');
      await page.locator('#f-documentNumber').fill('123');
      await page.locator('button[type=submit]').click();
      await expect(page.locator('.summary')).toBeFocused();
      await expect(page.locator('.summary')).toContainText(m.error_summary_title ?? '');
      await expect(page.locator('#f-confirmDocumentFormat')).toBeVisible();
      await expectNoAxeViolations(page, `/${lang}/sign/ (PT, Part B, errors)`);
      await screenshot(page, `a11y-sign-errors-${lang}`);
    });

    test('receipt, withdrawal, privacy and accessibility statements', async ({ page }) => {
      for (const path of [
        `/${lang}/receipt/#${RECEIPT}`,
        `/${lang}/withdraw/#${RECEIPT}`,
        `/${lang}/privacy/`,
        `/${lang}/accessibility/`,
      ]) {
        await page.goto(path);
        await expect(page.locator('main h1')).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.getByText(messages(lang).loading ?? '')).toHaveCount(0);
        await expectNoAxeViolations(page, path);
      }
    });

    test('embeddable progress widget', async ({ page }) => {
      await page.goto(`/embed/progress/?lang=${lang}`);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('table.countries')).toBeVisible();
      await settle(page);
      await expectNoAxeViolations(page, `/embed/progress/?lang=${lang}`);
    });
  });
}

test('the root page and the not-found page', async ({ page }) => {
  await page.goto('/404');
  await expectNoAxeViolations(page, '/404');
  const response = await page.goto('/no/such/page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('the root sends the visitor to their browser language', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-AT' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/de\/$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await context.close();
});

for (const width of [320, 640]) {
  test(`every page reflows at ${width} CSS pixels without horizontal scrolling`, async ({ browser }) => {
    // 640 px on a 1280 px screen is what 200 % zoom gives.
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of [
      '/en/',
      '/el/sign/',
      `/en/receipt/#${RECEIPT}`,
      '/bg/privacy/',
      '/de/accessibility/',
      '/embed/progress/',
    ]) {
      await gotoReady(page, path);
      if (path.endsWith('/sign/')) {
        await page.locator('#f-nationality').selectOption('PL');
        await expect(page.locator('#f-documentNumber')).toBeVisible();
      }
      await expect(page.locator('main h1').first()).toBeVisible();
      await settle(page);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
      if (width === 320) await screenshot(page, `mobile-320${path.replace(/[/#]+/g, '-').replace(/-$/, '')}`);
    }
    await context.close();
  });
}
