/// <reference lib="dom" />
import { expect, type Page, test } from '@playwright/test';
import { messages } from './messages.ts';
import { german, screenshot, waitForProofOfWork } from './support.ts';

const en = messages('en');

/** Presses Tab until the element matching `selector` has focus (as a keyboard user would). */
async function tabTo(page: Page, selector: string, maxPresses = 80): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The focused element shows a visible focus indicator (outline or box shadow). */
async function expectVisibleFocus(page: Page): Promise<void> {
  const style = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const css = getComputedStyle(el);
    return { outline: css.outlineStyle, width: css.outlineWidth, shadow: css.boxShadow };
  });
  expect(style.outline !== 'none' && style.width !== '0px' ? true : style.shadow !== 'none').toBe(true);
}

test('a citizen signs with the keyboard only, from the initiative page to the receipt', async ({ page }) => {
  const who = german();
  await page.goto('/en/');
  await expect(page.getByRole('link', { name: en.cta_sign })).toBeVisible();

  // The first Tab stop is the skip link.
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip')).toBeFocused();
  await expectVisibleFocus(page);

  await tabTo(page, 'main a.button');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/en\/sign\/$/);

  await tabTo(page, '#f-nationality');
  await expectVisibleFocus(page);
  await page.keyboard.type('Germany');
  await expect(page.locator('#f-nationality')).toHaveValue('DE');

  const typeInto = async (selector: string, text: string) => {
    await tabTo(page, selector);
    await expectVisibleFocus(page);
    await page.keyboard.type(text);
  };
  await typeInto('#f-firstNames', who.firstNames);
  await typeInto('#f-familyNames', who.familyNames);
  await typeInto('#f-dateOfBirth', who.day);
  await typeInto('#f-dateOfBirth-month', who.month);
  await typeInto('#f-dateOfBirth-year', who.year);
  await typeInto('#f-street', who.street);
  await typeInto('#f-streetNumber', who.streetNumber);
  await typeInto('#f-postalCode', who.postalCode);
  await typeInto('#f-city', who.city);
  await expect(page.locator('#f-countryOfResidence')).toHaveValue('DE');

  await tabTo(page, '#f-certify');
  await expectVisibleFocus(page);
  await page.keyboard.press('Space');
  await tabTo(page, '#f-privacyStatement');
  await page.keyboard.press('Space');
  await expect(page.locator('#f-certify')).toBeChecked();
  await expect(page.locator('#f-privacyStatement')).toBeChecked();

  await waitForProofOfWork(page);
  await tabTo(page, 'button[type=submit]');
  await expectVisibleFocus(page);
  await screenshot(page, 'keyboard-submit-focused');
  await page.keyboard.press('Enter');

  await page.waitForURL(/\/en\/receipt\/#/);
  await expect(page.locator('h1')).toBeFocused();
  await expect(page.getByTestId('receipt-id')).toHaveText(/^[0-9a-f-]{36}$/);
});
