/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { messages } from './messages.ts';
import { expectNoAxeViolations } from './support.ts';

/**
 * A new initiative, the local demo included, is in test mode until the organisers go live: every
 * public page and the widget say so, in the page's language, visibly and accessibly.
 */
const RECEIPT = '0b9f2c1e-6a4d-4c7b-9e2f-3a5d7c9e1b20';

for (const lang of ['en', 'de', 'el', 'ga'] as const) {
  test(`says "test" on the initiative, sign and receipt pages and in the widget (${lang})`, async ({
    page,
  }) => {
    const m = messages(lang);
    const initiative = await (await page.request.get('/api/initiative')).json();
    expect(initiative.mode).toBe('test');

    for (const path of [
      `/${lang}/`,
      `/${lang}/sign/`,
      `/${lang}/receipt/#${RECEIPT}`,
      `/embed/progress/?lang=${lang}`,
    ]) {
      await page.goto(path);
      const notice = page.getByTestId('test-mode');
      await expect(notice, path).toBeVisible();
      await expect(notice, path).toContainText(m.test_mode_label ?? '');
      await expect(notice, path).toContainText(m.test_mode_notice ?? '');
    }
    await page.goto(`/${lang}/sign/`);
    await expect(page.getByTestId('test-mode')).toBeVisible();
    await expectNoAxeViolations(page, `/${lang}/sign/ with the test-mode notice`);
  });
}
