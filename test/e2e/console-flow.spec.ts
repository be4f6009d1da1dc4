import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, expect, type Page, test } from '@playwright/test';
import type { NewOrganiser } from '../support/organiser.ts';
import {
  expectReflowAt320,
  newOrganiser,
  openConsolePage,
  signInToConsole,
  watchProblems,
} from './console-support.ts';
import {
  acceptDeclarations,
  expectNoAxeViolations,
  fillPole,
  openForm,
  pole,
  screenshot,
  submitAndGetReceipt,
  waitForProofOfWork,
} from './support.ts';

/**
 * The organiser's whole flow through the console, in Chromium against `npm start`: an organiser
 * made with the CLI signs in through the local provider (password, TOTP, new password), edits the
 * initiative (an error next to its field, then saved), goes live (typing the registration number),
 * a citizen signs and the dashboard moves without a reload, a second organiser approves an export
 * the first requested and its files download, a withdrawal gets the same answer for any receipt,
 * the retention page shows the deadline, and the audit trail verifies in the browser, on the
 * server and offline with `npm run audit -- verify`. axe-core finds nothing on any state shown.
 *
 * Going live is irreversible, and the e2e system is shared by every suite: the console project
 * runs after the citizen suites (playwright.config.ts). The tests of this file build on each
 * other in order (live mode, a live statement), each with its own organiser.
 */

const REPO = resolve(import.meta.dirname, '..', '..');
const REGISTRATION_NUMBER = 'ECI(2026)000001';

async function signAsCitizen(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openForm(page, 'en', 'PL');
  await fillPole(page, pole());
  await acceptDeclarations(page);
  await waitForProofOfWork(page);
  const receipt = await submitAndGetReceipt(page);
  await context.close();
  return receipt;
}

async function dashboardTotal(page: Page): Promise<number> {
  const box = page.getByTestId('dashboard-total');
  await expect(box).toBeVisible();
  return Number(await box.getAttribute('data-total'));
}

async function signedIn(page: Page, label: string): Promise<NewOrganiser> {
  const organiser = await newOrganiser(label);
  await signInToConsole(page, organiser);
  return organiser;
}

test('edit the initiative: an error next to its field and in the summary, then saved', async ({ page }) => {
  const problems = watchProblems(page);
  await signedIn(page, 'edit');
  await openConsolePage(page, 'Initiative', 'Initiative');

  const title = page.getByLabel('Title').first();
  await expect(title).toHaveValue(/Clean Rivers/);
  const newTitle = `Clean Rivers for Europe (demo, edited ${randomUUID().slice(0, 8)})`;

  await title.fill('');
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Please correct the following' });
  await expect(summary).toBeFocused();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-content-en-title-error')).toContainText('This field is required.');
  await expectNoAxeViolations(page, 'initiative form with an error');
  await expectReflowAt320(page, 'initiative form with an error');

  await summary.getByRole('link', { name: 'This field is required.' }).click();
  await expect(title).toBeFocused();
  await title.fill(newTitle);

  // Another language and another organiser, as an organiser adds them.
  await page.getByLabel('Another language').selectOption('pl');
  await page.getByRole('button', { name: 'Add the language' }).click();
  const polishTitle = page.locator('#f-content-pl-title');
  await expect(polishTitle).toBeFocused();
  await polishTitle.fill('Czyste rzeki dla Europy (demo)');
  await page
    .locator('#f-content-pl-objectives')
    .fill('Inicjatywa demonstracyjna systemu zbierania deklaracji.');

  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(page.getByText('The initiative has been saved.').first()).toBeVisible();
  await expect(page.getByTestId('announcer')).toHaveText('The initiative has been saved.');

  // The citizen pages show the change.
  const publicInitiative = (await (await page.request.get('/api/initiative')).json()) as {
    content: Record<string, { title: string }>;
  };
  expect(publicInitiative.content.en?.title).toBe(newTitle);
  expect(publicInitiative.content.pl?.title).toBe('Czyste rzeki dla Europy (demo)');
  expect(problems).toEqual([]);
});

test('go live by typing the registration number, sign as a citizen, see the dashboard move', async ({
  page,
  browser,
}) => {
  const problems = watchProblems(page);
  await signedIn(page, 'live');
  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'test');

  await page.getByRole('button', { name: 'Go live…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Go live' });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByLabel(`To confirm, type the registration number ${REGISTRATION_NUMBER}`);
  await expect(confirm).toBeFocused();
  await expectNoAxeViolations(page, 'go-live dialog');

  await confirm.fill('ECI(2026)000002');
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(dialog.getByText('This is not the registration number.')).toBeVisible();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'test');

  await confirm.fill(REGISTRATION_NUMBER);
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('announcer')).toHaveText('The initiative is live.');
  await expect(page.getByRole('button', { name: 'Go live…' })).toHaveCount(0);
  await expect(page.getByTestId('deadline')).toBeVisible();
  await expect(page.getByTestId('countdown')).toHaveText(/^in \d+ days$/);
  await expectNoAxeViolations(page, 'lifecycle, live');

  // Test statements and their counts are gone.
  await openConsolePage(page, 'Dashboard', 'Dashboard');
  const before = await dashboardTotal(page);
  expect(before).toBe(0);
  await expectNoAxeViolations(page, 'dashboard');
  await expectReflowAt320(page, 'dashboard');

  await signAsCitizen(browser);
  // The dashboard refreshes by itself: no reload (a reload would sign the organiser out).
  await expect(page.getByTestId('dashboard-total')).toHaveAttribute('data-total', String(before + 1), {
    timeout: 40_000,
  });
  await expect(page.locator('tr[data-country="PL"] td.num')).toContainText(/^\s*1(\s|$)/);
  await expect(page.getByTestId('projection')).toBeVisible();
  await page.getByText('Show the numbers as a table').click();
  await expectNoAxeViolations(page, 'dashboard with the daily table');
  await screenshot(page, 'console-dashboard-live');
  expect(problems).toEqual([]);
});

test('an export requested by one organiser is approved by another, then its files download', async ({
  page,
  browser,
}) => {
  await signAsCitizen(browser);
  await signedIn(page, 'requester');
  await openConsolePage(page, 'Exports', 'Exports');
  await page.getByLabel('Chosen Member States').check();
  await page.getByLabel('Poland').check();
  await page.getByRole('button', { name: 'Request the export' }).click();
  await expect(page.getByTestId('announcer')).toHaveText(
    'Export requested. Another organiser must approve it.',
  );
  const mine = page.getByTestId('export').first();
  await expect(mine).toHaveAttribute('data-state', 'requested');
  await expect(mine.getByText('Another organiser must approve your request.')).toBeVisible();
  await expect(mine.getByRole('button', { name: 'Approve this export' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'exports with a request');

  const second = await browser.newContext();
  const approver = await second.newPage();
  await signedIn(approver, 'approver');
  await openConsolePage(approver, 'Exports', 'Exports');
  const request = approver.getByTestId('export').first();
  await request.getByRole('button', { name: 'Approve this export' }).click();
  await expect(request).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(request.getByRole('table', { name: 'Files' })).toContainText('Poland (PL)');
  await expectNoAxeViolations(approver, 'exports with a finished export');
  await expectReflowAt320(approver, 'exports with a finished export');

  await request.getByRole('button', { name: 'Get a link for PL.xml' }).click();
  const link = request.getByRole('link', { name: 'Download PL.xml' });
  await expect(link).toBeFocused();
  const [download] = await Promise.all([approver.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('PL.xml');
  const path = await download.path();
  expect(path).toBeTruthy();
  await request.getByRole('button', { name: 'Get a link for manifest.json' }).click();
  const [manifest] = await Promise.all([
    approver.waitForEvent('download'),
    request.getByRole('link', { name: 'Download manifest.json' }).click(),
  ]);
  expect(manifest.suggestedFilename()).toBe('manifest.json');
  await second.close();
});

test('a withdrawal answers the same for a real receipt and an unknown one', async ({ page, browser }) => {
  const receipt = await signAsCitizen(browser);
  await signedIn(page, 'withdrawal');
  await openConsolePage(page, 'Withdrawal', 'Withdrawal');
  await expectNoAxeViolations(page, 'withdrawal form');

  await page.getByLabel('Receipt identifier').fill('not-a-receipt');
  await page.getByRole('button', { name: 'Withdraw the statement' }).click();
  await expect(page.getByLabel('Receipt identifier')).toHaveAttribute('aria-invalid', 'true');

  const answers: string[] = [];
  for (const value of [receipt, randomUUID()]) {
    await page.getByLabel('Receipt identifier').fill(value);
    await page.getByRole('button', { name: 'Withdraw the statement' }).click();
    const done = page.getByTestId('withdrawal-done');
    await expect(done).toBeFocused();
    answers.push((await done.textContent()) ?? '');
  }
  expect(answers[0]).toContain('If a statement of support had this receipt, it is withdrawn');
  expect(answers[1]).toBe(answers[0]);
  await expectNoAxeViolations(page, 'withdrawal done');
});

test('the retention page shows the deadline, its countdown and the certificates', async ({ page }) => {
  await signedIn(page, 'retention');
  await openConsolePage(page, 'Retention', 'Retention');
  await expect(page.getByTestId('deadline')).toHaveAttribute('data-deadline', /^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('countdown')).toHaveText(/^in \d+ days$/);
  await expect(page.getByTestId('last-run')).toBeVisible();
  await expectNoAxeViolations(page, 'retention');
  await expectReflowAt320(page, 'retention');
});

test('the audit trail is read, verified in the browser and by the server, and its file verifies offline', async ({
  page,
}, testInfo) => {
  await signedIn(page, 'audit');
  await openConsolePage(page, 'Audit trail', 'Audit trail');
  await expect(page.getByTestId('chain-client')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('chain-server')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('chain-client')).toContainText(/All \d+ entries verify/);
  const table = page.getByTestId('audit-table');
  for (const action of [
    'sign_in',
    'initiative_updated',
    'go_live',
    'export_requested',
    'export_approved',
    'withdrawal',
  ]) {
    await expect(table.locator(`tr[data-action="${action}"]`).first()).toBeVisible();
  }
  await expect(table).toContainText('Went live');
  await expectNoAxeViolations(page, 'audit trail');
  await expectReflowAt320(page, 'audit trail');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the trail (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^audit-trail-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.json$/);
  const file = testInfo.outputPath('audit.json');
  await download.saveAs(file);
  const { stdout } = await promisify(execFile)(
    resolve(REPO, 'node_modules', '.bin', 'tsx'),
    ['functions/src/cli/audit.ts', 'verify', file],
    { cwd: REPO },
  );
  expect(stdout).toMatch(/^chain valid: \d+ entries/m);
});
