import { expect, test } from '@playwright/test';
import { gotoReady, screenshot } from './support.ts';

/** Screenshots of every page for reviewers (test-output/screenshots, ignored by git). */

const RECEIPT = '0b9f2c1e-6a4d-4c7b-9e2f-3a5d7c9e1b20';

for (const lang of ['en', 'de', 'el']) {
  test(`every page in ${lang}`, async ({ page }) => {
    await gotoReady(page, `/${lang}/`);
    await expect(page.locator('table.countries')).toBeVisible();
    await screenshot(page, `page-${lang}-initiative`);

    await gotoReady(page, `/${lang}/sign/`);
    await screenshot(page, `page-${lang}-sign`);
    await page.locator('#f-nationality').selectOption('FR');
    await expect(page.locator('#f-street')).toBeVisible();
    await screenshot(page, `page-${lang}-sign-part-a`);
    await page.locator('#f-nationality').selectOption('PT');
    await expect(page.locator('#f-documentType')).toBeVisible();
    await screenshot(page, `page-${lang}-sign-part-b`);

    for (const [name, path] of [
      ['receipt', `/${lang}/receipt/#${RECEIPT}`],
      ['privacy', `/${lang}/privacy/`],
      ['accessibility', `/${lang}/accessibility/`],
      ['embed', `/embed/progress/?lang=${lang}`],
    ] as const) {
      await gotoReady(page, path);
      await expect(page.locator('main h1')).toBeVisible();
      await screenshot(page, `page-${lang}-${name}`);
    }
  });
}

test('the language switcher, open', async ({ page }) => {
  await gotoReady(page, '/en/');
  await page.locator('.switcher summary').click();
  await screenshot(page, 'page-en-language-switcher');
});
