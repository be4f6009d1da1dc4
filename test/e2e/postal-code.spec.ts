import { expect, test } from '@playwright/test';
import { format, messages } from './messages.ts';
import {
  acceptDeclarations,
  expectNoAxeViolations,
  fillGerman,
  german,
  openForm,
  screenshot,
  submitAndGetReceipt,
  waitForProofOfWork,
} from './support.ts';

const en = messages('en');

test.describe('postal codes of an unusual format', () => {
  test('a German confirms an unusual postal code and signs', async ({ page }) => {
    await openForm(page, 'en', 'DE');
    await fillGerman(page, { ...german(), postalCode: '1011' });
    const postalCode = page.locator('#f-postalCode');
    await postalCode.blur();

    // The warning sits next to the field, and the confirmation box appears under the address.
    await expect(page.locator('#e-postalCode')).toContainText(en.error_postal_code_format_unconfirmed ?? '');
    await expect(postalCode).toHaveAttribute('aria-invalid', 'true');
    await expect(postalCode).toHaveAttribute('aria-describedby', /e-postalCode/);
    const confirm = page.getByLabel(en.field_confirm_postal_code ?? '');
    await expect(confirm).toBeVisible();
    await expect(confirm).not.toBeChecked();
    await screenshot(page, 'sign-postal-code-unconfirmed');
    await expectNoAxeViolations(page, 'unusual postal code');

    // Submitting without the confirmation lists the warning in the summary.
    await acceptDeclarations(page);
    await page.locator('button[type=submit]').click();
    const summary = page.locator('.summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(
      `${en.field_postal_code}: ${en.error_postal_code_format_unconfirmed ?? ''}`,
    );

    // With the keyboard: tick the box; the warning goes, the statement is accepted.
    await confirm.focus();
    await page.keyboard.press('Space');
    await expect(confirm).toBeChecked();
    await expect(page.locator('#e-postalCode')).toHaveCount(0);
    await expect(postalCode).not.toHaveAttribute('aria-invalid', 'true');
    await waitForProofOfWork(page);
    await submitAndGetReceipt(page);
  });

  test('a usual code needs no confirmation, and a country prefix is accepted', async ({ page }) => {
    await openForm(page, 'en', 'DE');
    await fillGerman(page, { ...german(), postalCode: 'D-10115' });
    await page.locator('#f-postalCode').blur();
    await expect(page.locator('#e-postalCode')).toHaveCount(0);
    await expect(page.getByLabel(en.field_confirm_postal_code ?? '')).toHaveCount(0);
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    await submitAndGetReceipt(page);
  });

  test('the box follows the country of residence, and its hint the country’s format', async ({ page }) => {
    await openForm(page, 'en', 'DE');
    await fillGerman(page, { ...german(), postalCode: '1010' });
    await page.locator('#f-postalCode').blur();
    const confirm = page.getByLabel(en.field_confirm_postal_code ?? '');
    await expect(confirm).toBeVisible();
    // 1010 is a usual Austrian code: living in Austria, no warning and no box.
    await page.locator('#f-countryOfResidence').selectOption('AT');
    await expect(page.locator('#h-postalCode')).toHaveText(format(en.hint_postal_code, { format: '1010' }));
    await expect(page.locator('#e-postalCode')).toHaveCount(0);
    await expect(confirm).toHaveCount(0);
  });
});
