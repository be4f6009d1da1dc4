import { type AuditEntry, nextEntry } from '@ocs/shared/audit';
import type { AdminInitiative, AuditPage, Dashboard } from '@ocs/shared/contract/admin-api';
import type { ExportList, ExportView } from '@ocs/shared/contract/exports-api';
import { destructionDeadline } from '@ocs/shared/retention';
import { MEMBER_STATES, type MemberStateCode } from '@ocs/shared/statement';
import { expect, type Page, test } from '@playwright/test';
import { demoInitiative } from '../../functions/src/local/demo-initiative.ts';
import {
  CONSOLE_PAGES,
  expectReflowAt320,
  openConsolePage,
  signInAsNew,
  watchProblems,
} from './console-support.ts';
import { expectNoAxeViolations, screenshot } from './support.ts';

/**
 * The console's states that the real system rarely shows, against stubbed answers: the browser
 * intercepts `/api/admin/*` (except `me`) and answers in the contract's own types
 * (`@ocs/shared/contract`, the ones the handlers produce), so a stub cannot drift from the real
 * shape without failing the typecheck. Sign-in is real (the local provider). What the real system
 * does is checked by console-flow.spec.ts against `npm start`; here: a dashboard with a year of
 * statements, exports running, failed and done (statements and e-mails), and the error answers that
 * take a race or a year to happen for real (go-live's 422 in its code-only shape, 409 already_live,
 * 409 retention_over, a tampered audit trail, a failed load). Every state passes axe and works at 320 px.
 */

type Json = Record<string, unknown>;

const fulfil = (status: number, json: unknown) => ({ status, json: json as Json });

function adminInitiative(mode: AdminInitiative['mode']): AdminInitiative {
  const initiative = demoInitiative('clean-rivers', new Date());
  return {
    initiative,
    mode,
    status: 'open',
    submittedOn: null,
    destruction: destructionDeadline({ collectionStart: initiative.collection.start }),
  };
}

function dashboard(): Dashboard {
  const counts: Partial<Record<MemberStateCode, number>> = { DE: 80000, FR: 40000, PL: 3456 };
  return {
    total: 123456,
    byCountry: Object.fromEntries(
      MEMBER_STATES.map((code) => [code, counts[code] ?? 0]),
    ) as Dashboard['byCountry'],
    countriesAtThreshold: 2,
    daily: Array.from({ length: 40 }, (_, i) => ({
      date: new Date(Date.now() - (39 - i) * 86400000).toISOString().slice(0, 10),
      count: i * 100,
    })),
    projectedGoalDate: '2027-06-01',
  };
}

async function auditTrail(length: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < length; i++)
    entries.push(
      await nextEntry(entries.at(-1), {
        at: new Date().toISOString(),
        actor: { sub: 's', email: 'a@example.org' },
        action: i ? 'initiative_updated' : 'sign_in',
        details: i ? { changedFields: ['content.en.title'], digest: 'a'.repeat(64) } : {},
      }),
    );
  return entries;
}

const anna = { sub: 'sub-anna', email: 'anna@example.org' };
const bruno = { sub: 'sub-bruno', email: 'bruno.with-a-rather-long-address@example.org' };
const hash = (c: string) => c.repeat(64);

/** One export of each state the console shows, in the contract's `ExportView`. */
function exportViews(): ExportView[] {
  const base = {
    kind: 'statements',
    countries: 'all',
    requestedBy: anna,
    requestedAt: '2027-03-01T09:00:00.000Z',
    approvedBy: bruno,
    approvedAt: '2027-03-01T09:05:00.000Z',
    startedAt: '2027-03-01T09:05:01.000Z',
    finishedAt: null,
    progress: null,
    files: [],
    manifestSha256: null,
    emails: null,
    failure: null,
  } as const satisfies Omit<ExportView, 'id' | 'state'>;
  return [
    {
      ...base,
      id: '20270301T090000000Z-5555555555555555',
      state: 'requested',
      approvedBy: null,
      approvedAt: null,
      startedAt: null,
      countries: ['DE', 'EL', 'PL'],
    },
    {
      ...base,
      id: '20270301T090000000Z-4444444444444444',
      state: 'running',
      progress: { phase: 'writing', read: 412000, written: 180000 },
    },
    {
      ...base,
      id: '20270301T090000000Z-3333333333333333',
      state: 'failed',
      finishedAt: '2027-03-01T09:09:00.000Z',
      failure: 'interrupted',
    },
    {
      ...base,
      id: '20270301T090000000Z-2222222222222222',
      kind: 'emails',
      countries: null,
      state: 'done',
      finishedAt: '2027-03-01T09:06:00.000Z',
      progress: { phase: 'done', read: 950, written: 930 },
      emails: { addresses: 930, bytes: 28123, sha256: hash('c') },
    },
    {
      ...base,
      id: '20270301T090000000Z-1111111111111111',
      state: 'done',
      finishedAt: '2027-03-01T09:07:00.000Z',
      progress: { phase: 'done', read: 123456, written: 123456 },
      files: (['DE', 'FR', 'PL'] as const).map((country, i) => ({
        country,
        statements: [80000, 40000, 3456][i] ?? 0,
        bytes: [98765432, 49382716, 4266912][i] ?? 0,
        sha256: hash('f'),
      })),
      manifestSha256: hash('e'),
    },
  ];
}

/** Stubs every organiser route but `me` with the contract's shapes. */
async function stubOrganiserApi(page: Page, entries: readonly AuditEntry[]): Promise<void> {
  let mode: AdminInitiative['mode'] = 'test';
  await page.route('**/api/admin/initiative', (route) => route.fulfill(fulfil(200, adminInitiative(mode))));
  await page.route('**/api/admin/go-live', (route) => {
    mode = 'live';
    return route.fulfill(fulfil(200, { mode: 'live' }));
  });
  await page.route('**/api/admin/dashboard', (route) => route.fulfill(fulfil(200, dashboard())));
  await page.route('**/api/admin/audit*', (route) => {
    const body: AuditPage = {
      entries: route.request().url().includes('after') ? [] : entries,
      chainValid: true,
    };
    return route.fulfill(fulfil(200, body));
  });
  await page.route('**/api/admin/exports', (route) =>
    route.fulfill(fulfil(200, { exports: exportViews() } satisfies ExportList)),
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
}

test('every page with content: axe, reflow and touch targets at 320 px, the go-live dialog, chain verification', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await stubOrganiserApi(page, await auditTrail(4));

  await signInAsNew(page, 'ui');
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

  // Every state of an export, from the contract's ExportView.
  await openConsolePage(page, 'Exports', 'Exports');
  const cards = page.getByTestId('export');
  await expect(cards).toHaveCount(5);
  await expect(cards.nth(0)).toHaveAttribute('data-state', 'requested');
  await expect(cards.nth(0)).toContainText('Germany, Greece, Poland');
  await expect(cards.nth(0).getByRole('button', { name: 'Approve this export' })).toBeVisible();
  await expect(cards.nth(1).getByTestId('export-progress')).toHaveText('412,000 read, 180,000 written');
  await expect(cards.nth(2).getByTestId('export-failure')).toHaveText('interrupted');
  await expect(cards.nth(2)).toContainText('request a new one');
  await expect(cards.nth(3)).toHaveAttribute('data-kind', 'emails');
  await expect(cards.nth(3).getByRole('heading', { level: 3 })).toHaveText('E-mail export 22222222');
  await expect(cards.nth(3).getByTestId('email-file')).toContainText('930');
  await expect(cards.nth(3).getByRole('button', { name: 'Get a link for emails.csv' })).toBeVisible();
  await expect(cards.nth(4).getByRole('table', { name: 'Files' }).locator('tbody tr')).toHaveCount(3);
  await page.setViewportSize({ width: 320, height: 640 });
  await screenshot(page, 'console-data-exports-320');
  await page.setViewportSize({ width: 1280, height: 800 });

  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  await page.getByRole('button', { name: 'Go live…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Go live' });
  await expectNoAxeViolations(page, 'dialog');
  await expectReflowAt320(page, 'go-live dialog');
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

test('answers that take a race or a year to happen for real: shown in words, axe-clean', async ({ page }) => {
  const problems = watchProblems(page);
  const entries = await auditTrail(5);
  await stubOrganiserApi(page, entries);
  const refuse = (status: number, code: string) => fulfil(status, { error: { code, message: 'Refused.' } });

  await signInAsNew(page, 'ui-errors');

  // Go-live: a 422 that names its code only in `error.code` (the contract's plain error shape),
  // then 409 already_live (another organiser was quicker).
  let goLiveAnswers = [refuse(422, 'wrong_confirmation'), refuse(409, 'already_live')];
  await page.route('**/api/admin/go-live', (route) =>
    route.fulfill(goLiveAnswers.shift() ?? refuse(500, 'x')),
  );
  await openConsolePage(page, 'Mode and collection', 'Mode and collection');
  await page.getByRole('button', { name: 'Go live…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Go live' });
  const confirm = dialog.getByLabel(/To confirm/);
  await confirm.fill('ECI(2026)000009');
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(dialog.getByText('This is not the registration number.')).toBeVisible();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await confirm.fill('ECI(2026)000001');
  await dialog.getByRole('button', { name: 'Go live now' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert')).toHaveText(/already live/);
  await expectNoAxeViolations(page, 'lifecycle after already_live');
  goLiveAnswers = [];

  // The e-mails' retention is over (12 months after the collection ended): 409 retention_over.
  await page.route('**/api/admin/email-exports', (route) => route.fulfill(refuse(409, 'retention_over')));
  await openConsolePage(page, 'Exports', 'Exports');
  await page.getByRole('button', { name: 'Request an e-mail export' }).click();
  await expect(page.getByRole('alert')).toHaveText(/retention period of the e-mail addresses is over/);
  await expectNoAxeViolations(page, 'exports after retention_over');

  // A trail whose third entry was changed after it was written: the browser's own check finds it,
  // even where the server says the chain is valid.
  const third = entries[2];
  if (!third) throw new Error('no third entry');
  entries[2] = { ...third, details: { changedFields: ['registrationNumber'], digest: hash('b') } };
  await openConsolePage(page, 'Audit trail', 'Audit trail');
  await expect(page.getByTestId('chain-client')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('chain-client')).toContainText('The chain is broken at entry 3');
  await expectNoAxeViolations(page, 'audit with a broken chain');
  await expectReflowAt320(page, 'audit with a broken chain');

  // A route that fails: the page says so instead of waiting for ever.
  await page.route('**/api/admin/dashboard', (route) => route.fulfill(refuse(503, 'service_unavailable')));
  await openConsolePage(page, 'Dashboard', 'Dashboard');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, 'dashboard that could not load');
  expect(problems).toEqual([]);
});
