import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PublicInitiative } from '@ocs/shared/contract/citizen-api';
import type { ExportList, ExportView } from '@ocs/shared/contract/exports-api';
import type { ExportManifest } from '@ocs/shared/export';
import { addMonths } from '@ocs/shared/initiative';
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import {
  expectReflowAt320,
  openConsolePage,
  signInAsNew,
  signInElsewhere,
  watchProblems,
} from './console-support.ts';
import {
  acceptDeclarations,
  expectNoAxeViolations,
  fillGerman,
  fillPole,
  german,
  openForm,
  pole,
  screenshot,
  submitAndGetReceipt,
  waitForProofOfWork,
} from './support.ts';

/**
 * The organiser's whole flow through the console, in Chromium against `npm start`: an organiser
 * made with the CLI signs in through the local provider (password, TOTP, new password), edits the
 * initiative (errors next to their fields, from the form's schema and from the server's 422; a
 * contact person's e-mail address), goes live (typing the registration number; the server's 422
 * for a wrong one), a form left open meanwhile meets 409 live_locked, the collection is paused and
 * opened again, the submission date moves the destruction deadline, a citizen signs and the
 * dashboard moves without a reload, a second organiser approves the exports the first requested
 * (the requester's own approval refused by the server) and their files download through single-
 * use links, a withdrawal gets the same answer for any receipt, the retention page shows the
 * deadline, and the audit trail verifies in the browser, on the server and offline with `npm run
 * audit -- verify`. axe-core finds nothing on any state shown, and each page reflows at 320 px.
 *
 * Going live is irreversible, and the e2e system is shared by every suite: the console project
 * runs after the citizen suites (playwright.config.ts). The tests of this file build on each
 * other in order (live mode, live statements), each with its own organisers.
 */

const REPO = resolve(import.meta.dirname, '..', '..');
const REGISTRATION_NUMBER = 'ECI(2026)000001';

/** Signs as a citizen in a browser of its own (a Pole; a German with an e-mail address for updates). */
async function signAsCitizen(browser: Browser, options: { email?: string } = {}): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (options.email) {
    await openForm(page, 'en', 'DE');
    await fillGerman(page, german());
    await page.locator('#f-email').fill(options.email);
    await page.locator('#f-emailConsent').check();
  } else {
    await openForm(page, 'en', 'PL');
    await fillPole(page, pole());
  }
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

/** The public status of the collection, once it is `status` (functions cache the initiative a few seconds). */
async function expectPublicStatus(page: Page, status: 'open' | 'closed'): Promise<void> {
  await expect
    .poll(
      async () =>
        ((await (await page.request.get('/api/initiative')).json()) as PublicInitiative).collection.status,
      { timeout: 30_000 },
    )
    .toBe(status);
}

/**
 * Gets a single-use link for the file `name` inside `scope` and follows it as an organiser does (a
 * navigation, never a fetch): the file's bytes and the link's address.
 */
async function downloadFile(
  page: Page,
  scope: Locator,
  name: string,
): Promise<{ bytes: Buffer; url: string }> {
  await scope.getByRole('button', { name: `Get a link for ${name}` }).click();
  const link = scope.getByRole('link', { name: `Download ${name}` });
  await expect(link).toBeFocused();
  const url = (await link.getAttribute('href')) ?? '';
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(file.suggestedFilename()).toBe(name);
  return { bytes: await readFile(await file.path()), url };
}

/**
 * Every view of an export in the answers the page itself reads (the list, polled while an export is
 * approved or running), in the order they arrived.
 */
function watchExportViews(page: Page): { of(id: string): Promise<ExportView[]> } {
  const lists: Promise<ExportList | null>[] = [];
  page.on('response', (response) => {
    if (response.request().method() === 'GET' && new URL(response.url()).pathname === '/api/admin/exports') {
      lists.push(
        response.json().then(
          (list: ExportList) => list,
          () => null,
        ),
      );
    }
  });
  return {
    async of(id) {
      const all = await Promise.all(lists);
      return all.flatMap((list) => list?.exports.filter((e) => e.id === id) ?? []);
    },
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('edit the initiative: errors next to their fields from the form and from the server, then saved', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await signInAsNew(page, 'edit');
  await openConsolePage(page, 'Initiative', 'Initiative');

  const title = page.getByLabel('Title').first();
  await expect(title).toHaveValue(/Clean Rivers/);
  const newTitle = `Clean Rivers for Europe (demo, edited ${randomUUID().slice(0, 8)})`;

  // The form's own check (the schema the server applies): nothing is sent.
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

  // Two representatives: the group of organisers has one (the error next to the role).
  const roles = page.locator('select[id$="-role"]');
  const secondRole = roles.nth(1);
  const secondRoleBefore = await secondRole.inputValue();
  await secondRole.selectOption('representative');
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(summary).toBeFocused();
  await expect(secondRole).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'initiative form with a role error');
  await secondRole.selectOption(secondRoleBefore);

  // The server's own 422 (a body the form would not send: here changed on its way), next to its field.
  await page.route('**/api/admin/initiative', async (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    const body = route.request().postDataJSON() as Record<string, unknown>;
    return route.continue({
      postData: JSON.stringify({ ...body, registerUrl: 'http://example.org/register' }),
    });
  });
  await page.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(summary).toBeFocused();
  const registerUrl = page.locator('#f-registerUrl');
  await expect(registerUrl).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-registerUrl-error')).toBeVisible();
  await page.unroute('**/api/admin/initiative');

  // The contact persons' e-mail addresses (representative and substitute only).
  const representative = page.getByRole('group', { name: 'Organiser 1' });
  await expect(representative.getByLabel('Role')).toHaveValue('representative');
  await representative.getByLabel(/E-mail address/).fill('representative@example.org');

  // Another language, as an organiser adds it.
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
  await expect(registerUrl).not.toHaveAttribute('aria-invalid', 'true');

  // Read again from the server: the contact person's address was stored.
  await openConsolePage(page, 'Dashboard', 'Dashboard');
  await openConsolePage(page, 'Initiative', 'Initiative');
  await expect(page.getByRole('group', { name: 'Organiser 1' }).getByLabel(/E-mail address/)).toHaveValue(
    'representative@example.org',
  );

  // The citizen pages show the change.
  const publicInitiative = (await (await page.request.get('/api/initiative')).json()) as PublicInitiative;
  expect(publicInitiative.content.en?.title).toBe(newTitle);
  expect(publicInitiative.content.pl?.title).toBe('Czyste rzeki dla Europy (demo)');
  expect(problems).toEqual([]);
});

test('go live by typing the registration number; a form left open meets live_locked; the dashboard moves', async ({
  page,
  browser,
}) => {
  const problems = watchProblems(page);
  // Another organiser has the initiative form open while this one goes live.
  const stale = await signInElsewhere(browser, 'stale');
  await openConsolePage(stale, 'Initiative', 'Initiative');
  await expect(stale.getByTestId('mode')).toHaveAttribute('data-mode', 'test');

  await signInAsNew(page, 'live');
  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'test');

  await page.getByRole('button', { name: 'Go live…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Go live' });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByLabel(`To confirm, type the registration number ${REGISTRATION_NUMBER}`);
  await expect(confirm).toBeFocused();
  await expectNoAxeViolations(page, 'go-live dialog');

  // The server decides (422 wrong_confirmation); the answer shows next to the field.
  await confirm.fill('ECI(2026)000002');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/admin/go-live'));
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  expect((await refused).status()).toBe(422);
  await expect(dialog.getByText('This is not the registration number.')).toBeVisible();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toBeFocused();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'test');
  await expectNoAxeViolations(page, 'go-live dialog with an error');

  // The server ignores case and surrounding spaces.
  await confirm.fill(` ${REGISTRATION_NUMBER.toLowerCase()} `);
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('mode')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('announcer')).toHaveText('The initiative is live.');
  await expect(page.getByRole('button', { name: 'Go live…' })).toHaveCount(0);
  await expect(page.getByTestId('deadline')).toBeVisible();
  await expect(page.getByTestId('countdown')).toHaveText(/^in \d+ days$/);
  await expectNoAxeViolations(page, 'lifecycle, live');

  // The stale form changes a registered fact: 409 live_locked, shown next to the fact, which goes
  // back to its registered value and locks; the other change stays and saves.
  const staleDate = stale.locator('#f-registrationDate');
  const registered = await staleDate.inputValue();
  await staleDate.fill(addMonths(registered, -1));
  const staleTitle = stale.getByLabel('Title').first();
  const keptTitle = `${await staleTitle.inputValue()} (kept)`;
  await staleTitle.fill(keptTitle);
  await stale.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(stale.getByRole('alert').filter({ hasText: 'Please correct the following' })).toBeFocused();
  await expect(stale.getByTestId('initiative-locked')).toContainText('registered facts can no longer change');
  await expect(staleDate).toHaveValue(registered);
  await expect(staleDate).toHaveAttribute('readonly', '');
  await expect(staleDate).toHaveAttribute('aria-invalid', 'true');
  await expect(stale.locator('#f-registrationDate-error')).toContainText('cannot change after go-live');
  await expect(staleTitle).toHaveValue(keptTitle);
  await expectNoAxeViolations(stale, 'initiative after live_locked');
  await stale.getByRole('button', { name: 'Save the initiative' }).click();
  await expect(stale.getByTestId('announcer')).toHaveText('The initiative has been saved.');
  await stale.context().close();

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

test('pause and open the collection; the submission date moves the destruction deadline', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await signInAsNew(page, 'lifecycle');
  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  const status = page.getByTestId('collection-status');
  await expect(status).toHaveAttribute('data-status', 'open');

  const toggle = page.getByTestId('collection-toggle');
  await expect(toggle).toHaveText('Pause the collection');
  await toggle.click();
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(toggle).toHaveText('Open the collection');
  await expect(toggle).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText(/paused/i);
  await expectPublicStatus(page, 'closed');
  await expectNoAxeViolations(page, 'lifecycle, paused');
  await toggle.click();
  await expect(status).toHaveAttribute('data-status', 'open');
  await expect(toggle).toBeFocused();
  await expectPublicStatus(page, 'open');

  // Before any submission: 21 months after the collection start.
  await expect(page.getByTestId('deadline-rule')).toHaveText('21 months after the start of the collection');
  const today = (await page.locator('#submission-date').getAttribute('max')) ?? '';
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // A date after today: the server's 422, in the console's words, next to the field.
  const date = page.locator('#submission-date');
  await date.fill(addMonths(today, 1));
  await page.getByRole('button', { name: 'Record the submission date' }).click();
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#submission-date-error')).toHaveText(
    'The date must be between the start of the collection and today.',
  );
  await expect(date).toBeFocused();

  // Today: the preview says the deadline before it is recorded; the countdown follows.
  await date.fill(today);
  const deadline = addMonths(today, 1);
  await expect(page.getByTestId('deadline-preview')).toContainText('the statements must be destroyed by');
  await page.getByRole('button', { name: 'Record the submission date' }).click();
  await expect(page.getByTestId('deadline')).toHaveAttribute('data-deadline', deadline);
  await expect(page.getByTestId('deadline-rule')).toHaveText(
    'One month after the submission to the Commission',
  );
  await expect(page.getByTestId('countdown')).toHaveText(/^in (2[89]|3[01]) days$/);
  await expect(page.getByTestId('submitted-on')).toBeVisible();
  await expect(date).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('announcer')).toHaveText(/^Submission date recorded\./);
  await expectNoAxeViolations(page, 'lifecycle after the submission');
  await expectReflowAt320(page, 'lifecycle after the submission');
  expect(problems).toEqual([]);
});

test('exports: the requester cannot approve, another organiser can; files, counts and hashes; single-use links', async ({
  page,
  browser,
}, testInfo) => {
  const problems = watchProblems(page);
  await signAsCitizen(browser);
  const address = `updates-${randomUUID().slice(0, 8)}@example.org`;
  await signAsCitizen(browser, { email: address });
  await signInAsNew(page, 'requester');
  await openConsolePage(page, 'Exports', 'Exports');
  await page.getByLabel('Chosen Member States').check();
  await page.getByLabel('Poland').check();
  await page.getByRole('button', { name: 'Request the export' }).click();
  await expect(page.getByTestId('announcer')).toHaveText(
    'Export requested. Another organiser must approve it.',
  );
  const mine = page.getByTestId('export').first();
  await expect(mine).toHaveAttribute('data-state', 'requested');
  await expect(mine.getByRole('heading', { level: 3 })).toBeFocused();
  await expect(mine.getByText('Another organiser must approve your request.')).toBeVisible();
  await expect(mine.getByRole('button', { name: 'Approve this export' })).toHaveCount(0);
  const id = ((await mine.getByRole('heading', { level: 3 }).getAttribute('id')) ?? '').replace(
    /^export-/,
    '',
  );
  await expectNoAxeViolations(page, 'exports with a request');

  // Even a console fooled into offering the requester the approval (the list doctored in the
  // browser) gets the server's 403 same_organiser, and says so.
  await page.route('**/api/admin/exports', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const list = (await response.json()) as ExportList;
    const exports = list.exports.map((e) =>
      e.id === id ? { ...e, requestedBy: { sub: 'someone-else', email: 'someone@example.org' } } : e,
    );
    return route.fulfill({ response, json: { exports } satisfies ExportList });
  });
  await openConsolePage(page, 'Dashboard', 'Dashboard');
  await openConsolePage(page, 'Exports', 'Exports');
  const fooled = page.locator(`[data-testid="export"]:has(#export-${id})`);
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/admin/exports/${id}/approve`));
  await fooled.getByRole('button', { name: 'Approve this export' }).click();
  expect((await refused).status()).toBe(403);
  await expect(fooled.getByRole('alert')).toHaveText(
    'You requested this export: another organiser must approve it.',
  );
  await expect(fooled).toHaveAttribute('data-state', 'requested');
  await expectNoAxeViolations(page, 'exports with a refused approval');
  await page.unroute('**/api/admin/exports');

  // The e-mail addresses given for updates: an export of their own, under the same dual control.
  await page.getByRole('button', { name: 'Request an e-mail export' }).click();
  await expect(page.getByTestId('announcer')).toHaveText(
    'E-mail export requested. Another organiser must approve it.',
  );
  const emailsExport = page.locator('[data-testid="export"][data-kind="emails"]').first();
  await expect(emailsExport).toHaveAttribute('data-state', 'requested');
  const emailsId = ((await emailsExport.getByRole('heading', { level: 3 }).getAttribute('id')) ?? '').replace(
    /^export-/,
    '',
  );

  const approver = await signInElsewhere(browser, 'approver');
  const approverEmail = (await approver.getByTestId('organiser-email').textContent()) ?? '';
  const progress = watchExportViews(approver);
  await openConsolePage(approver, 'Exports', 'Exports');
  const request = approver.locator(`[data-testid="export"]:has(#export-${id})`);
  const approval = approver.waitForResponse((r) => r.url().endsWith(`/api/admin/exports/${id}/approve`));
  await request.getByRole('button', { name: 'Approve this export' }).click();
  const approved = (await (await approval).json()) as ExportView;
  expect(['approved', 'running', 'done']).toContain(approved.state);
  expect(approved.approvedBy?.email).toBe(approverEmail);
  await expect(approver.getByTestId('announcer')).toHaveText('Export approved.');
  await expect(request).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const files = request.getByRole('table', { name: 'Files' });
  await expect(files).toContainText('Poland (PL)');
  await expectNoAxeViolations(approver, 'exports with a finished export');
  await expectReflowAt320(approver, 'exports with a finished export');

  // The manifest, then the country file: bytes and hashes as the page shows them.
  const { bytes: manifestBytes } = await downloadFile(approver, request, 'manifest.json');
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ExportManifest;
  expect(manifest.exportId).toBe(id);
  await expect(request.getByText(sha256(manifestBytes))).toBeVisible();
  const pl = manifest.files.find((f) => f.country === 'PL');
  expect(pl?.statements).toBeGreaterThanOrEqual(2);
  const row = files.locator('tr[data-country="PL"]');
  await expect(row.locator('[data-statements]')).toHaveAttribute('data-statements', String(pl?.statements));
  await expect(row.locator('[data-bytes]')).toHaveAttribute('data-bytes', String(pl?.bytes));
  await expect(row).toContainText(pl?.sha256 ?? 'none');

  const { bytes: xml, url } = await downloadFile(approver, row, 'PL.xml');
  expect(url).toMatch(/\/local-downloads\/[\w-]+$/);
  expect(xml.length).toBe(pl?.bytes);
  expect(sha256(xml)).toBe(pl?.sha256);
  // The progress the page read while the export ran ends in what the manifest counts.
  const finished = (await progress.of(id)).at(-1);
  expect(finished?.state).toBe('done');
  expect(finished?.progress).toEqual({ phase: 'done', read: pl?.statements, written: pl?.statements });
  // The link works once: the button is back for the next download, and the link is spent.
  await expect(row.getByRole('button', { name: 'Get a link for PL.xml' })).toBeFocused();
  expect((await approver.request.get(url)).status()).toBe(410);

  // The e-mail export, approved by the other organiser too.
  await openConsolePage(approver, 'Dashboard', 'Dashboard');
  await openConsolePage(approver, 'Exports', 'Exports');
  const emails = approver.locator(`[data-testid="export"]:has(#export-${emailsId})`);
  await emails.getByRole('button', { name: 'Approve this export' }).click();
  await expect(emails).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const summary = emails.getByTestId('email-file');
  const addresses = Number(await summary.locator('[data-addresses]').getAttribute('data-addresses'));
  expect(addresses).toBeGreaterThanOrEqual(1);
  await expectNoAxeViolations(approver, 'exports with an e-mail export');
  const { bytes: csv } = await downloadFile(approver, emails, 'emails.csv');
  await expect(summary).toContainText(sha256(csv));
  await expect(summary.locator('[data-bytes]')).toHaveAttribute('data-bytes', String(csv.length));
  const lines = csv.toString('utf8').split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('email');
  expect(lines).toContain(address);
  expect(lines).toHaveLength(addresses + 1);
  const emailsDone = (await progress.of(emailsId)).at(-1);
  expect(emailsDone?.progress).toMatchObject({ phase: 'done', written: addresses });
  await testInfo.attach('export ids', { body: `${id}\n${emailsId}` });
  await approver.context().close();
  expect(problems).toEqual([]);
});

test('a withdrawal answers the same for a real receipt and an unknown one', async ({ page, browser }) => {
  const receipt = await signAsCitizen(browser);
  await signInAsNew(page, 'withdrawal');
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
  await signInAsNew(page, 'retention');
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
  await signInAsNew(page, 'audit');
  await openConsolePage(page, 'Audit trail', 'Audit trail');
  await expect(page.getByTestId('chain-client')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('chain-server')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('chain-client')).toContainText(/All \d+ entries verify/);
  const table = page.getByTestId('audit-table');
  for (const action of [
    'sign_in',
    'initiative_updated',
    'go_live',
    'collection_paused',
    'collection_opened',
    'submission_recorded',
    'export_requested',
    'export_approved',
    'export_completed',
    'export_downloaded',
    'email_export_requested',
    'email_export_approved',
    'email_export_downloaded',
  ]) {
    await expect(table.locator(`tr[data-action="${action}"]`).first()).toBeVisible();
  }
  await expect(table).toContainText('Went live');
  await expect(table).toContainText('E-mail file downloaded');
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
