/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { messages } from './messages.ts';
import {
  acceptDeclarations,
  expectNoAxeViolations,
  fillPole,
  gotoReady,
  openForm,
  pole,
  screenshot,
  submitAndGetReceipt,
  waitForProofOfWork,
} from './support.ts';

/**
 * The citizen's withdrawal page (`/{lang}/withdraw/`): reached from the receipt with the
 * identifier filled in, it withdraws the statement (its Member State's count goes down by one),
 * and answers an identifier that names nothing with the very same text; the keyboard alone is
 * enough; axe-core finds nothing in any state shown.
 */
const en = messages('en');

async function polishCount(page: Page): Promise<number> {
  const res = await page.request.get('/api/progress');
  const body = (await res.json()) as { countries: Record<string, { count: number }> };
  return body.countries.PL?.count ?? 0;
}

/** Presses Tab until the element matching `selector` has focus, as a keyboard user would. */
async function tabTo(page: Page, selector: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('from the receipt, a citizen withdraws: the identifier is filled in, the count goes down by one', async ({
  page,
}) => {
  await openForm(page, 'en', 'PL');
  await fillPole(page, pole());
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  const receipt = await submitAndGetReceipt(page);
  await expect(page.getByText(en.receipt_withdraw ?? '')).toBeVisible();
  const before = await polishCount(page);

  await page.getByTestId('withdraw-link').click();
  await expect(page).toHaveURL(new RegExp(`/en/withdraw/#${receipt}$`));
  await expect(page.getByLabel(en.withdraw_receipt_label ?? '')).toHaveValue(receipt);
  await waitForProofOfWork(page);
  await expectNoAxeViolations(page, '/en/withdraw/ (filled in)');

  await page.getByRole('button', { name: en.withdraw_submit }).click();
  const done = page.getByTestId('withdraw-done');
  await expect(done).toBeFocused();
  await expect(done).toContainText(en.withdraw_done ?? '');
  await expect(page.getByLabel(en.withdraw_receipt_label ?? '')).toHaveValue('');
  expect(await polishCount(page)).toBe(before - 1);
  await expectNoAxeViolations(page, '/en/withdraw/ (done)');
  await screenshot(page, 'withdraw-done-en');
});

test('with the keyboard only, an identifier that names nothing gets the very same answer', async ({
  page,
}) => {
  await gotoReady(page, '/en/withdraw/');
  await waitForProofOfWork(page);
  const before = await polishCount(page);

  await tabTo(page, '#f-receipt');
  await page.keyboard.type(randomUUID());
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');

  const done = page.getByTestId('withdraw-done');
  await expect(done).toBeFocused();
  await expect(done).toHaveText(`${en.withdraw_done_heading} ${en.withdraw_done}`.replace(/\s+/g, ' '), {
    useInnerText: true,
  });
  expect(await polishCount(page)).toBe(before);
});

test('a malformed identifier is an error on its field, announced and focused; nothing is sent', async ({
  page,
}) => {
  await page.goto('/en/withdraw/');
  await waitForProofOfWork(page);
  let posted = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/withdrawals')) posted += 1;
  });
  const field = page.getByLabel(en.withdraw_receipt_label ?? '');
  // Without a name, a submit before the script runs could not put the receipt in a URL.
  expect(await field.getAttribute('name')).toBeNull();

  await page.getByRole('button', { name: en.withdraw_submit }).click();
  await expect(field).toBeFocused();
  await expect(page.getByText(en.withdraw_receipt_required ?? '')).toBeVisible();

  await field.fill('0f8fad5b-d9cb-469f');
  await page.getByRole('button', { name: en.withdraw_submit }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', 'h-receipt e-receipt');
  await expect(page.locator('#e-receipt')).toHaveText(en.withdraw_receipt_invalid ?? '');
  await expectNoAxeViolations(page, '/en/withdraw/ (error)');
  expect(posted).toBe(0);
});

test('every page links to the withdrawal page, and the initiative page says when the data go', async ({
  page,
}) => {
  await gotoReady(page, '/de/');
  const de = messages('de');
  await expect(page.getByTestId('destruction-date')).toContainText(/\d{4}/);
  await expect(page.getByRole('term').filter({ hasText: de.initiative_destruction ?? '' })).toBeVisible();
  await page.getByRole('link', { name: de.footer_withdraw }).click();
  await expect(page).toHaveURL(/\/de\/withdraw\/$/);
  await expect(page.locator('h1')).toHaveText(de.withdraw_title ?? '');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
});
