import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { plPeselCheckDigit } from '@ocs/shared';
import { expect, type Page } from '@playwright/test';

/** Helpers shared by the e2e suites of the citizen site. */

export const SCREENSHOTS = join(import.meta.dirname, '../../test-output/screenshots');

/** Saves a full-page screenshot under test-output/screenshots (ignored by git) for reviewers. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core with the WCAG 2.0/2.1 A and AA rules: the page must have no violation at all. */
export async function expectNoAxeViolations(page: Page, context: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
  expect(violations, `axe violations on ${context}`).toEqual([]);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function word(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface GermanSignatory {
  firstNames: string;
  familyNames: string;
  day: string;
  month: string;
  year: string;
  street: string;
  streetNumber: string;
  postalCode: string;
  city: string;
}

/** A German signatory (Annex III Part A) with unique names, so the dedup key is new. */
export function german(): GermanSignatory {
  return {
    firstNames: `Anneliese ${word(7)}`,
    familyNames: `Müller-${word(8)}`,
    day: String(1 + randomInt(28)),
    month: String(1 + randomInt(12)),
    year: String(1950 + randomInt(50)),
    street: `Lindenstraße`,
    streetNumber: `${1 + randomInt(200)}a`,
    postalCode: String(10_000 + randomInt(89_999)),
    city: 'Berlin',
  };
}

/** A valid PESEL (birth 1950-1999) whose check digit comes from the shared rulebook. */
export function pesel(): string {
  const yy = String(50 + randomInt(50));
  const mm = String(1 + randomInt(12)).padStart(2, '0');
  const dd = String(1 + randomInt(28)).padStart(2, '0');
  const firstTen = `${yy}${mm}${dd}${String(randomInt(10_000)).padStart(4, '0')}`;
  return `${firstTen}${plPeselCheckDigit(firstTen)}`;
}

/** The same PESEL with a wrong check digit. */
export function wrongCheckDigit(number: string): string {
  const last = Number(number.at(-1));
  return `${number.slice(0, -1)}${(last + 1) % 10}`;
}

export interface PolishSignatory {
  firstNames: string;
  familyNames: string;
  pesel: string;
}

export function pole(): PolishSignatory {
  return { firstNames: `Zofia ${word(7)}`, familyNames: `Kowalska-${word(8)}`, pesel: pesel() };
}

/** Opens a page and waits until it has come alive (scripts loaded, first API answers in). */
export async function gotoReady(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

/** Opens the sign page and chooses a nationality; waits for the form of that nationality. */
export async function openForm(page: Page, lang: string, nationality: string): Promise<void> {
  await gotoReady(page, `/${lang}/sign/`);
  await page.locator('#f-nationality').selectOption(nationality);
  await expect(page.locator('#f-firstNames')).toBeVisible();
}

export async function fillGerman(page: Page, who: GermanSignatory): Promise<void> {
  await page.locator('#f-firstNames').fill(who.firstNames);
  await page.locator('#f-familyNames').fill(who.familyNames);
  await page.locator('#f-dateOfBirth').fill(who.day);
  await page.locator('#f-dateOfBirth-month').fill(who.month);
  await page.locator('#f-dateOfBirth-year').fill(who.year);
  await page.locator('#f-street').fill(who.street);
  await page.locator('#f-streetNumber').fill(who.streetNumber);
  await page.locator('#f-postalCode').fill(who.postalCode);
  await page.locator('#f-city').fill(who.city);
  await expect(page.locator('#f-countryOfResidence')).toHaveValue('DE');
}

export async function fillPole(page: Page, who: PolishSignatory): Promise<void> {
  await page.locator('#f-firstNames').fill(who.firstNames);
  await page.locator('#f-familyNames').fill(who.familyNames);
  await expect(page.locator('#f-documentType')).toHaveValue('personalNumber');
  await page.locator('#f-documentNumber').fill(who.pesel);
}

export async function acceptDeclarations(page: Page): Promise<void> {
  await page.locator('#f-certify').check();
  await page.locator('#f-privacyStatement').check();
}

/** Waits until the ALTCHA widget has solved its challenge. */
export async function waitForProofOfWork(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.locator('altcha-widget').evaluate((el) => (el as unknown as { getState(): string }).getState()),
      {
        timeout: 30_000,
      },
    )
    .toBe('verified');
}

/** Submits and waits for the receipt page; returns the signature identifier shown. */
export async function submitAndGetReceipt(page: Page, lang = 'en'): Promise<string> {
  await page.locator('button[type=submit]').click();
  await page.waitForURL(new RegExp(`/${lang}/receipt/#`));
  const id = (await page.getByTestId('receipt-id').textContent())?.trim() ?? '';
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return id;
}

/** The count shown for a Member State in the progress table of the initiative page. */
export async function countryCount(page: Page, code: string): Promise<string> {
  const cell = page.locator(`tr[data-country="${code}"] td.num`);
  await expect(cell).toBeVisible();
  return (await cell.textContent())?.trim() ?? '';
}
