import { expect, test } from '@playwright/test';
import {
  CONSOLE_PAGES,
  expectReflowAt320,
  openConsolePage,
  signInAsNew,
  watchProblems,
} from './console-support.ts';
import { expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The console's shell in Chromium: sign-in through the local OpenID provider (password, TOTP, new
 * password), `GET /api/admin/me`, every page reached by the navigation with its heading focused,
 * axe-core without a violation and reflow at 320 px on each, the language switcher, a 401 taking
 * the organiser back to sign-in with a message, sign-out through the end-session endpoint, and
 * tokens in memory only: nothing in local or session storage, a reload signs out.
 */

test('signed out, the console offers sign-in, passes axe and reflows at 320 px', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/console/');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Sign in to the organiser console' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  await expectNoAxeViolations(page, 'console sign-in');
  await expectReflowAt320(page, 'console sign-in');
  expect(problems).toEqual([]);

  // A strict CSP: scripts from the site only; requests to the site and, in AWS, the Cognito sign-in domain.
  const csp =
    (await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content')) ?? '';
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name ?? '', values] as const;
    }),
  );
  expect(directives.get('script-src')?.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(directives.get('connect-src')).toEqual(["'self'", 'https://*.amazoncognito.com']);
});

test('sign in with password and TOTP, every page shell passes axe and reflows, then sign out', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await signInAsNew(page, 'shell');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // Tokens live in memory only; the PKCE verifier and state are gone after the callback.
  const stored = await page.evaluate(() =>
    [localStorage, sessionStorage].flatMap((storage) =>
      Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`),
    ),
  );
  expect(stored.join('\n')).not.toMatch(/eyJ[\w-]+\.[\w-]+\.|token|ocs-console-sign-in/i);

  for (const { path, heading, nav } of CONSOLE_PAGES) {
    await openConsolePage(page, nav, heading);
    expect(new URL(page.url()).pathname).toBe(path);
    await expect(page.getByRole('link', { name: nav, exact: true })).toHaveAttribute('aria-current', 'page');
    await page.waitForLoadState('networkidle');
    await expectNoAxeViolations(page, `console ${path}`);
    await expectReflowAt320(page, `console ${path}`);
    await screenshot(page, `console${path.replace(/\//g, '-').replace(/-$/, '')}`);
  }

  // The language switcher: French, then back to English.
  await page.getByRole('button', { name: 'français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible();
  await expectNoAxeViolations(page, 'console audit (fr)');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  // The provider's end-session confirmation, then back to the console, signed out.
  const confirm = page.getByRole('button', { name: /sign out|yes/i });
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForURL(/\/console\/$/);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a reload signs out; a 401 from the API goes back to sign-in with a message', async ({ page }) => {
  await signInAsNew(page, 'expiry');

  // Any 401 (an expired or revoked token) ends the session with a message.
  await page.route('**/api/admin/dashboard', (route) =>
    route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unauthenticated' } }),
    }),
  );
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Initiative' }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('session-ended')).toHaveText('Your session has ended. Please sign in again.');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByTestId('organiser-email')).toHaveCount(0);
  await expectNoAxeViolations(page, 'console after a 401');
  await page.unroute('**/api/admin/dashboard');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});
