import { type AuditEntry, nextEntry } from '@ocs/shared/audit';
import { expect, test } from '@playwright/test';
import { demoInitiative } from '../../functions/src/local/demo-initiative.ts';
import {
  CONSOLE_PAGES,
  expectReflowAt320,
  newOrganiser,
  openConsolePage,
  signInToConsole,
  watchProblems,
} from './console-support.ts';
import { expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The console's pages with content, against a stubbed organiser API: the browser intercepts
 * `/api/admin/*` (except `me`) and answers in the contract's shapes, so every state with data is
 * checked (axe, reflow at 320 px, the form's errors from the schema and from a 422, the go-live
 * dialog, the audit chain verified in the browser) whatever backends are merged. Sign-in is real
 * (the local provider). The whole system is exercised by console-flow.spec.ts.
 */
test('every page with content: axe, reflow at 320 px, errors, dialog and chain verification', async ({
  page,
}) => {
  const problems = watchProblems(page);
  const initiative = demoInitiative('clean-rivers', new Date());
  let mode = 'test';
  const state = () => ({
    initiative,
    mode,
    status: 'open',
    submittedOn: null,
    destruction: { deadline: '2028-01-31', rule: 'collection_start' },
  });
  const entries: AuditEntry[] = [];
  for (let i = 0; i < 4; i++)
    entries.push(
      await nextEntry(entries.at(-1), {
        at: new Date().toISOString(),
        actor: { sub: 's', email: 'a@example.org' },
        action: i ? 'initiative_updated' : 'sign_in',
        details: i ? { changedFields: ['content.en.title'], digest: 'a'.repeat(64) } : {},
      }),
    );
  await page.route('**/api/admin/initiative', async (route) => {
    if (route.request().method() === 'PUT') {
      const body = route.request().postDataJSON();
      if (!body.content.en.title.includes('Clean'))
        return route.fulfill({
          status: 422,
          json: { errors: [{ field: 'content.en.title', code: 'too_long', message: 'x' }] },
        });
      Object.assign(initiative, body);
    }
    return route.fulfill({ json: state() });
  });
  await page.route('**/api/admin/go-live', async (route) => {
    mode = 'live';
    return route.fulfill({ json: { mode: 'live' } });
  });
  await page.route('**/api/admin/dashboard', (route) =>
    route.fulfill({
      json: {
        total: 123456,
        byCountry: { DE: 80000, FR: 40000, PL: 3456 },
        countriesAtThreshold: 2,
        daily: Array.from({ length: 40 }, (_, i) => ({
          date: new Date(Date.now() - (39 - i) * 86400000).toISOString().slice(0, 10),
          count: i * 100,
        })),
        projectedGoalDate: '2027-06-01',
      },
    }),
  );
  await page.route('**/api/admin/audit*', (route) =>
    route.fulfill({
      json: { entries: route.request().url().includes('after') ? [] : entries, chainValid: true },
    }),
  );
  await page.route('**/api/admin/exports', (route) =>
    route.fulfill({
      json: {
        exports: [
          { id: 'e2', state: 'requested', requestedBy: { sub: 'x', email: 'other@example.org' } },
          {
            id: 'e1',
            state: 'done',
            requestedBy: 'a@example.org',
            approvedBy: 'b@example.org',
            files: [{ country: 'DE', statements: 10, bytes: 12345, sha256: 'f'.repeat(64) }],
            manifestSha256: 'e'.repeat(64),
          },
        ],
      },
    }),
  );
  await page.route('**/api/admin/retention', (route) =>
    route.fulfill({
      json: {
        deadline: '2028-01-31',
        rule: 'collection_start',
        lastRun: new Date().toISOString(),
        certificates: [
          {
            at: new Date().toISOString(),
            deadline: '2027-01-01',
            met: true,
            statementsDestroyed: 5,
            emailsDestroyed: 0,
            exportsDestroyed: 1,
          },
        ],
      },
    }),
  );
  await page.route('**/api/admin/withdrawals', (route) => route.fulfill({ json: { status: 'done' } }));

  const organiser = await newOrganiser('ui');
  await signInToConsole(page, organiser);
  await expect(page.getByTestId('dashboard-total')).toHaveAttribute('data-total', '123456');
  await page.getByText('Show the numbers as a table').click();
  await expectNoAxeViolations(page, 'dash');
  await expectReflowAt320(page, 'dash');
  await screenshot(page, 'console-data-dashboard');
  await page.setViewportSize({ width: 320, height: 640 });
  await screenshot(page, 'console-data-dashboard-320');
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const { nav, heading } of CONSOLE_PAGES.slice(1)) {
    await openConsolePage(page, nav, heading);
    await page.waitForLoadState('networkidle');
    await expectNoAxeViolations(page, `${nav} with content`);
    await expectReflowAt320(page, `${nav} with content`);
    await screenshot(page, `console-data-${nav.toLowerCase().replace(/ /g, '-')}`);
  }
  await expect(page.getByTestId('chain-client')).toHaveAttribute('data-valid', 'true');
  await openConsolePage(page, 'Initiative', 'Initiative');
  const title = page.getByLabel('Title').first();
  await title.fill('');
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct the following' })).toBeFocused();
  await expectNoAxeViolations(page, 'init error');
  await title.fill('Bad');
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(page.locator('#f-content-en-title-error')).toContainText('too long');
  await title.fill('Clean Rivers edited');
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(page.getByTestId('announcer')).toHaveText('The initiative has been saved.');
  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  await page.getByRole('button', { name: 'Go live…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Go live' });
  await expectNoAxeViolations(page, 'dialog');
  await screenshot(page, 'console-data-go-live');
  await dialog.getByLabel(/To confirm/).fill('ECI(2026)000001');
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  await openConsolePage(page, 'Withdrawal', 'Withdrawal');
  await page.getByLabel('Receipt identifier').fill(crypto.randomUUID());
  await page.getByRole('button', { name: 'Withdraw the statement' }).click();
  await expect(page.getByTestId('withdrawal-done')).toBeFocused();
  await expectNoAxeViolations(page, 'withdrawal done');
  expect(problems).toEqual([]);
});
