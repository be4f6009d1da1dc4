import { expect, test } from '@playwright/test';
import { messages } from './messages.ts';
import { acceptDeclarations, fillPole, gotoReady, openForm, pole, waitForProofOfWork } from './support.ts';

/**
 * How the sign page copes with the answers of the contract it does not meet every day: a 503
 * retried with the same submissionId, field errors from the server shown next to their fields,
 * and a collection that is not open. The server's answers are replaced in the browser only.
 */

const en = messages('en');

test('a 503 and a lost connection are retried with the same submissionId, then the receipt shows', async ({
  page,
}) => {
  const bodies: { submissionId: string; altcha: string }[] = [];
  let calls = 0;
  await page.route('**/api/statements', async (route) => {
    bodies.push(JSON.parse(route.request().postData() ?? '{}'));
    calls++;
    if (calls === 1) {
      await route.fulfill({
        status: 503,
        headers: { 'retry-after': '1', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again.' } }),
      });
    } else if (calls === 2) {
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await openForm(page, 'en', 'PL');
  await fillPole(page, pole());
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/en\/receipt\/#/);
  expect(bodies).toHaveLength(3);
  expect(new Set(bodies.map((b) => b.submissionId)).size).toBe(1);
  expect(bodies[0]?.submissionId).toMatch(/^[0-9a-f-]{36}$/);
  // Exactly the contract's fields, nothing else.
  expect(Object.keys(bodies[0] ?? {}).sort()).toEqual(
    [
      'altcha',
      'certify',
      'documentNumber',
      'documentType',
      'familyNames',
      'firstNames',
      'language',
      'nationality',
      'privacyStatement',
      'submissionId',
    ].sort(),
  );
});

test('when the service stays unavailable the citizen is told and keeps the entries', async ({ page }) => {
  test.setTimeout(120_000);
  await page.route('**/api/statements', (route) =>
    route.fulfill({
      status: 503,
      headers: { 'retry-after': '0', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again.' } }),
    }),
  );
  const who = pole();
  await openForm(page, 'en', 'PL');
  await fillPole(page, who);
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  await page.locator('button[type=submit]').click();
  await expect(page.getByTestId('general-error')).toHaveText(en.outcome_unavailable ?? '');
  await expect(page.locator('.summary')).toBeFocused();
  await expect(page.locator('#f-documentNumber')).toHaveValue(who.pesel);
});

test('field errors from the server are shown, translated, next to their fields and in the summary', async ({
  page,
}) => {
  const de = messages('de');
  await page.route('**/api/statements', (route) =>
    route.fulfill({
      status: 422,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        errors: [
          { field: 'firstNames', code: 'invalid_characters', message: '...' },
          { field: 'familyNames', code: 'too_long', message: '...' },
          { field: 'documentNumber', code: 'invalid_checksum', message: '...' },
        ],
      }),
    }),
  );
  await openForm(page, 'de', 'PL');
  await fillPole(page, pole());
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('.summary')).toBeFocused();
  await expect(page.locator('#e-firstNames')).toContainText(de.error_invalid_characters ?? '');
  await expect(page.locator('#e-familyNames')).toContainText(de.error_too_long ?? '');
  await expect(page.locator('#e-documentNumber')).toContainText(de.error_invalid_checksum ?? '');
  await expect(page.locator('.summary li')).toHaveCount(3);
  // Typing in a field clears the server's verdict on it.
  await page.locator('#f-firstNames').fill('Zofia');
  await expect(page.locator('#e-firstNames')).toHaveCount(0);
});

test('a refused proof of work, a closed collection and other refusals get their own messages', async ({
  page,
}) => {
  const answers = [
    { status: 403, code: 'challenge_failed', text: en.outcome_challenge_failed },
    { status: 403, code: 'collection_not_open', text: en.outcome_collection_not_open },
    { status: 413, code: 'too_large', text: (en.outcome_rejected ?? '').replace('{code}', '413 too_large') },
  ];
  for (const answer of answers) {
    await page.unrouteAll();
    await page.route('**/api/statements', (route) =>
      route.fulfill({
        status: answer.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: answer.code, message: '...' } }),
      }),
    );
    await openForm(page, 'en', 'PL');
    await fillPole(page, pole());
    await acceptDeclarations(page);
    await waitForProofOfWork(page);
    await page.locator('button[type=submit]').click();
    await expect(page.getByTestId('general-error')).toHaveText(answer.text ?? '');
  }
});

test('before and after the collection period the sign page says so and shows no form', async ({ page }) => {
  for (const status of ['not_started', 'closed'] as const) {
    await page.unrouteAll();
    await page.route('**/api/initiative', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      await route.fulfill({ response, json: { ...body, collection: { ...body.collection, status } } });
    });
    await gotoReady(page, '/en/sign/');
    await expect(page.getByText(en.sign_not_open ?? '')).toBeVisible();
    await expect(page.locator('#f-nationality')).toHaveCount(0);
  }
});
