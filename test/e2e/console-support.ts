import { randomBytes } from 'node:crypto';
import { type Browser, expect, type Page } from '@playwright/test';
import { addOrganiser, type NewOrganiser, totpCode } from '../support/organiser.ts';

/** Helpers of the console suites: organisers made with the CLI, sign-in through the local provider. */

const dataDir = process.env.OCS_E2E_DATA_DIR ?? '';

/** A new organiser account (`npm run organiser -- add`) with a unique address. */
export function newOrganiser(label: string): Promise<NewOrganiser> {
  return addOrganiser(dataDir, `console-${label}-${randomBytes(4).toString('hex')}@example.org`);
}

/** The console's pages, each with its heading in English. */
export const CONSOLE_PAGES = [
  { path: '/console/', heading: 'Dashboard', nav: 'Dashboard' },
  { path: '/console/initiative/', heading: 'Initiative', nav: 'Initiative' },
  { path: '/console/lifecycle/', heading: 'Mode and collection', nav: 'Mode and collection' },
  { path: '/console/exports/', heading: 'Exports', nav: 'Exports' },
  { path: '/console/withdrawal/', heading: 'Withdrawal', nav: 'Withdrawal' },
  { path: '/console/retention/', heading: 'Retention', nav: 'Retention' },
  { path: '/console/audit/', heading: 'Audit trail', nav: 'Audit trail' },
] as const;

/**
 * Signs in from the console's own button, as an organiser does: e-mail, password and the current
 * TOTP code on the provider's page, then the new password of a first sign-in; back on the
 * console, the organiser's address shows (`GET /api/admin/me`). `totpStep` picks the 30 s step
 * (a code is accepted once: a second sign-in within one step uses the next one).
 */
export async function signInToConsole(
  page: Page,
  organiser: NewOrganiser,
  options: { firstSignIn?: boolean; totpStep?: number; path?: string } = {},
): Promise<void> {
  await page.goto(options.path ?? '/console/');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('input[autocomplete="username"]').fill(organiser.email);
  await page.locator('input[autocomplete="current-password"]').fill(organiser.password);
  await page
    .locator('input[autocomplete="one-time-code"]')
    .fill(totpCode(organiser.totpUri, options.totpStep ?? 0));
  await page.locator('input[autocomplete="one-time-code"]').press('Enter');
  if (options.firstSignIn ?? true) {
    const newPassword = page.locator('input[autocomplete="new-password"]');
    await newPassword.fill(`console passphrase ${randomBytes(8).toString('hex')}`);
    await newPassword.press('Enter');
  }
  await expect(page.getByTestId('organiser-email')).toHaveText(organiser.email);
}

/** A new organiser, signed in to the console in `page` (first sign-in). */
export async function signInAsNew(page: Page, label: string): Promise<NewOrganiser> {
  const organiser = await newOrganiser(label);
  await signInToConsole(page, organiser);
  return organiser;
}

/** Another new organiser, signed in in a browser context of their own (close it when done). */
export async function signInElsewhere(browser: Browser, label: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsNew(page, label);
  return page;
}

/** The smallest touch target, in CSS pixels (WCAG 2.1 success criterion 2.5.5). */
export const TOUCH_TARGET_PX = 44;

/**
 * A page on a 320 CSS pixel wide screen, then back to a desktop width: no horizontal scrolling
 * (WCAG 1.4.10), and unless `touchTargets` is false, every control a touch target of at least
 * 44 × 44 px (2.5.5; a checkbox or radio button counts with its label, which takes the tap; links
 * inside a sentence are exempt, as the criterion says).
 */
export async function expectReflowAt320(
  page: Page,
  context: string,
  { touchTargets = true }: { touchTargets?: boolean } = {},
): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow at 320 px on ${context}`).toBeLessThanOrEqual(0);
  if (touchTargets) await expectTouchTargets(page, context);
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function expectTouchTargets(page: Page, context: string): Promise<void> {
  const small = await page.evaluate((min) => {
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary',
    );
    const offenders: string[] = [];
    for (const control of controls) {
      if (!control.checkVisibility({ visibilityProperty: true })) continue;
      const choice = control instanceof HTMLInputElement && /^(checkbox|radio)$/.test(control.type);
      const target = (choice && control.closest('label')) || control;
      const box = target.getBoundingClientRect();
      // Off the page until focused (the skip link).
      if (box.bottom + window.scrollY <= 0) continue;
      if (control instanceof HTMLAnchorElement && getComputedStyle(control).display === 'inline') {
        const sentence = control.parentElement?.textContent?.trim() ?? '';
        if (sentence.length > (control.textContent?.trim().length ?? 0)) continue;
      }
      if (box.width < min - 0.5 || box.height < min - 0.5) {
        const name = (target.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        offenders.push(
          `${control.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return offenders;
  }, TOUCH_TARGET_PX);
  expect(small, `touch targets under ${TOUCH_TARGET_PX} px at 320 px on ${context}`).toEqual([]);
}

/** Collects CSP violations and page errors of a page. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return problems;
}

/** Goes to a console page by its navigation link (a client-side navigation: the session stays). */
export async function openConsolePage(page: Page, nav: string, heading: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: nav, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
}
