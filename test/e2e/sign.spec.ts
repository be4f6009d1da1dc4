import { expect, type Page, test } from '@playwright/test';
import { format, messages } from './messages.ts';
import {
  acceptDeclarations,
  countryCount,
  fillGerman,
  fillPole,
  german,
  openForm,
  pole,
  screenshot,
  submitAndGetReceipt,
  waitForProofOfWork,
  wrongCheckDigit,
} from './support.ts';

const en = messages('en');

/** The receipt page's text once the initiative has loaded, without the identifier and the time. */
async function receiptPageText(page: Page, receipt: string): Promise<string> {
  const main = page.locator('main');
  await expect(main).not.toContainText('…');
  const received = (en.receipt_received ?? '').split('{date}')[0] ?? '';
  const texts = await main.locator('h1, h2, p, li').allTextContents();
  return texts
    .map((text) => text.trim().replace(receipt, '<identifier>'))
    .filter((text) => !text.startsWith(received))
    .join('\n');
}

test.describe('signing a statement of support', () => {
  test('a German (Part A) signs from the initiative page to the receipt', async ({ page }) => {
    await page.goto('/en/');
    await expect(page.locator('h1')).toContainText('Clean Rivers');
    await screenshot(page, 'initiative-en');
    await page.getByRole('link', { name: en.cta_sign }).click();
    await expect(page).toHaveURL(/\/en\/sign\/$/);

    await page.locator('#f-nationality').selectOption('DE');
    await expect(page.locator('#f-firstNames')).toBeVisible();
    // Part A: residence and date of birth, no document fields.
    await expect(page.locator('#f-documentNumber')).toHaveCount(0);
    await expect(page.getByText(en.note_de ?? '')).toBeVisible();
    await fillGerman(page, german());
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    await screenshot(page, 'sign-de-filled');

    const receipt = await submitAndGetReceipt(page);
    await expect(page.locator('h1')).toHaveText(en.receipt_title ?? '');
    await expect(page.locator('h1')).toBeFocused();
    // The identifier travels in the fragment, never in a query string the server would log.
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe(`#${receipt}`);
    await screenshot(page, 'receipt-en');
  });

  test('a Pole (Part B) signs with a PESEL, in Polish', async ({ page }) => {
    const pl = messages('pl');
    await page.goto('/pl/');
    await page.getByRole('link', { name: pl.cta_sign }).click();
    await page.locator('#f-nationality').selectOption('PL');
    await expect(page.locator('#f-documentNumber')).toBeVisible();
    // Part B: no address, no date of birth; the document as Poles know it.
    await expect(page.locator('#f-street')).toHaveCount(0);
    await expect(page.locator('#f-documentType option:checked')).toContainText('PESEL');
    await fillPole(page, pole());
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    await screenshot(page, 'sign-pl-filled');
    await submitAndGetReceipt(page, 'pl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
  });

  test('offers the optional e-mail for updates, empty and unticked; an address alone asks for the box', async ({
    page,
  }) => {
    await openForm(page, 'en', 'DE');
    const email = page.locator('#f-email');
    const consent = page.locator('#f-emailConsent');
    await expect(page.getByRole('group', { name: en.sign_contact_legend })).toBeVisible();
    await expect(email).toHaveValue('');
    await expect(email).toHaveAttribute('type', 'email');
    await expect(email).toHaveAttribute('autocomplete', 'email');
    await expect(email).not.toHaveAttribute('aria-required', 'true');
    await expect(consent).not.toBeChecked();
    await expect(page.getByText(en.field_email_consent ?? '')).toBeVisible();
    await fillGerman(page, german());
    await acceptDeclarations(page);
    await email.fill(`updates-${Date.now()}@example.org`);
    await waitForProofOfWork(page);
    await page.locator('button[type=submit]').click();
    await expect(page.getByRole('alert')).toContainText(en.error_email_consent_required ?? '');
    await consent.check();
    await submitAndGetReceipt(page);
  });

  test('a second statement of the same person is answered like the first: a receipt of its own', async ({
    page,
  }) => {
    const who = pole();
    await openForm(page, 'en', 'PL');
    await fillPole(page, who);
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    const first = await submitAndGetReceipt(page);
    const firstPage = await receiptPageText(page, first);

    // Same person, new form fill (new submissionId): nothing tells the citizen, or anyone
    // watching, that this person had already signed.
    await openForm(page, 'en', 'PL');
    await fillPole(page, { ...who, firstNames: who.firstNames.toUpperCase() });
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    const second = await submitAndGetReceipt(page);

    expect(second).not.toBe(first);
    await expect(page.locator('h1')).toHaveText(en.receipt_title ?? '');
    expect(await receiptPageText(page, second)).toBe(firstPage);
    await screenshot(page, 'receipt-second-statement');
  });

  test('a PESEL with a wrong check digit is refused next to its field', async ({ page }) => {
    await openForm(page, 'en', 'PL');
    const who = pole();
    await fillPole(page, { ...who, pesel: wrongCheckDigit(who.pesel) });
    await page.locator('#f-documentNumber').blur();
    const error = page.locator('#e-documentNumber');
    await expect(error).toContainText(en.error_invalid_checksum ?? '');
    await expect(page.locator('#f-documentNumber')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#f-documentNumber')).toHaveAttribute('aria-describedby', /e-documentNumber/);

    await acceptDeclarations(page);
    await page.locator('button[type=submit]').click();
    const summary = page.locator('.summary');
    await expect(summary).toBeFocused();
    await expect(
      summary.getByRole('link', { name: new RegExp(en.error_invalid_checksum?.slice(0, 30) ?? '') }),
    ).toBeVisible();
    await screenshot(page, 'sign-pesel-checksum');
    // The summary link takes the citizen to the field.
    await summary.getByRole('link').first().click();
    await expect(page.locator('#f-documentNumber')).toBeFocused();
  });

  test('an under-age birth date is refused', async ({ page }) => {
    await openForm(page, 'en', 'DE');
    const who = german();
    const year = String(new Date().getFullYear() - 10);
    await fillGerman(page, { ...who, year });
    await page.locator('#f-street').focus();
    await expect(page.locator('#e-dateOfBirth')).toContainText(
      format(en.error_too_young, { age: '16', country: en.country_de ?? '' }),
    );
    await screenshot(page, 'sign-too-young');
  });

  test('switching the language mid-form keeps the entries', async ({ page }) => {
    const de = messages('de');
    await openForm(page, 'en', 'DE');
    const who = german();
    await fillGerman(page, who);
    await page.locator('#f-certify').check();

    await page.locator('.switcher summary').click();
    await page.locator('.switcher a[hreflang="de"]').click();
    await expect(page).toHaveURL(/\/de\/sign\/$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.locator('h1')).toHaveText(de.sign_title ?? '');
    await expect(page.locator('#f-nationality')).toHaveValue('DE');
    await expect(page.locator('#f-firstNames')).toHaveValue(who.firstNames);
    await expect(page.locator('#f-familyNames')).toHaveValue(who.familyNames);
    await expect(page.locator('#f-dateOfBirth-year')).toHaveValue(who.year);
    await expect(page.locator('#f-postalCode')).toHaveValue(who.postalCode);
    await expect(page.locator('#f-certify')).toBeChecked();
    await expect(page.locator('label[for="f-firstNames"]')).toContainText(de.field_first_names ?? '');
    await screenshot(page, 'sign-switched-to-de');
  });

  test('the progress bars move after signing', async ({ page }) => {
    test.setTimeout(150_000);
    await page.goto('/en/');
    const before = await countryCount(page, 'DE');
    const totalBefore = await page.locator('.total .big').textContent();

    await openForm(page, 'en', 'DE');
    await fillGerman(page, german());
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    await submitAndGetReceipt(page);

    // The progress may be cached for up to 60 s (docs/citizen-api.md): reload until it moves.
    await page.goto('/en/');
    await expect
      .poll(
        async () => {
          await page.reload();
          return countryCount(page, 'DE');
        },
        { timeout: 80_000, intervals: [1_000, 5_000, 10_000] },
      )
      .not.toBe(before);
    const parse = (text: string | null) => Number((text ?? '').split(' ')[0]?.replace(/\D/g, ''));
    expect(parse(await countryCount(page, 'DE'))).toBe(parse(before) + 1);
    expect(parse(await page.locator('.total .big').textContent())).toBe(parse(totalBefore) + 1);
  });
});
