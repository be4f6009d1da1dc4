/// <reference lib="dom" />
import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { totpCode } from '../support/organiser.ts';
import { expectReflowAt320, newOrganiser } from './console-support.ts';
import { expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The local OpenID provider's sign-in pages in Chromium, as an organiser meets them: the
 * console's authorization request (code flow, PKCE S256), e-mail, password and TOTP code, an
 * announced error, the new password of the first sign-in, and the redirect back to the console
 * with a code. axe-core finds no violation; the pages reflow at 320 px; Enter submits.
 */

const LANGUAGES = [
  { lang: 'en', locale: 'en-GB', password: 'Password', signIn: 'Sign in', problem: 'There is a problem' },
  {
    lang: 'fr',
    locale: 'fr-FR',
    password: 'Mot de passe',
    signIn: 'Se connecter',
    problem: 'Un problème est survenu',
  },
  {
    lang: 'de',
    locale: 'de-DE',
    password: 'Passwort',
    signIn: 'Anmelden',
    problem: 'Es ist ein Problem aufgetreten',
  },
] as const;

function authorizationUrl(baseURL: string): string {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return `${baseURL}/oidc/auth?${new URLSearchParams({
    client_id: 'ocs-console',
    redirect_uri: `${baseURL}/console/callback/`,
    response_type: 'code',
    scope: 'openid email ocs/admin',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(16).toString('base64url'),
  })}`;
}

for (const { lang, locale, password, signIn, problem } of LANGUAGES) {
  test.describe(`organiser sign-in in ${lang}`, () => {
    test.use({ locale });

    test('password and TOTP, an announced error, a new password, then back to the console with a code', async ({
      page,
      baseURL,
    }) => {
      const organiser = await newOrganiser(`sign-in-${lang}`);
      await page.goto(authorizationUrl(baseURL ?? ''));

      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByLabel(password, { exact: true })).toHaveAttribute(
        'autocomplete',
        'current-password',
      );
      await expect(page.locator('input[autocomplete="username"]')).toBeFocused();
      await expectNoAxeViolations(page, `sign-in page (${lang})`);
      await expectReflowAt320(page, `provider page (${lang})`);

      // A wrong password: the error summary is announced and takes the focus; Enter submits.
      await page.locator('input[autocomplete="username"]').fill(organiser.email);
      await page.locator('input[autocomplete="current-password"]').fill('not-the-password');
      await page.locator('input[autocomplete="one-time-code"]').fill(totpCode(organiser.totpUri));
      await page.locator('input[autocomplete="one-time-code"]').press('Enter');
      const summary = page.getByRole('alert');
      await expect(summary).toContainText(problem);
      await expect(summary).toBeFocused();
      await expect(page.locator('input[autocomplete="username"]')).toHaveValue(organiser.email);
      await expect(page).toHaveTitle(new RegExp(problem));
      await expectNoAxeViolations(page, `sign-in page with an error (${lang})`);
      await screenshot(page, `organiser-sign-in-error-${lang}`);

      await page.locator('input[autocomplete="current-password"]').fill(organiser.password);
      await page.locator('input[autocomplete="one-time-code"]').fill(totpCode(organiser.totpUri));
      await page.getByRole('button', { name: signIn }).click();

      // First sign-in: a new password.
      const newPassword = page.locator('input[autocomplete="new-password"]');
      await expect(newPassword).toBeFocused();
      await expectNoAxeViolations(page, `new password page (${lang})`);
      await expectReflowAt320(page, `provider page (${lang})`);
      await newPassword.fill('short');
      await newPassword.press('Enter');
      await expect(page.getByRole('alert')).toBeFocused();
      await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
      await expectNoAxeViolations(page, `new password page with an error (${lang})`);

      await newPassword.fill(`a new passphrase ${randomBytes(6).toString('hex')}`);
      await newPassword.press('Enter');
      await page.waitForURL(/\/console\/callback\/\?/);
      const callback = new URL(page.url());
      expect(callback.searchParams.get('code')).toBeTruthy();
      expect(callback.searchParams.get('iss')).toBe(`${baseURL}/oidc`);
    });
  });
}
