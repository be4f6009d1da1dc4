import { createAdminWithdrawStatementHandler } from '@ocs/functions/handlers/admin-withdraw-statement';
import { createGetAdminInitiativeHandler } from '@ocs/functions/handlers/get-admin-initiative';
import { createGetAuditHandler } from '@ocs/functions/handlers/get-audit';
import { createGetDashboardHandler } from '@ocs/functions/handlers/get-dashboard';
import { createGetRetentionHandler } from '@ocs/functions/handlers/get-retention';
import { createGoLiveHandler } from '@ocs/functions/handlers/go-live';
import { createRecordSubmissionHandler } from '@ocs/functions/handlers/record-submission';
import { createSetCollectionHandler } from '@ocs/functions/handlers/set-collection';
import {
  createUpdateInitiativeHandler,
  INITIATIVE_BODY_MAX_BYTES,
} from '@ocs/functions/handlers/update-initiative';
import { MAX_BODY_BYTES } from '@ocs/shared/contract/citizen-api';
import { routeKey, routeOf, routesFor } from '@ocs/shared/contract/routes';
import { DependencyUnavailableError } from '@ocs/shared/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/clock';
import { FakeAuditTrail, FakeSignInMarkerStore } from '../../../support/fake-audit-trail';
import { FakeRetentionStore } from '../../../support/fake-retention';
import {
  FakeInitiativeStore,
  FakeProgressStore,
  FakeTestDataWiper,
  FakeWithdrawalStore,
  InMemoryStatementStore,
} from '../../../support/fakes';
import { adminEvent, captureOutput, invoke } from '../../../support/lambda';
import { testInitiative } from '../support/data';

/** The organiser routes of this module, by handler, over the fakes (claims as the JWT authorizer passes them). */
const ORGANISER = { sub: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', email: 'organiser@example.org' };

function system() {
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  const trail = new FakeAuditTrail(clock);
  const markers = new FakeSignInMarkerStore();
  const initiatives = new FakeInitiativeStore(testInitiative());
  const statements = new InMemoryStatementStore();
  const progress = new FakeProgressStore().add('test', '2026-11-27', { PL: 2 });
  const wiper = new FakeTestDataWiper(statements);
  const retention = new FakeRetentionStore();
  const ports = { trail, markers, clock, initiatives };
  const handlers = {
    getAdminInitiative: createGetAdminInitiativeHandler(ports),
    updateInitiative: createUpdateInitiativeHandler(ports),
    goLive: createGoLiveHandler({ ...ports, wiper }),
    setCollection: createSetCollectionHandler(ports),
    recordSubmission: createRecordSubmissionHandler(ports),
    getDashboard: createGetDashboardHandler({ ...ports, progress }),
    getAudit: createGetAuditHandler(ports),
    adminWithdrawStatement: createAdminWithdrawStatementHandler({
      ...ports,
      withdrawals: new FakeWithdrawalStore(statements),
    }),
    getRetention: createGetRetentionHandler({ ...ports, retention }),
  };
  /** Calls a route as the signed-in organiser of the fixture. */
  const call = (handler: keyof typeof handlers, options: Parameters<typeof adminEvent>[1] = {}) =>
    invoke(handlers[handler], adminEvent(routeKey(routeOf(handler)), options));
  /** The entries after the session's sign_in. */
  const actions = () => trail.entries.filter((e) => e.action !== 'sign_in');
  return { clock, trail, initiatives, statements, progress, wiper, retention, handlers, call, actions };
}

type System = ReturnType<typeof system>;
const STATE_CHANGING: readonly [keyof System['handlers'], unknown][] = [
  ['updateInitiative', { ...testInitiative(), registerUrl: 'https://example.org/register' }],
  ['goLive', { confirm: 'ECI(2026)000042' }],
  ['setCollection', { action: 'pause' }],
  ['recordSubmission', { date: '2026-11-27' }],
  ['adminWithdrawStatement', { receipt: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
];

describe('organiser routes of the initiative, dashboard, audit trail, withdrawal and retention', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it('serves every organiser route of the initiative, dashboard, audit trail, withdrawal and retention in the route table', () => {
    const s = system();
    const served = Object.keys(s.handlers).sort();
    const inTable = new Set(routesFor('organiser').map((r) => r.handler as string));
    expect(served.length).toBe(9);
    for (const handler of served) expect(inTable.has(handler), handler).toBe(true);
  });

  it.each(Object.keys(system().handlers) as (keyof System['handlers'])[])(
    '%s refuses a request without verified claims with 401, changing and recording nothing',
    async (handler) => {
      const s = system();
      const body = STATE_CHANGING.find(([h]) => h === handler)?.[1];

      const res = await s.call(handler, { signedIn: false, ...(body ? { body } : {}) });

      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      expect(s.trail.entries).toEqual([]);
      expect(s.initiatives.replaceCalls).toBe(0);
    },
  );

  it.each(STATE_CHANGING)(
    '%s writes exactly one audit entry (after the session sign_in), naming the organiser',
    async (handler, body) => {
      const s = system();

      const res = await s.call(handler, { body });

      expect(res.statusCode).toBe(200);
      expect(s.trail.entries[0]?.action).toBe('sign_in');
      expect(s.actions()).toHaveLength(1);
      expect(s.actions()[0]?.actor).toEqual(ORGANISER);
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );

  it.each([
    [
      'updateInitiative',
      { ...testInitiative(), registrationNumber: 'x' },
      'registrationNumber',
      'invalid_format',
    ],
    ['goLive', { confirmation: 'ECI(2026)000042' }, 'confirmation', 'not_allowed'],
    ['setCollection', { action: 'close' }, 'action', 'not_allowed'],
    ['recordSubmission', { date: '2026-13-01' }, 'date', 'invalid_date'],
    ['adminWithdrawStatement', { receipt: 'not-a-receipt' }, 'receipt', 'invalid_format'],
  ] as const)(
    '%s answers an invalid body with 422 field errors and records nothing',
    async (handler, body, field, code) => {
      const s = system();

      const res = await s.call(handler, { body });

      expect(res.statusCode).toBe(422);
      expect((res.json() as { errors: unknown[] }).errors).toContainEqual({
        field,
        code,
        message: expect.any(String),
      });
      expect(s.actions()).toEqual([]);
      expect(s.initiatives.replaceCalls).toBe(0);
    },
  );

  it.each(STATE_CHANGING.map(([h]) => h))(
    '%s answers a body that is not JSON with 400, and the wrong media type with 415',
    async (handler) => {
      const s = system();

      expect((await s.call(handler, { rawBody: '{"action":' })).statusCode).toBe(400);
      const wrongType = adminEvent(routeKey(routeOf(handler)), { body: {} });
      wrongType.headers = { ...wrongType.headers, 'content-type': 'text/plain' };
      expect((await invoke(s.handlers[handler], wrongType)).statusCode).toBe(415);
      expect(s.actions()).toEqual([]);
    },
  );

  it('GET /api/admin/initiative answers the initiative, mode, status, submission date and destruction deadline', async () => {
    const s = system();

    const res = await s.call('getAdminInitiative');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      initiative: testInitiative(),
      mode: 'test',
      status: 'open',
      submittedOn: null,
      destruction: { deadline: '2028-08-01', rule: 'collection_start_plus_21_months' },
    });
    expect(s.actions()).toEqual([]);
  });

  it('PUT /api/admin/initiative takes a large initiative (24 languages) but not one above its limit', async () => {
    const s = system();
    const content = Object.fromEntries(
      ['en', 'de', 'fr', 'el', 'bg', 'pl'].map((lang) => [
        lang,
        {
          title: 'Τίτλος '.repeat(25).trim(),
          objectives: 'Στόχοι '.repeat(170).trim(),
          annex: 'Παράρτημα '.repeat(490).trim(),
        },
      ]),
    );
    const large = { ...testInitiative(), languages: Object.keys(content), content };
    const bytes = Buffer.byteLength(JSON.stringify(large));
    expect(bytes).toBeGreaterThan(MAX_BODY_BYTES);
    expect(bytes).toBeLessThan(INITIATIVE_BODY_MAX_BYTES);

    expect((await s.call('updateInitiative', { body: large })).statusCode).toBe(200);
    const tooLarge = await s.call('updateInitiative', {
      rawBody: `{"x":"${'a'.repeat(INITIATIVE_BODY_MAX_BYTES)}"}`,
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ error: { code: 'too_large' } });
  });

  it('PUT /api/admin/initiative answers 409 live_locked with the fields after go-live', async () => {
    const s = system();
    s.initiatives.lifecycle = { mode: 'live' };

    const res = await s.call('updateInitiative', {
      body: { ...testInitiative(), registrationDate: '2026-09-16' },
    });

    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'live_locked', message: expect.any(String), fields: ['registrationDate'] },
    });
    expect(s.actions()).toEqual([]);
  });

  it('POST /api/admin/go-live answers 422 wrong_confirmation in both error shapes, then 200, then 409 already_live', async () => {
    const s = system();

    const wrong = await s.call('goLive', { body: { confirm: 'ECI(2026)000001' } });
    const right = await s.call('goLive', { body: { confirm: 'ECI(2026)000042' } });
    const again = await s.call('goLive', { body: { confirm: 'ECI(2026)000042' } });

    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toEqual({
      error: { code: 'wrong_confirmation', message: expect.any(String) },
      errors: [{ field: 'confirm', code: 'wrong_confirmation', message: expect.any(String) }],
    });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ mode: 'live' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: { code: 'already_live', message: expect.any(String) } });
    expect(s.actions().map((e) => e.action)).toEqual(['go_live']);
  });

  it('POST /api/admin/collection answers the status; opening what is open records nothing', async () => {
    const s = system();

    const open = await s.call('setCollection', { body: { action: 'open' } });
    const pause = await s.call('setCollection', { body: { action: 'pause' } });

    expect(open.json()).toEqual({ status: 'open' });
    expect(pause.json()).toEqual({ status: 'paused' });
    expect(s.actions().map((e) => e.action)).toEqual(['collection_paused']);
  });

  it('POST /api/admin/submission answers the initiative with the moved deadline', async () => {
    const s = system();

    const res = await s.call('recordSubmission', { body: { date: '2026-11-27' } });

    expect(res.json()).toMatchObject({
      submittedOn: '2026-11-27',
      destruction: { deadline: '2026-12-27', rule: 'submission_plus_1_month' },
    });
  });

  it('GET /api/admin/dashboard answers the counts of the mode, never cached', async () => {
    const s = system();

    const res = await s.call('getDashboard');

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({
      total: 2,
      byCountry: { PL: 2, DE: 0 },
      countriesAtThreshold: 0,
      daily: [
        { date: '2026-11-27', count: 2 },
        { date: '2026-11-28', count: 0 },
      ],
      projectedGoalDate: null,
    });
  });

  it('POST /api/admin/withdrawals answers the same bytes whether or not a statement had the receipt', async () => {
    const s = system();
    s.statements.statements.set('a'.repeat(64), {
      dedupKey: 'a'.repeat(64),
      statementId: '11111111-1111-4111-8111-111111111111',
      submissionId: 'sub-1',
      country: 'PL',
      annexRevision: 1,
      submittedAt: '2026-11-28T09:00:00.000Z',
      personalData: { dataKeyRef: 'k', context: {}, iv: new Uint8Array(12), ciphertext: new Uint8Array(16) },
      expiresAtEpochSeconds: 1_848_873_600,
      mode: 'live',
      countDay: '2026-11-28',
    });
    s.statements.counts.set('PL', 1);

    const hit = await s.call('adminWithdrawStatement', {
      body: { receipt: '11111111-1111-4111-8111-111111111111' },
    });
    const miss = await s.call('adminWithdrawStatement', {
      body: { receipt: '0f8fad5b-d9cb-469f-a165-70867728950e' },
    });

    expect(hit.statusCode).toBe(200);
    expect(hit.body).toBe('{"status":"done"}');
    expect({ status: miss.statusCode, headers: miss.headers, body: miss.body }).toEqual({
      status: hit.statusCode,
      headers: hit.headers,
      body: hit.body,
    });
    expect(s.statements.counts.get('PL')).toBe(0);
    expect(s.actions().map((e) => [e.action, e.details])).toEqual([
      ['withdrawal', {}],
      ['withdrawal', {}],
    ]);
    expect(output.text()).not.toContain('11111111-1111-4111-8111-111111111111');
  });

  it('GET /api/admin/retention answers the deadline, the last run and the certificates; it records nothing', async () => {
    const s = system();

    const scheduled = await s.call('getRetention');
    expect(scheduled.statusCode).toBe(200);
    expect(scheduled.headers['cache-control']).toBe('no-store');
    expect(scheduled.json()).toEqual({
      deadline: '2028-08-01',
      rule: 'collection_start_plus_21_months',
      lastRun: null,
      certificates: [],
      status: 'scheduled',
      keyDestruction: null,
    });

    const certificate = {
      at: '2026-12-27T00:30:01.000Z',
      deadline: '2026-12-27',
      met: true,
      statementsDestroyed: 12,
      emailsDestroyed: 3,
      exportsDestroyed: 2,
    };
    await s.retention.write(
      {
        lastRun: '2026-12-27T00:30:02.000Z',
        certificates: [certificate],
        keyDestroyed: { at: '2026-12-27T00:30:02.000Z', deletionDate: '2027-01-03T00:30:02.000Z' },
      },
      0,
    );
    s.initiatives.lifecycle = { mode: 'live', submittedOn: '2026-11-27' };

    expect((await s.call('getRetention')).json()).toEqual({
      deadline: '2026-12-27',
      rule: 'submission_plus_1_month',
      lastRun: '2026-12-27T00:30:02.000Z',
      certificates: [certificate],
      status: 'destroyed',
      keyDestruction: { at: '2026-12-27T00:30:02.000Z', deletionDate: '2027-01-03T00:30:02.000Z' },
    });
    expect(s.actions()).toEqual([]);
  });

  it('GET /api/admin/audit lists the entries after `after`, and whether the whole chain is valid', async () => {
    const s = system();
    await s.call('setCollection', { body: { action: 'pause' } });
    await s.call('setCollection', { body: { action: 'open' } });

    const all = await s.call('getAudit');
    const after = await s.call('getAudit', { query: { after: '2', _: '123' } });

    expect(all.json()).toEqual({ entries: s.trail.entries, chainValid: true });
    expect((all.json() as { entries: { action: string }[] }).entries.map((e) => e.action)).toEqual([
      'sign_in',
      'collection_paused',
      'collection_opened',
    ]);
    expect(after.json()).toEqual({ entries: s.trail.entries.slice(2), chainValid: true });
  });

  it('GET /api/admin/audit says when the chain is broken', async () => {
    const s = system();
    await s.call('setCollection', { body: { action: 'pause' } });
    const first = s.trail.entries[0];
    if (first) s.trail.entries[0] = { ...first, details: { authTime: 'rewritten' } };

    expect((await s.call('getAudit')).json()).toMatchObject({ chainValid: false });
  });

  it.each(['-1', 'abc', '1.5', ''])('GET /api/admin/audit answers after=%j with 422', async (after) => {
    const s = system();

    const res = await s.call('getAudit', { query: { after } });

    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      errors: [{ field: 'after', code: 'invalid_format', message: expect.any(String) }],
    });
  });

  it('answers 503 when the audit trail cannot be written, and records no half of it', async () => {
    const s = system();
    await s.call('getAdminInitiative');
    s.trail.failNext(new DependencyUnavailableError('database'));

    const res = await s.call('setCollection', { body: { action: 'pause' } });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });

  it('never writes the organiser e-mail address or the initiative texts into the log', async () => {
    const s = system();
    await s.call('updateInitiative', {
      body: {
        ...testInitiative(),
        content: { en: { title: 'Secret title', objectives: 'Secret objectives' } },
      },
    });
    await s.call('updateInitiative', { body: { ...testInitiative(), registrationNumber: 'Secret-number' } });

    expect(output.text()).toContain('PUT /api/admin/initiative');
    expect(output.text()).not.toMatch(/organiser@example\.org|Secret/);
  });
});
